"""The daily job run by celery beat (pilotage/beat.py, pilotage.tasks.task_run_daily_job)."""

import logging

from django.utils import timezone

from cqp.login_logs import purge_login_logs
from cqp.outbox import purge_sent
from cqp.outbox_report import send_failure_report
from notifications.missed import notify_missed_deadlines
from vae.workflow import apply_tacit_acceptance

from .cockpit.statistics_summary import refresh_daily as refresh_statistics
from .personal_data.retention import anonymise_past_retention
from .register.sync import sync_register
from .reminders import send_reminders

logger = logging.getLogger(__name__)


def run_daily_job(today=None) -> dict:
    """Tacit acceptances first (they change what is due), then the reminders, the anonymisation of the candidates past
    retention and the purge of old login records; one failing does not stop the others."""
    today = today or timezone.localdate()
    result = {}
    try:
        result["tacit"] = apply_tacit_acceptance(today)
    except Exception:
        logger.exception("Recevabilités tacites : échec")
        result["tacit_failed"] = True
    try:  # the register of certified holders follows the signed fiches (pilotage/register/sync.py)
        result["register"] = sync_register(today)
    except Exception:
        logger.exception("Registre des titulaires : échec")
        result["register_failed"] = True
    try:  # the staff told of the deadlines missed, before the digests that carry it (notifications/missed.py)
        result["missed_notified"] = notify_missed_deadlines(today)
    except Exception:
        logger.exception("Notifications des échéances dépassées : échec")
        result["missed_failed"] = True
    report = send_reminders(today)
    result.update({"sent": len(report.sent), "failed": len(report.failed), "superseded": report.superseded})
    try:  # RGPD: candidates past the retention period are anonymised (pilotage/personal_data/retention.py)
        result["anonymised"] = len(anonymise_past_retention(today))
    except Exception:
        logger.exception("Anonymisation des données échues : échec")
        result["anonymised_failed"] = True
    try:
        result["login_logs_deleted"] = purge_login_logs()
    except Exception:
        logger.exception("Purge des journaux de connexion : échec")
        result["login_logs_failed"] = True
    try:  # the admins' summary of the e-mails that failed in the last 24 hours (cqp/outbox_report.py)
        result["failure_report"] = bool(send_failure_report(today))
    except Exception:
        logger.exception("Récapitulatif des e-mails en échec : échec")
        result["failure_report_failed"] = True
    try:  # the CPNEFP's statistics, unfiltered and per CQP, computed ahead (pilotage/cockpit/statistics_summary.py)
        result["statistics"] = refresh_statistics(today)
    except Exception:
        logger.exception("Statistiques : échec du calcul")
        result["statistics_failed"] = True
    try:  # copies of sent e-mails past OUTBOX_RETENTION_DAYS (cqp/outbox.py)
        result["sent_emails_deleted"] = purge_sent()
    except Exception:
        logger.exception("Purge des e-mails envoyés : échec")
        result["sent_emails_failed"] = True
    return result
