from django.db import models


class Path(models.TextChoices):
    VAE = "vae", "VAE (validation des acquis de l'expérience)"
    FORMATION = "formation", "Voie formative (parcours de formation individualisé)"


class DossierState(models.TextChoices):
    INSCRIT = "inscrit", "Inscrit"
    ORIENTE = "oriente", "Entretien d'accueil validé"
    RECEVABLE = "recevable", "Recevable"
    PRET_JURY = "pret_jury", "Prêt pour le jury"
    DECIDE = "decide", "Décision du jury rendue"
    CLOS = "clos", "Clos"


OPEN_STATES = [DossierState.INSCRIT, DossierState.ORIENTE, DossierState.RECEVABLE, DossierState.PRET_JURY]
CLOSED_STATES = [DossierState.DECIDE, DossierState.CLOS]

# Allowed transitions, written once (from -> to).
TRANSITIONS = {
    "orient": ([DossierState.INSCRIT], DossierState.ORIENTE),
    "declare_recevable": ([DossierState.INSCRIT, DossierState.ORIENTE], DossierState.RECEVABLE),
    "mark_ready_for_jury": ([DossierState.ORIENTE, DossierState.RECEVABLE], DossierState.PRET_JURY),
    "record_decision": ([DossierState.PRET_JURY], DossierState.DECIDE),
    "close": (OPEN_STATES, DossierState.CLOS),
}

MAX_VAE_DEMANDS_PER_YEAR = 3  # déclaration sur l'honneur, seed 000 L28
