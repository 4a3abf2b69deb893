"""Action progress (issue 25, item 1): state, narrative and reason per action and year,
entered beside the indicators on the entry page and in the entry sheet, locked with the
year, versioned and in the history."""

import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from indicators.action_entry import ActionPage
from indicators.action_progress import ActionEntry, action_progress_save
from indicators.models import Action, ActionProgress, Result, YearReport
from indicators.selectors import action_progress_of, plan_progress
from indicators.services import YearLocked, year_transition
from tests.conftest import entry_data, find_indicator
from tests.indicators.test_entry_sheet import download, upload

YEAR = 2025
NARRATIVE = "Deux ateliers tenus :\n- Longueuil\n- Saint-Jean\n\n=pas une formule"


def url(plan, year=YEAR):
    return reverse("indicators:entry", args=[plan.pk, year])


def action_of(plan, code="1.1.1") -> Action:
    return Action.objects.get(objective__orientation__plan=plan, code=code)


def action_data(plan, **overrides) -> dict:
    """The entry page's POST data untouched (results and actions), plus ``overrides``."""
    page = ActionPage(list(dict.fromkeys(i.action for i in plan_progress(plan, YEAR))),
                      action_progress_of(plan, YEAR))
    return {**entry_data(plan, YEAR), **page.post_data(), **overrides}


def test_coordinator_records_an_action_state_and_narrative(client, cast, seed):
    plan = seed["monteregie"]
    action = action_of(plan)
    client.force_login(cast["alice"])
    page = client.get(url(plan)).content.decode()
    assert f'name="a{action.pk}-state"' in page
    response = client.post(url(plan), action_data(plan, **{
        f"a{action.pk}-state": "in_progress", f"a{action.pk}-narrative": NARRATIVE}))
    assert response.status_code == 302
    progress = ActionProgress.objects.get(action=action, year=YEAR)
    assert (progress.state, progress.narrative, progress.version) == (
        "in_progress", NARRATIVE, 1)
    assert progress.updated_by == cast["alice"]
    assert progress.history.count() == 1
    assert progress.history.first().history_user == cast["alice"]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "1 avancement d'action enregistré."]


def test_an_untouched_page_changes_no_action(client, cast, seed):
    plan = seed["monteregie"]
    action = action_of(plan)
    ActionProgress.objects.create(action=action, year=YEAR, state="done", narrative="Fait.")
    client.force_login(cast["alice"])
    client.post(url(plan), action_data(plan))
    assert ActionProgress.objects.get(action=action, year=YEAR).version == 1


def test_a_postponed_action_needs_a_reason_and_nothing_is_saved_without_it(client, cast, seed):
    plan = seed["monteregie"]
    action = action_of(plan)
    projects = find_indicator(plan, "1.1.1", "Nb de projets")
    client.force_login(cast["alice"])
    response = client.post(url(plan), action_data(plan, **{
        f"a{action.pk}-state": "postponed", f"i{projects.pk}-value": "4"}))
    assert response.status_code == 200
    assert "Une action reportée doit dire pourquoi" in response.content.decode()
    assert not ActionProgress.objects.exists()
    assert not Result.objects.filter(indicator=projects, year=YEAR).exists()  # all or nothing


def test_a_narrative_without_a_state_is_refused(client, cast, seed):
    plan = seed["monteregie"]
    action = action_of(plan)
    client.force_login(cast["alice"])
    response = client.post(url(plan), action_data(plan, **{
        f"a{action.pk}-narrative": "Du texte"}))
    assert response.status_code == 200
    assert "Choisissez l&#x27;état de l&#x27;action" in response.content.decode()


