"""The .ics invitation of an entretien booking (RFC 5545, built with `icalendar`).

One UID per booking, stable across moves; a move sends the same UID with SEQUENCE + 1
(METHOD:REQUEST), a cancellation sends METHOD:CANCEL with the same UID. Times carry
TZID=Europe/Paris so calendars show the local hour whatever the reader's zone.
Pure functions: no database, no mail; cqp/mail.py attaches the bytes returned here.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

PARIS = ZoneInfo("Europe/Paris")
PRODID = "-//CQP Mutualité//Entretien d'accueil//FR"
METHOD_REQUEST = "REQUEST"
METHOD_CANCEL = "CANCEL"


@dataclass(frozen=True)
class Invitation:
    uid: str
    sequence: int
    start: datetime  # aware or naive (then read as Europe/Paris)
    duration: timedelta
    summary: str
    organizer_name: str
    organizer_email: str
    attendees: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (name, e-mail)
    location: str = ""
    url: str = ""  # https only, checked by the form
    description: str = ""


def _paris(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=PARIS)
    return moment.astimezone(PARIS)


def _address(name: str, email: str, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    if role:
        address.params["role"] = vText(role)
    return address


def build_ics(invitation: Invitation, method: str = METHOD_REQUEST, stamp: datetime | None = None) -> bytes:
    """The calendar file for one booking: REQUEST (new or moved) or CANCEL."""
    if method not in (METHOD_REQUEST, METHOD_CANCEL):
        raise ValueError(f"méthode iCalendar inconnue : {method}")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", invitation.uid)
    event.add("sequence", invitation.sequence)
    event.add("dtstamp", (stamp or datetime.now(tz=PARIS)).astimezone(ZoneInfo("UTC")))
    start = _paris(invitation.start)
    event.add("dtstart", start)
    event.add("dtend", start + invitation.duration)
    event.add("summary", invitation.summary)
    if invitation.description:
        event.add("description", invitation.description)
    if invitation.location:
        event.add("location", invitation.location)
    if invitation.url:
        event.add("url", invitation.url)
    event.add("organizer", _address(invitation.organizer_name, invitation.organizer_email))
    for name, email in invitation.attendees:
        event.add("attendee", _address(name, email, "REQ-PARTICIPANT"), encode=0)
    event.add("status", "CANCELLED" if method == METHOD_CANCEL else "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
