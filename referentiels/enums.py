from django.db import models


class CertifierCode(models.TextChoices):
    """The codes of the two certifiers of fixtures/certifiers.yaml (the certifiers themselves are data)."""

    CPNEFP_MUTUALITE = "cpnefp_mutualite", "CPNEFP Mutualité"
    UCANSS = "ucanss", "Ucanss"


class UnitKind(models.TextChoices):
    BLOC = "bloc", "Bloc de compétences"
    DOMAINE = "domaine", "Domaine de compétences"
    ACTIVITE = "activite", "Activité"


class EntretienScale(models.TextChoices):
    OUI_NON_PARTIELLEMENT = "oui_non_partiellement", "Oui / Non / Partiellement"
    PAS_DU_TOUT_EN_TOTALITE = "pas_du_tout_partiellement_en_totalite", "Pas du tout / Partiellement / En totalité"


class CriterionKind(models.TextChoices):
    REFERENTIEL = "referentiel", "Critère d'évaluation du référentiel"
    FORMATIVE = "formative", "Évaluation formative"
    INTERMEDIATE = "intermediate", "Grille intermédiaire du tuteur"
    FINAL = "final", "Évaluation finale en entreprise"
