"""Signing in, in French; repeated failures are throttled; each role lands where it works."""

from django.urls import reverse

from indicators.models import YearReport
from tests.conftest import PASSWORD, make_plan


def test_login_page_is_french(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "Connexion" in page and "Nom d’utilisateur" in page
    assert 'lang="fr-CA"' in page


def test_repeated_failed_logins_are_locked_out(client, cast):
    for _attempt in range(5):
        client.post(reverse("login"), {"username": "alice", "password": "mauvais"})
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()


def test_successful_login_lands_coordinator_on_the_entry_page(client, cast, seed):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD},
                           follow=True)
    plan = seed["monteregie"]
    # Today is pinned in June 2026: the year due for reporting is 2025-2026, which ended in
    # March, until it is approved; then the running year.
    assert response.redirect_chain[-1][0] == reverse(
        "indicators:entry", args=[plan.pk, 2025])
    YearReport.objects.create(plan=plan, year=2025, state=YearReport.State.APPROVED)
    assert client.get(reverse("indicators:home")).url == reverse(
        "indicators:entry", args=[plan.pk, 2026])


def test_director_and_ministry_land_on_their_dashboards(client, cast, seed):
    plan = seed["monteregie"]
    dashboard = reverse("reporting:pole", args=[plan.pk])
    client.force_login(cast["dora"])
    # The year due for reporting (2025-2026, which ended in March: today is pinned in June
    # 2026), not the running one…
    assert client.get(reverse("indicators:home")).url == f"{dashboard}?annee=2025"
    # … unless a year awaits the direction's decision: then that year, whose page offers it.
    YearReport.objects.create(plan=plan, year=2024, state=YearReport.State.SUBMITTED)
    landed = client.get(reverse("indicators:home"), follow=True)
    assert landed.redirect_chain[-1][0] == f"{dashboard}?annee=2024"
    assert [g.action for g in landed.context["gestures"]] == ["approve", "return"]
    client.force_login(cast["mina"])
    make_plan("ancien", first_year=2020, last_year=2023)  # over: not reported on any more
    # The ministry: the national view of the year being reported (2025-2026 until every pôle
    # has it approved), not the running year.
    assert client.get(reverse("indicators:home")).url == (reverse("reporting:national")
                                                           + "?annee=2025")
    for each in seed.values():
        YearReport.objects.create(plan=each, year=2025, state=YearReport.State.APPROVED)
    assert client.get(reverse("indicators:home")).url == (reverse("reporting:national")
                                                           + "?annee=2026")


def test_password_change_page_is_french(client, cast):
    client.force_login(cast["alice"])
    page = client.get(reverse("password_change")).content.decode()
    assert "Ancien mot de passe" in page


def test_password_reset_sends_a_french_email(client, cast, django_capture_on_commit_callbacks):
    from django.core import mail

    page = client.get(reverse("password_reset")).content.decode()
    assert "Réinitialisation" in page or "réinitialisation" in page
    response = client.post(reverse("password_reset"), {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "Réinitialisation" in mail.outbox[0].subject or "réinitialisation" in (
        mail.outbox[0].subject + mail.outbox[0].body)
