"""The candidate's next action on one dossier (plain facts in, at most one action out). Table-tested."""

import datetime

from django.urls import reverse

from cqp.templatetags.french import date_fr, hour_fr

from .facts import DossierFacts, NextAction

FIRST_JURY = "premier jury au plus tard le"  # an action without a deadline of its own: the dossier's bound


def _dossier_url(f: DossierFacts, anchor: str = "") -> str:
    return reverse("candidates:dossier", args=[f.number]) + anchor


def _action(f, today, label, url, button, due=None, due_label="avant le") -> list[NextAction]:
    return [
        NextAction(
            label=label,
            url=url,
            button=button,
            subject=f"Dossier {f.number}",
            due=due,
            due_label=due_label,
            overdue=due is not None and due < today,
        )
    ]


TAKE_APPOINTMENT = "Prenez rendez-vous pour votre entretien d'accueil"


def _before_jury(f: DossierFacts, today: datetime.date) -> list[NextAction]:
    """Placed in a coming session: the livret still due, then the jury itself."""
    p = f.passage
    due = f.livret_due()
    if f.is_vae and f.livret2_state not in ("soumis", "recu"):
        url = reverse("vae:livret2", args=[f.number]) if f.livret2_state else _dossier_url(f, "#livret2-title")
        return _action(f, today, "Envoyer votre livret 2", url, "Mon livret 2", due)
    if not f.is_vae and not f.candidate_part_signed_on and not f.livret_evaluation_transmitted_on:
        return _action(
            f,
            today,
            "Rédiger et signer votre partie du livret d'évaluation finale",
            reverse("candidates:formation_candidate", args=[f.number]),
            "Ma partie du livret",
            due,
        )
    if p.commission:  # examined on dossier, without the candidate: informed of the date only (seed 003 L81)
        units = ", ".join(str(n) for n in f.target_units)
        word = f.unit_label + ("s" if len(f.target_units) > 1 else "")
        return _action(
            f,
            today,
            f"La commission paritaire examine votre dossier ({word} {units}), sans vous : rien à préparer",
            _dossier_url(f, "#unites-visees"),
            "Voir le dossier",
            p.date,
            "le",
        )
    when = f" à {p.start_time:%H:%M}" if p.start_time else ""
    return _action(f, today, f"Vous présenter au jury{when}", reverse("jury:my_jury"), "Ma convocation", p.date, "le")


def _vae(f: DossierFacts, today: datetime.date) -> list[NextAction]:
    waits_for_entretien = f.entretien_before_livret1 and f.entretien_state != "valide"
    if waits_for_entretien and f.livret1_state in ("", "brouillon") and f.state in ("inscrit", "oriente"):
        label = (
            "Terminez votre entretien d'accueil avec votre intervieweur, avant votre livret 1"
            if f.entretien_state
            else TAKE_APPOINTMENT
        )
        return _action(
            f, today, label, _dossier_url(f, "#entretien"), "Mon entretien", f.first_jury_deadline, FIRST_JURY
        )
    if f.livret1_state in ("", "brouillon") and f.state in ("inscrit", "oriente"):
        url = reverse("vae:livret1", args=[f.number]) if f.livret1_state else _dossier_url(f, "#livret1")
        return _action(
            f, today, "Remplir et envoyer votre livret 1", url, "Mon livret 1", f.first_jury_deadline, FIRST_JURY
        )
    if f.livret1_state == "incomplet":
        return _action(
            f,
            today,
            "Compléter votre livret 1 comme l'OEMM le demande, puis le renvoyer",
            reverse("vae:livret1", args=[f.number]),
            "Compléter mon livret 1",
            f.first_jury_deadline,
            FIRST_JURY,
        )
    if f.livret1_state == "recevable" and f.livret1_valid_until and f.livret1_valid_until < today:
        return _action(
            f,
            today,
            "Votre recevabilité a expiré : demander sa prorogation ou son renouvellement",
            _dossier_url(f, "#livret1"),
            "Voir mon livret 1",
        )
    if (f.livret1_state == "recevable" or f.state == "recevable") and f.livret2_state not in ("soumis", "recu"):
        url = reverse("vae:livret2", args=[f.number]) if f.livret2_state else _dossier_url(f, "#livret2-title")
        if f.livret1_valid_until:
            due, label = f.livret1_valid_until, "recevabilité valable jusqu'au"
        else:
            due, label = f.first_jury_deadline, FIRST_JURY
        return _action(f, today, "Rédiger et envoyer votre livret 2", url, "Mon livret 2", due, label)
    return []


