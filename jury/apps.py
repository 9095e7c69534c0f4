from django.apps import AppConfig


class JuryConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'jury'
