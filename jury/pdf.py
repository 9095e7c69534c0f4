"""PDFs of the jury: convocation, fiche de décision, CQP certificate — official acts of the dossier's certifier
(referentiels/official_pdf.py: its letterhead, PDF/A-3b, metadata)."""

from django.conf import settings

from referentiels.official_pdf import qr_svg, render_official_pdf
from vae.selectors import approved_centres

from . import sealing


def candidate_identity(dossier) -> dict:
    """Name, birth date and place, postal address of the candidate: from their latest livret 1 when there is one
    (the VAE path), otherwise from the account (name only)."""
    livret = dossier.livrets1.order_by("-id").first() if hasattr(dossier, "livrets1") else None
    user = dossier.candidate
    if livret is not None and livret.first_names:
        name = f"{livret.first_names} {livret.usage_name or livret.birth_name}".strip()
    else:
        name = user.get_full_name() or user.email
    return {
        "full_name": name,
        "birth_date": getattr(livret, "birth_date", None),
        "birth_place": getattr(livret, "birth_place", ""),
        "address": getattr(livret, "address", ""),
    }


def certificate_number(certificate) -> str:
    """« CPNEFP-MUTUALITE-2026-00012 »: the certifier, the year of issue and the certificate's id."""
    code = certificate.dossier.certification.certifier.code.upper().replace("_", "-")
    return f"{code}-{certificate.issued_on:%Y}-{certificate.pk:05d}"


def _members(session, certifier):
    members = list(session.members.select_related("user"))
    for member in members:
        member.college_label = certifier.college_label(member.college)
    return members


def fiche_context(fiche) -> dict:
    candidate = fiche.session_candidate
    session, dossier = candidate.session, candidate.dossier
    certifier = dossier.certification.certifier
    decisions = list(fiche.unit_decisions.select_related("unit").order_by("unit__number"))
    missing = [d for d in decisions if not d.validated]
    return {
        "fiche": fiche,
        "session": session,
        "dossier": dossier,
        "version": dossier.version,
        "certifier": certifier,
        "signatory": certifier.signatory("fiche"),
        # « commission paritaire » for a commission session (on dossier, seed 003 L81), else the certifier's jury.
        "body_label": "commission paritaire" if session.is_commission else certifier.jury_label,
        "body_short": "de la commission" if session.is_commission else "du jury",
        "body_of": "de la commission paritaire" if session.is_commission else f"du {certifier.jury_label}",
        "members": _members(session, certifier),
        "decisions": decisions,
        "missing": missing,
        "indefinite": dossier.version.partial_validity_years is None,
        "centres": list(approved_centres(dossier.certification, session.date)) if missing else [],
        "certificate": fiche.certificates.filter(revoked_at__isnull=True).first(),
    }


def build_fiche_pdf(fiche) -> bytes:
    context = fiche_context(fiche)
    dossier = context["dossier"]
    content = render_official_pdf(
        "jury/pdf/fiche.html",
        context,
        certifier=context["certifier"],
        title=f"Fiche de décision {context['body_short']} — dossier {dossier.number}",  # « du jury » as before
        subject=f"Décision {context['body_of']} sur le {dossier.certification}",
    )
    return sealing.seal_pdf(content, reason=f"Fiche de décision {context['body_short']} — dossier {dossier.number}")


def build_convocation_pdf(convocation) -> bytes:
    candidate = convocation.session_candidate
    dossier = candidate.dossier
    certifier = dossier.certification.certifier
    return render_official_pdf(
        "jury/pdf/convocation.html",
        {
            "convocation": convocation,
            "session": candidate.session,
            "dossier": dossier,
            "version": dossier.version,
            "identity": candidate_identity(dossier),
            "signatory": certifier.signatory("convocation"),
        },
        certifier=certifier,
        title=f"Convocation au jury — dossier {dossier.number}",
        subject=f"Convocation au {certifier.jury_label} du {dossier.certification}",
    )


def build_certificate_pdf(certificate) -> bytes:
    dossier = certificate.dossier
    certifier = dossier.certification.certifier
    verify_url = settings.SITE_URL + certificate.get_verification_url()
    units = [d for d in certificate.fiche.unit_decisions.select_related("unit").order_by("unit__number") if d.validated]
    content = render_official_pdf(
        "jury/pdf/certificate.html",
        {
            "certificate": certificate,
            "number": certificate_number(certificate),
            "dossier": dossier,
            "session": certificate.fiche.session_candidate.session,
            "identity": candidate_identity(dossier),
            "units": units,
            "signatory": certifier.signatory("certificate"),
            "verify_url": verify_url,
            "qr": qr_svg(verify_url),
        },
        certifier=certifier,
        title=f"Certificat de qualification professionnelle n° {certificate_number(certificate)}",
        subject=f"CQP {dossier.certification.title} délivré par {certifier.designation}",
    )
    return sealing.seal_pdf(content, reason=f"Certificat n° {certificate_number(certificate)}")
