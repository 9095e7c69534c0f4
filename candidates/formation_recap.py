"""The recap shown before the candidate signs their part of the livret d'évaluation finale: per domaine (unit),
which question is answered and which is empty, the optional « Commentaire du candidat », and whether the part can
be signed (the same rule as ``formation_rules.candidate_missing``: a free answer written before the unit had
questions covers its questions)."""

from dataclasses import dataclass, field

ACTIVITIES_TITLE = "Activités réalisées en entreprise"


@dataclass
class RecapLine:
    label: str
    anchor: str  # the id of the field on the candidate's page
    answered: bool
    optional: bool = False

    @property
    def status(self) -> str:
        if self.answered:
            return "écrit" if self.optional else "répondu"
        return "vide (facultatif)" if self.optional else "vide"


@dataclass
class RecapSection:
    title: str
    anchor: str
    lines: list = field(default_factory=list)
    overall_answer: bool = False  # a free answer written before the unit had questions

    @property
    def complete(self) -> bool:
        return self.overall_answer or all(line.answered for line in self.lines if not line.optional)

    @property
    def answered_count(self) -> int:
        return sum(1 for line in self.lines if line.answered and not line.optional)

    @property
    def required_count(self) -> int:
        return sum(1 for line in self.lines if not line.optional)


@dataclass
class CandidateRecap:
    sections: list

    @property
    def complete(self) -> bool:
        return all(s.complete for s in self.sections)

    @property
    def answered_count(self) -> int:
        return sum(s.answered_count for s in self.sections)

    @property
    def required_count(self) -> int:
        return sum(s.required_count for s in self.sections)


def _filled(text) -> bool:
    return bool((text or "").strip())


def candidate_recap(file) -> CandidateRecap:
    """``file``: a ``formation_file.FormationFile``."""
    activities = file.livret.candidate_activities if file.livret else ""
    sections = [
        RecapSection(
            ACTIVITIES_TITLE,
            "id_activities",
            [RecapLine("Descriptif des activités", "id_activities", _filled(activities))],
        )
    ]
    for u in file.units:
        pk = u.unit.pk
        section = RecapSection(u.label, f"unit-{pk}", overall_answer=bool(u.question_answers) and _filled(u.answer))
        if u.question_answers:
            section.lines = [
                RecapLine(f"Question {i} : {question}", f"id_answer_{pk}_{i - 1}", _filled(answer))
                for i, (question, answer) in enumerate(u.question_answers, start=1)
            ]
        else:
            section.lines = [RecapLine("Votre réponse", f"id_answer_{pk}", _filled(u.answer))]
        if u.unit.final_candidate_comment:
            section.lines.append(
                RecapLine("Commentaire du candidat", f"id_comment_{pk}", _filled(u.candidate_comment), optional=True)
            )
        sections.append(section)
    return CandidateRecap(sections)
