import datetime
from zoneinfo import ZoneInfo

from jury.ics import build_ics


def test_ics_is_a_vcalendar_with_utc_times_and_crlf():
    paris = ZoneInfo("Europe/Paris")
    text = build_ics(
        uid="jury-1-2@cqp-mutualite",
        start=datetime.datetime(2026, 11, 23, 9, 0, tzinfo=paris),
        end=datetime.datetime(2026, 11, 23, 9, 40, tzinfo=paris),
        summary="Jury du CQP Conseiller, mutualiste; test",
        location="OEMM, 255 rue de Vaugirard, Paris " + "x" * 80,
        stamp=datetime.datetime(2026, 9, 1, 8, 0, tzinfo=datetime.UTC),
    )
    assert text.endswith("\r\n")
    lines = text.split("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert lines[0] == "BEGIN:VCALENDAR" and "BEGIN:VEVENT" in lines and "END:VCALENDAR" in lines
    assert "UID:jury-1-2@cqp-mutualite" in lines
    assert "DTSTAMP:20260901T080000Z" in lines
    assert "DTSTART:20261123T080000Z" in lines  # 9:00 Paris (winter time) = 8:00 UTC
    assert "DTEND:20261123T084000Z" in lines
    assert "SUMMARY:Jury du CQP Conseiller\\, mutualiste\\; test" in lines
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "LOCATION:OEMM\\, 255 rue de Vaugirard\\, Paris " + "x" * 80 in unfolded