def test_the_narrative_is_shown_as_plain_text_never_html(client, cast, seed):
    plan = seed["monteregie"]
    action = action_of(plan)
    ActionProgress.objects.create(action=action, year=YEAR, state="done",
                                  narrative="<script>alert(1)</script>\n- a")
    year_transition(plan=plan, year=YEAR, action="submit", user=cast["alice"], notify=False)
    client.force_login(cast["alice"])
    page = client.get(url(plan)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>- a" in page
    assert "<script>alert(1)" not in page


def test_a_submitted_year_refuses_action_progress(client, cast, seed):
    plan = seed["monteregie"]
    action = action_of(plan)
    data = action_data(plan, **{f"a{action.pk}-state": "done"})
    year_transition(plan=plan, year=YEAR, action="submit", user=cast["alice"], notify=False)
    client.force_login(cast["alice"])
    response = client.post(url(plan), data)
    assert response.status_code == 409
    assert not ActionProgress.objects.exists()
    with pytest.raises(YearLocked):
        action_progress_save(plan=plan, year=YEAR, user=cast["alice"], entries=[
            ActionEntry(action=action, fields={"state": "done", "narrative": "",
                                               "reason": ""}, seen_version=None)])


def test_two_people_on_one_action_conflict_and_nothing_is_written(client, cast, seed):
    plan = seed["monteregie"]
    action = action_of(plan)
    projects = find_indicator(plan, "1.1.1", "Nb de projets")
    seen = action_data(plan)  # alice's page, read before bob saves
    ActionProgress.objects.create(action=action, year=YEAR, state="done", narrative="Bob",
                                  updated_by=cast["dora"])
    client.force_login(cast["alice"])
    response = client.post(url(plan), {**seen, f"a{action.pk}-state": "in_progress",
                                       f"i{projects.pk}-value": "2"})
    assert response.status_code == 409
    assert "a enregistré l&#x27;avancement de cette action entre-temps" in (
        response.content.decode())
    assert ActionProgress.objects.get(action=action).state == "done"
    assert not Result.objects.filter(indicator=projects, year=YEAR).exists()
    # The page now carries the current version: saving again keeps what alice typed.
    again = response.context["action_page"].post_data()
    response = client.post(url(plan), {**seen, **again})
    assert response.status_code == 302
    progress = ActionProgress.objects.get(action=action)
    assert (progress.state, progress.version) == ("in_progress", 2)


def test_read_only_role_sees_the_state_and_cannot_post(client, cast, seed):
    plan = seed["monteregie"]
    action = action_of(plan)
    ActionProgress.objects.create(action=action, year=YEAR, state="ongoing")
    client.force_login(cast["mina"])
    response = client.get(url(plan))
    assert response.status_code == 200
    assert "en continu" in response.content.decode()
    assert client.post(url(plan), action_data(plan)).status_code == 403


def test_coordinator_of_another_pole_gets_404(client, cast, seed):
    client.force_login(cast["quentin"])
    plan = seed["monteregie"]
    assert client.post(url(plan), action_data(plan)).status_code == 404


def test_a_model_check_refuses_a_postponed_action_without_reason(seed):
    from django.db import IntegrityError, transaction
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionProgress.objects.create(action=action_of(seed["monteregie"]), year=YEAR,
                                      state="abandoned")


# --- the entry sheet -------------------------------------------------------------------------


def actions_sheet(book):
    return book["Actions"]


def action_row(sheet, code):
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("Action")].value == code:
            return {name: cell for name, cell in zip(header, row, strict=False)}
    raise AssertionError(code)


def test_the_sheet_carries_the_actions_and_an_untouched_upload_changes_nothing(
        client, cast, seed):
    plan = seed["monteregie"]
    action = action_of(plan)
    ActionProgress.objects.create(action=action, year=YEAR, state="postponed",
                                  narrative=NARRATIVE, reason="Budget\nreporté")
    before = list(ActionProgress.objects.values())
    client.force_login(cast["alice"])
    book = download(client, plan)
    row = action_row(actions_sheet(book), "1.1.1")
    assert row["État de l'action"].value == "reportée"
    assert row["Ce qui a été fait"].value == NARRATIVE
    response = upload(client, plan, book)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Feuille importée : aucun changement."]
    assert list(ActionProgress.objects.values()) == before


def test_states_and_narratives_written_in_the_sheet_are_saved_exactly(client, cast, seed):
    plan = seed["monteregie"]
    client.force_login(cast["alice"])
    book = download(client, plan)
    row = action_row(actions_sheet(book), "1.1.1")
    row["État de l'action"].value = "Abandonnée"
    row["Ce qui a été fait"].value = NARRATIVE
    row["Motif (reportée ou abandonnée)"].value = "Partenaire retiré"
    response = upload(client, plan, book)
    assert response.status_code == 302
    progress = ActionProgress.objects.get(action=action_of(plan), year=YEAR)
    assert (progress.state, progress.narrative, progress.reason) == (
        "abandoned", NARRATIVE, "Partenaire retiré")


