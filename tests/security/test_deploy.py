"""Production settings: `manage.py check --deploy` is clean, the secret key is required, docker-compose serves HTTPS."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings

PROJECT = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "DEBUG": "false",
    "HTTPS": "true",
    "REQUIRE_SECRET_KEY": "true",
    "ALLOWED_HOSTS": "cqp.example.fr",
}


def run_manage(*args, **env):
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SECRET_KEY", "HTTPS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env={**base, "DJANGO_SETTINGS_MODULE": "cqp.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV, SECRET_KEY=secrets.token_urlsafe(64)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr
    assert "WARNING" not in result.stderr.upper(), result.stderr


def test_check_deploy_warns_without_https():
    """The same check fails when HTTPS is off: the settings above are what makes it clean."""
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **{**PRODUCTION_ENV, "HTTPS": "false"},
        SECRET_KEY=secrets.token_urlsafe(64),
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "security.W004" in output and "security.W008" in output and "security.W012" in output


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", **PRODUCTION_ENV)
    assert result.returncode != 0
    assert "SECRET_KEY doit être défini en production." in result.stderr


def test_docker_compose_production_services_run_over_https():
    compose = yaml.safe_load((PROJECT / "docker-compose.yml").read_text())
    for name in ("migrate", "web", "worker", "mail-worker", "beat", "backup"):
        environment = compose["services"][name]["environment"]
        assert environment["DEBUG"] == "false", name
        assert environment["HTTPS"] == "true", name  # always: the caddy service serves TLS
        assert environment["REQUIRE_SECRET_KEY"] == "true", name
        assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?"), name


def test_check_deploy_fails_with_the_development_key():
    """DEBUG off without REQUIRE_SECRET_KEY: the settings fall back to the public development key; the deploy check
    refuses it (cqp.E001)."""
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "REQUIRE_SECRET_KEY"}
    result = run_manage("check", "--deploy", **env)
    assert result.returncode != 0
    assert "cqp.E001" in result.stderr and "clé de développement" in result.stderr, result.stderr


def test_check_deploy_fails_with_a_short_key():
    result = run_manage("check", "--deploy", **PRODUCTION_ENV, SECRET_KEY="x" * 20 + "-court-mais-pas-assez")
    assert result.returncode != 0
    assert "cqp.E002" in result.stderr and "trop courte" in result.stderr, result.stderr


def test_the_secret_key_check_leaves_debug_alone(settings):
    from cqp.checks import DEVELOPMENT_SECRET_KEY, check_secret_key

    settings.DEBUG, settings.SECRET_KEY = True, DEVELOPMENT_SECRET_KEY
    assert check_secret_key(None) == []
    settings.DEBUG = False
    assert [e.id for e in check_secret_key(None)] == ["cqp.E001"]
    settings.SECRET_KEY = "k" * 49
    assert [e.id for e in check_secret_key(None)] == ["cqp.E002"]
    settings.SECRET_KEY = "k" * 50
    assert check_secret_key(None) == []
