"""Writes that touch several rows or have side effects."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from indicators import boundary, hooks, workflow
from indicators.evaluations import evaluations_refresh
from indicators.formatting import person_name
from indicators.models import (
    Action,
    BreakdownMember,
    Indicator,
    Membership,
    Plan,
    Pole,
    Result,
    Target,
    TargetRevision,
    ThemeChange,
    YearReport,
    YearTransition,
    fiscal_year_label,
)

# Results written per statement by a save. SQLite allows 999 parameters a statement: 30
# rows of every result column (or of the CASE pairs of an update) stay within it.
RESULT_BATCH = 30


class YearLocked(Exception):
    """The year is not a draft: results cannot change until it is returned or reopened."""

    def __init__(self, state: str):
        super().__init__(state)
        self.state = state


class TransitionRefused(Exception):
    pass


class TargetLocked(Exception):
    """The target's year (for a whole-period target: the plan's last year) is submitted or
    approved: its target stays as judged until the year is returned or reopened."""

    def __init__(self, report: YearReport):
        super().__init__(report.state)
        self.report = report


@dataclass
class Entry:
    """One changed line of the entry page or sheet: what was typed, and the version it saw."""

    indicator: Indicator
    member: BreakdownMember | None
    fields: dict[str, Any]
    seen_version: int | None
    key: str = ""


@dataclass
class Conflict:
    entry: Entry
    current: Result | None


@dataclass
class SaveOutcome:
    """What a save did: the conflicts that refused it (nothing written), or how many results
    it wrote (lines whose values did not differ from the stored ones are not rewritten)."""

    conflicts: list[Conflict]
    written: int = 0


# Settings that enter an evaluation: they do not change under a submitted or approved year.
EVALUATION_SETTINGS = {
    Indicator: frozenset({"unit", "direction", "cumulative", "baseline", "breakdown_label",
                          "breakdown_additive", "target_scope", "action"}),
    Plan: frozenset({"first_year", "last_year", "year_start_month"}),
}


def plan_locked_years(plan: Plan) -> set[int]:
    """The plan's submitted or approved years (one query; the rule is
    ``boundary.locked_years``)."""
    return boundary.locked_years([plan.pk]).get(plan.pk, set())


def evaluation_settings_problem(instance: Indicator | Plan, changed: Iterable[str]) -> str:
    """Why ``changed`` fields of an existing indicator or plan may not change now ('' when
    they may): its plan has a submitted or approved year, whose judgements they would
    rewrite. The admin's forms and the plan import ask this one rule."""
    settings_fields = EVALUATION_SETTINGS.get(type(instance), frozenset())
    touched = sorted(set(changed) & settings_fields)
    if instance.pk is None or not touched:
        return ""
    plan = instance if isinstance(instance, Plan) else (
        Indicator.objects.select_related("action__objective__orientation__plan")
        .get(pk=instance.pk).action.objective.orientation.plan)
    locked = sorted(plan_locked_years(plan))
    if not locked:
        return ""
    labels = ", ".join(str(type(instance)._meta.get_field(name).verbose_name)
                       for name in touched)
    return _("%(fields)s : ces réglages entrent dans l'évaluation des années soumises ou "
             "approuvées (%(years)s) ; ils ne changent qu'une fois ces années rouvertes.") % {
        "fields": labels, "years": ", ".join(fiscal_year_label(y) for y in locked)}


def year_report(plan: Plan, year: int) -> YearReport:
    report, _created = YearReport.objects.get_or_create(plan=plan, year=year)
    return report


