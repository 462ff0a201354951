"""Contacts and target employers: stages, how the user knows someone, channels, sorting, duplicates."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from coaching.answers import InvalidAnswer, clean_text
from coaching.defaults import (
    ACTIVE_EMPLOYERS,
    MAX_CONTACT_FIELD_CHARS,
    MAX_CONTACT_NAME_CHARS,
    MAX_CONTACTS,
    MAX_NOTE_CHARS,
    PAGE_SIZE,
)
from coaching.enums import Stage

__all__ = ["ACTIVE_EMPLOYERS", "MAX_CONTACTS", "MAX_NOTE_CHARS", "PAGE_SIZE", "Stage"]


STAGE_LABELS = {
    Stage.RESEARCH: "To research",
    Stage.READY: "Ready to contact",
    Stage.INTRO_REQUESTED: "Intro requested",
    Stage.REQUESTED: "Request sent",
    Stage.FOLLOWED_UP: "Followed up",
    Stage.SCHEDULED: "Meeting scheduled",
    Stage.MET: "Met",
    Stage.THANKED: "Thanked",
    Stage.KEEPING_IN_TOUCH: "Keeping in touch",
    Stage.CLOSED: "Closed",
}
STAGE_ORDER = tuple(Stage)

# Where a contact can move by hand: forward along the pipeline, back one step to undo, or closed.
_FORWARD = {
    Stage.RESEARCH: (Stage.READY,),
    Stage.READY: (Stage.REQUESTED,),
    Stage.INTRO_REQUESTED: (Stage.REQUESTED,),
    Stage.REQUESTED: (Stage.FOLLOWED_UP, Stage.SCHEDULED),
    Stage.FOLLOWED_UP: (Stage.SCHEDULED,),
    Stage.SCHEDULED: (Stage.MET,),
    Stage.MET: (Stage.THANKED,),
    Stage.THANKED: (Stage.KEEPING_IN_TOUCH,),
    Stage.KEEPING_IN_TOUCH: (),
    Stage.CLOSED: (Stage.READY,),
}


# The pipeline without the side step of an introduction: "back one step" follows this order.
_MAIN_PATH = tuple(stage for stage in STAGE_ORDER if stage is not Stage.INTRO_REQUESTED)


def allowed_moves(stage: Stage) -> tuple[Stage, ...]:
    """The stages a contact in ``stage`` may be moved to by hand."""
    if stage is Stage.INTRO_REQUESTED:
        back: tuple[Stage, ...] = (Stage.READY,)
    else:
        index = _MAIN_PATH.index(stage)
        back = (_MAIN_PATH[index - 1],) if 0 < index < _MAIN_PATH.index(Stage.CLOSED) else ()
    closed = (Stage.CLOSED,) if stage is not Stage.CLOSED else ()
    return tuple(dict.fromkeys(_FORWARD[stage] + back + closed))


def can_move(current: Stage, target: Stage) -> bool:
    return target in allowed_moves(current)


class Relation(StrEnum):
    CLOSE = "close"
    FRIEND_OF_FRIEND = "fof"
    ALUMNI = "alumni"
    EVENT = "event"
    COLD = "cold"


RELATION_LABELS = {
    Relation.CLOSE: "Close contact",
    Relation.FRIEND_OF_FRIEND: "Friend of a friend",
    Relation.ALUMNI: "Alumni",
    Relation.EVENT: "Met at an event",
    Relation.COLD: "Cold (no connection yet)",
}


class Channel(StrEnum):
    EMAIL = "email"
    LINKEDIN = "linkedin"
    PHONE = "phone"
    IN_PERSON = "in_person"


CHANNEL_LABELS = {
    Channel.EMAIL: "Email",
    Channel.LINKEDIN: "LinkedIn",
    Channel.PHONE: "Phone",
    Channel.IN_PERSON: "In person",
}

_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[A-Za-z]{2,}$")
_LINKEDIN = re.compile(r"^(?:https?://)?(?:[\w-]+\.)?linkedin\.com/in/[\w\-%.]+/?$|^[\w-]{3,100}$", re.I)
_PHONE = re.compile(r"^\+?[\d\s().\-]{6,20}$")


def clean_handle(channel: Channel, text: str | None) -> str:
    """Check an address or handle has the shape its channel needs."""
    value = (text or "").strip()
    if channel is Channel.EMAIL and not _EMAIL.match(value):
        raise InvalidAnswer("That doesn't look like an email address. Example: <i>ana.lee@example.com</i>")
    if channel is Channel.LINKEDIN and not _LINKEDIN.match(value):
        raise InvalidAnswer("Send a LinkedIn profile link or handle. Example: <i>linkedin.com/in/ana-lee</i>")
    if channel is Channel.PHONE:
        if not _PHONE.match(value) or sum(c.isdigit() for c in value) < 6:
            raise InvalidAnswer("That doesn't look like a phone number. Example: <i>+49 30 1234567</i>")
        return value  # digits and punctuation only: nothing more to check
    return clean_text(value, max_chars=MAX_CONTACT_FIELD_CHARS, what="the address")


def clean_contact_name(text: str | None) -> str:
    name = clean_text(text, max_chars=MAX_CONTACT_NAME_CHARS, what="their name")
    if "\n" in name:
        raise InvalidAnswer("One name at a time, please. Example: <i>Ana Lee</i>")
    return name


def clean_note(text: str | None, what: str = "the note") -> str:
    return clean_text(text, max_chars=MAX_NOTE_CHARS, what=what)


def _fold(text: str | None) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", plain.lower()).split())


def duplicate_key(name: str, company: str | None) -> tuple[str, str]:
    """Two contacts with the same key are probably the same person."""
    return _fold(name), _fold(company)


@dataclass(frozen=True)
class EmployerView:
    id: int
    name: str
    motivation: int  # 1 (curious) to 5 (dream employer)
    knows_someone: bool
    contacts: int = 0


def rank_employers(employers: list[EmployerView]) -> list[EmployerView]:
    """Most wanted first; where equal, those with a way in (someone known, contacts listed) first."""
    return sorted(employers, key=lambda e: (-e.motivation, not e.knows_someone, -e.contacts, _fold(e.name)))


def is_second_person(first: tuple[int | None, str | None], other: tuple[int | None, str | None, str]) -> bool:
    """Someone at the same employer as ``first`` (employer id, company) who hasn't been asked yet
    (``other`` is employer id, company, stage): the day-3 suggestion."""
    (employer_id, company), (other_employer, other_company, stage) = first, other
    if stage not in (Stage.RESEARCH, Stage.READY):
        return False
    if employer_id and other_employer == employer_id:
        return True
    return bool(company) and _fold(company) == _fold(other_company)


def contact_sort_key(stage: str, name: str) -> tuple[int, str]:
    """Pipeline order, then name."""
    return STAGE_ORDER.index(Stage(stage)), _fold(name)


def parse_name_lines(text: str | None, limit: int = 20) -> list[tuple[str, str | None]]:
    """ "Ana Lee, Acme", "Ana Lee - Acme" or "Ana Lee at Acme" per line -> [(name, company)].

    Raises InvalidAnswer for a name or company longer than a contact keeps: asked again, never cut."""
    entries = []
    for line in (text or "").splitlines()[:limit]:
        line = line.strip().lstrip("•*-").strip()
        if not line:
            continue
        parts = re.split(r"\s+[-–—@]\s+|\s*,\s*|\s+at\s+", line, maxsplit=1)
        name, company = clean_contact_name(parts[0]), parts[1].strip() if len(parts) > 1 else ""
        if len(company) > MAX_CONTACT_FIELD_CHARS:  # asked again, never cut
            raise InvalidAnswer(
                f"That's {len(company)} characters for a company; please keep it under {MAX_CONTACT_FIELD_CHARS}. "
                "A short name works best, e.g. <i>Ana Lee, Acme</i>."
            )
        entries.append((name, company or None))
    return entries
