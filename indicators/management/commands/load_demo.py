from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from indicators.demo import DEMO_YEAR, demo_load
from indicators.models import Plan, fiscal_year_label


class Command(BaseCommand):
    help = ("Crée les comptes de démonstration (un par rôle et par pôle) et des résultats de "
            "démonstration 2024-2025, puis affiche les comptes. Réservé à DEMO_MODE=true.")

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("DEMO_MODE n'est pas activé : les comptes de démonstration ont "
                               "des mots de passe connus et n'ont pas leur place ailleurs.")
        plans = list(Plan.objects.filter(pole__code__in=["monteregie", "pole-quebec"])
                     .select_related("pole"))
        if not plans:
            raise CommandError("Chargez d'abord les plans : manage.py load_seed_plans")
        accounts = demo_load(plans)
        self.stdout.write(self.style.WARNING(
            f"\nDémonstration : résultats {fiscal_year_label(DEMO_YEAR)} étiquetés « Donnée de "
            "démonstration ». Comptes (démo seulement) :"))
        for username, password, pole in accounts:
            self.stdout.write(f"  {username:<26} {password:<32} {pole}")
        self.stdout.write("")
