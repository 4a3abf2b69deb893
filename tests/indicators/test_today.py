"""Statuses follow the pinned "today": a year is over after March 31."""

import datetime

import pytest
from django.urls import reverse

from indicators import dates
from indicators import targets as tl
from indicators.selectors import plan_progress
from tests.conftest import TODAY, make_indicator, make_plan, make_result


def test_today_is_pinned_for_every_test():
    assert dates.today() == TODAY


@pytest.mark.parametrize(("day", "status"), [
    (datetime.date(2025, 3, 31), tl.Status.IN_PROGRESS),
    (datetime.date(2025, 4, 1), tl.Status.NOT_MET),
])
def test_an_unmet_target_becomes_not_met_when_the_year_ends_on_march_31(db, settings, day,
                                                                         status):
    plan = make_plan()
    indicator = make_indicator(plan, targets={2024: "Min 2"})
    make_result(indicator, 2024, 1)
    settings.POLE_PLAN_TODAY = day
    [item] = plan_progress(plan, 2024)
    assert item.status == status


def test_the_dashboard_and_its_default_year_follow_the_pinned_date(client, cast, seed,
                                                                  settings):
    settings.POLE_PLAN_TODAY = datetime.date(2025, 3, 31)
    client.force_login(cast["dora"])
    url = reverse("reporting:pole", args=[seed["monteregie"].pk])
    assert client.get(url).context["year"] == 2024
    settings.POLE_PLAN_TODAY = datetime.date(2025, 4, 1)
    assert client.get(url).context["year"] == 2025
