"""The messages of a dossier's thread: exported with the candidate's data (texts and attachments) and erased by the
anonymisation, attachments deleted (cqp/personal_data_registry.py)."""

from cqp.personal_data_registry import (
    CLEAR,
    ExportFile,
    PersonalData,
    exported,
    register_dossier_export,
    register_personal_data,
)
from vae.personal_data import safe_name

from .models import Message

ANONYMISED_BODY = "Message anonymisé"

NON_PERSONAL = []

register_personal_data(
    PersonalData(
        Message,
        "dossier__candidate",
        export=["body", "created_at", "original_name", "size", "content_type", "shared_with_jury_at"],
        erase={"body": ANONYMISED_BODY, "original_name": "", "content_type": ""},
        files={"file": CLEAR},
        summary="message_attachments",
    )
)


def dossier_export(dossier, user, files) -> dict:
    """The dossier's messages, who wrote each (the candidate or the role of the other), their attachments."""
    folder = f"fichiers/{dossier.number}/messages"
    rows = []
    for message in dossier.messages.all():
        item = {**exported(message), "by_candidate": message.author_id == dossier.candidate_id, "file": None}
        if message.file:
            item["file"] = f"{folder}/{message.pk}-{safe_name(message.original_name)}"
            files.append(ExportFile(item["file"], field=message.file))
        rows.append(item)
    return {"messages": rows}


register_dossier_export(dossier_export, prefetch=["messages"])
