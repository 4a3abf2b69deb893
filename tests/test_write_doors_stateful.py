"""Random sequences of writes through every door, checked after each step (issue 22, item 6).

A :class:`hypothesis.stateful.RuleBasedStateMachine` plays a coordinator, a director and a
Django administrator on a small plan whose first indicator is computed from the register:
the entry page, the entry sheet, the register's pages and import, the admin (change, delete,
history revert), a plan re-import, a target revision, the workflow gestures, and "today"
moving. After every step it checks what people rely on:

- stored evaluations equal a fresh evaluation;
- an open year's computed values equal a recomputation from the register;
- a locked (submitted or approved) year's results, targets, activities and links are exactly
  what they were when it was locked;
- every result change has a history row naming a person, one version per history row, and
  no version moved without a value changing.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from indicators.evaluations import evaluations_differences
from indicators.models import Membership, Result, Target, YearReport
from indicators.plan_import import load_dataset, plan_import, plan_rows, rows_to_csv
from register.models import Activity, IndicatorRule
from register.rules import plan_year_compute
from register.services import locked_years
from tests.conftest import entry_data, make_indicator, make_plan, make_user
from tests.register.conftest import kind, make_org, make_rule

YEARS = (2024, 2025, 2026)
TODAYS = (datetime.date(2025, 6, 15), datetime.date(2026, 6, 15), datetime.date(2027, 6, 15))
# Fields a version stands for: two consecutive history rows differ in one of them.
TRACKED = ("value", "numerator", "denominator", "done", "done_on", "not_applicable",
           "not_applicable_reason", "comment", "evidence_url", "evidence_file",
           "computed_value", "override_reason", "is_demo")
History = Result.history.model


class WriteDoors(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        from django.db import transaction

        self._atomic = transaction.atomic()
        self._atomic.__enter__()  # each run is rolled back at its teardown
        self.today = TODAYS[0]
        number = WriteDoors.runs = getattr(WriteDoors, "runs", 0) + 1
        self.plan = make_plan(f"sm{number}")
        pole = self.plan.pole
        self.computed = make_indicator(self.plan, "Nb de projets",
                                       targets={2024: "Min 1", 2025: "2", 2026: "+10%"})
        make_rule(self.computed, IndicatorRule.Kind.ACTIVITIES, ["projet-concertation"])
        self.typed = [
            make_indicator(self.plan, "Nb de rencontres", action_code="1.1.2",
                           targets={2024: "Min 2", 2025: "3", 2026: "4"}),
            make_indicator(self.plan, "Taux de satisfaction", action_code="1.1.3",
                           unit="percent", targets={None: "80 % et plus"}),
        ]
        self.org = make_org(f"Cégep {number}")
        self.coordinator = make_user(f"coord{number}", Membership.Role.COORDINATOR, pole)
        self.director = make_user(f"dir{number}", Membership.Role.DIRECTOR, pole)
        self.staff = make_user(f"staff{number}", is_staff=True, is_superuser=True)
        self.client = Client()
        self.started = datetime.datetime.now(datetime.UTC)
        self.snapshots: dict[int, tuple] = {}

    def teardown(self):
        from django.db import transaction

        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # -- helpers ------------------------------------------------------------------------------

    def as_user(self, user) -> Client:
        self.client.force_login(user)
        return self.client

    def state(self, year: int) -> str:
        report = YearReport.objects.filter(plan=self.plan, year=year).first()
        return report.state if report else "draft"

    def snapshot(self, year: int) -> tuple:
        """What a locked year holds: its results, the targets it is judged by, the activities
        that feed it and their links."""
        results = sorted(Result.objects.filter(
            indicator__action__objective__orientation__plan=self.plan, year=year)
            .values_list("indicator_id", "member_id", "value", "comment", "computed_value",
                         "not_applicable", "version"), key=repr)
        targets = sorted(Target.objects.filter(
            indicator__action__objective__orientation__plan=self.plan)
            .filter(year=year if year != self.plan.last_year else None)
            .values_list("indicator_id", "year", "text"), key=repr) + sorted(
            Target.objects.filter(indicator__action__objective__orientation__plan=self.plan,
                                  year=year).values_list("indicator_id", "year", "text"),
            key=repr)
        start, end = self.plan.year_bounds(year)
        activities = sorted(
            (a.pk, a.title, a.status, a.start_date, a.end_date,
             tuple(sorted(a.actions.values_list("pk", flat=True))),
             tuple(sorted(a.organisations.values_list("pk", flat=True))))
            for a in Activity.objects.filter(pole=self.plan.pole)
            if start <= (a.end_date or a.start_date) <= end)
        return results, targets, activities

    def after_gesture(self):
        for year in YEARS:
            locked = self.state(year) != "draft"
            if locked and year not in self.snapshots:
                self.snapshots[year] = self.snapshot(year)
            elif not locked:
                self.snapshots.pop(year, None)

    # -- the doors ----------------------------------------------------------------------------

    @rule(which=st.integers(0, 1), year=st.sampled_from(YEARS), value=st.integers(0, 100))
    def entry_page(self, which, year, value):
        indicator = self.typed[which]
        with override_settings(POLE_PLAN_TODAY=self.today):
            data = entry_data(self.plan, year, **{f"i{indicator.pk}-value": str(value)})
            response = self.as_user(self.coordinator).post(
                reverse("indicators:entry", args=[self.plan.pk, year]), data)
        assert response.status_code == (302 if self.state(year) == "draft" else 409)

    @rule(which=st.integers(0, 1), year=st.sampled_from(YEARS), value=st.integers(0, 100))
    def entry_sheet(self, which, year, value):
        indicator = self.typed[which]
        client = self.as_user(self.coordinator)
        with override_settings(POLE_PLAN_TODAY=self.today):
            response = client.get(reverse("indicators:entry_sheet", args=[self.plan.pk, year]))
            assert response.status_code == 200
            book = openpyxl.load_workbook(io.BytesIO(response.content))
            sheet = book.active
            header = [cell.value for cell in sheet[1]]
            for row in sheet.iter_rows(min_row=2):
                if row[header.index("Indicateur")].value == indicator.label:
                    row[header.index("Résultat")].value = value
            buffer = io.BytesIO()
            book.save(buffer)
            buffer.seek(0)
            buffer.name = "saisie.xlsx"
            response = client.post(reverse("indicators:entry_sheet_upload",
                                           args=[self.plan.pk, year]), {"file": buffer})
        # Post/redirect/get whatever the outcome; a refused sheet leaves its errors for the
        # page shown after the redirect.
        assert response.status_code == 302
        refused = client.session.get(f"entry-sheet-errors-{self.plan.pk}-{year}")
        assert bool(refused) == (self.state(year) != "draft")

    @rule(year=st.sampled_from(YEARS), done=st.booleans())
    def register_add(self, year, done):
        start = datetime.date(year, 9, 1)
        with override_settings(POLE_PLAN_TODAY=self.today):
            response = self.as_user(self.coordinator).post(
                reverse("register:add", args=[self.plan.pole.code]), {
                    "kind": kind("projet-concertation").pk, "title": f"Projet {year}",
                    "status": "done" if done else "planned", "start_date": start.isoformat(),
                    "actions": [self.computed.action_id], "organisations": [self.org.pk],
                    **{name: "0" for name in (
                        "participants_students", "participants_teachers", "participants_cpe",
                        "participants_sdg", "participants_other", "people_reached",
                        "visitors")}})
        assert response.status_code == (302 if self.state(year) == "draft" else 200)

    @rule(data=st.data())
    def register_delete(self, data):
        activities = list(Activity.objects.filter(pole=self.plan.pole).order_by("pk"))
        if not activities:
            return
        activity = data.draw(st.sampled_from(activities))
        with override_settings(POLE_PLAN_TODAY=self.today):
            response = self.as_user(self.coordinator).post(
                reverse("register:delete", args=[self.plan.pole.code, activity.pk]))
        assert response.status_code == 302

    @rule(year=st.sampled_from(YEARS), reference=st.booleans())
    def register_import(self, year, reference):
        """The same log imported again leaves one copy: updated through its « Référence »,
        or reported as a duplicate and skipped."""
        columns = "Titre;Type;Statut;Début;Fin;Actions;Établissements et partenaires"
        row = (f"Import {year};projet-concertation;réalisée;{year}-10-01;;"
               f"{self.computed.action.code};{self.org.name}")
        if reference:
            columns, row = f"{columns};Référence", f"{row};REF-{year}"
        copies = Activity.objects.filter(pole=self.plan.pole, title=f"Import {year}")
        before = copies.count()
        with override_settings(POLE_PLAN_TODAY=self.today):
            buffer = io.BytesIO(f"{columns}\n{row}\n".encode())
            buffer.name = "registre.csv"
            response = self.as_user(self.coordinator).post(
                reverse("register:import", args=[self.plan.pole.code]), {"file": buffer})
        assert response.status_code in (200, 302)
        assert copies.count() <= 1
        if before == 0:
            created = self.state(year) == "draft"
            assert response.status_code == (302 if created else 200)
            assert copies.count() == (1 if created else 0)

    @rule(data=st.data())
    def admin_tries(self, data):
        """The admin shows results and activities but changes, deletes and reverts none."""
        client = self.as_user(self.staff)
        result = Result.objects.filter(
            indicator__action__objective__orientation__plan=self.plan).first()
        if result is not None:
            url = reverse("admin:indicators_result_change", args=[result.pk])
            assert client.post(url, {"value": "999", "indicator": result.indicator_id,
                                     "year": result.year}).status_code == 403
            history = result.history.first()
            revert = reverse("admin:indicators_result_simple_history",
                             args=[result.pk, history.history_id])
            assert client.post(revert, {"value": "999"}).status_code == 403
        activity = Activity.objects.filter(pole=self.plan.pole).first()
        if activity is not None:
            url = reverse("admin:register_activity_delete", args=[activity.pk])
            assert client.post(url, {"post": "yes"}).status_code == 403

    @rule(direction=st.sampled_from(["increase", "decrease"]))
    def admin_inline(self, direction):
        """The action page's indicator inline: a direction changed is evaluated again, and
        refused while a year of the plan is submitted or approved."""
        indicator = self.typed[0]
        indicator.refresh_from_db()
        before, action = indicator.direction, indicator.action
        client = self.as_user(self.staff)
        url = reverse("admin:indicators_action_change", args=[action.pk])
        page = client.get(url)
        assert page.status_code == 200
        formset = next(f.formset for f in page.context["inline_admin_formsets"]
                       if f.formset.prefix == "indicators")
        data = {"objective": action.objective_id, "code": action.code, "title": action.title,
                "description": action.description, "position": action.position}
        management = formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        for form in formset.forms:
            for name in ("id", "action", "position", "label", "unit", "direction"):
                value = form.initial.get(name, form[name].value())
                data[form.add_prefix(name)] = "" if value is None else value
            if form.instance.pk == indicator.pk:
                data[form.add_prefix("direction")] = direction
        with override_settings(POLE_PLAN_TODAY=self.today):
            response = client.post(url, data)
        indicator.refresh_from_db()
        if locked_years(self.plan):
            assert indicator.direction == before
        else:
            assert response.status_code == 302 and indicator.direction == direction

    @rule(year=st.sampled_from(YEARS), value=st.integers(1, 9))
    def plan_reimport(self, year, value):
        rows = plan_rows(self.plan)
        header = rows[0]
        column = f"{year}-{year + 1}"
        if column not in header:
            return
        for row in rows[1:]:
            if row[header.index("Indicateur")] == self.typed[0].label:
                row[header.index(column)] = f"Min {value}"
        with override_settings(POLE_PLAN_TODAY=self.today):
            outcome = plan_import(plan=self.plan, user=self.staff,
                                  dataset=load_dataset(rows_to_csv(rows), "plan.csv"))
        if self.state(year) != "draft" and outcome.changes:
            pytest.fail("a re-import changed a locked year's target")
        if not outcome.ok:
            assert self.state(year) != "draft"

    @rule(year=st.sampled_from(YEARS), value=st.integers(1, 9))
    def target_revision(self, year, value):
        with override_settings(POLE_PLAN_TODAY=self.today):
            response = self.as_user(self.director).post(
                reverse("indicators:target_revise", args=[self.typed[0].pk, year]),
                {"text": f"Min {value}", "reason": "Révision"})
        assert response.status_code == (302 if self.state(year) == "draft" else 409)

    @rule(year=st.sampled_from(YEARS),
          action=st.sampled_from(["submit", "approve", "return", "reopen"]))
    def gesture(self, year, action):
        user = {"submit": self.coordinator, "approve": self.director,
                "return": self.director, "reopen": self.staff}[action]
        with override_settings(POLE_PLAN_TODAY=self.today):
            response = self.as_user(user).post(
                reverse("indicators:year_transition", args=[self.plan.pk, year]),
                {"action": action, "comment": "Motif", "confirmed": "true"})
        assert response.status_code == 302
        self.after_gesture()

    @initialize(year=st.sampled_from(YEARS), approve=st.booleans())
    def locked_from_the_start(self, year, approve):
        """Begin with an activity, results and one submitted (or approved) year, so that
        every run tries the doors against a locked year."""
        self.register_add(year, True)
        self.entry_page(0, year, 5)
        self.gesture(year, "submit")
        if approve:
            self.gesture(year, "approve")

    @rule(today=st.sampled_from(TODAYS))
    def move_today(self, today):
        self.today = today

    # -- what must hold after every step --------------------------------------------------------

    @invariant()
    def stored_evaluations_agree(self):
        with override_settings(POLE_PLAN_TODAY=self.today):
            assert evaluations_differences() == []

    @invariant()
    def open_years_show_the_register(self):
        locked = locked_years(self.plan)
        for year in YEARS:
            if year in locked:
                continue
            computation = plan_year_compute(self.plan, year).get(self.computed.pk)
            stored = Result.objects.filter(indicator=self.computed, year=year,
                                           member=None).first()
            expected = computation.total if computation else Decimal(0)
            if stored is None:
                assert expected == 0
            else:
                assert stored.computed_value == expected

    @invariant()
    def locked_years_hold_still(self):
        for year, snapshot in self.snapshots.items():
            assert self.snapshot(year) == snapshot, f"{year} changed while locked"

    @invariant()
    def every_change_is_named_and_versioned(self):
        rows = list(History.objects.filter(
            indicator__action__objective__orientation__plan=self.plan)
            .order_by("id", "history_date", "history_id").values(
                "id", "version", "history_user_id", "history_type", *TRACKED))
        by_result: dict[int, list[dict]] = {}
        for row in rows:
            by_result.setdefault(row["id"], []).append(row)
        current = dict(Result.objects.filter(
            indicator__action__objective__orientation__plan=self.plan)
            .values_list("pk", "version"))
        for pk, history in by_result.items():
            changes = [h for h in history if h["history_type"] != "-"]
            assert all(h["history_user_id"] is not None for h in changes), "unnamed change"
            if pk in current:
                assert current[pk] == len(changes), "a version without its history row"
            for before, after in zip(changes, changes[1:], strict=False):
                assert any(before[name] != after[name] for name in TRACKED), (
                    "a version moved without a change")


@pytest.mark.django_db
def test_every_door_keeps_the_years_rules(seed):
    kind("projet-concertation")  # the activity kinds (a transactional test may have flushed)
    run_state_machine_as_test(WriteDoors, settings=settings(
        max_examples=8, stateful_step_count=12, deadline=None, derandomize=True,
        suppress_health_check=list(HealthCheck)))
