"""Business rules of jury sessions: plain functions on plain values (no ORM), table-tested."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.dateformat import format as date_format

from candidates import deadlines
from cqp.enums import College
from cqp.templatetags.french import first_of_month

from .enums import DELIBERATION_MINUTES, Outcome

JURY_SIZE = 4
PER_COLLEGE = 2
# The CPNEFP Mutualité's jury (rules.md §12): 4 members, 2 from the employer college (UGEM, one of them possibly the
# OEMM head or representative) and 2 from employee unions. Another certifier passes its own rule (Certifier data).
MUTUALITE_COLLEGES = [
    (College.EMPLOYEUR, "représentants du collège employeur (UGEM)", PER_COLLEGE, PER_COLLEGE),
    (College.SALARIE, "représentants des syndicats de salariés", PER_COLLEGE, PER_COLLEGE),
]


def _count(n: int) -> str:
    return f"{n} membre" if n == 1 else f"{n} membres"


def _agree(label: str, n: int) -> str:
    """« représentants du collège employeur » for 2, « représentant du collège employeur » for 1 (the head noun)."""
    head, _, rest = label.partition(" ")
    if n == 1 and head.endswith("s"):
        head = head[:-1]
    return f"{head} {rest}" if rest else head


def check_composition(
    members: Iterable,
    *,
    colleges=None,
    min_members: int = JURY_SIZE,
    max_members: int = JURY_SIZE,
    body: str = "Le jury",
) -> list[str]:
    """Problems (in French) with a jury's composition; empty when it respects the certifier's rule.

    ``members``: college values (« employeur » / « salarie ») or objects with a ``college`` attribute.
    ``colleges``: [(college, label, min, max)] (Certifier.college_rules()); by default the Mutualité's parity.
    """
    colleges_rule = MUTUALITE_COLLEGES if colleges is None else colleges
    present = [getattr(m, "college", m) for m in members]
    problems = []
    if min_members == max_members and len(present) != min_members:
        problems.append(f"{body} doit compter {_count(min_members)} ; il en compte {len(present)}.")
    elif not min_members <= len(present) <= max_members:
        problems.append(f"{body} doit compter de {min_members} à {max_members} membres ; il en compte {len(present)}.")
    known = set()
    for college, label, low, high in colleges_rule:
        known.add(college)
        count = sum(1 for c in present if c == college)
        label = label[0].lower() + label[1:]
        if low == high and count != low:
            problems.append(f"Il faut {low} {_agree(label, low)} ; il y en a {count}.")
        elif not low <= count <= high:
            problems.append(f"Il faut de {low} à {high} {label} ; il y en a {count}.")
    others = sum(1 for c in present if c not in known)
    if others:
        problems.append("1 membre sans collège connu." if others == 1 else f"{others} membres sans collège connu.")
    return problems


def next_president_college(previous_college: str | None, *, alternates: bool = True) -> str | None:
    """The college whose turn it is to preside: the presidency alternates employer / employee (rules.md §12).

    Choice: with no previous session of the same CQP, the employer college presides first. A certifier whose
    presidency does not alternate (``alternates=False``, the Ucanss: seed 004 is silent) gets None: any member.
    """
    if not alternates:
        return None
    if previous_college == College.EMPLOYEUR:
        return College.SALARIE
    return College.EMPLOYEUR


def slot_minutes(
    presentation_minutes: int, interview_minutes: int, deliberation_minutes: int = DELIBERATION_MINUTES
) -> int:
    """Length of one candidate's slot: presentation (may be 0) + interview + deliberation."""
    return presentation_minutes + interview_minutes + deliberation_minutes


