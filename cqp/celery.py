import os

from celery import Celery
from celery.signals import worker_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqp.settings")

app = Celery("cqp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The beat schedule (pilotage/beat.py) is installed by PilotageConfig.ready(): the project package imports no app.


@worker_init.connect
def _preload_pdf_engine(**kwargs):
    """Load WeasyPrint and its fonts once, in the worker's main process: the forked pool processes inherit them,
    so the first PDF of each process does not pay the import (about 2 s, measured by make bench)."""
    try:
        from weasyprint import HTML

        HTML(string="<p>CQP</p>").write_pdf()
    except Exception:  # a missing system library shows up in the task itself, with its error recorded
        pass


@worker_ready.connect
def _recover_work_in_flight(sender=None, **kwargs):
    """A worker that starts queues again the work a dead worker left in flight (cqp/recovery.py), for the queues it
    consumes, without waiting for the broker's visibility timeout."""
    from django.db import connections

    from cqp.recovery import recover

    try:
        queues = set(sender.app.amqp.queues.consume_from)
    except AttributeError:
        return
    try:
        recover(queues)
    finally:
        connections.close_all()  # the main process holds no database connection for the pool processes


from pathlib import Path  # noqa: E402

from celery.beat import PersistentScheduler  # noqa: E402


class HeartbeatScheduler(PersistentScheduler):
    """celery beat's scheduler (settings.CELERY_BEAT_SCHEDULER) touching ``<schedule file>.alive`` at each tick.

    beat ticks at least every CELERY_BEAT_MAX_LOOP_INTERVAL seconds: the healthcheck of docker-compose.yml's beat
    service checks that this file is younger than a few minutes (a beat stuck or dead lets it age).
    """

    def heartbeat_path(self) -> Path:
        return Path(f"{self.schedule_filename}.alive")

    def tick(self, *args, **kwargs):
        self.heartbeat_path().touch()
        return super().tick(*args, **kwargs)
