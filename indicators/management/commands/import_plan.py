"""``manage.py import_plan FILE``: load (or update) a pôle's plan from xlsx or csv.

A plan document (.docx, .pdf, or a pasted table saved as .tsv) is read by
``indicators.plan_documents`` and goes through the same import: its review is printed target
by target, and it is written only when no target needs a decision, or with
``--accept-flagged`` (each undecided target becomes « À déterminer », its cell in the note).

All or nothing: the pôle, the plan, its title and its rows are written in one transaction that
is rolled back when the file is refused or with ``--dry-run``, so a refused import leaves every
table exactly as it was.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from indicators import plan_documents
from indicators.import_preview import target_readings
from indicators.models import Plan, Pole
from indicators.plan_import import load_dataset, plan_import


class _Refused(Exception):
    """Raised inside the transaction so that everything it wrote is rolled back."""


class Command(BaseCommand):
    help = "Importe un plan d'action (xlsx ou csv, une ligne par indicateur), tout ou rien."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--plan", type=int, help="Identifiant d'un plan existant.")
        parser.add_argument("--pole", help="Code court du pôle (créé avec --pole-name s'il "
                                           "n'existe pas).")
        parser.add_argument("--pole-name", help="Nom du pôle à créer.")
        parser.add_argument("--title", help="Titre du plan (appliqué aussi à un plan existant).")
        parser.add_argument("--years", help="Période, p. ex. 2024-2027.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Vérifie le fichier sans rien enregistrer et liste chaque "
                                 "cible qui changerait (ancienne → nouvelle).")
        parser.add_argument("--accept-flagged", action="store_true",
                            help="Document (docx, pdf) : écrit chaque cible à décider « À "
                                 "déterminer », sa cellule d'origine en note.")
        parser.add_argument("--user", help="Identifiant de la personne nommée dans "
                                           "l'historique des cibles changées.")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        dry_run = options["dry_run"]
        try:
            if path.suffix.lower() in plan_documents.DOCUMENT_SUFFIXES:
                dataset = self._document_dataset(path, dry_run, options["accept_flagged"])
            else:
                dataset = load_dataset(path.read_bytes(), path.name)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Utilisateur « {options['user']} » inconnu.")
        notes: list[str] = []
        try:
            with transaction.atomic():
                plan = self._plan(options, notes)
                outcome = plan_import(plan=plan, dataset=dataset, dry_run=dry_run, user=user)
                if not outcome.ok or dry_run:
                    raise _Refused
        except _Refused:
            pass
        if not outcome.ok:
            for message in outcome.errors:
                self.stderr.write(message)
            count = len(outcome.errors)
            raise CommandError(f"Importation annulée : {count} erreur{'s' * (count > 1)}, "
                               "rien n'a été enregistré.")
        totals = outcome.totals
        verb = ("Vérification réussie, rien n'a été enregistré" if dry_run
                else "Importation réussie")
        for note in notes:
            self.stdout.write(f"À l'essai, non enregistré : {note}" if dry_run else note)
        if dry_run:
            # each target as the import would read it, to check before importing for real
            for line in target_readings(plan, dataset):
                self.stdout.write(line)
        changed = [c for c in outcome.changes if not c.kept]
        if outcome.changes:
            self.stdout.write(("Cibles qui changeraient :" if dry_run else "Cibles changées :")
                              if changed else "Aucune cible ne change.")
            for change in outcome.changes:
                self.stdout.write(f"  {change}")
        new, updated = totals.get("new", 0), totals.get("update", 0)
        self.stdout.write(self.style.SUCCESS(
            f"{verb} ({plan}) : {new} indicateur{'s' * (new > 1)} "
            f"nouveau{'x' * (new > 1)}, {updated} relu{'s' * (updated > 1)} "
            f"(dont {len(changed)} cible{'s' * (len(changed) > 1)} "
            f"changée{'s' * (len(changed) > 1)})."))

    def _document_dataset(self, path: Path, dry_run: bool, accept_flagged: bool):
        """Print the document's review; its rows in the import format, or refuse when a target
        needs a person and neither --dry-run nor --accept-flagged says what to do."""
        rows, years = plan_documents.read_document(path.read_bytes(), path.name)
        for line in plan_documents.review_lines(rows):
            self.stdout.write(line)
        undecided = sum(t.flagged for row in plan_documents.needs_decision(rows)
                        for t in row.targets)
        actions = len({row.action for row in rows})
        self.stdout.write(f"Document lu : {actions} action{'s' * (actions > 1)}, {len(rows)} "
                          f"indicateur{'s' * (len(rows) > 1)}, {undecided} cible"
                          f"{'s' * (undecided > 1)} à décider.")
        if undecided and not (dry_run or accept_flagged):
            raise CommandError(
                "Des cibles restent à décider (marquées « À DÉCIDER ») : corrigez-les sur la "
                "page de relecture, ou relancez avec --accept-flagged pour les écrire « À "
                "déterminer ».")
        return plan_documents.proposal_dataset(rows, years, accept_flagged=True)

    def _plan(self, options, notes: list[str]) -> Plan:
        """The plan to import into, created (with its pôle) or retitled as asked."""
        if options["plan"]:
            try:
                plan = Plan.objects.get(pk=options["plan"])
            except Plan.DoesNotExist as exc:
                raise CommandError(f"Aucun plan n° {options['plan']}.") from exc
            self._retitle(plan, options["title"], notes)
            return plan
        if not (options["pole"] and options["years"]):
            raise CommandError("Indiquez --plan, ou --pole et --years (et --title pour un "
                               "nouveau plan).")
        try:
            first, last = (int(y) for y in options["years"].split("-"))
        except ValueError as exc:
            raise CommandError("--years s'écrit 2024-2027.") from exc
        if not (1990 <= first < last <= first + 20):
            raise CommandError(f"--years {options['years']} : la période s'écrit première "
                               "année-dernière année, dans l'ordre, p. ex. 2024-2027.")
        pole = Pole.objects.filter(code=options["pole"]).first()
        if pole is None:
            if not options["pole_name"]:
                raise CommandError(f"Pôle « {options['pole']} » inconnu : ajoutez "
                                   "--pole-name pour le créer.")
            pole = Pole.objects.create(code=options["pole"], name=options["pole_name"])
            notes.append(f"Pôle créé : {pole.name} ({pole.code}).")
        plan, created = Plan.objects.get_or_create(
            pole=pole, first_year=first,
            defaults={"last_year": last - 1, "title": options["title"] or f"Plan {first}-{last}"})
        if created:
            notes.append(f"Plan créé : « {plan.title} ».")
        else:
            self._retitle(plan, options["title"], notes)
        return plan

    @staticmethod
    def _retitle(plan: Plan, title: str | None, notes: list[str]) -> None:
        if title and title != plan.title:
            notes.append(f"Titre du plan changé : « {plan.title} » → « {title} ».")
            plan.title = title
            plan.save(update_fields=["title"])
