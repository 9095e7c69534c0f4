"""The CPNEFP's figures, by CQP name, filtered by period and CQP: a few grouped queries, whatever the data.

They read dossiers, livrets 1 dates, signed fiches, unit decisions and validated units, never a person: the figures
are the same before and after a candidate is anonymised (tests/pilotage/test_cockpit_statistics.py).
"""

import datetime
import statistics as stats
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from candidates.enums import OPEN_STATES, DossierState, Path
from candidates.models import Dossier
from jury.enums import FicheState, Outcome
from jury.models import FicheDecision, UnitDecision, ValidatedUnit
from vae.enums import Livret1State
from vae.models import Livret1

EXPIRY_HORIZON_DAYS = 365


@dataclass
class Figure:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    chart: list[tuple[str, float]] = field(default_factory=list)  # (label, value) drawn as bars
    unit: str = ""
    maximum: float | None = None
    note: str = ""


def _rate(part, whole) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _median(values) -> float | None:
    return round(stats.median(values), 1) if values else None


def _in_period(prefix, start, end):
    query = Q()
    if start:
        query &= Q(**{f"{prefix}__gte": start})
    if end:
        query &= Q(**{f"{prefix}__lte": end})
    return query


def compute(*, start=None, end=None, certification=None, today=None) -> list[Figure]:
    today = today or datetime.date.today()
    dossiers = Dossier.objects.all()
    if certification is not None:
        dossiers = dossiers.filter(certification=certification)
    inscribed = dossiers.filter(_in_period("inscription_date", start, end))
    figures = [
        _inscriptions(inscribed),
        _by_centre(inscribed),
        _recevabilite(dossiers, start, end),
        *_outcomes(dossiers, start, end),
        _units(dossiers, start, end),
        _waiting(dossiers),
        _expiring(certification, today),
    ]
    return figures


def _inscriptions(inscribed) -> Figure:
    rows = inscribed.values("certification__title", "inscription_date__year", "path").annotate(n=Count("pk"))
    table = defaultdict(lambda: {Path.VAE: 0, Path.FORMATION: 0})
    for r in rows:
        table[(r["certification__title"], r["inscription_date__year"])][r["path"]] += r["n"]
    per_cqp = defaultdict(int)
    figure = Figure(
        "inscriptions", "Inscriptions par CQP, année et voie", ["CQP", "Année", "VAE", "Voie formative", "Total"]
    )
    for (title, year), by_path in sorted(table.items()):
        total = by_path[Path.VAE] + by_path[Path.FORMATION]
        figure.rows.append([title, year, by_path[Path.VAE], by_path[Path.FORMATION], total])
        per_cqp[title] += total
    figure.chart = sorted(per_cqp.items(), key=lambda item: -item[1])
    return figure


def _by_centre(inscribed) -> Figure:
    rows = (
        inscribed.values("organisme__name").annotate(n=Count("pk"), vae=Count("pk", filter=Q(path=Path.VAE)))
    ).order_by("-n", "organisme__name")
    figure = Figure("centres", "Inscriptions par organisme de formation", ["Organisme", "Dossiers", "dont VAE"])
    for r in rows:
        figure.rows.append([r["organisme__name"] or "Sans organisme", r["n"], r["vae"]])
    figure.chart = [(row[0], row[1]) for row in figure.rows[:15]]
    return figure


def _recevabilite(dossiers, start, end) -> Figure:
    decided = Livret1.objects.filter(
        dossier__in=dossiers,
        state__in=[Livret1State.RECEVABLE, Livret1State.NON_RECEVABLE],
        decided_on__isnull=False,
    ).filter(_in_period("decided_on", start, end))
    per_cqp = defaultdict(lambda: {"ok": 0, "ko": 0, "delays": []})
    for title, state, received, decided_on in decided.values_list(
        "dossier__certification__title", "state", "received_on", "decided_on"
    ):
        entry = per_cqp[title]
        entry["ok" if state == Livret1State.RECEVABLE else "ko"] += 1
        if received:
            entry["delays"].append((decided_on - received).days)
    figure = Figure(
        "recevabilite",
        "Recevabilité : taux et délais d'instruction",
        ["CQP", "Recevables", "Non recevables", "Taux de recevabilité (%)", "Délai médian (jours)"],
        unit=" %",
        maximum=100,
    )
    for title, entry in sorted(per_cqp.items()):
        rate = _rate(entry["ok"], entry["ok"] + entry["ko"])
        figure.rows.append([title, entry["ok"], entry["ko"], rate, _median(entry["delays"])])
        figure.chart.append((title, rate))
    return figure


def _signed(dossiers, start, end):
    return FicheDecision.objects.filter(
        session_candidate__dossier__in=dossiers, state=FicheState.SIGNEE, signed_at__isnull=False
    ).filter(_in_period("signed_at__date", start, end))


