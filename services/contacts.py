"""Contacts: adding people without duplicates and within the limit, cards, stage moves, archive, delete."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from coaching.answers import InvalidAnswer
from coaching.contacts import (
    MAX_CONTACTS,
    EmployerView,
    can_move,
    duplicate_key,
    rank_employers,
)
from coaching.csv_import import PreparedCsv, Shortened, parse_contacts_csv
from coaching.defaults import MAX_EMPLOYERS
from coaching.enums import Stage
from coaching.nudges import CONTACT_KINDS
from services import after
from services.outreach import after_stage_change, version_of
from services.users import clock_of
from storage.models import Contact, Employer, Meeting
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Added:
    """Who was added, who was already on the list, and whether the limit stopped the rest."""

    added: list[tuple[str, str | None]] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    limit_reached: bool = False


async def add_people(uow: UnitOfWork, user_id: int, entries: list[tuple[str, str | None]], *, source: str) -> Added:
    """Add (name, company) pairs as contacts to research; the same person (case and accents folded) once."""
    known = {duplicate_key(c.name, c.company) for c in await uow.contacts.all_of(user_id)}
    known |= {duplicate_key(c.name, c.company) for c in await uow.contacts.all_of(user_id, archived=True)}
    room = MAX_CONTACTS - await uow.contacts.count(user_id)
    result = Added()
    for name, company in entries:
        key = duplicate_key(name, company)
        if key in known:
            result.duplicates.append(name)
            continue
        if room <= 0:
            return Added(result.added, result.duplicates, limit_reached=True)
        uow.contacts.add(user_id, name=name, company=company, source=source)
        known.add(key)
        result.added.append((name, company))
        room -= 1
    return result


# One contact: the card, stage moves, archive, delete, and fields ----------------------------------------

__all__ = ["ContactRecord", "version_of"]

ContactRecord = Contact  # what the UI reads to render a contact; it never loads or saves one itself

EDITABLE = frozenset(
    {
        "name",
        "company",
        "role",
        "via",
        "relation",
        "channel",
        "handle",
        "company_notes",
        "person_notes",
        "offer",
        "why_them",
    }
)


@dataclass(frozen=True)
class Card:
    contact: Contact
    referrer_name: str | None = None
    sent: list[tuple[str, datetime]] = field(default_factory=list)  # (draft kind, sent at)
    meeting: Meeting | None = None  # the one still to come, if any
    zone: str = "UTC"


async def card(uow: UnitOfWork, user_id: int, contact_id: int) -> Card | None:
    contact = await uow.contacts.get_owned(contact_id, user_id)
    if contact is None:
        return None
    referrer = await uow.contacts.get_owned(contact.referred_by_id, user_id) if contact.referred_by_id else None
    sent = [(d.kind, d.sent_at) for d in await uow.drafts.sent_for(contact_id, user_id) if d.sent_at]
    meeting = await uow.meetings.scheduled_with(contact_id, user_id)
    user = await uow.users.get(user_id)
    zone = clock_of(user).zone if user else "UTC"
    return Card(contact, referrer.name if referrer else None, sent, meeting, zone)


async def get(uow: UnitOfWork, user_id: int, contact_id: int) -> Contact | None:
    return await uow.contacts.get_owned(contact_id, user_id)


@dataclass(frozen=True)
class Changed:
    """The contact after a change; ``changed`` is False when the button was out of date (nothing done)."""

    contact: Contact | None
    changed: bool = False


def _outdated(contact: Contact, version: int | None) -> bool:
    return version is not None and version != version_of(contact)


async def move_stage(
    uow: UnitOfWork, user_id: int, contact_id: int, target: str, now: datetime, *, version: int | None = None
) -> Changed:
    """Move by hand, if that move is allowed from where the contact is now; the clock follows."""
    contact = await uow.contacts.get_owned(contact_id, user_id)
    if contact is None or _outdated(contact, version) or target not in set(Stage):
        return Changed(contact)
    if not can_move(Stage(contact.stage), Stage(target)):
        return Changed(contact)
    contact.stage = target
    await after_stage_change(uow, user_id, contact, now)
    await after.moved_by_hand(uow, user_id, contact, now)
    return Changed(contact, True)


async def set_archived(
    uow: UnitOfWork, user_id: int, contact_id: int, archived: bool, now: datetime, *, version: int | None = None
) -> Changed:
    """Archive or unarchive (an explicit target, so an old button pressed again changes nothing)."""
    contact = await uow.contacts.get_owned(contact_id, user_id)
    if contact is None or _outdated(contact, version) or contact.archived == archived:
        return Changed(contact)
    contact.archived = archived
    await after_stage_change(uow, user_id, contact, now)
    return Changed(contact, True)


async def delete(
    uow: UnitOfWork, user_id: int, contact_id: int, now: datetime, *, version: int | None = None
) -> str | None:
    """Delete the contact and its reminders; returns the name it had, or None if it wasn't there
    (or changed since the confirmation was asked)."""
    contact = await uow.contacts.get_owned(contact_id, user_id)
    if contact is None or _outdated(contact, version):
        return None
    await uow.nudges.settle_about(user_id, str(contact.id), CONTACT_KINDS, now)
    name = contact.name
    await uow.contacts.delete(contact)
    return name


async def set_field(uow: UnitOfWork, user_id: int, contact_id: int, name: str, value: str | None) -> Contact | None:
    """Save one already-checked field of the user's contact."""
    if name not in EDITABLE:
        raise ValueError(name)
    contact = await uow.contacts.get_owned(contact_id, user_id)
    if contact is not None:
        setattr(contact, name, value)
    return contact


