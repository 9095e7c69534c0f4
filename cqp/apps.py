from django.apps import AppConfig


class CqpConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cqp"
    verbose_name = "Comptes et organisations"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import permissions  # noqa: F401  (registers the rules)
        from .auth_middleware import on_login

        user_logged_in.connect(on_login, dispatch_uid="cqp.auth_middleware.on_login")
