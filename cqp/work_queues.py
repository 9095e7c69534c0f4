"""Work queues of the OEMM cockpit, contributed by any app (registered in its ``AppConfig.ready()``).

A queue is what waits for the OEMM: a count, the date of its oldest item, the nearest deadline (days left, overdue
ones counted apart) and a link to the page where the work is done. ``summarize(today, user)`` (``user``: the staff
member, whose certifier scopes the items; None for all) answers in a number of
queries that does not grow with the data (one aggregate query for the queues of pilotage/cockpit/queues.py). The
cockpit (pilotage) reads the registry and never imports the app that registered a queue, so an app below it (the
e-mail outbox of cqp, for instance) adds its own queue with::

    register_work_queue(WorkQueue(key="emails_failed", label="E-mails en échec", group="Envois",
                                  summarize=lambda today, user=None: QueueSummary(count=failed_count()),
                                  url=lambda: reverse("...")))
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class QueueSummary:
    count: int
    oldest: datetime.date | None = None  # the date the oldest item entered the queue (received, transmitted...)
    deadline: datetime.date | None = None  # the nearest deadline among the items, if they have one
    overdue: int = 0  # items whose deadline has passed

    def days_left(self, today: datetime.date) -> int | None:
        return None if self.deadline is None else (self.deadline - today).days


@dataclass(frozen=True)
class WorkQueue:
    key: str  # stable, used in URLs: letters, digits, "-" and "_"
    label: str  # French, what waits (« Livrets 1 à instruire »)
    group: str  # French heading on the cockpit (« Recevabilité », « Jury »...)
    summarize: Callable[..., QueueSummary]  # (today, user=None)
    url: Callable[[], str]  # the page where the work is done
    action: str = ""  # French, what to do (« Instruire », « Accuser réception »)
    order: int = 100


_queues: dict[str, WorkQueue] = {}


def register_work_queue(queue: WorkQueue) -> None:
    """Add ``queue``; registering a queue with the same key replaces it (ready() may run twice in tests)."""
    if not queue.key or not all(ch.isalnum() or ch in "-_" for ch in queue.key):
        raise ValueError(f"clé de file invalide : {queue.key!r}")
    _queues[queue.key] = queue


def work_queues() -> list[WorkQueue]:
    """The registered queues, by order then key."""
    return sorted(_queues.values(), key=lambda q: (q.order, q.key))


def get_work_queue(key: str) -> WorkQueue | None:
    return _queues.get(key)
