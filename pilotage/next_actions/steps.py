"""The step tracker of a dossier: the steps of its path, each done, current, to come (or skipped), with its date.

A plain function of the dossier's facts (``facts.DossierFacts``): derived from the dossier's state and its livrets,
never stored. Table-tested in ``tests/pilotage/test_dossier_steps.py``.
"""

import datetime

from cqp.templatetags.french import date_fr

from .facts import DossierFacts, Step

VAE_STEPS = [
    ("inscription", "Inscription"),
    ("entretien", "Entretien d'accueil"),
    ("livret1", "Livret 1"),
    ("recevabilite", "Recevabilité"),
    ("livret2", "Livret 2"),
    ("jury", "Jury"),
    ("decision", "Décision"),
]
FORMATION_STEPS = [
    ("inscription", "Inscription"),
    ("entretien", "Entretien d'accueil"),
    ("parcours", "Parcours de formation"),
    ("suivi", "Suivi de la formation"),
    ("evaluation", "Évaluation finale"),
    ("jury", "Jury"),
    ("decision", "Décision"),
]

# How far the dossier's own state has gone (a step the state has passed is done, whatever its livrets say).
RANK = {"inscrit": 0, "oriente": 1, "recevable": 2, "pret_jury": 3, "decide": 4}
SENT_LIVRET1 = ("soumis", "recevable", "non_recevable")


def _d(day) -> str:
    return date_fr(day)


def _entretien(f: DossierFacts):
    done = f.entretien_state == "valide" or (f.path == "formation" and RANK.get(f.state, 0) >= 1)
    current = {
        "": "À organiser avec un organisme de formation agréé"
        if f.is_vae
        else "À conduire par l'entreprise ou l'organisme de formation",
        "en_cours": "En cours de saisie"
        + (f" (entretien du {_d(f.entretien_held_on)})" if f.entretien_held_on else ""),
        "valide_interviewer": "Validé par l'intervieweur, à valider par le candidat",
    }.get(f.entretien_state, "")
    return done, f.entretien_validated_on, "", current


def _livret1(f: DossierFacts):
    done = f.livret1_state in SENT_LIVRET1 or RANK.get(f.state, 0) >= 2
    current = {
        "": "À remplir",
        "brouillon": "En cours de rédaction",
        "incomplet": "Incomplet : à compléter et renvoyer",
    }
    return done, f.livret1_sent_on, "Envoyé", current.get(f.livret1_state, "")


def _recevabilite(f: DossierFacts):
    done = f.livret1_state == "recevable" or RANK.get(f.state, 0) >= 2
    detail = f"Valable jusqu'au {_d(f.livret1_valid_until)}" if f.livret1_valid_until else ""
    current = ""
    if f.livret1_state == "soumis" and f.livret1_instruction_deadline:
        current = f"Décision attendue au plus tard le {_d(f.livret1_instruction_deadline)}"
    elif f.livret1_state == "non_recevable":
        current = "Non recevable" + (f" (décision du {_d(f.livret1_decided_on)})" if f.livret1_decided_on else "")
    return done, f.livret1_decided_on, detail, current


def _livret2(f: DossierFacts):
    done = f.livret2_state in ("soumis", "recu") or RANK.get(f.state, 0) >= 3
    detail = "Reçu par l'OEMM" if f.livret2_state == "recu" else ("Envoyé" if done else "")
    due = f.livret_due()
    current = f"À envoyer avant le {_d(due)}" if due else ("En cours de rédaction" if f.livret2_state else "À rédiger")
    return done, f.livret2_sent_on, detail, current


def _parcours(f: DossierFacts):
    done = f.suivi_hours > 0 or bool(f.livret_evaluation_transmitted_on) or RANK.get(f.state, 0) >= 3
    detail = f"{f.suivi_hours} h de formation enregistrées" if f.suivi_hours else ""
    return done, f.suivi_started_on, detail, "Modules, dates et heures à enregistrer dans le livret de suivi"


