from django.apps import AppConfig


class JuryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jury"
    verbose_name = "Jurys et décisions"

    def ready(self):
        from candidates.inscription_checks import register_inscription_check

        from . import (  # noqa: F401  (register history sources, personal data, reminders)
            history,
            permissions,  # noqa: F401  (registers the rules)
            personal_data,
            recovery,  # noqa: F401  (what a documents worker re-queues when it starts)
            reminders,
        )
        from .partial import check_no_valid_partial

        register_inscription_check(check_no_valid_partial)
