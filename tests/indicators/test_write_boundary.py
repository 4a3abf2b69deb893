"""One door for every write (issue 22): the year's rules hold whoever writes.

The services write inside ``indicators.boundary``; a save, delete or queryset write around
them cannot touch a submitted or approved year. On the data ``scripts/dev`` loads (both seed
plans, the directory and its rules, the demo results and register), a save writes only the
lines a person changed, a register change never makes someone else's save fail, the demo's
approved year holds exactly what it was approved with, and a plan re-import cannot touch a
locked target nor silently undo a director's revision.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from indicators import boundary
from indicators.demo import DEMO_YEAR, demo_load
from indicators.entry import EntryPage
from indicators.evaluations import evaluations_differences
from indicators.hooks import computed_sources
from indicators.models import Membership, Result, Target, TargetRevision, YearReport
from indicators.plan_import import load_dataset, plan_import, plan_rows, rows_to_csv
from indicators.selectors import plan_progress
from indicators.services import evaluation_settings_problem, target_revise, year_transition
from register.directory import directory_load
from register.models import Activity
from register.seeding import seed_rules_map
from register.services import activity_save
from tests.conftest import (
    entry_data,
    find_indicator,
    make_indicator,
    make_plan,
    make_result,
    make_user,
)
from tests.register.conftest import kind, make_activity

OPEN_YEAR = 2025  # the demo approves 2024-2025; 2025-2026 is a draft
History = Result.history.model


@pytest.fixture
def demo(seed):
    """What ``scripts/dev`` loads: both plans, the directory and its rules, the demo."""
    directory_load()
    seed_rules_map()
    demo_load([seed["monteregie"], seed["quebec"]])
    users = get_user_model().objects
    return {"plan": seed["monteregie"], "quebec": seed["quebec"],
            "alice": users.get(username="coordo-monteregie"),
            "dora": users.get(username="direction-monteregie")}


def entry_url(plan, year=OPEN_YEAR):
    return reverse("indicators:entry", args=[plan.pk, year])


def typed_indicator(plan, year=OPEN_YEAR):
    """The first indicator of ``plan`` that is typed (not computed), with a value input."""
    computed = computed_sources(plan, year)
    for line in EntryPage(plan_progress(plan, year), computed=computed).lines:
        if line.computed is None and "value" in line.form.fields:
            return line.item.indicator
    raise AssertionError("no typed indicator")


def versions(plan, year):
    return dict(Result.objects.filter(indicator__action__objective__orientation__plan=plan,
                                      year=year).values_list("pk", "version"))


# --- the guard -------------------------------------------------------------------------------


@contextmanager
def refused(match: str | None = None):
    """The block's write is refused (in a savepoint: the refusal rolls back what it began)."""
    with pytest.raises(boundary.LockedYearWrite, match=match), transaction.atomic():
        yield


def approved(plan, year=2024):
    return YearReport.objects.create(plan=plan, year=year, state=YearReport.State.APPROVED)


def test_a_result_saved_around_the_services_in_an_approved_year_is_refused(db):
    plan = make_plan("g1")
    indicator = make_indicator(plan, targets={2024: "Min 2"})
    result = make_result(indicator, 2024, 3)
    approved(plan)
    result.value = Decimal(9)
    with refused("2024-2025"):
        result.save()
    with refused():
        Result.objects.filter(pk=result.pk).update(value=9)
    with refused():
        Result.objects.filter(pk=result.pk).delete()
    with refused():
        Result.objects.bulk_create([Result(indicator=indicator, year=2024, member=None,
                                           value=1)])
    with refused():
        indicator.delete()  # the cascade reaches the approved result
    result.refresh_from_db()
    assert result.value == 3


def test_an_open_year_and_the_services_may_write(db):
    plan = make_plan("g2")
    indicator = make_indicator(plan, targets={2024: "Min 2"})
    approved(plan)
    open_result = make_result(indicator, 2025, 1)
    open_result.value = Decimal(2)
    open_result.save()  # a draft year: the guard lets it through
    locked = Result(indicator=indicator, year=2024, value=Decimal(4))
    with boundary.writes():
        locked.save()  # a service checked the lock itself (e.g. a reopen's correction)
    assert Result.objects.filter(indicator=indicator).count() == 2


