"""The register seen from the rest of the product: navigation, the reddition workbook, the
dashboards' links to the activities behind a computed value, the national count per theme."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Action, Theme
from register.models import Activity, IndicatorRule, Organisation
from register.services import result_override, results_recompute
from tests.conftest import find_indicator
from tests.register.conftest import make_activity, make_org, make_rule

Kind = IndicatorRule.Kind
YEAR = 2024
TODAY = datetime.date(2025, 6, 1)


@pytest.fixture
def mont(seed):
    plan = seed["monteregie"]
    projects = find_indicator(plan, "1.1.1", "Nb de projets")
    establishments = find_indicator(plan, "1.1.1", "Nb d'établissements")
    make_rule(projects, Kind.ACTIVITIES, ["projet-concertation"])
    make_rule(establishments, Kind.ESTABLISHMENTS)
    a, b = make_org("Cégep A"), make_org("Cégep B")
    cpe = make_org("CPE Les Lucioles", Organisation.Kind.CPE)
    make_activity(plan.pole, title="Table régionale", actions=[projects.action],
                  organisations=[a, b, cpe], start=datetime.date(2024, 9, 10),
                  end=datetime.date(2024, 11, 20), participants_students=12,
                  participants_teachers=3, people_reached=40, visitors=7)
    make_activity(plan.pole, title="Chantier", actions=[projects.action], organisations=[a])
    make_activity(plan.pole, title="Prévue", actions=[projects.action],
                  status=Activity.Status.PLANNED)
    results_recompute(plan=plan, year=YEAR, today=TODAY)
    return {"plan": plan, "pole": plan.pole, "projects": projects,
            "establishments": establishments}


# --- navigation ---------------------------------------------------------------------------


def test_a_pole_user_reaches_the_register_from_the_top_navigation(client, cast, mont):
    client.force_login(cast["alice"])
    page = client.get(reverse("indicators:entry", args=[mont["plan"].pk, YEAR]))
    assert page.status_code == 200
    assert f'href="{reverse("register:mine")}"' in page.content.decode()
    response = client.get(reverse("register:mine"))
    assert response.status_code == 302
    assert response["Location"] == reverse("register:list", args=[mont["pole"].code])


def test_ministry_has_no_register_of_its_own(client, cast, mont):
    client.force_login(cast["mina"])
    page = client.get(reverse("reporting:national"))
    assert page.status_code == 200
    assert f'href="{reverse("register:mine")}"' not in page.content.decode()
    assert client.get(reverse("register:mine")).status_code == 404


def test_pole_dashboard_links_to_the_register_list(client, cast, mont):
    client.force_login(cast["dora"])
    response = client.get(reverse("reporting:pole", args=[mont["plan"].pk]) + f"?annee={YEAR}")
    assert response.status_code == 200
    assert f'href="{reverse("register:list", args=[mont["pole"].code])}"' in (
        response.content.decode())


# --- links from a computed value to its activities ------------------------------------------


def test_pole_dashboard_links_a_computed_value_to_its_activities(client, cast, mont):
    client.force_login(cast["dora"])
    response = client.get(reverse("reporting:pole", args=[mont["plan"].pk]) + f"?annee={YEAR}")
    assert response.status_code == 200
    page = response.content.decode()
    drill = reverse("register:indicator", args=[mont["projects"].pk, YEAR])
    assert f'href="{drill}" data-testid="activities-{mont["projects"].pk}-{YEAR}">2 activités' \
        in page
    typed = find_indicator(mont["plan"], "1.1.4", "Nb de rencontres")
    assert f'data-testid="activities-{typed.pk}-' not in page


def test_indicator_page_links_each_year_s_computed_value_to_its_activities(client, cast, mont):
    client.force_login(cast["mina"])
    response = client.get(reverse("reporting:indicator", args=[mont["projects"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert (f'href="{reverse("register:indicator", args=[mont["projects"].pk, YEAR])}" '
            f'data-testid="activities-{mont["projects"].pk}-{YEAR}">2 activités') in page
    # A year without activity says so, and links to no empty list.
    assert (f'<span class="computed-link" data-testid="activities-{mont["projects"].pk}-2025">'
            "aucune activité</span>") in page


def test_indicator_page_of_a_computed_indicator_costs_one_query_per_plan_year_more(
        client, cast, mont, django_assert_num_queries):
    client.force_login(cast["mina"])
    # 12 for the page, the rule and its activity kinds, then one count per plan year (three),
    # whatever the number of activities.
    for n in range(20):
        make_activity(mont["pole"], title=f"A{n}", actions=[mont["projects"].action])
    with django_assert_num_queries(17):
        response = client.get(reverse("reporting:indicator", args=[mont["projects"].pk]))
        assert response.status_code == 200


# --- national view ---------------------------------------------------------------------------


def test_national_view_counts_distinct_establishments_per_theme_across_poles(
        client, cast, mont, seed):
    theme = Theme.objects.order_by("number").first()
    mont["projects"].action.themes.add(theme)
    quebec_action = Action.objects.filter(
        objective__orientation__plan=seed["quebec"]).order_by("pk").first()
    quebec_action.themes.add(theme)
    a = Organisation.objects.get(name="Cégep A")
    c = make_org("Université C", Organisation.Kind.UNIVERSITY)
    make_activity(seed["quebec"].pole, actions=[quebec_action], organisations=[a, c])
    client.force_login(cast["mina"])
    response = client.get(reverse("reporting:national") + f"?annee={YEAR}")
    assert response.status_code == 200
    rows = {theme.number: n for theme, n in response.context["establishments_by_theme"]}
    # Cégep A (both pôles) once, Cégep B, Université C; the CPE is a partner, not counted.
    assert rows[theme.number] == 3
    assert f"<th scope=\"row\">{theme.code} {theme.short_label}</th><td class=\"num\">3</td>" in (
        response.content.decode())


def test_national_view_of_a_pole_user_counts_only_its_pole(client, cast, mont, seed):
    theme = Theme.objects.order_by("number").first()
    mont["projects"].action.themes.add(theme)
    quebec_action = Action.objects.filter(
        objective__orientation__plan=seed["quebec"]).order_by("pk").first()
    quebec_action.themes.add(theme)
    make_activity(seed["quebec"].pole, actions=[quebec_action],
                  organisations=[make_org("Université C", Organisation.Kind.UNIVERSITY)])
    client.force_login(cast["dora"])
    response = client.get(reverse("reporting:national") + f"?annee={YEAR}")
    assert response.status_code == 200
    rows = {theme.number: n for theme, n in response.context["establishments_by_theme"]}
    assert rows[theme.number] == 2


# --- the reddition workbook -------------------------------------------------------------------


def workbook(client, plan):
    response = client.get(reverse("reporting:pole_export", args=[plan.pk])
                          + f"?annee={YEAR}&format=xlsx")
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def table(sheet):
    rows = sheet.iter_rows()
    header = [cell.value for cell in next(rows)]
    return header, [dict(zip(header, row, strict=False)) for row in rows]


def test_workbook_lists_the_year_s_activities_and_the_indicators_they_feed(client, cast, mont):
    client.force_login(cast["mina"])
    sheet = workbook(client, mont["plan"])["Activités"]
    header, rows = table(sheet)
    assert header[:7] == ["Début", "Fin", "Activité", "Type", "Statut", "Actions",
                          "Établissements et partenaires"]
    assert sheet.freeze_panes == "D2"
    by_title = {row["Activité"].value: row for row in rows}
    assert set(by_title) == {"Table régionale", "Chantier", "Prévue"}
    table_row = by_title["Table régionale"]
    assert table_row["Début"].value == datetime.datetime(2024, 9, 10)
    assert table_row["Début"].number_format == "yyyy-mm-dd"
    assert table_row["Fin"].value == datetime.datetime(2024, 11, 20)
    assert table_row["Statut"].value == "réalisée"
    assert table_row["Établissements et partenaires"].value == (
        "CPE Les Lucioles ; Cégep A ; Cégep B")
    assert table_row["Participants : étudiants"].value == 12
    assert table_row["Participants (total)"].value == 15
    assert table_row["Personnes touchées"].value == 40
    assert table_row["Visiteurs"].value == 7
    assert table_row["Visiteurs"].number_format != "@"  # a number, not text
    assert table_row["Indicateurs alimentés"].value == (
        f"1.1.1 {mont['projects'].label} ; 1.1.1 {mont['establishments'].label}")
    assert by_title["Prévue"]["Indicateurs alimentés"].value is None  # feeds nothing


def test_results_sheet_flags_computed_and_overridden_values(client, cast, mont):
    result_override(indicator=mont["establishments"], year=YEAR, value=Decimal(5),
                    reason="Deux établissements hors registre", user=cast["alice"])
    client.force_login(cast["mina"])
    _header, rows = table(workbook(client, mont["plan"])["Résultats"])
    totals = {(row["Action"].value.split()[0], row["Indicateur"].value): row for row in rows
              if not row["Membre"].value}

    def source(indicator):
        return totals[(indicator.action.code, indicator.label)]["Source"].value

    assert source(mont["projects"]) == "calculé"
    assert source(mont["establishments"]) == "remplacé : Deux établissements hors registre"
    assert source(find_indicator(mont["plan"], "1.1.4", "Nb de rencontres")) is None


def test_workbook_costs_the_same_queries_with_many_activities(client, cast, mont):
    client.force_login(cast["mina"])

    def add_and_count(count):
        for n in range(count):
            make_activity(mont["pole"], title=f"A{n}", actions=[mont["projects"].action],
                          organisations=list(Organisation.objects.all()[:2]))
        with CaptureQueriesContext(connection) as queries:
            workbook(client, mont["plan"])
        return len(queries)

    assert add_and_count(1) == add_and_count(60)
