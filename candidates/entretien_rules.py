"""Plain rules of the entretien d'accueil et d'orientation (plain values in, French lines out): table-tested."""

from referentiels.enums import DirectEvaluation

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


# The top and the bottom of each guide d'entretien's scale (candidates/enums.py SCALE_CHOICES, rules.md §16).
ACQUIRED = {"oui": "Oui", "en_totalite": "En totalité"}
NOT_ACQUIRED = {"non": "Non", "pas_du_tout": "Pas du tout"}

DIRECT_EVALUATION_RULES = {
    DirectEvaluation.WHOLE_UNIT_ACQUIRED: "l'évaluation directe, sans formation, n'est possible que lorsque toutes "
    "les compétences de l'unité sont acquises ({acquired})",
    DirectEvaluation.UNIT_ACQUIRED: "l'évaluation directe, sans formation, est possible pour une unité qui "
    "correspond aux acquis du candidat : aucune compétence appréciée {not_acquired}",
    DirectEvaluation.NOT_ALLOWED: "ce CQP ne prévoit pas d'évaluation directe : orientez l'unité vers la VAE ou la "
    "formation",
}


def _quoted(labels: dict, scale_values) -> str:
    """« Oui » (a scale's value), or « Oui » ou « En totalité » when the scale is not known."""
    return " ou ".join(f"« {label} »" for value, label in labels.items() if not scale_values or value in scale_values)


def _rule_text(rule: str, scale_values) -> str:
    return DIRECT_EVALUATION_RULES[rule].format(
        acquired=_quoted(ACQUIRED, scale_values), not_acquired=_quoted(NOT_ACQUIRED, scale_values)
    )


def direct_evaluation_rule(rule: str, scale_values=()) -> str:
    """The CQP's rule, as a French sentence (shown next to the orientation choice), in the words of its scale."""
    if rule not in DIRECT_EVALUATION_RULES:
        return ""
    text = _rule_text(rule, scale_values)
    return text[:1].upper() + text[1:] + "."


def direct_evaluation_refusal(rule: str, label: str, assessments, scale_values=()) -> str:
    """Why ``label`` may not be oriented to « évaluation directe » under the CQP's ``rule`` ('' when it may).

    ``assessments``: (compétence text, assessment value or '') of the unit; ``scale_values``: the values of the CQP's
    scale (for the words of the message). A compétence not yet appreciated does not refuse (the completeness check
    asks for it); a unit without compétence is not refused either.
    """
    if rule == DirectEvaluation.NOT_ALLOWED:
        return f"Évaluation directe impossible pour « {label} » : {_rule_text(rule, scale_values)}."
    if rule == DirectEvaluation.WHOLE_UNIT_ACQUIRED:
        blocking = [(text, value) for text, value in assessments if value and value not in ACQUIRED]
    elif rule == DirectEvaluation.UNIT_ACQUIRED:
        blocking = [(text, value) for text, value in assessments if value in NOT_ACQUIRED]
    else:
        return ""
    if not blocking:
        return ""
    rated = " ; ".join(f"« {text} » ({_rating_label(value)})" for text, value in blocking)
    return (
        f"Évaluation directe impossible pour « {label} » : {_rule_text(rule, scale_values)}. "
        f"Compétence(s) en cause : {rated}. Orientez l'unité vers la formation ou la VAE."
    )


def _rating_label(value: str) -> str:
    return {**ACQUIRED, **NOT_ACQUIRED}.get(value, "Partiellement")


def vae_experience_line(check, rule_label: str) -> str:
    """« Expérience comptée : 2 ans et 4 mois — seuil du CQP : 3 ans sur les 12 dernières années »."""
    counted = check.label if check is not None else "aucune expérience saisie"
    threshold = rule_label.removeprefix("au minimum ")
    return f"Expérience comptée : {counted} — seuil du CQP : {threshold}"


def vae_experience_warning(check) -> str:
    """A warning (never a refusal) when the experience counted is under the CQP's threshold."""
    if check is None:
        return "Aucune expérience saisie : vérifiez la condition d'expérience avant d'orienter vers la VAE."
    if check.sufficient:
        return ""
    return (
        f"Expérience sous le seuil du CQP (il manque {check.missing_label}) : l'orientation vers la VAE reste "
        "possible, la recevabilité en décidera."
    )


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
