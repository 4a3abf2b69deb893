"""The register seen from the entry page and the entry sheet: a computed value is shown, not
typed; it links to its activities and to the override; the sheet marks it and refuses a change.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Result
from register.models import IndicatorRule
from register.services import result_override, results_recompute
from tests.conftest import entry_data, find_indicator
from tests.indicators.test_entry_sheet import download
from tests.indicators.test_entry_sheet import upload as sheet_upload
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
    for title in ("Table régionale", "Chantier"):
        make_activity(plan.pole, title=title, actions=[projects.action], organisations=[a, b])
    results_recompute(plan=plan, year=YEAR, today=TODAY)
    return {"plan": plan, "projects": projects, "establishments": establishments}


def entry_url(plan, year=YEAR):
    return reverse("indicators:entry", args=[plan.pk, year])


def drill_url(indicator, year=YEAR):
    return reverse("register:indicator", args=[indicator.pk, year])


def test_computed_value_is_shown_read_only_with_its_activities_and_the_override_link(
        client, cast, mont):
    client.force_login(cast["alice"])
    response = client.get(entry_url(mont["plan"]))
    assert response.status_code == 200
    page = response.content.decode()
    prefix = f"i{mont['projects'].pk}"
    assert f'name="{prefix}-value"' not in page  # not an input
    assert f'data-testid="computed-value-{prefix}">2<' in page
    assert f'href="{drill_url(mont["projects"])}">voir les 2 activités</a>' in page
    assert "Remplacer la valeur calculée (avec un motif)" in page
    # A typed indicator keeps its input.
    typed = find_indicator(mont["plan"], "1.1.4", "Nb de rencontres")
    assert f'name="i{typed.pk}-value"' in page


def test_director_sees_the_computed_value_and_its_activities_but_no_override(client, cast,
                                                                              mont):
    client.force_login(cast["dora"])
    response = client.get(entry_url(mont["plan"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "voir les 2 activités" in page
    assert "Remplacer la valeur calculée" not in page


def test_an_overridden_value_says_so_with_its_reason(client, cast, mont):
    result_override(indicator=mont["projects"], year=YEAR, value=Decimal(5),
                    reason="Trois projets hors registre", user=cast["alice"])
    client.force_login(cast["alice"])
    response = client.get(entry_url(mont["plan"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Valeur remplacée : 5 (motif : Trois projets hors registre)." in page
    assert "Modifier le remplacement ou revenir à la valeur calculée" in page


def test_a_posted_computed_value_is_ignored_and_typed_lines_still_save(client, cast, mont):
    typed = find_indicator(mont["plan"], "1.1.4", "Nb de rencontres")
    projects = mont["projects"]
    client.force_login(cast["alice"])
    data = entry_data(mont["plan"], YEAR, **{f"i{projects.pk}-value": "99",
                                             f"i{typed.pk}-value": "4"})
    response = client.post(entry_url(mont["plan"]), data)
    assert response.status_code == 302
    assert Result.objects.get(indicator=projects, year=YEAR, member=None).value == 2
    assert Result.objects.get(indicator=typed, year=YEAR, member=None).value == 4


def test_a_comment_on_a_computed_line_keeps_the_computed_value(client, cast, mont):
    projects = mont["projects"]
    client.force_login(cast["alice"])
    data = entry_data(mont["plan"], YEAR, **{f"i{projects.pk}-comment": "Voir le registre"})
    assert client.post(entry_url(mont["plan"]), data).status_code == 302
    result = Result.objects.get(indicator=projects, year=YEAR, member=None)
    assert (result.value, result.comment) == (Decimal(2), "Voir le registre")


def test_entry_page_with_computed_indicators_costs_a_fixed_number_of_queries(
        client, cast, mont, django_assert_num_queries):
    client.force_login(cast["alice"])
    for n in range(30):
        make_activity(mont["plan"].pole, title=f"A{n}", actions=[mont["projects"].action])
    # 12 for the page, 6 for the register's computed values (rules and three aggregates),
    # 2 for the campaign's due dates and corrections asked (hooks.year_notices).
    # +1: the shown actions' progress (issue 25).
    with django_assert_num_queries(21):
        response = client.get(entry_url(mont["plan"]))
        assert response.status_code == 200


# --- the entry sheet ----------------------------------------------------------------------


def sheet(client, plan):
    return download(client, plan, year=YEAR)


def upload(client, plan, book):
    return sheet_upload(client, plan, book, year=YEAR)


def row_for(book, indicator):
    rows = book.active.iter_rows()
    header = [cell.value for cell in next(rows)]
    for row in rows:
        cells = dict(zip(header, row, strict=False))
        if cells["Clé"].value == f"i{indicator.pk}":
            return cells
    raise AssertionError(indicator)


def test_sheet_marks_a_computed_line(client, cast, mont):
    client.force_login(cast["alice"])
    row = row_for(sheet(client, mont["plan"]), mont["projects"])
    assert row["Source"].value == "calculé à partir du registre"
    assert row["Résultat"].value == 2


def test_sheet_changing_a_computed_value_is_refused_with_its_line(client, cast, mont):
    typed = find_indicator(mont["plan"], "1.1.4", "Nb de rencontres")
    client.force_login(cast["alice"])
    book = sheet(client, mont["plan"])
    row = row_for(book, mont["projects"])
    row["Résultat"].value = 7
    row_for(book, typed)["Résultat"].value = 4
    response = upload(client, mont["plan"], book)
    assert response.status_code == 302  # post/redirect/get: the errors wait in the session
    page = client.get(response.url).content.decode()
    line = row["Résultat"].row
    assert (f"Ligne {line} ({mont['projects'].label}) : cette valeur est calculée à partir du "
            "registre (2) et ne se modifie pas dans la feuille") in page
    # All or nothing: the typed line is not written either.
    assert Result.objects.get(indicator=mont["projects"], year=YEAR, member=None).value == 2
    assert not Result.objects.filter(indicator=typed).exists()


def test_sheet_untouched_computed_value_is_accepted(client, cast, mont):
    typed = find_indicator(mont["plan"], "1.1.4", "Nb de rencontres")
    client.force_login(cast["alice"])
    book = sheet(client, mont["plan"])
    row_for(book, typed)["Résultat"].value = 4
    response = upload(client, mont["plan"], book)
    assert response.status_code == 302
    assert Result.objects.get(indicator=typed, year=YEAR, member=None).value == 4
    assert Result.objects.get(indicator=mont["projects"], year=YEAR, member=None).value == 2


def test_headlines_count_the_registers_results_and_their_zeros_apart(client, cast, mont):
    """Issue 24, item 2b: « 1 résultat saisi, 2 calculés par le registre (dont … à zéro) »."""
    plan = mont["plan"]
    typed = find_indicator(plan, "1.1.4", "Nb de rencontres")
    client.force_login(cast["alice"])
    assert client.post(entry_url(plan), entry_data(
        plan, YEAR, **{f"i{typed.pk}-value": "4"})).status_code == 302
    computed = Result.objects.filter(indicator__action__objective__orientation__plan=plan,
                                     year=YEAR, member=None, computed_value__isnull=False)
    zeros = computed.filter(value=0).count()
    expected = (f"1 résultat saisi, {computed.count()} calculés par le registre"
                + (f" (dont {zeros} à zéro)" if zeros else ""))
    page = client.get(entry_url(plan))
    assert page.context["summary"].entered_breakdown == expected
    assert expected in page.content.decode()
    client.force_login(cast["dora"])
    dashboard = client.get(reverse("reporting:pole", args=[plan.pk]) + f"?annee={YEAR}")
    assert dashboard.status_code == 200
    assert dashboard.context["summary"].entered_breakdown == expected
    # The national view counts them apart too, as the pôle's own pages do.
    client.force_login(cast["mina"])
    national = client.get(reverse("reporting:national") + f"?annee={YEAR}")
    assert national.status_code == 200
    [row] = [row for row in national.context["rows"] if row.plan == plan]
    assert row.summary.entered_breakdown == expected
    assert (f'<span class="note" data-testid="entered-breakdown-{plan.pole.code}">{expected}'
            "</span>") in national.content.decode()
    # … and so does the pôle's workbook, on its « Résultats saisis » line.
    import io

    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(client.get(
        reverse("reporting:pole_export", args=[plan.pk]) + f"?annee={YEAR}").content))
    [line] = [row for row in book["Sommaire"].iter_rows(values_only=True)
              if row[0] == "Résultats saisis"]
    assert line[3] == expected
    # A computed value a person replaced (with a reason) counts as entered by a person.
    result_override(indicator=mont["projects"], year=YEAR, value=Decimal(9),
                    reason="Recompté", user=cast["alice"])
    client.force_login(cast["alice"])
    summary = client.get(entry_url(plan)).context["summary"]
    assert (summary.typed, summary.computed) == (2, computed.count() - 1)
