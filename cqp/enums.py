from django.db import models

from .transitions import Transition


class Role(models.TextChoices):
    CANDIDAT = "candidat", "Candidat"
    ORGANISME = "organisme", "Organisme de formation"
    ENTREPRISE = "entreprise", "Entreprise"
    OEMM = "oemm", "Équipe du certificateur (OEMM, Ucanss)"
    JURY = "jury", "Membre de jury"
    ADMIN = "admin", "Administrateur"


# Roles whose accounts OEMM creates by invitation (candidates sign up themselves).
INVITED_ROLES = [Role.ORGANISME, Role.ENTREPRISE, Role.OEMM, Role.JURY, Role.ADMIN]


class College(models.TextChoices):
    EMPLOYEUR = "employeur", "Collège employeur"
    SALARIE = "salarie", "Collège salarié"


class EntrepriseFunction(models.TextChoices):
    RH = "rh", "Responsable RH"
    TUTEUR = "tuteur", "Tuteur"
    EVALUATEUR = "evaluateur", "Évaluateur"
    MANAGER = "manager", "Responsable hiérarchique"


class ReminderKind(models.TextChoices):
    FIRST_JURY = "first_jury", "Première présentation au jury"
    INSTRUCTION = "instruction", "Instruction de la recevabilité"
    RECEVABILITE_VALIDITY = "recevabilite_validity", "Fin de validité de la recevabilité"
    LIVRET2_DUE = "livret2_due", "Remise du livret 2"
    UNIT_VALIDITY = "unit_validity", "Fin de validité d'unités acquises"
    AGREMENT = "agrement", "Fin d'agrément d'un organisme de formation"
    HOLDER_TRANSMISSION = "holder_transmission", "Transmission d'un titulaire à la Caisse des Dépôts"
    ENTRETIEN_SLOT = "entretien_slot", "Entretien d'accueil réservé (la veille)"


class NotificationKind(models.TextChoices):
    """What staff are told about in the app and by e-mail (notifications/, published through cqp/staff_events.py)."""

    LIVRET1_RECEIVED = "livret1_received", "Livret 1 reçu"
    LIVRET2_RECEIVED = "livret2_received", "Livret 2 reçu"
    LIVRET_EVALUATION_RECEIVED = "livret_evaluation_received", "Livret d'évaluation finale reçu"
    DEADLINE_MISSED = "deadline_missed", "Échéance dépassée"
    CENTRE_CHOSEN = "centre_chosen", "Organisme choisi par un candidat"
    ACCOMPAGNEMENT_REQUESTED = "accompagnement_requested", "Accompagnement VAE demandé"
    JURY_APPOINTED = "jury_appointed", "Nomination dans un jury"
    SESSION_DOSSIERS_READY = "session_dossiers_ready", "Dossiers de la session à lire"
    FICHE_TO_SIGN = "fiche_to_sign", "Fiche de décision à signer"
    PIECE_TO_REPLACE = "piece_to_replace", "Pièce du livret 1 à remplacer"
    PIECE_REPLACED = "piece_replaced", "Pièce du livret 1 remplacée"
    MESSAGE_RECEIVED = "message_received", "Nouveau message sur un dossier"
    ENTRETIEN_BOOKED = "entretien_booked", "Entretien d'accueil réservé ou annulé par un candidat"
    COMMISSION_SCHEDULED = "commission_scheduled", "Date de la commission paritaire"
    JURY_MEMBER_REMOVED = "jury_member_removed", "Retrait d'un jury"
    JURY_SESSION_MOVED = "jury_session_moved", "Session de jury déplacée"
    SESSION_PLACE_WITHDRAWN = "session_place_withdrawn", "Convocation ou commission annulée"


class DeletionRequestState(models.TextChoices):
    DEMANDEE = "demandee", "Demandée"
    TRAITEE = "traitee", "Traitée (données anonymisées)"
    REFUSEE = "refusee", "Refusée"


DELETION_OPEN_STATES = [DeletionRequestState.DEMANDEE]

# The deletion request's transitions (cqp/transitions.py), applied by pilotage/workflow.py.
DELETION_TRANSITIONS = {
    "accept": Transition(
        [DeletionRequestState.DEMANDEE],
        DeletionRequestState.TRAITEE,
        refusal="Cette demande est déjà « {state} » : elle ne peut plus être traitée.",
    ),
    "refuse": Transition(
        [DeletionRequestState.DEMANDEE],
        DeletionRequestState.REFUSEE,
        refusal="Cette demande est déjà « {state} » : elle ne peut plus être traitée.",
    ),
    # Anonymisation (retention, or the OEMM's retention page) fulfils a request left pending.
    "fulfil": Transition(
        [DeletionRequestState.DEMANDEE],
        DeletionRequestState.TRAITEE,
        refusal="Cette demande est déjà « {state} » : elle ne peut plus être traitée.",
    ),
}


class OutboundEmailState(models.TextChoices):
    """An e-mail of the outbox (cqp/outbox.py)."""

    EN_ATTENTE = "en_attente", "En attente"
    ENVOYE = "envoye", "Envoyé"
    EN_ECHEC = "en_echec", "En échec"


# The outbox's transitions (cqp/outbox.py): an attempt that fails keeps the e-mail pending (a retry is planned) until
# the last one, which marks it failed; the OEMM may send a failed e-mail again (« Renvoyer »).
OUTBOUND_EMAIL_TRANSITIONS = {
    "send": Transition([OutboundEmailState.EN_ATTENTE], OutboundEmailState.ENVOYE),
    "retry_later": Transition([OutboundEmailState.EN_ATTENTE], None),
    "give_up": Transition([OutboundEmailState.EN_ATTENTE], OutboundEmailState.EN_ECHEC),
    "resend": Transition(
        [OutboundEmailState.EN_ECHEC, OutboundEmailState.EN_ATTENTE],
        OutboundEmailState.EN_ATTENTE,
        refusal="Cet e-mail est déjà « {state} » : il n'est pas renvoyé.",
    ),
}
