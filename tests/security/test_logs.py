"""No personal data in the logs: the filter of the root handlers (cqp/logging.py) and a real account flow."""

import logging
import re
import smtplib

import pytest
from django.core import mail
from django.urls import reverse

from cqp.logging import EMAIL_MASK, PHONE_MASK, PersonalDataFilter, mask_personal_data
from cqp.models import User
from cqp.tasks import task_send_mail

pytestmark = pytest.mark.django_db

EMAIL = "zephirine.quintavalle@exemple.fr"
FIRST, LAST, PHONE = "Zéphirine", "Quintavalle", "06 98 76 54 32"
PASSWORD = "un-mot-de-passe-tres-solide-42"


def _record(msg, *args, exc_info=None):
    return logging.LogRecord("cqp.test", logging.WARNING, __file__, 1, msg, args, exc_info)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Envoi à jean.dupont+cqp@mutuelle-exemple.fr refusé", f"Envoi à {EMAIL_MASK} refusé"),
        ("Tél. 06 12 34 56 78 ou 06.12.34.56.78", f"Tél. {PHONE_MASK} ou {PHONE_MASK}"),
        ("Tél. +33 6 12 34 56 78", f"Tél. {PHONE_MASK}"),
        (
            "Dossier 2026-000123, compte 42, /dossiers/2026-000123/",
            "Dossier 2026-000123, compte 42, /dossiers/2026-000123/",
        ),
        (
            "Task cqp.tasks.task_send_mail[0612345678-abcd] succeeded in 0.01s: 1",
            "Task cqp.tasks.task_send_mail[0612345678-abcd] succeeded in 0.01s: 1",
        ),
    ],
)
def test_mask_personal_data(text, expected):
    assert mask_personal_data(text) == expected


def test_the_filter_masks_message_arguments_and_traceback():
    record = _record("Échec pour %s (%s)", "a.b@exemple.fr", {"to": ["c.d@exemple.fr"]})
    try:
        raise smtplib.SMTPRecipientsRefused({"e.f@exemple.fr": (550, b"unknown")})
    except smtplib.SMTPException:
        import sys

        record.exc_info = sys.exc_info()
    assert PersonalDataFilter().filter(record) is True
    text = logging.Formatter().format(record)
    assert "@exemple.fr" not in text and text.count(EMAIL_MASK) >= 3 and "SMTPRecipientsRefused" in text


def test_every_root_handler_masks():
    handlers = logging.getLogger().handlers
    console = [h for h in handlers if any(isinstance(f, PersonalDataFilter) for f in h.filters)]
    assert console, "the console handler of settings.LOGGING carries the filter"
    # Django's own handlers (unfiltered console in DEBUG, mail_admins) are replaced: its records reach root.
    assert logging.getLogger("django").handlers == [] and logging.getLogger("django").propagate
    assert logging.getLogger("django.server").handlers == [] and logging.getLogger("django.server").propagate


@pytest.fixture
def filtered_caplog(caplog):
    """caplog seen through the same filter as the production handlers."""
    (flt,) = {
        id(f): f for h in logging.getLogger().handlers for f in h.filters if isinstance(f, PersonalDataFilter)
    }.values()
    caplog.handler.addFilter(flt)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="django.db.backends")
    yield caplog
    caplog.handler.removeFilter(flt)


def test_signup_login_and_mails_log_no_email_nor_name(client, filtered_caplog, on_commit, settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    mail.outbox.clear()
    with on_commit():
        response = client.post(
            reverse("signup"),
            {
                "first_name": FIRST,
                "last_name": LAST,
                "email": EMAIL,
                "phone": PHONE,
                "password1": PASSWORD,
                "password2": PASSWORD,
                "accept_terms": "on",
                "consent": "on",
            },
        )
    assert response.status_code == 200, response.content.decode()[:2000]
    user = User.objects.get(email=EMAIL)
    (confirmation,) = mail.outbox
    link = re.search(r"https?://\S+/inscription/confirmer/\S+/", confirmation.body).group(0)
    client.get(link[link.index("/inscription") :])
    user.refresh_from_db()
    assert user.is_active
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": EMAIL, "password": "pas-le-bon-mot-de-passe"})  # a failed login
    response = client.post(reverse("login"), {"username": EMAIL, "password": PASSWORD})
    assert response.status_code == 302 and client.session.get("_auth_user_id") == str(user.pk)
    client.get("/dossiers/2026-999999/")  # django.request: « Not Found: /dossiers/... » (a dossier number is fine)
    client.post(reverse("logout"))
    with on_commit():
        client.post(reverse("password_reset"), {"email": EMAIL})
    from cqp.outbox import enqueue

    task_send_mail.delay(
        email_id=enqueue(key="test:logs", subject="Test", text=f"Bonjour {FIRST}", html="<p>Bonjour</p>", to=[EMAIL])
    )
    # Something that would leak, logged on purpose by code that should not: the handler masks it.
    logging.getLogger("cqp.test").warning("Destinataire %s joignable au %s", EMAIL, PHONE)

    assert len(mail.outbox) >= 3
    text = filtered_caplog.text
    assert filtered_caplog.records and "Not Found" in text
    assert EMAIL_MASK in text and PHONE_MASK in text
    for secret in (EMAIL, EMAIL.split("@")[0], FIRST, LAST, PHONE, PASSWORD):
        assert secret not in text, secret
    assert not [r for r in filtered_caplog.records if r.args]  # arguments merged, then masked
