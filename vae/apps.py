from django.apps import AppConfig


class VaeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "vae"
    verbose_name = "VAE : livrets et pièces"

    def ready(self):
        from . import (  # noqa: F401  (register history sources, personal data, reminders)
            history,
            permissions,  # noqa: F401  (registers the rules)
            personal_data,
            reminders,
        )
