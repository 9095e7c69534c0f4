"""The beat schedule: every periodic task, in one place (checked by a test)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "daily-deadlines-and-reminders": {
        # Recevabilités tacites puis rappels d'échéances, chaque matin à 6 h (Europe/Paris).
        "task": "cqp.tasks.task_send_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
    "healthcheck-every-15-minutes": {
        "task": "cqp.tasks.task_healthcheck",
        "schedule": crontab(minute="*/15"),
    },
}
