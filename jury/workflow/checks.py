"""What every jury transition starts with: lock the session, check the move against the tables of ``jury/enums.py``,
check the role; and how tasks are queued once the transaction commits."""

import logging

from django.db import transaction

from cqp.enums import Role
from cqp.exceptions import WorkflowError
from cqp.transitions import check_transition

from ..enums import FICHE_TRANSITIONS, SESSION_TRANSITIONS, FicheState
from ..models import JurySession

logger = logging.getLogger(__name__)


def lock_session(session) -> JurySession:
    return JurySession.objects.select_for_update().get(pk=session.pk)


def check_session(session, name) -> str:
    """The session's table says whether ``name`` is allowed in its state (target, or the state it keeps)."""
    return check_transition(
        SESSION_TRANSITIONS, name, session.state, what="la session", state_label=session.get_state_display()
    )


def check_fiche(fiche, name) -> str:
    """The fiche's table says whether ``name`` is allowed; a candidate without a fiche counts as « en délibération »."""
    state = fiche.state if fiche is not None else FicheState.BROUILLON
    label = fiche.get_state_display() if fiche is not None else FicheState.BROUILLON.label
    return check_transition(FICHE_TRANSITIONS, name, state, what="la fiche de décision", state_label=label)


def is_oemm(user) -> bool:
    return user.has_role(Role.OEMM) or user.has_role(Role.ADMIN)


def require_oemm(user, message):
    if not is_oemm(user):
        raise WorkflowError(message)


def enqueue_convocation(convocation_id):
    from ..tasks import task_send_convocation

    transaction.on_commit(lambda: safe_delay(task_send_convocation, convocation_id=convocation_id))


def enqueue_fiche(fiche_id):
    from ..tasks import task_build_fiche

    transaction.on_commit(lambda: safe_delay(task_build_fiche, fiche_id=fiche_id))


def safe_delay(task, **kwargs):
    """Enqueue; a failure (in-process execution without a broker) is recorded by the task, not shown as a crash."""
    try:
        task.delay(**kwargs)
    except Exception:  # noqa: BLE001 - the task records its own failure (status + message)
        logger.exception("Tâche %s en échec (%s)", task.name, kwargs)
