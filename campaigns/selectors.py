"""Named reads of the campaigns: the follow-up board, a plan year's notices (due dates and
corrections asked), and the reminders due on a day. Each costs a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign, CorrectionPoint, Extension, Milestone, ReminderSent
from campaigns.schedule import days_text, moment_of
from indicators import dates, hooks, workflow
from indicators.models import (
    Action,
    Indicator,
    Membership,
    Plan,
    Pole,
    Result,
    StoredEvaluation,
    YearReport,
)
from indicators.selectors import year_reports

Role = Membership.Role

# The board's states, in the order a sort by state gives them.
BOARD_STATES = {
    "not_started": gettext_lazy("non commencée"),
    "draft": workflow.State.DRAFT.label,
    "submitted": workflow.State.SUBMITTED.label,
    "approved": workflow.State.APPROVED.label,
    "filed": gettext_lazy("déposée"),
}
MILESTONE_LABELS = {
    Milestone.SUBMISSION: gettext_lazy("Soumission à la direction"),
    Milestone.APPROVAL: gettext_lazy("Approbation par la direction"),
}


def campaigns_list() -> list[Campaign]:
    """Every campaign, newest year first, with who opened it (one query)."""
    return list(Campaign.objects.select_related("opened_by"))


def campaign_for_year(year: int) -> Campaign | None:
    """The campaign of a reporting year, or None (one query)."""
    return Campaign.objects.filter(year=year).first()


def campaign_extensions(campaign: Campaign) -> list[Extension]:
    """The campaign's extensions with their pôle and who granted them (one query)."""
    return list(campaign.extensions.select_related("pole", "granted_by"))


def campaign_plans(year: int) -> list[Plan]:
    """One plan per pôle covering ``year`` (the most recent when several do), by pôle name
    (one query)."""
    return campaign_plans_all([year]).get(year, [])


def campaign_poles(campaign: Campaign):
    """The pôles taking part in the campaign (a queryset, for a form's choices)."""
    return Pole.objects.filter(pk__in=[plan.pole_id for plan in campaign_plans(campaign.year)])


def plan_years() -> list[int]:
    """Every year some plan covers, newest first: the years a campaign may be opened for
    (one query)."""
    years = set()
    for first, last in Plan.objects.values_list("first_year", "last_year"):
        years.update(range(first, last + 1))
    return sorted(years, reverse=True)


def pole_campaigns(pole: Pole) -> tuple[list[Campaign], dict[int, Extension]]:
    """Every campaign, and the pôle's extensions by campaign id (two queries)."""
    return (list(Campaign.objects.all()),
            {e.campaign_id: e for e in Extension.objects.filter(pole=pole)})


@dataclass(frozen=True)
class DueDate:
    milestone: str
    label: str
    date: datetime.date
    days_text: str
    reason: str = ""  # the extension's reason, when the pôle has its own date


def due_dates(campaign: Campaign, extension: Extension | None,
              today: datetime.date) -> tuple[DueDate, ...]:
    """The pôle's two due dates: its extension's when it has one, else the campaign's."""
    reason = extension.reason if extension else ""
    return tuple(DueDate(m, str(MILESTONE_LABELS[m]), extension_due(campaign, extension, m),
                         days_text(extension_due(campaign, extension, m), today), reason)
                 for m in Milestone)


def extension_due(campaign: Campaign, extension: Extension | None,
                  milestone: str) -> datetime.date:
    """The date ``milestone`` is due for a pôle: its extension's, else the campaign's."""
    if extension is None:
        return campaign.due(milestone)
    return (extension.submission_due if milestone == Milestone.SUBMISSION
            else extension.approval_due)


def board_state(report: YearReport | None, entered: int) -> str:
    """The board's state of a pôle-year (a key of :data:`BOARD_STATES`)."""
    if workflow.is_filed(report):
        return "filed"
    state = workflow.state_of(report)
    if state == workflow.State.DRAFT:
        return "draft" if entered or (report is not None and report.changed_at) else "not_started"
    return str(state)


