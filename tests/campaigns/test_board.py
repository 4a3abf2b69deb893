"""The ministry's campaigns and follow-up board: who may see them, opening a campaign,
granting an extension, the board's states, sort and CSV, and what they cost."""

import datetime

import pytest
from django.urls import reverse

from campaigns.models import Campaign, Extension
from indicators.models import YearReport
from indicators.services import year_transition
from tests.campaigns.conftest import YEAR
from tests.conftest import find_indicator, make_result

POLE_PEOPLE = ["alice", "dora", "quentin", "diane"]


def board_url(campaign, sort=None):
    url = reverse("campaigns:board", args=[campaign.pk])
    return url + (f"?tri={sort}" if sort else "")


@pytest.fixture
def progress(cast, seed, campaign):
    """Montérégie has two results in draft; Pôle Québec has not started."""
    plan = seed["monteregie"]
    make_result(find_indicator(plan, "1.1.1", "Nb de projets"), YEAR, 2)
    make_result(find_indicator(plan, "1.1.4", "Nb de rencontres"), YEAR, 10)
    return campaign


@pytest.mark.parametrize("name", ["campaigns:list", "campaigns:board",
                                  "campaigns:board_export", "campaigns:extension"])
@pytest.mark.parametrize("person", POLE_PEOPLE)
def test_a_poles_people_are_refused_the_ministrys_pages(client, cast, campaign, name, person):
    client.force_login(cast[person])
    args = [] if name == "campaigns:list" else [campaign.pk]
    assert client.get(reverse(name, args=args)).status_code == 403
    assert client.post(reverse(name, args=args), {}).status_code in (403, 405)
    assert Campaign.objects.count() == 1


def test_anonymous_is_sent_to_log_in(client, campaign):
    response = client.get(board_url(campaign))
    assert response.status_code == 302 and "/compte/login/" in response["Location"]


def test_ministry_opens_a_campaign(client, cast, seed):
    client.force_login(cast["mina"])
    assert client.get(reverse("campaigns:list")).status_code == 200
    response = client.post(reverse("campaigns:list"), {
        "year": "2025", "submission_due": "2026-06-30", "approval_due": "2026-09-30"})
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == board_url(campaign)
    assert (campaign.year, campaign.submission_due, campaign.opened_by) == (
        2025, datetime.date(2026, 6, 30), cast["mina"])


