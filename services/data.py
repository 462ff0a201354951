"""The user's data: export all of it as files (/export), or delete all of it (/delete_me).

Every table holding a user's data is named here, with how its rows are found (``OWNED_BY``).
``tests/test_data_coverage.py`` compares these lists with the schema: a new table that holds a user's
data fails that test until it is exported and deleted here too.

Rows are read column by column from the table itself, so a new column is exported without a change here.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import ColumnElement, CursorResult, Result, Table, delete, func, select

from coaching import export as files
from coaching.contacts import Channel
from coaching.enums import REQUEST_KINDS, DraftKind, MeetingStatus
from coaching.meetings import MeetingFormat
from storage.models import (
    Contact,
    ConversationState,
    DraftRecord,
    Employer,
    Inbox,
    Meeting,
    Nudge,
    PlanItem,
    Reflection,
    ScratchData,
    User,
)
from storage.uow import UnitOfWork

USERS: Table = User.__table__  # type: ignore[assignment]
SCRATCH: Table = ScratchData.__table__  # type: ignore[assignment]
CONVERSATIONS: Table = ConversationState.__table__  # type: ignore[assignment]
# The durable inbox (bot/inbox.py): the raw updates of the last day, found by ``user_id``. Exported and deleted,
# but left out of counts and of "is there anything?": every user who wrote has rows here for a day.
INBOX: Table = Inbox.__table__  # type: ignore[assignment]

# Tables whose rows carry the owner in ``user_id``, children before parents (the order of deletion).
BY_USER_ID: tuple[Table, ...] = tuple(
    model.__table__  # type: ignore[misc]
    for model in (PlanItem, Reflection, Meeting, DraftRecord, Contact, Employer, Nudge)
)

# How each table's rows of one user are found. "users": the row whose id is theirs; "user_id": the column;
# "ptb_data": kind "user" with their id, and kind "chat" with their private chat's id; "ptb_conversations":
# rows whose key (a JSON list of chat and user ids) holds their id.
OWNED_BY: dict[str, str] = {
    USERS.name: "id",
    **{table.name: "user_id" for table in BY_USER_ID},
    SCRATCH.name: "kind + owner_id",
    CONVERSATIONS.name: "key",
    INBOX.name: "user_id",
}
EXPORTED_TABLES: frozenset[str] = frozenset(OWNED_BY)
DELETED_TABLES: frozenset[str] = frozenset(OWNED_BY)

# The answers that make a profile more than a bare row (created when someone first sends /start).
PROFILE_FIELDS = ("name", "field", "roles", "stage", "timezone", "goal_count", "goal_period", "motivation", "pitch")
# Text columns that hold JSON: exported decoded, so the file reads as one document.
_JSON_COLUMNS = {("meetings", "questions"), ("ptb_data", "data"), ("ptb_conversations", "key"),
                 ("ptb_conversations", "state"), ("inbox", "payload")}  # fmt: skip
_USER_KIND, _CHAT_KIND = "user", "chat"


@dataclass(frozen=True)
class Export:
    """The files to send, in order, as (filename, content); or ``empty`` when there is nothing to send.

    ``skipped`` names the files left out because they would have been empty; ``counts`` is rows per table.
    """

    files: list[tuple[str, bytes]] = field(default_factory=list)
    day: date | None = None  # the day of the export, on the user's clock
    empty: bool = False
    skipped: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)


Row = dict[str, Any]


# Reading -----------------------------------------------------------------------------------------------------


def _owned(table: Table, user_id: int, chat_ids: set[int]) -> ColumnElement[bool]:
    if table is USERS:
        return USERS.c.id == user_id
    if table is SCRATCH:
        owners = (SCRATCH.c.kind == _USER_KIND) & (SCRATCH.c.owner_id == user_id)
        if chat_ids:
            owners = owners | ((SCRATCH.c.kind == _CHAT_KIND) & SCRATCH.c.owner_id.in_(sorted(chat_ids)))
        return owners
    return table.c.user_id == user_id


async def _chat_ids(uow: UnitOfWork, user_id: int, chat_id: int | None = None) -> set[int]:
    """Their private chat: the one on their profile, and the one the request came from."""
    found = set(await uow.session.scalars(select(USERS.c.chat_id).where(USERS.c.id == user_id)))
    if chat_id is not None:
        found.add(chat_id)
    return found


async def _conversation_rows(uow: UnitOfWork, user_id: int) -> list[Row]:
    """The persisted conversation states whose key holds the user's id (keys are JSON lists of ids)."""
    result = await uow.session.execute(
        select(CONVERSATIONS)
        .where(CONVERSATIONS.c.key.contains(str(user_id)))
        .order_by(CONVERSATIONS.c.name, CONVERSATIONS.c.key)
    )
    return [dict(row) for row in result.mappings() if user_id in _key_ids(row["key"])]


