"""Load the référentiel YAML files (fixtures/referentiels/*.yaml).

``validate_referentiel(data)`` checks one file's content against the format of
SCHEMA.md and returns the errors with their place; ``load_referentiels(paths)``
loads every file in one transaction: all or nothing.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction

from .enums import Certifier, CriterionKind, EntretienScale, UnitKind
from .models import (
    Certification,
    Competence,
    Criterion,
    Knowledge,
    Livret2Question,
    Mention,
    Prerequisite,
    ReferentielVersion,
    Unit,
)


class ReferentielFileError(Exception):
    def __init__(self, path, errors):
        self.path = str(path)
        self.errors = errors
        lines = "\n".join(f"  - {place} : {message}" for place, message in errors)
        super().__init__(f"{self.path} :\n{lines}")


@dataclass
class LoadResult:
    code: str
    version: int
    created: bool


STR, INT, BOOL, DATE, LIST, DICT = "texte", "entier", "booléen", "date", "liste", "objet"
_TYPES = {STR: str, INT: int, BOOL: bool, DATE: datetime.date, LIST: list, DICT: dict}

TOP = {
    "code": (STR, False), "title": (STR, False), "certifier": (STR, False), "rncp": (STR, True),
    "unit_kind": (STR, False), "published_on": (DATE, False), "sources": (LIST, False),
    "summary": (STR, False), "mentions": (LIST, False), "rules": (DICT, False),
    "entretien": (DICT, False), "livret2": (DICT, False), "units": (LIST, False),
}
RULES = {
    "min_experience_months": (INT, False), "experience_window_years": (INT, True),
    "experience_sector": (STR, False), "first_jury_window_years": (INT, False),
    "partial_validity_years": (INT, True), "recevabilite_validity_months": (INT, True),
    "instruction_delay_months": (INT, False), "silence_is_acceptance": (BOOL, False),
    "livret2_due_months_before_session": (INT, False), "jury_presentation_minutes": (INT, False),
    "jury_interview_minutes": (INT, False), "training_hours_min": (INT, True), "training_hours_max": (INT, True),
}
ENTRETIEN = {"scale": (STR, False), "introduction": (STR, False), "prerequisites": (LIST, False)}
LIVRET2 = {"introduction": (STR, False), "guidance": (LIST, False), "motivation": (LIST, False)}
UNIT = {
    "number": (INT, False), "title": (STR, False), "mention": (STR, True), "description": (STR, False),
    "activities": (LIST, False), "competences": (LIST, False), "knowledge": (LIST, False),
    "criteria": (LIST, False), "evaluation_modality": (STR, False), "livret2": (DICT, False),
    "formative_evaluation": (LIST, False), "intermediate_grid": (LIST, False), "final_evaluation": (LIST, False),
}
UNIT_LIVRET2 = {
    "instructions": (STR, False), "situations": (INT, False), "min_competences": (INT, True), "questions": (LIST, False),
}
COMPETENCE = {"text": (STR, False), "activity": (STR, True), "questions": (LIST, False)}
CRITERIA_GROUP = {"group": (STR, True), "items": (LIST, False)}
MENTION = {"code": (STR, False), "label": (STR, False)}


def _check_mapping(value, spec, place, errors):
    if not isinstance(value, dict):
        errors.append((place, "un objet (clé: valeur) est attendu"))
        return False
    for key in value.keys() - spec.keys():
        errors.append((f"{place}.{key}", "clé inconnue"))
    for key, (kind, nullable) in spec.items():
        where = f"{place}.{key}" if place else key
        if key not in value:
            errors.append((where, "clé obligatoire absente"))
            continue
        item = value[key]
        if item is None:
            if not nullable:
                errors.append((where, "valeur obligatoire (null refusé)"))
            continue
        expected = _TYPES[kind]
        if kind == INT and isinstance(item, bool) or not isinstance(item, expected):
            errors.append((where, f"{kind} attendu, reçu {type(item).__name__}"))
        elif kind == INT and item < 0:
            errors.append((where, "nombre positif attendu"))
    return True


def _check_strings(values, place, errors):
    for i, item in enumerate(values or []):
        if not isinstance(item, str) or not item.strip():
            errors.append((f"{place}[{i}]", "texte non vide attendu"))


def validate_referentiel(data) -> list[tuple[str, str]]:
    """Return the list of (place, message) errors of one file's content."""
    errors: list[tuple[str, str]] = []
    if not _check_mapping(data, TOP, "", errors):
        return errors
    if isinstance(data.get("certifier"), str) and data["certifier"] not in Certifier.values:
        errors.append(("certifier", f"valeur inconnue, attendu l'une de {', '.join(Certifier.values)}"))
    if isinstance(data.get("unit_kind"), str) and data["unit_kind"] not in UnitKind.values:
        errors.append(("unit_kind", f"valeur inconnue, attendu l'une de {', '.join(UnitKind.values)}"))
    if isinstance(data.get("code"), str) and not all(c.isupper() or c.isdigit() or c == "-" for c in data["code"]):
        errors.append(("code", "majuscules, chiffres et tirets seulement"))
    if isinstance(data.get("rules"), dict):
        _check_mapping(data["rules"], RULES, "rules", errors)
        rules = data["rules"]
        lo, hi = rules.get("training_hours_min"), rules.get("training_hours_max")
        if isinstance(lo, int) and isinstance(hi, int) and lo > hi:
            errors.append(("rules.training_hours_max", "doit être supérieur ou égal au minimum"))
    if isinstance(data.get("entretien"), dict):
        _check_mapping(data["entretien"], ENTRETIEN, "entretien", errors)
        scale = data["entretien"].get("scale")
        if isinstance(scale, str) and scale not in EntretienScale.values:
            errors.append(("entretien.scale", f"valeur inconnue, attendu l'une de {', '.join(EntretienScale.values)}"))
        if isinstance(data["entretien"].get("prerequisites"), list):
            _check_strings(data["entretien"]["prerequisites"], "entretien.prerequisites", errors)
    if isinstance(data.get("livret2"), dict):
        _check_mapping(data["livret2"], LIVRET2, "livret2", errors)
        for key in ("guidance", "motivation"):
            if isinstance(data["livret2"].get(key), list):
                _check_strings(data["livret2"][key], f"livret2.{key}", errors)
    mention_codes = set()
    for i, mention in enumerate(data.get("mentions") or []):
        if _check_mapping(mention, MENTION, f"mentions[{i}]", errors) and isinstance(mention.get("code"), str):
            mention_codes.add(mention["code"])
    numbers = set()
    units = data.get("units")
    if isinstance(units, list) and not units:
        errors.append(("units", "au moins une unité est attendue"))
    for i, unit in enumerate(units if isinstance(units, list) else []):
        place = f"units[{i}]"
        if not _check_mapping(unit, UNIT, place, errors):
            continue
        number = unit.get("number")
        if number in numbers:
            errors.append((f"{place}.number", f"numéro {number} en double"))
        numbers.add(number)
        if unit.get("mention") is not None and unit.get("mention") not in mention_codes:
            errors.append((f"{place}.mention", "mention inconnue (absente de mentions)"))
        for key in ("activities", "knowledge", "formative_evaluation", "intermediate_grid", "final_evaluation"):
            if isinstance(unit.get(key), list):
                _check_strings(unit[key], f"{place}.{key}", errors)
        activities = set(unit.get("activities") or []) if isinstance(unit.get("activities"), list) else set()
        for j, comp in enumerate(unit.get("competences") or []):
            cplace = f"{place}.competences[{j}]"
            if not _check_mapping(comp, COMPETENCE, cplace, errors):
                continue
            if comp.get("activity") is not None and comp.get("activity") not in activities:
                errors.append((f"{cplace}.activity", "activité absente de la liste activities de l'unité"))
            if isinstance(comp.get("questions"), list):
                _check_strings(comp["questions"], f"{cplace}.questions", errors)
        for j, group in enumerate(unit.get("criteria") or []):
            gplace = f"{place}.criteria[{j}]"
            if _check_mapping(group, CRITERIA_GROUP, gplace, errors) and isinstance(group.get("items"), list):
                _check_strings(group["items"], f"{gplace}.items", errors)
        if isinstance(unit.get("livret2"), dict):
            _check_mapping(unit["livret2"], UNIT_LIVRET2, f"{place}.livret2", errors)
            if isinstance(unit["livret2"].get("questions"), list):
                _check_strings(unit["livret2"]["questions"], f"{place}.livret2.questions", errors)
    return errors