# /add ----------------------------------------------------------------------------------------------------


async def room_to_add(uow: UnitOfWork, user_id: int, chat_id: int) -> bool:
    await uow.users.get_or_create(user_id, chat_id)
    return await uow.contacts.count(user_id) < MAX_CONTACTS


async def create(uow: UnitOfWork, user_id: int, name: str, *, source: str) -> int | None:
    """A new contact with just a name; None when the list is full (MAX_CONTACTS)."""
    if await uow.contacts.count(user_id) >= MAX_CONTACTS:
        return None
    contact = uow.contacts.add(user_id, name=name, source=source)
    await uow.session.flush()
    return contact.id


@dataclass(frozen=True)
class CompanySet:
    found: bool
    twin: Contact | None = None  # a contact already there with the same name at the same company


async def set_company(uow: UnitOfWork, user_id: int, contact_id: int, company: str) -> CompanySet:
    """Save the company, link a listed employer of that name, and find a likely duplicate."""
    contact = await uow.contacts.get_owned(contact_id, user_id)
    if contact is None:
        return CompanySet(False)
    contact.company = company
    employers = await uow.employers.all_of(user_id)
    contact.employer_id = next(
        (e.id for e, _ in employers if duplicate_key(e.name, None) == duplicate_key(company, None)), None
    )
    key = duplicate_key(contact.name, company)
    twin = next(
        (
            c
            for c in await uow.contacts.all_of(user_id)
            if c.id != contact.id and duplicate_key(c.name, c.company) == key
        ),
        None,
    )
    return CompanySet(True, twin)


# Lists ---------------------------------------------------------------------------------------------------


async def pipeline(uow: UnitOfWork, user_id: int, *, archived: bool) -> tuple[list[Contact], list[tuple[int, str]]]:
    """The user's contacts (archived or not) and their employers as (id, name)."""
    contacts = await uow.contacts.all_of(user_id, archived=archived)
    employers = [(e.id, e.name) for e, _ in await uow.employers.all_of(user_id)]
    return contacts, employers


async def employers(uow: UnitOfWork, user_id: int) -> list[EmployerView]:
    """Target employers with how many contacts work there, most wanted first."""
    rows = await uow.employers.all_of(user_id)
    return rank_employers([EmployerView(e.id, e.name, e.motivation, e.knows_someone, n) for e, n in rows])