def _key_ids(key: str) -> list[int]:
    try:
        decoded = json.loads(key)
    except ValueError:
        return []
    return [part for part in decoded if isinstance(part, int)] if isinstance(decoded, list) else []


async def _rows(uow: UnitOfWork, user_id: int, chat_ids: set[int]) -> dict[str, list[Row]]:
    """Every row of the user's, per table, ordered by primary key."""
    tables: dict[str, list[Row]] = {}
    for table in (USERS, *reversed(BY_USER_ID), SCRATCH, INBOX):
        owned = _owned(table, user_id, chat_ids)
        if table is INBOX:
            owned = owned & (INBOX.c.status != "received")  # not the update being handled (the /export itself)
        result = await uow.session.execute(select(table).where(owned).order_by(*table.primary_key.columns))
        tables[table.name] = [dict(row) for row in result.mappings()]
    tables[CONVERSATIONS.name] = await _conversation_rows(uow, user_id)
    return tables


def _decoded(table: str, row: Row) -> Row:
    out = dict(row)
    for column, value in row.items():
        if (table, column) in _JSON_COLUMNS and isinstance(value, str):
            try:
                out[column] = json.loads(value)
            except ValueError:
                out[column] = value
    return out


async def count_user_data(uow: UnitOfWork, user_id: int, chat_id: int | None = None) -> dict[str, int]:
    """How many rows of theirs each table holds (for the confirmation before deleting). Scratch data counts
    only when it holds something: every user who ever wrote has an empty scratch row."""
    chat_ids = await _chat_ids(uow, user_id, chat_id)
    counts: dict[str, int] = {}
    for table in (USERS, *BY_USER_ID):
        counts[table.name] = int(
            await uow.session.scalar(select(func.count()).select_from(table).where(_owned(table, user_id, chat_ids)))
            or 0
        )
    scratch = await uow.session.scalars(select(SCRATCH.c.data).where(_owned(SCRATCH, user_id, chat_ids)))
    counts[SCRATCH.name] = sum(1 for text in scratch if _holds_something(text))
    counts[CONVERSATIONS.name] = len(await _conversation_rows(uow, user_id))
    return counts


def _holds_something(text: str | None) -> bool:
    try:
        return bool(json.loads(text or "null"))
    except ValueError:
        return bool(text)


async def exists(uow: UnitOfWork, user_id: int) -> bool:
    """True while the user has a profile row (even a bare one)."""
    return await uow.session.scalar(select(USERS.c.id).where(USERS.c.id == user_id)) is not None


def _is_bare(tables: dict[str, list[Row]]) -> bool:
    """No profile answers, no records, and no scratch data holding anything (say, a draft pasted for review
    before /start): at most a row created by a first /start."""
    users = tables[USERS.name]
    if users and any(users[0].get(name) is not None for name in PROFILE_FIELDS):
        return False
    if any(tables[table.name] for table in BY_USER_ID) or tables[CONVERSATIONS.name]:
        return False
    return not any(_holds_something(row["data"]) for row in tables[SCRATCH.name])


# Export ------------------------------------------------------------------------------------------------------


async def export_user(uow: UnitOfWork, user_id: int, now: datetime, chat_id: int | None = None) -> Export:
    """Everything the user has, as files: the JSON document always, then the sheets, the calendar and the
    vCard file, each only when it has something in it.

    The rows are read here; the files are built in a worker thread (a few hundred milliseconds for 2,000
    contacts), so other users are not kept waiting meanwhile.
    """
    tables = await _rows(uow, user_id, await _chat_ids(uow, user_id, chat_id))
    if _is_bare(tables):
        return Export(empty=True, counts={name: len(rows) for name, rows in tables.items()})
    return await asyncio.to_thread(build_export, user_id, now, tables)


