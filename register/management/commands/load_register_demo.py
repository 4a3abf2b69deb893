from django.core.management.base import BaseCommand, CommandError

from indicators.models import Plan
from register.demo import register_demo_load
from register.services import YearLocked


class Command(BaseCommand):
    help = ("Charge le registre d'activités de démonstration de la Montérégie (une seule fois ; "
            "load_demo le charge déjà, avant d'approuver l'année de démonstration).")

    def handle(self, *args, **options):
        plan = Plan.objects.filter(pole__code="monteregie").order_by("first_year").first()
        if plan is None:
            raise CommandError("Chargez d'abord les plans livrés (load_seed_plans).")
        try:
            count = register_demo_load(plan)
        except YearLocked as exc:
            raise CommandError("Le registre de démonstration tombe dans une année soumise ou "
                               "approuvée : rien n'a été enregistré. Chargez-le avant "
                               "d'approuver (load_demo le fait).") from exc
        if count:
            self.stdout.write(f"Registre de démonstration : {count} activités créées.")
        else:
            self.stdout.write("Registre de démonstration : déjà chargé, rien à faire.")
