"""The candidate's personal data held by the core (account, roles, reminders, deletion requests), registered for the
export and the anonymisation (cqp/personal_data_registry.py, read by pilotage/personal_data/)."""

from .models import DeletionRequest, Reminder, User, UserRole
from .personal_data_registry import PersonalData, register_personal_data

ANONYMOUS_NAME = "Anonyme"


def anonymous_email(user_id: int) -> str:
    return f"anonyme-{user_id}@invalid"


# Text fields holding no personal data of a candidate (tests/test_personal_data_registry.py).
NON_PERSONAL = [
    ("User", ["password"], "empreinte du mot de passe, jamais exportée ; rendue inutilisable à l'anonymisation"),
    (
        "OrganismeFormation",
        ["name", "siret", "address", "contact_name", "contact_email", "contact_phone"],
        "organisme de formation et son contact professionnel, pas un candidat",
    ),
    ("Entreprise", ["name", "siret", "address"], "entreprise, pas un candidat"),
    ("Reminder", ["subject_key"], "clé technique de l'objet rappelé (« dossier:12 »)"),
    (
        "OutboundEmail",
        ["key", "to", "from_email", "subject", "text_body", "html_body", "attachments", "last_error"],
        "copie technique d'un e-mail déjà adressé à la personne (sa boîte en a l'original) : supprimée "
        "OUTBOX_RETENTION_DAYS jours après l'envoi par le traitement quotidien",
    ),
]

for entry in [
    # The account: erased on the locked row and saved (one history row), email replaced by a unique neutral address.
    PersonalData(
        User,
        "pk",
        export=["email", "first_name", "last_name", "phone", "date_joined", "last_login", "email_confirmed_at"],
        erase={"first_name": ANONYMOUS_NAME, "last_name": ANONYMOUS_NAME, "phone": "", "email": anonymous_email},
    ),
    PersonalData(
        UserRole,
        "user",
        export=["role", "entreprise_function", "college", "union_name", "created_at"],
        kept={"union_name": "organisation d'un membre de jury : un compte qui a ce rôle n'est jamais anonymisé"},
    ),
    PersonalData(
        Reminder,
        "recipient",
        export=["kind", "subject_label", "threshold", "due_date", "created_at", "sent_at"],
        erase={"subject_label": "", "url": ""},
        kept={"threshold": "code du seuil (« 6m », « 14d »)"},
    ),
    PersonalData(
        DeletionRequest,
        "candidate",
        export=["state", "reason", "requested_at", "treated_at", "answer"],
        erase={"reason": ""},
        kept={"answer": "réponse de l'OEMM, trace du traitement de la demande"},
    ),
]:
    register_personal_data(entry)
