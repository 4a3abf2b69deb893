"""The *Activités* rows of the workbook: the year's activities and what each one feeds."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from register.exports import activity_rows
from register.models import Activity, IndicatorRule, Organisation
from tests.conftest import make_indicator
from tests.register.conftest import make_activity, make_org, make_rule

Kind = IndicatorRule.Kind


def test_rows_list_the_year_s_activities_and_the_indicators_they_feed(plan):
    projects = make_indicator(plan, "Nb de projets")
    partners = make_indicator(plan, "Nb de partenaires")
    agreements = make_indicator(plan, "Nb d'ententes actives")
    make_rule(projects, Kind.ACTIVITIES, ["projet-concertation"])
    make_rule(partners, Kind.PARTNERS)
    make_rule(agreements, Kind.AGREEMENTS)
    action = projects.action
    cpe = make_org("CPE La Cigogne", Organisation.Kind.CPE)
    make_activity(plan.pole, title="Chantier", actions=[action], organisations=[cpe])
    make_activity(plan.pole, title="Entente", actions=[action], kind_code="entente-partenariat",
                  start=datetime.date(2023, 6, 1), status=Activity.Status.ONGOING)
    make_activity(plan.pole, title="Plus tard", actions=[action],
                  start=datetime.date(2025, 6, 1))

    rows = list(activity_rows(plan, 2024))

    assert rows[0][2] == "Activité" and rows[0][-1] == "Indicateurs alimentés"
    by_title = {row[2]: row for row in rows[1:]}
    assert set(by_title) == {"Chantier", "Entente"}
    assert by_title["Chantier"][-1] == "1.1.1 Nb de projets ; 1.1.1 Nb de partenaires"
    assert by_title["Entente"][-1] == "1.1.1 Nb d'ententes actives"


def test_rows_cost_the_same_queries_with_many_activities(plan):
    indicator = make_indicator(plan, "Nb de projets")
    make_rule(indicator, Kind.ACTIVITIES)
    orgs = [make_org(f"Cégep {n}") for n in range(3)]

    def add_and_count(count):
        for _n in range(count):
            make_activity(plan.pole, actions=[indicator.action], organisations=orgs)
        with CaptureQueriesContext(connection) as queries:
            rows = list(activity_rows(plan, 2024))
        return len(queries), len(rows)

    assert add_and_count(2) == (5, 3)
    assert add_and_count(20) == (5, 23)


def test_national_view_counts_distinct_establishments_per_mes_theme(seed):
    from indicators.models import Theme
    from register.selectors import establishments_by_theme
    from tests.conftest import make_plan

    other = make_plan("autre")
    one = make_indicator(seed["quebec"], "Nb A", action_code="Q.1")
    two = make_indicator(other, "Nb B", action_code="A.1")
    theme1, theme2 = Theme.objects.get(number=1), Theme.objects.get(number=2)
    one.action.themes.set([theme1])
    two.action.themes.set([theme1, theme2])
    cegep, uni = make_org("Cégep commun"), make_org("Université X", Organisation.Kind.UNIVERSITY)
    cpe = make_org("CPE Y", Organisation.Kind.CPE)
    make_activity(seed["quebec"].pole, actions=[one.action], organisations=[cegep, cpe])
    make_activity(other.pole, actions=[two.action], organisations=[cegep, uni])
    make_activity(other.pole, actions=[two.action], organisations=[uni],
                  start=datetime.date(2025, 5, 1))
    with CaptureQueriesContext(connection) as queries:
        counts = establishments_by_theme(2024)
    assert counts == {1: 2, 2: 2}  # the cégep reached by two pôles counts once; no CPE
    assert len(queries) == 1
