"""Error reporting without personal data: Sentry (only with SENTRY_DSN; tested through a transport that keeps the
events instead of sending them) and the error e-mail to ADMINS."""

import logging
import os
import subprocess
import sys

import pytest
import sentry_sdk
from django.core import mail
from django.test import override_settings
from sentry_sdk.transport import Transport

from cqp import error_reporting

PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DSN = "https://0123456789abcdef@o1.ingest.sentry.invalid/42"


class KeepEvents(Transport):
    """No network: the envelopes are kept in memory."""

    def __init__(self, options=None):
        super().__init__(options)
        self.events = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            if item.type in ("event", "transaction"):
                self.events.append(item.payload.json)


@pytest.fixture
def sentry():
    transport = KeepEvents()
    error_reporting.init_sentry(DSN, environment="test", release="abc123", transport=transport)
    try:
        yield transport
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.init()  # disabled again (no DSN) for the next tests


def _all_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _all_strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _all_strings(item)


def test_an_exception_reaches_sentry_masked(sentry):
    email, phone = "claire.martin@exemple.fr", "06 12 34 56 78"
    try:
        raise ValueError(f"Adresse refusée : {email}, téléphone {phone}")
    except ValueError:
        sentry_sdk.capture_exception()
    logging.getLogger("cqp.test").error("Échec de l'envoi à %s", email)
    sentry_sdk.flush()
    assert len(sentry.events) == 2
    text = "\n".join(s for event in sentry.events for s in _all_strings(event))
    assert "ValueError" in text and "[e-mail masqué]" in text and "[téléphone masqué]" in text
    assert "claire.martin" not in text and "exemple.fr" not in text and "06 12 34" not in text
    assert all(event["environment"] == "test" and event["release"] == "abc123" for event in sentry.events)


def test_no_local_variables_no_user_no_request_body(sentry, client, db, candidat, settings):
    """A 500 page of a logged-in person: neither their identity, nor the posted data, nor the frames' variables."""
    settings.ROOT_URLCONF = "tests.error_urls"
    client.raise_request_exception = False
    client.force_login(candidat)
    response = client.post("/casse/", {"nom": "Martin", "courriel": candidat.email})
    assert response.status_code == 500
    sentry_sdk.flush()
    event = next(e for e in sentry.events if e.get("exception"))
    frames = [f for value in event["exception"]["values"] for f in value.get("stacktrace", {}).get("frames", [])]
    assert frames and not any("vars" in frame for frame in frames)
    assert "user" not in event
    request = event.get("request", {})
    assert "data" not in request and "cookies" not in request
    text = "\n".join(_all_strings(event))
    assert "Martin" not in text and candidat.email not in text and "sessionid" not in text


def test_scrub_masks_nested_values():
    event = {"extra": {"to": ["ana@exemple.fr"], "n": 3}, "breadcrumbs": {"values": [{"message": "tel 0612345678"}]}}
    assert error_reporting.scrub(event) == {
        "extra": {"to": ["[e-mail masqué]"], "n": 3},
        "breadcrumbs": {"values": [{"message": "tel [téléphone masqué]"}]},
    }


def test_sentry_is_off_without_a_dsn():
    """settings.py initialises Sentry only with SENTRY_DSN: a fresh process without it has no client."""
    code = (
        "import django, sentry_sdk; django.setup(); "
        "print(sentry_sdk.get_client().is_active(), sentry_sdk.get_client().options.get('dsn'))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cqp.settings"}
    env.pop("SENTRY_DSN", None)
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split()[-2:] == ["False", "None"]
    env["SENTRY_DSN"] = DSN
    code = (
        "import django, sentry_sdk; django.setup(); o = sentry_sdk.get_client().options; "
        "print(o['send_default_pii'], o['include_local_variables'], o['max_request_body_size'], o['dsn'] is not None)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split()[-4:] == ["False", "False", "never", "True"]


# ------------------------------------------------------------------------------------------------- ADMINS


def test_admins_are_read_from_the_environment():
    code = "import django; from django.conf import settings; django.setup(); print(settings.ADMINS)"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cqp.settings",
        "ADMINS": "Équipe technique <tech@cqp-mutualite.fr>,astreinte@cqp-mutualite.fr",
    }
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == (
        "[('Équipe technique', 'tech@cqp-mutualite.fr'), ('', 'astreinte@cqp-mutualite.fr')]"
    )
    env["ADMINS"] = "pas-une-adresse"
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True)
    assert out.returncode != 0 and "ADMINS" in out.stderr


@override_settings(ADMINS=[("Tech", "tech@cqp-mutualite.fr")])
def test_a_500_page_is_mailed_to_the_admins_masked(client, db, candidat, settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    client.raise_request_exception = False
    client.force_login(candidat)
    mail.outbox.clear()
    assert client.post("/casse/", {"nom": "Martin", "courriel": candidat.email}).status_code == 500
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["tech@cqp-mutualite.fr"] and message.subject.startswith("[CQP Mutualité] ERROR")
    assert "RuntimeError" in message.body and "/casse/" in message.body
    assert candidat.email not in message.body + message.subject and "Martin" not in message.body
    assert "[e-mail masqué]" in message.body  # the exception's own message carried the address


@override_settings(ADMINS=[("Tech", "tech@cqp-mutualite.fr")])
def test_a_database_outage_503_is_not_mailed(db):
    mail.outbox.clear()
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Service Unavailable: %s", ("/oemm/",), None
    )
    record.status_code = 503
    error_reporting.AdminEmailHandler().handle(record)
    assert mail.outbox == []


def test_no_admins_no_mail(db, settings):
    settings.ADMINS = []
    mail.outbox.clear()
    logging.getLogger("django.request").error("Internal Server Error: /x/", extra={"status_code": 500})
    assert mail.outbox == []
