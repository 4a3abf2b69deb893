from django.core.management.base import BaseCommand

from indicators.seeding import seed_plans_load


class Command(BaseCommand):
    help = "Charge (ou met à jour) les deux plans livrés : Montérégie et Pôle Québec."

    def handle(self, *args, **options):
        for plan, outcome in seed_plans_load():
            totals = outcome.totals
            self.stdout.write(f"{plan} : indicateurs créés : {totals.get('new', 0)} ; "
                              f"relus : {totals.get('update', 0)}.")
