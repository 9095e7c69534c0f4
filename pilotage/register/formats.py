"""The register's export file, one module: the data of each line (``holder_rows``) and the formats behind one
interface (``RegisterFormat``): CSV now; the Caisse des Dépôts' XML flow once its schema is configured
(``ACCROCHAGE_XML_SCHEMA``), refused in French until then."""

import csv
from collections.abc import Iterable, Iterator

from django.conf import settings

from cqp.exceptions import WorkflowError
from vae.models import Livret1

COLUMNS = [
    ("certifier_id", "Identifiant du certificateur"),
    ("certifier_name", "Certificateur"),
    ("birth_name", "Nom de naissance"),
    ("usage_name", "Nom d'usage"),
    ("first_names", "Prénoms"),
    ("sex", "Sexe"),
    ("birth_date", "Date de naissance"),
    ("birth_place", "Lieu de naissance"),
    ("certification_type", "Type de certification"),
    ("rncp", "Code RNCP"),
    ("certification", "Intitulé"),
    ("obtained_on", "Date d'obtention"),
    ("valid_from", "Début de validité"),
    ("valid_until", "Fin de validité"),
    ("access_route", "Voie d'accès"),
    ("dossier", "Dossier"),
    ("complete", "Données complètes"),
]
REQUIRED = ("birth_name", "first_names", "sex", "birth_date", "birth_place")


def holder_rows(records) -> Iterator[dict]:
    """One dict per line; the identity from the dossier's livret 1 (VAE) or, missing there, from the account."""
    records = list(records.select_related("dossier__candidate", "dossier__certification"))
    livrets = {
        livret.dossier_id: livret
        for livret in Livret1.objects.filter(dossier__in=[r.dossier_id for r in records], is_active=True)
    }
    for record in records:
        dossier, user = record.dossier, record.dossier.candidate
        livret = livrets.get(dossier.pk)
        row = {
            "certifier_id": settings.ACCROCHAGE_CERTIFIER_ID,
            "certifier_name": settings.ACCROCHAGE_CERTIFIER_NAME,
            "birth_name": (livret and livret.birth_name) or user.last_name,
            "usage_name": (livret and livret.usage_name) or "",
            "first_names": (livret and livret.first_names) or user.first_name,
            "sex": (livret and livret.sex) or "",
            "birth_date": livret and livret.birth_date and livret.birth_date.strftime("%d/%m/%Y") or "",
            "birth_place": (livret and livret.birth_place) or "",
            "certification_type": "RNCP" if dossier.certification.rncp else "CQP",
            "rncp": dossier.certification.rncp,
            "certification": dossier.certification.title,
            "obtained_on": record.obtained_on.strftime("%d/%m/%Y"),
            "valid_from": record.obtained_on.strftime("%d/%m/%Y"),
            "valid_until": record.valid_until.strftime("%d/%m/%Y") if record.valid_until else "",
            "access_route": record.get_access_route_display(),
            "dossier": dossier.number,
        }
        row["complete"] = "oui" if all(row[key] for key in REQUIRED) else "non"
        yield row


class _Echo:
    def write(self, value):
        return value


class RegisterFormat:
    key = ""
    extension = ""
    content_type = ""

    def lines(self, rows: Iterable[dict]) -> Iterator[str]:
        raise NotImplementedError


class CsvFormat(RegisterFormat):
    key, extension, content_type = "csv", "csv", "text/csv; charset=utf-8"

    def lines(self, rows):
        writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
        yield "\ufeff" + writer.writerow([title for _, title in COLUMNS])
        for row in rows:
            yield writer.writerow([row[key] for key, _ in COLUMNS])


class XmlFormat(RegisterFormat):
    key, extension, content_type = "xml", "xml", "application/xml"

    def lines(self, rows):
        if not settings.ACCROCHAGE_XML_SCHEMA:
            raise WorkflowError(
                "Le flux XML de la Caisse des Dépôts n'est pas encore configuré (ACCROCHAGE_XML_SCHEMA) : "
                "exportez le registre en CSV."
            )
        raise WorkflowError("Le flux XML de la Caisse des Dépôts n'est pas encore disponible : exportez en CSV.")


FORMATS = {f.key: f for f in (CsvFormat(), XmlFormat())}
