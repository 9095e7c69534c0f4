"""The training centre's next actions on one dossier: run and validate the entretien, accompany the candidate.
Table-tested."""

import datetime

from django.urls import reverse

from cqp.templatetags.french import date_fr, hour_fr

from .facts import DossierFacts, NextAction


def _subject(f: DossierFacts) -> str:
    return f"Dossier {f.number} — {f.candidate_name}"


def _entretien(f: DossierFacts) -> list[NextAction]:
    if f.state != "inscrit" or f.entretien_state not in ("", "en_cours"):
        return []
    label = (
        "Conduire l'entretien d'accueil et d'orientation"
        if not f.entretien_state
        else "Terminer et valider l'entretien d'accueil et d'orientation"
    )
    return [
        NextAction(
            label=label,
            url=reverse("candidates:entretien_edit", args=[f.number]),
            button="Saisir l'entretien" if not f.entretien_state else "Reprendre l'entretien",
            subject=_subject(f),
        )
    ]


def _accompagnement(f: DossierFacts, organisme_id: int, today: datetime.date) -> list[NextAction]:
    if f.convention_organisme_id != organisme_id or f.state in ("decide", "clos"):
        return []
    url = reverse("vae:accompagnement", args=[f.number])
    if f.convention_state == "proposee" and not f.convention_organisme_accepted:
        return [
            NextAction(
                label="Examiner et accepter la convention d'accompagnement VAE",
                url=url,
                button="Voir la demande",
                subject=_subject(f),
            )
        ]
    if f.convention_state == "acceptee" and f.livret2_state not in ("soumis", "recu"):
        due = f.livret_due() or f.livret1_valid_until
        return [
            NextAction(
                label="Accompagner la rédaction du livret 2",
                url=url,
                button="Accompagnement",
                subject=_subject(f),
                due=due,
                due_label="à envoyer avant le",
                overdue=due is not None and due < today,
            )
        ]
    return []


def _formation(f: DossierFacts, today: datetime.date) -> list[NextAction]:
    if f.path != "formation" or f.state != "oriente" or f.livret_evaluation_transmitted_on:
        return []
    url = reverse("candidates:formation_suivi", args=[f.number])
    if not f.suivi_hours:
        return [
            NextAction(
                label="Enregistrer le parcours de formation (modules, dates, heures) dans le livret de suivi",
                url=url,
                button="Ouvrir le livret de suivi",
                subject=_subject(f),
            )
        ]
    if f.units and len(f.formative_signed) < len(f.units):
        missing = next(u for u in f.units if u.id not in f.formative_signed)
        return [
            NextAction(
                label=f"Accompagner la formation : évaluation formative à enregistrer pour {f.unit_label} "
                f"{missing.number} ({len(f.formative_signed)} sur {len(f.units)} signées)",
                url=url,
                button="Ouvrir le livret de suivi",
                subject=_subject(f),
            )
        ]
    return []


def centre_actions(f: DossierFacts, organisme_id: int, today: datetime.date) -> list[NextAction]:
    """What the centre ``organisme_id`` must do next on this dossier."""
    actions = []
    if f.organisme_id == organisme_id:
        actions += _entretien(f) + _formation(f, today)
    return actions + _accompagnement(f, organisme_id, today)


def upcoming_entretiens(bookings, today: datetime.date) -> list[NextAction]:
    """The centre's booked créneaux to come: (start in Paris time, candidate's name, dossier number) each."""
    url = reverse("candidates:slots")
    return [
        NextAction(
            label=f"Entretien le {date_fr(start)} à {hour_fr(start)} avec {name}",
            url=url,
            button="Créneaux d'entretien",
            subject=f"Dossier {number} — {name}",
            due=start.date(),
            due_label="le",
        )
        for start, name, number in bookings
        if start.date() >= today
    ]
