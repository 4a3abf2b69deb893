"""send_reminders across a fake summer: each reminder is sent once, to exactly the right
people, on the right day; running it again sends nothing."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from campaigns.models import Extension, ReminderSent
from campaigns.selectors import reminders_due
from campaigns.services import reminders_send
from indicators.services import year_transition
from tests.campaigns.conftest import YEAR, make_campaign
from tests.conftest import make_user

D = datetime.timedelta
START, END = datetime.date(2026, 5, 20), datetime.date(2026, 8, 20)


def days(start=START, end=END):
    day = start
    while day <= end:
        yield day
        day += D(1)


@pytest.fixture
def summer(cast, seed):
    """Montérégie due 06-30 / 07-31; Pôle Québec extended to 07-15 / 08-15."""
    campaign = make_campaign(cast["mina"])
    Extension.objects.create(campaign=campaign, pole=seed["quebec"].pole,
                             submission_due=datetime.date(2026, 7, 15),
                             approval_due=datetime.date(2026, 8, 15),
                             reason="Changement de coordination", granted_by=cast["mina"])
    return campaign


def expected(cast):
    mont, queb, ministry = ("alice", "dora"), ("quentin", "diane"), ("mina",)
    rows = []

    def add(day, people, pole, milestone, moment):
        rows.extend((datetime.date.fromisoformat(day), cast[p].email, pole, milestone, moment)
                    for p in people)

    # Montérégie: submits on 07-03 (late), approved on 07-20.
    for day, moment in [("2026-05-31", "before-30"), ("2026-06-23", "before-7"),
                        ("2026-06-29", "before-1"), ("2026-06-30", "due")]:
        add(day, mont, "monteregie", "submission", moment)
    add("2026-07-01", mont, "monteregie", "approval", "before-30")
    # Pôle Québec: never submits; its own dates.
    for day, moment in [("2026-06-15", "before-30"), ("2026-07-08", "before-7"),
                        ("2026-07-14", "before-1"), ("2026-07-15", "due"),
                        ("2026-07-22", "late-1"), ("2026-07-29", "late-2"),
                        ("2026-08-05", "late-3"), ("2026-08-12", "late-4"),
                        ("2026-08-19", "late-5")]:
        add(day, queb, "pole-quebec", "submission", moment)
    for day, moment in [("2026-07-16", "before-30"), ("2026-08-08", "before-7"),
                        ("2026-08-14", "before-1"), ("2026-08-15", "due")]:
        add(day, queb, "pole-quebec", "approval", moment)
    # The ministry: once each campaign due date has passed.
    add("2026-07-01", ministry, None, "submission", "summary")
    add("2026-08-01", ministry, None, "approval", "summary")
    return sorted(rows, key=str)


def test_a_summer_of_days_sends_each_reminder_once_to_the_right_people(cast, seed, summer):
    plan = seed["monteregie"]
    sent = []
    for day in days():
        if day == datetime.date(2026, 7, 3):
            year_transition(plan=plan, year=YEAR, action="submit", user=cast["alice"])
        if day == datetime.date(2026, 7, 20):
            year_transition(plan=plan, year=YEAR, action="approve", user=cast["dora"])
        mail.outbox.clear()
        first = reminders_send(today=day)
        assert len(mail.outbox) == len(first)
        sent += [(day, r.user.email, r.pole.code if r.pole else None, r.milestone, r.moment)
                 for r in first]
        assert [m.to for m in mail.outbox] == [[r.user.email] for r in first]
        # A second run the same day (cron twice, or a retry) sends nothing.
        mail.outbox.clear()
        assert reminders_send(today=day) == []
        assert mail.outbox == []
    assert sorted(sent, key=str) == expected(cast)
    assert ReminderSent.objects.count() == len(sent)


def test_people_without_an_address_or_inactive_are_not_reminded(cast, seed, summer):
    cast["alice"].email = ""
    cast["alice"].save()
    cast["dora"].is_active = False
    cast["dora"].save()
    make_user("zoe", "coordinator", seed["monteregie"].pole)
    reminders = reminders_send(today=datetime.date(2026, 6, 23))
    assert sorted(r.user.username for r in reminders if r.pole.code == "monteregie") == ["zoe"]


def test_each_message_is_french_plain_text_and_html_with_the_direct_link(cast, seed, summer,
                                                                         settings):
    settings.SITE_URL = "https://poleplan.example.org"
    reminders_send(today=datetime.date(2026, 6, 23))
    message = next(m for m in mail.outbox if m.to == [cast["alice"].email])
    link = f"https://poleplan.example.org/plans/{seed['monteregie'].pk}/saisie/{YEAR}/"
    assert "soumission de la reddition 2025-2026" in message.subject
    assert "dans 7 jours" in message.subject
    assert "2026-06-30" in message.body and link in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and f'href="{link}"' in html


def test_the_ministry_summary_lists_who_has_not_finished(cast, seed, summer):
    year_transition(plan=seed["monteregie"], year=YEAR, action="submit", user=cast["alice"])
    reminders_send(today=datetime.date(2026, 7, 1))
    summary = next(m for m in mail.outbox if m.to == [cast["mina"].email])
    assert "bilan de l'échéance de soumission" in summary.subject
    assert "1 pôle n'a pas terminé" in summary.body
    assert seed["quebec"].pole.name in summary.body
    assert "1 pôle a terminé." in summary.body
    assert "/campagnes/" in summary.body


def test_dry_run_sends_and_logs_nothing(cast, seed, summer):
    # Montérégie's 7 days before; Pôle Québec's 30 days before its own date (06-15), not yet
    # sent: the latest moment reached is sent late rather than never.
    assert len(reminders_send(today=datetime.date(2026, 6, 23), dry_run=True)) == 4
    assert mail.outbox == [] and not ReminderSent.objects.exists()


def test_reminders_due_costs_six_queries(cast, seed, summer, django_assert_num_queries):
    with django_assert_num_queries(6):
        due = reminders_due(datetime.date(2026, 7, 22), (30, 7, 1))
    assert {r.user.username for r in due} == {"alice", "dora", "quentin", "diane", "mina"}


def test_the_command_sends_each_coordinator_and_director_one_reminder_then_none(
        cast, seed, summer, capsys):
    Extension.objects.all().delete()
    call_command("send_reminders", "--today", "2026-06-23")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        cast[p].email for p in ("alice", "dora", "quentin", "diane"))
    assert "4 rappels envoyés." in capsys.readouterr().out
    mail.outbox.clear()
    call_command("send_reminders", "--today", "2026-06-23")
    assert mail.outbox == []
    assert ": 0 rappel" in capsys.readouterr().out


def test_the_command_dry_run_lists_and_sends_nothing(cast, seed, summer, capsys):
    call_command("send_reminders", "--today", "2026-06-23", "--dry-run")
    out = capsys.readouterr().out
    assert "4 rappels à envoyer (essai" in out and cast["alice"].email in out
    assert mail.outbox == []


def test_the_command_refuses_a_malformed_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        call_command("send_reminders", "--today", "23/06/2026")


def test_a_failed_send_logs_nothing_so_the_next_run_tries_again(cast, seed, summer,
                                                                 monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    def boom(self, fail_silently=False):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", boom)
    with pytest.raises(ConnectionError):
        reminders_send(today=datetime.date(2026, 6, 23))
    assert not ReminderSent.objects.exists()
    monkeypatch.undo()
    assert len(reminders_send(today=datetime.date(2026, 6, 23))) == 4