def timetable(start: datetime.datetime, durations: list[int]) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Consecutive slots from ``start``, one per candidate, each ``durations[i]`` minutes long."""
    slots = []
    current = start
    for minutes in durations:
        end = current + datetime.timedelta(minutes=minutes)
        slots.append((current, end))
        current = end
    return slots


def livret2_late(
    session_day: datetime.date, months_before: int, received_on: datetime.date | None
) -> datetime.date | None:
    """The date the livret 2 should have arrived by, when it did not arrive in time; None when in time."""
    due = deadlines.livret2_due(session_day, months_before)
    if received_on is None or received_on > due:
        return due
    return None


LIVRET_WORDS = {"vae": "livret 2", "formation": "livret d'évaluation finale"}


def livret_word(path: str) -> str:
    """The livret the jury reads, named for the dossier's path: « livret 2 » (VAE), « livret d'évaluation finale »
    (voie formative); never « livret 2 » for a voie formative dossier."""
    return LIVRET_WORDS.get(path, LIVRET_WORDS["vae"])


@dataclass(frozen=True)
class LivretTiming:
    """Where a candidate's livret stands against the CQP's delay before a session (shown before convocation)."""

    word: str
    due: datetime.date
    received_on: datetime.date | None
    late: bool

    @property
    def ok(self) -> bool:
        return self.received_on is not None and not self.late

    @property
    def label(self) -> str:
        word = self.word[0].upper() + self.word[1:]
        due = _day(self.due)
        if self.received_on is None:
            return f"{word} non reçu : attendu au plus tard le {due}"
        if self.late:
            return f"{word} reçu le {_day(self.received_on)}, après la date limite du {due}"
        return f"{word} reçu le {_day(self.received_on)} (au plus tard le {due})"


def livret_timing(
    session_day: datetime.date, months_before: int, received_on: datetime.date | None, *, path: str, today=None
) -> LivretTiming:
    """The livret 2 (VAE) or livret d'évaluation finale (voie formative) against the delay before the session: late
    when it arrived after the due date, or has not arrived and the due date is past (``today``; without it, a livret
    not received counts as late, as at convocation)."""
    due = deadlines.livret2_due(session_day, months_before)
    late = received_on > due if received_on is not None else (today is None or today > due)
    return LivretTiming(word=livret_word(path), due=due, received_on=received_on, late=late)


def decide_outcome(required: Iterable[int], validated_now: Iterable[int], still_valid: Iterable[int] = ()) -> str:
    """The outcome of a deliberation, from unit numbers.

    - totale: every required unit is held, counting units still valid from earlier juries;
    - partielle: not all, but this jury validated at least one unit;
    - aucune: this jury validated no unit (units held from earlier juries stay held).
    Expired earlier units must not be passed in ``still_valid``.
    """
    required = set(required)
    now = set(validated_now) & required
    held = now | (set(still_valid) & required)
    if required and held >= required:
        return Outcome.TOTALE
    if now:
        return Outcome.PARTIELLE
    return Outcome.AUCUNE


def unit_valid_until(validated_on: datetime.date, validity_years: int | None) -> datetime.date | None:
    """End of validity of a validated unit (None: durée indéfinie, e.g. GPAC blocs)."""
    return deadlines.unit_valid_until(validated_on, validity_years)


def is_unit_valid(valid_until: datetime.date | None, day: datetime.date) -> bool:
    return valid_until is None or day <= valid_until


def _day(value: datetime.date) -> str:
    """« 23 novembre 2026 », « 1er décembre 2026 » (as ``jury.audit.day_label``)."""
    return first_of_month(date_format(value, "j F Y"))


def opening_problem(
    session_day: datetime.date, today: datetime.date, *, remote: bool, early_reason: str = ""
) -> str | None:
    """Why a session may not be opened ``today`` (None when it may): on its date only; a remote session (« à distance »,
    with a video link) may be opened the day before, with a reason that is kept (rules.md §12: the jury sits on the
    session's date)."""
    if today == session_day:
        return None
    if today > session_day:
        return (
            f"La session était prévue le {_day(session_day)} : elle ne s'ouvre plus à une autre date. "
            "Modifiez sa date pour la tenir."
        )
    if today == session_day - datetime.timedelta(days=1):
        if not remote:
            return (
                f"La session s'ouvre le {_day(session_day)}, jour de sa tenue : seule une session à distance "
                "(avec un lien de visioconférence) peut être ouverte la veille."
            )
        if not (early_reason or "").strip():
            return "Pour ouvrir la veille cette session à distance, indiquez le motif de l'ouverture anticipée."
        return None
    return (
        f"La session s'ouvre le {_day(session_day)}, jour de sa tenue (la veille au plus tôt pour une session à "
        "distance, avec un motif)."
    )


def signing_problem(session_day: datetime.date, today: datetime.date) -> str | None:
    """A fiche de décision is signed on the session's date or later, never before (its date is the signing moment)."""
    if today < session_day:
        return (
            f"La fiche de décision ne peut pas être signée avant le jour de la session ({_day(session_day)}) : "
            "elle porte la date de sa signature."
        )


# ---------------------------------------------------------------- after a validation partielle


def units_to_present(
    required: Iterable[int], held_until: dict[int, datetime.date | None], day: datetime.date
) -> list[int]:
    """Units (numbers) a candidate still presents to a jury on ``day``: never validated, or expired.

    ``held_until``: unit number -> end of validity of its best validation (None: durée indéfinie); a unit never
    validated is absent from it.
    """
    return sorted(n for n in set(required) if n not in held_until or not is_unit_valid(held_until[n], day))


def expired_units(
    required: Iterable[int], held_until: dict[int, datetime.date | None], day: datetime.date
) -> list[int]:
    """Units validated by an earlier jury whose validity has ended on ``day``: they are asked again."""
    return sorted(n for n in set(required) if n in held_until and not is_unit_valid(held_until[n], day))


def partial_validation_valid(
    required: Iterable[int], held_until: dict[int, datetime.date | None], day: datetime.date
) -> bool:
    """A validation partielle still counts on ``day``: at least one required unit held and valid, not all of them."""
    required = set(required)
    valid = {n for n in required if n in held_until and is_unit_valid(held_until[n], day)}
    return bool(valid) and valid != required


def present_again_problem(*, outcome: str, dossier_state: str, has_certificate: bool, to_present: int) -> str | None:
    """Why a decided dossier may not go back before a jury for its missing units (None: it may)."""
    if has_certificate:
        return "Le CQP est déjà délivré à ce candidat : il n'y a plus d'unité à présenter."
    if dossier_state != "decide":
        return "Seul un dossier dont la décision du jury est rendue se représente pour ses unités manquantes."
    if outcome not in (Outcome.PARTIELLE, Outcome.AUCUNE):
        return "Le dernier jury n'a pas rendu une validation partielle : il n'y a pas d'unité manquante à présenter."
    if to_present == 0:
        return "Toutes les unités sont acquises et valables : il n'y a rien à présenter."
    return None
