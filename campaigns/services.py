"""Writes of the campaigns: open a campaign, grant an extension, send the reminders due,
ask for corrections and answer them. Each runs in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CorrectionPoint, Extension, Milestone, ReminderSent
from campaigns.schedule import days_text
from campaigns.selectors import Reminder, reminders_due
from indicators import services as indicator_services
from indicators import workflow
from indicators.formatting import person_name
from indicators.models import Action, Indicator, Plan, Pole, YearTransition


class CorrectionsRefused(Exception):
    pass


@transaction.atomic
def campaign_open(*, year: int, submission_due: datetime.date, approval_due: datetime.date,
                  user) -> Campaign:
    """Open the campaign of a reporting year with its two due dates."""
    return Campaign.objects.create(year=year, submission_due=submission_due,
                                   approval_due=approval_due, opened_by=user)


@transaction.atomic
def extension_grant(*, campaign: Campaign, pole: Pole, submission_due: datetime.date,
                    approval_due: datetime.date, reason: str, user) -> Extension:
    """Give a pôle its own due dates for the campaign, with the reason (replacing an earlier
    extension of the same pôle)."""
    extension, _created = Extension.objects.update_or_create(
        campaign=campaign, pole=pole, defaults={
            "submission_due": submission_due, "approval_due": approval_due, "reason": reason,
            "granted_by": user, "granted_at": timezone.now()})
    return extension


def reminders_send(*, today: datetime.date, dry_run: bool = False,
                   days_before: Iterable[int] | None = None) -> list[Reminder]:
    """E-mail every reminder due on ``today`` that the log does not hold yet, and log it.

    Each reminder is logged and sent in its own transaction: a failed send leaves no log row,
    so the next run tries again, and a reminder logged is never sent twice (the key is
    unique). ``dry_run`` sends and logs nothing and returns what would be sent.
    """
    due = reminders_due(today, settings.REMINDER_DAYS_BEFORE if days_before is None
                        else days_before)
    if dry_run:
        return due
    sent = []
    for reminder in due:
        message = reminder_message(reminder, today)
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    key=reminder.key, campaign=reminder.campaign, pole=reminder.pole,
                    milestone=reminder.milestone, moment=reminder.moment, due=reminder.due,
                    user=reminder.user, email=reminder.user.email, subject=message.subject,
                    sent_on=today)
                message.send(fail_silently=False)
        except IntegrityError:
            continue  # another run logged it first
        sent.append(reminder)
    return sent


def reminder_message(reminder: Reminder, today: datetime.date) -> EmailMultiAlternatives:
    """The French e-mail of a reminder, plain text with an HTML alternative, with the link
    to the page where the person acts."""
    campaign = reminder.campaign
    if reminder.plan is not None:
        url = settings.SITE_URL + reverse("indicators:entry", kwargs={
            "plan_id": reminder.plan.pk, "year": campaign.year})
        subject = _("[Pôle Plan] %(pole)s : %(milestone)s de la reddition %(year)s, "
                    "%(when)s") % {
            "pole": reminder.plan.pole.name, "year": campaign.year_label,
            "milestone": Milestone(reminder.milestone).label,
            "when": days_text(reminder.due, today)}
        template = "campaigns/email/reminder"
    else:
        url = settings.SITE_URL + reverse("campaigns:board", kwargs={"campaign_id": campaign.pk})
        subject = _("[Pôle Plan] Reddition %(year)s : bilan de l'échéance de %(milestone)s") % {
            "year": campaign.year_label,
            "milestone": Milestone(reminder.milestone).label}
        template = "campaigns/email/summary"
    context = {
        "reminder": reminder, "campaign": campaign, "url": url, "today": today,
        "milestone": Milestone(reminder.milestone).label,
        "when": days_text(reminder.due, today), "name": person_name(reminder.user),
        "late": [(plan, when) for plan, done, when in reminder.rows if not done],
        "done": [(plan, when) for plan, done, when in reminder.rows if done],
    }
    message = EmailMultiAlternatives(subject, render_to_string(f"{template}.txt", context),
                                     settings.DEFAULT_FROM_EMAIL, [reminder.user.email])
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


@dataclass(frozen=True)
class PointAsked:
    """One correction to ask: about an indicator, an action, or (neither) the whole year."""

    message: str
    indicator: Indicator | None = None
    action: Action | None = None

    @property
    def subject(self) -> str:
        if self.indicator is not None:
            return f"{self.indicator.action.code} {self.indicator.label}"
        if self.action is not None:
            return _("Action %(code)s") % {"code": self.action.code}
        return _("L'année entière")


@transaction.atomic
def corrections_ask(*, plan: Plan, year: int, user, points: Sequence[PointAsked],
                    url: str = "") -> YearTransition:
    """Return a filed year to the pôle with the corrections asked, point by point.

    The gesture is the workflow's ``correct`` (who may, who is e-mailed); its comment lists
    the points, so the e-mail and the year's history carry them. Refuses an empty list.
    """
    if not points:
        raise CorrectionsRefused(_("Indiquez au moins un point à corriger."))
    comment = "\n".join(f"— {point.subject} : {point.message}" for point in points)
    report = indicator_services.year_transition(plan=plan, year=year, action="correct",
                                                user=user, comment=comment, url=url)
    transition = report.transitions.order_by("-at", "-id").first()
    CorrectionPoint.objects.bulk_create([
        CorrectionPoint(report=report, asked_in=transition, indicator=point.indicator,
                        action=point.action, message=point.message) for point in points])
    return transition


class AnswerRefused(Exception):
    pass


@transaction.atomic
def correction_answer(*, point: CorrectionPoint, answer: str, user) -> CorrectionPoint:
    """Keep the coordination's answer to a correction asked, while the year is a draft."""
    point = CorrectionPoint.objects.select_for_update().select_related("report").get(pk=point.pk)
    if not workflow.accepts_results(point.report):
        raise AnswerRefused(_("L'année est « %(state)s » : les réponses ne peuvent plus "
                              "changer.") % {"state": workflow.state_label(point.report)})
    point.answer, point.answered_by, point.answered_at = answer, user, timezone.now()
    point.save(update_fields=["answer", "answered_by", "answered_at"])
    return point
