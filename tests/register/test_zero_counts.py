"""No page writes « 0 » before a plural (« 0 activités », « voir les 0 activités », « 0
actions ne sont rattachées », « 0 indicateurs sur 19 »): a count of zero is written out
(« aucune activité ») and links to no empty list (issue 24, Messages)."""

import re

import pytest
from django.urls import reverse

from indicators.models import Action
from tests.register.test_reporting_integration import mont  # noqa: F401 (fixture)

# « 0 » (not part of a larger number or of « 0,5 ») followed by a French plural noun.
ZERO_PLURAL = re.compile(r"(?<![\d,.\u00a0\u202f])0(?:[ \u00a0\u202f]|&nbsp;)"
                         r"(?:activités|actions|indicateurs|résultats|lignes|erreurs|"
                         r"changements|cibles|organisations|points)\b")


def test_the_check_sees_a_zero_before_a_plural():
    assert ZERO_PLURAL.search("voir les 0 activités")
    assert ZERO_PLURAL.search("0 actions ne sont rattachées")
    assert not ZERO_PLURAL.search("10 activités, 2 024,0 résultats, 0 %")


def pages(plan, projects):
    """The pages where a zero count shows: the entry page and the drill-down of a year whose
    computed value has no activity, the dashboards, the indicator, the themes, an empty list."""
    return [reverse("indicators:entry", args=[plan.pk, 2025]),
            reverse("reporting:pole", args=[plan.pk]) + "?annee=2025",
            reverse("reporting:indicator", args=[projects.pk]),
            reverse("register:indicator", args=[projects.pk, 2025]),
            reverse("indicators:plan_themes", args=[plan.pk]),
            reverse("register:list", args=[plan.pole.code]) + "?q=introuvable"]


@pytest.mark.parametrize("role", ["alice", "dora", "mina"])
def test_no_page_writes_zero_before_a_plural(client, cast, mont, role):  # noqa: F811
    plan, projects = mont["plan"], mont["projects"]
    # Every action attached to a theme: the themes page then counts zero unattached.
    from indicators.models import Theme
    theme = Theme.objects.first()
    for action in Action.objects.filter(objective__orientation__plan=plan):
        action.themes.add(theme)
    client.force_login(cast[role])
    checked = 0
    for url in pages(plan, projects):
        response = client.get(url)
        if response.status_code in (302, 403, 404):  # a page this role does not have
            continue
        assert response.status_code == 200, url
        html = response.content.decode()
        found = [html[max(0, m.start() - 60):m.end()] for m in ZERO_PLURAL.finditer(html)]
        assert found == [], url
        checked += 1
    assert checked >= 4


def test_a_computed_value_without_activity_says_so_without_a_link(client, cast, mont):  # noqa: F811
    plan, projects = mont["plan"], mont["projects"]
    client.force_login(cast["alice"])
    html = client.get(reverse("indicators:entry", args=[plan.pk, 2025])).content.decode()
    drill = reverse("register:indicator", args=[projects.pk, 2025])
    block = html[html.index(f'data-testid="computed-i{projects.pk}"'):]
    block = block[:block.index("</div>")]
    assert "aucune activité" in block
    assert f'href="{drill}"' not in block  # no link to an empty list…
    assert f'href="{drill}#remplacer"' in block  # … but the override stays reachable


def test_an_entry_page_without_any_result_says_none_yet(client, cast, seed):
    plan = seed["quebec"]  # no result yet
    client.force_login(cast["quentin"])
    html = client.get(reverse("indicators:entry", args=[plan.pk, 2025])).content.decode()
    assert re.search(r"<p>Aucun des \d+ indicateurs n'a encore de résultat\.</p>", html)
    assert "0 indicateurs sur" not in html
