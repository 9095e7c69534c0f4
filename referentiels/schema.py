"""The format of a référentiel YAML file (fixtures/referentiels/SCHEMA.md), as pydantic models.

Strict: every key is required (``null``, ``""`` or ``[]`` where the format allows them), unknown keys are refused, no
conversion (``"3"`` is not a number, ``1`` is not a boolean). Every text the format requires is non-empty after
stripping (``Text``); the texts the format allows empty are ``str``. ``schema_errors(data)`` returns the errors as
(place, French message), the place written as in the document (``units[2].title``).
"""

import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from .enums import DirectEvaluation, EntretienScale, UnitKind

Text = Annotated[str, StringConstraints(pattern=r"\S")]  # required text: something else than spaces
Code = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9-]+$")]
Count = Annotated[int, Field(ge=0)]
CertifierCode = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$")]
UnitKindValue = Literal[tuple(UnitKind.values)]
ScaleValue = Literal[tuple(EntretienScale.values)]
DirectEvaluationValue = Literal[tuple(DirectEvaluation.values)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class College(Strict):
    college: Literal["employeur", "salarie"]
    label: Text
    plural: Text
    min: Count
    max: Count


class Signatory(Strict):
    name: str
    title: Text


class Certifier(Strict):
    """One entry of fixtures/certifiers.yaml (referentiels/certifiers.py)."""

    code: CertifierCode
    name: Text
    designation: Text
    long_name: str
    operator: str
    operator_long_name: str
    contact_label: Text
    address: str
    email: str
    phone: str
    website: str
    legal_mentions: str
    legal_basis: Text
    recevabilite_body: Text
    recevabilite_wording: str
    jury_label: Text
    jury_min_members: Annotated[int, Field(ge=1)]
    jury_max_members: Annotated[int, Field(ge=1)]
    jury_colleges: Annotated[list[College], Field(min_length=1)]
    president_alternates: bool
    signatories: dict[Literal["certificate", "fiche", "convocation", "notification"], Signatory]
    dossier_transmission: str
    reminder_sender_name: str
    reminder_sender_email: str


class Mention(Strict):
    code: Text
    label: Text


class Rules(Strict):
    min_experience_months: Count
    experience_window_years: Count | None
    experience_sector: str
    first_jury_window_years: Count
    partial_validity_years: Count | None
    recevabilite_validity_months: Count | None
    instruction_delay_months: Count
    silence_is_acceptance: bool
    entretien_before_livret1: bool
    livret2_due_months_before_session: Count
    jury_presentation_minutes: Count
    jury_interview_minutes: Count
    jury_presentation_topics: list[Text]
    training_hours_min: Count | None
    training_hours_max: Count | None
    direct_evaluation: DirectEvaluationValue


class Commission(Strict):
    """The commission paritaire's composition: ``per_college`` representatives of each college."""

    per_college: Annotated[int, Field(ge=1)]


class Targets(Strict):
    """Which units a path may target and who validates them (seed 003 L36, L81, L183)."""

    partial_allowed: bool
    commission_when: Literal["partial", "single"]
    commission: Commission


class Entretien(Strict):
    scale: ScaleValue
    introduction: str
    prerequisites: list[Text]


def _not_a_document(text: str) -> str:
    """A question is answered in writing: a « joindre … » item is a requested document (``documents``)."""
    if "joindre" in text.lower():
        raise ValueError("« joindre … » est un document demandé, pas une question : placez-le sous livret2.documents")
    return text


Question = Annotated[Text, AfterValidator(_not_a_document)]


class Livret2(Strict):
    introduction: str
    guidance: list[Text]
    motivation: list[Question]
    documents: list[Text] = []
    # One line shown in the livret 2 when its questions were written for the platform (the seed has none).
    platform_note: Text | None = None


LIVRET2_ITEM_KINDS = {
    "instruction": "consigne (guidance seulement, sans réponse)",
    "question": "question (une réponse par bloc, ou par situation)",
    "document": "document demandé (« joindre … » : une pièce à déposer, sans réponse écrite)",
}


class Competence(Strict):
    text: Text
    activity: Text | None
    questions: list[Text]


class CriteriaGroup(Strict):
    group: Text | None
    items: list[Text]


class UnitLivret2(Strict):
    instructions: Text
    bloc_questions: list[Question] = []
    situations: Count
    min_competences: Count | None
    questions: list[Text]


class UnitEvaluationFinale(Strict):
    """The candidate's part of the livret d'évaluation finale en entreprise for one unit (voie formative)."""

    questions: list[Text] = []
    candidate_comment: bool = False


class Unit(Strict):
    number: Annotated[int, Field(ge=1)]
    title: Text
    mention: Text | None
    description: str
    activities: list[Text]
    competences: list[Competence]
    knowledge: list[Text]
    criteria: list[CriteriaGroup]
    evaluation_modality: str
    livret2: UnitLivret2
    formative_evaluation: list[Text]
    intermediate_grid: list[Text]
    final_evaluation: list[Text]
    evaluation_finale: UnitEvaluationFinale = UnitEvaluationFinale()


class Referentiel(Strict):
    code: Code
    title: Text
    certifier: CertifierCode
    rncp: Text | None
    unit_kind: UnitKindValue
    published_on: datetime.date
    sources: list[Text]
    summary: str
    mentions: list[Mention]
    rules: Rules
    targets: Targets | None = None  # absent: every dossier targets the whole CQP and goes to the jury
    entretien: Entretien
    livret2: Livret2
    units: Annotated[list[Unit], Field(min_length=1)]


TYPE_NAMES = {
    "str": "texte",
    "int": "entier",
    "bool": "booléen",
    "float": "nombre décimal",
    "NoneType": "null",
    "list": "liste",
    "dict": "objet",
    "date": "date",
    "datetime": "date et heure",
}
EXPECTED = {
    "string_type": "texte",
    "int_type": "entier",
    "bool_type": "booléen",
    "date_type": "date (AAAA-MM-JJ)",
    "list_type": "liste",
    "model_type": "objet (clé: valeur)",
    "dict_type": "objet (clé: valeur)",
}


def place(loc) -> str:
    """('units', 2, 'title') -> 'units[2].title'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "document"


def _message(error) -> str:
    kind, value, where = error["type"], error.get("input"), error["loc"]
    if kind == "missing":
        return "clé obligatoire absente"
    if kind == "extra_forbidden":
        return "clé inconnue"
    if kind in EXPECTED:
        if value is None:
            return "valeur obligatoire (null refusé)"
        return f"{EXPECTED[kind]} attendu, reçu {TYPE_NAMES.get(type(value).__name__, type(value).__name__)}"
    if kind == "string_pattern_mismatch":
        if where == ("code",):
            return "majuscules, chiffres et tirets seulement"
        if where == ("certifier",):
            return "code de certificateur attendu (minuscules, chiffres et _)"
        return "texte non vide attendu"
    if kind == "greater_than_equal":
        return (
            "nombre positif attendu"
            if error["ctx"]["ge"] == 0
            else f"nombre supérieur ou égal à {error['ctx']['ge']} attendu"
        )
    if kind == "literal_error":
        return f"valeur inconnue, attendu l'une de {error['ctx']['expected'].replace(' or ', ', ')}"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind == "too_short" and where == ("units",):
        return "au moins une unité est attendue"
    return error["msg"]  # a case the format does not foresee: pydantic's own words


def schema_errors(data) -> list[tuple[str, str]]:
    """The errors of one file's content against the format: [(place, message)], empty when it is valid."""
    try:
        Referentiel.model_validate(data)
    except ValidationError as exc:
        return [(place(error["loc"]), _message(error)) for error in exc.errors(include_url=False)]
    return []


def certifier_errors(data) -> list[tuple[str, str]]:
    """The errors of fixtures/certifiers.yaml (a list of certifiers) against the format."""
    if not isinstance(data, list):
        return [("document", "liste de certificateurs attendue")]
    errors = []
    for i, entry in enumerate(data):
        try:
            Certifier.model_validate(entry)
        except ValidationError as exc:
            errors += [(f"[{i}]." + place(error["loc"]), _message(error)) for error in exc.errors(include_url=False)]
    return errors
