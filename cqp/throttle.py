"""Throttles where people can guess: sign-up, password reset, the public verification page, and failed logins per IP.

Each rule is a rate ``N/period`` (``settings.THROTTLE_RATES``, e.g. ``"10/h"``), counted in fixed windows in the
``throttle`` cache (Redis when there is a broker, shared by the web workers; in memory otherwise). Past the limit,
the request gets a French page (429, ``Retry-After``) saying when to try again; nothing is done.

django-axes keeps locking an address tried from one IP (``AXES_FAILURE_LIMIT``); failed logins are also counted per
IP across addresses (``login_ip``, password spraying) and the login pages (the admin's too) refuse that IP until the
end of the window (``LoginThrottleMiddleware``).
"""

import datetime
import hashlib
import math
import re
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render
from django.utils import timezone

PERIODS = {"s": 1, "min": 60, "h": 3600, "d": 86400}
RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(s|min|h|d)\s*$")
# What each rule protects (the page names the action the person was doing).
ACTIONS = {
    "signup_ip": "créer un compte",
    "signup_email": "créer un compte",
    "password_reset_ip": "demander un nouveau mot de passe",
    "password_reset_email": "demander un nouveau mot de passe",
    "verify_ip": "vérifier un certificat",
    "login_ip": "vous connecter",
}


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """``"10/h"``, ``"30/10min"``, ``"5/d"`` → Rate; ValueError on anything else."""
    match = RATE.match(text or "")
    if not match:
        raise ValueError(f"Limite invalide : {text!r} (attendu par exemple « 10/h » ou « 30/10min »)")
    count, multiplier, unit = match.groups()
    seconds = int(multiplier or 1) * PERIODS[unit]
    if seconds <= 0:
        raise ValueError(f"Limite invalide : {text!r} (période nulle)")
    return Rate(int(count), seconds)


def _rate(rule: str) -> Rate:
    return parse_rate(settings.THROTTLE_RATES[rule])


def _cache_key(rule: str, value: str, window: int) -> str:
    digest = hashlib.sha256(f"{rule}:{value}".encode("utf-8", "replace")).hexdigest()[:32]
    return f"throttle:{rule}:{window}:{digest}"


def _window(rate: Rate, now: float) -> tuple[int, int]:
    """The current window's number and the seconds left in it."""
    window = int(now // rate.seconds)
    return window, max(1, math.ceil((window + 1) * rate.seconds - now))


def _enabled() -> bool:
    return getattr(settings, "THROTTLE_ENABLED", True)


def blocked(rule: str, value: str) -> int | None:
    """Seconds to wait if ``value`` has used up ``rule`` in the current window, else None (nothing counted)."""
    if not _enabled() or not value:
        return None
    rate = _rate(rule)
    window, left = _window(rate, time.time())
    count = caches["throttle"].get(_cache_key(rule, value, window), 0)
    return left if count >= rate.limit else None


def hit(rule: str, value: str) -> int | None:
    """Count one use of ``rule`` by ``value``; the seconds to wait if that use is over the limit, else None."""
    if not _enabled() or not value:
        return None
    rate = _rate(rule)
    window, left = _window(rate, time.time())
    cache = caches["throttle"]
    key = _cache_key(rule, value, window)
    cache.add(key, 0, timeout=left + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=left + 5)
        count = 1
    return left if count > rate.limit else None


def client_ip(request) -> str:
    """The client's IP as django-axes sees it (AXES_IP_HEADERS and AXES_PROXY_COUNT behind a proxy)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "")


def normalise_email(value) -> str:
    return str(value or "").strip().lower()[:254]


def throttled_response(request, rule: str, retry_after: int):
    """The French page (429) saying when to try again."""
    minutes = max(1, math.ceil(retry_after / 60))
    until = timezone.localtime() + datetime.timedelta(seconds=retry_after)
    response = render(
        request,
        "registration/throttled.html",
        {
            "action": ACTIONS.get(rule, "continuer"),
            "minutes": minutes,
            "until": until,
        },
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def throttle_post_by_ip(rule: str, *, anonymous_only: bool = False):
    """Decorator of a view: each POST counts against ``rule`` for the client's IP; past the limit, the 429 page.
    ``anonymous_only``: a logged-in person's POST is not counted (the view sends them elsewhere)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST" and not (anonymous_only and request.user.is_authenticated):
                retry_after = hit(rule, client_ip(request))
                if retry_after:
                    return throttled_response(request, rule, retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def throttle_get_by_ip(rule: str):
    """Decorator of a public page: every request counts against ``rule`` for the client's IP."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            retry_after = hit(rule, client_ip(request))
            if retry_after:
                return throttled_response(request, rule, retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def password_reset_view():
    """Django's password reset page, throttled per IP and per address asked (the same page either way)."""
    from django.contrib.auth import views as auth_views

    from .forms import OutboxPasswordResetForm

    view = auth_views.PasswordResetView.as_view(form_class=OutboxPasswordResetForm)

    @throttle_post_by_ip("password_reset_ip")
    def password_reset(request, *args, **kwargs):
        if request.method == "POST":
            retry_after = hit("password_reset_email", normalise_email(request.POST.get("email")))
            if retry_after:
                return throttled_response(request, "password_reset_email", retry_after)
        return view(request, *args, **kwargs)

    return password_reset


# --- failed logins per IP (password spraying)


def record_login_failure(sender, credentials=None, request=None, **kwargs):
    """``user_login_failed`` receiver: one failure more for the client's IP."""
    if request is not None:
        hit("login_ip", client_ip(request))


class LoginThrottleMiddleware:
    """A POST to a login page (the site's or the admin's) from an IP past ``login_ip`` failures gets the 429 page."""

    LOGIN_VIEWS = {"login", "admin:login"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method == "POST" and match is not None and match.view_name in self.LOGIN_VIEWS:
            retry_after = blocked("login_ip", client_ip(request))
            if retry_after:
                return throttled_response(request, "login_ip", retry_after)
        return None
