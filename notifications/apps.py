from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Notifications to staff: in the app and by e-mail, at once or in the daily digest."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from cqp.staff_events import register_staff_event_handler

        from . import personal_data  # noqa: F401  (registers the personal data)
        from .events import handle

        register_staff_event_handler(handle)
