"""The one transition check of every state machine of the project.

Each machine declares its table once, in its app's ``enums.py``: ``{name: Transition(sources, target)}``. A transition
function of a ``workflow`` module locks its row, then asks ``check_transition(table, name, row.state, what=...)``,
which returns the target state or raises a ``WorkflowError`` whose French message says why the move is refused.
Templates and predicates ask ``allows(table, name, state)`` to decide what to offer, with the same table.

A ``Transition`` whose target is ``None`` is an action that keeps the state (an edit, a signature, a piece added):
it is allowed only from its sources, and ``check_transition`` then returns the current state.
"""

from dataclasses import dataclass

from .exceptions import WorkflowError


@dataclass(frozen=True)
class Transition:
    """A move allowed from any of ``sources`` to ``target`` (``None``: the state does not change).

    ``refusal`` (optional) replaces the generic message; it may use ``{state}`` (the current state's label) and
    ``{what}``. It may also be a dict ``{state: message}`` giving the message of some states, with the key ``None``
    for every other state (the generic message when absent).
    """

    sources: tuple
    target: str | None
    refusal: str | dict = ""

    def __init__(self, sources, target, refusal=""):
        object.__setattr__(self, "sources", tuple(sources))
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "refusal", refusal)

    # Old tables were (sources, target) pairs: keep unpacking working.
    def __iter__(self):
        return iter((self.sources, self.target))

    def refusal_for(self, state) -> str:
        if isinstance(self.refusal, dict):
            return self.refusal.get(state, self.refusal.get(None, ""))
        return self.refusal


def allows(table: dict, name: str, state) -> bool:
    """Whether ``name`` may be applied from ``state`` (for templates and predicates)."""
    return state in table[name].sources


def check_transition(table: dict, name: str, state, *, what: str, state_label: str = "") -> str:
    """Return the target of transition ``name`` from ``state`` (``state`` itself for an action that keeps it),
    or raise ``WorkflowError`` in French.

    ``what`` names the object with its article (« le dossier », « le livret 1 »); ``state_label`` is the current
    state's French label (defaults to the raw value, which callers should avoid by passing ``get_state_display()``).
    """
    transition = table[name]
    if state not in transition.sources:
        label = state_label or str(state)
        refusal = transition.refusal_for(state)
        if refusal:
            raise WorkflowError(refusal.format(state=label, what=what))
        raise WorkflowError(f"Action impossible : {what} est « {label} ».")
    return state if transition.target is None else transition.target