def read_referentiel_file(path: Path) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"ligne {mark.line + 1}, colonne {mark.column + 1}" if mark else "fichier"
        raise ReferentielFileError(path, [(place, f"YAML invalide : {getattr(exc, 'problem', exc)}")]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferentielFileError(path, [("fichier", f"illisible : {exc}")]) from exc
    errors = validate_referentiel(data)
    if errors:
        raise ReferentielFileError(path, errors)
    return data


def content_hash(data: dict) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _create_version(certification, data, number, digest, source_file) -> ReferentielVersion:
    rules = data["rules"]
    version = ReferentielVersion.objects.create(
        certification=certification,
        number=number,
        is_current=True,
        published_on=data["published_on"],
        content_hash=digest,
        source_file=source_file,
        sources=data["sources"],
        summary=data["summary"] or "",
        entretien_scale=data["entretien"]["scale"],
        entretien_introduction=data["entretien"]["introduction"] or "",
        livret2_introduction=data["livret2"]["introduction"] or "",
        livret2_guidance=data["livret2"]["guidance"],
        livret2_motivation=data["livret2"]["motivation"],
        **{key: (value if value is not None else ("" if key == "experience_sector" else None)) for key, value in rules.items()},
    )
    mentions = {
        m["code"]: Mention.objects.create(version=version, code=m["code"], label=m["label"]) for m in data["mentions"]
    }
    Prerequisite.objects.bulk_create(
        Prerequisite(version=version, position=i, text=text) for i, text in enumerate(data["entretien"]["prerequisites"])
    )
    competences, knowledge, criteria, questions = [], [], [], []
    for u in data["units"]:
        unit = Unit.objects.create(
            version=version,
            number=u["number"],
            title=u["title"],
            mention=mentions.get(u["mention"]) if u["mention"] else None,
            description=u["description"] or "",
            activities=u["activities"],
            evaluation_modality=u["evaluation_modality"] or "",
            livret2_instructions=u["livret2"]["instructions"] or "",
            livret2_situations=u["livret2"]["situations"],
            livret2_min_competences=u["livret2"]["min_competences"],
        )
        competences += [
            Competence(unit=unit, position=i, text=c["text"], activity=c["activity"] or "", questions=c["questions"])
            for i, c in enumerate(u["competences"])
        ]
        knowledge += [Knowledge(unit=unit, position=i, text=t) for i, t in enumerate(u["knowledge"])]
        position = 0
        for group in u["criteria"]:
            for text in group["items"]:
                criteria.append(
                    Criterion(unit=unit, kind=CriterionKind.REFERENTIEL, position=position, group=group["group"] or "", text=text)
                )
                position += 1
        for key, kind in (
            ("formative_evaluation", CriterionKind.FORMATIVE),
            ("intermediate_grid", CriterionKind.INTERMEDIATE),
            ("final_evaluation", CriterionKind.FINAL),
        ):
            criteria += [Criterion(unit=unit, kind=kind, position=i, text=t) for i, t in enumerate(u[key])]
        questions += [Livret2Question(unit=unit, position=i, text=t) for i, t in enumerate(u["livret2"]["questions"])]
    Competence.objects.bulk_create(competences)
    Knowledge.objects.bulk_create(knowledge)
    Criterion.objects.bulk_create(criteria)
    Livret2Question.objects.bulk_create(questions)
    return version


def load_referentiel_data(data: dict, *, source_file: str) -> LoadResult:
    """Load one validated file's content: a new version only when it changed."""
    digest = content_hash(data)
    certification, _ = Certification.objects.get_or_create(
        code=data["code"].lower(),
        defaults={
            "title": data["title"],
            "certifier": data["certifier"],
            "rncp": data["rncp"] or "",
            "unit_kind": data["unit_kind"],
        },
    )
    current = certification.versions.select_for_update().filter(is_current=True).first()
    if current and current.content_hash == digest:
        return LoadResult(code=certification.code, version=current.number, created=False)
    Certification.objects.filter(pk=certification.pk).update(
        title=data["title"], certifier=data["certifier"], rncp=data["rncp"] or "", unit_kind=data["unit_kind"]
    )
    last = certification.versions.order_by("-number").first()
    if current:
        ReferentielVersion.objects.filter(pk=current.pk).update(is_current=False)
    version = _create_version(certification, data, (last.number + 1) if last else 1, digest, source_file)
    return LoadResult(code=certification.code, version=version.number, created=True)


def load_referentiels(paths) -> list[LoadResult]:
    """Validate every file first, then load them all in one transaction."""
    paths = sorted(Path(p) for p in paths)
    contents, problems = [], []
    for path in paths:
        try:
            contents.append((path, read_referentiel_file(path)))
        except ReferentielFileError as exc:
            problems.append(exc)
    if problems:
        raise problems[0] if len(problems) == 1 else ReferentielFileError(
            ", ".join(p.path for p in problems), [e for p in problems for e in ((p.path, "") ,) + tuple(p.errors)]
        )
    codes = [data["code"] for _, data in contents]
    duplicates = {c for c in codes if codes.count(c) > 1}
    if duplicates:
        raise ReferentielFileError("fixtures/referentiels", [("code", f"code en double : {', '.join(sorted(duplicates))}")])
    with transaction.atomic():
        return [load_referentiel_data(data, source_file=path.name) for path, data in contents]
