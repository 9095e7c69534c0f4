import re
import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from referentiels.enums import CriterionKind
from referentiels.loader import load_referentiels, validate_referentiel
from referentiels.models import Certification, Competence, Criterion, ReferentielVersion, Unit

FILES = sorted(Path(settings.REFERENTIELS_DIR).glob("*.yaml"))


def _data(name="gestionnaire_parcours.yaml"):
    return yaml.safe_load((Path(settings.REFERENTIELS_DIR) / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "code, units, certifier, unit_kind, mentions",
    [
        ("spsp", 5, "cpnefp_mutualite", "domaine", ["sante", "prevoyance"]),
        ("gpac", 5, "cpnefp_mutualite", "bloc", []),
        ("cmi", 7, "cpnefp_mutualite", "domaine", []),
        ("cos", 4, "ucanss", "activite", []),
    ],
)
def test_the_four_cqps_are_loaded_with_their_units(referentiels, code, units, certifier, unit_kind, mentions):
    certification = Certification.objects.get(code=code)
    version = certification.current_version
    assert certification.certifier.code == certifier
    assert certification.unit_kind == unit_kind
    assert version.units.count() == units
    assert sorted(version.mentions.values_list("code", flat=True)) == sorted(mentions)
    assert Competence.objects.filter(unit__version=version).exists()


@pytest.mark.parametrize(
    "code, rule, value",
    [
        ("cos", "silence_is_acceptance", True),
        ("cos", "recevabilite_validity_months", 18),
        ("cos", "livret2_due_months_before_session", 1),
        ("gpac", "min_experience_months", 12),
        ("gpac", "partial_validity_years", None),
        ("spsp", "min_experience_months", 36),
        ("spsp", "experience_window_years", 12),
        ("spsp", "partial_validity_years", 5),
        ("spsp", "first_jury_window_years", 3),
        ("cmi", "jury_presentation_minutes", 20),
    ],
)
def test_rules_are_carried_per_certification(referentiels, code, rule, value):
    assert getattr(Certification.objects.get(code=code).current_version, rule) == value


def test_livret2_situations_of_the_ucanss_cqp(referentiels):
    version = Certification.objects.get(code="cos").current_version
    units = list(version.units.order_by("number"))
    assert [u.livret2_situations for u in units] == [2, 1, 2, 1]
    assert units[1].livret2_min_competences == 2


def test_gpac_bloc_1_asks_three_situations_and_its_guide_questions(referentiels):
    unit = Unit.objects.get(version__certification__code="gpac", version__is_current=True, number=1)
    assert unit.livret2_situations == 3
    assert any(c.questions for c in unit.competences.all())


def test_spsp_has_every_grid(referentiels):
    version = Certification.objects.get(code="spsp").current_version
    kinds = set(Criterion.objects.filter(unit__version=version).values_list("kind", flat=True))
    assert kinds == set(CriterionKind.values)
    assert version.prerequisites.exists()


def test_loading_twice_changes_nothing(referentiels):
    before = (ReferentielVersion.objects.count(), Unit.objects.count(), Competence.objects.count())
    call_command("load_referentiels", verbosity=0)
    assert (ReferentielVersion.objects.count(), Unit.objects.count(), Competence.objects.count()) == before


def test_a_changed_file_makes_a_new_version_and_keeps_the_old(referentiels, tmp_path):
    old = Certification.objects.get(code="gpac").current_version
    data = _data()
    data["units"][0]["title"] = "Assurer l'accueil des clients/adhérents (révisé)"
    changed = tmp_path / "gestionnaire_parcours.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    results = load_referentiels([changed])
    assert results[0].created and results[0].version == 2
    old.refresh_from_db()
    assert not old.is_current
    assert old.units.get(number=1).title == "Assurer l'accueil des clients/adhérents"
    assert Certification.objects.get(code="gpac").current_version.units.get(number=1).title.endswith("(révisé)")


def test_a_published_version_cannot_be_modified(referentiels):
    version = ReferentielVersion.objects.first()
    version.summary = "modifié"
    with pytest.raises(ValidationError):
        version.save()


def _break(data, how):
    if how == "missing_key":
        del data["rules"]["min_experience_months"]
    elif how == "unknown_key":
        data["units"][0]["colour"] = "bleu"
    elif how == "wrong_type":
        data["rules"]["first_jury_window_years"] = "trois"
    elif how == "duplicate_number":
        data["units"][1]["number"] = data["units"][0]["number"]
    elif how == "unknown_activity":
        data["units"][0]["competences"][0]["activity"] = "Activité inexistante"
    elif how == "bad_scale":
        data["entretien"]["scale"] = "sur 20"
    elif how == "unknown_mention":
        data["units"][0]["mention"] = "auto"
    return data


@pytest.mark.parametrize(
    "how, place",
    [
        ("missing_key", "rules.min_experience_months"),
        ("unknown_key", "units[0].colour"),
        ("wrong_type", "rules.first_jury_window_years"),
        ("duplicate_number", "units[1].number"),
        ("unknown_activity", "units[0].competences[0].activity"),
        ("bad_scale", "entretien.scale"),
        ("unknown_mention", "units[0].mention"),
    ],
)
def test_validation_names_the_place_of_each_error(how, place):
    errors = validate_referentiel(_break(_data(), how))
    assert place in [p for p, _ in errors]


def test_a_malformed_file_stops_the_load_and_writes_nothing(db, tmp_path):
    for path in FILES:
        shutil.copy(path, tmp_path / path.name)
    broken = tmp_path / "zz_broken.yaml"
    data = _break(_data(), "wrong_type")
    data["code"] = "BROKEN"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("load_referentiels", *sorted(str(p) for p in tmp_path.glob("*.yaml")), verbosity=0)
    message = str(exc.value)
    assert "zz_broken.yaml" in message and "rules.first_jury_window_years" in message
    assert Certification.objects.count() == 0


def test_invalid_yaml_gives_the_line(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: X\nunits: [\n", encoding="utf-8")
    with pytest.raises(CommandError, match="ligne"):
        call_command("load_referentiels", str(bad), verbosity=0)
    assert Certification.objects.count() == 0


# --- issue 19: every required text non-empty, checked against the schema (referentiels/schema.py)

# The texts SCHEMA.md allows to be "" (every other text of the format is required, non-empty after stripping).
MAY_BE_EMPTY = {
    "summary",
    "rules.experience_sector",
    "entretien.introduction",
    "livret2.introduction",
    "units[].description",
    "units[].evaluation_modality",
}


def _texts(value, path=""):
    """(path, shape) of every text of a document: shape is the path without the list indexes."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, f"{path}[{i}]")
    elif isinstance(value, str):
        yield path, re.sub(r"\[\d+\]", "[]", path)


def _set(data, path, value):
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    target = data
    for part in parts[:-1]:
        target = target[int(part[1:-1])] if part.startswith("[") else target[part]
    last = parts[-1]
    target[int(last[1:-1]) if last.startswith("[") else last] = value


def _one_text_of_each_kind():
    """Across the four real files, the first text found at each place of the format."""
    seen = {}
    for path in FILES:
        for place, shape in _texts(_data(path.name)):
            seen.setdefault(shape, (path.name, place))
    return sorted(seen.items())


def test_the_four_real_files_are_valid_against_the_schema():
    for path in FILES:
        assert validate_referentiel(_data(path.name)) == [], path.name


@pytest.mark.parametrize("blank", ["", "   \n\t"])
def test_each_required_text_left_empty_is_refused_with_its_place(blank):
    required = [(shape, name, place) for shape, (name, place) in _one_text_of_each_kind() if shape not in MAY_BE_EMPTY]
    assert len(required) >= 25 and any(shape == "units[].title" for shape, _, _ in required)
    for shape, name, place in required:
        data = _data(name)
        _set(data, place, blank)
        errors = validate_referentiel(data)
        if shape == "code":
            expected = "majuscules, chiffres et tirets seulement"
        elif shape == "certifier":
            expected = "code de certificateur attendu (minuscules, chiffres et _)"
        elif shape in (
            "unit_kind",
            "entretien.scale",
            "targets.commission_when",
            "rules.direct_evaluation",
        ):  # one of a list of values
            expected = next((m for p, m in errors if p == place and m.startswith("valeur inconnue")), None)
        else:
            expected = "texte non vide attendu"
        assert errors == [(place, expected)], (name, place, errors)
    for shape in MAY_BE_EMPTY:
        name, place = dict(_one_text_of_each_kind())[shape]
        data = _data(name)
        _set(data, place, "")
        assert validate_referentiel(data) == [], (name, place)


def test_an_empty_unit_title_stops_the_load_names_file_and_place_and_writes_nothing(referentiels, tmp_path):
    before = (
        ReferentielVersion.objects.count(),
        Unit.objects.count(),
        list(Unit.objects.values_list("title", flat=True)),
    )
    data = _data()
    data["units"][2]["title"] = "   "
    data["units"][0]["competences"][1]["text"] = ""
    broken = tmp_path / "gestionnaire_parcours.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("load_referentiels", str(broken), verbosity=0)
    message = str(exc.value)
    assert "gestionnaire_parcours.yaml" in message
    assert "units[2].title : texte non vide attendu" in message
    assert "units[0].competences[1].text : texte non vide attendu" in message
    after = (
        ReferentielVersion.objects.count(),
        Unit.objects.count(),
        list(Unit.objects.values_list("title", flat=True)),
    )
    assert after == before


@pytest.mark.parametrize(
    "change, place, message",
    [
        (
            lambda d: d["rules"].__setitem__("silence_is_acceptance", 1),
            "rules.silence_is_acceptance",
            "booléen attendu, reçu entier",
        ),
        (
            lambda d: d.__setitem__("published_on", "2020-01-01"),
            "published_on",
            "date (AAAA-MM-JJ) attendu, reçu texte",
        ),
        (lambda d: d["units"][0].__setitem__("title", None), "units[0].title", "valeur obligatoire (null refusé)"),
        (
            lambda d: d["units"][1]["livret2"].__setitem__("situations", -2),
            "units[1].livret2.situations",
            "nombre positif attendu",
        ),
        (lambda d: d["units"][0].__setitem__("number", 0), "units[0].number", "nombre supérieur ou égal à 1 attendu"),
        (lambda d: d.__setitem__("units", []), "units", "au moins une unité est attendue"),
        (lambda d: d.__setitem__("code", "gp ac"), "code", "majuscules, chiffres et tirets seulement"),
        (lambda d: d.__setitem__("rules", [1]), "rules", "objet (clé: valeur) attendu, reçu liste"),
        (
            lambda d: d["units"][0].__setitem__("activities", "accueil"),
            "units[0].activities",
            "liste attendu, reçu texte",
        ),
    ],
)
def test_schema_errors_say_what_is_wrong_in_french(change, place, message):
    data = _data()
    change(data)
    assert (place, message) in validate_referentiel(data)


@pytest.mark.parametrize(
    "minutes, topics, refused",
    [
        (10, ["votre formation et votre expérience"], False),
        (10, [], True),  # a presentation must say what it covers
        (0, [], False),
        (0, ["votre parcours"], True),  # no presentation, nothing to cover
        (10, ["  "], True),  # each topic is a text
    ],
)
def test_the_presentation_topics_go_with_the_presentation(minutes, topics, refused):
    data = _data()
    data["rules"]["jury_presentation_minutes"] = minutes
    data["rules"]["jury_presentation_topics"] = topics
    places = [p for p, _ in validate_referentiel(data)]
    assert any(p.startswith("rules.jury_presentation_topics") for p in places) == refused, places
