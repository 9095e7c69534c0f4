"""Sign-up with e-mail confirmation, and accepting an invitation."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from . import accounts
from .forms import SignupForm
from .models import User
from .tokens import account_token


def _user_from_link(uidb64, token):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None
    return user if account_token.check_token(user, token) else None


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = accounts.sign_up_candidate(
            email=data["email"], password=data["password1"], first_name=data["first_name"],
            last_name=data["last_name"], phone=data.get("phone", ""),
        )
        return render(request, "registration/signup_done.html", {"email": user.email})
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
