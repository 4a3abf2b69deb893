from django.core.management.base import BaseCommand, CommandError

from indicators.evaluations import evaluations_differences


class Command(BaseCommand):
    help = ("Compare les évaluations enregistrées à un nouveau calcul ; liste chaque écart et "
            "sort en erreur s'il y en a un (« manage.py evaluations_rebuild » les corrige).")

    def handle(self, *args, **options):
        differences = evaluations_differences()
        for difference in differences:
            self.stderr.write(str(difference))
        if differences:
            raise CommandError(f"Écarts entre les évaluations enregistrées et recalculées : "
                               f"{len(differences)}.")
        self.stdout.write("Les évaluations enregistrées concordent avec le calcul.")
