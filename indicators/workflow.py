"""The year workflow, declared once: its states and the gestures that move a year between them.

A pôle's reporting year (« la reddition », « l'année ») is a draft until the coordination
submits it; the direction then approves it or returns it for correction; Django staff may
reopen an approved year; the ministry asks for corrections on a filed year, and a director
may reopen their approved year before it is filed. Services, views, forms, templates,
dashboards and exports all read this module: a state's label, who may make a gesture and who
is told come from here only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class State(models.TextChoices):
    """A reporting year's state; the label agrees with « la reddition » / « l'année »."""

    DRAFT = "draft", gettext_lazy("brouillon")
    SUBMITTED = "submitted", gettext_lazy("soumise")
    APPROVED = "approved", gettext_lazy("approuvée")


# Results can be entered (on the page or through the sheet) only in these states.
OPEN_STATES = frozenset({State.DRAFT})


@dataclass(frozen=True)
class Gesture:
    """One move of the workflow: from a state to another, by whom, and who is told."""

    action: str  # the value posted by the button and stored on YearTransition.action
    source: State
    target: State
    may: Callable[[Any, Any], bool]  # (user, pole) -> allowed
    notified: tuple[str, ...]  # Membership roles e-mailed once the gesture is committed
    label: str  # the button on the entry page
    verb: str  # « la reddition … a été <verb> » in the e-mail
    done: str  # the message shown once the gesture is made
    primary: bool = False
    comment_required: str = ""  # when a comment is required: the message if it is missing
    comment_label: str = ""  # label of the comment box shown with the button, if any
    # The label of the gesture's own comment box (the pôle dashboard's review, the page of a
    # refused gesture), when it differs from the one the entry page's buttons share.
    own_comment_label: str = ""
    # When the gesture asks for confirmation: what it locks (%(year)s). The confirmation also
    # says what the year still lacks (indicators.progress.year_missing).
    confirm: str = ""
    # When the gesture also depends on the year itself, not only its state (report -> bool).
    when: Callable[[Any], bool] | None = None
    # The URL name (plan id, year) of the page where the gesture is made, when it needs more
    # than a comment (the corrections asked point by point); its buttons become links there.
    via: str = ""

    @property
    def box_label(self) -> str:
        """The label of the gesture's own comment box: required, or « facultatif »."""
        if self.own_comment_label:
            return str(self.own_comment_label)
        if self.comment_required:
            return str(self.comment_label)
        return _("Commentaire (facultatif)")

    def applies(self, report) -> bool:
        """Whether the gesture can be made on ``report`` now (its state, then ``when``)."""
        return state_of(report) == self.source and (self.when is None or self.when(report))


@cache
def gestures() -> dict[str, Gesture]:
    """Every gesture by action name, in the order the entry page shows them.

    Built on first use: it reads the access rules and roles, which themselves read the models
    that use :class:`State`.
    """
    from indicators import access
    from indicators.models import Membership

    role = Membership.Role
    review = gettext_lazy("Commentaire (obligatoire pour retourner)")
    table = [
        Gesture("submit", State.DRAFT, State.SUBMITTED, access.can_enter,
                (role.DIRECTOR,), gettext_lazy("Soumettre à la direction"),
                gettext_lazy("soumise"), gettext_lazy("Année soumise à la direction."),
                primary=True,
                confirm=gettext_lazy(
                    "Soumettre l'année %(year)s à la direction la verrouille : ses résultats et "
                    "ses cibles ne pourront plus être modifiés, ni sur la page ni par la "
                    "feuille de saisie, tant que la direction ne l'aura pas retournée pour "
                    "correction. La direction en sera avisée par courriel.")),
        Gesture("approve", State.SUBMITTED, State.APPROVED, access.can_approve,
                (role.COORDINATOR,), gettext_lazy("Approuver"), gettext_lazy("approuvée"),
                gettext_lazy("Année approuvée : ses résultats sont verrouillés."),
                primary=True, comment_label=review,
                confirm=gettext_lazy(
                    "Une fois approuvée, l'année %(year)s est verrouillée : ses résultats, ses "
                    "cibles et l'état de ses actions ne pourront plus être modifiés, ni sur la "
                    "page ni par la feuille de saisie, et la reddition est déposée auprès du "
                    "ministère. Seuls le ministère (en demandant des corrections) et "
                    "l'administration de Pôle Plan pourront la rouvrir. La coordination en "
                    "sera avisée par courriel.")),
        Gesture("return", State.SUBMITTED, State.DRAFT, access.can_approve,
                (role.COORDINATOR,), gettext_lazy("Retourner pour correction"),
                gettext_lazy("retournée pour correction"),
                gettext_lazy("Année retournée à la coordination pour correction."),
                comment_required=gettext_lazy("Expliquez ce qui doit être revu avant de "
                                              "retourner l'année."),
                comment_label=review,
                own_comment_label=gettext_lazy("Motif du retour (obligatoire)")),
        Gesture("reopen", State.APPROVED, State.DRAFT,
                lambda user, pole: access.can_reopen(user),
                (role.COORDINATOR, role.DIRECTOR), gettext_lazy("Rouvrir l'année"),
                gettext_lazy("rouverte"),
                gettext_lazy("Année rouverte : la coordination peut de nouveau saisir."),
                comment_label=gettext_lazy("Motif de la réouverture")),
        Gesture("correct", State.APPROVED, State.DRAFT,
                lambda user, pole: access.can_ask_corrections(user),
                (role.COORDINATOR, role.DIRECTOR), gettext_lazy("Demander des corrections"),
                gettext_lazy("retournée pour corrections par le ministère"),
                gettext_lazy("Corrections demandées : l'année est retournée à la coordination."),
                when=lambda report: is_filed(report), via="campaigns:corrections_ask"),
        Gesture("recall", State.APPROVED, State.DRAFT, access.can_approve,
                (role.COORDINATOR,), gettext_lazy("Rouvrir l'année avant son dépôt"),
                gettext_lazy("rouverte par la direction"),
                gettext_lazy("Année rouverte : la coordination peut de nouveau saisir."),
                comment_required=gettext_lazy("Donnez le motif de la réouverture."),
                comment_label=gettext_lazy("Motif de la réouverture (obligatoire)"),
                when=lambda report: not is_filed(report)),
    ]
    return {gesture.action: gesture for gesture in table}


