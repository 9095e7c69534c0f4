"""Optional two-factor authentication (TOTP) for OEMM staff and jury members (services)."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from .enums import Role

# Session mark: this login waits for its second step (set at login by auth_middleware.on_login, read by its
# TwoFactorMiddleware).
OTP_REQUIRED = "cqp_otp_required"
TWO_FACTOR_ROLES = (Role.OEMM, Role.JURY)
DEVICE_NAME = "Application d'authentification"


def can_use_two_factor(user) -> bool:
    return user.is_authenticated and any(user.has_role(role) for role in TWO_FACTOR_ROLES)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


@transaction.atomic
def start_enrolment(user) -> TOTPDevice:
    """A new, unconfirmed device with a fresh secret (an earlier unconfirmed one is dropped)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def check_code(device, code: str) -> bool:
    """Verifies a code against this device (django-otp throttles repeated failures)."""
    code = "".join((code or "").split())
    return bool(code) and verify_token(device.user, device.persistent_id, code) is not None


def confirm_enrolment(request, device, code: str) -> bool:
    """Confirms the device with a first code; the current session counts as verified."""
    if not check_code(device, code):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    mark_verified(request, device)
    return True


def disable(request, user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    request.session.pop(OTP_REQUIRED, None)


def mark_verified(request, device) -> None:
    request.session.cycle_key()
    otp_login(request, device)
    request.session[OTP_REQUIRED] = True


def secret_base32(device) -> str:
    return base64.b32encode(device.bin_key).decode()


def qr_svg(device) -> str:
    """The otpauth:// URI as an inline SVG QR code, made on the server (no script, no external call)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=12)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration
    return mark_safe(
        svg.replace("<svg", '<svg role="img" aria-label="QR code à scanner"', 1)
    )  # our own SVG, no user input
