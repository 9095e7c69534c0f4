"""PDFs of the jury: convocation, fiche de décision, CQP certificate (Django templates rendered by WeasyPrint)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from referentiels.enums import Certifier


def _render(template, context) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, {"site_url": settings.SITE_URL, "generated_at": timezone.localtime(), **context})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def certifier_header(certification) -> dict:
    if certification.certifier == Certifier.UCANSS:
        return {"name": "Ucanss", "detail": "Union des caisses nationales de Sécurité sociale"}
    return {"name": "CPNEFP Mutualité", "detail": "Commission paritaire nationale de l'emploi et de la formation professionnelle de la Mutualité — opérée par l'OEMM"}


def fiche_context(fiche) -> dict:
    from .selectors import approved_centres

    candidate = fiche.session_candidate
    session, dossier = candidate.session, candidate.dossier
    decisions = list(fiche.unit_decisions.select_related("unit").order_by("unit__number"))
    missing = [d for d in decisions if not d.validated]
    return {
        "fiche": fiche, "session": session, "dossier": dossier, "version": dossier.version,
        "certifier": certifier_header(dossier.certification),
        "members": list(session.members.select_related("user")),
        "decisions": decisions, "missing": missing,
        "indefinite": dossier.version.partial_validity_years is None,
        "centres": list(approved_centres(dossier.certification, session.date)) if missing else [],
        "certificate": fiche.certificates.filter(revoked_at__isnull=True).first(),
    }


def build_fiche_pdf(fiche) -> bytes:
    return _render("jury/pdf/fiche.html", fiche_context(fiche))


def build_convocation_pdf(convocation) -> bytes:
    candidate = convocation.session_candidate
    return _render("jury/pdf/convocation.html", {
        "convocation": convocation, "session": candidate.session, "dossier": candidate.dossier,
        "version": candidate.dossier.version, "certifier": certifier_header(candidate.dossier.certification),
    })


def build_certificate_pdf(certificate) -> bytes:
    return _render("jury/pdf/certificate.html", {
        "certificate": certificate, "dossier": certificate.dossier, "session": certificate.fiche.session_candidate.session,
        "certifier": certifier_header(certificate.dossier.certification),
        "verify_url": settings.SITE_URL + certificate.get_verification_url(),
    })
