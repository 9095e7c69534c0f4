"""What a worker does when it starts: queue again the work left in flight by a worker that died (kill -9, a container
that stopped), at once, instead of waiting for the broker's visibility timeout (10 minutes) to give its messages back.

Each app registers, in its ``AppConfig.ready()``, a function for the queue whose work it recovers:
``register_recovery(queue, function)``. A worker that starts (celery's ``worker_ready`` signal, cqp/celery.py) runs
the functions of the queues it consumes. Everything recovered is idempotent (an e-mail of the outbox sent once per
row, a document rebuilt and mailed once per key): when Redis later gives the dead worker's messages back, they find
the work done and do nothing more.

This module imports no app: the apps import it.
"""

import logging

logger = logging.getLogger(__name__)

_recoveries: dict[str, list] = {}


def register_recovery(queue: str, function) -> None:
    functions = _recoveries.setdefault(queue, [])
    if function not in functions:
        functions.append(function)


def recover(queues) -> dict:
    """Run the recoveries of ``queues``; one failing does not stop the others. Returns {function name: result}."""
    results = {}
    for queue in sorted(set(queues)):
        for function in _recoveries.get(queue, []):
            name = f"{function.__module__}.{function.__name__}"
            if name in results:
                continue  # registered for two queues this worker consumes: once
            try:
                results[name] = function()
            except Exception:  # the worker starts all the same; beat's periodic jobs catch up later
                logger.exception("Reprise au démarrage du worker : %s en échec", name)
    if results:
        logger.warning("Reprise au démarrage du worker (files %s) : %s", ", ".join(sorted(queues)), results)
    return results


def requeue_outbox() -> str:
    """The mail queue: a sweep of every pending e-mail already due, queued at once (cqp/outbox.py)."""
    from celery import current_app

    current_app.tasks["cqp.tasks.task_sweep_outbox"].delay(late_seconds=0)
    return "relève des e-mails en attente demandée"


def register_core_recoveries(*queues: str) -> None:
    """The outbox is swept by any worker that starts on the mail or the documents queue: a document task killed after
    its commit and before queueing its e-mail leaves a pending row that the mail worker, still alive, knows nothing
    of."""
    for queue in queues:
        register_recovery(queue, requeue_outbox)