def test_a_sheet_with_a_bad_action_row_saves_nothing_at_all(client, cast, seed):
    plan = seed["monteregie"]
    projects = find_indicator(plan, "1.1.1", "Nb de projets")
    client.force_login(cast["alice"])
    book = download(client, plan)
    from tests.indicators.test_entry_sheet import row_for
    row_for(book.active, projects.label)["Résultat"].value = 5
    row = action_row(actions_sheet(book), "1.1.1")
    row["État de l'action"].value = "presque finie"
    action_row(actions_sheet(book), "1.1.2")["État de l'action"].value = "reportée"
    response = upload(client, plan, book)
    assert response.status_code == 302  # post/redirect/get
    page = client.get(response.url).content.decode()
    assert "état « presque finie » inconnu" in page
    assert "Une action reportée doit dire pourquoi" in page
    assert not Result.objects.filter(indicator=projects, year=YEAR).exists()
    assert not ActionProgress.objects.exists()


def test_a_sheet_upload_after_submission_saves_nothing(client, cast, seed):
    plan = seed["monteregie"]
    client.force_login(cast["alice"])
    book = download(client, plan)
    action_row(actions_sheet(book), "1.1.1")["État de l'action"].value = "réalisée"
    year_transition(plan=plan, year=YEAR, action="submit", user=cast["alice"], notify=False)
    response = upload(client, plan, book)
    assert response.status_code == 302
    assert "rien n&#x27;a été enregistré" in client.get(response.url).content.decode()
    assert not ActionProgress.objects.exists()
    assert YearReport.objects.get(plan=plan, year=YEAR).state == "submitted"


def test_the_sheet_without_actions_tab_changes_no_action(client, cast, seed):
    plan = seed["monteregie"]
    client.force_login(cast["alice"])
    book = download(client, plan)
    del book["Actions"]
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(client, plan, openpyxl.load_workbook(io.BytesIO(buffer.getvalue())))
    assert response.status_code == 302
    assert not ActionProgress.objects.exists()


def test_the_demo_records_action_progress_through_the_service(seed):
    from indicators.demo import DEMO_YEAR, demo_load

    demo_load([seed["monteregie"], seed["quebec"]])
    rows = ActionProgress.objects.filter(year=DEMO_YEAR)
    assert rows.count() == Action.objects.count()
    assert all(row.history.count() == 1 and row.updated_by_id for row in rows)
    assert all(row.reason for row in rows if row.state in ActionProgress.REASON_STATES)
    demo_load([seed["monteregie"], seed["quebec"]])  # idempotent
    assert ActionProgress.objects.filter(year=DEMO_YEAR).count() == rows.count()


def test_action_progress_changes_are_in_the_years_journal(client, cast, seed):
    plan = seed["monteregie"]
    action = action_of(plan)
    action_progress_save(plan=plan, year=YEAR, user=cast["alice"], entries=[ActionEntry(
        action=action, fields={"state": "in_progress", "narrative": "", "reason": ""},
        seen_version=None)])
    action_progress_save(plan=plan, year=YEAR, user=cast["alice"], entries=[ActionEntry(
        action=action, fields={"state": "postponed", "narrative": "", "reason": "Budget"},
        seen_version=1)])
    client.force_login(cast["dora"])
    response = client.get(reverse("reporting:pole_export", args=[plan.pk]) + f"?annee={YEAR}")
    journal = list(openpyxl.load_workbook(io.BytesIO(response.content))["Journal"]
                   .iter_rows(min_row=2, values_only=True))
    states = [(row[4], row[5], row[6]) for row in journal if row[3] == "Avancement 2025-2026"]
    # Newest first; the two fields of one save share their time.
    assert set(states[:2]) == {("état de l'action", "en cours", "reportée"),
                               ("motif", "—", "Budget")}
    assert states[2:] == [("état de l'action", "—", "en cours")]