def test_a_target_of_a_locked_year_or_of_the_period_under_a_locked_last_year_is_refused(db):
    plan = make_plan("g3")
    indicator = make_indicator(plan, targets={2024: "Min 2", None: "10"})
    approved(plan, 2024)
    yearly = Target.objects.get(indicator=indicator, year=2024)
    yearly.text = "Min 5"
    with refused():
        yearly.save()
    period = Target.objects.get(indicator=indicator, year=None)
    period.text = "12"
    period.save()  # governed by the plan's last year (2026), still a draft
    approved(plan, 2026)
    period.text = "14"
    with refused():
        period.save()
    with refused():
        Target.objects.filter(indicator=indicator).update(text="1")


def test_an_activity_or_its_links_changed_around_the_services_in_an_approved_year_is_refused(
        seed):
    plan = seed["monteregie"]
    action = find_indicator(plan, "1.1.1", "Nb de projets").action
    activity = make_activity(plan.pole, title="Forum", actions=[action])
    approved(plan)
    activity.title = "Forum régional"
    with refused("Forum régional"):
        activity.save()
    with refused():
        activity.actions.clear()
    with refused():
        activity.delete()
    moved = Activity(pole=plan.pole, kind=kind("projet-concertation"), title="Nouveau",
                     start_date=datetime.date(2024, 9, 1))
    with refused():
        moved.save()  # would feed the approved year
    assert list(activity.actions.all()) == [action]


# --- the entry page and the sheet on the demo data ---------------------------------------------


def test_one_changed_line_saves_one_result_on_montérégie(client, demo):
    plan = demo["plan"]
    assert computed_sources(plan, OPEN_YEAR), "the demo computes some lines"
    typed = typed_indicator(plan)
    before, history = versions(plan, OPEN_YEAR), History.objects.count()
    client.force_login(demo["alice"])
    response = client.post(entry_url(plan), entry_data(plan, OPEN_YEAR,
                                                       **{f"i{typed.pk}-value": "7"}))
    assert response.status_code == 302
    page = client.get(response.url)
    assert page.status_code == 200
    assert "1 résultat enregistré." in page.content.decode()
    after = versions(plan, OPEN_YEAR)
    moved = {pk for pk, version in after.items() if before.get(pk) != version}
    assert moved == {Result.objects.get(indicator=typed, year=OPEN_YEAR, member=None).pk}
    assert History.objects.count() == history + 1
    assert evaluations_differences() == []


def test_an_untouched_page_saves_nothing_and_keeps_the_demo_label(client, demo):
    plan = demo["plan"]
    before, history = versions(plan, OPEN_YEAR), History.objects.count()
    demo_rows = Result.objects.filter(year=OPEN_YEAR, is_demo=True).count()
    client.force_login(demo["alice"])
    response = client.post(entry_url(plan), entry_data(plan, OPEN_YEAR))
    assert response.status_code == 302
    assert "Aucun changement à enregistrer." in client.get(response.url).content.decode()
    assert versions(plan, OPEN_YEAR) == before
    assert History.objects.count() == history
    assert Result.objects.filter(year=OPEN_YEAR, is_demo=True).count() == demo_rows


def test_two_people_on_two_lines_both_keep_their_work_while_the_register_moves(
        client, demo):
    plan = demo["plan"]
    alice = demo["alice"]
    typed = typed_indicator(plan)
    other = next(line.item.indicator for line in EntryPage(
        plan_progress(plan, OPEN_YEAR), computed=computed_sources(plan, OPEN_YEAR)).lines
        if line.computed is None and "value" in line.form.fields
        and line.item.indicator != typed)
    # Two pages loaded at the same time.
    first = entry_data(plan, OPEN_YEAR, **{f"i{typed.pk}-value": "11"})
    second_page = entry_data(plan, OPEN_YEAR, **{f"i{other.pk}-value": "22"})
    client.force_login(alice)
    assert client.post(entry_url(plan), first).status_code == 302
    # A colleague records an activity: every computed line of the year is recomputed.
    action = find_indicator(plan, "1.1.1", "Nb de projets").action
    activity_save(activity=Activity(pole=plan.pole, kind=kind("projet-concertation"),
                                    title="Chantier imprévu", start_date=datetime.date(
                                        OPEN_YEAR, 10, 1)),
                  user=alice, actions=[action], organisations=[])
    # A second coordinator posts the page loaded before both changes.
    client.force_login(make_user("bob", Membership.Role.COORDINATOR, plan.pole))
    response = client.post(entry_url(plan), second_page)
    assert response.status_code == 302, response.content.decode()[:500]
    assert Result.objects.get(indicator=typed, year=OPEN_YEAR, member=None).value == 11
    assert Result.objects.get(indicator=other, year=OPEN_YEAR, member=None).value == 22


