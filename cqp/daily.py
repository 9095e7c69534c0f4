"""The daily job run by celery beat (cqp/beat.py)."""

import logging

from django.utils import timezone

logger = logging.getLogger(__name__)


def run_daily_job(today=None) -> dict:
    from .reminders import send_reminders

    today = today or timezone.localdate()
    result = {}
    try:
        from vae.workflow import apply_tacit_acceptance
    except ImportError:  # pragma: no cover - vae not installed
        apply_tacit_acceptance = None
    if apply_tacit_acceptance is not None:
        try:
            accepted = apply_tacit_acceptance(today)
            result["tacit"] = len(accepted) if hasattr(accepted, "__len__") else accepted
        except Exception:
            logger.exception("Recevabilités tacites : échec")
            result["tacit_failed"] = True
    report = send_reminders(today)
    result.update({"sent": len(report.sent), "failed": len(report.failed), "superseded": report.superseded})
    return result
