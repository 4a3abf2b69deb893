from django.core.management.base import BaseCommand

from indicators.evaluations import evaluations_refresh


class Command(BaseCommand):
    help = ("Recalcule et enregistre l'évaluation de chaque indicateur et de chaque année "
            "(après un changement des règles d'évaluation ou des seuils, et au déploiement).")

    def handle(self, *args, **options):
        written = evaluations_refresh()
        self.stdout.write(f"{written} évaluations enregistrées.")