def milestone_done(milestone: str, report: YearReport | None) -> bool:
    """Whether the pôle has done what ``milestone`` asks (submitted; approved)."""
    state = workflow.state_of(report)
    if milestone == Milestone.SUBMISSION:
        return state != workflow.State.DRAFT
    return state == workflow.State.APPROVED


def pending_milestone(report: YearReport | None) -> str | None:
    """The due date that matters now: submission while a draft, approval once submitted."""
    for milestone in Milestone:
        if not milestone_done(milestone, report):
            return milestone
    return None


@dataclass
class BoardRow:
    plan: Plan
    state: str
    entered: int
    total: int
    due: datetime.date | None
    days: int | None  # days left (negative: days late), None when nothing is due
    days_text: str
    last_activity: datetime.datetime | None
    contacts: list = field(default_factory=list)
    extension: Extension | None = None

    @property
    def pole(self) -> Pole:
        return self.plan.pole

    @property
    def state_text(self) -> str:
        label = str(BOARD_STATES[self.state])
        if self.state == "draft":
            return _("%(state)s (%(entered)s résultats sur %(total)s)") % {
                "state": label, "entered": self.entered, "total": self.total}
        return label

    @property
    def late(self) -> bool:
        return self.days is not None and self.days < 0


BOARD_SORTS = {
    "pole": lambda row: row.pole.name.casefold(),
    "etat": lambda row: list(BOARD_STATES).index(row.state),
    "echeance": lambda row: (row.days is None, row.days if row.days is not None else 0),
    "activite": lambda row: (row.last_activity is None,
                             row.last_activity.timestamp() if row.last_activity else 0),
}


def board_sort(value: str | None) -> str:
    """The board's sort from ``?tri=`` (``echeance``, ``-activite``…): the days first by
    default; an unknown value falls back to it."""
    key = (value or "").removeprefix("-")
    return value if key in BOARD_SORTS else "echeance"


def board_rows(campaign: Campaign, today: datetime.date, *,
               sort: str = "echeance") -> list[BoardRow]:
    """Every pôle with a plan covering the campaign's year: its state, results entered,
    days to or past the due date that matters now, last activity and who to contact.

    Six queries whatever the number of pôles: plans, extensions, year reports, stored
    evaluation counts, the last result written, and the coordinators and directors.
    """
    year = campaign.year
    plans = campaign_plans(year)
    extensions = {e.pole_id: e for e in campaign.extensions.all()}
    reports = year_reports(plans, year)
    plan_ids = [plan.pk for plan in plans]
    counts = {row["plan"]: row for row in StoredEvaluation.objects.filter(
        year=year, plan__in=plan_ids).values("plan").annotate(
        total=Count("id"), entered=Count("id", filter=Q(has_result=True)))}
    last_results = dict(Result.objects.filter(
        year=year, indicator__action__objective__orientation__plan__in=plan_ids)
        .values_list("indicator__action__objective__orientation__plan")
        .annotate(last=Max("updated_at")).values_list(
            "indicator__action__objective__orientation__plan", "last"))
    people = defaultdict(list)
    for membership in (Membership.objects.filter(pole__in=[p.pole_id for p in plans],
                                                 role__in=[Role.COORDINATOR, Role.DIRECTOR])
                       .select_related("user").order_by("user__last_name", "user__username")):
        people[(membership.pole_id, membership.role)].append(membership.user)
    rows = []
    for plan in plans:
        report = reports.get(plan.pk)
        count = counts.get(plan.pk, {"total": 0, "entered": 0})
        pending = pending_milestone(report)
        extension = extensions.get(plan.pole_id)
        due = extension_due(campaign, extension, pending) if pending else None
        activity = [moment for moment in (last_results.get(plan.pk),
                                          report.changed_at if report else None) if moment]
        # Who acts next: the coordination until submitted, then the direction.
        role = Role.COORDINATOR if pending == Milestone.SUBMISSION else Role.DIRECTOR
        rows.append(BoardRow(
            plan=plan, state=board_state(report, count["entered"]),
            entered=count["entered"], total=count["total"], due=due,
            days=(due - today).days if due else None, days_text=days_text(due, today),
            last_activity=max(activity) if activity else None,
            contacts=people[(plan.pole_id, role)], extension=extension))
    key = sort.removeprefix("-")
    rows.sort(key=lambda row: row.pole.name.casefold())
    rows.sort(key=BOARD_SORTS[key], reverse=sort.startswith("-"))
    return rows


