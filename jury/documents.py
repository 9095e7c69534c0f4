"""Building, storing and sending the jury's documents; called by the tasks (idempotent)."""

import base64
import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cqp.mail import already_queued, already_sent
from cqp.outbox import stored_attachment

from . import emails, ics, pdf
from .enums import LOCKED_FICHE_STATES, FicheState, PdfStatus
from .models import Convocation, FicheDecision

logger = logging.getLogger(__name__)


def replace_file(field, name: str, content: bytes) -> None:
    """Store ``content`` under ``name`` in a FileField, replacing the previous file: one document, never two."""
    storage = field.storage
    if field.name:
        storage.delete(field.name)
    target = field.field.generate_filename(field.instance, name)
    if storage.exists(target):
        storage.delete(target)
    field.save(name, ContentFile(content), save=False)


# The e-mail is queued once the transaction that records ``mailed_at`` has committed. A worker killed between that
# commit and the queueing would lose it, and the redelivered task would find ``mailed_at`` set. So, for a while after
# ``mailed_at``, a run of the task queues the e-mail again as long as its key was never sent: one key per document,
# so the e-mail is still sent once. Longer than any redelivery (visibility timeout) or retry.
REQUEUE_WINDOW = timedelta(days=1)


def should_mail(mailed_at, key: str, now) -> bool:
    """Whether this run of the task queues the document's e-mail (see REQUEUE_WINDOW)."""
    if mailed_at is None:
        return True
    return now - mailed_at < REQUEUE_WINDOW and not already_sent(key)


def convocation_ics(convocation) -> str:
    candidate = convocation.session_candidate
    dossier = candidate.dossier
    return ics.build_ics(
        uid=convocation.uid,
        start=convocation.starts_at,
        end=convocation.ends_at,
        sequence=convocation.version - 1,
        summary=f"Jury du {dossier.certification} — {dossier.candidate}",
        location=convocation.location,
        description=f"Convocation au jury final ({dossier.version.jury_format}). Dossier {dossier.number}.",
        stamp=convocation.created_at,
    )


def deliver_convocation(convocation_id) -> int | None:
    convocation = (
        Convocation.objects.select_related(
            "session_candidate__session",
            "session_candidate__dossier__candidate",
            "session_candidate__dossier__version",
            "session_candidate__dossier__certification",
        )
        .filter(pk=convocation_id)
        .first()
    )
    if convocation is None:
        return None
    content = pdf.build_convocation_pdf(convocation)
    calendar = convocation_ics(convocation)
    with transaction.atomic():
        locked = Convocation.objects.select_for_update().get(pk=convocation.pk)
        replace_file(
            locked.pdf, f"convocation-{convocation.session_candidate.dossier.number}-v{locked.version}.pdf", content
        )
        key, now = f"jury_convocation:{locked.pk}", timezone.now()
        send = should_mail(locked.mailed_at, key, now)
        locked.mailed_at = locked.mailed_at or now
        locked.save(update_fields=["pdf", "mailed_at"])
        if send:
            emails.send_convocation(
                convocation,
                key=key,
                attachments=[
                    stored_attachment(locked.pdf.name, f"convocation-jury-v{locked.version}.pdf"),
                    ("convocation-jury.ics", base64.b64encode(calendar.encode()).decode(), "text/calendar"),
                ],
            )
    return convocation.pk


