"""Whole-period targets are judged at the end of their period and counted apart from annual
targets in every headline (issue 14, item 4). Today is pinned to 2026-06-15."""

import io

import openpyxl
from django.urls import reverse

from indicators.progress import summarize
from indicators.selectors import plan_progress
from indicators.targets import Status
from tests.conftest import find_indicator, make_indicator, make_plan, make_result

YEAR = 2024


def mixed_plan():
    plan = make_plan("mixte")
    met = make_indicator(plan, "Nb de projets", targets={YEAR: "2"})
    make_result(met, YEAR, 3)
    missed = make_indicator(plan, "Nb d'ateliers", targets={YEAR: "10"}, action_code="1.1.2")
    make_result(missed, YEAR, 4)
    rate = make_indicator(plan, "Taux de satisfaction", targets={None: "60 % et plus"},
                          unit="percent", action_code="1.1.3")
    make_result(rate, YEAR, 40)  # under the target, but the period runs until 2027-03-31
    reached = make_indicator(plan, "Nb de guides", targets={None: "5"}, cumulative=True,
                             action_code="1.1.4")
    make_result(reached, YEAR, 6)
    return plan


def test_period_targets_are_in_progress_and_counted_apart(db):
    plan = mixed_plan()
    items = plan_progress(plan, YEAR)
    statuses = {item.indicator.label: item.status for item in items}
    assert statuses == {"Nb de projets": Status.MET, "Nb d'ateliers": Status.NOT_MET,
                        "Taux de satisfaction": Status.IN_PROGRESS,
                        "Nb de guides": Status.IN_PROGRESS}
    summary = summarize(items)
    assert (summary.measured, summary.met) == (2, 1)
    assert summary.period_total == 2
    assert summary.headline == (
        "1 des 2 cibles annuelles mesurées (50\u00a0%) ont été atteintes ; 2 cibles de "
        "période, en cours jusqu'au 2027-03-31.")


def test_the_workbook_summary_and_the_dashboard_say_the_same_sentence(client, cast, db):
    plan = mixed_plan()
    client.force_login(cast["sam"])
    response = client.get(reverse("reporting:pole_export", args=[plan.pk]) + f"?annee={YEAR}")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [c.value for row in book["Sommaire"].iter_rows() for c in row]
    sentence = summarize(plan_progress(plan, YEAR)).headline
    assert sentence in cells
    page = client.get(reverse("reporting:pole", args=[plan.pk]) + f"?annee={YEAR}")
    assert page.status_code == 200
    assert sentence.replace("'", "&#x27;") in page.content.decode()


def test_pole_quebec_period_targets_do_not_count_as_annual_targets(seed):
    plan = seed["quebec"]
    rate = find_indicator(plan, "O1.1.1", "Taux de satisfaction")
    make_result(rate, YEAR, 55)  # « 80 % et plus » over 2024-2027
    items = plan_progress(plan, YEAR)
    item = next(i for i in items if i.indicator == rate)
    assert item.status is Status.IN_PROGRESS
    assert "jugée à la fin de 2026-2027" in item.evaluation.reason
    summary = summarize(items)
    assert summary.measured == 0 and summary.period_total == 19
    assert summary.headline == (
        "Aucune cible annuelle n'a encore été mesurée ; 19 cibles de période, en cours "
        "jusqu'au 2027-03-31.")


def test_national_summary_counts_period_targets_apart(client, cast, seed):
    client.force_login(cast["mina"])
    response = client.get(reverse("reporting:national_export") + f"?annee={YEAR}")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Sommaire"]
    header = [c.value for c in sheet[4]]
    rows = {row[0].value: dict(zip(header, (c.value for c in row), strict=False))
            for row in sheet.iter_rows(min_row=5)}
    quebec = rows[seed["quebec"].pole.name]
    assert quebec["Cibles annuelles atteintes / mesurées"] == "0 / 0"
    assert quebec["Cibles de période"] == 19
    assert "19 cibles de période, en cours jusqu'au 2027-03-31" in quebec["Phrase du rapport"]
    assert rows[seed["monteregie"].pole.name]["Cibles de période"] == 0


def test_entry_page_headline_counts_period_targets_apart(client, cast, seed):
    plan = seed["quebec"]
    make_result(find_indicator(plan, "O1.1.1", "Taux de satisfaction"), YEAR, 55)
    client.force_login(cast["quentin"])
    response = client.get(reverse("indicators:entry", args=[plan.pk, YEAR]))
    assert response.status_code == 200
    assert ("Aucune cible annuelle n&#x27;a encore été mesurée ; 19 cibles de période, en cours "
            "jusqu&#x27;au 2027-03-31.") in response.content.decode()
