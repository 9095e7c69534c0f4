import pytest

from cqp.exceptions import WorkflowError
from cqp.transitions import Transition, allows, check_transition

TABLE = {
    "send": Transition(["draft", "incomplete"], "sent"),
    "decide": Transition(["sent"], "decided", refusal="Décision impossible : {what} est « {state} »."),
}


@pytest.mark.parametrize(
    "name, state, target",
    [
        ("send", "draft", "sent"),
        ("send", "incomplete", "sent"),
        ("decide", "sent", "decided"),
    ],
)
def test_allowed_moves_return_their_target(name, state, target):
    assert check_transition(TABLE, name, state, what="le livret") == target
    assert allows(TABLE, name, state)


@pytest.mark.parametrize(
    "name, state, message",
    [
        ("send", "sent", "Action impossible : le livret est « Envoyé »."),
        ("decide", "draft", "Décision impossible : le livret est « Envoyé »."),
    ],
)
def test_refused_moves_say_why_in_french(name, state, message):
    assert not allows(TABLE, name, state)
    with pytest.raises(WorkflowError) as exc:
        check_transition(TABLE, name, state, what="le livret", state_label="Envoyé")
    assert str(exc.value) == message


def test_a_transition_still_unpacks_as_a_pair():
    sources, target = TABLE["send"]
    assert sources == ("draft", "incomplete") and target == "sent"


EDITS = {
    "edit": Transition(
        ["draft", "incomplete"],
        None,
        refusal={
            "sent": "Le livret est envoyé : il n'est plus modifiable.",
            None: "Modification impossible : {what} est « {state} ».",
        },
    ),
}


@pytest.mark.parametrize("state", ["draft", "incomplete"])
def test_an_action_that_keeps_the_state_returns_the_current_state(state):
    assert check_transition(EDITS, "edit", state, what="le livret") == state
    assert allows(EDITS, "edit", state)


@pytest.mark.parametrize(
    "state, message",
    [
        ("sent", "Le livret est envoyé : il n'est plus modifiable."),
        ("decided", "Modification impossible : le livret est « Décidé »."),
    ],
)
def test_a_refusal_may_depend_on_the_state(state, message):
    assert not allows(EDITS, "edit", state)
    with pytest.raises(WorkflowError) as exc:
        check_transition(EDITS, "edit", state, what="le livret", state_label="Décidé")
    assert str(exc.value) == message


def test_a_state_dict_without_default_falls_back_to_the_generic_message():
    table = {"edit": Transition(["draft"], None, refusal={"sent": "Envoyé."})}
    with pytest.raises(WorkflowError) as exc:
        check_transition(table, "edit", "decided", what="le livret", state_label="Décidé")
    assert str(exc.value) == "Action impossible : le livret est « Décidé »."
