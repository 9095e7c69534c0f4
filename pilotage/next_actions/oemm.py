"""The OEMM's next actions: on its dashboard, the cockpit's work queues that are not empty (pilotage/cockpit, not
rebuilt here); on a dossier page, what the OEMM must do on that dossier. Table-tested."""

import datetime

from django.urls import reverse

from .facts import DossierFacts, NextAction


def queue_actions(rows, today: datetime.date) -> list[NextAction]:
    """``rows``: (queue, summary) of the registered work queues; one action per queue that holds something."""
    actions = []
    for queue, summary in rows:
        if not summary.count:
            continue
        actions.append(
            NextAction(
                label=f"{queue.label} : {summary.count}"
                + (f", dont {summary.overdue} en retard" if summary.overdue else ""),
                url=queue.url(),
                button=queue.action or "Ouvrir la file",
                subject=queue.group,
                due=summary.deadline,
                due_label="échéance la plus proche le",
                overdue=bool(summary.overdue),
            )
        )
    return actions


def dossier_oemm_actions(f: DossierFacts, today: datetime.date) -> list[NextAction]:
    subject = f"Dossier {f.number} — {f.candidate_name}"

    def act(label, url, button, due=None, due_label="avant le"):
        return [NextAction(label, url, button, subject, due, due_label, due is not None and due < today)]

    if f.state in ("decide", "clos"):
        return []
    if f.first_jury_deadline < today:
        return act(
            "Délai de première présentation au jury dépassé : clore le dossier ou prolonger le délai",
            reverse("candidates:extend", args=[f.number]),
            "Prolonger le délai",
            f.first_jury_deadline,
            "dépassé depuis le",
        )
    if f.livret1_state == "soumis":
        return act(
            "Instruire la demande de recevabilité (livret 1)",
            reverse("vae:livret1_decide", args=[f.number]),
            "Instruire la demande",
            f.livret1_instruction_deadline,
        )
    if f.livret2_state == "soumis":
        return act(
            "Enregistrer la réception du livret 2",
            reverse("vae:livret2", args=[f.number]),
            "Livret 2",
            f.livret_due(),
        )
    if f.path == "formation" and f.state == "oriente" and f.livret_evaluation_transmitted_on:
        return act(
            "Déclarer le dossier prêt pour le jury (livret d'évaluation finale transmis)",
            reverse("candidates:dossier", args=[f.number]) + "#voie-formative",
            "Voir la voie formative",
        )
    placed = f.passage is not None and f.passage.session_state != "close"
    if f.state == "pret_jury" and not placed:
        return act(
            "Placer le dossier dans une session de la commission paritaire"
            if f.to_commission
            else "Placer le dossier dans une session de jury",
            reverse("jury:list"),
            "Sessions de jury",
            f.first_jury_deadline,
            "premier jury au plus tard le",
        )
    return []
