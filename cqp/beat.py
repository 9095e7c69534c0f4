"""The beat schedule: every periodic task, in one place (checked by a test)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "healthcheck-every-15-minutes": {
        "task": "cqp.tasks.task_healthcheck",
        "schedule": crontab(minute="*/15"),
    },
}
