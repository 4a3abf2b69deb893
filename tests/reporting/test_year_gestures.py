"""The pôle dashboard offers a director the year's gestures (approve, return with a reason)
with what they need to decide: the missing results, each linked."""

import pytest
from django.urls import reverse

from indicators import workflow
from indicators.models import YearReport
from indicators.services import year_transition
from tests.conftest import find_indicator, make_result

YEAR = 2024


@pytest.fixture
def submitted(seed, cast):
    plan = seed["monteregie"]
    make_result(find_indicator(plan, "1.1.1", "Nb de projets"), YEAR, 2)
    make_result(find_indicator(plan, "1.1.4", "Nb de rencontres"), YEAR, 10)
    year_transition(plan=plan, year=YEAR, action="submit", user=cast["alice"])
    return plan


def dashboard(plan, year=YEAR):
    return reverse("reporting:pole", args=[plan.pk]) + f"?annee={year}"


def transition_url(plan, year=YEAR):
    return reverse("indicators:year_transition", args=[plan.pk, year])


def state(plan, year=YEAR):
    return workflow.state_of(YearReport.objects.filter(plan=plan, year=year).first())


def test_director_sees_approve_and_return_with_the_missing_results(client, cast, submitted):
    client.force_login(cast["dora"])
    response = client.get(dashboard(submitted))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="year-review"' in html
    assert 'value="approve"' in html and 'value="return"' in html
    assert 'value="submit"' not in html
    assert [g.action for g in response.context["gestures"]] == ["approve", "return"]
    missing = response.context["missing"]
    # Two results entered, one indicator without a target for the year (« Non évaluable »):
    # the review lists what the « Sans résultat » count counts.
    assert len(missing) == submitted_total(submitted) - 3
    assert len(missing) == response.context["summary"].counts["sans_resultat"]
    assert f"{len(missing)} indicateurs n'ont pas de résultat cette année" in html
    first = missing[0].indicator
    assert reverse("reporting:indicator", args=[first.pk]) in html
    # The entry line in its orientation's section (a long plan shows one at a time).
    assert (reverse("indicators:entry", args=[submitted.pk, YEAR])
            + f"?orientation={missing[0].orientation.pk}#i{first.pk}") in html


def submitted_total(plan):
    from indicators.selectors import plan_progress

    return len(plan_progress(plan, YEAR))


@pytest.mark.parametrize("role", ["alice", "mina", "sam"])
def test_coordinator_ministry_and_staff_see_no_approval(client, cast, submitted, role):
    client.force_login(cast[role])
    response = client.get(dashboard(submitted))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="approve"' not in html
    assert 'value="return"' not in html
    assert 'data-testid="year-review"' not in html


def test_a_draft_year_offers_the_director_no_gesture(client, cast, seed):
    client.force_login(cast["dora"])
    response = client.get(dashboard(seed["monteregie"], 2025))
    assert response.status_code == 200
    assert response.context["gestures"] == []
    assert 'data-testid="year-review"' not in response.content.decode()


def test_staff_is_offered_to_reopen_an_approved_year_on_the_dashboard(client, cast, submitted):
    year_transition(plan=submitted, year=YEAR, action="approve", user=cast["dora"])
    client.force_login(cast["sam"])
    response = client.get(dashboard(submitted))
    assert response.status_code == 200
    assert [g.action for g in response.context["gestures"]] == ["reopen"]


def test_director_approves_from_the_dashboard_and_comes_back_to_it(client, cast, submitted):
    client.force_login(cast["dora"])
    response = client.post(transition_url(submitted), {
        "action": "approve", "comment": "", "next": dashboard(submitted), "confirmed": "True"})
    assert response.status_code == 302
    assert response["Location"] == dashboard(submitted)
    assert state(submitted) == workflow.State.APPROVED
    page = client.get(response["Location"])
    assert "Année approuvée" in page.content.decode()
    assert page.context["state_label"] == "approuvée"


