"""States, choices and transition tables of the VAE: the livret 1 (demande de recevabilité, cerfa 12818*02) and its
pieces, the livret 2 (dossier VAE), the convention d'accompagnement. The tables are checked by
``cqp.transitions.check_transition`` in ``vae/workflow/`` and read by the predicates through ``allows``."""

from django.db import models

from cqp.transitions import Transition


class Livret1State(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    SOUMIS = "soumis", "Soumis, en cours d'instruction"
    INCOMPLET = "incomplet", "Incomplet : à compléter"
    RECEVABLE = "recevable", "Recevable"
    NON_RECEVABLE = "non_recevable", "Non recevable"


# The candidate may edit the livret in these states (OEMM never edits it).
EDITABLE_STATES = [Livret1State.BROUILLON, Livret1State.INCOMPLET]
AWAITING_DECISION_STATES = [Livret1State.SOUMIS]

NO_DECISION_TO_TAKE = "Aucune décision à prendre : le livret 1 est « {state} »."

# Allowed transitions of a livret 1, written once (name -> from states, to state; None: the state is kept).
TRANSITIONS = {
    "submit": Transition(EDITABLE_STATES, Livret1State.SOUMIS),
    "declare_recevable": Transition(AWAITING_DECISION_STATES, Livret1State.RECEVABLE, refusal=NO_DECISION_TO_TAKE),
    "declare_non_recevable": Transition(
        AWAITING_DECISION_STATES, Livret1State.NON_RECEVABLE, refusal=NO_DECISION_TO_TAKE
    ),
    "request_completion": Transition(AWAITING_DECISION_STATES, Livret1State.INCOMPLET, refusal=NO_DECISION_TO_TAKE),
    "tacit_acceptance": Transition(AWAITING_DECISION_STATES, Livret1State.RECEVABLE),
    "save_draft": Transition(EDITABLE_STATES, None, refusal="Le livret 1 n'est plus modifiable : il est « {state} »."),
    "add_piece": Transition(
        EDITABLE_STATES,
        None,
        refusal="Les pièces ne peuvent plus être modifiées : le livret 1 n'est plus un brouillon.",
    ),
    "delete_piece": Transition(
        EDITABLE_STATES,
        None,
        refusal="Les pièces ne peuvent plus être supprimées : le livret 1 a été envoyé.",
    ),
    "give_verdict": Transition(
        AWAITING_DECISION_STATES,
        None,
        refusal="Les pièces ne s'examinent que pendant l'instruction : le livret 1 est « {state} ».",
    ),
    "replace_piece": Transition(
        AWAITING_DECISION_STATES,
        None,
        refusal="Cette pièce ne peut plus être remplacée : le livret 1 est « {state} ».",
    ),
}


class DemandNature(models.TextChoices):
    PREMIERE = "premiere", "Première demande"
    RENOUVELLEMENT = "renouvellement", "Renouvellement"
    PROROGATION = "prorogation", "Prorogation"


class Sex(models.TextChoices):
    FEMME = "F", "Femme"
    HOMME = "M", "Homme"


class Situation(models.TextChoices):
    SALARIE = "salarie", "En emploi salarié"
    NON_SALARIE = "non_salarie", "En emploi non salarié"
    DEMANDEUR_EMPLOI = "demandeur_emploi", "Demandeur d'emploi"
    BENEVOLE = "benevole", "Bénévole"
    AUTRE = "autre", "Autre situation (à préciser)"


class ExperienceStatus(models.TextChoices):
    # The values "formation" and "stage" are excluded by candidates.experience (Décret 2002-615, art. 2).
    SALARIE = "salarie", "Salarié"
    NON_SALARIE = "non_salarie", "Non salarié"
    BENEVOLE = "benevole", "Bénévole"
    SYNDICAL = "syndical", "Activité syndicale"
    VOLONTARIAT = "volontariat", "Volontariat"
    FORMATION = "formation", "Formation ou stage (non comptée dans la durée)"


class PieceKind(models.TextChoices):
    IDENTITE = "identite", "Pièce d'identité"
    ATTESTATION_EMPLOYEUR = "attestation_employeur", "Attestation employeur"
    BULLETIN_SALAIRE = "bulletin_salaire", "Bulletin de salaire"
    ATTESTATION_BENEVOLE = "attestation_benevole", "Attestation d'activité bénévole"
    CV = "cv", "Curriculum vitae"
    PREUVE = "preuve", "Élément de preuve (courrier, courriel, livrable, photo...)"
    ATTESTATION_DETAILLEE = "attestation_detaillee", "Attestation détaillée d'un employeur ou d'un responsable"
    FICHE_POSTE = "fiche_poste", "Fiche de poste"
    AUTRE = "autre", "Autre pièce"


# Pieces that prove an experience (one at least is asked for).
PROOF_KINDS = [PieceKind.ATTESTATION_EMPLOYEUR, PieceKind.BULLETIN_SALAIRE, PieceKind.ATTESTATION_BENEVOLE]


class PieceVerdict(models.TextChoices):
    """The OEMM's verdict on one piece of a livret 1 being instructed (empty: not yet examined)."""

    ACCEPTEE = "acceptee", "Acceptée"
    ILLISIBLE = "illisible", "Illisible, à remplacer"
    NE_CORRESPOND_PAS = "ne_correspond_pas", "Ne correspond pas, à remplacer"


# Verdicts that reopen the piece's slot for the candidate (a reason is required).
TO_REPLACE = [PieceVerdict.ILLISIBLE, PieceVerdict.NE_CORRESPOND_PAS]


class PieceSection(models.TextChoices):
    LIVRET1 = "livret1", "Livret 1"
    LIVRET2 = "livret2", "Livret 2"


class Decision(models.TextChoices):
    RECEVABLE = "recevable", "Recevable"
    NON_RECEVABLE = "non_recevable", "Non recevable"
    INCOMPLET = "incomplet", "Incomplet : retour au candidat"


# Sections of the livret 1, in the order of cerfa 12818*02 (key -> title).
SECTIONS = {
    "nature": "1. Nature de la demande",
    "certification": "2. Certification visée",
    "etat_civil": "3. État civil",
    "situation": "4. Situation actuelle",
    "formation": "5. Niveau de formation et certifications obtenues",
    "experiences": "6. Expériences en rapport direct avec le CQP",
    "declaration": "7. Déclaration sur l'honneur",
    "pieces": "8. Pièces justificatives",
}


# ---------------------------------------------------------------- livret 2 (dossier VAE)


class Livret2State(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    SOUMIS = "soumis", "Envoyé, en attente de réception par l'OEMM"
    RECU = "recu", "Reçu par l'OEMM"


LIVRET2_EDITABLE_STATES = [Livret2State.BROUILLON]
LIVRET2_SUBMITTED_STATES = [Livret2State.SOUMIS, Livret2State.RECU]

# Allowed transitions of a livret 2, written once (name -> from states, to state; None: the state is kept).
LIVRET2_TRANSITIONS = {
    "submit": Transition(LIVRET2_EDITABLE_STATES, Livret2State.SOUMIS),
    "acknowledge": Transition(
        [Livret2State.SOUMIS],
        Livret2State.RECU,
        refusal="Aucune réception à enregistrer : le livret 2 est « {state} ».",
    ),
    "reopen_for_units": Transition(
        [Livret2State.RECU],
        Livret2State.BROUILLON,
        refusal="Le livret 2 ne peut pas être rouvert : il est « {state} ».",
    ),
    "save_draft": Transition(
        LIVRET2_EDITABLE_STATES, None, refusal="Le livret 2 n'est plus modifiable : le livret 2 est « {state} »."
    ),
    "add_piece": Transition(
        LIVRET2_EDITABLE_STATES,
        None,
        refusal="Les pièces ne peuvent plus être modifiées : le livret 2 est « {state} ».",
    ),
    "delete_piece": Transition(
        LIVRET2_EDITABLE_STATES,
        None,
        refusal="Les pièces ne peuvent plus être supprimées : le livret 2 est « {state} ».",
    ),
}

# Kinds offered for the evidence of the livret 2 (seed 000 L142-148, seed 004 L75 and L101).
LIVRET2_PIECE_KINDS = [
    PieceKind.PREUVE,
    PieceKind.CV,
    PieceKind.ATTESTATION_DETAILLEE,
    PieceKind.FICHE_POSTE,
    PieceKind.ATTESTATION_EMPLOYEUR,
    PieceKind.AUTRE,
]


# ---------------------------------------------------------------- accompagnement VAE


class ConventionState(models.TextChoices):
    PROPOSEE = "proposee", "Proposée, en attente d'acceptation"
    ACCEPTEE = "acceptee", "Acceptée par le candidat et l'organisme"
    ANNULEE = "annulee", "Annulée"


CONVENTION_OPEN_STATES = [ConventionState.PROPOSEE, ConventionState.ACCEPTEE]

# Allowed transitions of a convention d'accompagnement, written once. The candidate's request creates it « proposée »;
# each party accepts it (``accept``), and the second acceptance moves it to « acceptée ».
CONVENTION_TRANSITIONS = {
    "set_terms": Transition([ConventionState.PROPOSEE], None),
    "accept": Transition([ConventionState.PROPOSEE], ConventionState.ACCEPTEE),
    "cancel": Transition([ConventionState.PROPOSEE], ConventionState.ANNULEE),
    "comment": Transition(
        [ConventionState.ACCEPTEE],
        None,
        refusal="Les commentaires sont possibles une fois la convention acceptée par les deux parties.",
    ),
}


class AccompagnementNature(models.TextChoices):
    TELEPHONE = "telephone", "Accompagnement téléphonique"
    FACE_A_FACE = "face_a_face", "Entretiens en face à face"
    MIXTE = "mixte", "Mixte (téléphone et face à face)"


class CommentTarget(models.TextChoices):
    LIVRET1 = "livret1", "Livret 1"
    LIVRET2 = "livret2", "Livret 2"
