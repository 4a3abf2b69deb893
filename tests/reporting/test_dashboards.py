"""Dashboards: who sees what, numbers that match the results, bounded queries."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Result
from indicators.services import year_transition
from tests.conftest import find_indicator, make_indicator, make_plan, make_result

YEAR = 2024


@pytest.fixture
def results(seed):
    """Three Montérégie results for 2024-2025: one met, one not met, one with evidence."""
    plan = seed["monteregie"]
    met = find_indicator(plan, "1.1.1", "Nb de projets")  # target 1
    missed = find_indicator(plan, "1.1.4", "Nb de rencontres")  # target 20
    make_result(met, YEAR, 2, evidence_url="https://exemple.org/preuve")
    make_result(missed, YEAR, 12)
    return met, missed


def pole_url(plan, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("reporting:pole", args=[plan.pk]) + (f"?{query}" if query else "")


def test_director_sees_headline_figures_matching_the_results(client, cast, seed, results):
    client.force_login(cast["dora"])
    response = client.get(pole_url(seed["monteregie"], annee=YEAR))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.counts["atteinte"], summary.counts["non_atteinte"]) == (1, 1)
    assert summary.counts["sans_resultat"] == 76
    page = response.content.decode()
    assert 'data-testid="count-atteinte">1<' in page
    assert 'data-testid="entered-share">3\u00a0%<' in page  # 2 of 79
    # The status bars are inline SVG: no plotly.js, no figure data to draw.
    assert re.search(r'<svg [^>]*id="chart-orientations"[^>]*role="img"', page)
    assert "plotly" not in page and "charts.js" not in page and "data-chart" not in page


def test_completeness_lists_link_to_the_missing_items(client, cast, seed, results):
    client.force_login(cast["dora"])
    response = client.get(pole_url(seed["monteregie"], annee=YEAR))
    counts = {key: n for key, _label, n in response.context["completeness"]}
    # 1.2.2's engagement time has no 2024-2025 target (its « +10% » start in 2025-2026): it is
    # « Non évaluable », not missing, so the list agrees with the « Sans résultat » count.
    assert counts == {"sans_cible": 1, "sans_resultat": 76, "sans_preuve": 1}
    assert response.context["summary"].counts["sans_resultat"] == 76
    listing = client.get(pole_url(seed["monteregie"], annee=YEAR, liste="sans_preuve"))
    assert listing.context["shown"] == 1
    assert "Nb de rencontres" in listing.content.decode()


def test_filters_by_status_and_attention(client, cast, seed, results):
    client.force_login(cast["dora"])
    met = client.get(pole_url(seed["monteregie"], annee=YEAR, statut="atteinte"))
    assert met.context["shown"] == 1
    attention = client.get(pole_url(seed["monteregie"], annee=YEAR, attention=1))
    assert attention.context["shown"] == 77  # everything but the met one


def test_year_defaults_to_the_current_plan_year(client, cast, seed):
    client.force_login(cast["dora"])
    response = client.get(pole_url(seed["monteregie"]))
    assert response.context["year"] == 2026  # today is pinned in 2026-2027


def test_pole_dashboard_of_another_pole_is_404(client, cast, seed):
    client.force_login(cast["dora"])
    assert client.get(pole_url(seed["quebec"])).status_code == 404


def test_ministry_sees_every_pole_on_the_national_dashboard(client, cast, seed, results):
    year_transition(plan=seed["monteregie"], year=YEAR, action="submit", user=cast["alice"])
    client.force_login(cast["mina"])
    response = client.get(reverse("reporting:national") + f"?annee={YEAR}")
    rows = {row.plan.pole.code: row for row in response.context["rows"]}
    assert set(rows) == {"monteregie", "pole-quebec"}
    assert rows["monteregie"].state_label == "soumise"
    assert rows["monteregie"].summary.counts["atteinte"] == 1
    matrix = response.context["matrix"]
    quebec = next(cells for plan, cells, _u in matrix.rows if plan.pole.code == "pole-quebec")
    assert [cell.actions for cell in quebec] == [5, 8, 4, 0]
    monteregie, unattached = next((cells, u) for plan, cells, u in matrix.rows
                                  if plan.pole.code == "monteregie")
    assert unattached.actions == 0  # every seed action ships with a proposed theme
    assert [cell.actions for cell in monteregie] == [8, 8, 9, 9]


def test_pole_user_sees_only_their_pole_on_the_national_view(client, cast, seed):
    client.force_login(cast["dora"])
    response = client.get(reverse("reporting:national"))
    assert [row.plan.pole.code for row in response.context["rows"]] == ["monteregie"]


def test_relative_target_is_shown_as_the_value_it_resolves_to(client, cast, seed):
    plan = seed["monteregie"]
    visits = find_indicator(plan, "1.2.2", "Nb de visites")
    make_result(visits, 2024, 2400)
    make_result(visits, 2025, 2700)
    client.force_login(cast["dora"])
    response = client.get(reverse("reporting:indicator", args=[visits.pk]))
    second = response.context["by_year"][1]
    assert second.evaluation.resolved_target == Decimal("2640.00")
    assert "2\u00a0640" in response.content.decode()
    chart = response.context["chart"]
    assert chart["data"][1]["y"][1] == 2640.0


@pytest.mark.parametrize("scale", [1, 4])
def test_dashboard_queries_do_not_grow_with_indicators_or_poles(
        client, cast, seed, scale, django_assert_num_queries):
    for n in range(scale):
        extra = make_plan(f"extra{n}")
        for i in range(10 * scale):
            indicator = make_indicator(extra, f"Indicateur {i}", targets={YEAR: "Min 2"},
                                       members=["A", "B"], action_code=f"1.1.{i % 3}")
            make_result(indicator, YEAR, i)
    indicator = find_indicator(seed["monteregie"], "1.1.1", "Nb de projets")
    client.force_login(cast["mina"])
    # Session, user, membership, plans, counts by pôle, year reports, themes, counts by pôle
    # and theme: the stored evaluations are counted in SQL, no indicator is read; plus the
    # register's distinct establishments per theme; the filed versions; the actions counted
    # by state per pôle and per theme (issue 25).
    with django_assert_num_queries(12):
        response = client.get(reverse("reporting:national") + f"?annee={YEAR}")
        assert response.status_code == 200
    client.force_login(cast["dora"])
    # (The year's statuses are the stored evaluations: one query, no indicator evaluated;
    # two for the campaign's due dates and corrections asked, hooks.year_notices.)
    # +1: the shown actions' progress (issue 25).
    with django_assert_num_queries(16):
        response = client.get(pole_url(seed["monteregie"], annee=YEAR))
        assert response.status_code == 200
    with django_assert_num_queries(13):
        response = client.get(reverse("reporting:indicator", args=[indicator.pk]))
        assert response.status_code == 200
    assert Result.objects.count() >= 10 * scale * scale


def test_demo_results_are_announced_on_the_dashboards(client, cast, seed):
    indicator = find_indicator(seed["monteregie"], "1.1.1", "Nb de projets")
    client.force_login(cast["dora"])
    assert 'data-testid="demo-banner"' not in client.get(
        pole_url(seed["monteregie"], annee=YEAR)).content.decode()
    make_result(indicator, YEAR, 1, is_demo=True)
    assert 'data-testid="demo-banner"' in client.get(
        pole_url(seed["monteregie"], annee=YEAR)).content.decode()
    client.force_login(cast["mina"])
    assert 'data-testid="demo-banner"' in client.get(
        reverse("reporting:national") + f"?annee={YEAR}").content.decode()


def test_indicator_page_shows_how_each_target_was_read_beside_its_text(client, cast, seed):
    plan = seed["monteregie"]
    visits = find_indicator(plan, "1.2.2", "Nb de visites")
    client.force_login(cast["dora"])
    response = client.get(reverse("reporting:indicator", args=[visits.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<q>+10%</q>" in page
    # issue 23: a change whose reference is not written shows none (the default, the
    # previous year's result, is what « Cible retenue » is computed from)
    assert "(lue comme : hausse de 10\u00a0%)" in page


def test_a_ceiling_is_shown_and_judged_as_a_ceiling_on_the_indicator_page(client, cast):
    plan = make_plan("plafond")
    indicator = make_indicator(plan, "Délai de réponse", targets={2024: "Pas plus de 5"})
    make_result(indicator, 2024, 3)
    client.force_login(cast["sam"])
    response = client.get(reverse("reporting:indicator", args=[indicator.pk]))
    assert response.status_code == 200
    assert "(lue comme : au plus 5)" in response.content.decode()
    assert response.context["by_year"][0].evaluation.status == "atteinte"
