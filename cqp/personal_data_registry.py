"""What each app holds of a candidate's personal data, contributed by the app itself (its ``personal_data.py``,
imported by its ``AppConfig.ready()``); pilotage/personal_data/ reads the registry to export (« Mes données ») and
to anonymise, and never lists another app's fields.

* ``register_personal_data(PersonalData(...))``: per model, how its rows reach the person, the fields exported, the
  fields anonymisation erases (and the neutral value), the personal fields it keeps (with the reason), the stored
  files it deletes.
* ``register_dossier_export(build, select=..., prefetch=...)``: a part of each dossier of the export, merged into
  the dossier's object in registration order; ``build(dossier, user, files)`` returns a dict and appends the files
  to put in the zip; the lookups are added to the one query reading the person's dossiers (constant query count).
* ``register_person_export(key, build)``: a top-level key of the export, ``build(user)``.
* ``keep_history(model, reason)``: a model whose simple-history rows are kept on anonymisation (legal records).
* Each app's ``personal_data`` module also has ``NON_PERSONAL``: ``[(model name, [fields], reason)]``, the text
  fields that hold no personal data; tests/test_personal_data_registry.py fails on a text field in neither list.

This module imports no app: the apps import it.
"""

import datetime
import decimal
from dataclasses import dataclass, field
from typing import Any

from django.db import models

DELETE_ROW = "delete_row"  # the stored file is deleted, then the row
CLEAR = "clear"  # the stored file is deleted, the field emptied, the row kept


@dataclass(frozen=True)
class PersonalData:
    """The personal data held by one model."""

    model: type
    person: str  # ORM lookup from the model to the candidate's account: "candidate", "dossier__candidate", "pk" (User)
    export: tuple = ()  # fields exported, in this order (choice fields also give ``<field>_label``)
    erase: dict = field(default_factory=dict)  # field -> value written by the anonymisation
    kept: dict = field(default_factory=dict)  # personal field kept by the anonymisation -> why
    files: dict = field(default_factory=dict)  # file field -> DELETE_ROW or CLEAR
    summary: str = ""  # key of the anonymisation summary counting the rows whose files were deleted

    def __post_init__(self):
        object.__setattr__(self, "export", tuple(self.export))
        names = {f.name for f in self.model._meta.get_fields()}
        unknown = [n for n in (*self.export, *self.erase, *self.kept, *self.files) if n not in names]
        if unknown:
            raise ValueError(f"{self.model._meta.label} : champs inconnus {unknown}")


@dataclass(frozen=True)
class DossierExport:
    build: Any
    select: tuple = ()
    prefetch: tuple = ()


_personal: dict[type, PersonalData] = {}
_dossier_exports: list[DossierExport] = []
_person_exports: dict[str, Any] = {}
_kept_history: dict[type, str] = {}


def register_personal_data(entry: PersonalData) -> None:
    _personal[entry.model] = entry


def register_dossier_export(build, *, select=(), prefetch=()) -> None:
    if all(e.build is not build for e in _dossier_exports):
        _dossier_exports.append(DossierExport(build, tuple(select), tuple(prefetch)))


def register_person_export(key: str, build) -> None:
    _person_exports[key] = build


def keep_history(model, reason: str) -> None:
    _kept_history[model] = reason


def personal_data() -> list[PersonalData]:
    return list(_personal.values())


def personal_data_of(model) -> PersonalData:
    return _personal[model]


def dossier_exports() -> list[DossierExport]:
    return list(_dossier_exports)


def person_exports() -> dict:
    return dict(_person_exports)


def kept_history() -> dict:
    return dict(_kept_history)


# ------------------------------------------------------------------------------------------------ export helpers


@dataclass
class ExportFile:
    path: str  # path in the zip
    field: object = None  # a FieldFile, read from storage
    build: object = None  # or a callable returning bytes (PDFs generated on demand)


def _value(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def fields_of(obj, names) -> dict:
    """``name: value`` for each concrete field, plus ``name_label`` for choice fields."""
    data = {}
    for name in names:
        model_field = obj._meta.get_field(name)
        value = getattr(obj, model_field.attname)
        data[name] = _value(value)
        if model_field.choices and value not in (None, ""):
            data[f"{name}_label"] = str(getattr(obj, f"get_{name}_display")())
    return data


def exported(obj) -> dict:
    """The fields of ``obj`` that its app registered for the export."""
    return fields_of(obj, _personal[obj._meta.model].export)


def unit_of(unit) -> dict | None:
    return {"number": unit.number, "title": unit.title} if unit is not None else None
