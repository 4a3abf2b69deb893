"""Optimistic concurrency on activities: the form posts the version it showed; a stale save
is a conflict shown side by side with the person's values kept, and saving again works. The
version moves only when a value or a link changes."""

import datetime
import html

import pytest

from register import services
from register.models import Activity
from tests.register.conftest import make_activity, make_org
from tests.register.test_views import form_data, list_url


def page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def activity(mont):
    return make_activity(mont["pole"], title="Table de concertation", actions=[mont["action"]],
                         start=datetime.date(2024, 9, 10), participants_students=12,
                         participants_teachers=3, people_reached=40)


def edit_url(mont, activity) -> str:
    return f"{list_url(mont['pole'])}{activity.pk}/"


def test_the_form_shows_the_version_it_will_post(client, cast, mont, activity):
    client.force_login(cast["alice"])
    response = client.get(edit_url(mont, activity))
    assert response.status_code == 200
    assert 'name="seen_version" value="1"' in response.content.decode()


def test_a_save_bumps_the_version_once_and_an_unchanged_save_does_not(client, cast, mont,
                                                                      activity):
    client.force_login(cast["alice"])
    url = edit_url(mont, activity)
    assert client.post(url, form_data(mont, seen_version="1")).status_code == 302
    activity.refresh_from_db()
    assert activity.version == 1
    history = activity.history.count()
    assert client.post(url, form_data(mont, title="Changé", seen_version="1")).status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("Changé", 2)
    assert activity.history.count() > history


def test_a_link_change_alone_bumps_the_version(client, cast, mont, activity):
    cegep = make_org("Cégep A")
    client.force_login(cast["alice"])
    response = client.post(edit_url(mont, activity),
                           form_data(mont, organisations=[cegep.pk], seen_version="1"))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.version == 2 and list(activity.organisations.all()) == [cegep]


def test_a_stale_save_is_a_conflict_shown_side_by_side_and_nothing_is_written(client, cast,
                                                                              mont, activity):
    # Someone else saved first: title and students changed, version 2.
    mine = Activity.objects.get(pk=activity.pk)
    theirs = Activity.objects.get(pk=activity.pk)
    theirs.title, theirs.participants_students = "Leur titre", 20
    services.activity_save(activity=theirs, user=cast["alice"], actions=[mont["action"]],
                           organisations=[], seen_version=1)
    assert mine.version == 1
    client.force_login(cast["alice"])
    response = client.post(edit_url(mont, activity),
                           form_data(mont, title="Mon titre", participants_students="12",
                                     participants_teachers="9", seen_version="1"))
    assert response.status_code == 200
    text = page(response)
    assert "Quelqu'un a modifié cette activité" in text
    assert "<tr><th scope=\"row\">titre</th><td>Leur titre</td><td>Mon titre</td></tr>" in text
    assert "<td>20</td><td>12</td>" in text and "<td>3</td><td>9</td>" in text
    assert "personnes touchées" not in text.split('data-testid="conflict"')[1].split(
        "</table>")[0]  # equal on both sides: not listed
    assert 'value="Mon titre"' in text  # what was typed is kept
    assert 'name="seen_version" value="2"' in text  # the version now seen
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("Leur titre", 2)


def test_saving_again_after_a_conflict_replaces_the_newer_version(client, cast, mont, activity):
    Activity.objects.filter(pk=activity.pk).update(title="Leur titre", version=2)
    client.force_login(cast["alice"])
    url = edit_url(mont, activity)
    assert client.post(url, form_data(mont, title="Mon titre", seen_version="1")
                       ).status_code == 200
    assert client.post(url, form_data(mont, title="Mon titre", seen_version="2")
                       ).status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("Mon titre", 3)


def test_the_service_refuses_a_stale_version_and_writes_nothing(cast, mont, activity):
    Activity.objects.filter(pk=activity.pk).update(version=4)
    activity.title = "Écrasé ?"
    with pytest.raises(services.ActivityConflict) as caught:
        services.activity_save(activity=activity, user=cast["alice"],
                               actions=[mont["action"]], organisations=[], seen_version=3)
    assert caught.value.current.version == 4
    assert Activity.objects.get(pk=activity.pk).title == "Table de concertation"


def test_the_conflict_page_is_refused_to_a_director_and_another_pole(client, cast, mont,
                                                                     activity):
    url = edit_url(mont, activity)
    client.force_login(cast["dora"])
    assert client.post(url, form_data(mont, title="X", seen_version="1")).status_code == 403
    client.force_login(cast["quentin"])
    assert client.post(url, form_data(mont, title="X", seen_version="1")).status_code == 404
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("Table de concertation", 1)


def test_an_unreadable_version_is_an_invalid_form(client, cast, mont, activity):
    client.force_login(cast["alice"])
    response = client.post(edit_url(mont, activity), form_data(mont, title="X",
                                                               seen_version="abc"))
    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.title == "Table de concertation"


def test_a_reference_already_used_in_the_pole_is_refused_beside_the_field(client, cast, mont,
                                                                         activity):
    make_activity(mont["pole"], title="Autre", reference="MR-1")
    client.force_login(cast["alice"])
    response = client.post(edit_url(mont, activity), form_data(mont, reference="MR-1",
                                                               seen_version="1"))
    assert response.status_code == 200
    assert "La référence « MR-1 » est déjà celle d'une autre activité du pôle." in page(response)
    assert client.post(edit_url(mont, activity), form_data(mont, reference="MR-2",
                                                           seen_version="1")).status_code == 302
    activity.refresh_from_db()
    assert (activity.reference, activity.version) == ("MR-2", 2)
