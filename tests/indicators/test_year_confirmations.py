"""Submitting and approving a year are confirmed with what the year still lacks (results,
action states) and what the gesture locks (issue 24, item 2a)."""

from django.urls import reverse

from indicators import selectors
from indicators.models import ActionProgress, YearReport
from indicators.progress import Standing, standing_actions, year_missing
from indicators.targets import Status
from tests.conftest import make_indicator, make_plan, make_result

YEAR = 2025


def standing(pk, status, **extra):
    return Standing(indicator_id=pk, orientation_id=1, orientation_code="1",
                    orientation_title="O", status=status, has_result=False,
                    is_period_target=False, indicator_label=f"Indicateur {pk}",
                    action_id=10, action_code="1.1.1", **extra)


def test_year_missing_lists_indicators_awaiting_a_result_and_actions_without_state():
    lines = [standing(1, Status.NO_RESULT), standing(2, Status.MET),
             standing(3, Status.NOT_ASSESSABLE), standing(4, Status.NO_RESULT)]
    actions = [{"id": 10, "code": "1.1.1", "title": "A", "state": "done"},
               {"id": 11, "code": "1.1.2", "title": "B", "state": None},
               {"id": 12, "code": "1.1.3", "title": "C", "state": ""}]
    missing = year_missing(lines, actions)
    assert [m.indicator_id for m in missing.results] == [1, 4]
    assert missing.results[0].label == "Indicateur 1"
    assert [a.code for a in missing.actions] == ["1.1.2", "1.1.3"]
    assert not missing.complete


def test_year_missing_of_a_complete_year_is_complete():
    missing = year_missing([standing(1, Status.MET)],
                           [{"id": 10, "code": "1.1.1", "title": "A", "state": "ongoing"}])
    assert missing.complete and missing.results == [] and missing.actions == []


def test_the_selector_reads_stored_standings_and_action_states(django_assert_num_queries, db):
    plan = make_plan("miss")
    done = make_indicator(plan, "Fait", targets={YEAR: "2"})
    make_result(done, YEAR, 3)
    waiting = make_indicator(plan, "En attente", targets={YEAR: "2"}, action_code="1.1.2")
    make_indicator(plan, "Sans cible", action_code="1.1.2")
    ActionProgress.objects.create(action=done.action, year=YEAR, state="done")
    with django_assert_num_queries(2):
        missing = selectors.year_missing(plan, YEAR)
    assert [(m.indicator_id, m.action_code, m.label) for m in missing.results] == [
        (waiting.pk, "1.1.2", "En attente")]
    assert [a.code for a in missing.actions] == ["1.1.2"]


def test_submitting_without_javascript_shows_what_is_missing_and_what_it_locks(
        client, cast, seed):
    plan = seed["monteregie"]
    client.force_login(cast["alice"])
    response = client.post(reverse("indicators:year_transition", args=[plan.pk, YEAR]),
                           {"action": "submit"})
    assert response.status_code == 200
    page = response.content.decode()
    missing = selectors.year_missing(plan, YEAR)
    assert f"{len(missing.results)} indicateurs attendent encore leur résultat" in page
    assert f"L'état de {len(missing.actions)} actions n'est pas indiqué" in page
    first = missing.results[0]
    assert f'?orientation={first.orientation_id}#i{first.indicator_id}"' in page
    assert "la verrouille" in page
    assert not YearReport.objects.filter(plan=plan, year=YEAR).exists()


def test_entry_page_submit_dialog_says_what_is_missing_and_opens_on_cancel(
        client, cast, seed):
    plan = seed["monteregie"]
    client.force_login(cast["alice"])
    response = client.get(reverse("indicators:entry", args=[plan.pk, YEAR]))
    assert response.status_code == 200
    page = response.content.decode()
    dialog = page[page.index('<dialog id="confirm-submit"'):page.index("</dialog>")]
    count = len(selectors.year_missing(plan, YEAR).results)
    assert f"{count} indicateurs attendent encore leur résultat pour 2025-2026" in dialog
    assert '<button type="button" data-close-dialog autofocus>Annuler</button>' in dialog


