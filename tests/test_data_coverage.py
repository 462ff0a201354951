"""Every table that holds a user's data is covered by /export and /delete_me, and the file builders are exact.

- The schema test: the tables in the models that hold a user's data (a ``user_id`` column, a foreign key to
  ``users``, the ``users`` table itself, and PTB's two persistence tables) are exactly the tables that
  ``services.data`` exports and deletes. A new table fails here until it is covered (or declared free of
  user data below, with a reason).
- The behavioural test: one row of Ana's and one of Ben's in every such table; the export holds each of
  Ana's rows and none of Ben's; deleting Ana leaves none of hers and all of his. Plus the database's own
  cascades, on SQLite and PostgreSQL alike.
- The builders in ``coaching.export``: vCard escaping and folding, CSV quoting and formula guarding, JSON
  datetimes.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import delete, inspect, select

from coaching import export
from services import data
from storage.db import create_engine, create_session_factory
from storage.models import (
    Base,
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
from tests.test_data_e2e import parse_vcards

ANA, BEN = 1001, 1002
NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
PTB_TABLES = {"ptb_data", "ptb_conversations"}
# Tables that hold nobody's data, each with the reason. Empty today: every table is someone's.
NOT_USER_DATA: dict[str, str] = {}


def tables_holding_user_data() -> set[str]:
    found = {"users"} | PTB_TABLES
    for table in Base.metadata.sorted_tables:
        if "user_id" in table.c or any(key.column.table.name == "users" for key in table.foreign_keys):
            found.add(table.name)
    return found


# 1. The schema ----------------------------------------------------------------------------------------------


def test_every_table_with_a_users_data_is_exported_and_deleted() -> None:
    """Protects completeness: a table added to the models that holds a user's data and is not in
    services.data's lists fails here (and so does a table in those lists that no longer exists)."""
    every = {table.name for table in Base.metadata.sorted_tables}
    holding = tables_holding_user_data()
    assert every - holding == set(NOT_USER_DATA), (
        f"tables neither covered nor declared free of user data: {sorted(every - holding - set(NOT_USER_DATA))}"
    )
    assert data.EXPORTED_TABLES == holding, f"export misses {sorted(holding - data.EXPORTED_TABLES)}"
    assert data.DELETED_TABLES == holding, f"deletion misses {sorted(holding - data.DELETED_TABLES)}"
    assert set(data.OWNED_BY) == holding
    user_id_tables = {t.name for t in Base.metadata.sorted_tables if "user_id" in t.c}
    # The inbox is found by user_id too, but kept apart from BY_USER_ID: its rows don't count as "your data" in the
    # confirmation before deleting (every user who wrote has some, for a day).
    by_user_id = {t.name for t in data.BY_USER_ID} | {data.INBOX.name}
    assert by_user_id == user_id_tables, "every user_id table is read and deleted by it"


def test_deletion_goes_children_first() -> None:
    """Protects the order of deletion: no table is emptied before a table that refers to it."""
    order = [table.name for table in data.BY_USER_ID]
    for table in data.BY_USER_ID:
        for key in table.foreign_keys:
            parent = key.column.table.name
            if parent in order and parent != table.name:
                assert order.index(parent) > order.index(table.name), f"{parent} deleted before {table.name}"


async def test_the_migrated_schema_has_the_tables_of_the_models(migrated_url: str) -> None:
    """Protects against a table created by a migration alone, which the models (and so this coverage) miss."""
    engine = create_engine(migrated_url)
    try:
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    finally:
        await engine.dispose()
    assert names - {"alembic_version"} == {table.name for table in Base.metadata.sorted_tables}


# 2. Behaviour: a row in every table --------------------------------------------------------------------------

Made = dict[str, list[dict]]  # table name -> primary keys of the rows made


