"""The next actions of a jury member (read the dossiers of a session) and of a session's president (deliberate,
sign the fiches). Table-tested."""

import datetime

from django.urls import reverse

from cqp.templatetags.french import date_fr

from .facts import DossierFacts, NextAction, SessionFact


def _candidate_url(session_id: int, session_candidate_id: int) -> str:
    return reverse("jury:candidate", args=[session_id, session_candidate_id]) + "#deliberation"


def _others(items) -> str:
    rest = len(items) - 1
    return "" if rest <= 0 else (" (et 1 autre)" if rest == 1 else f" (et {rest} autres)")


def session_actions(s: SessionFact, today: datetime.date) -> list[NextAction]:
    """What a member (or the president) of session ``s`` must do next."""
    subject = f"Session du {date_fr(s.date)}"
    if s.state == "planifiee" and s.date >= today and s.candidates:
        return [
            NextAction(
                label=f"Lire les dossiers des {s.candidates} candidats de la session"
                if s.candidates > 1
                else "Lire le dossier du candidat de la session",
                url=reverse("jury:session", args=[s.id]),
                button="Les dossiers",
                subject=subject,
                due=s.date,
                due_label="session le",
            )
        ]
    if s.state != "ouverte":
        return []
    if not s.is_president:
        return [
            NextAction(
                label="Siéger à la session, ouverte",
                url=reverse("jury:session", args=[s.id]),
                button="La session",
                subject=subject,
                due=s.date,
                due_label="le",
            )
        ]
    actions = []
    if s.to_deliberate:
        sc_id, name = s.to_deliberate[0]
        actions.append(
            NextAction(
                label=f"Délibérer : {name}{_others(s.to_deliberate)}",
                url=_candidate_url(s.id, sc_id),
                button="Délibérer",
                subject=subject,
                due=s.date,
                due_label="le",
            )
        )
    if s.to_sign:
        sc_id, name = s.to_sign[0]
        actions.append(
            NextAction(
                label=f"Signer la fiche de décision de {name}{_others(s.to_sign)}",
                url=_candidate_url(s.id, sc_id),
                button="Signer",
                subject=subject,
                due=s.date,
                due_label="le",
            )
        )
    return actions


def dossier_jury_actions(f: DossierFacts, *, is_president: bool, today: datetime.date) -> list[NextAction]:
    """On the dossier page, for a member of the session where the dossier is placed."""
    p = f.passage
    if p is None:
        return []
    subject = f"Dossier {f.number} — {f.candidate_name}"
    if p.session_state == "planifiee" and p.date >= today:
        return [
            NextAction(
                label="Lire ce dossier avant la session",
                url=reverse("jury:candidate", args=[p.session_id, p.session_candidate_id]),
                button="Le candidat à la session",
                subject=subject,
                due=p.date,
                due_label="session le",
            )
        ]
    if p.session_state == "ouverte" and is_president and p.fiche_state in ("", "brouillon"):
        label, button = ("Signer la fiche de décision", "Signer") if p.fiche_outcome else ("Délibérer", "Délibérer")
        return [
            NextAction(
                label=label,
                url=_candidate_url(p.session_id, p.session_candidate_id),
                button=button,
                subject=subject,
                due=p.date,
                due_label="le",
            )
        ]
    return []
