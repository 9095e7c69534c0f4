from django.apps import AppConfig


class VaeConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'vae'