async def make_rows(uow: UnitOfWork, user_id: int, tag: str) -> Made:
    """One row (or two) of ``user_id``'s in every table holding user data; returns their primary keys."""
    session = uow.session
    user = User(id=user_id, chat_id=user_id, name=f"{tag}", timezone="Europe/Berlin", pitch=f"{tag} pitch")
    session.add(user)
    await session.flush()
    employer = Employer(user_id=user_id, name=f"{tag} Employer")
    session.add(employer)
    await session.flush()
    referrer = Contact(user_id=user_id, name=f"{tag} Referrer", employer_id=employer.id, handle=f"{tag}@x.example",
                       channel="email")  # fmt: skip
    session.add(referrer)
    await session.flush()
    contact = Contact(user_id=user_id, name=f"{tag} Contact", referred_by_id=referrer.id, channel="phone",
                      handle="+49 30 1234567", request_sent_at=NOW)  # fmt: skip
    session.add(contact)
    await session.flush()
    draft = DraftRecord(user_id=user_id, contact_id=contact.id, kind="email", subject=f"{tag} subject",
                        body=f"{tag} body", sent_at=NOW)  # fmt: skip
    meeting = Meeting(user_id=user_id, contact_id=contact.id, starts_at=NOW + timedelta(days=2), minutes=30,
                      format="video", place=f"{tag} place", questions=json.dumps({"ids": [1], "own": [tag]}))  # fmt: skip
    session.add_all([draft, meeting])
    await session.flush()
    reflection = Reflection(user_id=user_id, contact_id=contact.id, meeting_id=meeting.id, learned=f"{tag} learned",
                            finished_at=NOW)  # fmt: skip
    session.add(reflection)
    await session.flush()
    item = PlanItem(user_id=user_id, reflection_id=reflection.id, contact_id=referrer.id, kind="send", text=f"{tag}")
    nudge = Nudge(user_id=user_id, kind="digest", subject="", due_at=NOW + timedelta(days=1), dedup_key=f"t:{tag}")
    scratch = [ScratchData(kind="user", owner_id=user_id, data=json.dumps({"tag": tag})),
               ScratchData(kind="chat", owner_id=user_id, data=json.dumps({"tag": tag}))]  # fmt: skip
    state = ConversationState(name="add", key=json.dumps([user_id, user_id]), state=json.dumps("add_name"))
    inbox = Inbox(update_id=user_id * 10, user_id=user_id, payload=json.dumps({"message": {"text": tag}}),
                  status="done", received_at=NOW, done_at=NOW)  # fmt: skip
    session.add_all([item, nudge, *scratch, state, inbox])
    await session.flush()
    return {
        "users": [{"id": user_id}],
        "employers": [{"id": employer.id}],
        "contacts": [{"id": referrer.id}, {"id": contact.id}],
        "drafts": [{"id": draft.id}],
        "meetings": [{"id": meeting.id}],
        "reflections": [{"id": reflection.id}],
        "plan_items": [{"id": item.id}],
        "nudges": [{"id": nudge.id}],
        "ptb_data": [{"kind": "user", "owner_id": user_id}, {"kind": "chat", "owner_id": user_id}],
        "ptb_conversations": [{"name": "add", "key": [user_id, user_id]}],
        "inbox": [{"update_id": user_id * 10}],
    }


@pytest.fixture
async def factory(migrated_url: str):
    engine = create_engine(migrated_url)
    yield create_session_factory(engine)
    await engine.dispose()


async def stored_keys(factory, user_id: int) -> Made:
    """The primary keys of ``user_id``'s rows, per table, read straight from the schema."""
    found: Made = {}
    async with UnitOfWork(factory) as uow:
        for table in Base.metadata.sorted_tables:
            keys = [c.name for c in table.primary_key.columns]
            rows = [dict(r) for r in (await uow.session.execute(select(*table.primary_key.columns))).mappings()]
            if table.name == "ptb_conversations":
                rows = [{"name": r["name"], "key": json.loads(r["key"])} for r in rows]
                found[table.name] = [r for r in rows if user_id in r["key"]]
            elif table.name == "ptb_data":
                found[table.name] = [r for r in rows if r["owner_id"] == user_id]
            else:
                owner = table.c.id if table.name == "users" else table.c.user_id
                result = await uow.session.execute(select(*table.primary_key.columns).where(owner == user_id))
                found[table.name] = [{k: r[k] for k in keys} for r in result.mappings()]
    return found


def key_set(rows: list[dict]) -> set[str]:
    return {json.dumps(row, sort_keys=True) for row in rows}


def keyed(made: Made) -> dict[str, set[str]]:
    return {name: key_set(rows) for name, rows in made.items()}