def test_a_computed_line_offers_no_not_applicable(client, demo):
    plan = demo["plan"]
    computed = next(iter(computed_sources(plan, OPEN_YEAR)))
    client.force_login(demo["alice"])
    page = client.get(entry_url(plan)).content.decode()
    assert f'name="i{computed}-not_applicable"' not in page
    assert f'name="i{typed_indicator(plan).pk}-not_applicable"' in page


def test_a_sheet_downloaded_before_the_register_moved_still_saves_its_typed_line(client,
                                                                                 demo):
    from tests.indicators.test_entry_sheet import download, row_for, upload

    plan = demo["plan"]
    typed = typed_indicator(plan)
    client.force_login(demo["alice"])
    book = download(client, plan, OPEN_YEAR)
    action = find_indicator(plan, "1.1.1", "Nb de projets").action
    activity_save(activity=Activity(pole=plan.pole, kind=kind("projet-concertation"),
                                    title="Chantier imprévu", start_date=datetime.date(
                                        OPEN_YEAR, 10, 1)),
                  user=demo["alice"], actions=[action], organisations=[])
    row = row_for(book.active, typed.label)
    row["Résultat"].value = 13
    response = upload(client, plan, book, OPEN_YEAR)
    assert response.status_code == 302
    assert Result.objects.get(indicator=typed, year=OPEN_YEAR, member=None).value == 13


def test_the_demo_approved_year_has_no_change_after_its_approval(demo):
    report = YearReport.objects.get(plan=demo["plan"], year=DEMO_YEAR)
    assert report.state == YearReport.State.APPROVED
    plan_results = History.objects.filter(
        indicator__action__objective__orientation__plan=demo["plan"], year=DEMO_YEAR)
    assert plan_results.exists()
    assert not plan_results.filter(history_date__gt=report.changed_at).exists()
    assert Activity.objects.filter(pole=demo["plan"].pole).count() == 58
    # Computed lines of the approved year are the register's, computed before approval.
    assert Result.objects.filter(year=DEMO_YEAR, computed_value__isnull=False).exists()


def test_every_demo_change_names_a_person(demo):
    assert not History.objects.filter(history_user__isnull=True).exists()
    assert not Activity.history.model.objects.filter(history_user__isnull=True).exists()


# --- plan re-import ----------------------------------------------------------------------------


def reimport(plan, rows, *, dry_run=False, user=None):
    return plan_import(plan=plan, dataset=load_dataset(rows_to_csv(rows), "plan.csv"),
                       dry_run=dry_run, user=user)


def change_target(rows, indicator, column, text) -> str:
    """Set ``indicator``'s target in ``column`` of the import rows; return the old text."""
    header = rows[0]
    for row in rows[1:]:
        if (row[header.index("Indicateur")] == indicator.label
                and row[header.index("Action")].split()[0] == indicator.action.code):
            old, row[header.index(column)] = row[header.index(column)], text
            return old
    raise AssertionError(indicator.label)


def with_target(plan, year):
    """An indicator of ``plan`` with a target for ``year``, and the import line it is on."""
    target = Target.objects.filter(indicator__action__objective__orientation__plan=plan,
                                   year=year).order_by("pk").first()
    return target.indicator


def line_of(rows, indicator) -> int:
    header = rows[0]
    return 1 + next(n for n, row in enumerate(rows) if n and row[header.index(
        "Indicateur")] == indicator.label and row[header.index("Action")].split()[0]
        == indicator.action.code)


