"""Business rules of the livret 1, as plain functions on plain values (no ORM): table-tested."""

import datetime

from candidates.deadlines import instruction_deadline, recevabilite_valid_until  # noqa: F401  (re-exported)
from candidates.experience import ExperienceCheck, Period, check_experience, date_problem, period_problems
from referentiels.expected_documents import LIVRET1, expected_documents, missing_required

from .enums import SECTIONS, DemandNature, ExperienceStatus, Situation

ETAT_CIVIL_REQUIRED = {
    "birth_name": "le nom de naissance",
    "first_names": "les prénoms",
    "sex": "le sexe",
    "birth_date": "la date de naissance",
    "birth_place": "le lieu de naissance",
    "nationality": "la nationalité",
    "address": "l'adresse",
    "phone": "le téléphone",
    "email": "l'adresse e-mail",
}
FORMATION_REQUIRED = {
    "last_class": "la dernière classe suivie",
    "highest_diploma": "le diplôme le plus élevé obtenu (indiquez « aucun » le cas échéant)",
}
EXPERIENCE_REQUIRED = {
    "function": "l'emploi ou la fonction",
    "organisation": "l'organisation",
    "status": "le statut",
    "start": "la date de début",
    "activities": "les activités réalisées",
}


def _get(row, name):
    return row.get(name) if isinstance(row, dict) else getattr(row, name, None)


def periods_from_rows(rows, *, today: datetime.date) -> list[Period]:
    """Experience rows (dicts or objects with start, end, status) as Periods; no end date = « en cours », counted until
    today. Dates in the future are not cut silently: ``date_problems`` names them and the livret cannot be sent."""
    periods = []
    for row in rows:
        start = _get(row, "start")
        if not start:
            continue
        end = _get(row, "end") or today
        periods.append(Period(start=start, end=end, status=_get(row, "status") or ExperienceStatus.SALARIE))
    return periods


def experience_total(rows, *, required_months: int, window_years: int | None, today: datetime.date) -> ExperienceCheck:
    """Real duration of the declared experience against the CQP minimum (overlaps once, gaps and training excluded),
    in exact calendar months and days."""
    return check_experience(
        periods_from_rows(rows, today=today), required_months=required_months, window_years=window_years, today=today
    )


# Dates the candidate types outside the experiences: their label and the message for a date in the future.
TYPED_DATES = {
    "birth_date": ("etat_civil", "la date de naissance", "La date de naissance est dans le futur."),
    "declaration_date": ("declaration", "la date de la déclaration", "La date de la déclaration est dans le futur."),
}


def field_date_problems(fields: dict, *, today: datetime.date) -> dict[str, str]:
    """Problems of the dates typed in the livret's own fields (field name -> French message)."""
    problems = {}
    for name, (_, _, future) in TYPED_DATES.items():
        problem = date_problem(fields.get(name), today, future_message=future)
        if problem:
            problems[name] = problem
    return problems


def date_problems(*, fields: dict, experiences: list, today: datetime.date) -> dict[str, list[str]]:
    """Every date problem of a livret 1, per section, in French (the list shown at sending and at the sections)."""
    found: dict[str, list[str]] = {}
    for name, problem in field_date_problems(fields, today=today).items():
        section, label, _ = TYPED_DATES[name]
        found.setdefault(section, []).append(f"{label[0].upper()}{label[1:]} : {problem}")
    for index, row in enumerate(experiences, start=1):
        problems = period_problems(_get(row, "start"), _get(row, "end"), today)
        for name, label in (("start", "date de début"), ("end", "date de fin")):
            if name in problems:
                found.setdefault("experiences", []).append(f"Expérience n° {index}, {label} : {problems[name]}")
    return found