def gesture(action: str) -> Gesture | None:
    return gestures().get(action)


def state_of(report) -> State:
    """The state of a YearReport, a draft when the year has none yet."""
    return State(report.state) if report is not None else State.DRAFT


def is_filed(report) -> bool:
    """Whether the year is filed with the ministry (« déposée »).

    Until the annual report and its filing exist (issue 25), an approved year counts as
    filed: this is the one place that says so. The ministry asks for corrections on a filed
    year; a director may reopen their approved year only before it is filed.
    """
    return state_of(report) == State.APPROVED


def state_label(report_or_state) -> str:
    """The one label of a year's state: pass a YearReport, None (a draft) or a state."""
    if report_or_state is None or isinstance(report_or_state, str):
        return str(State(report_or_state or State.DRAFT).label)
    return str(state_of(report_or_state).label)


def approval_label(report) -> str:
    """The state as the national workbook marks it: any year not approved stands out."""
    state = state_of(report)
    if state == State.APPROVED:
        return state_label(state)
    return _("NON APPROUVÉE (%(state)s)") % {"state": state_label(state)}


def year_due(plan, report_of: Callable[[int], Any]) -> int:
    """The year a pôle is reporting on now: the fiscal year that ended last, until it is
    approved (filed), else the running one. ``report_of(year)`` gives a year's report."""
    running = plan.current_year()
    previous = running - 1
    if previous in plan.years and state_of(report_of(previous)) != State.APPROVED:
        return previous
    return running


def accepts_results(report) -> bool:
    """Whether results of the year may still change."""
    return state_of(report) in OPEN_STATES


def freezes_targets(report) -> bool:
    """Whether the year's targets are frozen: once submitted or approved, the plan's words for
    that year stay as they were judged until a gesture brings the year back to a draft."""
    return not accepts_results(report)


def target_governing_year(plan, year: int | None) -> int:
    """The reporting year whose state decides whether a target may change: its own year, or
    the plan's last year for a whole-period target (judged at the end of the period)."""
    return plan.last_year if year is None else year


def unlocking(report, user, pole) -> list[Gesture]:
    """The gestures ``user`` may make now that bring the year back to a state that accepts
    changes (returning a submitted year, reopening an approved one)."""
    return [g for g in available(report, user, pole) if g.target in OPEN_STATES]


def unlockers(report) -> list[Gesture]:
    """Every gesture, whoever may make it, that brings the year back to an open state."""
    return [g for g in gestures().values() if g.applies(report) and g.target in OPEN_STATES]


def available(report, user, pole) -> list[Gesture]:
    """The gestures ``user`` may make on the year now (the entry page's buttons)."""
    return [g for g in gestures().values() if g.applies(report) and g.may(user, pole)]


# Submitting is confirmed on the entry page (it locks the coordination's entry); the pôle
# dashboard offers the review gestures that follow it.
DASHBOARD_ACTIONS = frozenset({"approve", "return", "reopen", "correct", "recall"})


def dashboard_gestures(report, user, pole) -> list[Gesture]:
    """The gestures the pôle dashboard offers ``user`` on the year now (a subset of
    :func:`available`: who may make them is still decided by the table above)."""
    return [g for g in available(report, user, pole) if g.action in DASHBOARD_ACTIONS]


def comment_label(options: list[Gesture]) -> str:
    """The label of the comment box shown with these buttons ('' when none takes one)."""
    return next((str(g.comment_label) for g in options if g.comment_label), "")
