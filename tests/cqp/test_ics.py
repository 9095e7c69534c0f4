"""The .ics invitation of the entretien booking, parsed back with icalendar."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from cqp.ics import METHOD_CANCEL, Invitation, build_ics

PARIS = ZoneInfo("Europe/Paris")


def _invitation(**changes):
    values = {
        "uid": "entretien-42@cqp-mutualite",
        "sequence": 0,
        "start": datetime(2026, 12, 10, 9, 30),
        "duration": timedelta(minutes=45),
        "summary": "Entretien d'accueil et d'orientation",
        "organizer_name": "Centre de formation Mutualité",
        "organizer_email": "centre@example.org",
        "attendees": (("Camille Martin", "camille@example.org"),),
        "location": "12 rue de la Paix, 75002 Paris",
    }
    values.update(changes)
    return Invitation(**values)


def _event(data):
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_request_carries_uid_paris_times_location_and_organizer():
    calendar, event = _event(build_ics(_invitation()))
    assert calendar["method"] == "REQUEST"
    assert str(event["uid"]) == "entretien-42@cqp-mutualite"
    assert int(event["sequence"]) == 0
    start = event.decoded("dtstart")
    assert start == datetime(2026, 12, 10, 9, 30, tzinfo=PARIS)
    assert event["dtstart"].params["TZID"] == "Europe/Paris"
    assert event.decoded("dtend") - start == timedelta(minutes=45)
    assert str(event["location"]) == "12 rue de la Paix, 75002 Paris"
    assert str(event["organizer"]) == "mailto:centre@example.org"
    assert event["organizer"].params["CN"] == "Centre de formation Mutualité"
    assert calendar.walk("VTIMEZONE"), "the Europe/Paris VTIMEZONE is included"


def test_video_slot_gives_url_and_no_location():
    _, event = _event(build_ics(_invitation(location="", url="https://visio.example.org/abc")))
    assert str(event["url"]) == "https://visio.example.org/abc"
    assert "location" not in event


def test_move_keeps_uid_and_raises_sequence():
    first = _event(build_ics(_invitation()))[1]
    moved = _event(build_ics(_invitation(sequence=1, start=datetime(2026, 12, 11, 14, 0))))[1]
    assert moved["uid"] == first["uid"]
    assert int(moved["sequence"]) == 1
    assert moved.decoded("dtstart").hour == 14


def test_cancel_uses_method_cancel_same_uid():
    calendar, event = _event(build_ics(_invitation(sequence=2), method=METHOD_CANCEL))
    assert calendar["method"] == "CANCEL"
    assert str(event["uid"]) == "entretien-42@cqp-mutualite"
    assert str(event["status"]) == "CANCELLED"


def test_unknown_method_refused():
    with pytest.raises(ValueError):
        build_ics(_invitation(), method="PUBLISH")