def _suivi(f: DossierFacts):
    total = len(f.units)
    signed = len(f.formative_signed)
    done = (total > 0 and signed >= total) or bool(f.livret_evaluation_transmitted_on) or RANK.get(f.state, 0) >= 3
    progress = f"{signed} sur {total} évaluations formatives signées" if total else ""
    return done, f.formative_last_on, progress, progress or "Évaluations formatives à enregistrer"


def _evaluation(f: DossierFacts):
    done = bool(f.livret_evaluation_transmitted_on) or RANK.get(f.state, 0) >= 3
    parts = []
    if f.candidate_part_signed_on:
        parts.append(f"partie du candidat signée le {_d(f.candidate_part_signed_on)}")
    else:
        parts.append("partie du candidat à rédiger")
    if f.units:
        parts.append(f"{len(f.assessments_signed)} sur {2 * len(f.units)} évaluations des évaluateurs signées")
    due = f.livret_due()
    if due:
        parts.append(f"à transmettre avant le {_d(due)}")
    current = ", ".join(parts)
    return done, f.livret_evaluation_transmitted_on, "Transmis à l'OEMM", current[:1].upper() + current[1:]


def _jury(f: DossierFacts, today: datetime.date):
    p = f.passage
    decided = f.state == "decide" or (p is not None and p.fiche_state == "signee")
    done = decided or (p is not None and p.date < today and p.attendance == "present")
    if p is None:
        body = "de la commission paritaire" if f.to_commission else "de jury"
        current = f"En attente d'une session {body}" if f.state == "pret_jury" else ""
        return done, None, "", current
    when = f"Session du {_d(p.date)}" + (f" à {p.start_time:%H:%M}" if p.start_time else "")
    return done, p.date, "", when


def _decision(f: DossierFacts):
    p = f.passage
    done = f.state == "decide" or (p is not None and p.fiche_state == "signee")
    signed_on = p.fiche_signed_on if p else None
    outcome = p.fiche_outcome_label if p else ""
    return done, signed_on, outcome, "Délibération en cours" if p and p.fiche_state == "brouillon" else ""


def dossier_steps(f: DossierFacts, today: datetime.date) -> list[Step]:
    """The steps of the dossier's path with their status (done, current, upcoming, skipped), date and detail."""
    if f.is_vae:
        computed = {
            "inscription": (True, f.inscription_date, "", ""),
            "entretien": _entretien(f),
            "livret1": _livret1(f),
            "recevabilite": _recevabilite(f),
            "livret2": _livret2(f),
            "jury": _jury(f, today),
            "decision": _decision(f),
        }
        labels = VAE_STEPS
    else:
        computed = {
            "inscription": (True, f.inscription_date, "", ""),
            "entretien": _entretien(f),
            "parcours": _parcours(f),
            "suivi": _suivi(f),
            "evaluation": _evaluation(f),
            "jury": _jury(f, today),
            "decision": _decision(f),
        }
        labels = FORMATION_STEPS
    if f.to_commission:  # examined on dossier by a commission paritaire (issue 17), not by the final jury
        labels = [(key, "Commission paritaire" if key == "jury" else label) for key, label in labels]
    last_done = max((i for i, (key, _) in enumerate(labels) if computed[key][0]), default=-1)
    closed = f.state == "clos"
    steps, current_seen = [], False
    for i, (key, label) in enumerate(labels):
        done, day, done_detail, current_detail = computed[key]
        if done:
            steps.append(Step(key, label, "done", day, done_detail))
        elif i < last_done or closed:
            steps.append(Step(key, label, "skipped"))
        elif not current_seen:
            current_seen = True
            steps.append(Step(key, label, "current", None, current_detail))
        else:
            steps.append(Step(key, label, "upcoming"))
    return steps


def current_step(steps: list[Step]) -> Step | None:
    return next((s for s in steps if s.status == "current"), None)
