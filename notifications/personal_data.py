"""Notifications name the candidate their dossier is about (« Livret 1 reçu de … »): exported with the candidate's
data (without who was told) and erased by the anonymisation (cqp/personal_data_registry.py)."""

from cqp.personal_data_registry import PersonalData, exported, register_person_export, register_personal_data

from .models import Notification

ANONYMISED_MESSAGE = "Notification anonymisée"

NON_PERSONAL = [
    ("Notification", ["key", "email_key"], "clés techniques de l'événement et de l'e-mail (« livret1:12:… »)"),
]

register_personal_data(
    PersonalData(
        Notification,
        "dossier__candidate",
        export=["kind", "message", "created_at"],
        erase={"message": ANONYMISED_MESSAGE, "url": ""},
    )
)


def staff_notifications(user) -> list[dict]:
    """What the staff were told about the person's dossiers (who was told is not said)."""
    rows = Notification.objects.filter(dossier__candidate=user).order_by("created_at", "pk")
    return [exported(n) for n in rows.only("kind", "message", "created_at")]


register_person_export("staff_notifications", staff_notifications)
