"""The candidate's personal data held by this app (jury passages, convocations, fiches de décision, validated units,
certificates), registered for the export and the anonymisation (cqp/personal_data_registry.py, read by
pilotage/personal_data/). Fiches de décision, unit decisions, validated units and certificates are legal records:
exported, never changed by the anonymisation (database triggers protect them)."""

from django.db.models import Prefetch

from cqp.personal_data_registry import (
    CLEAR,
    ExportFile,
    PersonalData,
    exported,
    keep_history,
    register_dossier_export,
    register_person_export,
    register_personal_data,
    unit_of,
)

from .enums import LOCKED_FICHE_STATES
from .models import (
    Certificate,
    ConflictOfInterest,
    Convocation,
    FicheDecision,
    JurySession,
    SessionCandidate,
    SessionMember,
    UnitDecision,
    ValidatedUnit,
)

LEGAL = "acte officiel du jury, conservé tel quel (protégé par des déclencheurs) et vérifiable"

# Text fields holding no personal data of a candidate (tests/test_personal_data_registry.py).
NON_PERSONAL = [
    ("JurySession", ["kind"], "nature de la session : jury ou commission paritaire"),
    ("JurySession", ["place", "video_link"], "lieu et lien de la session, communs à tous ses candidats"),
    ("JurySession", ["president_reason"], "motif du choix de la présidence de la session"),
    ("JurySession", ["early_opening_reason"], "motif de l'ouverture la veille d'une session à distance"),
    ("SessionMember", ["union_name"], "organisation représentée par un membre du jury, pas un candidat"),
    ("ConflictOfInterest", ["reason"], "déclaration d'un membre du jury, conservée avec la session"),
    ("FicheDecision", ["pdf_error"], "erreur technique de fabrication du PDF"),
    (
        "SessionEvent",
        ["action", "label", "from_state", "to_state", "comment", "data"],
        "historique de la session de jury, conservé avec ses actes",
    ),
]

for entry in [
    PersonalData(
        SessionCandidate,
        "dossier__candidate",
        export=["position", "attendance", "attendance_note"],
        erase={"attendance_note": ""},
    ),
    PersonalData(
        Convocation,
        "session_candidate__dossier__candidate",
        export=["version", "starts_at", "ends_at", "location", "created_at", "mailed_at"],
        kept={"location": "lieu de la session, commun à tous ses candidats"},
        files={"pdf": CLEAR},
        summary="convocations",
    ),
    PersonalData(
        FicheDecision,
        "session_candidate__dossier__candidate",
        export=[
            "version",
            "state",
            "outcome",
            "experience_to_deepen",
            "modules_to_follow",
            "signed_at",
            "correction_reason",
        ],
        kept=dict.fromkeys(("experience_to_deepen", "modules_to_follow", "correction_reason", "pdf"), LEGAL),
    ),
    PersonalData(
        UnitDecision,
        "fiche__session_candidate__dossier__candidate",
        export=["validated", "carried_validated_on", "valid_until"],
    ),
    PersonalData(ValidatedUnit, "candidate", export=["unit_number", "validated_on", "valid_until"]),
    PersonalData(
        Certificate,
        "dossier__candidate",
        export=["code", "issued_on", "revoked_at", "revoked_reason"],
        kept={"code": LEGAL, "revoked_reason": LEGAL, "pdf": LEGAL},
    ),
]:
    register_personal_data(entry)

for model in (FicheDecision, UnitDecision, Certificate, ValidatedUnit, JurySession, SessionMember, ConflictOfInterest):
    keep_history(model, LEGAL)


def dossier_export(dossier, user, files) -> dict:
    """The jury passages of a dossier (session, convocations, signed fiches) and its certificates, with their PDFs."""
    folder = f"fichiers/{dossier.number}"
    data = {"jury": []}
    for passage in dossier.jury_passages.all():
        session = passage.session
        item = {
            "session": {
                "date": session.date.isoformat(),
                "start_time": session.start_time.isoformat(),
                "place": session.place,
                "video_link": session.video_link,
            },
            **exported(passage),
            "convocations": [],
            "fiches_decision": [],
        }
        for convocation in passage.convocations.all():
            path = None
            if convocation.pdf:
                path = f"{folder}/convocations/convocation-v{convocation.version}.pdf"
                files.append(ExportFile(path, field=convocation.pdf))
            item["convocations"].append({**exported(convocation), "file": path})
        for fiche in passage.fiches.all():
            path = None
            if fiche.pdf:
                path = f"{folder}/fiches-decision/fiche-decision-v{fiche.version}.pdf"
                files.append(ExportFile(path, field=fiche.pdf))
            item["fiches_decision"].append(
                {
                    **exported(fiche),
                    "unit_decisions": [{"unit": unit_of(d.unit), **exported(d)} for d in fiche.unit_decisions.all()],
                    "file": path,
                }
            )
        data["jury"].append(item)

    data["certificates"] = []
    for certificate in dossier.certificates.all():
        path = None
        if certificate.pdf:
            path = f"{folder}/certificats/certificat-{certificate.pk}.pdf"
            files.append(ExportFile(path, field=certificate.pdf))
        data["certificates"].append({**exported(certificate), "file": path})
    return data


register_dossier_export(
    dossier_export,
    prefetch=[
        Prefetch(
            "jury_passages",
            queryset=SessionCandidate.objects.select_related("session")
            .prefetch_related(
                Prefetch("convocations", queryset=Convocation.objects.order_by("version")),
                Prefetch(
                    "fiches",
                    queryset=FicheDecision.objects.filter(state__in=LOCKED_FICHE_STATES)
                    .prefetch_related("unit_decisions__unit")
                    .order_by("version"),
                ),
            )
            .order_by("session__date", "id"),
        ),
        Prefetch("certificates", queryset=Certificate.objects.order_by("issued_on", "id")),
    ],
)


def validated_units_export(user) -> list:
    return [
        {
            "certification": v.certification.code,
            "unit": unit_of(v.unit),
            **exported(v),
            "session_date": v.session.date.isoformat(),
        }
        for v in ValidatedUnit.objects.filter(candidate=user).select_related("certification", "unit", "session")
    ]


register_person_export("validated_units", validated_units_export)
