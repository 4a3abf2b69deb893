"""Headlines count the register's computed results apart from those people entered (issue
24, item 2b)."""

from indicators.progress import Summary


def summary(**counts):
    return Summary(counts={}, total=94, measured=0, met=0, **counts)


def test_no_computed_result_adds_nothing_to_the_headline():
    assert summary(entered=37).entered_breakdown == ""


def test_computed_results_and_their_zeros_are_counted_apart():
    assert summary(entered=94, computed=57, computed_zero=57).entered_breakdown == (
        "37 résultats saisis, 57 calculés par le registre (dont 57 à zéro)")


def test_one_of_each_is_singular_and_no_zero_says_nothing_of_zeros():
    assert summary(entered=2, computed=1).entered_breakdown == (
        "1 résultat saisi, 1 calculé par le registre")


def test_only_computed_results_say_none_was_entered():
    assert summary(entered=3, computed=3, computed_zero=1).entered_breakdown == (
        "aucun résultat saisi, 3 calculés par le registre (dont 1 à zéro)")
