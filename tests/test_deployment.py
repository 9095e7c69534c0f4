"""docker-compose.yml as shipped: its structure checked (compose specification, restart policies, healthchecks, the
migrate one-shot, secrets from .env, Redis persistence), the image's ignore file and user, `make run`'s site address,
hashed static files; and its gunicorn and beat commands run without Docker."""

import importlib.resources
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
import yaml
from django.conf import settings

from .test_celery import PROJECT, _worker_env, compose_command

ONE_SHOT = {"migrate"}
APP_SERVICES = {"web", "worker", "mail-worker", "beat", "backup", "migrate"}


def compose():
    with open(os.path.join(PROJECT, "docker-compose.yml")) as fh:
        return yaml.safe_load(fh)


def read(name):
    with open(os.path.join(PROJECT, name)) as fh:
        return fh.read()


def test_the_compose_file_follows_the_compose_specification():
    import jsonschema

    schema = json.loads(
        (importlib.resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json").read_text()
    )
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(compose())]
    assert errors == []


def test_every_service_restarts_and_has_a_healthcheck():
    services = compose()["services"]
    assert set(services) == APP_SERVICES | {"caddy", "postgres", "redis"}
    for name, service in services.items():
        if name in ONE_SHOT:
            assert service["restart"] == "no", name
        else:
            assert service.get("restart") == "unless-stopped", f"{name}: no restart policy"
        check = service.get("healthcheck")
        assert check and check.get("test") and not check.get("disable"), f"{name}: no healthcheck"
    assert "/health/" in " ".join(services["web"]["healthcheck"]["test"])
    for worker in ("worker", "mail-worker"):
        assert "inspect ping" in services[worker]["healthcheck"]["test"][1]
    assert "celerybeat-schedule.alive" in services["beat"]["healthcheck"]["test"][1]


def test_the_services_wait_for_migrate_and_the_proxy_for_web():
    services = compose()["services"]
    for name in APP_SERVICES - ONE_SHOT:
        depends = services[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}, name
        assert depends["postgres"]["condition"] == depends["redis"]["condition"] == "service_healthy", name
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert services["caddy"]["depends_on"] == {"web": {"condition": "service_healthy"}}
    assert "migrate --noinput" in services["migrate"]["command"]


def test_secrets_come_from_the_env_file_and_each_variable_is_documented():
    text = read("docker-compose.yml")
    services = compose()["services"]
    assert "POSTGRES_PASSWORD: cqp" not in text and "cqp:cqp@" not in text
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    assert services["web"]["environment"]["DATABASE_URL"].count("${POSTGRES_PASSWORD:?") == 1
    for required in ("SECRET_KEY", "EMAIL_URL", "SITE_DOMAIN", "ACME_EMAIL", "POSTGRES_PASSWORD"):
        assert "${" + required + ":?" in text, required
    documented = set(re.findall(r"^([A-Z_]+)=", read(".env.example"), re.M))
    used = set(re.findall(r"\$\{([A-Z_]+)", text))
    assert used <= documented, f"variables of docker-compose.yml missing from .env.example: {sorted(used - documented)}"
    assert ".env" in read(".gitignore").split() or "/.env" in read(".gitignore").split()


def test_https_is_served_by_caddy_with_its_config_in_the_repository():
    services = compose()["services"]
    assert services["web"]["environment"]["HTTPS"] == "true"
    assert services["web"]["environment"]["SITE_URL"] == "https://${SITE_DOMAIN}"
    assert services["caddy"]["image"].startswith("caddy:")
    assert {"80:80", "443:443"} <= set(services["caddy"]["ports"]) and "ports" not in services["web"]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in services["caddy"]["volumes"]
    assert os.path.exists(os.path.join(PROJECT, "deploy", "Caddyfile"))


def test_redis_keeps_its_queue_on_disk():
    redis = compose()["services"]["redis"]
    assert "--appendonly yes" in redis["command"] and "redis-data:/data" in redis["volumes"]


def test_the_backup_service_runs_the_backup_loop():
    backup = compose()["services"]["backup"]
    assert backup["command"] == "sh deploy/backup-loop.sh" and "backups:/backups" in backup["volumes"]
    script = read("deploy/backup-loop.sh")
    assert "python manage.py backup" in script and "BACKUP_TIME" in script
    result = subprocess.run(["sh", "-n", os.path.join(PROJECT, "deploy", "backup-loop.sh")], capture_output=True)
    assert result.returncode == 0, result.stderr


def test_the_image_ignores_local_and_personal_files_and_runs_unprivileged():
    ignored = {
        line.strip().rstrip("/")
        for line in read(".dockerignore").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".venv", "var", "media", ".git", ".env", "tests", "node_modules"} <= ignored
    dockerfile = read("Dockerfile")
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.M)
    assert users and users[-1] not in ("root", "0")
    assert "collectstatic" in dockerfile and "STATIC_MANIFEST=true" in dockerfile and "postgresql-client" in dockerfile


def _docker_compose_available():
    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _docker_compose_available(), reason="docker compose (the client plugin) is not installed")
