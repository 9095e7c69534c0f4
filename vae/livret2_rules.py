"""Business rules of the livret 2 and of the accompagnement, as plain functions on plain values (no ORM)."""

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class UnitSpec:
    """What the référentiel asks for one unit (read from referentiels.Unit)."""

    key: str
    label: str
    situations: int  # 0 = one free answer for the unit
    questions: int
    min_competences: int | None = None
    competences: int = 0
    bloc_questions: int = 0  # questions asked once for the whole unit (answered once, not per situation)


@dataclass
class SituationValues:
    unit_key: str
    position: int
    title: str = ""
    answers: list = field(default_factory=list)
    free_answer: str = ""
    competences: int = 0  # how many compétences are ticked


def situation_count(situations: int) -> int:
    """How many situation blocks a unit has: the number asked, or one free answer when none is asked."""
    return max(situations, 1)


def uses_free_answer(spec: UnitSpec) -> bool:
    """One free text instead of one answer per question: no situation asked (0), or no question written."""
    return spec.situations == 0 or spec.questions == 0


def _blank(value) -> bool:
    return not (value or "").strip()


def situation_label(spec: UnitSpec, position: int) -> str:
    if spec.situations == 0:
        return spec.label
    if spec.situations == 1:
        return f"{spec.label}, situation"
    return f"{spec.label}, situation n° {position}"


def missing_items(
    *,
    motivation_questions: int,
    motivation: list,
    units: list[UnitSpec],
    situations: list[SituationValues],
    bloc_answers: dict[str, list] | None = None,
) -> dict[str, list[str]]:
    """What is missing before the livret 2 can be sent, per section key (« motivation », then each unit key).

    ``bloc_answers``: unit key -> answers to the questions asked once for the unit.
    """
    missing: dict[str, list[str]] = {}

    def need(key, message):
        missing.setdefault(key, []).append(message)

    asked = max(motivation_questions, 1)
    answers = list(motivation or [])
    for index in range(asked):
        if _blank(answers[index] if index < len(answers) else ""):
            need(
                "motivation",
                f"Répondez à la question n° {index + 1} de « Votre projet »."
                if motivation_questions
                else "Présentez votre projet et votre motivation.",
            )
    by_unit = {}
    for values in situations:
        by_unit.setdefault(values.unit_key, {})[values.position] = values
    for spec in units:
        rows = by_unit.get(spec.key, {})
        given = list((bloc_answers or {}).get(spec.key) or [])
        for index in range(spec.bloc_questions):
            if _blank(given[index] if index < len(given) else ""):
                need(spec.key, f"{spec.label} : répondez à la question générale n° {index + 1}.")
        for position in range(1, situation_count(spec.situations) + 1):
            values = rows.get(position) or SituationValues(unit_key=spec.key, position=position)
            label = situation_label(spec, position)
            if spec.situations and _blank(values.title):
                need(spec.key, f"{label} : donnez un intitulé à la situation.")
            if uses_free_answer(spec):
                if _blank(values.free_answer):
                    need(spec.key, f"{label} : rédigez votre réponse.")
            else:
                given = list(values.answers or [])
                for index in range(spec.questions):
                    if _blank(given[index] if index < len(given) else ""):
                        need(spec.key, f"{label} : répondez à la question n° {index + 1}.")
            if spec.min_competences and values.competences < spec.min_competences:
                need(
                    spec.key,
                    f"{label} : cochez au moins {spec.min_competences} des {spec.competences} compétences "
                    f"abordées dans la situation ({values.competences} cochée{'s' if values.competences > 1 else ''}).",
                )
    return missing


def section_progress(*, units: list[UnitSpec], missing: dict[str, list[str]]) -> list[dict]:
    """Each section (« Votre projet », then each unit) with its title, completeness and what is missing."""
    sections = [{"key": "motivation", "title": "Votre projet et votre motivation"}]
    sections += [{"key": spec.key, "title": spec.label} for spec in units]
    for section in sections:
        section["missing"] = missing.get(section["key"], [])
        section["complete"] = not section["missing"]
    return sections


def progress_percent(sections: list[dict]) -> int:
    return round(100 * sum(1 for s in sections if s["complete"]) / len(sections)) if sections else 100


def convention_missing_terms(
    *, nature: str, sessions_count: int | None, session_hours, start_on, end_on, planned_dates: list
) -> list[str]:
    """What the convention must state before it can be accepted (nature, sessions, dates)."""
    missing = []
    if not nature:
        missing.append("la nature de l'accompagnement")
    if not sessions_count:
        missing.append("le nombre de séances")
    if not session_hours:
        missing.append("la durée d'une séance")
    if not planned_dates and not (start_on and end_on):
        missing.append("les dates (début et fin, ou la liste des séances)")
    return missing


def parse_dates(text: str) -> tuple[list[datetime.date], list[str]]:
    """« 02/11/2026, 16/11/2026 » or one per line, as dates (sorted); and the entries that are not dates."""
    dates, errors = [], []
    for chunk in (text or "").replace(";", ",").replace("\n", ",").split(","):
        chunk = chunk.strip()
        if not chunk:
            continue
        for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"):
            try:
                dates.append(datetime.datetime.strptime(chunk, fmt).date())
                break
            except ValueError:
                continue
        else:
            errors.append(chunk)
    return sorted(set(dates)), errors
