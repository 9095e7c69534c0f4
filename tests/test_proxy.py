"""Behind Caddy (docker-compose.yml), login throttling counts each real client, not the proxy: django-ipware reads
the X-Forwarded-For that Caddy sets (the client's address alone), with the settings the compose file ships."""

import datetime as dt
import os

import pytest
import time_machine
import yaml
from axes.helpers import get_client_ip_address
from django.test import Client, RequestFactory
from django.urls import reverse

from .factories import PASSWORD

PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CADDY = "172.18.0.5"  # REMOTE_ADDR of every request: the proxy's address on the compose network


def compose_axes_settings():
    with open(os.path.join(PROJECT, "docker-compose.yml")) as fh:
        env = yaml.safe_load(fh)["services"]["web"]["environment"]
    return tuple(env["AXES_IP_HEADERS"].split(",")), int(env["AXES_PROXY_COUNT"])


@pytest.fixture
def behind_caddy(settings):
    headers, count = compose_axes_settings()
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = headers
    settings.AXES_IPWARE_PROXY_COUNT = count


def through_caddy(client_ip, **extra):
    return {"REMOTE_ADDR": CADDY, "HTTP_X_FORWARDED_FOR": client_ip, "HTTP_X_FORWARDED_PROTO": "https", **extra}


def test_ipware_is_installed_so_axes_does_not_fall_back_to_the_proxy_address():
    from axes import helpers

    assert helpers.IPWARE_INSTALLED


@pytest.mark.parametrize(
    "meta, expected",
    [
        (through_caddy("203.0.113.7"), "203.0.113.7"),
        (through_caddy("2001:db8::7"), "2001:db8::7"),
        # A client's own X-Forwarded-For would never pass Caddy, which replaces it; were a second address there, it is
        # not
        # trusted: the proxy's address is used (stricter, never a forged one).
        (through_caddy("1.2.3.4, 203.0.113.7"), CADDY),
        ({"REMOTE_ADDR": "10.0.0.3"}, "10.0.0.3"),  # a direct request (healthcheck, a test): REMOTE_ADDR
    ],
)
def test_the_client_address_behind_caddy(behind_caddy, meta, expected):
    assert get_client_ip_address(RequestFactory().get("/", **meta)) == expected


def test_failures_from_one_client_do_not_lock_the_others(behind_caddy, candidat):
    url = reverse("login")
    with time_machine.travel(dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC), tick=False):
        attacker = Client(**through_caddy("203.0.113.66"))
        for _ in range(5):
            attacker.post(url, {"username": candidat.email, "password": "mauvais-mot-de-passe"})
        assert attacker.post(url, {"username": candidat.email, "password": PASSWORD}).status_code == 429
        # The candidate, from their own connection, through the same proxy: not locked out.
        own = Client(**through_caddy("198.51.100.20"))
        assert own.post(url, {"username": candidat.email, "password": PASSWORD}).status_code == 302

    from axes.models import AccessAttempt

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}


def test_the_compose_file_sets_https_and_the_forwarded_headers():
    with open(os.path.join(PROJECT, "docker-compose.yml")) as fh:
        env = yaml.safe_load(fh)["services"]["web"]["environment"]
    assert env["HTTPS"] == "true" and env["AXES_PROXY_COUNT"] == "0"
    with open(os.path.join(PROJECT, "deploy", "Caddyfile")) as fh:
        caddyfile = fh.read()
    assert "reverse_proxy web:8000" in caddyfile and "{$SITE_DOMAIN}" in caddyfile
