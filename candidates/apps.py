from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "candidates"
    verbose_name = "Candidats et dossiers"

    def ready(self):
        from django.conf import settings

        from . import (  # noqa: F401  (register the personal data and reminder collectors)
            permissions,  # noqa: F401  (registers the rules)
            personal_data,
            reminders,
        )

        if settings.BENCH_VIEWS:  # make bench only: the Django admin's changelist the OEMM list is compared with
            from . import bench_admin  # noqa: F401