def deliver_fiche(fiche_id) -> int | None:
    """Build the fiche (and certificate) PDFs, store them, e-mail the candidate once. A failure is recorded, then
    raised.
    """
    fiche = (
        FicheDecision.objects.select_related(
            "session_candidate__session",
            "session_candidate__dossier__candidate",
            "session_candidate__dossier__version",
            "session_candidate__dossier__certification",
        )
        .filter(pk=fiche_id)
        .first()
    )
    if fiche is None or fiche.state == FicheState.BROUILLON:
        return None
    try:
        content = pdf.build_fiche_pdf(fiche)
        certificate = fiche.certificates.filter(revoked_at__isnull=True).first()
        certificate_content = pdf.build_certificate_pdf(certificate) if certificate else None
    except Exception as exc:
        FicheDecision.objects.filter(pk=fiche.pk).update(
            pdf_status=PdfStatus.FAILED, pdf_error=f"{type(exc).__name__} : {exc}"[:2000]
        )
        raise
    with transaction.atomic():
        locked = FicheDecision.objects.select_for_update().get(pk=fiche.pk)
        replace_file(locked.pdf, locked.pdf_filename, content)
        locked.pdf_status, locked.pdf_error, locked.pdf_built_at = PdfStatus.READY, "", timezone.now()
        key, now = f"jury_decision:{locked.pk}", timezone.now()
        send = locked.state == FicheState.SIGNEE and should_mail(locked.mailed_at, key, now)
        if send:
            locked.mailed_at = locked.mailed_at or now
        locked.save(update_fields=["pdf", "pdf_status", "pdf_error", "pdf_built_at", "mailed_at"])
        # By reference: the outbox reads the stored files when it sends the e-mail.
        attachments = [stored_attachment(locked.pdf.name, locked.pdf_filename)]
        if certificate is not None:
            replace_file(certificate.pdf, f"certificat-{fiche.dossier.number}.pdf", certificate_content)
            certificate.save(update_fields=["pdf"])
            attachments.append(stored_attachment(certificate.pdf.name, f"certificat-{fiche.dossier.number}.pdf"))
        if send:
            emails.send_fiche(locked, key=key, attachments=attachments)
    return fiche.pk


# ----------------------------------------------- documents left pending (beat: task_requeue_pending_documents)

# A document pending this long is not coming: its PDF is marked failed, which the OEMM sees on the session page with
# the « Relancer la fabrication » button, instead of being queued again forever (a build killed every time).
GIVE_UP_AFTER = timedelta(hours=24)
GIVE_UP_ERROR = "PDF toujours en fabrication après 24 heures (travail perdu ou interrompu) : relancez la fabrication."


