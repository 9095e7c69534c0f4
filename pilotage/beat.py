"""The beat schedule: every periodic task of the project, in one place (installed on the Celery app by
PilotageConfig.ready(), checked by tests/test_celery.py)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "daily-job": {
        # Recevabilités tacites, rappels d'échéances, anonymisation des données échues, purge des journaux de
        # connexion : chaque matin à 6 h (Europe/Paris).
        "task": "pilotage.tasks.task_run_daily_job",
        "schedule": crontab(hour=6, minute=0),
    },
    "requeue-pending-documents-every-5-minutes": {
        # Documents (fiches de décision and their certificate, convocations) whose PDF is still pending after
        # DOCUMENT_REQUEUE_MINUTES are queued again; given up (failed, visible to the OEMM) after 24 h. Its frequent
        # run also keeps beat's schedule file fresh: the beat healthcheck of docker-compose.yml checks that file's age.
        "task": "jury.tasks.task_requeue_pending_documents",
        "schedule": crontab(minute="*/5"),
    },
    "outbox-sweep-every-minute": {
        # E-mails of the outbox (cqp/outbox.py) whose attempt is overdue: a retry planned hours ahead, a task lost
        # (a broker down at commit, a worker killed). Each sent once (row lock and state).
        "task": "cqp.tasks.task_sweep_outbox",
        "schedule": crontab(minute="*"),
    },
    "healthcheck-every-15-minutes": {
        "task": "cqp.tasks.task_healthcheck",
        "schedule": crontab(minute="*/15"),
    },
}
