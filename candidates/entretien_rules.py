"""Plain rules of the entretien d'accueil et d'orientation (plain values in, French lines out): table-tested."""

from .enums import UnitOrientation
from .experience import ExperienceCheck, check_experience, declared_check


def parcours_total_hours(hours) -> int:
    return sum(h or 0 for h in hours)


def parcours_norm_warning(total: int, minimum: int | None, maximum: int | None) -> str:
    """A French warning when the parcours's total is outside the CQP's norm; '' when inside or no norm."""
    if minimum is None and maximum is None:
        return ""
    if minimum is not None and total < minimum:
        return (
            f"Le parcours totalise {total} h, en dessous de la durée de référence du CQP "
            f"({norm_label(minimum, maximum)})."
        )
    if maximum is not None and total > maximum:
        return (
            f"Le parcours totalise {total} h, au-dessus de la durée de référence du CQP "
            f"({norm_label(minimum, maximum)})."
        )
    return ""


def norm_label(minimum, maximum) -> str:
    if minimum is not None and maximum is not None:
        return f"{minimum} à {maximum} h"
    if minimum is not None:
        return f"au moins {minimum} h"
    if maximum is not None:
        return f"au plus {maximum} h"
    return "pas de durée de référence"


def experience_verdict(periods, declared_months, *, required_months, window_years, today) -> ExperienceCheck | None:
    """Periods when the candidate declared some (counted by check_experience), else the declared months."""
    if periods:
        return check_experience(periods, required_months=required_months, window_years=window_years, today=today)
    if declared_months is not None:
        return declared_check(int(declared_months), required_months=required_months, window_years=window_years)
    return None


def missing_knowledge(block) -> list[str]:
    """The savoirs of one unit block left without appreciation (an entretien that does not ask them has none)."""
    return [
        f"l'appréciation du savoir « {line.knowledge.text} » ({block.label})"
        for line in getattr(block, "knowledge", [])
        if not line.assessment
    ]


def missing_items(
    *, held_on, interviewer_function, organisation, synthesis, prerequisites, units, modules
) -> list[str]:
    """What the interviewer must still fill in before validating (plain values in, French lines out)."""
    missing = []
    if not held_on:
        missing.append("la date de l'entretien")
    if not (interviewer_function or "").strip():
        missing.append("la fonction de l'intervieweur")
    if not (organisation or "").strip():
        missing.append("l'organisation de l'intervieweur")
    for line in prerequisites:
        if not line.answer:
            missing.append(f"la réponse (Oui / Non) au prérequis « {line.prerequisite.text} »")
    refused = any(line.answer == "non" for line in prerequisites)
    if not refused:
        for block in units:
            for comp in block.competences:
                if not comp.assessment:
                    missing.append(f"l'appréciation de la compétence « {comp.competence.text} » ({block.label})")
            missing += missing_knowledge(block)
            if not block.orientation:
                missing.append(f"l'orientation (VAE, évaluation directe ou formation) de : {block.label}")
            elif block.orientation == UnitOrientation.FORMATION and not any(
                m.unit_id == block.unit.pk for m in modules
            ):
                missing.append(f"au moins un module du parcours de formation pour : {block.label}")
    if not (synthesis or "").strip():
        missing.append("la synthèse de l'entretien")
    return missing
