"""The livrets and accompagnements in the « Historique » of a dossier (candidates/history_sources.py)."""

from candidates.history_sources import register_history_sources

from .models import ConventionAccompagnement, Livret1, Livret2, Livret2Situation, Piece


def history_sources(pk) -> list:
    livrets2 = list(Livret2.history.filter(dossier_id=pk).values_list("id", flat=True).distinct())
    return [
        (Livret1, {"dossier_id": pk}),
        (Piece, {"dossier_id": pk}),
        (Livret2, {"dossier_id": pk}),
        (Livret2Situation, {"livret_id__in": livrets2}),
        (ConventionAccompagnement, {"dossier_id": pk}),
    ]


register_history_sources(history_sources)
