from django.db import models


class Role(models.TextChoices):
    CANDIDAT = "candidat", "Candidat"
    ORGANISME = "organisme", "Organisme de formation"
    ENTREPRISE = "entreprise", "Entreprise"
    OEMM = "oemm", "OEMM"
    JURY = "jury", "Membre de jury"
    ADMIN = "admin", "Administrateur"


# Roles whose accounts OEMM creates by invitation (candidates sign up themselves).
INVITED_ROLES = [Role.ORGANISME, Role.ENTREPRISE, Role.OEMM, Role.JURY, Role.ADMIN]


class College(models.TextChoices):
    EMPLOYEUR = "employeur", "Collège employeur (UGEM)"
    SALARIE = "salarie", "Collège salarié"


class EntrepriseFunction(models.TextChoices):
    RH = "rh", "Responsable RH"
    TUTEUR = "tuteur", "Tuteur"
    EVALUATEUR = "evaluateur", "Évaluateur"
    MANAGER = "manager", "Responsable hiérarchique"
