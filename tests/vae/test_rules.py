"""Table tests of the plain rules of the livret 1."""

import datetime as dt

import pytest

from vae import rules
from vae.enums import ExperienceStatus as S

D = dt.date


@pytest.mark.parametrize(
    "received, delay, expected",
    [
        (D(2026, 11, 24), 2, D(2027, 1, 24)),
        (D(2026, 12, 31), 2, D(2027, 2, 28)),  # month end clamped
        (D(2027, 12, 31), 2, D(2028, 2, 29)),  # leap year
        (D(2026, 8, 31), 2, D(2026, 10, 31)),
        (D(2026, 7, 31), 2, D(2026, 9, 30)),
    ],
)
def test_instruction_deadline(received, delay, expected):
    assert rules.instruction_deadline(received, delay) == expected


@pytest.mark.parametrize(
    "decided, months, expected",
    [
        (D(2025, 8, 31), 18, D(2027, 2, 28)),  # 31 August + 18 months = end of February
        (D(2026, 8, 31), 18, D(2028, 2, 29)),
        (D(2026, 11, 24), 18, D(2028, 5, 24)),
        (D(2026, 11, 24), None, None),  # Mutualité CQPs: not limited
    ],
)
def test_recevabilite_validity(decided, months, expected):
    assert rules.recevabilite_valid_until(decided, months) == expected


@pytest.mark.parametrize(
    "valid_until, today, expired",
    [(D(2028, 2, 29), D(2028, 2, 29), False), (D(2028, 2, 29), D(2028, 3, 1), True), (None, D(2090, 1, 1), False)],
)
def test_expiry(valid_until, today, expired):
    assert rules.is_expired(valid_until, today) is expired


@pytest.mark.parametrize(
    "submitted, deadline, silence, today, due",
    [
        (True, D(2027, 1, 24), True, D(2027, 1, 25), True),  # Ucanss, the day after the deadline
        (True, D(2027, 1, 24), True, D(2027, 1, 24), False),  # still within the delay on the deadline day
        (True, D(2027, 1, 24), False, D(2027, 6, 1), False),  # Mutualité: silence is not acceptance
        (False, D(2027, 1, 24), True, D(2027, 6, 1), False),  # already decided, or back to the candidate
        (True, None, True, D(2027, 6, 1), False),
    ],
)
def test_silence_means_acceptance_only_where_the_cqp_says_so(submitted, deadline, silence, today, due):
    assert (
        rules.tacit_acceptance_due(
            is_submitted=submitted, deadline=deadline, silence_is_acceptance=silence, today=today
        )
        is due
    )


@pytest.mark.parametrize(
    "dossier_version, current_version, kind",
    [(1, 1, "prorogation"), (1, 2, "renouvellement"), (2, 2, "prorogation"), (1, None, "prorogation")],
)
def test_renewal_kind(dossier_version, current_version, kind):
    assert rules.renewal_kind(dossier_version, current_version) == kind


def test_renewal_kind_with_versions(referentiels):
    from referentiels.models import Certification

    version = Certification.objects.get(code="cos").current_version
    assert rules.renewal_kind(version, version) == "prorogation"


TODAY = D(2026, 11, 24)


