"""When a reminder is due: the latest moment of a due date reached on a day."""

import datetime

import pytest

from campaigns.schedule import days_text, moment_of

DUE = datetime.date(2026, 6, 30)
D = datetime.timedelta


@pytest.mark.parametrize("today, expected", [
    (DUE - D(31), None),
    (DUE - D(30), "before-30"),
    (DUE - D(8), "before-30"),
    (DUE - D(7), "before-7"),
    (DUE - D(1), "before-1"),
    (DUE, "due"),
    (DUE + D(6), "due"),
    (DUE + D(7), "late-1"),
    (DUE + D(13), "late-1"),
    (DUE + D(14), "late-2"),
    (DUE + D(70), "late-10"),
])
def test_the_latest_moment_reached_is_due(today, expected):
    moment = moment_of(DUE, today, (30, 7, 1))
    assert (moment.key if moment else None) == expected


def test_a_moment_starts_on_its_own_day():
    assert moment_of(DUE, DUE + D(15), (30, 7, 1)).day == DUE + D(14)
    assert moment_of(DUE, DUE - D(3), (30, 7, 1)).day == DUE - D(7)


def test_the_days_before_are_configurable():
    assert moment_of(DUE, DUE - D(14), (14,)).key == "before-14"
    assert moment_of(DUE, DUE - D(20), (14,)) is None


@pytest.mark.parametrize("today, text", [
    (DUE - D(7), "dans 7 jours"),
    (DUE - D(1), "dans 1 jour"),
    (DUE, "aujourd'hui"),
    (DUE + D(1), "en retard de 1 jour"),
    (DUE + D(3), "en retard de 3 jours"),
])
def test_days_are_said_in_french(today, text):
    assert days_text(DUE, today) == text


def test_no_date_reads_as_a_dash():
    assert days_text(None, DUE) == "—"


def test_reminder_days_are_read_from_the_environment(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from pole_plan.settings import env_days

    monkeypatch.setenv("REMINDER_DAYS_BEFORE", "7, 30,1,7")
    assert env_days("REMINDER_DAYS_BEFORE", "30,7,1") == (30, 7, 1)
    monkeypatch.delenv("REMINDER_DAYS_BEFORE")
    assert env_days("REMINDER_DAYS_BEFORE", "14") == (14,)
    for bad in ("sept", "7,0", "-1"):
        monkeypatch.setenv("REMINDER_DAYS_BEFORE", bad)
        with pytest.raises(ImproperlyConfigured):
            env_days("REMINDER_DAYS_BEFORE", "30,7,1")