def build_export(user_id: int, now: datetime, tables: dict[str, list[Row]]) -> Export:
    """The files from the user's rows (table name -> rows as read): pure, CPU only."""
    counts = {name: len(rows) for name, rows in tables.items()}
    users = tables[USERS.name]
    zone = users[0].get("timezone") if users else None
    decoded = {name: [_decoded(name, row) for row in rows] for name, rows in tables.items()}
    day = _local_day(now, zone)
    out = [(files.export_name(day), files.json_document(user_id, now, decoded))]
    skipped: list[str] = []

    contacts = tables[Contact.__tablename__]
    by_id = {row["id"]: row for row in contacts}
    employers = {row["id"]: row["name"] for row in tables[Employer.__tablename__]}

    def add(name: str, build: Callable[[list], bytes], rows: list) -> None:
        if rows:
            out.append((name, build(rows)))
        else:
            skipped.append(name)

    add(files.CONTACTS_CSV, files.contacts_csv, [_contact_sheet_row(row, by_id, employers) for row in contacts])
    add(files.OUTREACH_CSV, files.outreach_csv, _outreach(tables[DraftRecord.__tablename__], contacts, by_id))
    meetings = tables[Meeting.__tablename__]
    add(files.MEETINGS_CSV, files.meetings_csv, [_meeting_sheet_row(row, by_id, zone) for row in meetings])
    booked = [_calendar_meeting(row, by_id) for row in meetings if row["status"] != MeetingStatus.CANCELLED]
    add(files.MEETINGS_ICS, lambda rows: files.meetings_ics(rows, now), booked)
    add(files.CONTACTS_VCF, files.vcard, [_card(row, by_id) for row in contacts])
    return Export(files=out, day=day, skipped=tuple(skipped), counts=counts)


def _local_day(now: datetime, zone: str | None) -> date:
    try:
        tz = ZoneInfo(zone) if zone else UTC
    except (ZoneInfoNotFoundError, ValueError):
        tz = UTC
    return now.astimezone(tz).date()


def _contact_sheet_row(row: Row, by_id: dict[int, Row], employers: dict[int, str]) -> Row:
    referrer = by_id.get(row["referred_by_id"]) if row["referred_by_id"] else None
    return {
        "id": row["id"],
        "name": row["name"],
        "company": row["company"],
        "role": row["role"],
        "employer": employers.get(row["employer_id"]) if row["employer_id"] else None,
        "stage": row["stage"],
        "how_you_know_them": row["relation"],
        "via": row["via"],
        "referred_by": referrer["name"] if referrer else None,
        "channel": row["channel"],
        "address": row["handle"],
        "source": row["source"],
        "why_them": row["why_them"],
        "company_notes": row["company_notes"],
        "notes_about_them": row["person_notes"],
        "offer": row["offer"],
        "request_sent_at": row["request_sent_at"],
        "follow_ups_sent": row["follow_ups_sent"],
        "replied_at": row["replied_at"],
        "reply": row["reply"],
        "quick_responder": row["booster"],
        "met_at": row["met_at"],
        "thanked_at": row["thanked_at"],
        "last_touch_at": row["last_touch_at"],
        "keep_in_touch_days": row["touch_days"],
        "keep_in_touch_stopped": row["touch_stopped"],
        "archived": row["archived"],
        "created_at": row["created_at"],
    }


def _outreach(drafts: list[Row], contacts: list[Row], by_id: dict[int, Row]) -> list[Row]:
    """Everything marked sent, oldest first: each draft marked sent, then what a contact's card records
    without a draft kept here (a request, a thank-you, the last time you were in touch)."""
    rows: list[Row] = []
    sent: dict[int, set[str]] = {}
    dates: dict[int, set[datetime]] = {}
    for draft in drafts:
        if draft["sent_at"] is None:
            continue
        contact = by_id.get(draft["contact_id"], {})
        kind = "request" if draft["kind"] in REQUEST_KINDS else draft["kind"]
        sent.setdefault(draft["contact_id"], set()).add(kind)
        dates.setdefault(draft["contact_id"], set()).add(draft["sent_at"])
        rows.append({
            "sent_at": draft["sent_at"], "contact_id": draft["contact_id"], "contact": contact.get("name"),
            "company": contact.get("company"), "kind": files.kind_label(draft["kind"]), "subject": draft["subject"],
            "message": draft["body"], "draft_id": draft["id"],
        })  # fmt: skip
    for contact in contacts:
        kinds, seen = sent.get(contact["id"], set()), dates.get(contact["id"], set())
        on_card = [
            ("request", "request", contact["request_sent_at"]),
            (DraftKind.THANK_YOU, files.kind_label(DraftKind.THANK_YOU), contact["thanked_at"]),
        ]
        for kind, label, at in on_card:
            if at is not None and kind not in kinds:
                rows.append(_card_row(contact, label, at))
                seen.add(at)
        if contact["last_touch_at"] is not None and contact["last_touch_at"] not in seen:
            rows.append(_card_row(contact, "in touch", contact["last_touch_at"]))
    return sorted(rows, key=lambda row: (row["sent_at"], row.get("draft_id") or 0))


