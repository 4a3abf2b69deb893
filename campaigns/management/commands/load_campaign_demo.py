from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from campaigns.demo import campaign_demo_load


class Command(BaseCommand):
    help = ("Ouvre la campagne de démonstration (reddition 2025-2026). Réservé à "
            "DEMO_MODE=true, après load_demo.")

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("DEMO_MODE n'est pas activé.")
        from django.contrib.auth import get_user_model

        if not get_user_model().objects.filter(username="ministere").exists():
            raise CommandError("Chargez d'abord la démonstration : manage.py load_demo")
        campaign = campaign_demo_load()
        self.stdout.write(f"Campagne de démonstration : {campaign} (soumission "
                          f"{campaign.submission_due.isoformat()}, approbation "
                          f"{campaign.approval_due.isoformat()}).")
