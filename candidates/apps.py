from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "candidates"
    verbose_name = "Candidats et dossiers"

    def ready(self):
        from . import (  # noqa: F401  (register the personal data and reminder collectors)
            permissions,  # noqa: F401  (registers the rules)
            personal_data,
            reminders,
        )
