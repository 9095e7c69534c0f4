"""The CQPs (code, title, id) and the mentions' labels, read once per process (issue 20): the lists' « CQP » filter
offers them, and the dossiers list writes each row's CQP from them rather than joining two tables per page.

Reference data: it changes when a référentiel is imported or a CQP edited in the admin. This process forgets it at
once when a Certification or a Mention is saved or deleted (signals) or a CQP updated by the loader (``forget()``); an
id it does not know (a row created without signal, e.g. by ``bulk_create``) makes it read everything again once;
another process (an import command, another worker) sees a change within ``MEMO_SECONDS``, after which all is read
again.
"""

import threading
from dataclasses import dataclass
from time import monotonic

from django.db.models.signals import post_delete, post_save

from .models import Certification, Mention

MEMO_SECONDS = 60


@dataclass(frozen=True)
class _Memo:
    until: float
    generation: int
    choices: list[tuple[str, str]]  # (code, title) by title
    ids: dict[str, int]  # code -> id
    titles: dict[int, str]  # id -> title
    mentions: dict[int, str]  # mention id -> label


_lock = threading.Lock()
_memo: _Memo | None = None
_generation = 0


def _read(*, again: bool = False) -> _Memo:
    global _memo
    memo = _memo
    if memo is not None and not again and monotonic() < memo.until:
        return memo
    generation = _generation
    rows = list(Certification.objects.order_by("title").values_list("pk", "code", "title"))
    memo = _Memo(
        until=monotonic() + MEMO_SECONDS,
        generation=generation,
        choices=[(code, title) for _, code, title in rows],
        ids={code: pk for pk, code, _ in rows},
        titles={pk: title for pk, _, title in rows},
        mentions=dict(Mention.objects.order_by().values_list("pk", "label")),
    )
    with _lock:
        if generation == _generation:  # not forgotten while it was read: kept
            _memo = memo
    return memo


def certification_choices() -> list[tuple[str, str]]:
    """(code, title) of every CQP, by title: the « CQP » filter's choices."""
    return _read().choices


def certification_id(code: str) -> int | None:
    """The id of the CQP ``code`` (None: no such CQP), so that a list filters on its own column, without a join."""
    return _read().ids.get(code)


def certification_title(pk: int) -> str:
    memo = _read()
    if pk not in memo.titles:
        memo = _read(again=True)
    return memo.titles.get(pk, "")


def mention_label(pk: int | None) -> str:
    """The mention's label ("" for none)."""
    if pk is None:
        return ""
    memo = _read()
    if pk not in memo.mentions:
        memo = _read(again=True)
    return memo.mentions.get(pk, "")


def stamp() -> tuple[int, float]:
    """Changes whenever the CQPs are read again (a save, a delete, an import, every ``MEMO_SECONDS``, an unknown id):
    what was built from them, a compiled list whose SQL holds a CQP's id (cqp/compiled_lists.py), is built again."""
    memo = _read()
    return memo.generation, memo.until


def forget(**kwargs) -> None:
    global _memo, _generation
    with _lock:
        _memo = None
        _generation += 1


for _model in (Certification, Mention):
    post_save.connect(forget, sender=_model, dispatch_uid=f"referentiels-choices-forget-saved-{_model.__name__}")
    post_delete.connect(forget, sender=_model, dispatch_uid=f"referentiels-choices-forget-deleted-{_model.__name__}")
