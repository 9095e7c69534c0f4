"""The CQPs the lists' filters offer (code and title, by title) and their ids, read once per process (issue 20).

Reference data: it changes when a référentiel is imported or a CQP edited in the admin. This process forgets it at
once when a Certification is saved or deleted (signals) or updated by the loader (``forget()``); another process (an
import command, another worker) sees the change within ``MEMO_SECONDS``, after which the list is read again.
"""

import threading
from time import monotonic

from django.db.models.signals import post_delete, post_save

from .models import Certification

MEMO_SECONDS = 60

_lock = threading.Lock()
_memo: tuple[float, int, list[tuple[str, str]], dict[str, int]] | None = None  # (until, generation, choices, ids)
_generation = 0


def _read():
    global _memo
    memo = _memo
    if memo is not None and monotonic() < memo[0]:
        return memo
    generation = _generation
    rows = list(Certification.objects.order_by("title").values_list("pk", "code", "title"))
    memo = (monotonic() + MEMO_SECONDS, generation, [(c, t) for _, c, t in rows], {c: pk for pk, c, _ in rows})
    with _lock:
        if generation == _generation:  # not forgotten while it was read: kept
            _memo = memo
    return memo


def certification_choices() -> list[tuple[str, str]]:
    """(code, title) of every CQP, by title: the « CQP » filter's choices."""
    return _read()[2]


def certification_id(code: str) -> int | None:
    """The id of the CQP ``code`` (None: no such CQP), so that a list filters on its own column, without a join."""
    return _read()[3].get(code)


def forget(**kwargs) -> None:
    global _memo, _generation
    with _lock:
        _memo = None
        _generation += 1


post_save.connect(forget, sender=Certification, dispatch_uid="referentiels-choices-forget-saved")
post_delete.connect(forget, sender=Certification, dispatch_uid="referentiels-choices-forget-deleted")
