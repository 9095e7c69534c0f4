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


class DirectEvaluation(models.TextChoices):
    """When the entretien may orient a unit to « évaluation directe » (sans formation), rules.md contradiction 12."""

    WHOLE_UNIT_ACQUIRED = "whole_unit_acquired", "Toutes les compétences de l'unité acquises (note la plus haute)"
    UNIT_ACQUIRED = "unit_acquired", "Unité correspondant aux acquis (aucune compétence au plus bas de l'échelle)"
    NOT_ALLOWED = "not_allowed", "Pas d'évaluation directe"


class CriterionKind(models.TextChoices):
    REFERENTIEL = "referentiel", "Critère d'évaluation du référentiel"
    FORMATIVE = "formative", "Évaluation formative"
    INTERMEDIATE = "intermediate", "Grille intermédiaire du tuteur"
    FINAL = "final", "Évaluation finale en entreprise"
