"""The daily job run by celery beat (cqp/beat.py)."""

import logging

from django.utils import timezone

logger = logging.getLogger(__name__)


def run_daily_job(today=None) -> dict:
    """Tacit acceptances first (they change what is due), then the reminders; one failing does not stop the other."""
    from vae.workflow import apply_tacit_acceptance

    from .reminders import send_reminders

    today = today or timezone.localdate()
    result = {}
    try:
        result["tacit"] = apply_tacit_acceptance(today)
    except Exception:
        logger.exception("Recevabilités tacites : échec")
        result["tacit_failed"] = True
    report = send_reminders(today)
    result.update({"sent": len(report.sent), "failed": len(report.failed), "superseded": report.superseded})
    try:  # RGPD: candidates past the retention period are anonymised (cqp/personal_data.py)
        from .personal_data import anonymise_past_retention

        result["anonymised"] = len(anonymise_past_retention(today))
    except Exception:
        logger.exception("Anonymisation des données échues : échec")
        result["anonymised_failed"] = True
    try:
        from .login_logs import purge_login_logs

        result["login_logs_deleted"] = purge_login_logs()
    except Exception:
        logger.exception("Purge des journaux de connexion : échec")
        result["login_logs_failed"] = True
    return result
