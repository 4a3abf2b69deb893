"""A pôle's due dates as an iCalendar feed (one all-day event per due date)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from campaigns.models import Milestone
from campaigns.selectors import extension_due
from indicators.models import Pole


def pole_calendar(pole: Pole, campaigns: list, extensions: dict, url: str) -> bytes:
    """``campaigns`` with ``extensions`` (campaign id → the pôle's extension) as an
    iCalendar file; each event's UID is stable so that calendars update it in place."""
    calendar = Calendar()
    calendar.add("prodid", "-//Pôle Plan//Échéances de reddition//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Échéances de reddition — %(pole)s") % {"pole": pole.name})
    stamp = timezone.now()
    for campaign in campaigns:
        extension = extensions.get(campaign.pk)
        for milestone, summary in (
                (Milestone.SUBMISSION, _("Reddition %(year)s : soumission à la direction")),
                (Milestone.APPROVAL, _("Reddition %(year)s : approbation par la direction"))):
            day = extension_due(campaign, extension, milestone)
            event = Event()
            event.add("uid", f"campagne-{campaign.pk}-{milestone}-pole-{pole.pk}@poleplan")
            event.add("summary", summary % {"year": campaign.year_label})
            event.add("dtstart", day)
            event.add("dtend", day + datetime.timedelta(days=1))
            event.add("dtstamp", stamp)
            description = pole.name
            if extension is not None:
                description += "\n" + _("Prolongation : %(reason)s") % {"reason": extension.reason}
            event.add("description", description)
            event.add("url", url)
            calendar.add_component(event)
    return calendar.to_ical()
