import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqp.settings")

app = Celery("cqp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The one place where periodic work is scheduled (celery beat).
from cqp.beat import BEAT_SCHEDULE  # noqa: E402

app.conf.beat_schedule = BEAT_SCHEDULE

from celery.signals import worker_init  # noqa: E402


@worker_init.connect
def _preload_pdf_engine(**kwargs):
    """Load WeasyPrint and its fonts once, in the worker's main process: the forked pool processes inherit them,
    so the first PDF of each process does not pay the import (about 2 s, measured by make bench)."""
    try:
        from weasyprint import HTML

        HTML(string="<p>CQP</p>").write_pdf()
    except Exception:  # a missing system library shows up in the task itself, with its error recorded
        pass