@pytest.mark.parametrize(
    "rows, required, window, label, sufficient",
    [
        # GPAC: 1 year, no window
        ([dict(start=D(2025, 11, 25), end=D(2026, 11, 24), status=S.SALARIE)], 12, None, "1 an", True),
        (
            [dict(start=D(2026, 1, 1), end=None, status=S.SALARIE)],
            12,
            None,
            "10 mois et 24 jours",
            False,
        ),  # en cours: until today
        # overlaps count once
        (
            [
                dict(start=D(2024, 1, 1), end=D(2024, 12, 31), status=S.SALARIE),
                dict(start=D(2024, 6, 1), end=D(2025, 5, 31), status=S.BENEVOLE),
            ],
            12,
            None,
            "1 an et 5 mois",
            True,
        ),
        # gaps do not count
        (
            [
                dict(start=D(2020, 1, 1), end=D(2020, 6, 30), status=S.SALARIE),
                dict(start=D(2022, 1, 1), end=D(2022, 3, 31), status=S.SYNDICAL),
            ],
            12,
            None,
            "9 mois",
            False,
        ),
        # formation / stage excluded
        ([dict(start=D(2023, 1, 1), end=D(2024, 12, 31), status=S.FORMATION)], 12, None, "0 mois", False),
        # 3 years out of the last 12: older experience does not count
        (
            [
                dict(start=D(2000, 1, 1), end=D(2010, 12, 31), status=S.SALARIE),
                dict(start=D(2022, 11, 25), end=D(2025, 11, 24), status=S.NON_SALARIE),
            ],
            36,
            12,
            "3 ans",
            True,
        ),
        ([dict(start=D(2000, 1, 1), end=D(2014, 11, 24), status=S.SALARIE)], 36, 12, "1 jour", False),
        # a future end counts until today only in the draft (and is named: the livret cannot be sent with it)
        ([dict(start=D(2025, 11, 25), end=D(2030, 1, 1), status=S.VOLONTARIAT)], 12, None, "1 an", True),
        # 364 days are not a year (the comparison is on exact calendar months and days)
        ([dict(start=D(2025, 1, 1), end=D(2025, 12, 30), status=S.SALARIE)], 12, None, "11 mois et 30 jours", False),
    ],
)
def test_experience_total_against_the_cqp_minimum(rows, required, window, label, sufficient):
    check = rules.experience_total(rows, required_months=required, window_years=window, today=TODAY)
    assert check.label == label and check.sufficient is sufficient


@pytest.mark.parametrize(
    "months, window, label",
    [(12, None, "1 an"), (36, 12, "3 ans sur les 12 dernières années"), (18, None, "18 mois")],
)
def test_experience_rule_label(months, window, label):
    assert rules.experience_rule_label(months, window) == label


@pytest.mark.parametrize(
    "months, days, label",
    [
        (12, 0, "1 an"),
        (14, 0, "1 an et 2 mois"),
        (27, 15, "2 ans, 3 mois et 15 jours"),
        (6, 0, "6 mois"),
        (11, 30, "11 mois et 30 jours"),
        (0, 1, "1 jour"),
        (0, 0, "0 mois"),
    ],
)
def test_format_duration(months, days, label):
    from candidates.experience import Duration

    assert Duration(months, days).label == label


def test_missing_items_lists_every_section_in_french():
    missing = rules.missing_items(fields={"nature": "premiere"}, experiences=[], piece_kinds=[])
    assert list(missing) == ["etat_civil", "situation", "formation", "experiences", "declaration", "pieces"]
    assert "Indiquez le nom de naissance." in missing["etat_civil"]
    assert "Joignez une pièce d'identité." in missing["pieces"]


def test_missing_items_checks_each_experience_and_the_other_situation():
    fields = {"situation": "autre", "situation_detail": " "}
    missing = rules.missing_items(
        fields=fields,
        experiences=[
            dict(
                function="x",
                organisation="y",
                status=S.FORMATION,
                start=D(2024, 1, 2),
                end=D(2024, 1, 1),
                activities="",
            )
        ],
        piece_kinds=["identite", "bulletin_salaire"],
    )
    assert "Précisez votre situation actuelle." in missing["situation"]
    assert "Expérience n° 1 : indiquez les activités réalisées." in missing["experiences"]
    assert "Expérience n° 1 : la date de fin précède la date de début." in missing["experiences"]
    assert any("formation et de stage ne comptent pas" in m for m in missing["experiences"])
    assert "pieces" not in missing


@pytest.mark.parametrize(
    "required, state, expected",
    [
        (False, "", ""),  # Ucanss (seed 004): no entretien asked before the livret 1
        (False, "en_cours", ""),
        (True, "valide", ""),
        (True, "", rules.ENTRETIEN_TO_BOOK),
        (True, "en_cours", rules.ENTRETIEN_TO_BOOK),
        (True, "valide_interviewer", rules.ENTRETIEN_TO_VALIDATE),
    ],
)
def test_entretien_gate(required, state, expected):
    assert rules.entretien_gate(required=required, entretien_state=state) == expected
    if expected:
        assert "livret 1" in expected and "entretien d'accueil" in expected
