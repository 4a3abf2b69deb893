"""Read-only pages and exports read plain rows (``values()``), never model instances, and
write exactly what the model-instance reads would."""

import pytest
from django.conf import settings
from django.db.models.signals import post_init
from django.urls import reverse

from indicators import selectors
from indicators.models import (
    Action,
    BreakdownMember,
    Indicator,
    Objective,
    Orientation,
    Result,
    StoredEvaluation,
    Target,
)
from reporting.exports import multiyear_rows, results_rows
from tests.conftest import find_indicator, make_indicator, make_plan, make_result

YEAR = 2024
PLAN_MODELS = (Indicator, Target, Result, BreakdownMember, Action, Objective, Orientation,
               StoredEvaluation, Result.history.model, Target.history.model)


@pytest.fixture
def instances():
    """Counts the plan models instantiated while the test reads (by model name)."""
    built: dict[str, int] = {}

    def count(sender, **kwargs):
        built[sender.__name__] = built.get(sender.__name__, 0) + 1

    for model in PLAN_MODELS:
        post_init.connect(count, sender=model, weak=False)
    yield built
    for model in PLAN_MODELS:
        post_init.disconnect(count, sender=model)


@pytest.fixture
def varied(seed, cast):
    plan = seed["monteregie"]
    make_result(find_indicator(plan, "1.1.1", "Nb de projets"), YEAR, 2,
                evidence_url="https://exemple.org/preuve", comment="Deux projets",
                updated_by=cast["alice"])
    rate = make_result(find_indicator(plan, "1.2.3", "Taux d'ouverture"), YEAR, "58.5")
    Result.objects.filter(pk=rate.pk).update(evidence_file="preuves/preuve.pdf")
    make_result(find_indicator(plan, "1.1.4", "Nb de rencontres"), YEAR - 1, 9)
    sector = make_indicator(plan, "Organisations par secteur", targets={YEAR: "Min 2"},
                            members=["TI", "Santé"], action_code="1.1.1")
    ti, sante = sector.members.order_by("position")
    make_result(sector, YEAR, 5, member=ti, comment="TI")
    make_result(sector, YEAR, 1, member=sante)
    return plan


@pytest.mark.parametrize("url", [
    "reporting:pole", "reporting:pole_export", "reporting:pole_export?csv",
    "reporting:national_export"])
def test_dashboard_and_exports_build_no_plan_model_instance(client, cast, varied, instances,
                                                            url):
    name, _, csv = url.partition("?")
    args = [] if name == "reporting:national_export" else [varied.pk]
    client.force_login(cast["mina"])
    instances.clear()
    response = client.get(reverse(name, args=args) + f"?annee={YEAR}"
                          + ("&format=csv" if csv else ""))
    assert response.status_code == 200
    assert instances == {}


def test_plain_rows_write_the_same_tables_as_model_instances(varied):
    thresholds = settings.ACHIEVEMENT_THRESHOLDS

    def tables(plain):
        by_year = {y: selectors.plan_progress(varied, y, plain=plain) for y in varied.years}
        return (list(results_rows(by_year[YEAR], YEAR, thresholds)),
                list(multiyear_rows(varied, by_year)))

    from_models = tables(plain=False)
    assert tables(plain=True) == from_models
    header, *lines = from_models[0]
    evidence = header.index("Pièces justificatives")
    assert "preuves/preuve.pdf" in [line[evidence] for line in lines]
    assert len(lines) > 80


def test_a_period_target_plan_reads_the_same_plain(db):
    plan = make_plan("periode")
    indicator = make_indicator(plan, "Projets", targets={None: "Min 5"}, action_code="1.1.1")
    make_result(indicator, 2024, 2)
    [model] = selectors.plan_progress(plan, 2024)
    [plain] = selectors.plan_progress(plan, 2024, plain=True)
    assert plain.is_period_target and model.is_period_target
    assert plain.target.reading_text == model.target.reading_text
    assert plain.status == model.status and plain.has_result and plain.next_target.text == "Min 5"


def test_a_missing_stored_evaluation_is_evaluated_from_plain_rows_too(varied):
    sector = Indicator.objects.get(label="Organisations par secteur")
    StoredEvaluation.objects.filter(indicator=sector, year=YEAR).delete()
    by_label = {p.indicator.label: p for p in selectors.plan_progress(varied, YEAR, plain=True)}
    [model] = [p for p in selectors.plan_progress(varied, YEAR, live=True)
               if p.indicator.pk == sector.pk]
    assert by_label[sector.label].evaluation == model.evaluation
    assert by_label[sector.label].status == model.status
