"""Session lifetime and the second login step (two-factor code).

* A session ends after ``SESSION_IDLE_TIMEOUT`` seconds without a request, and in any
  case ``SESSION_COOKIE_AGE`` seconds after login. The last-activity time is written at
  most every ``TOUCH_EVERY`` seconds, so ordinary pages cost no extra query.
* A person who enabled two-factor authentication is logged in but *unverified* until
  the code is given: every page then leads to the code page (cqp/account_views.py).

Both marks are written into the session at login (``on_login``, connected in apps.py).
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import LazyObject, empty
from django.utils.http import urlencode

from .two_factor import OTP_REQUIRED, confirmed_device

LOGIN_AT = "cqp_login_at"
SEEN_AT = "cqp_seen_at"
TOUCH_EVERY = 5 * 60


def on_login(sender, request, user, **kwargs):
    """user_logged_in receiver: start the session clocks and note whether a code is required."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    if confirmed_device(user) is not None:
        request.session[OTP_REQUIRED] = True
    else:
        request.session.pop(OTP_REQUIRED, None)


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
            if login_at is None or seen_at is None:  # session opened before this middleware existed
                session[LOGIN_AT] = login_at or now
                session[SEEN_AT] = now
            elif now - seen_at > settings.SESSION_IDLE_TIMEOUT or now - login_at > settings.SESSION_COOKIE_AGE:
                logout(request)
                messages.info(request, "Votre session a expiré : reconnectez-vous pour continuer.")
                if request.method == "GET" and not request.headers.get("HX-Request"):
                    return redirect_to_login(request.get_full_path())
                # Forms and htmx requests go on as anonymous: the view answers as it does for
                # anyone logged out (login page, or the 401 message of the autosave).
            elif now - seen_at > TOUCH_EVERY:
                session[SEEN_AT] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """Sends a logged-in person who has not given the second-step code to the code page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.get(OTP_REQUIRED) and request.user.is_authenticated and not request.user.is_verified():
            allowed = {reverse("two_factor_verify"), reverse("logout")}
            if request.path not in allowed:
                target = reverse("two_factor_verify")
                if request.method == "GET" and not request.headers.get("HX-Request"):
                    target += "?" + urlencode({"next": request.get_full_path()})
                    return redirect(target)
                if request.headers.get("HX-Request"):
                    return HttpResponse(status=401, headers={"HX-Redirect": target})
                return redirect(target)
        concrete_user(request)  # the last of the authentication middlewares (cqp/settings.py)
        return self.get_response(request)


def concrete_user(request) -> None:
    """A signed-in person's ``request.user`` read now and given to the view as the user itself, not behind the lazy
    wrappers of the authentication and OTP middlewares: every page of a signed-in person reads it (permissions,
    menus), and each attribute read through a wrapper cost a few microseconds, hundreds a page. Anonymous visitors
    keep the lazy object (no query for them)."""
    user = getattr(request, "user", None)
    if not isinstance(user, LazyObject) or SESSION_KEY not in request.session:
        return
    while isinstance(user, LazyObject):  # OTP's wrapper gives back the authentication's
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    request.user = user
