"""Sign-up with e-mail confirmation, accepting an invitation, and the account pages.

Account pages: changing one's e-mail address (confirmed by a link), optional two-factor
authentication for OEMM and jury members, and the login lockout page (django-axes).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.views.decorators.http import require_POST

from . import accounts, email_change, throttle, two_factor
from .auth_middleware import OTP_REQUIRED
from .forms import EmailChangeForm, OtpCodeForm, SignupForm
from .models import User
from .tokens import account_token


def _user_from_link(uidb64, token):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None
    return user if account_token.check_token(user, token) else None


@throttle.throttle_post_by_ip("signup_ip", anonymous_only=True)
def signup(request):
    """The same answer whether the address is new or not (no account enumeration): only the e-mail differs."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        retry_after = throttle.hit("signup_email", data["email"])
        if retry_after:
            return throttle.throttled_response(request, "signup_email", retry_after)
        accounts.sign_up_candidate(
            email=data["email"],
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            phone=data.get("phone", ""),
        )
        return render(request, "registration/signup_done.html", {"email": data["email"]})
    return render(request, "registration/signup.html", {"form": form})


def signup_confirm(request, uidb64, token):
    user = _user_from_link(uidb64, token)
    if user is None or user.is_active:
        return render(request, "registration/link_invalid.html", status=400)
    user = accounts.confirm_email(user)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, "Votre adresse est confirmée : bienvenue sur CQP Mutualité.")
    return redirect("home")


def invitation_accept(request, uidb64, token):
    user = _user_from_link(uidb64, token)
    if user is None or user.has_usable_password():
        return render(request, "registration/link_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
    form.fields["new_password1"].label = "Choisissez un mot de passe"
    form.fields["new_password2"].label = "Confirmez le mot de passe"
    if request.method == "POST" and form.is_valid():
        user = accounts.accept_invitation(user, password=form.cleaned_data["new_password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Votre compte est activé.")
        return redirect("home")
    return render(request, "registration/invitation_accept.html", {"form": form, "invited": user})


# --- Login throttling (django-axes, settings AXES_*) ---


def axes_username(request, credentials):
    """The address typed at login, as stored (lower case), so that case changes count as one."""
    username = (credentials or {}).get("username") or request.POST.get("username") or ""
    return username.strip().lower()


def locked_out(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request, "registration/locked_out.html", {"minutes": minutes}, status=settings.AXES_HTTP_RESPONSE_CODE
    )


# --- E-mail change ---


@login_required
def change_email(request):
    form = EmailChangeForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        new_email = form.cleaned_data["new_email"]
        email_change.request_email_change(request.user, new_email=new_email)
        messages.success(
            request,
            f"Un lien de confirmation a été envoyé à {new_email}. Votre adresse ne changera qu'une fois ce lien suivi.",
        )
        return redirect("email_change")
    return render(request, "cqp/account/email_change.html", {"form": form})


def change_email_confirm(request, token):
    try:
        user = email_change.confirm_email_change(token)
    except email_change.EmailChangeError as exc:
        return render(request, "cqp/account/email_change_invalid.html", {"reason": str(exc)}, status=400)
    messages.success(request, f"Votre adresse e-mail est désormais {user.email}.")
    return redirect("home" if request.user.is_authenticated else "login")


# --- Two-factor authentication (OEMM and jury members) ---


def _disable_form(data=None):
    form = OtpCodeForm(data, submit_label="Désactiver la double authentification")
    form.helper.form_action = reverse("two_factor_disable")
    form.helper.attrs = {"data-confirm": "Désactiver la double authentification ?"}
    return form


def _two_factor_user(request):
    """OEMM and jury members, or anyone who still has a device to remove; others get a 404."""
    user = request.user
    device = two_factor.confirmed_device(user)
    if device is None and not two_factor.can_use_two_factor(user):
        raise Http404
    return device


@login_required
def two_factor_settings(request):
    device = _two_factor_user(request)
    return render(
        request,
        "cqp/account/two_factor.html",
        {
            "device": device,
            "disable_form": _disable_form() if device else None,
        },
    )


@login_required
@require_POST
def two_factor_start(request):
    if _two_factor_user(request) is not None:  # None: an OEMM or jury member without 2FA (others: 404)
        messages.error(
            request,
            "La double authentification est déjà activée : désactivez-la d'abord pour changer "
            "d'application d'authentification.",
        )
        return redirect("two_factor")
    two_factor.start_enrolment(request.user)
    return redirect("two_factor_enable")


@login_required
def two_factor_enable(request):
    confirmed = _two_factor_user(request)
    device = two_factor.pending_device(request.user)
    if device is None or not two_factor.can_use_two_factor(request.user):
        if confirmed is not None:
            messages.error(request, "La double authentification est déjà activée sur votre compte.")
        else:
            messages.error(
                request,
                "Aucune activation n'est en cours : cliquez sur « Activer la double "
                "authentification » pour obtenir un nouveau QR code.",
            )
        return redirect("two_factor")
    form = OtpCodeForm(request.POST if request.method == "POST" else None, submit_label="Activer")
    if request.method == "POST" and form.is_valid():
        if two_factor.confirm_enrolment(request, device, form.cleaned_data["code"]):
            messages.success(
                request, "La double authentification est activée : un code vous sera demandé à chaque connexion."
            )
            return redirect("two_factor")
        form.add_error("code", "Code incorrect. Vérifiez que l'heure de votre téléphone est juste, puis réessayez.")
    return render(
        request,
        "cqp/account/two_factor_enable.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_svg(device),
            "secret": two_factor.secret_base32(device),
        },
    )


@login_required
@require_POST
def two_factor_disable(request):
    device = _two_factor_user(request)
    if device is None:
        messages.error(
            request, "La double authentification n'est pas activée sur votre compte : il n'y a rien à désactiver."
        )
        return redirect("two_factor")
    form = _disable_form(request.POST)
    if form.is_valid() and two_factor.check_code(device, form.cleaned_data["code"]):
        two_factor.disable(request, request.user)
        messages.success(request, "La double authentification est désactivée.")
        return redirect("two_factor")
    if form.is_valid():
        form.add_error("code", "Code incorrect : la double authentification reste activée.")
    return render(request, "cqp/account/two_factor.html", {"device": device, "disable_form": form}, status=400)


def _safe_next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    # a path of this site only: anything else (« 99999 », a URL name, another host) would be reversed or followed
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)


def two_factor_verify(request):
    """Second login step: the code from the authentication app."""
    if not request.user.is_authenticated:
        return redirect("login")
    if not request.session.get(OTP_REQUIRED) or request.user.is_verified():
        return redirect(_safe_next(request))
    device = two_factor.confirmed_device(request.user)
    if device is None:  # removed meanwhile (by an administrator)
        request.session.pop(OTP_REQUIRED, None)
        return redirect(_safe_next(request))
    form = OtpCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if two_factor.check_code(device, form.cleaned_data["code"]):
            two_factor.mark_verified(request, device)
            return redirect(_safe_next(request))
        form.add_error("code", "Code incorrect. Saisissez le code affiché en ce moment par votre application.")
    return render(
        request,
        "registration/two_factor_verify.html",
        {
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )
