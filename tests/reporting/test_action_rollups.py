"""Action states rolled up (issue 25, item 2): per orientation on the pôle dashboard with the
narratives one click away, per pôle and per MES theme on the national view, and the
workbook's Actions sheet."""

import io

import openpyxl
import pytest
from django.urls import reverse

from indicators.models import Action, ActionProgress, Theme

YEAR = 2025


@pytest.fixture
def progressed(seed):
    plan = seed["monteregie"]
    actions = {a.code: a for a in Action.objects.filter(objective__orientation__plan=plan)}
    ActionProgress.objects.create(action=actions["1.1.1"], year=YEAR, state="done",
                                  narrative="Comité formé.\n- 6 membres")
    ActionProgress.objects.create(action=actions["1.1.2"], year=YEAR, state="abandoned",
                                  reason="Partenaire retiré")
    ActionProgress.objects.create(action=actions["1.1.3"], year=YEAR - 1, state="done")
    theme = Theme.objects.get(number=1)
    actions["1.1.1"].themes.add(theme)
    actions["1.1.2"].themes.add(theme)
    return plan


def test_pole_dashboard_shows_action_states_per_orientation_and_the_narratives(
        client, cast, progressed):
    client.force_login(cast["dora"])
    response = client.get(reverse("reporting:pole", args=[progressed.pk]) + f"?annee={YEAR}")
    assert response.status_code == 200
    groups = response.context["action_groups"]
    columns = [state for state, _label in response.context["action_columns"]]
    first = groups[0]
    assert first.counts[columns.index("done")] == 1
    assert first.counts[columns.index("abandoned")] == 1
    assert sum(sum(group.counts) for group in groups) == Action.objects.filter(
        objective__orientation__plan=progressed).count()
    html = response.content.decode()
    assert "<details><summary>Ce qui a été fait</summary><p>Comité formé.<br>- 6 membres" in html
    assert "Partenaire retiré" in html


def test_national_view_counts_action_states_per_pole_and_per_theme(client, cast, progressed,
                                                                  seed):
    client.force_login(cast["mina"])
    response = client.get(reverse("reporting:national") + f"?annee={YEAR}")
    assert response.status_code == 200
    columns = [state for state, _label in response.context["action_columns"]]
    by_pole = {row.label: row.counts for row in response.context["actions_by_pole"]}
    mont = by_pole[progressed.pole.name]
    assert (mont[columns.index("done")], mont[columns.index("abandoned")]) == (1, 1)
    assert sum(by_pole[seed["quebec"].pole.name][:-1]) == 0  # nothing recorded yet
    by_theme = {row.label.split()[0]: row.counts for row in response.context["actions_by_theme"]}
    assert by_theme["O1"][columns.index("done")] == 1
    assert by_theme["O1"][columns.index("abandoned")] == 1
    html = response.content.decode()
    assert 'data-testid="actions-by-pole"' in html and 'data-testid="actions-by-theme"' in html


def test_a_pole_person_sees_only_their_pole_on_the_national_view(client, cast, progressed,
                                                                seed):
    client.force_login(cast["quentin"])
    response = client.get(reverse("reporting:national") + f"?annee={YEAR}")
    assert response.status_code == 200
    assert [row.label for row in response.context["actions_by_pole"]] == [
        seed["quebec"].pole.name]


def test_the_pole_workbook_has_the_actions_sheet(client, cast, progressed):
    client.force_login(cast["dora"])
    response = client.get(reverse("reporting:pole_export", args=[progressed.pk])
                          + f"?annee={YEAR}")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Actions"]
    header = [c.value for c in sheet[1]]
    assert header == ["Orientation", "Code", "Action", "État de l'action", "Ce qui a été fait",
                      "Motif", "Indicateurs atteints / mesurés"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["1.1.1"][3:6] == ("réalisée", "Comité formé.\n- 6 membres", None)
    assert rows["1.1.2"][3] == "abandonnée" and rows["1.1.2"][5] == "Partenaire retiré"
    assert rows["1.1.3"][3] == "non renseigné"  # its state is of another year
    assert rows["1.1.1"][6] == "0 / 0"


def test_the_national_workbook_has_every_poles_actions(client, cast, progressed):
    client.force_login(cast["mina"])
    response = client.get(reverse("reporting:national_export") + f"?annee={YEAR}")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Actions"]
    poles = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert progressed.pole.name in poles and len(poles) == 2
