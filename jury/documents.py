"""Building, storing and sending the jury's documents; called by the tasks (idempotent)."""

import base64
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cqp.mail import already_sent

from . import emails, ics, pdf
from .enums import FicheState, PdfStatus
from .models import Convocation, FicheDecision


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
        uid=convocation.uid, start=convocation.starts_at, end=convocation.ends_at, sequence=convocation.version - 1,
        summary=f"Jury du {dossier.certification} — {dossier.candidate}", location=convocation.location,
        description=f"Convocation au jury final ({dossier.version.jury_format}). Dossier {dossier.number}.",
        stamp=convocation.created_at,
    )


def deliver_convocation(convocation_id) -> int | None:
    convocation = Convocation.objects.select_related(
        "session_candidate__session", "session_candidate__dossier__candidate", "session_candidate__dossier__version",
        "session_candidate__dossier__certification",
    ).filter(pk=convocation_id).first()
    if convocation is None:
        return None
    content = pdf.build_convocation_pdf(convocation)
    calendar = convocation_ics(convocation)
    with transaction.atomic():
        locked = Convocation.objects.select_for_update().get(pk=convocation.pk)
        replace_file(locked.pdf, f"convocation-{convocation.session_candidate.dossier.number}-v{locked.version}.pdf", content)
        key, now = f"jury_convocation:{locked.pk}", timezone.now()
        send = should_mail(locked.mailed_at, key, now)
        locked.mailed_at = locked.mailed_at or now
        locked.save(update_fields=["pdf", "mailed_at"])
        if send:
            emails.send_convocation(convocation, key=key, attachments=[
                (f"convocation-jury-v{locked.version}.pdf", base64.b64encode(content).decode(), "application/pdf"),
                ("convocation-jury.ics", base64.b64encode(calendar.encode()).decode(), "text/calendar"),
            ])
    return convocation.pk


def deliver_fiche(fiche_id) -> int | None:
    """Build the fiche (and certificate) PDFs, store them, e-mail the candidate once. A failure is recorded, then raised."""
    fiche = FicheDecision.objects.select_related(
        "session_candidate__session", "session_candidate__dossier__candidate", "session_candidate__dossier__version",
        "session_candidate__dossier__certification",
    ).filter(pk=fiche_id).first()
    if fiche is None or fiche.state == FicheState.BROUILLON:
        return None
    try:
        content = pdf.build_fiche_pdf(fiche)
        certificate = fiche.certificates.filter(revoked_at__isnull=True).first()
        certificate_content = pdf.build_certificate_pdf(certificate) if certificate else None
    except Exception as exc:
        FicheDecision.objects.filter(pk=fiche.pk).update(pdf_status=PdfStatus.FAILED, pdf_error=f"{type(exc).__name__} : {exc}"[:2000])
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
        attachments = [(locked.pdf_filename, base64.b64encode(content).decode(), "application/pdf")]
        if certificate is not None:
            replace_file(certificate.pdf, f"certificat-{fiche.dossier.number}.pdf", certificate_content)
            certificate.save(update_fields=["pdf"])
            attachments.append((f"certificat-{fiche.dossier.number}.pdf", base64.b64encode(certificate_content).decode(), "application/pdf"))
        if send:
            emails.send_fiche(locked, key=key, attachments=attachments)
    return fiche.pk