@pytest.mark.parametrize("data, field, message", [
    ({"year": "2025", "submission_due": "2026-06-30", "approval_due": "2026-06-01"},
     "approval_due", "L'échéance d'approbation (2026-06-01) précède celle de soumission "
                     "(2026-06-30)."),
    ({"year": "1999", "submission_due": "2026-06-30", "approval_due": "2026-07-01"},
     "year", None),
    ({"year": "2025", "submission_due": "30/06/2026", "approval_due": "2026-07-01"},
     "submission_due", None),
])
def test_an_invalid_campaign_is_shown_again_with_its_error(client, cast, seed, data, field,
                                                          message):
    client.force_login(cast["mina"])
    response = client.post(reverse("campaigns:list"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert errors[field] == [message]
    assert not Campaign.objects.exists()


def test_a_year_opens_only_one_campaign(client, cast, campaign):
    client.force_login(cast["mina"])
    response = client.post(reverse("campaigns:list"), {
        "year": str(YEAR), "submission_due": "2026-06-30", "approval_due": "2026-09-30"})
    assert response.status_code == 400
    assert response.context["form"].errors["year"] == ["La campagne 2025-2026 est déjà ouverte."]


def test_board_lists_every_pole_with_its_state_due_date_and_contacts(client, cast, seed,
                                                                    progress):
    client.force_login(cast["mina"])
    response = client.get(board_url(progress))
    assert response.status_code == 200
    rows = {row.pole.code: row for row in response.context["rows"]}
    assert set(rows) == {"monteregie", "pole-quebec"}
    mont, queb = rows["monteregie"], rows["pole-quebec"]
    assert mont.state == "draft" and mont.entered == 2 and mont.total > 2
    assert mont.state_text == f"brouillon (2 résultats sur {mont.total})"
    assert queb.state == "not_started" and queb.state_text == "non commencée"
    # Pinned today is 2026-06-15: the submission is due in 15 days.
    assert (mont.due, mont.days, mont.days_text) == (datetime.date(2026, 6, 30), 15,
                                                     "dans 15 jours")
    assert mont.last_activity is not None and queb.last_activity is None
    assert mont.contacts == [cast["alice"]] and queb.contacts == [cast["quentin"]]
    html = response.content.decode()
    assert reverse("reporting:pole", args=[seed["monteregie"].pk]) in html
    assert "2026-06-30" in html and "mailto:alice@example.org" in html


def test_board_shows_submitted_filed_late_and_extensions(client, cast, seed, campaign,
                                                         settings):
    settings.POLE_PLAN_TODAY = datetime.date(2026, 7, 3)
    plan = seed["monteregie"]
    year_transition(plan=plan, year=YEAR, action="submit", user=cast["alice"])
    Extension.objects.create(campaign=campaign, pole=seed["quebec"].pole,
                             submission_due=datetime.date(2026, 7, 10),
                             approval_due=datetime.date(2026, 8, 10), reason="Congé",
                             granted_by=cast["mina"])
    client.force_login(cast["mina"])
    rows = {r.pole.code: r for r in client.get(board_url(campaign)).context["rows"]}
    assert rows["monteregie"].state == "submitted"
    # Submitted: the approval date matters now, and the direction is who to reach.
    assert (rows["monteregie"].due, rows["monteregie"].days) == (datetime.date(2026, 7, 31), 28)
    assert rows["monteregie"].contacts == [cast["dora"]]
    assert (rows["pole-quebec"].due, rows["pole-quebec"].days_text) == (
        datetime.date(2026, 7, 10), "dans 7 jours")
    settings.POLE_PLAN_TODAY = datetime.date(2026, 7, 13)
    year_transition(plan=plan, year=YEAR, action="approve", user=cast["dora"])
    response = client.get(board_url(campaign))
    rows = {r.pole.code: r for r in response.context["rows"]}
    # Until filings exist an approved year counts as filed (workflow.is_filed).
    assert rows["monteregie"].state == "filed" and rows["monteregie"].state_text == "déposée"
    assert rows["monteregie"].due is None and rows["monteregie"].days_text == "—"
    assert rows["pole-quebec"].late and rows["pole-quebec"].days_text == "en retard de 3 jours"
    assert response.context["late"] == 1
    html = response.content.decode()
    assert "1 pôle en retard." in html and "Prolongation : Congé" in html
    assert reverse("campaigns:corrections_ask", args=[plan.pk, YEAR]) in html


@pytest.mark.parametrize("sort, order", [
    ("pole", ["monteregie", "pole-quebec"]),
    ("-pole", ["pole-quebec", "monteregie"]),
    ("etat", ["pole-quebec", "monteregie"]),
    ("-etat", ["monteregie", "pole-quebec"]),
    ("activite", ["monteregie", "pole-quebec"]),
    ("nimporte", ["monteregie", "pole-quebec"]),
])
def test_board_sorts_and_its_csv_keeps_the_sort(client, cast, progress, sort, order):
    client.force_login(cast["mina"])
    response = client.get(board_url(progress, sort))
    assert response.status_code == 200
    assert [row.pole.code for row in response.context["rows"]] == order
    shown = response.context["sort"]
    csv_url = reverse("campaigns:board_export", args=[progress.pk]) + f"?tri={shown}"
    assert csv_url in response.content.decode()
    export = client.get(csv_url)
    assert export.status_code == 200
    assert export["Content-Disposition"] == 'attachment; filename="suivi-reddition-2025-2026.csv"'
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Pôle;État;Résultats saisis;Indicateurs;Échéance;")
    names = {"monteregie": "Montérégie", "pole-quebec": "Pôle Québec"}
    assert [names[code] in line for code, line in zip(order, lines[1:], strict=True)] == [
        True, True]


def test_board_costs_a_fixed_number_of_queries(client, cast, progress,
                                               django_assert_num_queries):
    client.force_login(cast["mina"])
    client.get(board_url(progress))
    # Session, user, membership, campaign, then the board's six: plans, extensions, year
    # reports, stored evaluation counts, last result, coordinators and directors.
    with django_assert_num_queries(10):
        response = client.get(board_url(progress))
        assert response.status_code == 200
        rows = response.context["rows"]
        assert [len(row.contacts) for row in rows] == [1, 1]
    with django_assert_num_queries(10):
        response = client.get(reverse("campaigns:board_export", args=[progress.pk]))
        assert response.status_code == 200


def test_ministry_grants_an_extension_with_a_reason(client, cast, seed, campaign):
    client.force_login(cast["mina"])
    url = reverse("campaigns:extension", args=[campaign.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"pole": seed["quebec"].pole.pk,
                                 "submission_due": "2026-07-15",
                                 "approval_due": "2026-08-15", "reason": "Changement de coordo"})
    assert response.status_code == 302
    extension = Extension.objects.get()
    assert (extension.pole, extension.submission_due, extension.reason, extension.granted_by) == (
        seed["quebec"].pole, datetime.date(2026, 7, 15), "Changement de coordo", cast["mina"])


@pytest.mark.parametrize("data, field", [
    ({"submission_due": "2026-07-15", "approval_due": "2026-08-15", "reason": "  "}, "reason"),
    ({"submission_due": "2026-07-15", "approval_due": "2026-07-01", "reason": "x"},
     "approval_due"),
    ({"pole": "987654", "submission_due": "2026-07-15", "approval_due": "2026-08-15",
      "reason": "x"}, "pole"),
])
def test_an_invalid_extension_is_refused(client, cast, seed, campaign, data, field):
    client.force_login(cast["mina"])
    data = {"pole": seed["quebec"].pole.pk, **data}
    response = client.post(reverse("campaigns:extension", args=[campaign.pk]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Extension.objects.exists()


def test_a_pole_sees_its_due_dates_on_its_dashboard_and_entry_page(client, cast, seed,
                                                                   campaign):
    plan = seed["quebec"]
    Extension.objects.create(campaign=campaign, pole=plan.pole,
                             submission_due=datetime.date(2026, 7, 15),
                             approval_due=datetime.date(2026, 8, 15), reason="Congé",
                             granted_by=cast["mina"])
    client.force_login(cast["quentin"])
    entry = client.get(reverse("indicators:entry", args=[plan.pk, YEAR]))
    assert entry.status_code == 200
    html = entry.content.decode()
    assert 'data-testid="due-dates"' in html
    assert "2026-07-15</strong> (dans 30 jours) — prolongation : Congé" in html
    client.force_login(cast["diane"])
    dashboard = client.get(reverse("reporting:pole", args=[plan.pk]) + f"?annee={YEAR}")
    assert "2026-08-15" in dashboard.content.decode()
    # Montérégie has no extension: the campaign's dates.
    client.force_login(cast["alice"])
    html = client.get(reverse("indicators:entry", args=[seed["monteregie"].pk, YEAR])
                      ).content.decode()
    assert "2026-06-30</strong> (dans 15 jours)" in html and "Congé" not in html


def test_a_year_without_a_campaign_shows_no_due_dates(client, cast, seed):
    client.force_login(cast["alice"])
    html = client.get(reverse("indicators:entry", args=[seed["monteregie"].pk, YEAR])
                      ).content.decode()
    assert 'data-testid="due-dates"' not in html


def test_demo_campaign_lists_both_poles(cast, seed, settings):
    from django.contrib.auth import get_user_model

    from campaigns.demo import campaign_demo_load
    from campaigns.selectors import board_rows

    get_user_model().objects.create_user("ministere")
    campaign = campaign_demo_load()
    assert campaign_demo_load() == campaign
    rows = board_rows(campaign, datetime.date(2026, 12, 3))
    assert {(r.pole.code, r.state, r.due.isoformat()) for r in rows} == {
        ("monteregie", "not_started", "2026-06-30"), ("pole-quebec", "not_started", "2026-06-30")}
    assert YearReport.objects.filter(year=campaign.year).count() == 0