def missing_items(
    *,
    fields: dict,
    experiences: list,
    piece_kinds: list[str],
    today: datetime.date | None = None,
    expected: list[dict] | None = None,
) -> dict[str, list[str]]:
    """What is missing or wrong before the livret can be submitted, per section (French messages; empty dict =
    complete). With ``today``, dates in the future, before 1950 or in the wrong order are listed too."""
    missing: dict[str, list[str]] = {}
    wrong_dates = date_problems(fields=fields, experiences=experiences, today=today) if today else {}

    def need(section, message):
        missing.setdefault(section, []).append(message)

    if fields.get("nature") not in DemandNature.values:
        need("nature", "Indiquez la nature de la demande.")
    for name, label in ETAT_CIVIL_REQUIRED.items():
        if not fields.get(name):
            need("etat_civil", f"Indiquez {label}.")
    if not fields.get("situation"):
        need("situation", "Indiquez votre situation actuelle.")
    elif fields["situation"] == Situation.AUTRE and not (fields.get("situation_detail") or "").strip():
        need("situation", "Précisez votre situation actuelle.")
    for name, label in FORMATION_REQUIRED.items():
        if not (fields.get(name) or "").strip():
            need("formation", f"Indiquez {label}.")
    if not experiences:
        need("experiences", "Décrivez au moins une expérience en rapport direct avec le CQP.")
    counted = 0
    for index, row in enumerate(experiences, start=1):
        for name, label in EXPERIENCE_REQUIRED.items():
            value = _get(row, name)
            if not (value.strip() if isinstance(value, str) else value):
                need("experiences", f"Expérience n° {index} : indiquez {label}.")
        start, end = _get(row, "start"), _get(row, "end")
        if start and end and end < start and not today:
            need("experiences", f"Expérience n° {index} : la date de fin précède la date de début.")
        if _get(row, "status") and _get(row, "status") != ExperienceStatus.FORMATION:
            counted += 1
    if experiences and not counted:
        need(
            "experiences",
            "Les périodes de formation et de stage ne comptent pas : déclarez au moins une expérience "
            "salariée, non salariée, bénévole, syndicale ou de volontariat.",
        )
    if not fields.get("declaration_accepted"):
        need("declaration", "Cochez la déclaration sur l'honneur.")
    if not (fields.get("declaration_place") or "").strip():
        need("declaration", "Indiquez le lieu de la déclaration (« Fait à »).")
    if not fields.get("declaration_date"):
        need("declaration", "Indiquez la date de la déclaration.")
    for section, problems in wrong_dates.items():
        for problem in problems:
            need(section, problem)
    slots = expected if expected is not None else expected_documents("", "vae", LIVRET1)
    for slot in missing_required(slots, piece_kinds):
        need("pieces", f"Joignez {slot['ask']}.")
    return {key: missing[key] for key in SECTIONS if key in missing}


def section_progress(missing: dict[str, list[str]]) -> list[dict]:
    """Each section with its title and whether it is complete, in the cerfa's order."""
    return [
        {"key": key, "title": title, "complete": key not in missing, "missing": missing.get(key, [])}
        for key, title in SECTIONS.items()
    ]


def progress_percent(missing: dict[str, list[str]]) -> int:
    return round(100 * sum(1 for key in SECTIONS if key not in missing) / len(SECTIONS))


def tacit_acceptance_due(
    *, is_submitted: bool, deadline: datetime.date | None, silence_is_acceptance: bool, today: datetime.date
) -> bool:
    """Silence at the end of the instruction delay means acceptance, only where the CQP says so (Ucanss, seed 004
    L35).
    """
    return bool(is_submitted and silence_is_acceptance and deadline and deadline < today)


def is_expired(valid_until: datetime.date | None, today: datetime.date) -> bool:
    """A favourable decision is valid up to and including valid_until; None = not limited."""
    return valid_until is not None and today > valid_until


def renewal_kind(dossier_version, current_version) -> str:
    """Seed 004 L27-31: prorogation if the référentiel is unchanged, renouvellement if it was modified."""
    if current_version is None or current_version == dossier_version:
        return DemandNature.PROROGATION.value
    return DemandNature.RENOUVELLEMENT.value


def experience_rule_label(required_months: int, window_years: int | None) -> str:
    """« 1 an », « 3 ans sur les 12 dernières années »."""
    years, rest = divmod(required_months, 12)
    need = f"{years} an{'s' if years > 1 else ''}" if not rest else f"{required_months} mois"
    return f"{need} sur les {window_years} dernières années" if window_years else need


ENTRETIEN_TO_BOOK = (
    "Prenez rendez-vous pour votre entretien d'accueil et d'orientation : pour ce CQP, le livret 1 s'envoie une fois "
    "l'entretien validé par l'intervieweur et par vous."
)
ENTRETIEN_TO_VALIDATE = (
    "Relisez et validez votre entretien d'accueil et d'orientation : pour ce CQP, le livret 1 s'envoie une fois "
    "l'entretien validé par l'intervieweur et par vous."
)


def entretien_gate(*, required: bool, entretien_state: str) -> str:
    """Why the livret 1 cannot be sent yet ('' when it can): the référentiel's ``entretien_before_livret1`` (seeds
    001, 002, 003: the entretien d'accueil comes first on the VAE path; not Ucanss, seed 004)."""
    if not required or entretien_state == "valide":
        return ""
    if entretien_state == "valide_interviewer":
        return ENTRETIEN_TO_VALIDATE
    return ENTRETIEN_TO_BOOK
