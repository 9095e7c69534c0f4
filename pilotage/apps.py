from django.apps import AppConfig


class PilotageConfig(AppConfig):
    """What spans the apps: daily job and beat schedule, reminders, deadlines, personal data, statistics, dashboards."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "pilotage"
    verbose_name = "Pilotage"

    def ready(self):
        from cqp.celery import app

        from .beat import BEAT_SCHEDULE
        from .cockpit.delivery_queues import register_delivery_queues
        from .cockpit.queues import register_queues
        from .register import reminders  # noqa: F401  (registers the register's reminder collector)

        # The one place where periodic work is scheduled, handed to Celery here: cqp/celery.py imports no app.
        app.conf.beat_schedule = BEAT_SCHEDULE
        register_queues()  # the OEMM's work queues (cqp/work_queues.py); other apps register theirs in their ready()
        register_delivery_queues()  # e-mails not delivered, documents whose PDF is late
