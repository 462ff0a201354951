"""The user's data as files: one JSON document with everything, CSV sheets, a calendar and a vCard file.

Pure builders from plain values (strings, numbers, booleans, aware datetimes, lists and dicts): the
services layer reads the database and hands the rows over. Every file is UTF-8.

- **JSON**: sorted keys, two-space indent, datetimes as ISO 8601 in UTC with their offset
  (``2026-11-26T09:30:00+00:00``). User text is kept exactly as given.
- **CSV** (RFC 4180: comma-separated, quoted where needed, CRLF line ends) with a UTF-8 byte order mark,
  so spreadsheet programs read accents right. A text cell that a spreadsheet would run as a formula
  (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading apostrophe.
- **iCalendar** (``icalendar``, as ``coaching.meetings.meeting_ics``): times in UTC, one stable UID per
  meeting (``infocoach-meeting-<id>@infocoach``, the same as the calendar file sent when it was booked,
  so importing both doesn't duplicate it).
- **vCard 3.0** (RFC 2426): ``,``, ``;``, ``\\`` and line breaks escaped, CRLF line ends, lines folded at
  75 octets without splitting a character.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event

from coaching.enums import DraftKind

FORMAT = "infocoach-export"
VERSION = 1

JSON_NAME = "infocoach-export-{day}.json"
CONTACTS_CSV = "contacts.csv"
OUTREACH_CSV = "outreach.csv"
MEETINGS_CSV = "meetings.csv"
MEETINGS_ICS = "meetings.ics"
CONTACTS_VCF = "contacts.vcf"
# After the JSON document, in the order they are sent.
OTHER_FILES = (CONTACTS_CSV, OUTREACH_CSV, MEETINGS_CSV, MEETINGS_ICS, CONTACTS_VCF)

CONTACT_COLUMNS = (
    "id",
    "name",
    "company",
    "role",
    "employer",
    "stage",
    "how_you_know_them",
    "via",
    "referred_by",
    "channel",
    "address",
    "source",
    "why_them",
    "company_notes",
    "notes_about_them",
    "offer",
    "request_sent_at",
    "follow_ups_sent",
    "replied_at",
    "reply",
    "quick_responder",
    "met_at",
    "thanked_at",
    "last_touch_at",
    "keep_in_touch_days",
    "keep_in_touch_stopped",
    "archived",
    "created_at",
)
OUTREACH_COLUMNS = ("sent_at", "contact_id", "contact", "company", "kind", "subject", "message", "draft_id")
MEETING_COLUMNS = (
    "id",
    "contact_id",
    "contact",
    "company",
    "starts_at",
    "starts_local",
    "minutes",
    "format",
    "place",
    "status",
    "created_at",
)

KIND_LABELS = {
    DraftKind.EMAIL: "email",
    DraftKind.LINKEDIN_NOTE: "LinkedIn connection note",
    DraftKind.LINKEDIN_MESSAGE: "LinkedIn message",
    DraftKind.PHONE: "phone script",
    DraftKind.INTRO: "intro request",
    DraftKind.FOLLOW_UP: "follow-up",
    DraftKind.CLOSING: "closing note",
    DraftKind.THANK_YOU: "thank-you",
    DraftKind.REPORT_BACK: "report back",
    DraftKind.KEEP_IN_TOUCH: "keep in touch",
    DraftKind.NOT_NOW: "re-ask after not now",
}


def export_name(day: date) -> str:
    """``infocoach-export-2026-11-26.json``."""
    return JSON_NAME.format(day=day.isoformat())


def kind_label(kind: str) -> str:
    try:
        return KIND_LABELS[DraftKind(kind)]
    except ValueError:
        return kind


# Values -------------------------------------------------------------------------------------------------


def iso(moment: datetime) -> str:
    """An aware moment as ISO 8601 in UTC with its offset: ``2026-11-26T09:30:00+00:00``."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("expected an aware datetime")
    return moment.astimezone(UTC).isoformat()


def _json_default(value: object) -> object:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    raise TypeError(f"not exportable: {type(value).__name__}")


def json_document(user_id: int, exported_at: datetime, tables: Mapping[str, Sequence[Mapping[str, object]]]) -> bytes:
    """Everything, as one JSON document: ``{"format", "version", "exported_at", "user_id", "tables": {...}}``.

    ``tables`` maps a table name to its rows (column name -> value), each table's rows in the given order.
    """
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": iso(exported_at),
        "user_id": user_id,
        "tables": {name: [dict(row) for row in rows] for name, rows in tables.items()},
    }
    text = json.dumps(document, default=_json_default, ensure_ascii=False, indent=2, sort_keys=True)
    return (text + "\n").encode("utf-8")


