from django.core.management.base import BaseCommand

from register.directory import directory_data, directory_load
from register.seeding import seed_rules_map


class Command(BaseCommand):
    help = ("Charge (ou met à jour) le répertoire des établissements et partenaires, puis "
            "associe les indicateurs des plans livrés aux règles de calcul du registre.")

    def handle(self, *args, **options):
        created, updated = directory_load()
        self.stdout.write(f"Répertoire — organisations créées : {created} ; mises à jour : "
                          f"{updated}. Source : {directory_data()['source']}")
        mapped = seed_rules_map()
        self.stdout.write(f"Règles de calcul — indicateurs calculés à partir du registre : "
                          f"{len(mapped)}.")
