"""What the « Historique » of a dossier reads (candidates/audit_views.py): the dossier's own models, and the models
of the apps above candidates (vae, jury), which register theirs in their ``AppConfig.ready()`` so that candidates
never imports them.

A source function takes the dossier's id and returns ``[(model, filters)]``: the model's simple-history rows
matching ``filters`` belong to the dossier (an empty ``__in`` list is skipped by the caller).
"""

_functions = []


def register_history_sources(function) -> None:
    if function not in _functions:
        _functions.append(function)


def registered_history_sources(dossier_pk) -> list:
    """The sources registered by the apps above candidates, in registration order (INSTALLED_APPS)."""
    return [source for function in _functions for source in function(dossier_pk)]