def test_docker_compose_config_is_valid():
    env = {
        **os.environ,
        "SITE_DOMAIN": "cqp.example.org",
        "ACME_EMAIL": "tech@example.org",
        "SECRET_KEY": "x" * 50,
        "POSTGRES_PASSWORD": "0123456789abcdef",
        "EMAIL_URL": "smtp://smtp.example.org:25",
    }
    result = subprocess.run(
        ["docker", "compose", "--env-file", ".env.example", "config", "-q"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    # Without the secrets, docker compose refuses to start and names them.
    bare = {k: v for k, v in os.environ.items() if k not in env or k == "PATH"}
    result = subprocess.run(
        ["docker", "compose", "--env-file", ".env.example", "config", "-q"],
        cwd=PROJECT,
        env=bare,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "doit être défini" in result.stderr


@pytest.mark.parametrize(
    "args, env, expected",
    [
        (["PORT=8101"], {}, "http://127.0.0.1:8101"),
        (["HOST=localhost", "PORT=8102"], {}, "http://localhost:8102"),
        (["PORT=8101"], {"SITE_URL": "https://cqp.example.org"}, "https://cqp.example.org"),
        (["PORT=8101", "SITE_URL=https://autre.example.org"], {}, "https://autre.example.org"),
    ],
)
def test_make_run_puts_its_own_address_in_links(args, env, expected):
    """make -n: the commands make run would execute (nothing is run)."""
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT", "MAKEFLAGS")}
    result = subprocess.run(
        ["make", "-n", "run", *args], cwd=PROJECT, env={**environment, **env}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    runserver = [line for line in result.stdout.splitlines() if "runserver" in line]
    assert runserver and runserver[-1].startswith(f'SITE_URL="{expected}" ')


def test_static_files_get_hashed_names_once_collected(tmp_path, settings, client, db):
    """The image's setting (STATIC_MANIFEST=true after collectstatic): pages link to hashed, cacheable names."""
    from django.core.management import call_command

    settings.STATIC_ROOT = str(tmp_path / "static")
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "cqp.staticfiles.ManifestStaticFilesStorage"}}
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    page = client.get("/connexion/").content.decode()
    hashed = manifest["js/app.js"]
    assert hashed != "js/app.js" and f"/static/{hashed}" in page
    assert (tmp_path / "static" / f"{hashed}.gz").exists()  # compressed copies served by whitenoise
    # url() references inside the CSS are rewritten to hashed names too (the icon fonts).
    icons = (tmp_path / "static" / manifest["vendor/bootstrap-icons/bootstrap-icons.min.css"]).read_text()
    assert manifest["vendor/bootstrap-icons/fonts/bootstrap-icons.woff2"].rsplit("/", 1)[-1] in icons
    # The image's own setting picks this storage.
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.STORAGES['staticfiles']['BACKEND'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "STATIC_MANIFEST": "true", "DJANGO_SETTINGS_MODULE": "cqp.settings"},
    )
    assert out.stdout.strip().splitlines()[-1] == "cqp.staticfiles.ManifestStaticFilesStorage"


def test_static_files_keep_plain_names_without_the_manifest():
    """make run and the tests: no manifest to go stale."""
    assert not settings.STATIC_MANIFEST
    assert settings.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedStaticFilesStorage"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live_env(transactional_db):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs PostgreSQL (run by .ci/run)")
    from django.core.management import call_command
    from django.db import connection

    call_command("load_referentiels", verbosity=0)
    return _worker_env(connection.settings_dict["NAME"])


@pytest.mark.worker
def test_gunicorn_command_serves_the_app(live_env):
    port = _free_port()
    command = [part.replace("0.0.0.0:8000", f"127.0.0.1:{port}") for part in compose_command("web")]
    server = subprocess.Popen(command, cwd=PROJECT, env=live_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        body = None
        for _ in range(60):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/cqp/", timeout=5) as response:
                    body = response.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert body and "Catalogue des CQP" in body and "Conseiller offres de services" in body
        # The access log keeps the path, never the query string (where a search can put an e-mail address).
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/cqp/?q=claire.martin@exemple.fr", timeout=5):
            pass
        # The health probe answers, and is not written to the access log.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=10) as response:
            assert response.status == 200
            assert json.loads(response.read()) == {"database": "ok", "broker": "ok", "storage": "ok"}
    finally:
        server.terminate()
        server.wait(timeout=20)
    log = server.stdout.read().decode()
    assert '"GET /cqp/ HTTP/1.1" 200' in log
    assert "claire.martin" not in log and "exemple.fr" not in log
    assert "/health/" not in log


@pytest.mark.worker
def test_beat_command_starts_with_the_schedule(live_env, tmp_path):
    command = [part.replace("/tmp/celerybeat-schedule", str(tmp_path / "schedule")) for part in compose_command("beat")]
    beat = subprocess.Popen(
        command, cwd=PROJECT, env=live_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    time.sleep(6)
    beat.terminate()
    output, _ = beat.communicate(timeout=20)
    assert "beat: Starting" in output, output
    assert "Traceback" not in output, output
    assert (tmp_path / "schedule.alive").exists()  # its healthcheck's heartbeat