def _outcomes(dossiers, start, end) -> list[Figure]:
    per_cqp = defaultdict(lambda: defaultdict(int))
    durations = defaultdict(list)
    for title, outcome, signed_at, inscription in _signed(dossiers, start, end).values_list(
        "session_candidate__dossier__certification__title",
        "outcome",
        "signed_at",
        "session_candidate__dossier__inscription_date",
    ):
        per_cqp[title][outcome] += 1
        durations[title].append((signed_at.date() - inscription).days)
    outcomes = Figure(
        "resultats",
        "Résultats du jury (fiches signées) : taux de validation totale",
        ["CQP", *[label for _, label in Outcome.choices], "Taux de validation totale (%)"],
        unit=" %",
        maximum=100,
    )
    delays = Figure(
        "delais",
        "Durée médiane de l'inscription à la décision du jury",
        ["CQP", "Décisions", "Durée médiane (jours)"],
        unit=" j",
    )
    for title, counts in sorted(per_cqp.items()):
        total = sum(counts.values())
        rate = _rate(counts[Outcome.TOTALE], total)
        outcomes.rows.append([title, *[counts[value] for value in Outcome.values], rate])
        outcomes.chart.append((title, rate))
        median = _median(durations[title])
        delays.rows.append([title, total, median])
        delays.chart.append((title, median or 0))
    return [outcomes, delays]


def _units(dossiers, start, end) -> Figure:
    rows = (
        UnitDecision.objects.filter(fiche__in=_signed(dossiers, start, end), carried_validated_on__isnull=True)
        .values("fiche__session_candidate__dossier__certification__title", "unit__number", "unit__title")
        .annotate(total=Count("pk"), failed=Count("pk", filter=Q(validated=False)))
    )
    figure = Figure(
        "unites",
        "Unités les moins validées (taux d'échec)",
        ["CQP", "Unité", "Décisions", "Non validées", "Taux d'échec (%)"],
        unit=" %",
        maximum=100,
    )
    merged = defaultdict(lambda: [0, 0])
    for r in rows:
        key = (r["fiche__session_candidate__dossier__certification__title"], r["unit__number"], r["unit__title"])
        merged[key][0] += r["total"]
        merged[key][1] += r["failed"]
    ordered = sorted(merged.items(), key=lambda item: (-_rate(item[1][1], item[1][0]), item[0]))
    for (title, number, unit_title), (total, failed) in ordered:
        figure.rows.append([title, f"U{number} — {unit_title}", total, failed, _rate(failed, total)])
    figure.chart = [(f"{row[0][:18]} U{row[1].split(' ')[0][1:]}", row[4]) for row in figure.rows[:12]]
    return figure


def _waiting(dossiers) -> Figure:
    rows = dossiers.filter(state__in=OPEN_STATES).values("certification__title", "state").annotate(n=Count("pk"))
    table = defaultdict(lambda: defaultdict(int))
    for r in rows:
        table[r["certification__title"]][r["state"]] += r["n"]
    labels = [DossierState(state).label for state in OPEN_STATES]
    figure = Figure("attente", "Candidats en attente, par étape", ["CQP", *labels, "Total"])
    totals = defaultdict(int)
    for title, by_state in sorted(table.items()):
        figure.rows.append([title, *[by_state[s] for s in OPEN_STATES], sum(by_state.values())])
        for state in OPEN_STATES:
            totals[state] += by_state[state]
    figure.chart = [(DossierState(state).label, totals[state]) for state in OPEN_STATES]
    figure.note = "Dossiers ouverts aujourd'hui, quelle que soit la période choisie."
    return figure


def _expiring(certification, today) -> Figure:
    units = ValidatedUnit.objects.filter(
        valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=EXPIRY_HORIZON_DAYS)
    )
    if certification is not None:
        units = units.filter(certification=certification)
    rows = units.values("certification__title", "valid_until__year", "valid_until__month").annotate(n=Count("pk"))
    figure = Figure(
        "validations_partielles",
        "Validations partielles qui expirent dans les 12 mois",
        ["CQP", "Mois", "Unités qui expirent"],
        note="Unités acquises dont la validité s'achève dans l'année qui vient.",
    )
    per_cqp = defaultdict(int)
    for r in sorted(rows, key=lambda r: (r["certification__title"], r["valid_until__year"], r["valid_until__month"])):
        figure.rows.append(
            [r["certification__title"], f"{r['valid_until__month']:02d}/{r['valid_until__year']}", r["n"]]
        )
        per_cqp[r["certification__title"]] += r["n"]
    figure.chart = sorted(per_cqp.items())
    return figure
