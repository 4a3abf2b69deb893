"""Approval freezes the year, targets included (issue 17, item 1)."""

import pytest
from django.urls import reverse

from indicators import services, workflow
from indicators.models import Target, TargetRevision, YearReport
from tests.conftest import find_indicator

YEAR = 2024


def revise_url(indicator, year):
    return reverse("indicators:target_revise", args=[indicator.pk, year])


def set_state(plan, year, state):
    YearReport.objects.update_or_create(plan=plan, year=year, defaults={"state": state})


@pytest.fixture
def indicator(seed):
    return find_indicator(seed["monteregie"], "1.1.1", "Nb de projets")


def target_text(indicator, year=YEAR):
    return Target.objects.get(indicator=indicator, year=year).text


@pytest.mark.parametrize("state", [workflow.State.SUBMITTED, workflow.State.APPROVED])
def test_director_cannot_revise_a_target_of_a_submitted_or_approved_year(
        client, cast, seed, indicator, state):
    set_state(seed["monteregie"], YEAR, state)
    client.force_login(cast["dora"])
    response = client.post(revise_url(indicator, YEAR), {"text": "Min 5", "reason": "x"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "ses cibles sont figées" in page
    assert "La révision n'a pas été enregistrée." in page
    assert target_text(indicator) == "1"
    assert not TargetRevision.objects.filter(target__indicator=indicator).exists()


def test_director_on_a_submitted_year_is_offered_to_return_it(client, cast, seed, indicator):
    set_state(seed["monteregie"], YEAR, workflow.State.SUBMITTED)
    client.force_login(cast["dora"])
    response = client.get(revise_url(indicator, YEAR))
    assert response.status_code == 200
    page = response.content.decode()
    assert "L'année 2024-2025 est soumise" in page
    assert 'value="return"' in page
    assert reverse("indicators:year_transition", args=[seed["monteregie"].pk, YEAR]) in page
    assert 'name="text"' not in page


def test_director_on_an_approved_year_is_told_who_may_reopen(client, cast, seed, indicator):
    set_state(seed["monteregie"], YEAR, workflow.State.APPROVED)
    client.force_login(cast["dora"])
    page = client.get(revise_url(indicator, YEAR)).content.decode()
    assert "L'année 2024-2025 est approuvée" in page
    assert 'value="reopen"' not in page
    assert "Seule une personne autorisée à « Rouvrir l&#x27;année »" in page


def test_staff_on_an_approved_year_is_offered_to_reopen_then_revises(
        client, cast, seed, indicator):
    plan = seed["monteregie"]
    set_state(plan, YEAR, workflow.State.APPROVED)
    client.force_login(cast["sam"])
    page = client.get(revise_url(indicator, YEAR)).content.decode()
    assert 'value="reopen"' in page
    response = client.post(reverse("indicators:year_transition", args=[plan.pk, YEAR]),
                           {"action": "reopen", "comment": "Cible à corriger"})
    assert response.status_code == 302
    response = client.post(revise_url(indicator, YEAR), {"text": "Min 5", "reason": "Erreur"})
    assert response.status_code == 302
    assert target_text(indicator) == "Min 5"


def test_coordinator_ministry_and_other_pole_still_cannot_reach_a_frozen_target(
        client, cast, seed, indicator):
    set_state(seed["monteregie"], YEAR, workflow.State.APPROVED)
    for user, status in (("alice", 403), ("mina", 403), ("diane", 404), ("quentin", 404)):
        client.force_login(cast[user])
        assert client.get(revise_url(indicator, YEAR)).status_code == status
        assert client.post(revise_url(indicator, YEAR), {"text": "3"}).status_code == status
    assert target_text(indicator) == "1"


def test_a_draft_or_returned_year_keeps_its_targets_revisable(client, cast, seed, indicator):
    set_state(seed["monteregie"], YEAR, workflow.State.DRAFT)
    client.force_login(cast["dora"])
    assert client.post(revise_url(indicator, YEAR), {"text": "3"}).status_code == 302
    assert target_text(indicator) == "3"


def test_a_frozen_year_does_not_freeze_the_other_years(client, cast, seed, indicator):
    set_state(seed["monteregie"], YEAR, workflow.State.APPROVED)
    client.force_login(cast["dora"])
    assert client.post(revise_url(indicator, 2025), {"text": "7"}).status_code == 302
    assert target_text(indicator, 2025) == "7"


def test_whole_period_target_is_frozen_once_the_plans_last_year_is_approved(client, cast, seed):
    plan = seed["quebec"]
    indicator = find_indicator(plan, "O2.8.1", "Nombre de création")
    client.force_login(cast["diane"])
    set_state(plan, plan.first_year, workflow.State.APPROVED)
    # The first year approved does not freeze a target judged at the end of the period.
    assert client.get(revise_url(indicator, "periode")).status_code == 200
    set_state(plan, plan.last_year, workflow.State.APPROVED)
    response = client.post(revise_url(indicator, "periode"), {"text": "Min 200"})
    assert response.status_code == 409
    assert "ses cibles sont figées" in response.content.decode()
    assert Target.objects.get(indicator=indicator, year=None).text == "À déterminer"


def test_the_service_refuses_a_frozen_target_whoever_calls_it(cast, seed, indicator):
    set_state(seed["monteregie"], YEAR, workflow.State.APPROVED)
    with pytest.raises(services.TargetLocked):
        services.target_revise(indicator=indicator, year=YEAR, text="Min 5", reason="",
                               user=cast["sam"])
    assert target_text(indicator) == "1"