def test_a_reimport_cannot_touch_a_locked_target_and_names_the_row(seed, cast):
    plan = seed["monteregie"]
    year_transition(plan=plan, year=2024, action="submit", user=cast["alice"])
    indicator = with_target(plan, 2024)
    rows = plan_rows(plan)
    old = change_target(rows, indicator, "2024-2025", "Min 99")
    before = list(Target.objects.values_list("pk", "text"))
    outcome = reimport(plan, rows, user=cast["sam"])
    assert not outcome.ok
    line = line_of(rows, indicator)
    assert any(message.startswith(f"Ligne {line} : ") and "2024-2025" in message
               and f"« {old} » → « Min 99 »" in message for message in outcome.errors)
    assert list(Target.objects.values_list("pk", "text")) == before


def test_a_dry_run_lists_every_target_it_would_change_old_to_new(seed):
    plan = seed["monteregie"]
    indicator = with_target(plan, 2025)
    rows = plan_rows(plan)
    old = change_target(rows, indicator, "2025-2026", "Min 42")
    outcome = reimport(plan, rows, dry_run=True)
    assert outcome.ok
    assert [str(c) for c in outcome.changes] == [
        f"Ligne {line_of(rows, indicator)} ({indicator.action.code} {indicator.label}, "
        f"2025-2026) : « {old} » → « Min 42 »"]
    assert not Target.objects.filter(text="Min 42").exists()


def test_reimporting_the_unchanged_file_keeps_a_directors_revision(seed, cast):
    plan = seed["monteregie"]
    rows = plan_rows(plan)  # the plan as adopted
    indicator = with_target(plan, 2025)
    original = Target.objects.get(indicator=indicator, year=2025).text
    target_revise(indicator=indicator, year=2025, text="Min 77", reason="Budget",
                  user=cast["dora"])
    outcome = reimport(plan, rows, user=cast["sam"])
    assert outcome.ok
    assert Target.objects.get(indicator=indicator, year=2025).text == "Min 77"
    kept = [c for c in outcome.changes if c.kept]
    assert len(kept) == 1 and "Min 77" in str(kept[0]) and original in str(kept[0])
    assert not [c for c in outcome.changes if not c.kept]
    assert TargetRevision.objects.filter(target__indicator=indicator).count() == 1


def test_a_reimport_that_changes_a_revised_target_records_a_revision(seed, cast):
    plan = seed["monteregie"]
    indicator = with_target(plan, 2025)
    target_revise(indicator=indicator, year=2025, text="Min 77", reason="Budget",
                  user=cast["dora"])
    rows = plan_rows(plan)
    change_target(rows, indicator, "2025-2026", "Min 80")
    outcome = reimport(plan, rows, user=cast["sam"])
    assert outcome.ok
    (change,) = [c for c in outcome.changes if not c.kept]
    assert "remplace la révision" in str(change)
    latest = TargetRevision.objects.filter(target__indicator=indicator).first()
    assert (latest.old_text, latest.new_text, latest.revised_by) == ("Min 77", "Min 80",
                                                                     cast["sam"])
    assert evaluations_differences() == []


def test_settings_that_enter_an_evaluation_do_not_change_under_a_locked_year(db):
    plan = make_plan("s1")
    indicator = make_indicator(plan, targets={2024: "5"})
    assert evaluation_settings_problem(indicator, ["direction"]) == ""
    approved(plan)
    problem = evaluation_settings_problem(indicator, ["direction", "label"])
    assert "sens" in problem and "2024-2025" in problem
    assert evaluation_settings_problem(indicator, ["label", "position"]) == ""
    assert "2024-2025" in evaluation_settings_problem(plan, ["last_year"])


# --- the admin ---------------------------------------------------------------------------------


def test_the_admin_shows_but_never_changes_a_year_an_activity_or_a_target(client, cast, seed):
    plan = seed["monteregie"]
    indicator = find_indicator(plan, "1.1.1", "Nb de projets")
    activity = make_activity(plan.pole, title="Forum", actions=[indicator.action])
    report = YearReport.objects.create(plan=plan, year=2025)
    target = Target.objects.filter(indicator=indicator).first()
    client.force_login(cast["sam"])
    for name, obj in (("register_activity", activity), ("indicators_yearreport", report),
                      ("indicators_target", target)):
        url = reverse(f"admin:{name}_change", args=[obj.pk])
        assert client.get(url).status_code == 200
        assert client.post(url, {"title": "x", "state": "approved", "text": "9"}
                           ).status_code == 403
        assert client.post(reverse(f"admin:{name}_delete", args=[obj.pk]),
                           {"post": "yes"}).status_code == 403
    history = target.history.first()
    revert = reverse("admin:indicators_target_simple_history",
                     args=[target.pk, history.history_id])
    assert client.post(revert, {"text": "9"}).status_code == 403
    report.refresh_from_db()
    target.refresh_from_db()
    assert (report.state, activity.title) == ("draft", "Forum")
    assert target.text != "9"


