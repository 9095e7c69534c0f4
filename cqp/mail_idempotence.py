"""Whether an e-mail of a given idempotence key was already queued or sent (jury/documents.py asks it before queueing
a document's e-mail again).

Since the outbox (cqp/outbox.py), an e-mail is a row under a unique key, written in the transaction of its cause.
« Already sent » is a row with the key that is no longer pending (sent, or failed: the OEMM resends it). A row still
pending is not: a document task run again (redelivered after its process died between the commit and the queueing
of the e-mail's task) queues the e-mail again, which writes nothing new (the key) and queues its task again (sent
once: the row's lock and state). The « sent » markers that earlier versions wrote in the ``idempotence`` cache are
still honoured while they live (30 days).
"""

from django.core.cache import caches


def _sent_marker(key: str) -> str:
    return f"mail-sent:{key}"


def already_sent(key: str | None) -> bool:
    if not key:
        return False
    from .outbox import already_handled

    return already_handled(key) or caches["idempotence"].get(_sent_marker(key)) is not None


def already_queued(key: str | None) -> bool:
    """A row with the key exists, whatever its state (the outbox sends it), or an earlier « sent » marker: the beat
    job of the documents (jury/documents.py) need not rebuild a document for its e-mail."""
    if not key:
        return False
    from .outbox_models import OutboundEmail

    return OutboundEmail.objects.filter(key=key).exists() or caches["idempotence"].get(_sent_marker(key)) is not None
