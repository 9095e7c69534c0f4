"""Plain rules of the voie formative (plain values in, French lines out): what a signature or the transmission of
the livret d'évaluation finale still needs. Table-tested."""

SLOTS = (1, 2)


def formative_missing(*, held_on, result, trainer_name, criteria, ratings) -> list[str]:
    missing = []
    if not held_on:
        missing.append("la date de l'évaluation formative")
    if not result:
        missing.append("le résultat (objectif non atteint, atteint ou en progression)")
    if not (trainer_name or "").strip():
        missing.append("le nom du formateur ayant procédé à l'évaluation")
    missing += [f"l'évaluation du critère « {c.text} »" for c in criteria if not ratings.get(c.pk)]
    return missing


def assessment_missing(*, evaluated_on, mastery, criteria, ratings) -> list[str]:
    missing = []
    if not evaluated_on:
        missing.append("la date de l'évaluation")
    missing += [f"la réponse OUI / NON au critère « {c.text} »" for c in criteria if not ratings.get(c.pk)]
    if not mastery:
        missing.append("votre avis sur la maîtrise (maîtrisé ou pas totalement maîtrisé)")
    return missing


def candidate_missing(*, activities, units) -> list[str]:
    """``units``: (label, questions, free answer, answers to the questions) for each unit of the candidate's part.

    A unit with questions needs an answer to each (a free answer written before the unit had questions counts);
    a unit without questions needs its free answer."""
    missing = []
    if not (activities or "").strip():
        missing.append("le descriptif des activités réalisées en entreprise")
    for label, questions, text, answers in units:
        if (text or "").strip():
            continue
        if not questions:
            missing.append(f"votre réponse pour : {label}")
            continue
        given = list(answers or [])
        missing += [
            f"votre réponse à la question {i} (« {q} ») pour : {label}"
            for i, q in enumerate(questions, start=1)
            if not (given[i - 1] if i <= len(given) else "").strip()
        ]
    return missing


def synthesis_line_complete(line) -> bool:
    return (
        line is not None
        and line.activities_exercised is not None
        and line.evaluated_from is not None
        and bool((line.conditions or "").strip())
    )


def evaluator_sign_missing(*, slot, units, signed_units, complete_lines) -> list[str]:
    missing = [f"votre évaluation signée pour : {label}" for unit_id, label in units if unit_id not in signed_units]
    missing += [
        f"la ligne de la fiche de synthèse pour : {label}" for unit_id, label in units if unit_id not in complete_lines
    ]
    return missing


def livret_evaluation_missing(
    *, units, evaluators, candidate_signed, signed_assessments, complete_lines, evaluator_signed
) -> list[str]:
    """What must still be done before the RH transmits the livret (plain values)."""
    missing = []
    for slot in SLOTS:
        if not evaluators.get(slot):
            missing.append(f"la désignation de l'évaluateur {slot}")
    if not candidate_signed:
        missing.append("la partie du candidat, remplie et signée par le candidat")
    for unit_id, label in units:
        for slot in SLOTS:
            if (unit_id, slot) not in signed_assessments:
                missing.append(f"l'évaluation signée de l'évaluateur {slot} pour : {label}")
    for unit_id, label in units:
        if unit_id not in complete_lines:
            missing.append(f"la ligne de la fiche de synthèse pour : {label}")
    for slot in SLOTS:
        if not evaluator_signed.get(slot):
            missing.append(f"la signature de la fiche de synthèse et de l'attestation par l'évaluateur {slot}")
    return missing


CANDIDATE_FIRST = "la partie du candidat, remplie et signée par le candidat (les évaluateurs signent après elle)"


def hours_label(hours: int) -> str:
    return f"{hours} h"


def parcours_missing(*, units, orientations, planned_hours, done_hours, formative_signed, norm="") -> list[str]:
    """What the parcours de formation still needs before the livret is transmitted (plain values).

    ``units``: [(unit id, label)]; ``orientations``: {unit id: orientation decided at the entretien};
    ``planned_hours``: {unit id: hours of the parcours planned at the entretien (within the CQP's norm, ``norm``)};
    ``done_hours``: {unit id: hours followed, recorded in the livret de suivi}; ``formative_signed``: unit ids whose
    évaluation formative is signed. Only units oriented to « formation » need hours and an évaluation formative.
    """
    missing = []
    norm_note = f" ; durée de référence du CQP : {norm}" if norm else ""
    for unit_id, label in units:
        if orientations.get(unit_id) != "formation":
            continue
        planned, done = planned_hours.get(unit_id, 0), done_hours.get(unit_id, 0)
        if done < planned:
            missing.append(
                f"les heures de formation pour : {label} ({hours_label(done)} suivies sur "
                f"{hours_label(planned)} prévues au parcours{norm_note})"
            )
    for unit_id, label in units:
        if orientations.get(unit_id) == "formation" and unit_id not in formative_signed:
            missing.append(f"l'évaluation formative signée pour : {label}")
    return missing


def module_done(end_on, today) -> bool:
    """A module of the livret de suivi counts once followed: its end date is past or today (no end date: recorded
    as followed by the centre)."""
    return end_on is None or end_on <= today
