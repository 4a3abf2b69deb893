"""The entry page's lines and actions are built in Python (indicators/entry_html.py): they must
be the HTML the template partials they replace gave (kept as references in
``tests/indicators/data``), for every kind of line, editable, read only, refused (errors and
conflicts), computed from the register, with corrections asked; and an unbound line's inputs,
built without its forms, must be what its forms render."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.urls import reverse

from indicators.action_entry import ActionPage
from indicators.entry import EntryPage, detail_links, line_prefix
from indicators.entry_html import Labels, action_html, line_html, unbound_inputs
from indicators.hooks import ComputedSource, YearNotices
from indicators.models import ActionProgress, Result
from indicators.selectors import action_progress_of, plan_progress
from indicators.services import Conflict
from indicators.templatetags.pole_plan import entry_hidden, entry_inputs
from tests.conftest import make_indicator, make_result

YEAR = 2025
DATA = Path(__file__).parent / "data"
LINE = Template((DATA / "entry_line_reference.html").read_text())
ACTION = Template((DATA / "entry_action_reference.html").read_text())
TRICKY = 'a "b" <c> & \'d\'\nligne 2'


@pytest.fixture
def kinds(plan):
    """One indicator of each kind, with and without results."""
    count = make_indicator(plan, "Nb de <projets> & « suivis »", targets={YEAR: "Min 2"})
    make_result(count, YEAR, 3, comment=TRICKY, evidence_url="https://exemple.qc.ca/?a=1&b=2")
    make_result(count, YEAR - 1, 1)
    relative = make_indicator(plan, "Visites", targets={YEAR: "+10%"})
    make_result(relative, YEAR - 1, 62)
    percent = make_indicator(plan, "Taux", unit="percent", targets={YEAR: "80 % et plus"})
    make_result(percent, YEAR, 50, numerator=Decimal(1), denominator=Decimal(2))
    deliverable = make_indicator(plan, "Guide", unit="deliverable",
                                 targets={YEAR: "Mise à jour"}, action_code="1.1.2")
    make_result(deliverable, YEAR, done=True, done_on="2025-06-30")
    not_applicable = make_indicator(plan, "Sans objet", targets={YEAR: "5"},
                                    action_code="1.1.2")
    make_result(not_applicable, YEAR, not_applicable=True, not_applicable_reason=TRICKY)
    members = make_indicator(plan, "Par secteur", targets={YEAR: "4"}, members=["TI", "Santé"],
                             breakdown_label="Secteur", breakdown_additive=True)
    member = members.members.order_by("position").first()
    make_result(members, YEAR, 10)
    Result.objects.create(indicator=members, member=member, year=YEAR, value=Decimal(4))
    per_member = make_indicator(plan, "Chaque membre", targets={YEAR: "3"}, members=["A", "B"],
                                target_scope="each", action_code="1.1.3")
    period = make_indicator(plan, "Sur la période", targets={None: "10"}, action_code="1.1.3")
    no_target = make_indicator(plan, "Sans cible", action_code="1.1.3")
    return {"count": count, "members": members, "per_member": per_member, "period": period,
            "no_target": no_target, "deliverable": deliverable}


def page_of(plan, kinds, **kwargs) -> EntryPage:
    computed = {kinds["per_member"].pk: ComputedSource(
        activities=2, members=frozenset(m.pk for m in kinds["per_member"].members.all()))}
    page = EntryPage(plan_progress(plan, YEAR), computed=computed, **kwargs)
    detail_links(page.lines, reverse)
    return page


def notices_for(kinds) -> YearNotices:
    point = {"pk": 7, "message": "Vérifiez <la> valeur", "answer": ""}
    return YearNotices(by_indicator={kinds["count"].pk: [point]}, corrections_url="/corr/")


def reference(lines, page, *, editable, notices=None) -> str:
    return LINE.render(Context({"ag": {"items": lines}, "page": page, "editable": editable,
                                "year": YEAR, "notices": notices or YearNotices()}))


def ours(lines, page, *, editable, notices=None) -> str:
    labels = Labels()
    return "".join(line_html(line, labels, editable=editable, bound=page.is_bound, year=YEAR,
                             notices=notices or YearNotices()) for line in lines)


@pytest.mark.parametrize("editable", [True, False])
def test_unbound_lines_are_the_templates(db, plan, kinds, editable):
    page = page_of(plan, kinds)
    notices = notices_for(kinds)
    assert parse_html(ours(page.lines, page, editable=editable, notices=notices)) == parse_html(
        reference(page.lines, page, editable=editable, notices=notices))


def test_refused_lines_are_the_templates(db, plan, kinds):
    data = EntryPage(plan_progress(plan, YEAR)).post_data()
    data[f"{line_prefix(kinds['count'].pk)}-value"] = "beaucoup"
    data[f"{line_prefix(kinds['deliverable'].pk)}-done_on"] = "2025-06-31"
    page = page_of(plan, kinds, data=data)
    assert not page.is_valid()
    assert parse_html(ours(page.lines, page, editable=True)) == parse_html(
        reference(page.lines, page, editable=True))


def test_lines_in_conflict_are_the_templates(db, plan, kinds):
    data = EntryPage(plan_progress(plan, YEAR)).post_data()
    key = line_prefix(kinds["count"].pk)
    data[f"{key}-value"] = "4"
    page = page_of(plan, kinds, data=data)
    page.is_valid()
    current = Result.objects.get(indicator=kinds["count"], year=YEAR, member=None)
    entry = next(e for e in page.changed_entries() if e.key == key)
    page = page.with_conflicts([Conflict(entry=entry, current=current)], data)
    assert page.lines[0].form.in_conflict
    assert parse_html(ours(page.lines, page, editable=True)) == parse_html(
        reference(page.lines, page, editable=True))


def test_unbound_inputs_are_what_the_forms_render(db, plan, kinds):
    page = page_of(plan, kinds)
    labels = Labels()
    for _pass in range(2):  # the second pass renders from the page's remembered markup
        for line in page.lines:
            item = line.item
            pairs = [(None, line.form, item.result)] + [
                (member, form, item.member_results.get(member.pk, {}).get(YEAR))
                for member, form in line.member_forms]
            for member, form, result in pairs:
                assert unbound_inputs(form.prefix, item.indicator, member, result,
                                      form.computed, labels) == (
                    entry_inputs(form), entry_hidden(form)), form.prefix


def action_page(plan, data=None) -> ActionPage:
    actions = list({item.action.pk: item.action for item in plan_progress(plan, YEAR)}.values())
    return ActionPage(actions, action_progress_of(plan, YEAR), data=data)


def test_actions_are_the_template(db, plan, kinds):
    first = kinds["count"].action
    ActionProgress.objects.create(action=first, year=YEAR, state="done", narrative=TRICKY,
                                  reason="")
    unbound = action_page(plan)
    bound = action_page(plan, {**unbound.post_data(), f"a{first.pk}-state": "",
                               f"a{first.pk}-narrative": "x"})
    bound.is_valid()
    labels = Labels()
    for page, editable in ((unbound, True), (unbound, False), (bound, True)):
        for action in page.actions:
            form = page.form_for(action)
            theirs = ACTION.render(Context({"aform": form, "action": action,
                                            "editable": editable}))
            ours = action_html(action, page.progress.get(action.pk), labels,
                               editable=editable, form=form if page.is_bound else None)
            assert parse_html(ours) == parse_html(theirs), (action.code, editable,
                                                            page.is_bound)