def year_notices(plan: Plan, year: int, today: datetime.date | None = None) -> hooks.YearNotices:
    """The campaign's due dates for the plan's pôle and the corrections of the latest round
    asked on the year, for its entry page and dashboard (two queries)."""
    extension = Extension.objects.filter(campaign=OuterRef("pk"), pole=plan.pole_id)
    campaign = (Campaign.objects.filter(year=year).annotate(
        ext_submission=Subquery(extension.values("submission_due")[:1]),
        ext_approval=Subquery(extension.values("approval_due")[:1]),
        ext_reason=Subquery(extension.values("reason")[:1])).first())
    due = ()
    if campaign is not None:
        own = (Extension(submission_due=campaign.ext_submission,
                         approval_due=campaign.ext_approval, reason=campaign.ext_reason)
               if campaign.ext_submission else None)
        due = due_dates(campaign, own, today or dates.today())
    points = latest_points(plan, year)
    by_indicator, by_action, whole = defaultdict(list), defaultdict(list), []
    for point in points:
        if point.indicator_id:
            by_indicator[point.indicator_id].append(point)
        elif point.action_id:
            by_action[point.action_id].append(point)
        else:
            whole.append(point)
    return hooks.YearNotices(
        due_dates=due, points_year=tuple(whole), by_indicator=dict(by_indicator),
        by_action=dict(by_action),
        corrections_url=reverse("campaigns:corrections", kwargs={"plan_id": plan.pk,
                                                                 "year": year})
        if points else "")


def latest_points(plan: Plan, year: int) -> list[CorrectionPoint]:
    """The corrections of the latest round asked on the plan year, with who asked and who
    answered (one query)."""
    points = correction_points(plan, year)
    latest = max((point.asked_in_id for point in points), default=None)
    return [point for point in points if point.asked_in_id == latest]


def correction_points(plan: Plan, year: int) -> list[CorrectionPoint]:
    """Every correction asked on the plan year, oldest round first, with its subject, who
    asked and who answered (one query)."""
    return list(CorrectionPoint.objects.filter(report__plan=plan, report__year=year)
                .select_related("asked_in__by", "answered_by", "indicator__action", "action"))


def correction_subjects(plan: Plan) -> list[tuple[str, str]]:
    """What a correction may be about: the whole year, each action, each indicator, in plan
    order (two queries)."""
    actions = list(Action.objects.filter(objective__orientation__plan=plan).order_by(
        "objective__orientation__position", "objective__orientation__code",
        "objective__position", "objective__code", "position", "code"))
    indicators = defaultdict(list)
    for indicator in Indicator.objects.filter(action__in=actions).order_by("position", "id"):
        indicators[indicator.action_id].append(indicator)
    choices = [("tout", str(_("L'année entière")))]
    for action in actions:
        choices.append((f"a{action.pk}", _("Action %(code)s — %(title)s") % {
            "code": action.code, "title": action.title[:80]}))
        choices += [(f"i{indicator.pk}", f"{action.code} · {indicator.label[:100]}")
                    for indicator in indicators[action.pk]]
    return choices


