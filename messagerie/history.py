"""The messages in the « Historique » of a dossier (candidates/history_sources.py): sent, shared with the jury."""

from candidates.history_sources import register_history_sources

from .models import Message


def history_sources(pk) -> list:
    return [(Message, {"dossier_id": pk})]


register_history_sources(history_sources)
