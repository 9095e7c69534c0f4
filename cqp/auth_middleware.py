"""Session lifetime and the second login step (two-factor code).

* A session ends after ``SESSION_IDLE_TIMEOUT`` seconds without a request, and in any
  case ``SESSION_COOKIE_AGE`` seconds after login. The last-activity time is written at
  most every ``TOUCH_EVERY`` seconds, so ordinary pages cost no extra query.
* A person who enabled two-factor authentication is logged in but *unverified* until
  the code is given: every page then leads to the code page (cqp/account_views.py).

Both marks are written into the session at login (``on_login``, connected in apps.py).
"""

import time
from functools import partial

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, logout, middleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.functional import LazyObject, SimpleLazyObject, empty
from django.utils.http import urlencode

from .two_factor import OTP_REQUIRED, confirmed_device

LOGIN_AT = "cqp_login_at"
SEEN_AT = "cqp_seen_at"
TOUCH_EVERY = 5 * 60


MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class AuthenticationMiddleware(middleware.AuthenticationMiddleware):  # a subclass, as the admin's check asks
    """Django's, the person read with their roles in one query (``User.objects.get_with_roles``) when Django's
    ModelBackend signed them in: every page of a signed-in person reads the roles (menus, permissions). Roles are read
    on every request, so a revoked role is gone on the next one."""

    def process_request(self, request):
        request.user = SimpleLazyObject(partial(_cached_user, request))
        request.auser = partial(middleware.auser, request)


def _cached_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_user(request)
    return request._cached_user


def get_user(request):
    """django.contrib.auth.get_user (Django 5.2), ModelBackend's ``get_user`` replaced by ``get_with_roles``."""
    from .models import User

    try:
        user_id = auth._get_user_session_key(request)
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if backend_path != MODEL_BACKEND or backend_path not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    user = User.objects.get_with_roles(user_id)
    if user is None or not user.is_active:  # ModelBackend.user_can_authenticate
        return AnonymousUser()
    # Verify the session, as Django does: the hash of the password it was opened with, or one of the fallback keys'.
    session_hash = request.session.get(HASH_SESSION_KEY)
    session_auth_hash = user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, session_auth_hash):
        return user
    if session_hash and any(constant_time_compare(session_hash, h) for h in user.get_session_auth_fallback_hash()):
        request.session.cycle_key()
        request.session[HASH_SESSION_KEY] = session_auth_hash
        return user
    request.session.flush()
    return AnonymousUser()


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
