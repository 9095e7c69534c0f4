"""PDFs of the VAE: the printable livret 1 (cerfa 12818*02), the notification of the recevabilité decision, the
livret 2 (WeasyPrint, from Django templates)."""

import hashlib
import json

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from referentiels.official_pdf import render_official_pdf

from .declaration import declaration_text
from .models import CANDIDATE_FIELDS


def build_notification_pdf(livret) -> bytes:
    certifier = livret.dossier.certification.certifier
    return render_official_pdf(
        "vae/notification_pdf.html",
        {
            "signatory": certifier.signatory("notification"),
            "livret": livret,
            "dossier": livret.dossier,
            "version": livret.referentiel,
            "experience": livret.experience_check(livret.decided_on or timezone.localdate()),
            "today": timezone.localdate(),
        },
        certifier=certifier,
        title=f"Notification de recevabilité — dossier {livret.dossier.number}",
        subject=f"Décision de recevabilité de la demande de VAE au {livret.dossier.certification}",
    )


def livret1_fingerprint(livret, experiences, pieces) -> str:
    """SHA-256 of what the candidate declared (the fields, the experiences, the names of the pieces): printed under the
    signature record, so that two prints of the same content carry the same fingerprint."""
    content = {
        "fields": {name: str(getattr(livret, name)) for name in CANDIDATE_FIELDS},
        "experiences": [
            [e.function, e.organisation, e.status, str(e.start), str(e.end), str(e.hours_per_week), e.activities]
            for e in experiences
        ],
        "pieces": [[p.kind, p.original_name] for p in pieces],
        "submitted_at": livret.submitted_at.isoformat() if livret.submitted_at else "",
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def build_livret1_pdf(livret) -> bytes:
    """The livret 1 as the candidate signed it, in the cerfa 12818*02 order, with the sworn statement and the record of
    its electronic signature (the online sending by the candidate's account)."""
    from . import rules

    dossier = livret.dossier
    certifier = dossier.certification.certifier
    version = livret.referentiel
    experiences = list(livret.experiences.all())
    pieces = list(livret.pieces.order_by("uploaded_at", "id"))
    check = livret.experience_check(livret.received_on or timezone.localdate())
    candidate = dossier.candidate
    return render_official_pdf(
        "vae/livret1_pdf.html",
        {
            "livret": livret,
            "dossier": dossier,
            "version": version,
            "experiences": experiences,
            "pieces": pieces,
            "experience_label": check.label,
            "experience_rule": rules.experience_rule_label(
                version.min_experience_months, version.experience_window_years
            ),
            "declaration": declaration_text(livret),
            "signer": {"name": candidate.get_full_name() or candidate.email, "email": candidate.email},
            "fingerprint": livret1_fingerprint(livret, experiences, pieces),
        },
        certifier=certifier,
        title=f"Livret 1 (cerfa 12818*02) — dossier {dossier.number}",
        subject=f"Demande de recevabilité à la VAE pour le CQP {dossier.certification.title}",
        keywords=("livret 1", "recevabilité", "VAE"),
    )


def build_livret2_pdf(livret) -> bytes:
    """The whole livret 2 for the jury: cover, contents, every answer, the list of attachments."""
    from weasyprint import HTML

    from .selectors import livret2_blocks

    version = livret.referentiel
    questions = list(version.livret2_motivation or []) or ["Votre projet et votre motivation"]
    answers = list(livret.motivation or [])
    html = render_to_string(
        "vae/livret2_pdf.html",
        {
            "livret": livret,
            "dossier": livret.dossier,
            "version": version,
            "blocks": livret2_blocks(livret),
            "motivation": [(q, answers[i] if i < len(answers) else "") for i, q in enumerate(questions)],
            "pieces": livret.pieces.select_related("unit", "situation").order_by("uploaded_at", "id"),
            "today": timezone.localdate(),
            "site_url": settings.SITE_URL,
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
