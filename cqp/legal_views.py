"""The legal pages of the platform, public (no login) and linked from the footer of every page: mentions légales,
politique de confidentialité, déclaration d'accessibilité, conditions d'utilisation, contact.

Names, addresses and contacts come from the settings (LEGAL_*, cqp/settings.py); the retention periods shown are the
ones the platform applies (RETENTION_YEARS, LOGIN_LOG_RETENTION_DAYS, OUTBOX_RETENTION_DAYS, BACKUP_KEEP_DAYS), so
the privacy policy cannot say something the daily jobs do not do.
"""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe


def legal_context() -> dict:
    return {
        "publisher_name": settings.LEGAL_PUBLISHER_NAME,
        "publisher_address": settings.LEGAL_PUBLISHER_ADDRESS,
        "publisher_director": settings.LEGAL_PUBLISHER_DIRECTOR,
        "contact_email": settings.LEGAL_CONTACT_EMAIL,
        "contact_phone": settings.LEGAL_CONTACT_PHONE,
        "dpo_email": settings.LEGAL_DPO_EMAIL or settings.LEGAL_CONTACT_EMAIL,
        "host_name": settings.LEGAL_HOST_NAME,
        "host_address": settings.LEGAL_HOST_ADDRESS,
        "host_phone": settings.LEGAL_HOST_PHONE,
        "site_url": settings.SITE_URL,
        "retention_years": settings.RETENTION_YEARS,
        "login_log_days": settings.LOGIN_LOG_RETENTION_DAYS,
        "outbox_days": settings.OUTBOX_RETENTION_DAYS,
        "backup_days": settings.BACKUP_KEEP_DAYS,
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "statement_date": settings.ACCESSIBILITY_STATEMENT_DATE,
    }


def _page(template):
    @require_safe
    def view(request):
        return render(request, f"cqp/legal/{template}.html", legal_context())

    view.__name__ = template
    return view


legal_notice = _page("mentions_legales")
privacy = _page("confidentialite")
accessibility = _page("accessibilite")
terms = _page("conditions")
contact = _page("contact")
