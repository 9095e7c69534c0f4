"""The candidate's personal data held by this app (livret 1 and its pieces, livret 2, accompagnement), registered for
the export and the anonymisation (cqp/personal_data_registry.py, read by pilotage/personal_data/)."""

import os
import re

from django.db.models import Prefetch

from cqp.personal_data_registry import (
    CLEAR,
    DELETE_ROW,
    ExportFile,
    PersonalData,
    exported,
    register_dossier_export,
    register_personal_data,
    unit_of,
)

from . import pdf as vae_pdf
from .models import (
    AccompagnementComment,
    ConventionAccompagnement,
    Experience,
    Livret1,
    Livret2,
    Livret2Situation,
    Piece,
)

# Text fields holding no personal data of a candidate (tests/test_personal_data_registry.py): every free text of a
# livret is the candidate's; the numbers of the units reopened after a validation partielle are not.
NON_PERSONAL = [
    ("Livret2", ["reopened_units"], "numéros des unités rouvertes après une validation partielle"),
]

LIVRET1_FIELDS = [
    "nature",
    "state",
    "is_active",
    "birth_name",
    "usage_name",
    "first_names",
    "sex",
    "birth_date",
    "birth_place",
    "nationality",
    "address",
    "phone",
    "email",
    "situation",
    "situation_detail",
    "last_class",
    "highest_diploma",
    "certifications_held",
    "declaration_accepted",
    "declaration_place",
    "declaration_date",
    "unsaved_input",
    "submitted_at",
    "received_on",
    "instruction_deadline",
    "decided_on",
    "tacit",
    "gap_analysis",
    "recommended_training",
    "decision_comment",
    "valid_until",
    "created_at",
    "updated_at",
]

for entry in [
    PersonalData(
        Livret1,
        "dossier__candidate",
        export=LIVRET1_FIELDS,
        erase={
            "birth_name": "",
            "usage_name": "",
            "first_names": "",
            "sex": "",
            "birth_date": None,
            "birth_place": "",
            "nationality": "",
            "address": "",
            "phone": "",
            "email": "",
            "situation_detail": "",
            "last_class": "",
            "highest_diploma": "",
            "certifications_held": "",
            "declaration_place": "",
            "unsaved_input": {},
            "gap_analysis": "",
            "recommended_training": "",
            "decision_comment": "",
        },
    ),
    PersonalData(
        Experience,
        "livret__dossier__candidate",
        export=["position", "function", "organisation", "status", "start", "end", "hours_per_week", "activities"],
        erase={"function": "", "organisation": "", "activities": ""},
    ),
    # Pieces go entirely (files and rows): their names and types with them.
    PersonalData(
        Piece,
        "dossier__candidate",
        export=[
            "section",
            "kind",
            "original_name",
            "size",
            "content_type",
            "uploaded_at",
            "employer_owned",
            "employer_consent",
            "verdict",
            "verdict_reason",
            "verdict_at",
            "replaced_count",
        ],
        # The preview first (emptied), then the piece's file and its row.
        files={"thumbnail": CLEAR, "file": DELETE_ROW},
        summary="pieces",
    ),
    PersonalData(
        Livret2,
        "dossier__candidate",
        export=[
            "state",
            "motivation",
            "context",
            "bloc_answers",
            "submitted_at",
            "received_on",
            "created_at",
            "updated_at",
        ],
        erase={"motivation": [], "context": "", "bloc_answers": {}},
    ),
    PersonalData(
        Livret2Situation,
        "livret__dossier__candidate",
        export=["position", "title", "answers", "free_answer"],
        erase={"title": "", "answers": [], "free_answer": ""},
    ),
    PersonalData(
        ConventionAccompagnement,
        "dossier__candidate",
        export=[
            "state",
            "nature",
            "sessions_count",
            "session_hours",
            "start_on",
            "end_on",
            "planned_dates",
            "jury_preparation",
            "details",
            "candidate_accepted_at",
            "organisme_accepted_at",
            "created_at",
        ],
        erase={"details": ""},
        kept={"planned_dates": "dates des séances prévues, sans texte libre"},
    ),
    PersonalData(
        AccompagnementComment,
        "convention__dossier__candidate",
        export=["livret", "text", "created_at"],
        erase={"text": ""},
    ),
]:
    register_personal_data(entry)


def dossier_export(dossier, user, files) -> dict:
    """Pieces, livrets 1 (with the notification of the decision), livret 2 (PDF) and accompagnements of a dossier."""
    folder = f"fichiers/{dossier.number}"
    data = {}
    pieces = list(dossier.pieces.all())
    piece_paths = {}
    for piece in pieces:
        path = f"{folder}/pieces/{piece.pk}-{safe_name(piece.original_name)}"
        piece_paths[piece.pk] = path
        files.append(ExportFile(path, field=piece.file))
    data["pieces"] = [
        {**exported(p), "livret1": p.livret1_id, "unit": unit_of(p.unit), "file": piece_paths[p.pk]} for p in pieces
    ]

    data["livrets1"] = []
    for livret in dossier.livrets1.all():
        item = {
            "id": livret.pk,
            **exported(livret),
            "referentiel_version": livret.referentiel.number,
            "experiences": [exported(e) for e in livret.experiences.all()],
            "notification_file": None,
        }
        if livret.decided_on is not None:
            path = f"{folder}/notifications/notification-recevabilite-{livret.pk}.pdf"
            item["notification_file"] = path
            files.append(ExportFile(path, build=lambda livret=livret: vae_pdf.build_notification_pdf(livret)))
        data["livrets1"].append(item)

    livret2 = getattr(dossier, "livret2", None)
    data["livret2"] = None
    if livret2 is not None:
        path = f"{folder}/livret2/livret2-{dossier.number}.pdf"
        livret2.dossier = dossier
        data["livret2"] = {
            **exported(livret2),
            "situations": [
                {"unit": unit_of(s.unit), **exported(s), "competences": [c.text for c in s.competences.all()]}
                for s in livret2.situations.all()
            ],
            "file": path,
        }
        files.append(ExportFile(path, build=lambda livret2=livret2: vae_pdf.build_livret2_pdf(livret2)))

    data["accompagnements"] = [
        {
            "organisme": c.organisme.name,
            **exported(c),
            "comments": [{"unit": unit_of(m.unit), **exported(m)} for m in c.comments.all()],
        }
        for c in dossier.accompagnements.all()
    ]
    return data


def safe_name(name: str) -> str:
    base = os.path.basename(name or "fichier")
    return re.sub(r"[^\w.\-]+", "_", base, flags=re.UNICODE).strip("._") or "fichier"


register_dossier_export(
    dossier_export,
    select=["livret2"],
    prefetch=[
        Prefetch("livrets1", queryset=Livret1.objects.select_related("referentiel").prefetch_related("experiences")),
        Prefetch("pieces", queryset=Piece.objects.select_related("unit").order_by("uploaded_at", "id")),
        "livret2__situations__unit",
        "livret2__situations__competences",
        "accompagnements__organisme",
        "accompagnements__comments__unit",
    ],
)
