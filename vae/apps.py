from django.apps import AppConfig


class VaeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "vae"
    verbose_name = "VAE : livrets et pièces"

    def ready(self):
        from . import permissions  # noqa: F401  (registers the rules)