def test_approving_asks_for_confirmation_then_approves(client, cast, seed):
    plan = seed["monteregie"]
    YearReport.objects.create(plan=plan, year=YEAR, state="submitted")
    client.force_login(cast["dora"])
    transition = reverse("indicators:year_transition", args=[plan.pk, YEAR])
    dashboard = reverse("reporting:pole", args=[plan.pk]) + f"?annee={YEAR}"
    response = client.post(transition, {"action": "approve", "comment": "Bravo",
                                        "next": dashboard})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Une fois approuvée, l&#x27;année 2025-2026 est verrouillée" in page
    assert "indicateurs attendent encore leur résultat" in page
    assert 'name="comment" value="Bravo"' in page
    assert YearReport.objects.get(plan=plan, year=YEAR).state == "submitted"
    response = client.post(transition, {"action": "approve", "comment": "Bravo",
                                        "confirmed": "True", "next": dashboard})
    assert response.status_code == 302 and response.url == dashboard
    assert YearReport.objects.get(plan=plan, year=YEAR).state == "approved"


def test_dashboard_approve_dialog_says_what_is_missing_as_the_page_counts_it(
        client, cast, seed):
    plan = seed["monteregie"]
    YearReport.objects.create(plan=plan, year=YEAR, state="submitted")
    client.force_login(cast["dora"])
    response = client.get(reverse("reporting:pole", args=[plan.pk]) + f"?annee={YEAR}")
    assert response.status_code == 200
    page = response.content.decode()
    dialog = page[page.index('<dialog id="confirm-approve"'):page.index("</dialog>")]
    no_result = response.context["summary"].counts[Status.NO_RESULT]
    assert f"{no_result} indicateurs attendent encore leur résultat" in dialog
    assert "Une fois approuvée" in dialog
    assert "data-close-dialog autofocus" in dialog
    # « Sans résultat » is one count on the page: the status, the list, the review.
    completeness = dict((key, n) for key, _label, n in response.context["completeness"])
    assert completeness["sans_resultat"] == no_result == len(response.context["missing"])


def test_a_coordinator_cannot_approve_even_confirmed(client, cast, seed):
    plan = seed["monteregie"]
    YearReport.objects.create(plan=plan, year=YEAR, state="submitted")
    client.force_login(cast["alice"])
    response = client.post(reverse("indicators:year_transition", args=[plan.pk, YEAR]),
                           {"action": "approve", "confirmed": "True"})
    assert response.status_code == 403
    assert YearReport.objects.get(plan=plan, year=YEAR).state == "submitted"


def test_standing_actions_gives_each_action_once_in_plan_order_with_its_state():
    lines = [standing(1, Status.MET), standing(2, Status.MET),
             Standing(indicator_id=3, orientation_id=1, orientation_code="1",
                      orientation_title="O", status=Status.MET, has_result=True,
                      is_period_target=False, action_id=11, action_code="1.1.2",
                      action_title="B")]
    rows = standing_actions(lines, {11: "done"})
    assert [(r["id"], r["code"], r["state"]) for r in rows] == [(10, "1.1.1", None),
                                                               (11, "1.1.2", "done")]
    assert [a.code for a in year_missing(lines, rows).actions] == ["1.1.1"]


def test_each_missing_item_of_the_confirmation_links_to_its_own_line_in_its_section(
        client, cast, seed, settings):
    """On a plan long enough to be shown one orientation at a time, every link of the
    no-JavaScript confirmation opens the section that holds its line (indicator ``i<id>``,
    action ``a<id>``), not the first section of the whole-plan page."""
    import re

    settings.ENTRY_SECTION_THRESHOLD = 5
    plan = seed["monteregie"]
    client.force_login(cast["alice"])
    page = client.post(reverse("indicators:year_transition", args=[plan.pk, YEAR]),
                       {"action": "submit"}).content.decode()
    missing = selectors.year_missing(plan, YEAR)
    entry = reverse("indicators:entry", args=[plan.pk, YEAR])
    links = re.findall(rf'href="({re.escape(entry)}[^"]*#[^"]*)"', page)  # not « Annuler »
    assert len(links) == len(missing.results) + len(missing.actions)
    # Both kinds, and lines of more than one section (else the test proves little).
    assert {link.split("#")[1][0] for link in links} == {"i", "a"}
    assert len({link.split("#")[0] for link in links}) > 1
    shown = {}
    for link in links:
        address, anchor = link.split("#")
        if address not in shown:
            response = client.get(address)
            assert response.status_code == 200
            shown[address] = response.content.decode()
        assert f'id="{anchor}"' in shown[address], link


def test_the_year_missing_items_carry_their_orientation():
    lines = [standing(1, Status.NO_RESULT)]
    actions = [{"id": 11, "code": "1.1.2", "title": "B", "state": None, "orientation_id": 7}]
    missing = year_missing(lines, actions)
    assert missing.results[0].orientation_id == 1
    assert missing.actions[0].orientation_id == 7
    assert standing_actions(lines, {})[0]["orientation_id"] == 1