def _formation(f: DossierFacts, today: datetime.date) -> list[NextAction]:
    training_done = bool(f.units) and len(f.formative_signed) >= len(f.units)
    if (
        f.state == "oriente"
        and training_done
        and not f.candidate_part_signed_on
        and not f.livret_evaluation_transmitted_on
    ):
        return _action(
            f,
            today,
            "Rédiger et signer votre partie du livret d'évaluation finale",
            reverse("candidates:formation_candidate", args=[f.number]),
            "Ma partie du livret",
            f.first_jury_deadline,
            FIRST_JURY,
        )
    return []


def _complement(f: DossierFacts, today: datetime.date) -> list[NextAction]:
    """After a validation partielle, the dossier goes back before a jury for its missing units (not yet placed)."""
    if f.is_vae:
        if f.livret2_state in ("soumis", "recu"):
            return []  # the OEMM acknowledges it, then places the dossier
        return _action(
            f,
            today,
            "Compléter votre livret 2 pour les unités à présenter, puis le renvoyer",
            reverse("vae:livret2", args=[f.number]),
            "Mon livret 2",
        )
    if f.candidate_part_signed_on or f.livret_evaluation_transmitted_on:
        return []  # the evaluators assess the missing units, then the company transmits
    return _action(
        f,
        today,
        "Rédiger et signer votre partie du livret d'évaluation finale pour les unités à présenter",
        reverse("candidates:formation_candidate", args=[f.number]),
        "Ma partie du livret",
    )


def _entretien_booking(f: DossierFacts, today: datetime.date) -> list[NextAction]:
    """Book the entretien d'accueil (a centre of the dossier has a free créneau), or its date once booked."""
    url = reverse("candidates:slot_booking")
    if f.entretien_slot_at and f.entretien_slot_at.date() >= today:
        when = f"{date_fr(f.entretien_slot_at)} à {hour_fr(f.entretien_slot_at)}"
        return _action(f, today, f"Entretien le {when}", url, "Mon entretien", f.entretien_slot_at.date(), "le")
    if f.state == "inscrit" and not f.entretien_state and f.entretien_slots_open and not f.entretien_slot_at:
        return _action(f, today, "Réservez votre entretien d'accueil", url, "Réserver mon entretien")
    return []


def candidate_actions(f: DossierFacts, today: datetime.date) -> list[NextAction]:
    """What the candidate must do next on this dossier (nothing while others act); the entretien d'accueil to book
    (or its date) comes with it."""
    if f.state == "clos":
        return []
    booking, following = _entretien_booking(f, today), _next(f, today)
    if booking and following and following[0].label == TAKE_APPOINTMENT:
        return booking  # « Réservez votre entretien » (or its date) says it, with the page to do it
    return booking + following


def _next(f: DossierFacts, today: datetime.date) -> list[NextAction]:
    p = f.passage
    if f.state == "complement" and (p is None or p.fiche_state == "signee"):
        return _complement(f, today)
    if f.state == "decide" or (p is not None and p.fiche_state == "signee"):
        outcome = f" ({p.fiche_outcome_label.lower()})" if p and p.fiche_outcome_label else ""
        decided = NextAction(
            label=f"Consulter la décision {'de la commission paritaire' if p and p.commission else 'du jury'}{outcome}",
            url=reverse("jury:my_jury"),
            button="Voir la décision",
            subject=f"Dossier {f.number}",
            due=p.fiche_signed_on if p else None,
            due_label="rendue le",
        )
        return [decided]
    if f.entretien_state == "valide_interviewer":
        return _action(
            f,
            today,
            "Relire et valider votre entretien d'accueil et d'orientation",
            reverse("candidates:entretien", args=[f.number]),
            "Mon entretien",
        )
    if p is not None and not p.fiche_state and p.session_state != "close" and p.date >= today:
        return _before_jury(f, today)
    return _vae(f, today) if f.is_vae else _formation(f, today)
