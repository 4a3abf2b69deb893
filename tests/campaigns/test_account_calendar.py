"""People see their reminders on their account page, and subscribe to their pôle's due
dates as an iCalendar feed."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from campaigns.access import calendar_token
from campaigns.models import Extension
from campaigns.services import reminders_send
from indicators.models import Membership
from tests.campaigns.conftest import make_campaign


def test_each_person_sees_only_their_own_reminders(client, cast, seed, campaign,
                                                   django_assert_num_queries):
    reminders_send(today=datetime.date(2026, 6, 23))
    client.force_login(cast["alice"])
    client.get(reverse("campaigns:account"))
    # Session, user, membership, pôle, reminders.
    with django_assert_num_queries(5):
        response = client.get(reverse("campaigns:account"))
        assert response.status_code == 200
        assert [r.user_id for r in response.context["reminders"]] == [cast["alice"].pk]
    html = response.content.decode()
    assert "dans 7 jours" in html and 'data-testid="calendar-link"' in html
    client.force_login(cast["mina"])
    response = client.get(reverse("campaigns:account"))
    assert response.status_code == 200
    assert response.context["reminders"] == [] and response.context["calendars"] == []
    assert "Aucun rappel ne vous a été envoyé." in response.content.decode()


def test_the_account_page_is_read_only_and_asks_to_log_in(client, cast):
    response = client.get(reverse("campaigns:account"))
    assert response.status_code == 302 and "/compte/login/" in response["Location"]
    client.force_login(cast["alice"])
    assert client.post(reverse("campaigns:account")).status_code == 405


def calendar_url(user, pole):
    return reverse("campaigns:calendar", kwargs={"token": calendar_token(user, pole)})


def test_the_calendar_feed_lists_the_poles_due_dates(client, cast, seed, campaign):
    pole = seed["quebec"].pole
    make_campaign(cast["mina"], year=2024, submission_due=datetime.date(2025, 6, 30),
                  approval_due=datetime.date(2025, 9, 30))
    Extension.objects.create(campaign=campaign, pole=pole,
                             submission_due=datetime.date(2026, 7, 15),
                             approval_due=datetime.date(2026, 8, 15), reason="Congé",
                             granted_by=cast["mina"])
    # No session: a calendar application fetches the signed address.
    response = client.get(calendar_url(cast["quentin"], pole))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(response.content).walk("VEVENT")
    days = sorted((e.decoded("dtstart").isoformat(), str(e["summary"])) for e in events)
    assert days == [
        ("2025-06-30", "Reddition 2024-2025 : soumission à la direction"),
        ("2025-09-30", "Reddition 2024-2025 : approbation par la direction"),
        ("2026-07-15", "Reddition 2025-2026 : soumission à la direction"),
        ("2026-08-15", "Reddition 2025-2026 : approbation par la direction"),
    ]
    assert any("Congé" in str(e["description"]) for e in events)
    assert len({str(e["uid"]) for e in events}) == 4


@pytest.mark.parametrize("token", ["abc", "x" * 60, "%00"])
def test_a_forged_calendar_address_is_not_found(client, db, token):
    assert client.get(f"/campagnes/calendrier/{token}.ics").status_code == 404


def test_a_calendar_address_stops_when_its_person_leaves_the_pole(client, cast, seed,
                                                                  campaign):
    pole = seed["monteregie"].pole
    url = calendar_url(cast["alice"], pole)
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=cast["alice"]).update(pole=seed["quebec"].pole)
    assert client.get(url).status_code == 404
    # An address for another pôle than the person's own is refused too.
    assert client.get(calendar_url(cast["quentin"], pole)).status_code == 404
