"""The plain rules of the créneaux (candidates/slot_rules.py), the times typed by the centre, the French dates."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from candidates import slot_rules as R
from candidates.slot_forms import parse_times
from cqp.templatetags.french import datetime_fr, hour_fr

PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=PARIS)
LATER = NOW + dt.timedelta(days=3)


@pytest.mark.parametrize(
    "dossier_state, entretien_state, has_booking, starts_at, organisme, allowed, expected",
    [
        ("inscrit", "", False, LATER, 1, [1], ""),
        ("inscrit", "en_cours", False, LATER, 1, [1], ""),  # started, not validated: still bookable
        ("inscrit", "valide_interviewer", False, LATER, 1, [1], R.NOT_BOOKABLE),
        ("oriente", "valide", False, LATER, 1, [1], R.NOT_BOOKABLE),
        ("clos", "", False, LATER, 1, [1], R.NOT_BOOKABLE),
        ("inscrit", "", True, LATER, 1, [1], R.ALREADY_BOOKED),
        ("inscrit", "", False, LATER, 2, [1], R.OTHER_CENTRE),
        ("inscrit", "", False, LATER, 2, [1, 2], ""),  # no centre: every centre of the CQP
        ("inscrit", "", False, NOW, 1, [1], R.PAST),
        ("inscrit", "", False, NOW - dt.timedelta(hours=1), 1, [1], R.PAST),
    ],
)
def test_booking_refusal(dossier_state, entretien_state, has_booking, starts_at, organisme, allowed, expected):
    assert (
        R.booking_refusal(
            dossier_state=dossier_state,
            entretien_state=entretien_state,
            has_active_booking=has_booking,
            slot_starts_at=starts_at,
            slot_organisme_id=organisme,
            allowed_organisme_ids=allowed,
            now=NOW,
        )
        == expected
    )


@pytest.mark.parametrize(
    "starts_at, expected",
    [
        (LATER, ""),
        (NOW + dt.timedelta(minutes=1), ""),
        (NOW, R.TOO_LATE_TO_CANCEL),
        (NOW - dt.timedelta(days=1), R.TOO_LATE_TO_CANCEL),
    ],
)
def test_cancel_refusal(starts_at, expected):
    assert R.cancel_refusal(slot_starts_at=starts_at, now=NOW) == expected


@pytest.mark.parametrize(
    "place, video_url, expected",
    [
        ("12 rue de la Paix", "", ""),
        ("", "https://visio.example.org/a", ""),
        ("12 rue de la Paix", "https://visio.example.org/a", ""),
        ("", "", R.PLACE_OR_VIDEO),
        ("   ", "", R.PLACE_OR_VIDEO),
        ("", "http://visio.example.org/a", R.VIDEO_HTTPS),
    ],
)
def test_place_refusal(place, video_url, expected):
    assert R.place_refusal(place, video_url) == expected


@pytest.mark.parametrize(
    "booked, message, expected",
    [(True, "", R.MESSAGE_REQUIRED), (True, "  ", R.MESSAGE_REQUIRED), (True, "Salle fermée", ""), (False, "", "")],
)
def test_change_refusal(booked, message, expected):
    assert R.change_refusal(booked=booked, message=message) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("9:00", [dt.time(9, 0)]),
        ("9:00, 10:30; 14h", [dt.time(9), dt.time(10, 30), dt.time(14)]),
        ("14 h 30", [dt.time(14, 30)]),
        ("8h15", [dt.time(8, 15)]),
        ("", []),
    ],
)
def test_parse_times(text, expected):
    assert parse_times(text) == expected


@pytest.mark.parametrize("text", ["25:00", "midi", "9:75"])
def test_parse_times_refuses_in_french(text):
    with pytest.raises(ValueError, match="n'est pas une heure"):
        parse_times(text)


@pytest.mark.parametrize(
    "moment, full, hour",
    [
        (dt.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS), "23 novembre 2026 à 10 h 00", "10 h"),
        (dt.datetime(2026, 12, 1, 14, 30, tzinfo=PARIS), "1er décembre 2026 à 14 h 30", "14 h 30"),
        (dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), "23 novembre 2026 à 10 h 00", "10 h"),  # shown in Paris
    ],
)
def test_french_date_and_hour(moment, full, hour):
    assert datetime_fr(moment) == full
    assert hour_fr(moment) == hour
