import os
import subprocess
import sys

from django.conf import settings

PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_french_and_paris_time():
    assert settings.LANGUAGE_CODE == "fr-fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ


def _settings_with(env):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER, settings.EMAIL_BACKEND)"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL")}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "cqp.settings", **env},
    )


def test_embedded_defaults():
    result = _settings_with({})
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_environment_switches_to_postgres_redis_smtp():
    result = _settings_with(
        {
            "DATABASE_URL": "postgres://u@127.0.0.1:5432/x",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
            "EMAIL_URL": "smtp://127.0.0.1:2525",
        }
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "False",
        "django.core.mail.backends.smtp.EmailBackend",
    ]


def test_an_unsupported_database_is_refused():
    result = _settings_with({"DATABASE_URL": "mysql://u@127.0.0.1/x"})
    assert result.returncode != 0 and "SQLite ou PostgreSQL" in result.stderr


def test_production_requires_a_secret_key():
    result = _settings_with({"REQUIRE_SECRET_KEY": "true", "DEBUG": "false", "SECRET_KEY": ""})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
