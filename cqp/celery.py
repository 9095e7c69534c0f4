import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqp.settings")

app = Celery("cqp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The one place where periodic work is scheduled (celery beat).
from cqp.beat import BEAT_SCHEDULE  # noqa: E402

app.conf.beat_schedule = BEAT_SCHEDULE