# CSV ----------------------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """One cell: datetimes in ISO UTC, booleans as yes/no, nothing as empty; text that a spreadsheet would
    run as a formula is made inert with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_bytes(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> bytes:
    """A CSV sheet with a header row; a row's keys outside ``columns`` are an error (nothing is dropped
    silently), missing ones are empty."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    known = set(columns)
    for row in rows:
        extra = set(row) - known
        if extra:
            raise ValueError(f"unknown columns: {sorted(extra)}")
        writer.writerow([csv_cell(row.get(column)) for column in columns])
    return buffer.getvalue().encode("utf-8-sig")


def contacts_csv(rows: Iterable[Mapping[str, object]]) -> bytes:
    return csv_bytes(CONTACT_COLUMNS, rows)


def outreach_csv(rows: Iterable[Mapping[str, object]]) -> bytes:
    return csv_bytes(OUTREACH_COLUMNS, rows)


def meetings_csv(rows: Iterable[Mapping[str, object]]) -> bytes:
    return csv_bytes(MEETING_COLUMNS, rows)


def local_time(moment: datetime, zone: str | None) -> str:
    """``2026-12-03 15:00 Europe/Berlin``: the moment on the user's wall clock (UTC if no zone)."""
    try:
        tz = ZoneInfo(zone) if zone else UTC
    except (ZoneInfoNotFoundError, ValueError):
        tz, zone = UTC, None
    return f"{moment.astimezone(tz):%Y-%m-%d %H:%M} {zone or 'UTC'}"


# iCalendar ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarMeeting:
    id: int
    starts_at: datetime
    minutes: int
    title: str
    description: str
    location: str | None = None
    status: str = "scheduled"  # coaching.enums.MeetingStatus


_ICS_STATUS = {"scheduled": "CONFIRMED", "happened": "CONFIRMED", "no_show": "CANCELLED", "cancelled": "CANCELLED"}


def meeting_uid(meeting_id: int) -> str:
    return f"infocoach-meeting-{meeting_id}@infocoach"


def meetings_ics(meetings: Sequence[CalendarMeeting], now: datetime) -> bytes:
    """Every meeting as one calendar (METHOD:PUBLISH, UTC times, the booking's UID for each)."""
    calendar = Calendar()
    calendar.add("prodid", "-//InfoCoach//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "InfoCoach conversations")
    stamp = now.astimezone(UTC).replace(microsecond=0)
    for meeting in meetings:
        start = meeting.starts_at.astimezone(UTC)
        event = Event()
        event.add("uid", meeting_uid(meeting.id))
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=max(meeting.minutes, 1)))
        event.add("summary", _one_kind_of_break(meeting.title))
        event.add("description", _one_kind_of_break(meeting.description))
        event.add("status", _ICS_STATUS.get(meeting.status, "CONFIRMED"))
        if meeting.location and meeting.location.strip():
            event.add("location", _one_kind_of_break(meeting.location).strip())
        calendar.add_component(event)
    return calendar.to_ical()


def _one_kind_of_break(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# vCard 3.0 ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """One contact as a vCard: the name, and whatever else is known."""

    id: int
    name: str
    company: str | None = None
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    note: str | None = None
    revised: datetime | None = None


_PREFIXES = frozenset({"dr", "dr.", "prof", "prof.", "mr", "mr.", "ms", "ms.", "mrs", "mrs.", "mx", "mx."})
_LINE_LIMIT = 75  # octets, without the CRLF


def vcard_text(value: str) -> str:
    """A TEXT value escaped for vCard 3.0: backslash, comma, semicolon, and line breaks as ``\\n``."""
    value = _one_kind_of_break(value)
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (CRLF and a space before each continuation), never inside a
    UTF-8 character."""
    out: list[str] = []
    current, size, limit = "", 0, _LINE_LIMIT
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = "", 0, _LINE_LIMIT - 1  # a continuation starts with one space
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def structured_name(name: str) -> tuple[str, str, str]:
    """(family, given, prefix) for the N property: the last word is the family name."""
    words = name.split()
    prefix = ""
    if len(words) > 1 and words[0].lower() in _PREFIXES:
        prefix, words = words[0], words[1:]
    if len(words) <= 1:
        return "", " ".join(words), prefix
    return words[-1], " ".join(words[:-1]), prefix


_SAFE_URI = re.compile(r"^https?://\S+$", re.I)


def vcard(cards: Iterable[Card]) -> bytes:
    """The contacts as one vCard 3.0 file (UTF-8, CRLF line ends)."""
    lines: list[str] = []
    for card in cards:
        family, given, prefix = structured_name(card.name)
        props = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"UID:infocoach-contact-{card.id}@infocoach",
            f"FN:{vcard_text(card.name)}",
            f"N:{vcard_text(family)};{vcard_text(given)};;{vcard_text(prefix)};",
        ]
        if card.company:
            props.append(f"ORG:{vcard_text(card.company)}")
        if card.role:
            props.append(f"TITLE:{vcard_text(card.role)}")
        if card.email:
            props.append(f"EMAIL;TYPE=INTERNET:{vcard_text(card.email)}")
        if card.phone:
            props.append(f"TEL;TYPE=VOICE:{vcard_text(card.phone)}")
        if card.url and _SAFE_URI.match(card.url):
            props.append(f"URL:{card.url}")
        if card.note:
            props.append(f"NOTE:{vcard_text(card.note)}")
        props.append("CATEGORIES:InfoCoach")
        if card.revised is not None:
            props.append(f"REV:{card.revised.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}")
        props.append("END:VCARD")
        lines.extend(fold(prop) for prop in props)
    return "".join(line + "\r\n" for line in lines).encode("utf-8")


def linkedin_url(handle: str) -> str | None:
    """A LinkedIn handle or link as a full https URL, if it is one."""
    value = handle.strip()
    if not value or any(c.isspace() for c in value):
        return None
    if "linkedin.com/" in value.lower():
        return value if value.lower().startswith(("http://", "https://")) else f"https://{value}"
    if re.fullmatch(r"[\w-]{3,100}", value):
        return f"https://www.linkedin.com/in/{value}"
    return None