@dataclass(frozen=True)
class Reminder:
    """One e-mail due: to ``user``, about a pôle's due date (or, without a pôle, the
    ministry's summary once a due date has passed, with every pôle's ``rows``)."""

    key: str
    campaign: Campaign
    milestone: str
    moment: str
    due: datetime.date
    user: object
    plan: Plan | None = None
    rows: tuple = ()  # (plan, done, due) of every pôle, for the ministry's summary

    @property
    def pole(self) -> Pole | None:
        return self.plan.pole if self.plan else None


def reminders_due(today: datetime.date, days_before: Iterable[int]) -> list[Reminder]:
    """Every reminder due on ``today`` not already in the log, in a stable order.

    For each campaign, pôle and due date not yet met: the latest moment (days before, the
    day, each week late) reached on ``today``, to the pôle's coordinators and directors;
    for each due date passed: a summary to the ministry. Six queries whatever the number of
    campaigns and pôles.
    """
    days_before = tuple(days_before)
    campaigns = list(Campaign.objects.prefetch_related("extensions"))
    plans = campaign_plans_all([c.year for c in campaigns])
    reports = {(r.plan_id, r.year): r for r in YearReport.objects.filter(
        plan__in=[p.pk for plans_ in plans.values() for p in plans_])}
    people = defaultdict(list)
    for membership in (Membership.objects.filter(user__is_active=True)
                       .exclude(user__email="").select_related("user")
                       .order_by("user__username")):
        people[membership.pole_id if membership.role != Role.MINISTRY else None].append(
            membership)
    due = []
    for campaign in campaigns:
        extensions = {e.pole_id: e for e in campaign.extensions.all()}
        for milestone in Milestone:
            rows = []
            for plan in plans.get(campaign.year, []):
                report = reports.get((plan.pk, campaign.year))
                when = extension_due(campaign, extensions.get(plan.pole_id), milestone)
                done = milestone_done(milestone, report)
                rows.append((plan, done, when))
                moment = moment_of(when, today, days_before)
                if done or moment is None:
                    continue
                due += [Reminder(f"{campaign.pk}:{plan.pole_id}:{milestone}:{moment.key}:"
                                 f"{m.user_id}", campaign, milestone, moment.key, when, m.user,
                                 plan=plan)
                        for m in people[plan.pole_id]
                        if m.role in (Role.COORDINATOR, Role.DIRECTOR)]
            if today > campaign.due(milestone):
                due += [Reminder(f"{campaign.pk}:-:{milestone}:summary:{m.user_id}", campaign,
                                 milestone, "summary", campaign.due(milestone), m.user,
                                 rows=tuple(rows))
                        for m in people[None]]
    sent = set(ReminderSent.objects.filter(key__in=[r.key for r in due])
               .values_list("key", flat=True))
    return [reminder for reminder in due if reminder.key not in sent]


def campaign_plans_all(years: Iterable[int]) -> dict[int, list[Plan]]:
    """For each year, one plan per pôle covering it (one query)."""
    years = sorted(set(years))
    if not years:
        return {}
    plans = list(Plan.objects.filter(first_year__lte=max(years), last_year__gte=min(years))
                 .select_related("pole").order_by("pole__name", "-first_year", "-id"))
    by_year = {}
    for year in years:
        chosen: dict[int, Plan] = {}
        for plan in plans:
            if plan.first_year <= year <= plan.last_year:
                chosen.setdefault(plan.pole_id, plan)
        by_year[year] = list(chosen.values())
    return by_year


def user_reminders(user) -> list[ReminderSent]:
    """The reminders e-mailed to ``user``, newest first, with their campaign and pôle (one
    query)."""
    return list(ReminderSent.objects.filter(user=user).select_related("campaign", "pole")[:200])


def user_poles(user) -> list[Pole]:
    """The pôle of ``user``'s membership (none for the ministry), for the calendar link."""
    from indicators.access import membership_of

    membership = membership_of(user)
    return [membership.pole] if membership is not None and membership.pole_id else []
