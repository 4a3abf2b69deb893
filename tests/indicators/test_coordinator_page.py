"""The coordinator's page: confirmation before submitting, a summary of the statuses a save
changed, a jump list by orientation (issue 14, item 8)."""

from django.urls import reverse

from indicators.models import Membership, Orientation, YearReport
from tests.conftest import entry_data, make_indicator, make_plan, make_user

YEAR = 2025


def url(plan, year=YEAR):
    return reverse("indicators:entry", args=[plan.pk, year])


def test_submitting_without_confirmation_shows_what_it_locks_and_changes_nothing(
        client, cast, seed):
    plan = seed["monteregie"]
    client.force_login(cast["alice"])
    transition = reverse("indicators:year_transition", args=[plan.pk, YEAR])
    response = client.post(transition, {"action": "submit"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Soumettre l&#x27;année 2025-2026 à la direction la verrouille" in page
    assert 'name="confirmed" value="True"' in page
    assert not YearReport.objects.filter(plan=plan, year=YEAR, state="submitted").exists()
    response = client.post(transition, {"action": "submit", "confirmed": "True"})
    assert response.status_code == 302
    assert YearReport.objects.get(plan=plan, year=YEAR).state == "submitted"


def test_entry_page_has_the_confirmation_dialog_and_its_script_and_no_inline_script(
        client, cast, seed):
    client.force_login(cast["alice"])
    response = client.get(url(seed["monteregie"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-confirm="confirm-submit"' in page
    assert '<dialog id="confirm-submit"' in page
    assert "js/confirm" in page
    assert "<script>" not in page and " onclick=" not in page


def test_after_a_save_the_page_names_the_statuses_that_changed_and_why(client, db):
    plan = make_plan("rel")
    base = make_indicator(plan, "Nb de projets", targets={YEAR: "2"})
    relative = make_indicator(plan, "Participants", targets={YEAR: "+10%"},
                              action_code="1.1.2")
    coordinator = make_user("coco", Membership.Role.COORDINATOR, plan.pole)
    client.force_login(coordinator)
    response = client.post(url(plan), entry_data(plan, YEAR, **{
        f"i{base.pk}-value": "3", f"i{relative.pk}-value": "40"}), follow=True)
    assert response.status_code == 200
    changes = response.context["status_changes"]
    assert [(c["indicator"], c["old"], c["new"]) for c in changes] == [
        ("Nb de projets", "Sans résultat", "Atteinte"),
        ("Participants", "Sans résultat", "Non évaluable"),
    ]
    assert changes[0]["reason"] == ""
    assert changes[1]["reason"] == ("Cible relative : le résultat de 2024-2025, qui sert de "
                                    "référence, est manquant.")
    page = response.content.decode()
    assert "Sans résultat → <strong>Non évaluable</strong> — " + changes[1]["reason"] in page
    # Shown once: the next visit has no summary.
    assert client.get(url(plan)).context["status_changes"] is None


def test_jump_list_counts_missing_results_per_orientation_with_anchors(client, db):
    plan = make_plan("jump")
    first = make_indicator(plan, "Nb de projets", targets={YEAR: "2"})
    make_indicator(plan, "Nb d'ateliers", targets={YEAR: "2"}, action_code="1.1.2")
    second = Orientation.objects.create(plan=plan, code="2", title="Deuxième")
    from indicators.models import Action, Indicator, Objective
    objective = Objective.objects.create(orientation=second, code="2.1", title="Obj")
    action = Action.objects.create(objective=objective, code="2.1.1", title="Act")
    visits = Indicator.objects.create(action=action, label="Nb de visites")
    from indicators.evaluations import evaluations_refresh
    evaluations_refresh(indicators=[visits])  # as the admin does when it adds an indicator
    coordinator = make_user("coco", Membership.Role.COORDINATOR, plan.pole)
    client.force_login(coordinator)
    client.post(url(plan), entry_data(plan, YEAR, **{f"i{first.pk}-value": "3"}))
    response = client.get(url(plan))
    assert response.status_code == 200
    links = response.context["jump_list"]
    # « Nb de visites » has no target: « Non évaluable », not awaited (issue 24: the jump
    # list counts what the dashboard and the submit confirmation count).
    assert [(link.code, link.missing) for link in links] == [("1", 1), ("2", 0)]
    page = response.content.decode()
    for link in links:
        assert f'href="#{link.anchor}"' in page and f'id="{link.anchor}"' in page
    assert "1 résultat manquant" in page
