"""A target as read, written in English for a person who chose English; the canonical French
rendering (what reads back) never changes with the language, and the plan's own words stay
as written."""

import pytest
from django.urls import reverse
from django.utils import translation

from indicators import targets as tl
from indicators.formatting import describe_reading
from indicators.models import Target

NBSP = "\u00a0"

# (as written in a plan, canonical French, English)
READINGS = [
    ("Min 6", "au moins 6", "at least 6"),
    ("80 % et plus", f"au moins 80{NBSP}%", "at least 80%"),
    ("80 %", f"80{NBSP}%", "80%"),
    ("12,5", "12,5", "12.5"),
    ("Pas plus de 5", "au plus 5", "at most 5"),
    ("moins de 3", "moins de 3", "less than 3"),
    ("exactement 4", "exactement 4", "exactly 4"),
    ("+10 %", f"hausse de 10{NBSP}%", "increase of 10%"),
    ("Hausse de 10 % sur le résultat de l'année précédente",
     f"hausse de 10{NBSP}% sur le résultat de l'année précédente",
     "increase of 10% compared with the previous year's result"),
    ("baisse de 5 % par rapport à 2022-2023", f"baisse de 5{NBSP}% par rapport à 2022-2023",
     "decrease of 5% compared with 2022-2023"),
    ("hausse de 5 % par rapport à la valeur de départ",
     f"hausse de 5{NBSP}% par rapport à la valeur de départ",
     "increase of 5% compared with the starting value"),
    ("hausse annuelle d'au moins 5 %", f"hausse annuelle d'au moins 5{NBSP}%",
     "annual increase of at least 5%"),
    ("+2 pts", f"hausse de 2{NBSP}points de pourcentage", "increase of 2 percentage points"),
    ("+1 pt", f"hausse de 1{NBSP}point de pourcentage", "increase of 1 percentage point"),
    ("hausse de 1,5 point de pourcentage", f"hausse de 1,5{NBSP}point de pourcentage",
     "increase of 1.5 percentage points"),
    ("maintien", "maintien du résultat de l'année précédente",
     "maintain the previous year's result"),
    ("À déterminer", "À déterminer", "To be determined"),
    ("s. o.", "Sans objet", "Not applicable"),
    ("Livrable : guide des stages publié", "Livrable : guide des stages publié",
     "Deliverable: guide des stages publié"),
    ("200 M$", f"200{NBSP}000{NBSP}000{NBSP}$", "$200,000,000"),
    ("30 min", f"30{NBSP}min", "30 min"),
    ("de 40 à 60", "de 40 à 60", "from 40 to 60"),
    ("entre 10 et 15", "entre 10 et 15", "between 10 and 15"),
    ("80 000 vues", f"80{NBSP}000{NBSP}vues", "80,000 vues"),
    ("Cohorte 2016 65,6 %", f"65,6{NBSP}%, cohorte 2016", "65.6%, cohort 2016"),
    ("80 % d'ici 2026-2027", f"80{NBSP}%, d'ici 2026-2027", "80%, by 2026-2027"),
    ("80 % en 2025-2026", f"80{NBSP}%, en 2025-2026", "80%, in 2025-2026"),
    ("200 par année", "200, chaque année", "200, each year"),
    ("3 pour chaque établissement", "3 pour chaque établissement", "3 for each établissement"),
]


@pytest.mark.parametrize("text, french, english", READINGS, ids=[r[0] for r in READINGS])
def test_a_reading_is_written_in_english_for_an_english_reader(text, french, english):
    reading = tl.parse_target(text)
    assert tl.render_english(reading) == english
    with translation.override("en"):
        assert tl.render_shown(reading) == english
        # The canonical French does not follow the page's language, and reads back.
        assert tl.render(reading) == french
        assert tl.parse_target(tl.render(reading)) == reading
    with translation.override("fr-ca"):
        assert tl.render_shown(reading) == french


def test_the_entry_page_reading_of_a_bare_number_takes_the_indicators_unit_in_english():
    reading = tl.parse_target("5")
    with translation.override("en"):
        assert describe_reading(reading, tl.Unit.PERCENT) == "5%"
        assert describe_reading(reading, tl.Unit.DELIVERABLE) == "Deliverable done"
    with translation.override("fr-ca"):
        assert describe_reading(reading, tl.Unit.PERCENT) == f"5{NBSP}%"


def test_the_try_a_target_page_reads_a_target_in_english(client, cast):
    client.force_login(cast["alice"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("indicators:target_preview"),
                      {"text": "80 % et plus", "unit": "percent", "sample": "85"}
                      ).content.decode()
    assert "at least 80%" in page and "Met" in page
    assert "au moins 80" not in page and "Atteinte" not in page


def test_the_indicator_page_shows_the_plans_target_in_french_and_its_reading_in_english(
        client, cast, seed):
    target = Target.objects.filter(
        indicator__action__objective__orientation__plan=seed["monteregie"],
        kind=tl.Kind.VALUE, comparator=tl.Comparator.AT_LEAST
    ).select_related("indicator").first()
    assert target is not None
    client.force_login(cast["alice"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("reporting:indicator", args=[target.indicator_id])
                      ).content.decode()
    assert target.text in page.replace("&#x27;", "'")  # the plan's words, as written
    assert "read as : at least" in page or "read as: at least" in page


@pytest.mark.parametrize("stored, english", [
    ("Aucun résultat saisi pour 2025-2026.", "No result entered for 2025-2026."),
    ("Cible atteinte.", "Target met."),
    ("Cible non atteinte pour : Cégep A, Cégep B.", "Target not met for: Cégep A, Cégep B."),
    ("Cible de période : jugée à la fin de 2026-2027.",
     "Period target: judged at the end of 2026-2027."),
    ("Cégep A : Cible à déterminer.; Cégep B : Aucune cible pour 2024-2025.",
     "Cégep A: Target to be determined.; Cégep B: No target for 2024-2025."),
])
def test_a_stored_reason_is_shown_in_the_readers_language(stored, english):
    from indicators.evaluations import shown_reason

    with translation.override("en"):
        assert shown_reason(stored) == english
    with translation.override("fr-ca"):
        assert shown_reason(stored) == stored


def test_an_evaluation_refreshed_during_an_english_request_is_stored_in_french(seed):
    from indicators.evaluations import evaluations_refresh
    from indicators.models import StoredEvaluation

    plan = seed["monteregie"]
    with translation.override("en"):
        evaluations_refresh(plan=plan)
    reasons = set(StoredEvaluation.objects.filter(plan=plan).values_list("reason_open",
                                                                          flat=True))
    assert "Aucun résultat saisi pour 2025-2026." in reasons
    assert not any("No result" in reason for reason in reasons)