@boundary.service
def results_save(*, plan: Plan, year: int, user, entries: Iterable[Entry]) -> SaveOutcome:
    """Write every changed entry of one pôle-year in one transaction.

    Refuses the whole save when the year is not a draft (:class:`YearLocked`) or when someone
    else saved one of the same results since the page was loaded: the conflicts are returned
    and nothing is written, so the person sees the newer values and decides.
    """
    entries = list(entries)
    report = YearReport.objects.select_for_update().filter(plan=plan, year=year).first()
    if report is not None and not workflow.accepts_results(report):
        raise YearLocked(report.state)
    indicator_ids = {entry.indicator.pk for entry in entries}
    current = {
        (r.indicator_id, r.member_id): r
        # Lock only the result rows: PostgreSQL refuses FOR UPDATE on the nullable author join.
        for r in Result.objects.select_for_update(of=("self",)).select_related("updated_by")
        .filter(indicator_id__in=indicator_ids, year=year)
    }
    conflicts = []
    for entry in entries:
        result = current.get((entry.indicator.pk, entry.member.pk if entry.member else None))
        if (result.version if result else None) != entry.seen_version:
            conflicts.append(Conflict(entry, result))
    if conflicts:
        return SaveOutcome(conflicts)
    # The update names only the columns some line changed: each one costs a CASE over the rows.
    changed, created, fields = [], [], {"version", "updated_by", "updated_at"}
    for entry in entries:
        result = current.get((entry.indicator.pk, entry.member.pk if entry.member else None))
        add = result is None
        if add:
            result = Result(indicator=entry.indicator, member=entry.member, year=year)
            created.append(result)
        else:
            differing = {name for name, value in entry.fields.items()
                         if getattr(result, name) != value}
            if not differing:
                continue  # nothing changes: no version, no history row
            result.version += 1
            changed.append(result)
            fields.update(differing)
            if result.is_demo:
                fields.add("is_demo")
        for name, value in entry.fields.items():
            setattr(result, name, value)
        result.is_demo = False
        result.updated_by = user
        _before_bulk_write(result, add=add)
    # Rows and their history rows written in batches: 4 statements per RESULT_BATCH results
    # at most (new rows, changed rows, and the history of each), not 2 per result.
    try:
        if created:
            bulk_create_with_history(created, Result, batch_size=RESULT_BATCH, default_user=user,
                                     default_change_reason=_("Saisie"))
        if changed:
            bulk_update_with_history(changed, Result, sorted(fields), batch_size=RESULT_BATCH,
                                     default_user=user, default_change_reason=_("Saisie"))
    except IntegrityError:
        # Someone created the same result between our read and our write.
        transaction.set_rollback(True)
        return SaveOutcome([Conflict(entry, None) for entry in entries])
    year_report(plan, year)
    written = {result.indicator_id for result in (*created, *changed)}
    if written:
        # A year's evaluation reads no later year: earlier years keep theirs.
        evaluations_refresh(indicators=written, years=[y for y in plan.years if y >= year])
    return SaveOutcome([], written=len(created) + len(changed))


def _before_bulk_write(result: Result, *, add: bool) -> None:
    """What ``save()`` does to a row before writing it and bulk writes skip: stamp
    ``auto_now`` dates and store newly chosen files (the evidence)."""
    for field in result._meta.concrete_fields:
        if getattr(field, "auto_now", False) or (
                isinstance(field, models.FileField) and getattr(result, field.attname)):
            setattr(result, field.attname, field.pre_save(result, add))


def _recipients(plan: Plan, roles: Iterable[str]) -> list[str]:
    emails = Membership.objects.filter(pole=plan.pole, role__in=list(roles)).exclude(
        user__email="").values_list("user__email", flat=True)
    return sorted(set(emails))


@boundary.service
def year_transition(*, plan: Plan, year: int, action: str, user, comment: str = "",
                    url: str = "", notify: bool = True) -> YearReport:
    """Move the pôle-year to its next state, record who and when, and e-mail those concerned.

    The gesture (its states and who is told) comes from :mod:`indicators.workflow`.
    A year's state does not enter any evaluation (a year is judged over by the date alone),
    so the stored evaluations are left as they are.
    Permission is checked by the caller (the view); this refuses transitions that do not
    start from the report's current state. ``notify=False`` e-mails no one (the demo data).
    """
    gesture = workflow.gesture(action)
    if gesture is None:
        raise TransitionRefused(_("Geste inconnu."))
    source, target = gesture.source, gesture.target
    report = year_report(plan, year)
    report = YearReport.objects.select_for_update().get(pk=report.pk)
    if report.state != source or not gesture.applies(report):
        raise TransitionRefused(_("L'année est « %(state)s » : ce geste n'est pas possible.")
                                % {"state": workflow.state_label(report)})
    now = timezone.now()
    YearTransition.objects.create(report=report, from_state=source, to_state=target,
                                  action=action, comment=comment, by=user, at=now)
    report.state, report.changed_by, report.changed_at = target, user, now
    report.save(update_fields=["state", "changed_by", "changed_at"])
    if target == workflow.State.APPROVED:
        hooks.year_approved(plan=plan, year=year, user=user, at=now, comment=comment)

    recipients = _recipients(plan, gesture.notified) if notify else []
    if recipients:
        subject = _("[Pôle Plan] %(pole)s %(year)s : reddition %(verb)s") % {
            "pole": plan.pole.name, "year": fiscal_year_label(year),
            "verb": gesture.verb}
        who = person_name(user)
        body = _("La reddition %(year)s du %(pole)s a été %(verb)s par %(who)s le %(when)s.") % {
            "year": fiscal_year_label(year), "pole": plan.pole.name,
            "verb": gesture.verb, "who": who,
            "when": timezone.localtime(now).strftime("%Y-%m-%d %H:%M")}
        if comment:
            body += "\n\n" + _("Commentaire : %(comment)s") % {"comment": comment}
        if url:
            body += "\n\n" + url
        transaction.on_commit(lambda: send_mass_mail(
            [(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)], fail_silently=False))
    return report


