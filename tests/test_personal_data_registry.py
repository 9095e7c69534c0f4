"""Every text field of the project is classified for the RGPD: either registered as a candidate's personal data by its
app (cqp/personal_data_registry.py: exported, and erased or kept with a reason by the anonymisation), or declared
non-personal with a reason in the ``NON_PERSONAL`` list of its app's ``personal_data.py``.

A new free-text field therefore fails this test until someone decides where it goes: it cannot escape « Mes données »
and the anonymisation silently. Text fields: CharField (EmailField, URLField…), TextField, FileField, JSONField.
Fields with ``choices`` are left out: their values are codes from a fixed list, never free text (the personal ones,
such as the livret 1's sex, are registered all the same). Historical models (django-simple-history) are left out:
their rows are deleted by the anonymisation when they belong to the person (pilotage/personal_data/anonymisation.py).
"""

import importlib

import pytest
from django.apps import apps
from django.db import models

from cqp.personal_data_registry import DELETE_ROW, personal_data

PROJECT_APPS = ["referentiels", "cqp", "candidates", "vae", "jury", "notifications", "pilotage"]
TEXT_FIELDS = (models.CharField, models.TextField, models.FileField, models.JSONField)


def project_models():
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            if not model._meta.model_name.startswith("historical"):
                yield model


def text_fields(model) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, TEXT_FIELDS) and not f.choices and not f.primary_key
    ]


def non_personal() -> dict[tuple[type, str], str]:
    """(model, field) -> reason, from each app's personal_data.NON_PERSONAL."""
    declared = {}
    for label in PROJECT_APPS:
        if not list(apps.get_app_config(label).get_models()):
            continue  # pilotage: no model of its own (its personal_data package is the export and anonymisation)
        module = importlib.import_module(f"{label}.personal_data")
        for model_name, names, reason in module.NON_PERSONAL:
            model = apps.get_model(label, model_name)
            for name in names:
                declared[(model, name)] = reason
    return declared


def unclassified(declared=None) -> list[str]:
    declared = non_personal() if declared is None else declared
    registered = {entry.model: entry for entry in personal_data()}
    missing = []
    for model in project_models():
        entry = registered.get(model)
        personal = set(entry.export) | set(entry.erase) | set(entry.kept) | set(entry.files) if entry else set()
        for name in text_fields(model):
            if name not in personal and (model, name) not in declared:
                missing.append(f"{model._meta.label}.{name}")
    return missing


def test_every_text_field_is_personal_or_declared_non_personal():
    assert unclassified() == [], (
        "Champs de texte ni enregistrés comme données personnelles (personal_data.py de l'application : "
        "PersonalData) ni déclarés non personnels (NON_PERSONAL, avec la raison)"
    )


def test_the_check_catches_a_field_nobody_classified():
    declared = non_personal()
    some = next(iter(declared))
    del declared[some]
    assert unclassified(declared) == [f"{some[0]._meta.label}.{some[1]}"]


def test_every_exported_text_field_says_what_anonymisation_does_with_it():
    """Erased (neutral value), kept (with the reason) or a file deleted; unless the rows themselves are deleted."""
    loose = []
    for entry in personal_data():
        if DELETE_ROW in entry.files.values():
            continue
        handled = set(entry.erase) | set(entry.kept) | set(entry.files)
        loose += [
            f"{entry.model._meta.label}.{name}"
            for name in entry.export
            if name in text_fields(entry.model) and name not in handled
        ]
    assert loose == []


def test_declarations_are_consistent():
    declared = non_personal()
    assert all(reason.strip() for reason in declared.values())
    for entry in personal_data():
        assert all(reason.strip() for reason in entry.kept.values()), entry.model
        named = (*entry.export, *entry.erase, *entry.kept, *entry.files)
        both = [name for name in named if (entry.model, name) in declared]
        assert both == [], f"{entry.model._meta.label}: {both} à la fois personnels et non personnels"
        assert not set(entry.erase) & set(entry.kept), entry.model
        if entry.person != "pk":  # bulk UPDATE: plain values only (the account is erased on its locked row)
            assert not any(callable(value) for value in entry.erase.values()), entry.model
        # The lookup reaches the candidate's account.
        assert entry.model.objects.filter(**{entry.person: 0}).query is not None


@pytest.mark.parametrize("label", ["cqp", "candidates", "vae", "jury"])
def test_each_app_registers_its_own_models_only(label):
    assert {e.model._meta.app_label for e in personal_data() if e.model.__module__.startswith(f"{label}.")} <= {label}
    assert any(e.model._meta.app_label == label for e in personal_data())
