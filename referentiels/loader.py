"""Load the référentiel YAML files (fixtures/referentiels/*.yaml).

``validate_referentiel(data)`` checks one file's content against the format of
SCHEMA.md (``referentiels/schema.py``) and returns the errors with their place; ``load_referentiels(paths)``
loads every file in one transaction: all or nothing.
"""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction

from . import choices
from .enums import CriterionKind
from .models import (
    Certification,
    Certifier,
    Competence,
    Criterion,
    Knowledge,
    Livret2Question,
    Mention,
    Prerequisite,
    ReferentielVersion,
    Unit,
)
from .schema import certifier_errors, schema_errors


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


def validate_referentiel(data) -> list[tuple[str, str]]:
    """Return the list of (place, message) errors of one file's content.

    First the format (referentiels/schema.py: keys, types, required texts non-empty); then, on a well-formed file,
    what ties its parts together: unique unit numbers, known mentions and activities, training hours in order.
    """
    errors = schema_errors(data)
    if errors:
        return errors
    rules = data["rules"]
    lo, hi = rules["training_hours_min"], rules["training_hours_max"]
    if lo is not None and hi is not None and lo > hi:
        errors.append(("rules.training_hours_max", "doit être supérieur ou égal au minimum"))
    if rules["jury_presentation_minutes"] and not rules["jury_presentation_topics"]:
        errors.append(("rules.jury_presentation_topics", "dites ce que la présentation devant le jury doit couvrir"))
    if not rules["jury_presentation_minutes"] and rules["jury_presentation_topics"]:
        errors.append(
            ("rules.jury_presentation_topics", "doit être vide quand il n'y a pas de présentation (0 minute)")
        )
    mention_codes = {mention["code"] for mention in data["mentions"]}
    numbers = set()
    for i, unit in enumerate(data["units"]):
        where = f"units[{i}]"
        if unit["number"] in numbers:
            errors.append((f"{where}.number", f"numéro {unit['number']} en double"))
        numbers.add(unit["number"])
        if unit["mention"] is not None and unit["mention"] not in mention_codes:
            errors.append((f"{where}.mention", "mention inconnue (absente de mentions)"))
        activities = set(unit["activities"])
        for j, competence in enumerate(unit["competences"]):
            if competence["activity"] is not None and competence["activity"] not in activities:
                errors.append(
                    (f"{where}.competences[{j}].activity", "activité absente de la liste activities de l'unité")
                )
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
        livret2_documents=data["livret2"].get("documents") or [],
        livret2_platform_note=data["livret2"].get("platform_note") or "",
        target_rules=data.get("targets") or {},
        **{
            key: (value if value is not None else ("" if key == "experience_sector" else None))
            for key, value in rules.items()
        },
    )
    mentions = {
        m["code"]: Mention.objects.create(version=version, code=m["code"], label=m["label"]) for m in data["mentions"]
    }
    Prerequisite.objects.bulk_create(
        Prerequisite(version=version, position=i, text=text)
        for i, text in enumerate(data["entretien"]["prerequisites"])
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
            livret2_bloc_questions=u["livret2"].get("bloc_questions") or [],
            livret2_situations=u["livret2"]["situations"],
            livret2_min_competences=u["livret2"]["min_competences"],
            final_questions=(u.get("evaluation_finale") or {}).get("questions") or [],
            final_candidate_comment=bool((u.get("evaluation_finale") or {}).get("candidate_comment")),
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
                    Criterion(
                        unit=unit,
                        kind=CriterionKind.REFERENTIEL,
                        position=position,
                        group=group["group"] or "",
                        text=text,
                    )
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


def read_certifiers_file(path: Path) -> list[dict]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (yaml.YAMLError, OSError, UnicodeDecodeError) as exc:
        raise ReferentielFileError(path, [("fichier", f"illisible : {exc}")]) from exc
    errors = certifier_errors(data)
    codes = [entry.get("code") for entry in data] if isinstance(data, list) else []
    errors += [("code", f"code en double : {c}") for c in sorted({c for c in codes if codes.count(c) > 1})]
    if errors:
        raise ReferentielFileError(path, errors)
    return data


def load_certifiers(entries: list[dict]) -> dict[str, Certifier]:
    """Create or update the certifiers of fixtures/certifiers.yaml (by code)."""
    return {
        entry["code"]: Certifier.objects.update_or_create(
            code=entry["code"], defaults={k: v for k, v in entry.items() if k != "code"}
        )[0]
        for entry in entries
    }


def load_referentiel_data(data: dict, *, source_file: str) -> LoadResult:
    """Load one validated file's content: a new version only when it changed."""
    digest = content_hash(data)
    certifier = Certifier.objects.filter(code=data["certifier"]).first()
    if certifier is None:
        raise ReferentielFileError(source_file, [("certifier", f"certificateur inconnu : {data['certifier']}")])
    certification, _ = Certification.objects.get_or_create(
        code=data["code"].lower(),
        defaults={
            "title": data["title"],
            "certifier": certifier,
            "rncp": data["rncp"] or "",
            "unit_kind": data["unit_kind"],
        },
    )
    current = certification.versions.select_for_update().filter(is_current=True).first()
    if current and current.content_hash == digest:
        return LoadResult(code=certification.code, version=current.number, created=False)
    Certification.objects.filter(pk=certification.pk).update(
        title=data["title"], certifier=certifier, rncp=data["rncp"] or "", unit_kind=data["unit_kind"]
    )
    choices.forget()  # the title may have changed: the lists' filters read it again (an update sends no signal)
    last = certification.versions.order_by("-number").first()
    if current:
        ReferentielVersion.objects.filter(pk=current.pk).update(is_current=False)
    version = _create_version(certification, data, (last.number + 1) if last else 1, digest, source_file)
    return LoadResult(code=certification.code, version=version.number, created=True)


def load_referentiels(paths, *, certifiers_path=None) -> list[LoadResult]:
    """Validate every file first, then load them all in one transaction (the certifiers first, when given)."""
    certifiers = read_certifiers_file(certifiers_path) if certifiers_path else []
    paths = sorted(Path(p) for p in paths)
    contents, problems = [], []
    for path in paths:
        try:
            contents.append((path, read_referentiel_file(path)))
        except ReferentielFileError as exc:
            problems.append(exc)
    if problems:
        raise (
            problems[0]
            if len(problems) == 1
            else ReferentielFileError(
                ", ".join(p.path for p in problems), [e for p in problems for e in ((p.path, ""),) + tuple(p.errors)]
            )
        )
    codes = [data["code"] for _, data in contents]
    duplicates = {c for c in codes if codes.count(c) > 1}
    if duplicates:
        raise ReferentielFileError(
            "fixtures/referentiels", [("code", f"code en double : {', '.join(sorted(duplicates))}")]
        )
    with transaction.atomic():
        load_certifiers(certifiers)
        return [load_referentiel_data(data, source_file=path.name) for path, data in contents]
