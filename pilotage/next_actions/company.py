"""The company's next actions on one dossier of the voie formative: its RH designates the tutor and the evaluators,
runs the entretien when no centre does, and transmits the livret; each evaluator evaluates their units and signs.
Table-tested."""

import datetime

from django.urls import reverse

from .facts import DossierFacts, NextAction

SLOTS = (1, 2)


def _subject(f: DossierFacts) -> str:
    return f"Dossier {f.number} — {f.candidate_name}"


def _open_formation(f: DossierFacts) -> bool:
    return f.path == "formation" and f.state in ("inscrit", "oriente") and not f.livret_evaluation_transmitted_on


def _ready_to_transmit(f: DossierFacts) -> bool:
    units = {u.id for u in f.units}
    return (
        bool(units)
        and f.candidate_part_signed_on is not None
        and all(f.evaluator_signed.get(s) for s in SLOTS)
        and all((u, s) in f.assessments_signed for u in units for s in SLOTS)
    )


def rh_actions(f: DossierFacts, today: datetime.date) -> list[NextAction]:
    if not _open_formation(f):
        return []
    actions = []
    if not (f.tutor_id and f.evaluator_ids.get(1) and f.evaluator_ids.get(2)):
        actions.append(
            NextAction(
                label="Désigner le tuteur et les deux évaluateurs",
                url=reverse("candidates:formation_designations", args=[f.number]),
                button="Désigner",
                subject=_subject(f),
            )
        )
    if f.state == "inscrit" and f.organisme_id is None and f.entretien_state in ("", "en_cours"):
        actions.append(
            NextAction(
                label="Conduire l'entretien d'accueil et d'orientation"
                if not f.entretien_state
                else "Terminer et valider l'entretien d'accueil et d'orientation",
                url=reverse("candidates:entretien_edit", args=[f.number]),
                button="Saisir l'entretien",
                subject=_subject(f),
            )
        )
    if f.state == "oriente" and _ready_to_transmit(f):
        due = f.livret_due()
        actions.append(
            NextAction(
                label="Transmettre le livret d'évaluation finale à l'OEMM",
                url=reverse("candidates:formation_livret", args=[f.number]),
                button="Transmettre",
                subject=_subject(f),
                due=due,
                overdue=due is not None and due < today,
            )
        )
    return actions


def evaluator_actions(f: DossierFacts, user_id: int, today: datetime.date) -> list[NextAction]:
    if not _open_formation(f) or f.state != "oriente":
        return []
    due = f.livret_due()
    actions = []
    for slot in SLOTS:
        if f.evaluator_ids.get(slot) != user_id:
            continue
        pending = [u for u in f.units if (u.id, slot) not in f.assessments_signed]
        if pending:
            unit = pending[0]
            rest = {1: "", 2: " (et 1 autre)"}.get(len(pending), f" (et {len(pending) - 1} autres)")
            actions.append(
                NextAction(
                    label=f"Évaluer : {f.unit_label} {unit.number}, {unit.title}{rest}",
                    url=reverse("candidates:formation_assessment", args=[f.number, unit.id, slot]),
                    button="Évaluer l'unité",
                    subject=_subject(f),
                    due=due,
                    overdue=due is not None and due < today,
                )
            )
        elif not f.evaluator_signed.get(slot):
            actions.append(
                NextAction(
                    label="Signer la fiche de synthèse et l'attestation",
                    url=reverse("candidates:formation_livret", args=[f.number]),
                    button="Signer",
                    subject=_subject(f),
                    due=due,
                    overdue=due is not None and due < today,
                )
            )
    return actions


def company_actions(f: DossierFacts, *, user_id: int, is_rh: bool, today: datetime.date) -> list[NextAction]:
    """What this member of the dossier's company must do next on it (RH and, when designated, evaluator)."""
    return (rh_actions(f, today) if is_rh else []) + evaluator_actions(f, user_id, today)