# CSV import ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    added: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    error: str | None = None  # why the file couldn't be read at all (nothing was imported)
    shortened: tuple[Shortened, ...] = ()  # rows added with cells shortened to fit: (row number, fields)


async def import_csv(uow: UnitOfWork, user_id: int, chat_id: int, data: bytes | PreparedCsv) -> Imported:
    """Add every usable row of a CSV file, linking known employers; duplicates and the limit are skipped."""
    await uow.users.get_or_create(user_id, chat_id)
    contacts = await uow.contacts.all_of(user_id) + await uow.contacts.all_of(user_id, archived=True)
    existing = {duplicate_key(c.name, c.company) for c in contacts}
    try:
        result = parse_contacts_csv(data, existing=existing, room=MAX_CONTACTS - len(contacts))
    except InvalidAnswer as problem:
        return Imported(error=str(problem))
    employers = {duplicate_key(e.name, None): e.id for e, _ in await uow.employers.all_of(user_id)}
    for row in result.rows:
        employer_id = employers.get(duplicate_key(row["company"], None)) if row["company"] else None
        uow.contacts.add(user_id, source="import", employer_id=employer_id, **row)
    return Imported(len(result.rows), dict(result.skipped), shortened=tuple(result.shortened))


# Target employers (/find) ------------------------------------------------------------------------------------


async def profile_words(uow: UnitOfWork, user_id: int, chat_id: int) -> tuple[str | None, str | None]:
    """The user's field and roles, to fill in the brainstorm questions."""
    user = await uow.users.get_or_create(user_id, chat_id)
    return user.field, user.roles


@dataclass(frozen=True)
class EmployersAdded:
    """The employers just added as (id, name), and those left out because the list is full (MAX_EMPLOYERS)."""

    new: list[tuple[int, str]] = field(default_factory=list)
    over_limit: list[str] = field(default_factory=list)


async def add_employers(uow: UnitOfWork, user_id: int, names: list[str]) -> EmployersAdded:
    """Add the employers not listed yet (case and accents folded), up to MAX_EMPLOYERS; link contacts
    working there."""
    listed = await uow.employers.all_of(user_id)
    existing = {duplicate_key(e.name, None) for e, _ in listed}
    room = MAX_EMPLOYERS - len(listed)
    new: list[Employer] = []
    over_limit: list[str] = []
    for name in dict.fromkeys(names):
        key = duplicate_key(name, None)
        if key in existing:
            continue
        if len(new) >= room:
            over_limit.append(name)
            continue
        existing.add(key)
        new.append(uow.employers.add(user_id, name))
    await uow.session.flush()
    by_key = {duplicate_key(e.name, None): e.id for e, _ in await uow.employers.all_of(user_id)}
    for contact in await uow.contacts.all_of(user_id):
        if contact.employer_id is None and contact.company:
            contact.employer_id = by_key.get(duplicate_key(contact.company, None))
    return EmployersAdded([(employer.id, employer.name) for employer in new], over_limit)


async def employer_name(uow: UnitOfWork, user_id: int, employer_id: int) -> str | None:
    employer = await uow.employers.get_owned(employer_id, user_id)
    return employer.name if employer else None


async def rate_employer(
    uow: UnitOfWork, user_id: int, employer_id: int, *, motivation: int | None = None, knows_someone: bool | None = None
) -> bool:
    """Save how much the user wants to work there (1-5) or whether they know someone there."""
    employer = await uow.employers.get_owned(employer_id, user_id)
    if employer is None:
        return False
    if motivation is not None:
        employer.motivation = motivation
    if knows_someone is not None:
        employer.knows_someone = knows_someone
    return True


async def counts(uow: UnitOfWork, user_id: int) -> tuple[int, int]:
    """How many contacts and target employers the user has."""
    return await uow.contacts.count(user_id), len(await uow.employers.all_of(user_id))
