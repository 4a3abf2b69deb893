"""The year workflow: every gesture tried by every role, generated from the one table."""

import pytest
from django.core import mail
from django.urls import reverse

from indicators import workflow
from indicators.models import YearReport
from indicators.services import TransitionRefused, year_transition

# Every write path leaves stored evaluations equal to a recomputation.
pytestmark = pytest.mark.usefixtures("evaluations_checked")

YEAR = 2025

# Written out by hand, not read from the table: what each person may do, and who is told.
# alice/quentin coordinate Montérégie/Pôle Québec, dora/diane direct them, mina is ministry
# staff, sam is Django staff; the year is Montérégie's.
ALLOWED = {
    "submit": {"alice", "sam"},
    "approve": {"dora"},
    "return": {"dora"},
    "reopen": {"sam"},
    "correct": {"mina"},
    "recall": {"dora"},
}
MOVES = {
    "submit": ("draft", "submitted"),
    "approve": ("submitted", "approved"),
    "return": ("submitted", "draft"),
    "reopen": ("approved", "draft"),
    "correct": ("approved", "draft"),
    "recall": ("approved", "draft"),
}
NOTIFIED = {
    "submit": ["dora@example.org"],
    "approve": ["alice@example.org"],
    "return": ["alice@example.org"],
    "reopen": ["alice@example.org", "dora@example.org"],
    "correct": ["alice@example.org", "dora@example.org"],
    "recall": ["alice@example.org"],
}
PEOPLE = ["alice", "dora", "quentin", "diane", "mina", "sam"]


# Gestures made on their own page (``via``: corrections asked point by point) are tried there
# (tests/campaigns/test_corrections.py).
POSTED = [action for action, gesture in workflow.gestures().items() if not gesture.via]


@pytest.fixture
def not_filed(monkeypatch):
    """An approved year not yet filed: until filings exist, an approved year counts as filed
    (workflow.is_filed), so the director's « recall » is tried with filing switched off."""
    monkeypatch.setattr(workflow, "is_filed", lambda report: False)


def test_the_table_declares_exactly_the_six_gestures_and_their_moves():
    table = workflow.gestures()
    assert set(table) == set(ALLOWED)
    assert {name: (g.source, g.target) for name, g in table.items()} == MOVES


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("action", POSTED)
def test_each_gesture_is_allowed_only_to_its_roles_and_tells_the_right_people(
        client, cast, seed, action, person, django_capture_on_commit_callbacks, request):
    if action == "recall":
        request.getfixturevalue("not_filed")
    plan = seed["monteregie"]
    source, target = MOVES[action]
    YearReport.objects.create(plan=plan, year=YEAR, state=source)
    client.force_login(cast[person])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("indicators:year_transition", args=[plan.pk, YEAR]),
                               {"action": action, "comment": "Motif écrit",
                                "confirmed": "True"})
    state = YearReport.objects.get(plan=plan, year=YEAR).state
    if person in ALLOWED[action]:
        assert response.status_code == 302
        assert state == target
        assert [sorted(m.to) for m in mail.outbox] == [NOTIFIED[action]]
    else:
        # Another pôle's plan does not exist for its people; a role of this pôle that may
        # not make the gesture is refused.
        other_pole = person in ("quentin", "diane")
        assert response.status_code == (404 if other_pole else 403)
        assert state == source
        assert mail.outbox == []


@pytest.mark.parametrize("action", list(workflow.gestures()))
def test_a_gesture_from_the_wrong_state_is_refused(cast, seed, action):
    plan = seed["monteregie"]
    source, _target = MOVES[action]
    wrong = next(state for state in workflow.State if state != source)
    YearReport.objects.create(plan=plan, year=YEAR, state=wrong)
    with pytest.raises(TransitionRefused):
        year_transition(plan=plan, year=YEAR, action=action, user=cast["sam"])
    assert YearReport.objects.get(plan=plan, year=YEAR).state == wrong


def test_entry_page_shows_exactly_the_buttons_of_the_allowed_gestures(client, cast, seed):
    plan = seed["monteregie"]
    page = reverse("indicators:entry", args=[plan.pk, YEAR])
    YearReport.objects.create(plan=plan, year=YEAR, state="submitted")
    client.force_login(cast["dora"])
    html = client.get(page).content.decode()
    assert 'value="approve"' in html and 'value="return"' in html
    assert 'value="submit"' not in html and 'value="reopen"' not in html
    client.force_login(cast["alice"])
    html = client.get(page).content.decode()
    assert 'name="action"' not in html


def test_an_approved_year_counts_as_filed_so_only_the_ministry_may_return_it(cast, seed):
    report = YearReport.objects.create(plan=seed["monteregie"], year=YEAR, state="approved")
    assert workflow.is_filed(report)
    pole = seed["monteregie"].pole
    assert [g.action for g in workflow.available(report, cast["dora"], pole)] == []
    assert [g.action for g in workflow.available(report, cast["mina"], pole)] == ["correct"]
    with pytest.raises(TransitionRefused):
        year_transition(plan=seed["monteregie"], year=YEAR, action="recall", user=cast["dora"],
                        comment="Erreur")


def test_a_director_reopens_an_approved_year_not_yet_filed(cast, seed, not_filed):
    report = YearReport.objects.create(plan=seed["monteregie"], year=YEAR, state="approved")
    pole = seed["monteregie"].pole
    assert [g.action for g in workflow.available(report, cast["dora"], pole)] == ["recall"]
    assert workflow.available(report, cast["mina"], pole) == []
    year_transition(plan=seed["monteregie"], year=YEAR, action="recall", user=cast["dora"],
                    comment="Un résultat à revoir")
    report.refresh_from_db()
    assert report.state == "draft"
    assert report.transitions.get().comment == "Un résultat à revoir"


def test_a_gesture_made_on_its_own_page_cannot_be_posted_as_a_button(client, cast, seed):
    plan = seed["monteregie"]
    YearReport.objects.create(plan=plan, year=YEAR, state="approved")
    client.force_login(cast["mina"])
    response = client.post(reverse("indicators:year_transition", args=[plan.pk, YEAR]),
                           {"action": "correct", "comment": "Tout revoir"})
    assert response.status_code == 302
    assert YearReport.objects.get(plan=plan, year=YEAR).state == "approved"


@pytest.mark.parametrize(("state", "label"), [
    (None, "brouillon"), ("draft", "brouillon"), ("submitted", "soumise"),
    ("approved", "approuvée"),
])
def test_one_feminine_label_per_state(state, label):
    assert workflow.state_label(state) == label


def test_national_workbook_marks_a_year_not_approved(seed):
    report = YearReport(plan=seed["monteregie"], year=YEAR, state="submitted")
    assert workflow.approval_label(report) == "NON APPROUVÉE (soumise)"
    report.state = "approved"
    assert workflow.approval_label(report) == "approuvée"
    assert workflow.approval_label(None) == "NON APPROUVÉE (brouillon)"