def _card_row(contact: Row, kind: str, at: datetime) -> Row:
    return {"sent_at": at, "contact_id": contact["id"], "contact": contact["name"], "company": contact["company"],
            "kind": kind}  # fmt: skip


def _format_label(value: str) -> str:
    try:
        return MeetingFormat(value).label.split(" ", 1)[-1]
    except ValueError:
        return value


def _meeting_sheet_row(row: Row, by_id: dict[int, Row], zone: str | None) -> Row:
    contact = by_id.get(row["contact_id"], {})
    return {
        "id": row["id"],
        "contact_id": row["contact_id"],
        "contact": contact.get("name"),
        "company": contact.get("company"),
        "starts_at": row["starts_at"],
        "starts_local": files.local_time(row["starts_at"], zone),
        "minutes": row["minutes"],
        "format": _format_label(row["format"]),
        "place": row["place"],
        "status": row["status"],
        "created_at": row["created_at"],
    }


def _calendar_meeting(row: Row, by_id: dict[int, Row]) -> files.CalendarMeeting:
    contact = by_id.get(row["contact_id"], {})
    name = contact.get("name") or "a contact"
    at = f" ({contact['role']} at {contact['company']})" if contact.get("role") and contact.get("company") else ""
    return files.CalendarMeeting(
        id=row["id"], starts_at=row["starts_at"], minutes=row["minutes"],
        title=f"Informational conversation with {name}",
        description=f"{_format_label(row['format'])} with {name}{at}", location=row["place"], status=row["status"],
    )  # fmt: skip


def _card(row: Row, by_id: dict[int, Row]) -> files.Card:
    channel, handle = row["channel"], (row["handle"] or "").strip()
    email = handle if handle and (channel == Channel.EMAIL or ("@" in handle and " " not in handle)) else None
    phone = handle if handle and channel == Channel.PHONE else None
    url = files.linkedin_url(handle) if handle and channel == Channel.LINKEDIN else None
    referrer = by_id.get(row["referred_by_id"]) if row["referred_by_id"] else None
    notes = [
        f"Stage: {row['stage']}",
        f"Via: {row['via']}" if row["via"] else "",
        f"Referred by: {referrer['name']}" if referrer else "",
        f"Address: {handle}" if handle and not (email or phone or url) else "",
        f"Why them: {row['why_them']}" if row["why_them"] else "",
        f"About them: {row['person_notes']}" if row["person_notes"] else "",
        f"Company notes: {row['company_notes']}" if row["company_notes"] else "",
        f"To offer: {row['offer']}" if row["offer"] else "",
        "Archived" if row["archived"] else "",
    ]
    return files.Card(
        id=row["id"], name=row["name"], company=row["company"], role=row["role"], email=email, phone=phone, url=url,
        note="\n".join(line for line in notes if line), revised=row["updated_at"],
    )  # fmt: skip


# Deletion ----------------------------------------------------------------------------------------------------


async def delete_user(uow: UnitOfWork, user_id: int, chat_id: int | None = None) -> bool:
    """Delete everything the user owns, in every table; True when anything was there.

    Rows go table by table, children first, then the profile: nothing relies on the database's cascades
    (they are there too). ``chat_id`` is the private chat the request came from, whose scratch data goes
    as well.
    """
    chat_ids = await _chat_ids(uow, user_id, chat_id)
    session = uow.session
    deleted = 0
    for table in BY_USER_ID:
        deleted += _count(await session.execute(delete(table).where(table.c.user_id == user_id)))
    for row in await _conversation_rows(uow, user_id):
        deleted += _count(
            await session.execute(
                delete(CONVERSATIONS).where(CONVERSATIONS.c.name == row["name"], CONVERSATIONS.c.key == row["key"])
            )
        )
    deleted += _count(await session.execute(delete(SCRATCH).where(_owned(SCRATCH, user_id, chat_ids))))
    deleted += _count(await session.execute(delete(USERS).where(USERS.c.id == user_id)))
    await session.execute(delete(INBOX).where(INBOX.c.user_id == user_id))  # not counted: see INBOX
    # Objects of theirs loaded earlier in this transaction must not be written back (or refreshed) later.
    for instance in list(session.identity_map.values()):
        owner = instance.id if isinstance(instance, User) else getattr(instance, "user_id", None)
        if owner == user_id:
            session.expunge(instance)
    return deleted > 0


def _count(result: Result) -> int:
    return cast(CursorResult, result).rowcount
