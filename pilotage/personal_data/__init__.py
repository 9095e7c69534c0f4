"""Personal data of a candidate (RGPD): export (right of access, export.py), anonymisation (anonymisation.py) and
retention (retention.py); the deletion requests' transitions are in pilotage/workflow.py.

Each app declares what it holds in its own ``personal_data.py`` (cqp/personal_data_registry.py): this package reads
the registry and names no field of another app.
"""

from .anonymisation import (
    anonymise_candidate,
    anonymise_refusal,
    dossiers_in_progress,
    history_models_of_person,
    scrub_history,
)
from .export import EXPORT_FORMAT_VERSION, build_export, export_filename, export_zip_file, write_export_zip
from .retention import anonymise_past_retention, past_retention, retention_cutoff, retention_reason

# pilotage's own models hold no candidate's data (tests/test_personal_data_registry.py reads this list).
NON_PERSONAL = [
    ("ExportRecord", ["list_key", "format"], "nom de la liste exportée et format du fichier"),
    (
        "StatisticsSnapshot",
        ["key", "figures", "detail"],
        "chiffres agrégés des statistiques (comptes, taux, durées médianes par CQP) et leurs filtres, sans personne",
    ),
    ("HolderRecord", ["note"], "remarque de gestion du registre (fiche rectifiée), sans donnée du titulaire"),
    (
        "ExportRecord",
        ["filters"],
        "filtres d'un export de l'OEMM, trace d'audit : une recherche peut contenir un nom, gardée avec l'export "
        "(qui a exporté quoi) tant que dure la trace",
    ),
]

__all__ = [
    "EXPORT_FORMAT_VERSION",
    "NON_PERSONAL",
    "anonymise_candidate",
    "anonymise_past_retention",
    "anonymise_refusal",
    "build_export",
    "dossiers_in_progress",
    "export_filename",
    "export_zip_file",
    "history_models_of_person",
    "past_retention",
    "retention_cutoff",
    "retention_reason",
    "scrub_history",
    "write_export_zip",
]
