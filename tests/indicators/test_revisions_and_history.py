"""Targets change with a reason; every change is kept and shown on the indicator's page."""

import pytest
from django.urls import reverse

from indicators.models import Result, Target, TargetRevision
from tests.conftest import entry_data, find_indicator

# Every write path leaves stored evaluations equal to a recomputation.
pytestmark = pytest.mark.usefixtures("evaluations_checked")

YEAR = 2025


def revise_url(indicator, year):
    return reverse("indicators:target_revise", args=[indicator.pk, year])


def test_director_sets_a_target_that_was_to_be_determined(client, cast, seed):
    indicator = find_indicator(seed["quebec"], "O2.8.1", "Nombre de création")
    client.force_login(cast["diane"])
    response = client.post(revise_url(indicator, "periode"), {"text": "Min 200"})
    assert response.status_code == 302
    target = Target.objects.get(indicator=indicator, year=None)
    assert (target.text, target.comparator) == ("Min 200", "at_least")
    revision = TargetRevision.objects.get(target=target)
    assert (revision.old_text, revision.new_text) == ("À déterminer", "Min 200")


def test_revision_after_results_requires_a_reason_kept_in_history(client, cast, seed):
    indicator = find_indicator(seed["monteregie"], "1.1.1", "Nb de projets")
    Result.objects.create(indicator=indicator, year=YEAR, value=1)
    client.force_login(cast["dora"])
    response = client.post(revise_url(indicator, YEAR), {"text": "2"})
    assert "indiquez le motif de la révision" in response.content.decode()
    assert Target.objects.get(indicator=indicator, year=YEAR).text == "1"
    client.post(revise_url(indicator, YEAR), {"text": "2", "reason": "Financement bonifié"})
    assert Target.objects.get(indicator=indicator, year=YEAR).text == "2"
    page = client.get(reverse("reporting:indicator", args=[indicator.pk])).content.decode()
    assert "Financement bonifié" in page
    assert "Cible 2025-2026" in page


def test_unreadable_revised_target_is_refused_with_the_text_named(client, cast, seed):
    indicator = find_indicator(seed["monteregie"], "1.1.1", "Nb de projets")
    client.force_login(cast["dora"])
    response = client.post(revise_url(indicator, YEAR), {"text": "beaucoup"})
    assert "La cible « beaucoup » n&#x27;est pas lisible" in response.content.decode()


def test_only_directors_and_staff_of_the_pole_revise_targets(client, cast, seed):
    indicator = find_indicator(seed["monteregie"], "1.1.1", "Nb de projets")
    for user, status in (("alice", 403), ("mina", 403), ("diane", 404)):
        client.force_login(cast[user])
        assert client.post(revise_url(indicator, YEAR), {"text": "3"}).status_code == status
    assert Target.objects.get(indicator=indicator, year=YEAR).text == "1"
    client.force_login(cast["sam"])
    assert client.post(revise_url(indicator, YEAR), {"text": "3"}).status_code == 302


def test_history_shows_who_changed_what_from_old_to_new(client, cast, seed):
    plan = seed["monteregie"]
    indicator = find_indicator(plan, "1.1.1", "Nb de projets")
    entry = reverse("indicators:entry", args=[plan.pk, YEAR])
    client.force_login(cast["alice"])
    client.post(entry, entry_data(plan, YEAR, **{f"i{indicator.pk}-value": "1"}))
    client.post(entry, entry_data(plan, YEAR, **{f"i{indicator.pk}-value": "3"}))
    client.force_login(cast["mina"])
    response = client.get(reverse("reporting:indicator", args=[indicator.pk]))
    changes = [(c.who, c.field, c.old, c.new) for c in response.context["changes"]]
    assert ("alice", "résultat", "1", "3") in changes
    assert ("alice", "résultat", "—", "1") in changes


def test_indicator_page_of_another_pole_is_404(client, cast, seed):
    indicator = find_indicator(seed["monteregie"], "1.1.1", "Nb de projets")
    client.force_login(cast["quentin"])
    assert client.get(reverse("reporting:indicator", args=[indicator.pk])).status_code == 404
