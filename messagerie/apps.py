from django.apps import AppConfig


class MessagerieConfig(AppConfig):
    """The message thread of each dossier (above jury: it reads the jury sessions to share a message)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "messagerie"
    verbose_name = "Messagerie des dossiers"

    def ready(self):
        from . import history, personal_data  # noqa: F401  (register history sources and personal data)
