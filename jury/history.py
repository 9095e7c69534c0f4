"""The jury passages, decisions and certificates in the « Historique » of a dossier (candidates/history_sources.py)."""

from candidates.history_sources import register_history_sources

from .models import Certificate, Convocation, FicheDecision, SessionCandidate, UnitDecision, ValidatedUnit


def history_sources(pk) -> list:
    passages = list(SessionCandidate.history.filter(dossier_id=pk).values_list("id", flat=True).distinct())
    fiches = []
    if passages:
        fiches = list(
            FicheDecision.history.filter(session_candidate_id__in=passages).values_list("id", flat=True).distinct()
        )
    return [
        (SessionCandidate, {"dossier_id": pk}),
        (Convocation, {"session_candidate_id__in": passages}),
        (FicheDecision, {"session_candidate_id__in": passages}),
        (UnitDecision, {"fiche_id__in": fiches}),
        (ValidatedUnit, {"fiche_id__in": fiches}),
        (Certificate, {"dossier_id": pk}),
    ]


register_history_sources(history_sources)
