"""Matching imported names against the directory: sure matches, or a question."""

from dataclasses import dataclass

import pytest

from register.matching import match_organisation, normalize


@dataclass
class Org:
    name: str
    abbreviation: str = ""


DIRECTORY = [
    Org("Cégep Édouard-Montpetit"),
    Org("Cégep de Saint-Hyacinthe"),
    Org("Cégep Saint-Jean-sur-Richelieu"),
    Org("Collège Montmorency"),
    Org("Université du Québec à Montréal", "UQAM"),
    Org("Université du Québec à Trois-Rivières", "UQTR"),
    Org("Université du Québec à Rimouski", "UQAR"),
    Org("Université de Montréal", "UdeM"),
    Org("Centre de services scolaire Marie-Victorin"),
]


def test_normalize_drops_accents_hyphens_case_and_expands_saint():
    assert normalize("Cégep  St-Jean-sur-Richelieu") == "cegep saint jean sur richelieu"


@pytest.mark.parametrize(("typed", "expected"), [
    ("Cegep Edouard Montpetit", "Cégep Édouard-Montpetit"),
    ("CÉGEP ÉDOUARD-MONTPETIT", "Cégep Édouard-Montpetit"),
    ("UQAM", "Université du Québec à Montréal"),
    ("uqtr", "Université du Québec à Trois-Rivières"),
    ("Cegep St-Hyacinthe", "Cégep de Saint-Hyacinthe"),
    ("College Montmorency", "Collège Montmorency"),
    ("CSS Marie-Victorin", "Centre de services scolaire Marie-Victorin"),
    ("Cégep Edouard-Montpetti", "Cégep Édouard-Montpetit"),  # a typo
])
def test_sure_matches(typed, expected):
    result = match_organisation(typed, DIRECTORY)
    assert result.is_sure
    assert result.organisation.name == expected


def test_a_name_that_fits_several_entries_asks_instead_of_guessing():
    result = match_organisation("Université du Québec", DIRECTORY)
    assert not result.is_sure
    assert result.is_ambiguous
    names = [c.name for c in result.candidates]
    assert "Université du Québec à Montréal" in names
    assert "Université du Québec à Rimouski" in names


def test_an_unknown_name_matches_nothing():
    result = match_organisation("Boulangerie du coin", DIRECTORY)
    assert not result.is_sure and not result.candidates


@pytest.mark.parametrize("typed", ["Maison de la famille Vallée", "Boulangerie Saint-Jean"])
def test_a_partner_sharing_one_word_with_an_establishment_is_not_proposed(typed):
    directory = [*DIRECTORY, Org("Centre de services scolaire de la Vallée-des-Tisserands"),
                 Org("Centre de services scolaire du Lac-Saint-Jean")]
    assert not match_organisation(typed, directory).candidates


def test_an_empty_name_matches_nothing():
    assert not match_organisation(" - ", DIRECTORY).candidates