async def test_export_holds_a_row_of_every_table_and_deletion_removes_it(factory) -> None:
    """Protects coverage by behaviour: Ana's row in each table is in her export and gone after deletion;
    Ben's row in each table is in neither her export nor the deletion."""
    async with UnitOfWork(factory) as uow:
        made = {ANA: await make_rows(uow, ANA, "Ana"), BEN: await make_rows(uow, BEN, "Ben")}
    assert set(made[ANA]) == tables_holding_user_data(), "make_rows must make a row in every table with user data"
    assert keyed(await stored_keys(factory, ANA)) == keyed(made[ANA])

    async with UnitOfWork(factory) as uow:
        result = await data.export_user(uow, ANA, NOW)
    assert not result.empty
    files = dict(result.files)
    document = json.loads(files["infocoach-export-2026-11-26.json"])
    for table in Base.metadata.sorted_tables:
        keys = [c.name for c in table.primary_key.columns]
        exported = [{k: row[k] for k in keys} for row in document["tables"][table.name]]
        assert key_set(exported) == key_set(made[ANA][table.name]), f"{table.name}: export differs from Ana's rows"
    assert "Ben" not in files["infocoach-export-2026-11-26.json"].decode()
    assert set(files) == {"infocoach-export-2026-11-26.json", *export.OTHER_FILES}
    meeting = document["tables"]["meetings"][0]
    assert meeting["questions"] == {"ids": [1], "own": ["Ana"]}, "JSON text columns are exported decoded"
    assert meeting["starts_at"] == "2026-11-28T09:30:00+00:00"

    async with UnitOfWork(factory) as uow:
        assert await data.delete_user(uow, ANA) is True
    assert await stored_keys(factory, ANA) == {name: [] for name in made[ANA]}
    assert keyed(await stored_keys(factory, BEN)) == keyed(made[BEN]), "Ben's rows changed"
    async with UnitOfWork(factory) as uow:
        assert await data.delete_user(uow, ANA) is False, "nothing left the second time"
        assert (await data.export_user(uow, ANA, NOW)).empty


async def test_the_databases_own_cascades_empty_every_user_id_table(factory) -> None:
    """Protects the safety net under the service: deleting only the users row removes every row that points to
    it, on SQLite (foreign keys on) and PostgreSQL alike."""
    async with UnitOfWork(factory) as uow:
        await make_rows(uow, ANA, "Ana")
        made_ben = await make_rows(uow, BEN, "Ben")
    async with UnitOfWork(factory) as uow:
        await uow.session.execute(delete(User.__table__).where(User.__table__.c.id == ANA))
    left = await stored_keys(factory, ANA)
    # The inbox has no foreign key: an update is stored before its sender has a users row (or ever gets one).
    # services.data deletes its rows, and done ones are pruned after a day.
    no_cascade = PTB_TABLES | {"inbox"}
    assert {name: rows for name, rows in left.items() if rows and name not in no_cascade} == {}
    assert keyed(await stored_keys(factory, BEN)) == keyed(made_ben)


async def test_a_bare_profile_is_nothing_to_export(factory) -> None:
    """Protects the empty case: no user row, or a row with no answer and no record, exports nothing."""
    async with UnitOfWork(factory) as uow:
        assert (await data.export_user(uow, ANA, NOW)).empty
        await uow.users.get_or_create(ANA, ANA)
    async with UnitOfWork(factory) as uow:
        assert (await data.export_user(uow, ANA, NOW)).empty
        (await uow.users.get(ANA)).name = "Ana"
    async with UnitOfWork(factory) as uow:
        result = await data.export_user(uow, ANA, NOW)
    assert not result.empty and [name for name, _ in result.files] == ["infocoach-export-2026-11-26.json"]
    assert result.skipped == export.OTHER_FILES


# 3. The builders ----------------------------------------------------------------------------------------------


