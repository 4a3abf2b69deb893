"""Shared cast and builders.

The two seed plans are loaded once per test session into the test database, so every test
sees them (each test still runs in its own rolled-back transaction). The cast: a coordinator,
a director and a second coordinator for each seed pôle, a ministry analyst and a staff user.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from indicators.evaluations import evaluations_differences, evaluations_refresh
from indicators.models import (
    Action,
    BreakdownMember,
    Indicator,
    Membership,
    Objective,
    Orientation,
    Plan,
    Pole,
    Result,
    Target,
)
from indicators.seeding import seed_plans_load

PASSWORD = "Motdepasse-de-test-2025"
# Statuses depend on the date (a year is over after March 31): every test runs on this day,
# within 2026-2027, so 2024-2025 and 2025-2026 are over and 2026-2027 is running.
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def today(settings) -> datetime.date:
    """Pin "today" for every status computation (see ``indicators.dates``)."""
    settings.POLE_PLAN_TODAY = TODAY
    return TODAY


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in French: a request in English leaves English active in the thread
    (LocaleMiddleware activates a language and never deactivates it)."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Stored files (evidence, filings) go to a temporary directory, never the worktree's."""
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        seed_plans_load()


@pytest.fixture
def seed(db):
    """Both seed plans, loading them again when a transactional test flushed the database."""
    if not Plan.objects.filter(pole__code="monteregie").exists():
        seed_plans_load()
    return {
        "monteregie": Plan.objects.get(pole__code="monteregie"),
        "quebec": Plan.objects.get(pole__code="pole-quebec"),
    }


def make_user(username: str, role: str | None = None, pole: Pole | None = None, **extra):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org", **extra)
    if role:
        Membership.objects.create(user=user, role=role, pole=pole)
    return user


@pytest.fixture
def cast(seed):
    """alice coordinates Montérégie, dora directs it; quentin coordinates Pôle Québec, diane
    directs it; mina is ministry staff; sam is Django staff."""
    mont, queb = seed["monteregie"].pole, seed["quebec"].pole
    return {
        "alice": make_user("alice", Membership.Role.COORDINATOR, mont),
        "dora": make_user("dora", Membership.Role.DIRECTOR, mont),
        "quentin": make_user("quentin", Membership.Role.COORDINATOR, queb),
        "diane": make_user("diane", Membership.Role.DIRECTOR, queb),
        "mina": make_user("mina", Membership.Role.MINISTRY),
        "sam": make_user("sam", is_staff=True, is_superuser=True),
        "nobody": make_user("nobody"),
    }


@pytest.fixture
def evaluations_checked(db):
    """After the test, stored evaluations agree with a recomputation (for write-path tests)."""
    yield
    assert evaluations_differences() == []


def make_plan(code: str = "test", *, first_year: int = 2024, last_year: int = 2026,
              **overrides) -> Plan:
    pole = Pole.objects.create(code=code, name=f"Pôle {code}")
    return Plan.objects.create(pole=pole, title=overrides.pop("title", f"Plan {code}"),
                               first_year=first_year, last_year=last_year, **overrides)


def make_indicator(plan: Plan, label: str = "Nb de projets", *, targets=None,
                   members=(), action_code: str = "1.1.1", **overrides) -> Indicator:
    """An indicator under orientation 1 / objective 1.1 / ``action_code`` of ``plan``.

    ``targets`` maps a year (None for the whole period) to a target text.
    """
    orientation, _ = Orientation.objects.get_or_create(plan=plan, code="1",
                                                       defaults={"title": "Orientation"})
    objective, _ = Objective.objects.get_or_create(orientation=orientation, code="1.1",
                                                   defaults={"title": "Objectif"})
    action, _ = Action.objects.get_or_create(objective=objective, code=action_code,
                                             defaults={"title": f"Action {action_code}"})
    indicator = Indicator.objects.create(action=action, label=label, **overrides)
    for position, member in enumerate(members, start=1):
        BreakdownMember.objects.create(indicator=indicator, label=member, position=position)
    for year, text in (targets or {}).items():
        Target.objects.create(indicator=indicator, year=year, text=text)
    evaluations_refresh(indicators=[indicator])
    return indicator


def make_result(indicator: Indicator, year: int, value=None, **fields) -> Result:
    if value is not None:
        fields["value"] = Decimal(str(value))
    result = Result.objects.create(indicator=indicator, year=year, **fields)
    evaluations_refresh(indicators=[indicator])
    return result


@pytest.fixture
def plan(db):
    return make_plan()


def find_indicator(plan: Plan, action_code: str, label: str) -> Indicator:
    return Indicator.objects.get(action__objective__orientation__plan=plan,
                                 action__code=action_code, label__startswith=label)


def entry_data(plan: Plan, year: int, orientation: int | None = None, **overrides) -> dict:
    """The entry page's POST data as the browser would send it untouched, plus ``overrides``
    (keys like ``i12-value``): the whole plan, or the section of ``orientation`` (an id)."""
    from indicators.entry import EntryPage
    from indicators.hooks import computed_sources
    from indicators.selectors import plan_progress

    page = EntryPage(plan_progress(plan, year, orientation=orientation),
                     computed=computed_sources(plan, year))
    return {**page.post_data(), **overrides}


def shown_widths(sheet) -> dict[int, float]:
    """Each column's width as Excel shows it, in characters, by column number (from 1).

    Excel stores a width with 5 pixels of padding around 7-pixel characters (a declared 28
    is stored as 28.7109375); a ``<col>`` element may span several columns.
    """
    return {column: round(dimension.width - 5 / 7, 1)
            for dimension in sheet.column_dimensions.values() if dimension.width
            for column in range(dimension.min, dimension.max + 1)}


def hidden_columns(sheet) -> set[int]:
    """The numbers (from 1) of the hidden columns (a ``<col>`` may span several)."""
    return {column for dimension in sheet.column_dimensions.values() if dimension.hidden
            for column in range(dimension.min, dimension.max + 1)}
