from django.apps import AppConfig


class JuryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jury"
    verbose_name = "Jurys et décisions"

    def ready(self):
        from . import permissions  # noqa: F401  (registers the rules)
