"""The seed indicators computed from the register, the directory fixture and the demo."""

from indicators.models import Result
from register.demo import register_demo_load
from register.directory import directory_data, directory_load
from register.models import Activity, IndicatorRule, Organisation
from register.seeding import seed_rules_map
from tests.conftest import find_indicator

Kind = IndicatorRule.Kind


def test_directory_names_its_source_and_invents_no_official_code(db):
    data = directory_data()
    assert "2024" in data["source"] and "Codes officiels" in data["official_codes"]
    sources = data["official_code_sources"]
    assert all(source["read_from"].startswith("https://") and "donneesquebec.ca" in
               source["origin"] for source in sources.values())
    coded = [entry for entry in data["organisations"] if entry["official_code"]]
    # every code names the file it was read from and the name it bears there
    assert all(entry["official_code_source"] in sources and entry["official_name"]
               for entry in coded)
    assert all(len(entry["official_code"]) == 6 and entry["official_code"].isdigit()
               for entry in coded)
    assert len({entry["official_code"] for entry in coded}) == len(coded) == 148
    codes = {entry["name"]: entry["official_code"] for entry in data["organisations"]}
    # as read in the ministry's files (Données Québec)
    assert (codes["Cégep de Rimouski"], codes["Université Laval"],
            codes["Université du Québec à Montréal"], codes["Dawson College"],
            codes["Centre de services scolaire de Montréal"]) == (
        "901000", "975000", "978001", "933000", "762000")
    # absent from those files: left empty rather than invented
    assert codes["Collège Esther-Blondin"] == codes["Collège international des Marcellines"] \
        == ""


def test_directory_loads_idempotently_with_the_uq_network(db):
    assert directory_load()[0] > 140
    assert directory_load() == (0, 0)
    uqam = Organisation.objects.get(abbreviation="UQAM")
    assert uqam.parent.name == "Université du Québec"
    assert Organisation.objects.filter(kind=Organisation.Kind.CEGEP).count() == 48
    assert uqam.official_code == "978001"


def test_seed_indicators_whose_wording_fits_get_a_rule(seed):
    mapped = {rule.indicator_id: rule for rule in seed_rules_map()}
    mont = seed["monteregie"]
    expected = {
        ("1.1.1", "Nb de projets"): Kind.ACTIVITIES,
        ("1.1.1", "Nb d'établissements"): Kind.ESTABLISHMENTS,
        ("1.1.1", "Nb de personnes touchées"): Kind.PEOPLE_REACHED,
        ("1.2.1", "Nb de visiteurs"): Kind.VISITORS,
        ("1.2.1", "Nb de partenaires impliqués"): Kind.PARTNERS,
        ("2.1.2", "Nb d'ententes actives"): Kind.AGREEMENTS,
    }
    for (action, label), kind in expected.items():
        assert mapped[find_indicator(mont, action, label).pk].kind == kind
    for action, label in [("1.2.3", "Nb d'abonnés"), ("1.3.1", "Nb de nouveaux partenaires"),
                          ("1.1.2", "Caractère pérenne")]:
        assert find_indicator(mont, action, label).pk not in mapped
    assert not seed_rules_map()  # a second run maps nothing more


def test_demo_register_counts_recurring_establishments_once(seed):
    directory_load()
    seed_rules_map()
    mont = seed["monteregie"]
    assert 50 <= register_demo_load(mont) <= 70
    assert register_demo_load(mont) == 0
    indicator = find_indicator(mont, "1.1.1", "Nb d'établissements")
    links = Activity.organisations.through.objects.filter(
        activity__actions=indicator.action, activity__status=Activity.Status.DONE,
        activity__start_date__year=2024, organisation__pole__isnull=True).count()
    total = Result.objects.get(indicator=indicator, year=2024, member=None)
    assert 0 < total.value < links  # an establishment in several projects counts once
    assert Result.objects.filter(indicator=indicator, year=2024, member__isnull=False).exists()
