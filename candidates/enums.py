"""States, choices and transition tables of the candidates app: the dossier, the entretien d'accueil et
d'orientation and the voie formative (livret de suivi, tutorat, livret d'évaluation finale en entreprise).

Every table is checked by ``cqp.transitions.check_transition`` in ``candidates/workflow/`` and read by the predicates
and templates through ``allows``. A ``Transition`` with target ``None`` keeps the state: it says from which states an
action on the object (or on what belongs to it) is allowed.
"""

from django.db import models

from cqp.transitions import Transition
from referentiels.enums import EntretienScale

# ---------------------------------------------------------------- the dossier


class Path(models.TextChoices):
    VAE = "vae", "VAE (validation des acquis de l'expérience)"
    FORMATION = "formation", "Voie formative (parcours de formation individualisé)"


class DossierState(models.TextChoices):
    INSCRIT = "inscrit", "Inscrit"
    ORIENTE = "oriente", "Entretien d'accueil validé"
    RECEVABLE = "recevable", "Recevable"
    PRET_JURY = "pret_jury", "Prêt pour le jury"
    DECIDE = "decide", "Décision du jury rendue"
    COMPLEMENT = "complement", "Validation partielle : unités manquantes à présenter"
    CLOS = "clos", "Clos"


OPEN_STATES = [
    DossierState.INSCRIT,
    DossierState.ORIENTE,
    DossierState.RECEVABLE,
    DossierState.PRET_JURY,
    DossierState.COMPLEMENT,
]
CLOSED_STATES = [DossierState.DECIDE, DossierState.CLOS]
# Open dossiers still waiting for a first jury (the 3-year window applies to them only).
AWAITING_FIRST_JURY_STATES = [
    DossierState.INSCRIT,
    DossierState.ORIENTE,
    DossierState.RECEVABLE,
    DossierState.PRET_JURY,
]

# Allowed transitions of a dossier, written once (name -> from, to).
TRANSITIONS = {
    "orient": Transition([DossierState.INSCRIT], DossierState.ORIENTE),
    "declare_recevable": Transition([DossierState.INSCRIT, DossierState.ORIENTE], DossierState.RECEVABLE),
    "mark_ready_for_jury": Transition(
        [DossierState.ORIENTE, DossierState.RECEVABLE, DossierState.COMPLEMENT], DossierState.PRET_JURY
    ),
    "record_decision": Transition([DossierState.PRET_JURY], DossierState.DECIDE),
    # After a validation partielle, OEMM presents the same dossier again for its missing units (jury/partial.py).
    "present_missing_units": Transition(
        [DossierState.DECIDE],
        DossierState.COMPLEMENT,
        refusal="Le dossier ne peut pas être représenté au jury : il est « {state} ».",
    ),
    "close": Transition(OPEN_STATES, DossierState.CLOS),
    # What the dossier's state allows on the dossier and on what belongs to it (the state does not change).
    "extend_first_jury": Transition(OPEN_STATES, None),
    "work_on_livrets": Transition(OPEN_STATES, None),  # livrets 1 and 2 of the VAE
    "start_livret1": Transition([DossierState.INSCRIT, DossierState.ORIENTE], None),
    "conduct_entretien": Transition(
        [DossierState.INSCRIT],
        None,
        refusal="L'entretien d'accueil ne peut plus être saisi : le dossier est « {state} ».",
    ),
    "designate_formation_actors": Transition(
        [DossierState.INSCRIT, DossierState.ORIENTE],
        None,
        refusal="Les désignations ne sont plus modifiables : le dossier est « {state} ».",
    ),
    "work_on_formation": Transition(
        [DossierState.ORIENTE, DossierState.COMPLEMENT],
        None,
        refusal={
            DossierState.INSCRIT: "L'entretien d'accueil et d'orientation doit d'abord être validé : "
            "le suivi de la formation commence ensuite.",
            None: "Le suivi de la formation n'est plus modifiable : le dossier est « {state} ».",
        },
    ),
    "transmit_livret_evaluation": Transition(
        [DossierState.ORIENTE, DossierState.COMPLEMENT],
        None,
        refusal="Transmission impossible : le dossier est « {state} ».",
    ),
}

