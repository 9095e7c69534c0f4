"""The gunicorn and beat commands of docker-compose.yml, run without Docker."""

import socket
import subprocess
import time
import urllib.request

import pytest
from django.conf import settings

from .test_celery import PROJECT, _worker_env, compose_command


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
    finally:
        server.terminate()
        server.wait(timeout=20)
    log = server.stdout.read().decode()
    assert '"GET /cqp/ HTTP/1.1" 200' in log
    assert "claire.martin" not in log and "exemple.fr" not in log


@pytest.mark.worker
def test_beat_command_starts_with_the_schedule(live_env, tmp_path):
    command = [part.replace("/tmp/celerybeat-schedule", str(tmp_path / "schedule")) for part in compose_command("beat")]
    beat = subprocess.Popen(command, cwd=PROJECT, env=live_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(6)
    beat.terminate()
    output, _ = beat.communicate(timeout=20)
    assert "beat: Starting" in output, output
    assert "Traceback" not in output, output
