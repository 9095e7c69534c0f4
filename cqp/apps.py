from django.apps import AppConfig


class CqpConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cqp"
    verbose_name = "Comptes et organisations"

    def ready(self):
        from django.conf import settings
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import (  # noqa: F401  (registers the system checks and the rules)  # noqa: F401  (register the personal data and reminder collector)
            checks,
            permissions,
            personal_data,
            reminder_collectors,
        )
        from .auth_middleware import on_login
        from .recovery import register_core_recoveries
        from .throttle import record_login_failure

        register_core_recoveries(settings.MAIL_QUEUE, settings.DOCUMENTS_QUEUE)

        user_logged_in.connect(on_login, dispatch_uid="cqp.auth_middleware.on_login")
        user_login_failed.connect(record_login_failure, dispatch_uid="cqp.throttle.record_login_failure")
