"""A stored row read back as an evaluation: the side of the date it was read on, members too."""

from decimal import Decimal

import pytest

from indicators.evaluations import evaluation_of
from indicators.targets import Status


def row(over: bool, **members) -> dict:
    return {"status": "non_atteinte" if over else "en_cours", "reason": "Motif.", "over": over,
            "achievement": Decimal("75.0"), "resolved_target": Decimal("40"),
            "measured": Decimal("30"), "members": members}


@pytest.mark.parametrize(("over", "status", "reason"), [
    (False, Status.IN_PROGRESS, "En cours."), (True, Status.NOT_MET, "Terminé.")])
def test_a_member_is_read_on_the_same_side_of_the_date_as_its_row(over, status, reason):
    evaluation = evaluation_of(row(over, TI={
        "open": "en_cours", "closed": "non_atteinte", "reason_open": "En cours.",
        "reason_closed": "Terminé.", "achievement": "75.0", "resolved_target": "40"}))
    member = evaluation.members["TI"]
    assert (member.status, member.reason) == (status, reason)
    assert member.achievement == Decimal("75.0") and member.resolved_target == Decimal(40)
    assert evaluation.measured == Decimal(30) and evaluation.reason == "Motif."


def test_a_row_stored_before_members_kept_reasons_reads_without_them():
    # Rows written before reasons and resolved targets were stored per member (until the
    # release's evaluations_rebuild) still read.
    member = evaluation_of(row(True, TI={"open": "en_cours", "closed": "atteinte",
                                         "achievement": None})).members["TI"]
    assert member.status is Status.MET and member.reason == ""
    assert member.resolved_target is None
