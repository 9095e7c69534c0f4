"""System checks of the deployment (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

# The development key written in cqp/settings.py: public (it is in the repository), so never a production key.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789abcdef"
MIN_SECRET_KEY_LENGTH = 50


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    """With DEBUG off, the secret key must be a real one: not the public development key, 50 characters at least."""
    if settings.DEBUG:
        return []
    key = settings.SECRET_KEY or ""
    if key == DEVELOPMENT_SECRET_KEY:
        return [
            Error(
                "SECRET_KEY est la clé de développement, publiée dans le dépôt : sessions, liens de confirmation et "
                "jetons "
                "CSRF seraient falsifiables.",
                hint="Définissez SECRET_KEY (50 caractères aléatoires au moins, par exemple "
                "« python -c 'import secrets; print(secrets.token_urlsafe(64))' ») et REQUIRE_SECRET_KEY=true.",
                id="cqp.E001",
            )
        ]
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return [
            Error(
                f"SECRET_KEY est trop courte ({len(key)} caractères ; {MIN_SECRET_KEY_LENGTH} au moins).",
                hint="Définissez une SECRET_KEY aléatoire de 50 caractères au moins.",
                id="cqp.E002",
            )
        ]
    return []
