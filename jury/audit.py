"""The audit trail of a jury session (``SessionEvent``): who did what, when, from which state to which, and why.
What concerns a dossier is also written to the dossier's own trail (``candidates.audit.record_event``)."""

from django.utils.dateformat import format as date_format

from cqp.templatetags.french import first_of_month

from .models import SessionEvent


def day_label(value) -> str:
    """A date as the labels and messages write it: « 23 novembre 2026 », « 1er décembre 2026 »."""
    return first_of_month(date_format(value, "j F Y"))


def record_session_event(
    session, *, actor, action, label, from_state="", to_state="", comment="", data=None, session_candidate=None
) -> SessionEvent:
    """Write one row of the session's audit trail (called inside the transition's transaction)."""
    return SessionEvent.objects.create(
        session=session,
        session_candidate=session_candidate,
        actor=actor if (actor and actor.pk) else None,
        action=action,
        label=label,
        from_state=from_state or "",
        to_state=to_state or "",
        comment=comment or "",
        data=data or {},
    )