MAX_VAE_DEMANDS_PER_YEAR = 3  # déclaration sur l'honneur, seed 000 L28


# ---------------------------------------------------------------- entretien d'accueil et d'orientation


class EntretienState(models.TextChoices):
    EN_COURS = "en_cours", "En cours de saisie"
    VALIDE_INTERVIEWER = "valide_interviewer", "Validé par l'intervieweur, en attente du candidat"
    VALIDE = "valide", "Validé par l'intervieweur et le candidat"


ENTRETIEN_EDITABLE_STATES = [EntretienState.EN_COURS]

# Allowed transitions of an entretien, written once. The first save creates it « en cours ».
ENTRETIEN_TRANSITIONS = {
    "save_entretien": Transition(
        ENTRETIEN_EDITABLE_STATES,
        None,
        refusal={
            EntretienState.VALIDE: "L'entretien est validé par l'intervieweur et le candidat : il n'est plus "
            "modifiable.",
            EntretienState.VALIDE_INTERVIEWER: "L'entretien a été validé par l'intervieweur : il n'est plus "
            "modifiable. "
            "Rouvrez-le (tant que le candidat ne l'a pas validé) pour le corriger.",
        },
    ),
    "validate_as_interviewer": Transition(
        [EntretienState.EN_COURS],
        EntretienState.VALIDE_INTERVIEWER,
        refusal="L'entretien n'est pas à valider : il est « {state} ».",
    ),
    "reopen": Transition(
        [EntretienState.VALIDE_INTERVIEWER],
        EntretienState.EN_COURS,
        refusal={
            EntretienState.VALIDE: "Le candidat a validé l'entretien : il ne peut plus être rouvert.",
        },
    ),
    "validate_as_candidate": Transition(
        [EntretienState.VALIDE_INTERVIEWER],
        EntretienState.VALIDE,
        refusal={
            EntretienState.EN_COURS: "L'entretien n'est pas à valider : il est « {state} » "
            "(l'intervieweur ne l'a pas encore validé).",
            None: "L'entretien n'est pas à valider : il est « {state} ».",
        },
    ),
}


# ---------------------------------------------------------------- créneaux of the entretien (issue 21)


class SlotState(models.TextChoices):
    LIBRE = "libre", "Libre"
    RESERVE = "reserve", "Réservé"
    ANNULE = "annule", "Annulé"


# A slot is published « libre »; a candidate books it; the centre moves it (any state but annulé, the state kept) or
# cancels it (for good); the candidate cancels their own booking before the slot (the slot is « libre » again).
SLOT_TRANSITIONS = {
    "book": Transition(
        [SlotState.LIBRE],
        SlotState.RESERVE,
        refusal={
            SlotState.RESERVE: "Ce créneau vient d'être réservé par un autre candidat : choisissez-en un autre.",
            SlotState.ANNULE: "Ce créneau a été annulé par l'organisme : choisissez-en un autre.",
        },
    ),
    "move": Transition(
        [SlotState.LIBRE, SlotState.RESERVE], None, refusal="Un créneau annulé ne peut plus être déplacé."
    ),
    "cancel": Transition([SlotState.LIBRE, SlotState.RESERVE], SlotState.ANNULE, refusal="Ce créneau est déjà annulé."),
    "cancel_booking": Transition(
        [SlotState.RESERVE], SlotState.LIBRE, refusal="Vous n'avez pas de réservation sur ce créneau."
    ),
}


class UnitOrientation(models.TextChoices):
    VAE = "vae", "VAE"
    EVALUATION_DIRECTE = "evaluation_directe", "Évaluation directe (sans formation)"
    FORMATION = "formation", "Formation"


class ExperienceStatus(models.TextChoices):
    SALARIE = "salarie", "Salarié"
    NON_SALARIE = "non_salarie", "Non salarié"
    BENEVOLE = "benevole", "Bénévole"
    FORMATION = "formation", "Formation (non comptée)"
    STAGE = "stage", "Stage (non compté)"


