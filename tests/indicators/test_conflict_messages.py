"""A refused save says who saved the line meanwhile: « vous » when it was the person
themself (another tab, the entry sheet), the person's name when one is recorded, « quelqu'un
d'autre » only when nobody is; the page's message names each line (issue 24)."""

import html

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from indicators.action_entry import action_conflict_message, stale_action_message
from indicators.action_progress import ActionConflict, ActionEntry
from indicators.entry import conflict_message, conflicts_message
from indicators.models import Action, ActionProgress, Result
from indicators.services import Conflict, Entry, results_save
from tests.conftest import entry_data, find_indicator
from tests.indicators.test_action_progress import action_data, action_row, actions_sheet
from tests.indicators.test_entry_sheet import download, upload

YEAR = 2025


def url(plan, year=YEAR):
    return reverse("indicators:entry", args=[plan.pk, year])


@pytest.fixture
def projects(seed):
    return find_indicator(seed["monteregie"], "1.1.1", "Nb de projets")


@pytest.fixture
def named(cast):
    dora = cast["dora"]
    dora.first_name, dora.last_name = "Dora", "Lavoie"
    dora.save()
    return dora


def saved_meanwhile(plan, projects, by):
    """alice's page, read before ``by`` (None: nobody recorded) saves 1.1.1 « Nb de
    projets »; alice then types 2 on it."""
    stale = entry_data(plan, YEAR)
    results_save(plan=plan, year=YEAR, user=by, entries=[
        Entry(indicator=projects, member=None, fields={"value": 4}, seen_version=None)])
    if by is None:
        assert Result.objects.get(indicator=projects, year=YEAR).updated_by is None
    stale[f"i{projects.pk}-value"] = "2"
    return stale


def refused(client, cast, plan, data):
    client.force_login(cast["alice"])
    response = client.post(url(plan), data)
    assert response.status_code == 409
    message = [str(m) for m in get_messages(response.wsgi_request)]
    return html.unescape(response.content.decode()), message


def test_a_line_you_saved_meanwhile_says_you(client, cast, seed, projects):
    plan = seed["monteregie"]
    page, message = refused(client, cast, plan, saved_meanwhile(plan, projects, cast["alice"]))
    assert "Vous avez enregistré ce résultat entre-temps, dans un autre onglet ou par la " \
           "feuille de saisie (valeur actuelle : 4" in page
    assert "quelqu'un" not in page.lower()
    assert message == [
        "Rien n'a été enregistré : 1 ligne que vous avez modifiée a aussi été enregistrée "
        "pendant votre saisie — 1.1.1 Nb de projets (par vous, dans un autre onglet ou par la "
        "feuille de saisie). Choisissez la valeur à garder, puis enregistrez de nouveau."]


def test_a_line_someone_named_saved_meanwhile_gives_their_name(client, cast, seed, projects,
                                                                named):
    plan = seed["monteregie"]
    page, message = refused(client, cast, plan, saved_meanwhile(plan, projects, named))
    assert "Dora Lavoie a enregistré ce résultat entre-temps (valeur actuelle : 4" in page
    assert "quelqu'un" not in page.lower()
    assert "1.1.1 Nb de projets (par Dora Lavoie)" in message[0]


def test_only_a_line_saved_by_nobody_recorded_says_someone_else(client, cast, seed, projects):
    plan = seed["monteregie"]
    page, message = refused(client, cast, plan, saved_meanwhile(plan, projects, None))
    assert "Quelqu'un d'autre a enregistré ce résultat entre-temps (valeur actuelle : 4" in page
    assert "1.1.1 Nb de projets (par quelqu'un d'autre)" in message[0]


