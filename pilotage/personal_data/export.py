"""« Mes données »: everything the platform holds on a candidate, as a zip (right of access).

Format (``donnees.json`` in the zip, version ``EXPORT_FORMAT_VERSION``): English keys, the names of the model fields;
dates in ISO 8601; choice fields give the stored code and, beside it, ``<field>_label`` with the French label; every
file of the person is in the zip under ``fichiers/<dossier number>/<kind>/`` and referenced from the JSON by its path in
the zip (``"file": "fichiers/2026-000001/pieces/12-cni.pdf"``). Other people (OEMM staff, jury members, evaluators) are
not named: only organisations are.

The fields come from the registry each app fills (cqp/personal_data_registry.py): the account, roles, reminders and
deletion requests from cqp; each dossier from the parts the apps registered, read in one query with their lookups.
"""

import json
import logging
import tempfile
import zipfile

from django.utils import timezone

from candidates.models import Dossier
from cqp.models import DeletionRequest, Reminder, UserRole
from cqp.personal_data_registry import ExportFile, dossier_exports, exported, person_exports

logger = logging.getLogger(__name__)

EXPORT_FORMAT_VERSION = 1


def export_dossiers(user):
    """The candidate's dossiers with everything the export reads, in a fixed number of queries."""
    select, prefetch = [], []
    for part in dossier_exports():
        select.extend(part.select)
        prefetch.extend(part.prefetch)
    return (
        Dossier.objects.filter(candidate=user)
        .select_related(*select)
        .prefetch_related(*prefetch)
        .order_by("created_at", "id")
    )


def _dossier(dossier, user, files: list[ExportFile]) -> dict:
    data = {}
    for part in dossier_exports():
        data.update(part.build(dossier, user, files))
    return data


def build_export(user) -> tuple[dict, list[ExportFile]]:
    """Everything the platform holds on the person, as JSON-ready data, and the files to put beside it."""
    files: list[ExportFile] = []
    roles = UserRole.objects.filter(user=user).select_related("organisme", "entreprise")
    data = {
        "format": "cqp-mutualite-donnees-personnelles",
        "format_version": EXPORT_FORMAT_VERSION,
        "generated_at": timezone.now().isoformat(),
        "account": exported(user),
        "roles": [
            {
                **exported(r),
                "organisme": r.organisme.name if r.organisme else None,
                "entreprise": r.entreprise.name if r.entreprise else None,
            }
            for r in roles
        ],
        "dossiers": [_dossier(d, user, files) for d in export_dossiers(user)],
    }
    for key, build in person_exports().items():
        data[key] = build(user)
    reminders = Reminder.objects.filter(recipient=user, sent_at__isnull=False).order_by("sent_at", "id")
    data["reminders"] = [exported(r) for r in reminders]
    requests = DeletionRequest.objects.filter(candidate=user).order_by("requested_at", "id")
    data["deletion_requests"] = [exported(r) for r in requests]
    data["files"] = [f.path for f in files]
    return data, files


README_TEXT = """Vos données sur la plateforme CQP Mutualité
============================================

donnees.json : toutes les informations vous concernant (compte, rôles, dossiers avec leur historique,
entretien d'accueil, livrets de formation, livret 1 et expériences, livret 2, accompagnement, convocations,
décisions du jury et unités acquises, rappels envoyés, demandes d'effacement). Les clés sont en anglais (noms
des champs de la base) ; pour chaque valeur codée, la clé « ..._label » donne son libellé en français.

fichiers/<numéro de dossier>/ : vos pièces justificatives, notifications de recevabilité, livret 2,
convocations, fiches de décision et certificats, référencés dans donnees.json par leur chemin.
"""


def write_export_zip(user, target) -> None:
    """Write the zip (donnees.json, LISEZMOI.txt and the files) to the binary file object ``target``."""
    data, files = build_export(user)
    missing = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in files:
            try:
                if item.field is not None:
                    with item.field.storage.open(item.field.name, "rb") as handle:
                        content = handle.read()
                else:
                    content = item.build()
            except (OSError, ValueError):
                missing.append(item.path)
                continue
            archive.writestr(item.path, content)
        data["missing_files"] = missing
        archive.writestr("donnees.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
        archive.writestr("LISEZMOI.txt", README_TEXT)
    logger.info("Export des données personnelles du compte %s (%d fichiers)", user.pk, len(files) - len(missing))


def export_zip_file(user):
    """The zip in a temporary file (in memory up to 10 Mo), positioned at its start."""
    # Returned open to the caller (the download view streams it, then closes it).
    target = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115
    write_export_zip(user, target)
    target.seek(0)
    return target


def export_filename(today=None) -> str:
    today = today or timezone.localdate()
    return f"mes-donnees-cqp-mutualite-{today:%Y-%m-%d}.zip"
