"""Directors attach their plan's actions to the MES themes (issue 14, item 5)."""

import html

import pytest
from django.urls import reverse

from indicators.models import Action, Theme, ThemeChange
from indicators.selectors import plan_actions
from indicators.themes import themes_conflicts


def url(plan):
    return reverse("indicators:plan_themes", args=[plan.pk])


def themes_data(plan, chosen: dict[str, list[int]]) -> dict:
    """The page's POST data: every action keeps its themes unless ``chosen`` (code → theme
    numbers) says otherwise."""
    numbers = {theme.number: theme.pk for theme in Theme.objects.all()}
    data = {}
    for action in plan_actions(plan):
        wanted = chosen.get(action.code, [t.number for t in action.theme_list])
        data[f"action-{action.pk}"] = [str(numbers[n]) for n in wanted]
        data[f"shown-{action.pk}"] = ",".join(sorted(str(t.pk) for t in action.theme_list))
    return data


def action(plan, code):
    return Action.objects.get(objective__orientation__plan=plan, code=code)


def test_director_attaches_an_action_to_two_themes_with_history(client, cast, seed):
    plan = seed["monteregie"]
    client.force_login(cast["dora"])
    target = action(plan, "3.4.1")
    before = {t.number for t in target.themes.all()}
    response = client.post(url(plan), themes_data(plan, {"3.4.1": [2, 3]}))
    assert response.status_code == 302 and response["Location"] == url(plan)
    assert sorted(t.number for t in target.themes.all()) == [2, 3]
    changes = ThemeChange.objects.filter(action=target)
    assert {c.theme.number for c in changes if c.attached} == {2, 3} - before
    assert {c.theme.number for c in changes if not c.attached} == before - {2, 3}
    assert all(c.by == cast["dora"] for c in changes)
    client.post(url(plan), themes_data(plan, {"3.4.1": [2]}))
    assert [t.number for t in target.themes.all()] == [2]
    last = ThemeChange.objects.filter(action=target).last()
    assert (last.theme.number, last.attached) == (3, False)
    page = client.get(url(plan)).content.decode()
    assert "Rattachements aux thèmes MES enregistrés" in page


def test_unchanged_page_writes_no_history(client, cast, seed):
    plan = seed["monteregie"]
    client.force_login(cast["dora"])
    count = ThemeChange.objects.count()
    assert client.post(url(plan), themes_data(plan, {})).status_code == 302
    assert ThemeChange.objects.count() == count


@pytest.mark.parametrize("user", ["alice", "mina"])
def test_coordinator_and_ministry_read_but_may_not_attach(client, cast, seed, user):
    plan = seed["monteregie"]
    client.force_login(cast[user])
    page = client.get(url(plan))
    assert page.status_code == 200
    assert "disabled" in page.content.decode() and "Lecture seule" in page.content.decode()
    assert client.post(url(plan), themes_data(plan, {"1.1.1": [4]})).status_code == 403
    assert 4 not in [t.number for t in action(plan, "1.1.1").themes.all()]


def test_another_pole_gets_404(client, cast, seed):
    client.force_login(cast["diane"])
    assert client.get(url(seed["monteregie"])).status_code == 404
    assert client.post(url(seed["monteregie"]), {}).status_code == 404


