"""Printable livrets of the voie formative: the livret d'évaluation finale en entreprise and the livret de suivi de
la formation, official documents of the dossier's certifier (referentiels/official_pdf.py: letterhead, PDF/A-3b,
metadata), built from the same file as the pages (formation_file.build_file)."""

from referentiels.official_pdf import render_official_pdf

from .formation_file import build_file


def _context(dossier) -> dict:
    return {"dossier": dossier, "version": dossier.version, "file": build_file(dossier)}


def build_livret_evaluation_pdf(dossier) -> bytes:
    """Cover with the evaluators' attestation, the candidate's activities, per unit the candidate's answer and each
    evaluator's assessment and signature, the fiche de synthèse."""
    certifier = dossier.certification.certifier
    return render_official_pdf(
        "candidates/pdf/livret_evaluation.html",
        _context(dossier),
        certifier=certifier,
        title=f"Livret d'évaluation finale en entreprise — dossier {dossier.number}",
        subject=f"Évaluation finale en entreprise pour le CQP {dossier.certification.title}",
        keywords=("livret d'évaluation finale", "voie formative"),
    )


def build_livret_suivi_pdf(dossier) -> bytes:
    """Cover, the training path (modules per unit, hours), the formative evaluations, the tutor's grids and reviews."""
    certifier = dossier.certification.certifier
    return render_official_pdf(
        "candidates/pdf/livret_suivi.html",
        _context(dossier),
        certifier=certifier,
        title=f"Livret de suivi de la formation — dossier {dossier.number}",
        subject=f"Suivi de la formation au CQP {dossier.certification.title}",
        keywords=("livret de suivi", "voie formative"),
    )
