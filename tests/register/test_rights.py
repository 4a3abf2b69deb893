"""Rights and workflow of the register, gesture by gesture: a submitted or approved year locks
its activities, the coordinator writes, the director and the ministry read, another pôle sees
nothing; every change is in the history."""

import datetime

import pytest

from indicators.models import Result, YearReport
from register.models import Activity
from tests.register.conftest import make_activity
from tests.register.test_views import form_data, list_url

YEAR = 2024


def drill_url(mont):
    return f"/registre/indicateurs/{mont['projects'].pk}/{YEAR}/"


@pytest.fixture
def colloque(mont):
    return make_activity(mont["pole"], title="Colloque", actions=[mont["action"]],
                         start=datetime.date(2024, 10, 1))


@pytest.mark.parametrize("state", [YearReport.State.SUBMITTED, YearReport.State.APPROVED])
def test_a_submitted_or_approved_year_locks_its_activities(client, cast, mont, colloque, state):
    YearReport.objects.create(plan=mont["plan"], year=YEAR, state=state)
    client.force_login(cast["alice"])
    edit = f"{list_url(mont['pole'])}{colloque.pk}/"
    page = client.get(edit)
    assert page.status_code == 200
    assert "elle est en lecture seule" in page.content.decode()
    assert "Enregistrer l'activité" not in page.content.decode()
    response = client.post(edit, form_data(mont, title="Changé", start_date="2024-10-01"))
    assert response.status_code == 200
    assert "ne peut plus être modifiée" in response.content.decode()
    client.post(edit + "supprimer/")
    # A new activity counting in the locked year is refused too, with what was typed kept.
    response = client.post(list_url(mont["pole"]) + "ajouter/",
                           form_data(mont, title="Nouvelle", start_date="2024-11-01"))
    assert response.status_code == 200
    assert 'value="Nouvelle"' in response.content.decode()
    assert list(Activity.objects.values_list("title", flat=True)) == ["Colloque"]
    # Nor can its computed value be replaced.
    response = client.post(drill_url(mont), {"value": "3", "reason": "Hors registre"})
    assert response.status_code == 200
    assert not Result.objects.filter(indicator=mont["projects"], year=YEAR,
                                     override_reason__gt="").exists()


def test_a_draft_year_next_to_a_locked_one_stays_open(client, cast, mont, colloque):
    YearReport.objects.create(plan=mont["plan"], year=YEAR, state=YearReport.State.APPROVED)
    client.force_login(cast["alice"])
    response = client.post(list_url(mont["pole"]) + "ajouter/",
                           form_data(mont, title="L'an prochain", start_date="2025-09-01"))
    assert response.status_code == 302
    assert Activity.objects.filter(title="L'an prochain").exists()


def test_director_reads_everything_and_changes_nothing(client, cast, mont, colloque):
    client.force_login(cast["dora"])
    assert client.get(list_url(mont["pole"])).status_code == 200
    assert client.get(drill_url(mont)).status_code == 200
    edit = f"{list_url(mont['pole'])}{colloque.pk}/"
    assert client.get(edit).status_code == 403
    assert client.post(edit, form_data(mont, title="Changé")).status_code == 403
    assert client.post(edit + "supprimer/").status_code == 403
    assert client.get(list_url(mont["pole"]) + "importer/").status_code == 403
    assert client.post(drill_url(mont), {"value": "3", "reason": "x"}).status_code == 403
    colloque.refresh_from_db()
    assert colloque.title == "Colloque"


def test_ministry_reads_every_pole_and_changes_nothing(client, cast, mont, colloque):
    client.force_login(cast["mina"])
    assert client.get(list_url(mont["pole"])).status_code == 200
    assert client.get(drill_url(mont)).status_code == 200
    edit = f"{list_url(mont['pole'])}{colloque.pk}/"
    assert client.post(edit, form_data(mont, title="Changé")).status_code == 403
    assert client.post(edit + "supprimer/").status_code == 403
    assert client.post(drill_url(mont), {"value": "3", "reason": "x"}).status_code == 403
    assert Activity.objects.get().title == "Colloque"


def test_another_pole_sees_nothing_of_the_register(client, cast, mont, colloque):
    client.force_login(cast["quentin"])
    edit = f"{list_url(mont['pole'])}{colloque.pk}/"
    for url in (list_url(mont["pole"]), edit, list_url(mont["pole"]) + "importer/",
                drill_url(mont), f"/registre/activites/{colloque.pk}/preuve/"):
        assert client.get(url).status_code == 404, url
    assert client.post(edit + "supprimer/").status_code == 404
    assert client.post(drill_url(mont), {"value": "3", "reason": "x"}).status_code == 404
    assert Activity.objects.get().title == "Colloque"


def test_every_change_to_an_activity_is_in_its_history_with_who(client, cast, mont):
    client.force_login(cast["alice"])
    assert client.post(list_url(mont["pole"]) + "ajouter/",
                       form_data(mont, title="Atelier")).status_code == 302
    activity = Activity.objects.get(title="Atelier")
    edit = f"{list_url(mont['pole'])}{activity.pk}/"
    assert client.post(edit, form_data(mont, title="Atelier régional")).status_code == 302
    assert client.post(edit + "supprimer/").status_code == 302
    records = list(Activity.history.filter(id=activity.pk).order_by("history_date",
                                                                    "history_id"))
    assert records[0].history_type == "+" and records[0].title == "Atelier"
    assert any(r.history_type == "~" and r.title == "Atelier régional" for r in records)
    assert all(r.history_user == cast["alice"] for r in records)
    assert records[-1].history_type == "-" and records[-1].title == "Atelier régional"


def test_a_computed_value_s_changes_are_in_the_result_history(client, cast, mont):
    client.force_login(cast["alice"])
    client.post(list_url(mont["pole"]) + "ajouter/", form_data(mont, title="Atelier"))
    result = Result.objects.get(indicator=mont["projects"], year=YEAR, member=None)
    first = result.history.order_by("history_date", "history_id").first()
    assert first.history_change_reason == "Calculé à partir du registre"
    assert first.history_user == cast["alice"] and first.value == 1
    client.post(drill_url(mont), {"value": "4", "reason": "Trois projets hors registre"})
    latest = result.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason == (
        "Valeur calculée remplacée : Trois projets hors registre")
    assert latest.value == 4 and latest.computed_value == 1
