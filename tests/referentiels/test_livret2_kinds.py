"""The three kinds of livret 2 items in the référentiel files: question (answered), instruction, document (issue 17)."""

import copy

import pytest
import yaml
from django.conf import settings

from referentiels.loader import validate_referentiel
from referentiels.schema import LIVRET2_ITEM_KINDS

FOLDER = settings.BASE_DIR / "fixtures" / "referentiels"


def _data(name="gestionnaire_parcours.yaml"):
    return yaml.safe_load((FOLDER / name).read_text(encoding="utf-8"))


def test_the_three_kinds_are_named():
    assert set(LIVRET2_ITEM_KINDS) == {"question", "instruction", "document"}


@pytest.mark.parametrize(
    "change, place",
    [
        (
            lambda d: d["livret2"]["motivation"].append("Vous pouvez joindre un curriculum vitae."),
            "livret2.motivation[0]",
        ),
        (lambda d: d["units"][0]["livret2"]["bloc_questions"].append("Joindre un organigramme."), "bloc_questions"),
    ],
)
def test_a_joindre_item_written_as_a_question_is_refused_in_french(change, place):
    data = copy.deepcopy(_data())
    change(data)
    errors = validate_referentiel(data)
    assert any(place.split("[")[0] in p and "document demandé, pas une question" in m for p, m in errors), errors


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["livret2"].__setitem__("documents", ["Vous pouvez joindre un curriculum vitae."]),
        lambda d: d["units"][0]["livret2"].__setitem__("bloc_questions", ["Quelle est votre expérience ?"]),
        lambda d: d["units"][0]["livret2"].pop("bloc_questions"),  # optional: a bloc may ask none
        lambda d: d["livret2"].pop("documents", None),
    ],
)
def test_documents_and_bloc_questions_are_accepted_and_optional(change):
    data = copy.deepcopy(_data())
    change(data)
    assert validate_referentiel(data) == []


def test_an_empty_bloc_question_is_refused():
    data = copy.deepcopy(_data())
    data["units"][0]["livret2"]["bloc_questions"] = ["  "]
    assert [p for p, _ in validate_referentiel(data)] == ["units[0].livret2.bloc_questions[0]"]


def test_loaded_versions_keep_the_kinds(referentiels):
    from referentiels.models import Certification

    gpac = Certification.objects.get(code__iexact="gpac").current_version
    assert gpac.units.get(number=1).livret2_bloc_questions[1].startswith("Que connaissez-vous de l'environnement")
    assert Certification.objects.get(code__iexact="cos").current_version.livret2_documents == [
        "Vous pouvez joindre un curriculum vitae."
    ]


def test_versions_loaded_before_the_kinds_are_sorted_by_the_migration(referentiels):
    import importlib

    from django.apps import apps
    from django.core.management import call_command

    from referentiels.models import Certification, ReferentielVersion

    migration = importlib.import_module("referentiels.migrations.0005_livret2_item_kinds")
    version = Certification.objects.get(code__iexact="gpac").current_version
    new_hash = version.content_hash
    # As loaded before: the bloc questions inside the grey instructions, with the file's former hash
    version.units.update(livret2_bloc_questions=[], livret2_instructions="Quelle expérience ? Choisissez trois…")
    ReferentielVersion.objects.filter(pk=version.pk).update(content_hash=migration.BEFORE["gestionnaire_parcours.yaml"])
    migration.backfill_kinds(apps, None)
    version.refresh_from_db()
    assert version.content_hash == new_hash
    assert len(version.units.get(number=1).livret2_bloc_questions) == 2
    call_command("load_referentiels", verbosity=0)  # the file is unchanged: no new version
    assert Certification.objects.get(code__iexact="gpac").versions.count() == 1
