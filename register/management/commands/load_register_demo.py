from django.core.management.base import BaseCommand

from indicators.models import Plan
from register.demo import register_demo_load


class Command(BaseCommand):
    help = "Charge le registre d'activités de démonstration de la Montérégie (une seule fois)."

    def handle(self, *args, **options):
        plan = Plan.objects.filter(pole__code="monteregie").order_by("first_year").first()
        if plan is None:
            self.stderr.write("Chargez d'abord les plans livrés (load_seed_plans).")
            return
        count = register_demo_load(plan)
        self.stdout.write(f"Registre de démonstration : {count} activité(s) créée(s).")
