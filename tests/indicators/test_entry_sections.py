"""A large plan's entry page shows one orientation at a time (issue: the entry page at scale):
the jump list moves between sections, a save writes only the section it showed and comes back
to it, and the headline still counts the whole plan."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Action, Membership, Objective, Orientation, Result
from tests.conftest import entry_data, make_indicator, make_plan, make_result, make_user

pytestmark = pytest.mark.usefixtures("evaluations_checked")

YEAR = 2025  # 2025-2026, closed on 2026-03-31


def url(plan, orientation=None):
    base = reverse("indicators:entry", args=[plan.pk, YEAR])
    return base if orientation is None else f"{base}?orientation={orientation.pk}"


@pytest.fixture
def large(db, settings):
    """A plan of six indicators in two orientations, above a threshold of four."""
    settings.ENTRY_SECTION_THRESHOLD = 4
    plan = make_plan("grand")
    first = [make_indicator(plan, f"Nb de projets {n}", targets={YEAR: "2"},
                            action_code=f"1.1.{n}") for n in range(1, 4)]
    # make_indicator puts every action under orientation 1; these move to orientation 2.
    second = [make_indicator(plan, f"Nb de visites {n}", targets={YEAR: "5"},
                             action_code=f"9.9.{n}") for n in range(1, 4)]
    two, _ = Orientation.objects.get_or_create(
        plan=plan, code="2", defaults={"title": "Deuxième orientation", "position": 1})
    objective = Objective.objects.create(orientation=two, code="2.1", title="Objectif 2.1")
    Action.objects.filter(code__startswith="9.9.").update(objective=objective)
    make_result(first[0], YEAR, 3, comment="Bilan de section 1")  # refreshes evaluations too
    from indicators.evaluations import evaluations_refresh
    evaluations_refresh(plan=plan)
    coordinator = make_user("coco-grand", Membership.Role.COORDINATOR, plan.pole)
    return {"plan": plan, "first": first, "second": second, "user": coordinator,
            "one": Orientation.objects.get(plan=plan, code="1"), "two": two}


def shown_labels(response):
    return [line.item.indicator.label for line in response.context["page"].lines]


def test_a_large_plan_opens_on_its_first_orientation_with_the_whole_plan_headline(
        client, large):
    client.force_login(large["user"])
    response = client.get(url(large["plan"]))
    assert response.status_code == 200
    assert shown_labels(response) == ["Nb de projets 1", "Nb de projets 2", "Nb de projets 3"]
    page = response.content.decode()
    assert "Nb de visites 1" not in page
    # The headline counts all six indicators, not the three shown.
    summary = response.context["summary"]
    assert (summary.total, summary.entered) == (6, 1)
    assert "1 indicateur sur 6 a un résultat" in page
    assert "une orientation est affichée à la fois" in page


def test_the_jump_list_leads_to_the_other_orientation_and_marks_the_one_shown(client, large):
    client.force_login(large["user"])
    response = client.get(url(large["plan"]))
    links = response.context["jump_list"]
    assert [(link.code, link.missing, link.current) for link in links] == [
        ("1", 2, True), ("2", 3, False)]
    page = response.content.decode()
    assert f'href="{url(large["plan"], large["two"])}"' in page
    response = client.get(links[1].href)
    assert response.status_code == 200
    assert shown_labels(response) == ["Nb de visites 1", "Nb de visites 2", "Nb de visites 3"]
    assert [link.current for link in response.context["jump_list"]] == [False, True]
    # The form posts back to the section it shows.
    assert f'action="{url(large["plan"], large["two"])}"' in response.content.decode()


def test_a_save_in_section_two_leaves_section_one_untouched_and_returns_to_section_two(
        client, large):
    plan, visit, kept = large["plan"], large["second"][0], large["first"][0]
    before = Result.objects.get(indicator=kept, year=YEAR)
    client.force_login(large["user"])
    data = entry_data(plan, YEAR, orientation=large["two"].pk, **{f"i{visit.pk}-value": "7"})
    assert not any(key.startswith(f"i{kept.pk}-") for key in data)  # section 1 is not posted
    response = client.post(url(plan, large["two"]), data)
    assert response.status_code == 302
    assert response.url == url(plan, large["two"])
    assert Result.objects.get(indicator=visit, year=YEAR).value == Decimal(7)
    after = Result.objects.get(indicator=kept, year=YEAR)
    assert (after.value, after.comment, after.version) == (
        before.value, "Bilan de section 1", before.version)
    assert Result.objects.filter(year=YEAR).count() == 2
    response = client.get(response.url)
    assert "1 résultat enregistré." in response.content.decode()
    changes = response.context["status_changes"]
    assert [(c["indicator"], c["old"], c["new"]) for c in changes] == [
        ("Nb de visites 1", "Sans résultat", "Atteinte")]
    assert changes[0]["href"] == f"{url(plan, large['two'])}#i{visit.pk}"


def test_lines_a_page_did_not_post_are_never_read_as_emptied(client, large):
    """Section 2's lines posted to section 1's address: section 1's lines were not posted,
    so nothing of section 1 is written (and section 2 is not the section being saved)."""
    plan, kept = large["plan"], large["first"][0]
    client.force_login(large["user"])
    data = entry_data(plan, YEAR, orientation=large["two"].pk,
                      **{f"i{large['second'][0].pk}-value": "7"})
    response = client.post(url(plan, large["one"]), data)
    assert response.status_code == 302
    assert Result.objects.get(indicator=kept, year=YEAR).value == Decimal(3)
    assert not Result.objects.filter(indicator=large["second"][0]).exists()


def test_invalid_input_in_a_section_keeps_every_typed_value_and_saves_nothing(client, large):
    plan, bad, good = large["plan"], large["second"][0], large["second"][1]
    client.force_login(large["user"])
    response = client.post(url(plan, large["two"]), entry_data(
        plan, YEAR, orientation=large["two"].pk, **{
            f"i{bad.pk}-value": "beaucoup", f"i{good.pk}-value": "12",
            f"i{good.pk}-comment": "Visites d'automne"}))
    assert response.status_code == 200
    assert shown_labels(response) == ["Nb de visites 1", "Nb de visites 2", "Nb de visites 3"]
    page = response.content.decode()
    error = page.split(f'id="id_i{bad.pk}-value_error"', 1)[1][:300]
    assert "n&#x27;est pas un nombre" in error
    assert 'value="beaucoup"' in page and 'value="12"' in page
    assert "Visites d&#x27;automne" in page
    assert not Result.objects.filter(indicator__in=large["second"]).exists()


def test_an_orientation_of_another_plan_or_not_a_number_is_404(client, large, seed):
    client.force_login(large["user"])
    other = Orientation.objects.filter(plan=seed["monteregie"]).first()
    assert client.get(url(large["plan"], other)).status_code == 404
    base = reverse("indicators:entry", args=[large["plan"].pk, YEAR])
    assert client.get(f"{base}?orientation=deux").status_code == 404


def test_a_plan_at_the_threshold_stays_on_one_page_with_anchors(client, large, settings):
    settings.ENTRY_SECTION_THRESHOLD = 6
    client.force_login(large["user"])
    response = client.get(url(large["plan"], large["two"]))  # the orientation is ignored
    assert response.status_code == 200
    assert len(shown_labels(response)) == 6
    page = response.content.decode()
    for link in response.context["jump_list"]:
        assert f'href="#{link.anchor}"' in page and f'id="{link.anchor}"' in page
    assert "une orientation est affichée à la fois" not in page


def test_a_section_costs_the_queries_of_a_whole_small_plan(client, large,
                                                           django_assert_num_queries):
    client.force_login(large["user"])
    # As pinned for Montérégie in test_entry.py: the page reads its section, not the plan.
    # +2 campaign notices, +1 the shown actions' progress (issue 25).
    with django_assert_num_queries(16):
        response = client.get(url(large["plan"], large["two"]))
        assert response.status_code == 200


def test_a_refused_sheet_is_shown_on_the_section_it_was_sent_from(client, large):
    client.force_login(large["user"])
    sheet_url = reverse("indicators:entry_sheet_upload", args=[large["plan"].pk, YEAR])
    response = client.post(f"{sheet_url}?orientation={large['two'].pk}", {})
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.context["upload_errors"]
    assert shown_labels(response) == ["Nb de visites 1", "Nb de visites 2", "Nb de visites 3"]