def pending_fiches(now, cutoff):
    """Signed (or replaced) fiches whose PDF is pending since before ``cutoff``: since the last save of the fiche
    (its history: signing, correction or the OEMM's rebuild request all save it), or its creation."""
    last_change = (
        FicheDecision.history.model.objects.filter(id=OuterRef("pk"))
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    return (
        FicheDecision.objects.filter(pdf_status=PdfStatus.PENDING, state__in=LOCKED_FICHE_STATES)
        .annotate(pending_since=Coalesce(Subquery(last_change), F("created_at")))
        .filter(pending_since__lt=cutoff)
    )


def pending_convocations(now, cutoff):
    """The current version of a convocation never delivered (no PDF, not mailed), made before ``cutoff``, for a
    session still to come. An older version is never sent: a newer one replaced it."""
    newer = Convocation.objects.filter(session_candidate=OuterRef("session_candidate"), version__gt=OuterRef("version"))
    return Convocation.objects.filter(
        mailed_at__isnull=True, created_at__lt=cutoff, session_candidate__session__date__gte=timezone.localdate(now)
    ).filter(~Exists(newer))


def unsent_fiches(now, cutoff):
    """Fiches recorded as mailed (``mailed_at``, within REQUEUE_WINDOW, before ``cutoff``) whose e-mail was never
    handed to the mail server: the process died between the commit and the queueing of the e-mail. A new run of the
    task queues it (should_mail)."""
    candidates = FicheDecision.objects.filter(
        state=FicheState.SIGNEE, pdf_status=PdfStatus.READY, mailed_at__gte=now - REQUEUE_WINDOW, mailed_at__lt=cutoff
    )
    # An e-mail still pending in the outbox is the outbox's to send (retries, sweep): the PDF is not rebuilt for it.
    return [pk for pk in candidates.values_list("pk", flat=True) if not already_queued(f"jury_decision:{pk}")]


def unsent_convocations(now, cutoff):
    """The same for the current convocation of a coming session."""
    newer = Convocation.objects.filter(session_candidate=OuterRef("session_candidate"), version__gt=OuterRef("version"))
    candidates = Convocation.objects.filter(
        mailed_at__gte=now - REQUEUE_WINDOW,
        mailed_at__lt=cutoff,
        session_candidate__session__date__gte=timezone.localdate(now),
    ).filter(~Exists(newer))
    return [pk for pk in candidates.values_list("pk", flat=True) if not already_queued(f"jury_convocation:{pk}")]


def requeue_pending_documents(now=None, *, queue_fiche, queue_convocation) -> dict:
    """Queue again the documents whose build never ended, or whose e-mail was never sent; give up (failed, visible)
    after GIVE_UP_AFTER.

    A document is queued again at most once per threshold (a mark in the idempotence cache), so that a long backlog
    of builds is not multiplied. Building twice is harmless: the PDF is replaced and the e-mail sent once.

    ``queue_fiche(fiche_id=…)`` and ``queue_convocation(convocation_id=…)`` queue the document tasks (jury/tasks.py
    passes their ``delay``: this module does not import the tasks, which import it).
    """
    now = now or timezone.now()
    threshold = timedelta(minutes=settings.DOCUMENT_REQUEUE_MINUTES)
    marks = caches["idempotence"]
    report = {"fiches": [], "convocations": [], "failed": []}
    stale = list(pending_fiches(now, now - GIVE_UP_AFTER).values_list("pk", flat=True))
    if stale:
        FicheDecision.objects.filter(pk__in=stale, pdf_status=PdfStatus.PENDING).update(
            pdf_status=PdfStatus.FAILED, pdf_error=GIVE_UP_ERROR
        )
        report["failed"] = stale
    cutoff = now - threshold
    fiches = [*pending_fiches(now, cutoff).values_list("pk", flat=True), *unsent_fiches(now, cutoff)]
    convocations = [
        *pending_convocations(now, cutoff).filter(created_at__gte=now - GIVE_UP_AFTER).values_list("pk", flat=True),
        *unsent_convocations(now, cutoff),
    ]
    for pk in fiches:
        if marks.add(f"document-requeued:fiche:{pk}", 1, int(threshold.total_seconds())):
            queue_fiche(fiche_id=pk)
            report["fiches"].append(pk)
    for pk in convocations:
        if marks.add(f"document-requeued:convocation:{pk}", 1, int(threshold.total_seconds())):
            queue_convocation(convocation_id=pk)
            report["convocations"].append(pk)
    if any(report.values()):
        logger.warning(
            "Documents en attente relancés : fiches %s, convocations %s ; abandonnés (échec) : fiches %s",
            report["fiches"],
            report["convocations"],
            report["failed"],
        )
    return report


def requeue_in_flight(now=None, *, queue_fiche, queue_convocation) -> dict:
    """A documents worker that starts (cqp/recovery.py): queue again every document still pending, whatever its age,
    so that the ones a dead worker held are built within a minute, not after the broker's visibility timeout. Those
    not held by anyone are built twice at most: harmless (the PDF replaced, the e-mail written once per key)."""
    now = now or timezone.now()
    report = {
        "fiches": list(
            pending_fiches(now, now).filter(pending_since__gte=now - GIVE_UP_AFTER).values_list("pk", flat=True)
        ),
        "convocations": list(
            pending_convocations(now, now).filter(created_at__gte=now - GIVE_UP_AFTER).values_list("pk", flat=True)
        ),
    }
    for pk in report["fiches"]:
        queue_fiche(fiche_id=pk)
    for pk in report["convocations"]:
        queue_convocation(convocation_id=pk)
    return {key: len(value) for key, value in report.items()}
