from django.apps import AppConfig


class CqpConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cqp"
    verbose_name = "Comptes et organisations"

    def ready(self):
        from . import permissions  # noqa: F401  (registers the rules)