def test_returning_without_a_reason_is_refused_with_an_error_summary_linking_to_the_box(
        client, cast, submitted):
    """A refused return shows the gesture on its own page: an error summary (focused by the
    page's script) whose link goes to the reason's box, the box labelled as on the dashboard
    and described by its error, what was typed kept; « Annuler » goes back where it came
    from, and posting the reason from there returns the year."""
    client.force_login(cast["dora"])
    response = client.post(transition_url(submitted), {
        "action": "return", "comment": "  ", "next": dashboard(submitted)})
    assert response.status_code == 400
    html = response.content.decode()
    summary = html[html.index('data-testid="error-summary"'):]
    summary = summary[:summary.index("</div>")]
    assert "data-error-summary" in html and 'tabindex="-1"' in html
    assert ('<a href="#id_comment">Motif du retour (obligatoire) : Expliquez ce qui doit être '
            "revu avant de retourner l&#x27;année.</a>") in summary
    assert '<label for="id_comment">Motif du retour (obligatoire)</label>' in html
    assert 'aria-describedby="id_comment_error"' in html and 'aria-invalid="true"' in html
    assert f'href="{dashboard(submitted)}"' in html  # « Annuler »
    assert 'name="confirmed"' not in html  # returning asks for no confirmation
    assert state(submitted) == workflow.State.SUBMITTED
    response = client.post(transition_url(submitted), {
        "action": "return", "comment": "Ajouter les preuves", "next": dashboard(submitted)})
    assert response["Location"] == dashboard(submitted)
    assert state(submitted) == workflow.State.DRAFT


def test_a_refused_gesture_by_someone_who_may_not_make_it_is_forbidden(client, cast,
                                                                       submitted):
    client.force_login(cast["alice"])
    response = client.post(transition_url(submitted), {"action": "return", "comment": ""})
    assert response.status_code == 403


def test_an_unknown_gesture_goes_back_with_a_message(client, cast, submitted):
    client.force_login(cast["dora"])
    response = client.post(transition_url(submitted), {
        "action": "correct", "next": dashboard(submitted)}, follow=True)
    assert response.redirect_chain[-1][0] == dashboard(submitted)
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert state(submitted) == workflow.State.SUBMITTED


def test_director_returns_with_a_reason(client, cast, submitted):
    client.force_login(cast["dora"])
    response = client.post(transition_url(submitted), {
        "action": "return", "comment": "Ajouter les preuves", "next": dashboard(submitted)})
    assert response["Location"] == dashboard(submitted)
    assert state(submitted) == workflow.State.DRAFT


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", ""])
def test_a_foreign_or_missing_next_falls_back_to_the_entry_page(client, cast, submitted,
                                                                next_url):
    client.force_login(cast["dora"])
    response = client.post(transition_url(submitted), {
        "action": "approve", "next": next_url, "confirmed": "True"})
    assert response.status_code == 302
    assert response["Location"] == reverse("indicators:entry", args=[submitted.pk, YEAR])


def test_coordinator_cannot_approve_by_posting(client, cast, submitted):
    client.force_login(cast["alice"])
    response = client.post(transition_url(submitted), {"action": "approve",
                                                       "next": dashboard(submitted)})
    assert response.status_code == 403
    assert state(submitted) == workflow.State.SUBMITTED


def test_director_of_another_pole_gets_404(client, cast, submitted):
    client.force_login(cast["diane"])
    response = client.post(transition_url(submitted), {"action": "approve"})
    assert response.status_code == 404
    assert client.get(dashboard(submitted)).status_code == 404


def test_dashboard_with_gestures_costs_a_fixed_number_of_queries(
        client, cast, submitted, django_assert_num_queries):
    client.force_login(cast["dora"])
    # The pôle dashboard's 12 queries (its statuses read from the stored evaluations) plus
    # the plan's register rules, read once, and the campaign's due dates and corrections
    # asked (two, hooks.year_notices).
    # +1: the shown actions' progress (issue 25).
    with django_assert_num_queries(16):
        response = client.get(dashboard(submitted))
        assert response.status_code == 200
        assert len(response.context["missing"]) > 50
