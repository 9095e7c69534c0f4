"""The admin never shows a user's TOTP secret (OTP_ADMIN_HIDE_SENSITIVE_DATA): config and QR pages answer 403,
for an existing device as for an unknown id (django-otp's own views would give a 500 for the latter)."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.mark.parametrize("page", ["admin:otp_totp_totpdevice_config", "admin:otp_totp_totpdevice_qrcode"])
def test_the_admin_cannot_read_a_totp_secret(client, admin_user, oemm, page):
    device = TOTPDevice.objects.create(user=oemm, name="Téléphone", confirmed=True)
    client.force_login(admin_user)
    for pk in (device.pk, device.pk + 1000):
        response = client.get(reverse(page, args=[pk]))
        assert response.status_code == 403
        assert device.key not in response.content.decode()


def test_the_device_change_page_hides_the_key(client, admin_user, oemm):
    device = TOTPDevice.objects.create(user=oemm, name="Téléphone", confirmed=True)
    client.force_login(admin_user)
    response = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert response.status_code == 200 and device.key not in response.content.decode()
