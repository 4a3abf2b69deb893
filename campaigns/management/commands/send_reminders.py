"""Daily: e-mail the campaign reminders due today (cron or a systemd timer, see README)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns.services import reminders_send
from indicators import dates


class Command(BaseCommand):
    help = ("Envoie les rappels d'échéance des campagnes de reddition dus aujourd'hui "
            "(jours avant, le jour même, chaque semaine de retard) et le bilan au ministère "
            "une fois une échéance passée. Un rappel déjà envoyé ne l'est jamais de nouveau.")

    def add_arguments(self, parser):
        parser.add_argument("--today", help="la date à considérer comme aujourd'hui "
                                            "(AAAA-MM-JJ), pour vérifier")
        parser.add_argument("--dry-run", action="store_true",
                            help="affiche les rappels dus sans rien envoyer ni consigner")

    def handle(self, *args, today=None, dry_run=False, **options):
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today attend une date AAAA-MM-JJ, pas « {today} ».") \
                    from exc
        else:
            day = dates.today()
        reminders = reminders_send(today=day, dry_run=dry_run)
        for reminder in reminders:
            about = reminder.pole.name if reminder.pole else _("bilan au ministère")
            self.stdout.write(f"{reminder.user.email}\t{about}\t{reminder.milestone}\t"
                              f"{reminder.moment}\t{reminder.due.isoformat()}")
        n = len(reminders)
        if dry_run:
            text = ngettext("%(n)s rappel à envoyer (essai : rien n'est envoyé).",
                            "%(n)s rappels à envoyer (essai : rien n'est envoyé).", n)
        else:
            text = ngettext("%(n)s rappel envoyé.", "%(n)s rappels envoyés.", n)
        self.stdout.write(f"{day.isoformat()} : " + text % {"n": n})