@boundary.service
def target_revise(*, indicator: Indicator, year: int | None, text: str, reason: str,
                  user) -> Target:
    """Set a target's text (creating it if the year had none) and keep the revision.

    Refuses with :class:`TargetLocked` when the target's year is submitted or approved (for a
    whole-period target: the plan's last year); the year report is locked for the check.
    """
    plan = indicator.action.objective.orientation.plan
    report = (YearReport.objects.select_for_update()
              .filter(plan=plan, year=workflow.target_governing_year(plan, year)).first())
    if report is not None and workflow.freezes_targets(report):
        raise TargetLocked(report)
    target = Target.objects.select_for_update().filter(indicator=indicator, year=year).first()
    old_text = target.text if target else ""
    if target is None:
        target = Target(indicator=indicator, year=year)
    target.text = text
    target._change_reason = reason or _("Révision de cible")
    target.save()
    if old_text != text:
        TargetRevision.objects.create(target=target, old_text=old_text, new_text=text,
                                      reason=reason, revised_by=user)
    evaluations_refresh(indicators=[indicator])
    return target


@boundary.service
def pole_publish(*, pole: Pole, public: bool, user=None) -> bool:
    """Publish (or withdraw) the pôle's public page and open data; True when it changed.

    Publication enters no evaluation and no year's lock: only the flag changes."""
    if pole.public == public:
        return False
    pole.public = public
    pole.save(update_fields=["public"])
    return True


def demo_users_create(poles, password_for) -> list[tuple[str, str, str]]:
    """Create the demo accounts (coordinator and director per pôle, ministry, staff)."""
    User = get_user_model()
    created = []

    def ensure(username, role, pole=None, **extra):
        user, _new = User.objects.get_or_create(username=username, defaults={
            "email": f"{username}@demo.poleplan.local", **extra})
        user.set_password(password_for(username))
        for name, value in extra.items():
            setattr(user, name, value)
        user.save()
        if role:
            Membership.objects.update_or_create(user=user, defaults={"role": role, "pole": pole})
        created.append((username, password_for(username), str(pole or "")))

    for pole in poles:
        ensure(f"coordo-{pole.code}", Membership.Role.COORDINATOR, pole,
               first_name="Coordination", last_name=pole.region or pole.code)
        ensure(f"direction-{pole.code}", Membership.Role.DIRECTOR, pole,
               first_name="Direction", last_name=pole.region or pole.code)
    ensure("ministere", Membership.Role.MINISTRY, None, first_name="Analyste", last_name="MES")
    ensure("admin", None, None, is_staff=True, is_superuser=True)
    return created


@boundary.service
def action_themes_set(*, plan: Plan, attachments: dict[int, set[int]], user) -> int:
    """Attach each action of ``plan`` to exactly the MES themes given (action id → theme ids),
    and log every theme attached or detached in :class:`ThemeChange`. Actions not in
    ``attachments`` are left as they are. Returns the number of changes."""
    actions = {action.pk: action for action in Action.objects.filter(
        objective__orientation__plan=plan, pk__in=list(attachments)).prefetch_related("themes")}
    now = timezone.now()
    log = []
    with transaction.atomic():
        for action_id, wanted in attachments.items():
            action = actions[action_id]
            current = {theme.pk for theme in action.themes.all()}
            added, removed = wanted - current, current - wanted
            if added:
                action.themes.add(*added)
            if removed:
                action.themes.remove(*removed)
            log += [ThemeChange(action=action, theme_id=theme_id, attached=True, by=user, at=now)
                    for theme_id in sorted(added)]
            log += [ThemeChange(action=action, theme_id=theme_id, attached=False, by=user,
                                at=now) for theme_id in sorted(removed)]
        ThemeChange.objects.bulk_create(log)
    return len(log)