def test_vcard_escapes_folds_at_75_octets_and_reads_back() -> None:
    """Protects the vCard format: ,;\\ and line breaks escaped, CRLF, no line over 75 octets, never a split
    character (emoji and accents straddling the fold), and the strict reader gets the text back exactly."""
    long_note = "Ünïcödé 🙂 " * 30 + "end; with, commas \\ and\nbreaks\r\nand CRs"
    name = "Zoë O'Brien; Jr, & Co \\"
    content = export.vcard(
        [export.Card(id=7, name=name, company="Acme, Inc; Labs", role="Lead; UX", email="z@x.example",
                     note=long_note, revised=NOW),
         export.Card(id=8, name="Dr. Maya Chen", url="https://www.linkedin.com/in/maya")]
    )  # fmt: skip
    text = content.decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n")[:-1]:
        assert len(line.encode("utf-8")) <= 75
    assert "Zoë O'Brien\\; Jr\\, & Co \\\\" in text.replace("\r\n ", "")
    first, second = parse_vcards(content)
    assert first["FN"] == [name] and first["ORG"] == ["Acme, Inc; Labs"] and first["TITLE"] == ["Lead; UX"]
    assert first["NOTE"] == [long_note.replace("\r\n", "\n")]
    assert first["REV"] == ["2026-11-26T09:30:00Z"] and first["UID"] == ["infocoach-contact-7@infocoach"]
    assert second["N"] == ["Chen;Maya;;Dr.;"] and second["URL"] == ["https://www.linkedin.com/in/maya"]


@pytest.mark.parametrize("prefix", ["a", "ab", "abc"])
def test_folding_never_splits_a_character(prefix: str) -> None:
    line = "NOTE:" + prefix + "🙂é" * 60
    folded = export.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert pieces[0] + "".join(piece[1:] for piece in pieces[1:]) == line


def test_csv_quotes_everything_and_guards_formulas() -> None:
    """Protects the sheets: commas, quotes and line breaks survive a CSV reader; a cell that a spreadsheet
    would run as a formula starts with an apostrophe; datetimes are ISO UTC; CRLF and a byte order mark."""
    tricky = 'A "quote", a comma; a\nbreak & <b>tag</b>'
    content = export.contacts_csv(
        [{"id": 1, "name": tricky, "company": "=HYPERLINK(\"http://x\")", "archived": True,
          "created_at": datetime(2026, 11, 26, 10, 30, tzinfo=ZoneInfo("Europe/Berlin"))}]
    )  # fmt: skip
    assert content.startswith(b"\xef\xbb\xbf") and content.endswith(b"\r\n")
    [row] = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert list(row) == list(export.CONTACT_COLUMNS)
    assert row["name"] == tricky and row["company"] == '\'=HYPERLINK("http://x")'
    assert row["archived"] == "yes" and row["created_at"] == "2026-11-26T09:30:00+00:00" and row["role"] == ""
    with pytest.raises(ValueError):
        export.contacts_csv([{"name": "x", "unknown": 1}])


def test_json_is_sorted_with_utc_offsets() -> None:
    berlin = datetime(2026, 11, 26, 10, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    content = export.json_document(ANA, berlin, {"users": [{"z": 1, "a": berlin, "text": "<b>&;,\n"}]})
    document = json.loads(content)
    assert document["exported_at"] == "2026-11-26T09:30:00+00:00"
    assert document["tables"]["users"] == [{"a": "2026-11-26T09:30:00+00:00", "text": "<b>&;,\n", "z": 1}]
    assert content.decode().index('"a"') < content.decode().index('"text"') < content.decode().index('"z"')
    with pytest.raises(ValueError):
        export.json_document(ANA, NOW, {"users": [{"at": datetime(2026, 1, 1)}]})


def test_the_calendar_keeps_the_booking_uid_and_utc_times() -> None:
    start = datetime(2026, 12, 3, 15, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    content = export.meetings_ics(
        [export.CalendarMeeting(id=12, starts_at=start, minutes=30, title="Talk, with; Maya",
                                description="Line 1\nLine 2", location="Café; Luna, 5")],
        NOW,
    )  # fmt: skip
    [event] = [c for c in Calendar.from_ical(content).walk() if c.name == "VEVENT"]
    assert str(event["uid"]) == "infocoach-meeting-12@infocoach"
    assert event.decoded("dtstart") == start and b"DTSTART:20261203T140000Z\r\n" in content, "in UTC"
    assert str(event["summary"]) == "Talk, with; Maya" and str(event["location"]) == "Café; Luna, 5"
    assert str(event["description"]) == "Line 1\nLine 2"
