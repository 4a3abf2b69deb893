"""The change log: each field that changed, its subject and author, in French; its words
translated once per call, however many changes it lists."""

from decimal import Decimal

import pytest
from django.utils import translation

from indicators.history import changes
from indicators.models import Indicator, Target
from tests.conftest import make_indicator, make_plan, make_result

YEAR = 2025


@pytest.fixture
def logged(cast):
    """A plan whose results and targets were created, changed and deleted, by a person and by
    nobody (the system)."""
    plan = make_plan("journal")
    count = make_indicator(plan, "Projets", targets={YEAR: "Min 2", None: "Min 5"})
    guide = make_indicator(plan, "Guide", targets={YEAR: "Mise à jour"},
                           unit=Indicator.Unit.DELIVERABLE, action_code="1.1.2")
    sector = make_indicator(plan, "Par secteur", members=["TI"], action_code="1.1.3")
    result = make_result(count, YEAR, 1, updated_by=cast["alice"])
    result.value, result.comment = Decimal(3), "Révisé"
    result._history_user = cast["alice"]
    result.save()
    make_result(guide, YEAR, done=True)
    make_result(sector, YEAR, 4, member=sector.members.get())
    make_result(count, YEAR - 1, 7)  # another year
    period = Target.objects.get(indicator=count, year=None)
    period.text = "Min 6"
    period.save()
    Target.objects.get(indicator=guide, year=YEAR).delete()
    return plan


def test_the_log_shows_each_changed_field_with_its_subject_and_author(logged):
    found = {(c.indicator_label, c.subject, c.field, c.old, c.new, c.who)
             for c in changes(plan=logged, year=YEAR)}
    assert found == {
        ("Projets", "Résultat 2025-2026", "résultat", "—", "1", "système"),
        ("Projets", "Résultat 2025-2026", "non applicable", "—", "non", "système"),
        ("Projets", "Résultat 2025-2026", "résultat", "1", "3", "alice"),
        ("Projets", "Résultat 2025-2026", "commentaire", "—", "Révisé", "alice"),
        ("Guide", "Résultat 2025-2026", "livrable", "—", "oui", "système"),
        ("Guide", "Résultat 2025-2026", "non applicable", "—", "non", "système"),
        ("Par secteur", "Résultat 2025-2026 (TI)", "résultat", "—", "4", "système"),
        ("Par secteur", "Résultat 2025-2026 (TI)", "non applicable", "—", "non", "système"),
        ("Projets", "Cible 2025-2026", "cible", "—", "Min 2", "système"),
        ("Projets", "Cible de la période", "cible", "—", "Min 5", "système"),
        ("Projets", "Cible de la période", "cible", "Min 5", "Min 6", "système"),
        ("Guide", "Cible 2025-2026", "cible", "—", "Mise à jour", "système"),
        ("Guide", "Cible 2025-2026", "cible", "Mise à jour", "—", "système"),
    }
    every_year = {(c.subject, c.new) for c in changes(plan=logged)}
    assert ("Résultat 2024-2025", "7") in every_year


@pytest.fixture
def translations(monkeypatch):
    """Counts the messages translated (``gettext`` and lazy texts turned into text)."""
    translated: list[str] = []
    real = translation._trans.gettext

    def counting(message):
        translated.append(message)
        return real(message)

    monkeypatch.setattr(translation._trans, "gettext", counting)
    return translated


def test_the_log_translates_its_words_once_per_call_not_once_per_change(logged, translations):
    indicators = [make_indicator(logged, f"Indicateur {n}", action_code="1.1.4")
                  for n in range(12)]
    translations.clear()
    few = changes(plan=logged, year=YEAR)
    once = len(translations)
    for indicator in indicators:
        make_result(indicator, YEAR, 2, comment="Deux", done=False)
    translations.clear()
    many = changes(plan=logged, year=YEAR)
    assert len(many) >= len(few) + 12 * 4
    assert len(translations) == once
    assert translations.count("oui") <= 1 and translations.count("résultat") <= 1