def test_the_admin_refuses_a_direction_change_under_a_locked_year(client, cast, seed):
    plan = seed["quebec"]
    indicator = plan_progress(plan, 2024)[0].indicator
    year_transition(plan=plan, year=2024, action="submit", user=cast["quentin"])
    client.force_login(cast["sam"])
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    form = client.get(url).context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()
            if name not in ("id",)}
    data.update({"action": indicator.action_id, "direction": "decrease",
                 "cumulative": "on" if indicator.cumulative else ""})
    for prefix in ("targets", "members"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data = {k: v for k, v in data.items() if v is not False}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "entrent dans l'évaluation des années soumises ou approuvées (2024-2025)" in (
        response.content.decode().replace("&#x27;", "'"))
    indicator.refresh_from_db()
    assert indicator.direction == "increase"


def test_a_direction_changed_in_the_action_inline_is_evaluated_again(client, cast, seed):
    plan = seed["quebec"]
    indicator = plan_progress(plan, 2024)[0].indicator
    make_result(indicator, 2024, 1)
    action = indicator.action
    client.force_login(cast["sam"])
    url = reverse("admin:indicators_action_change", args=[action.pk])
    response = client.get(url)
    formset = next(f for f in response.context["inline_admin_formsets"]
                   if f.formset.prefix == "indicators")
    data = {"objective": action.objective_id, "code": action.code, "title": action.title,
            "description": action.description, "position": action.position,
            "themes": [t.pk for t in action.themes.all()]}
    management = formset.formset.management_form
    data.update({management.add_prefix(k): v for k, v in management.initial.items()})
    for form in formset.formset.forms:
        for name in ("id", "action", "position", "label", "unit", "direction"):
            value = form.initial.get(name, form[name].value())
            data[form.add_prefix(name)] = "" if value is None else value
        if form.initial.get("cumulative"):
            data[form.add_prefix("cumulative")] = "on"
        if form.instance.pk == indicator.pk:
            data[form.add_prefix("direction")] = "decrease"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    indicator.refresh_from_db()
    assert indicator.direction == "decrease"
    assert evaluations_differences() == []


# --- unreadable input answers in French ----------------------------------------------------------


def test_import_plan_answers_in_french_for_a_corrupt_xlsx_and_reversed_years(tmp_path, db):
    from django.core.management import CommandError, call_command

    corrupt = tmp_path / "plan.xlsx"
    corrupt.write_bytes(b"not a zip at all")
    with pytest.raises(CommandError, match="n'est pas lisible"):
        call_command("import_plan", str(corrupt), "--pole", "x", "--pole-name", "X",
                     "--years", "2024-2027")
    good = tmp_path / "plan.csv"
    good.write_text("Orientation,Objectif,Action,Indicateur,Cible\n1 O,1.1 B,1.1.1 A,Nb,2\n")
    with pytest.raises(CommandError, match="dans l'ordre"):
        call_command("import_plan", str(good), "--pole", "x", "--pole-name", "X",
                     "--years", "2027-2024")
    assert not YearReport.objects.exists()


def test_the_admin_import_offers_csv_and_xlsx_only(client, cast):
    client.force_login(cast["sam"])
    response = client.get(reverse("admin:indicators_indicator_import"))
    assert response.status_code == 200
    formats = [label for _value, label in response.context["form"].fields["format"].choices]
    assert [f.lower() for f in formats if f and f != "---"] == ["csv", "xlsx"]


def test_a_target_in_other_digits_is_refused_beside_the_field(client, cast, seed):
    indicator = with_target(seed["monteregie"], 2025)
    client.force_login(cast["dora"])
    url = reverse("indicators:target_revise", args=[indicator.pk, 2025])
    response = client.post(url, {"text": "Min ١٢", "reason": "x"})
    assert response.status_code == 200
    assert "seuls les chiffres 0 à 9 sont acceptés" in response.content.decode()
    assert Target.objects.get(indicator=indicator, year=2025).text != "Min ١٢"