def test_the_page_message_counts_and_names_each_line_and_action(cast, seed, projects, named):
    """Two lines: the plural, each line with its action's code, then the action."""
    action = Action.objects.get(pk=projects.action_id)
    other = find_indicator(seed["monteregie"], "1.1.4", "Nb de rencontres")
    mine = Result(indicator=projects, year=YEAR, value=4, updated_by=cast["alice"])
    theirs = Result(indicator=other, year=YEAR, value=5, updated_by=named)
    progress = ActionProgress(action=action, year=YEAR, state="done", updated_by=None)
    message = conflicts_message(
        [Conflict(Entry(indicator=projects, member=None, fields={}, seen_version=1), mine),
         Conflict(Entry(indicator=other, member=None, fields={}, seen_version=1), theirs)],
        [ActionConflict(ActionEntry(action=action, fields={}, seen_version=1), progress)],
        cast["alice"])
    assert message.startswith("Rien n'a été enregistré : 3 lignes que vous avez modifiées ont "
                              "aussi été enregistrées pendant votre saisie — ")
    assert ("1.1.1 Nb de projets (par vous, dans un autre onglet ou par la feuille de saisie)"
            " ; 1.1.4 Nb de rencontres (par Dora Lavoie) ; Action 1.1.1 (par quelqu'un "
            "d'autre). Choisissez la valeur à garder pour chacune") in message


def test_the_line_message_says_you_only_to_the_person_who_saved_it(cast, projects, named):
    current = Result(indicator=projects, year=YEAR, value=4, updated_by=cast["alice"])
    from django.utils import timezone
    current.updated_at = timezone.now()
    conflict = Conflict(Entry(indicator=projects, member=None, fields={}, seen_version=1),
                        current)
    assert conflict_message(conflict, cast["alice"]).startswith("Vous avez enregistré")
    assert conflict_message(conflict, named).startswith("alice a enregistré")


@pytest.mark.parametrize("who, line, named_as", [
    ("alice", "Vous avez enregistré l'avancement de cette action entre-temps, dans un autre "
              "onglet ou par la feuille de saisie (état actuel : réalisée)",
     "par vous, dans un autre onglet ou par la feuille de saisie"),
    ("dora", "Dora Lavoie a enregistré l'avancement de cette action entre-temps (état actuel : "
             "réalisée)", "par Dora Lavoie"),
    (None, "Quelqu'un d'autre a enregistré l'avancement de cette action entre-temps (état "
           "actuel : réalisée)", "par quelqu'un d'autre"),
])
def test_an_action_saved_meanwhile_names_who(client, cast, seed, named, who, line, named_as):
    plan = seed["monteregie"]
    action = Action.objects.get(code="1.1.1", objective__orientation__plan=plan)
    seen = action_data(plan)
    ActionProgress.objects.create(action=action, year=YEAR, state="done",
                                  updated_by=cast[who] if who else None)
    page, message = refused(client, cast, plan, {**seen, f"a{action.pk}-state": "in_progress"})
    assert line in page
    assert f"— Action 1.1.1 ({named_as}). Choisissez la valeur à garder" in message[0]
    conflict = ActionConflict(ActionEntry(action=action, fields={}, seen_version=1),
                              ActionProgress.objects.get(action=action))
    assert action_conflict_message(conflict, cast["alice"]).startswith(line)


def test_a_stale_action_row_of_the_sheet_names_its_line_and_who(client, cast, seed, named):
    plan = seed["monteregie"]
    action = Action.objects.get(code="1.1.1", objective__orientation__plan=plan)
    client.force_login(cast["alice"])
    book = download(client, plan)
    row = action_row(actions_sheet(book), "1.1.1")
    row["État de l'action"].value = "réalisée"
    line = row["État de l'action"].row
    progress = ActionProgress.objects.create(action=action, year=YEAR, state="in_progress",
                                             updated_by=named)
    response = upload(client, plan, book)
    assert response.status_code == 302
    errors = client.get(response.url).context["upload_errors"]
    from django.utils import timezone
    when = timezone.localtime(progress.updated_at).strftime("%Y-%m-%d %H:%M")
    assert errors == [f"Onglet « Actions », ligne {line} (action 1.1.1) : Dora Lavoie a "
                      f"modifié cet avancement le {when}, après le téléchargement de cette "
                      "feuille ; téléchargez-la de nouveau."]
    conflict = ActionConflict(ActionEntry(action=action, fields={}, seen_version=None),
                              ActionProgress.objects.get(action=action))
    assert "vous avez modifié cet avancement" in stale_action_message(conflict, 3, named)
    conflict.current.updated_by = None
    assert stale_action_message(conflict, None, cast["alice"]).startswith(
        "Action 1.1.1 : quelqu'un d'autre a modifié cet avancement le ")
