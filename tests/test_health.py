"""GET /health/: 200 with each part "ok" (broker "absent" without a broker), 503 naming the failing part; public,
before the session, login, second-factor and HTTPS middlewares; never in the request logs."""

import logging
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client

from cqp import health
from cqp.auth_middleware import OTP_REQUIRED

URL = "/health/"
EXPECTED_BROKER = "ok" if settings.CELERY_BROKER_URL else "absent"


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    return tmp_path / "private"


def test_healthy(client, db, _private_storage):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": EXPECTED_BROKER, "storage": "ok"}
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies  # no session opened
    # The storage probe leaves no file behind.
    assert not [p for p in _private_storage.rglob("*") if p.is_file()]


def test_head_is_answered(client, db):
    assert client.head(URL).status_code == 200


def test_the_url_is_named(db):
    from django.urls import reverse

    assert reverse("health") == URL


def test_without_a_broker_the_broker_is_absent_and_healthy(client, db, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get(URL)
    assert response.status_code == 200 and response.json()["broker"] == "absent"


def test_database_failure(client, db, caplog):
    with mock.patch.object(health.connections["default"], "cursor", side_effect=OperationalError("connection refused")):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {"database": "error", "broker": EXPECTED_BROKER, "storage": "ok"}
    assert "base de données en échec" in caplog.text and "connection refused" not in response.content.decode()


def test_broker_failure(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1: a real refused connection
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "error", "storage": "ok"}


def test_broker_failure_mocked(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://broker.invalid:6379/0"
    with mock.patch("cqp.celery.app.connection_for_write", side_effect=OSError("Connection timed out")):
        response = client.get(URL)
    assert response.status_code == 503 and response.json()["broker"] == "error"


def test_storage_failure(client, db):
    with mock.patch.object(health.default_storage, "save", side_effect=OSError("No space left on device")):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": EXPECTED_BROKER, "storage": "error"}


def test_storage_read_back_failure(client, db):
    with mock.patch.object(health.default_storage, "open", side_effect=PermissionError("read-only")):
        response = client.get(URL)
    assert response.status_code == 503 and response.json()["storage"] == "error"


def test_every_part_failing(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    with (
        mock.patch.object(health.connections["default"], "cursor", side_effect=OperationalError("down")),
        mock.patch.object(health.default_storage, "save", side_effect=OSError("full")),
    ):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {"database": "error", "broker": "error", "storage": "error"}


def test_answered_before_the_second_factor_and_the_https_redirect(client, db, settings, oemm):
    """A logged-in person who still owes the second-factor code, and a plain-HTTP probe with HTTPS=true."""
    settings.SECURE_SSL_REDIRECT = True
    client.force_login(oemm)
    session = client.session
    session[OTP_REQUIRED] = True
    session.save()
    response = client.get(URL)
    assert response.status_code == 200 and response.json()["database"] == "ok"
    assert client.get("/oemm/").status_code == 301  # every other page: redirected to https first


def test_any_host_is_answered(db, settings):
    """Docker and Caddy probe with their own Host header (127.0.0.1:8000, web:8000)."""
    settings.ALLOWED_HOSTS = ["cqp.example.org"]
    assert Client(HTTP_HOST="web:8000").get(URL).status_code == 200


def test_other_methods_go_through_the_csrf_check_then_405(db):
    assert Client(enforce_csrf_checks=True).post(URL).status_code == 403
    assert Client().post(URL).status_code == 405


def test_no_personal_data_and_only_three_keys(client, db, candidat):
    response = client.get(URL)
    body = response.content.decode()
    assert set(response.json()) == {"database", "broker", "storage"} and candidat.email not in body


# ------------------------------------------------------------------------------------------------- not logged


def _request_record(path, status=503):
    from django.test import RequestFactory

    request = RequestFactory().get(path)
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Service Unavailable: %s", (path,), None)
    record.request, record.status_code = request, status
    return record


def test_the_request_log_filter_drops_the_probes_only():
    keep = health.HealthRequestFilter()
    assert keep.filter(_request_record("/health/")) is False
    assert keep.filter(_request_record("/oemm/")) is True
    # runserver's access line: the request line is the first argument.
    server = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s %s', ("GET /health/ HTTP/1.1", "200", "60"), None
    )
    assert keep.filter(server) is False
    server.args = ("GET /cqp/ HTTP/1.1", "200", "60")
    assert keep.filter(server) is True


def test_a_failed_probe_is_not_logged_as_a_request(client, db, caplog):
    with mock.patch.object(health.default_storage, "save", side_effect=OSError("full")), caplog.at_level(logging.INFO):
        assert client.get(URL).status_code == 503
        assert client.get("/page-inconnue/").status_code == 404
    request_lines = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert request_lines == ["Not Found: /page-inconnue/"]
    assert any(r.name == "cqp.health" for r in caplog.records)  # the reason is logged, by cqp.health


def test_gunicorn_access_log_skips_the_probes(capsys):
    from gunicorn.config import Config

    from cqp import gunicorn_conf

    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", gunicorn_conf.access_log_format)
    logger = gunicorn_conf.AccessLogWithoutHealthProbes(config)

    class Response:
        status = "200 OK"
        response_length = 12
        headers = []
        sent = 12

    class Request:
        headers = []
        method, version = "GET", (1, 1)

    for path in ("/health/", "/cqp/"):
        environ = {
            "PATH_INFO": path,
            "REQUEST_METHOD": "GET",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "10.0.0.2",
            "QUERY_STRING": "",
            "RAW_URI": path,
        }
        Request.path, Request.query, Request.uri = path, "", path
        import datetime

        logger.access(Response(), Request(), environ, datetime.timedelta(milliseconds=3))
    out = capsys.readouterr()
    logged = out.out + out.err
    assert '"GET /cqp/ HTTP/1.1" 200' in logged and "/health/" not in logged
    assert gunicorn_conf.logger_class is gunicorn_conf.AccessLogWithoutHealthProbes