# The assessment scale of each guide d'entretien (rules.md §16).
SCALE_CHOICES = {
    EntretienScale.OUI_NON_PARTIELLEMENT: [("oui", "Oui"), ("partiellement", "Partiellement"), ("non", "Non")],
    EntretienScale.PAS_DU_TOUT_EN_TOTALITE: [
        ("pas_du_tout", "Pas du tout"),
        ("partiellement", "Partiellement"),
        ("en_totalite", "En totalité"),
    ],
}
PREREQUISITE_CHOICES = [("oui", "Oui"), ("non", "Non")]


def scale_choices(scale: str) -> list[tuple[str, str]]:
    return SCALE_CHOICES[scale]


# ---------------------------------------------------------------- voie formative


class LivretEvaluationState(models.TextChoices):
    EN_COURS = "en_cours", "En cours"
    TRANSMIS = "transmis", "Transmis à l'OEMM"


LIVRET_EVALUATION_EDITABLE_STATES = [LivretEvaluationState.EN_COURS]

# Allowed transitions of a livret d'évaluation finale, written once. A dossier without one counts as « en cours »:
# the first save creates it. Until it is transmitted, the whole voie formative of the dossier may be written.
LIVRET_EVALUATION_TRANSITIONS = {
    # After a validation partielle: a new evaluation of the missing units (the others stay as the jury read them).
    "reopen_for_units": Transition(
        [LivretEvaluationState.TRANSMIS],
        LivretEvaluationState.EN_COURS,
        refusal="Le livret d'évaluation finale ne peut pas être rouvert : il est « {state} ».",
    ),
    "transmit_livret_evaluation": Transition(
        LIVRET_EVALUATION_EDITABLE_STATES,
        LivretEvaluationState.TRANSMIS,
        refusal="Transmission impossible : le livret est « {state} ».",
    ),
    "work_on_formation": Transition(
        LIVRET_EVALUATION_EDITABLE_STATES,
        None,
        refusal="Le livret d'évaluation finale a été transmis à l'OEMM : le suivi de la formation n'est plus "
        "modifiable.",
    ),
    "designate_formation_actors": Transition(
        LIVRET_EVALUATION_EDITABLE_STATES,
        None,
        refusal="Le livret d'évaluation finale a été transmis : les désignations ne sont plus modifiables.",
    ),
    "mark_ready_for_jury": Transition(
        [LivretEvaluationState.TRANSMIS],
        None,
        refusal="L'entreprise n'a pas encore transmis le livret d'évaluation finale : le dossier ne peut pas être "
        "déclaré prêt pour le jury.",
    ),
}


# Scales of the grids (rules.md §16).
class FormativeRating(models.TextChoices):
    A_AMELIORER = "a_ameliorer", "À améliorer"
    ACQUIS = "acquis", "Acquis"


class FormativeResult(models.TextChoices):
    NON_ATTEINT = "non_atteint", "Objectif non atteint"
    ATTEINT = "atteint", "Objectif atteint"
    EN_PROGRESSION = "en_progression", "En progression / à améliorer"


class IntermediateRatingChoice(models.TextChoices):
    ACQUIS = "acquis", "Acquis"
    NON_ACQUIS = "non_acquis", "Non acquis"
    A_AMELIORER = "a_ameliorer", "À améliorer"


class FinalAnswer(models.TextChoices):
    OUI = "oui", "OUI"
    NON = "non", "NON"


class Mastery(models.TextChoices):
    MAITRISE = "maitrise", "Le domaine est maîtrisé"
    NON_TOTALEMENT = "non_totalement", "Le domaine n'est pas totalement maîtrisé"


class EvaluatorSlot(models.IntegerChoices):
    EVALUATEUR_1 = 1, "Évaluateur 1 (responsable hiérarchique)"
    EVALUATEUR_2 = 2, "Évaluateur 2"


# The evaluators' sworn statement on the cover of the livret (seed 001 L3093-3106).
SWORN_STATEMENT = "Déclare conformes et sincères les renseignements apportés dans ce dossier."
