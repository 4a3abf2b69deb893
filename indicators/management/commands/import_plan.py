"""``manage.py import_plan FILE``: load (or update) a pôle's plan from xlsx or csv."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.models import Plan, Pole
from indicators.plan_import import load_dataset, plan_import


class Command(BaseCommand):
    help = "Importe un plan d'action (xlsx ou csv, une ligne par indicateur), tout ou rien."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--plan", type=int, help="Identifiant d'un plan existant.")
        parser.add_argument("--pole", help="Code court du pôle (créé avec --pole-name s'il "
                                           "n'existe pas).")
        parser.add_argument("--pole-name", help="Nom du pôle à créer.")
        parser.add_argument("--title", help="Titre du plan.")
        parser.add_argument("--years", help="Période, p. ex. 2024-2027.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Vérifie le fichier sans rien enregistrer.")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        plan = self._plan(options)
        try:
            dataset = load_dataset(path.read_bytes(), path.name)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        outcome = plan_import(plan=plan, dataset=dataset, dry_run=options["dry_run"])
        if not outcome.ok:
            for message in outcome.errors:
                self.stderr.write(message)
            raise CommandError(f"Importation annulée : {len(outcome.errors)} erreur(s), "
                               "rien n'a été enregistré.")
        totals = outcome.totals
        verb = "Vérification réussie" if options["dry_run"] else "Importation réussie"
        self.stdout.write(self.style.SUCCESS(
            f"{verb} ({plan}) : {totals.get('new', 0)} indicateur(s) nouveau(x), "
            f"{totals.get('update', 0)} mis à jour."))

    def _plan(self, options) -> Plan:
        if options["plan"]:
            try:
                return Plan.objects.get(pk=options["plan"])
            except Plan.DoesNotExist as exc:
                raise CommandError(f"Aucun plan n° {options['plan']}.") from exc
        if not (options["pole"] and options["years"]):
            raise CommandError("Indiquez --plan, ou --pole et --years (et --title pour un "
                               "nouveau plan).")
        try:
            first, last = (int(y) for y in options["years"].split("-"))
        except ValueError as exc:
            raise CommandError("--years s'écrit 2024-2027.") from exc
        pole = Pole.objects.filter(code=options["pole"]).first()
        if pole is None:
            if not options["pole_name"]:
                raise CommandError(f"Pôle « {options['pole']} » inconnu : ajoutez "
                                   "--pole-name pour le créer.")
            pole = Pole.objects.create(code=options["pole"], name=options["pole_name"])
        plan, _ = Plan.objects.get_or_create(
            pole=pole, first_year=first,
            defaults={"last_year": last - 1, "title": options["title"] or f"Plan {first}-{last}"})
        return plan