def test_unknown_theme_is_refused_beside_the_action_and_nothing_is_saved(client, cast, seed):
    plan = seed["monteregie"]
    client.force_login(cast["dora"])
    data = themes_data(plan, {"1.1.2": [1, 3]})
    data[f"action-{action(plan, '1.1.1').pk}"] = ["999999"]
    count = ThemeChange.objects.count()
    response = client.post(url(plan), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_action-{action(plan, "1.1.1").pk}_error"' in page
    assert ThemeChange.objects.count() == count
    assert [t.number for t in action(plan, "1.1.2").themes.all()] != [1, 3]
    # what was typed is kept: 1.1.2's new choice is still checked
    box = f'id="id_action-{action(plan, "1.1.2").pk}_3" checked'
    assert box in page


def test_pole_dashboard_links_to_the_theme_page(client, cast, seed):
    plan = seed["monteregie"]
    client.force_login(cast["dora"])
    page = client.get(reverse("reporting:pole", args=[plan.pk]))
    assert page.status_code == 200
    assert f'href="{url(plan)}"' in page.content.decode()


def test_theme_page_runs_a_bounded_number_of_queries(client, cast, seed,
                                                     django_assert_num_queries):
    # session, user, membership, plan, actions, their themes, the four themes: the same
    # for 23 actions (Montérégie) and 17 (Pôle Québec)
    for user, plan in (("dora", seed["monteregie"]), ("diane", seed["quebec"])):
        client.force_login(cast[user])
        with django_assert_num_queries(7):
            response = client.get(url(plan))
            assert response.status_code == 200


# --- concurrency: a line that moved under the person is a conflict, never an overwrite ------


def theme_pks(*numbers) -> list[int]:
    return [Theme.objects.get(number=n).pk for n in numbers]


def set_themes(plan, code, *numbers):
    action(plan, code).themes.set(theme_pks(*numbers))


def test_a_line_changed_elsewhere_is_a_conflict_shown_beside_the_choice(client, cast, seed):
    plan = seed["monteregie"]
    set_themes(plan, "1.1.1", 1)
    data = themes_data(plan, {"1.1.1": [1, 3]})  # the page showed theme 1
    set_themes(plan, "1.1.1", 2)  # a colleague saves first
    client.force_login(cast["dora"])
    count = ThemeChange.objects.count()
    response = client.post(url(plan), data)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Quelqu'un a modifié les thèmes de 1 action pendant" in page
    target = action(plan, "1.1.1")
    conflict = page.split(f'data-testid="conflict-{target.pk}">')[1].split("</p>")[0]
    assert "Modifié entre-temps ; thèmes actuels : O2 Fluidité des parcours." in conflict
    assert f'id="id_action-{target.pk}_3" checked' in page  # the person's choice is kept
    assert f'name="shown-{target.pk}" value="{theme_pks(2)[0]}"' in page
    assert [t.number for t in target.themes.all()] == [2]
    assert ThemeChange.objects.count() == count


def test_saving_again_after_a_conflict_replaces_the_current_themes(client, cast, seed):
    plan = seed["monteregie"]
    set_themes(plan, "1.1.1", 1)
    data = themes_data(plan, {"1.1.1": [1, 3]})
    set_themes(plan, "1.1.1", 2)
    client.force_login(cast["dora"])
    assert client.post(url(plan), data).status_code == 200
    data[f"shown-{action(plan, '1.1.1').pk}"] = str(theme_pks(2)[0])
    assert client.post(url(plan), data).status_code == 302
    assert sorted(t.number for t in action(plan, "1.1.1").themes.all()) == [1, 3]


def test_a_line_not_touched_never_conflicts_and_is_not_written(client, cast, seed):
    plan = seed["monteregie"]
    set_themes(plan, "1.1.1", 1)
    set_themes(plan, "1.1.2", 1)
    data = themes_data(plan, {"1.1.2": [4]})  # 1.1.1 untouched on this page
    set_themes(plan, "1.1.1", 2)  # a colleague changes 1.1.1 meanwhile
    client.force_login(cast["dora"])
    assert client.post(url(plan), data).status_code == 302
    assert [t.number for t in action(plan, "1.1.1").themes.all()] == [2]  # theirs kept
    assert [t.number for t in action(plan, "1.1.2").themes.all()] == [4]


def test_the_same_change_made_elsewhere_is_not_a_conflict(client, cast, seed):
    plan = seed["monteregie"]
    set_themes(plan, "1.1.1", 1)
    data = themes_data(plan, {"1.1.1": [3]})
    set_themes(plan, "1.1.1", 3)
    client.force_login(cast["dora"])
    assert client.post(url(plan), data).status_code == 302
    assert [t.number for t in action(plan, "1.1.1").themes.all()] == [3]


def test_a_malformed_shown_value_is_refused_and_nothing_is_saved(client, cast, seed):
    plan = seed["monteregie"]
    data = themes_data(plan, {"1.1.1": [4]})
    data[f"shown-{action(plan, '1.1.1').pk}"] = "1;DROP"
    client.force_login(cast["dora"])
    response = client.post(url(plan), data)
    assert response.status_code == 200
    assert "rechargez-la" in response.content.decode()
    assert 4 not in [t.number for t in action(plan, "1.1.1").themes.all()]


@pytest.mark.parametrize(("current", "shown", "wanted", "conflict"), [
    ({1}, {1}, {1, 3}, False),      # nobody else moved it
    ({2}, {1}, {1, 3}, True),       # moved and changed: conflict
    ({2}, {1}, {1}, False),         # not touched: never a conflict
    ({3}, {1}, {3}, False),         # the same change made elsewhere
    (set(), {1}, set(), False),     # same: detached elsewhere too
    ({2}, None, {1}, False),        # posted without what it showed: not checked
])
def test_themes_conflicts_rule(current, shown, wanted, conflict):
    found = themes_conflicts(current={7: current}, shown={7: shown}, wanted={7: wanted})
    assert (7 in found) is conflict
    if conflict:
        assert found[7] == current
