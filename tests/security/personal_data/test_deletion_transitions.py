"""The deletion request's transition table (cqp/enums.py DELETION_TRANSITIONS), read through cqp/transitions.py."""

import pytest

from cqp.enums import DELETION_TRANSITIONS, DeletionRequestState
from cqp.exceptions import WorkflowError
from cqp.transitions import allows, check_transition

S = DeletionRequestState


@pytest.mark.parametrize(
    "name, state, target",
    [
        ("accept", S.DEMANDEE, S.TRAITEE),
        ("accept", S.TRAITEE, None),
        ("accept", S.REFUSEE, None),
        ("refuse", S.DEMANDEE, S.REFUSEE),
        ("refuse", S.TRAITEE, None),
        ("refuse", S.REFUSEE, None),
        ("fulfil", S.DEMANDEE, S.TRAITEE),
        ("fulfil", S.TRAITEE, None),
        ("fulfil", S.REFUSEE, None),
    ],
)
def test_deletion_request_transitions(name, state, target):
    assert allows(DELETION_TRANSITIONS, name, state) is (target is not None)
    if target is None:
        with pytest.raises(WorkflowError) as refused:
            check_transition(DELETION_TRANSITIONS, name, state, what="la demande", state_label=S(state).label)
        assert str(refused.value) == f"Cette demande est déjà « {S(state).label} » : elle ne peut plus être traitée."
    else:
        assert check_transition(DELETION_TRANSITIONS, name, state, what="la demande") == target


def test_every_state_is_reached_or_left_by_the_table():
    sources = {s for t in DELETION_TRANSITIONS.values() for s in t.sources}
    targets = {t.target for t in DELETION_TRANSITIONS.values()}
    assert sources | targets == set(S.values)
