"""The user's data end to end: /export (every file parses, holds everything of Ana's and nothing of Ben's,
user text survives exactly), /delete_me (confirmed by a one-shot button; everything of Ana's gone from
every table across a restart, Ben untouched, no reminder for her, /start starts from scratch) and
/privacy. Through the real application and the strict local Bot API, on SQLite or PostgreSQL
(INFOCOACH_TEST_DATABASE_URL, see tests/conftest.py).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta

from icalendar import Calendar
from sqlalchemy import Table, func, select, update

from bot.local_api import LocalBotApi
from handlers.data import ALREADY_DELETED, DELETED, EXPIRED, KEPT, NOTHING_TO_EXPORT
from services.data import EXPORTED_TABLES
from storage.models import Base, Contact, ConversationState, Meeting, Nudge, ScratchData, User
from storage.uow import UnitOfWork
from tests.conftest import ANA, BEN, driver_for, running_app
from tests.driver import BotMessage, ChatDriver
from tests.test_after_e2e import (
    FULL,
    assert_no_errors,
    berlin,
    callback_answers,
    dispatch,
    met_and_reflected,
    press_twice_at_once,
    send_request,
    set_clock,
)
from tests.test_drafts_e2e import factory_of

# User text that HTML, CSV, vCard and iCalendar all treat specially.
TRICKY = 'Teams ship <b>weekly</b> & fast; "really", truly \\ no\nSecond line, with <i>tags</i> & more'
TRICKY_NOTE = "Loves A&B; hates C, D \\ E\nSecond line; & more"  # notes refuse tags, so none here
TRICKY_NAME = "Zoë O'Brien; Jr, & Co"
TRICKY_COMPANY = "Acme, Inc; Labs \\ R&D"
EXPORT_DAY = "2026-12-03"  # the day of Ana's export, on her Berlin clock
DELETED_WORDS = "Everything I kept about you is deleted"
assert DELETED_WORDS in DELETED
PASTED = (
    "Hi Maya, I hope you're well. I'm exploring UX research in healthcare and would love 20 minutes of your "
    "time to hear about your work. Would you be open to a short call? Thank you, Ana"
)
BEN_WORDS = ("Bob Stone", "Ben Corp", "Ben Employer", "Benny Ghost")


# Getting there ---------------------------------------------------------------------------------------------


async def onboard_as(chat: ChatDriver, name: str) -> None:
    await chat.send("/start")
    await chat.press(f"Call me {name}")
    await chat.send("UX design in healthcare")
    await chat.send("product designer, UX researcher")
    await chat.press("Changing careers")
    await chat.send("Berlin")
    await chat.press("2 a week")
    await chat.send("I want to see how research shapes real product decisions")
    await chat.press("Use this pitch")
    assert "Your profile is ready" in chat.last_text()


async def add_employer(chat: ChatDriver, name: str) -> None:
    await chat.send("/find")
    await chat.press("On to employers")
    await chat.send(name)
    await chat.press("5")
    await chat.press("No")


async def ana_with_everything(chat: ChatDriver, app) -> None:
    """Ana: a profile, contacts (Maya, Sara, the referrals Sam and Lena, and one added by hand with a tricky
    name and note), an employer, requests and a thank-you sent, a meeting, a finished reflection with its plan,
    reminders, and some text no format should mangle."""
    answers = list(FULL)
    answers[1] = TRICKY
    note = await met_and_reflected(chat, app, answers)
    await chat.press("I sent it", note)
    await send_request(chat, "Sara Ito")
    await add_employer(chat, "City Hospital")
    await chat.send_all("/add", TRICKY_NAME, TRICKY_COMPANY)
    for _ in range(3):
        await chat.press("Skip")
    assert TRICKY_NAME in chat.last_text()
    await chat.press("About them")
    await chat.send(TRICKY_NOTE)
    async with UnitOfWork(factory_of(app)) as uow:  # free text that the flows accept with tags too
        await uow.session.execute(
            update(Contact).where(Contact.user_id == ANA.id, Contact.name == "Maya Chen").values(company_notes=TRICKY)
        )
        await uow.session.execute(update(Meeting).where(Meeting.user_id == ANA.id).values(place=TRICKY))
    assert_no_errors(chat)


async def ben_with_some(chat: ChatDriver) -> None:
    await onboard_as(chat, "Ben")
    await chat.send("/find")
    await chat.send("Bob Stone, Ben Corp")
    await chat.press("On to employers")
    await chat.send("Ben Employer")
    await chat.press("4")
    await chat.press("No")
    await chat.send_all("/add", "Benny Ghost", "Ben Corp")
    for _ in range(3):
        await chat.press("Skip")
    await send_request(chat, "Bob Stone")
    assert_no_errors(chat)


async def stray_persistence_rows(app) -> None:
    """PTB rows the application doesn't write today but a user could own: a chat's scratch data, and the state
    of a conversation under a name no longer registered."""
    async with UnitOfWork(factory_of(app)) as uow:
        for user in (ANA, BEN):
            uow.session.add(ScratchData(kind="chat", owner_id=user.id, data=json.dumps({"note": "chat scratch"})))
            uow.session.add(ConversationState(name="zz_retired_flow", key=json.dumps([user.id, user.id]), state="1"))


# Reading the database ------------------------------------------------------------------------------------------


def owned_query(table: Table, user_id: int):
    """Every row of ``user_id``'s in ``table``, found the way the schema says (not the way the service does)."""
    if table.name == "users":
        return select(table).where(table.c.id == user_id)
    if "user_id" in table.c:
        return select(table).where(table.c.user_id == user_id)
    if table.name == "ptb_data":
        return select(table).where(table.c.owner_id == user_id)
    if table.name == "ptb_conversations":
        return select(table).where(table.c.key.contains(str(user_id)))
    return None


async def rows_of(app_or_factory, user_id: int) -> dict[str, list[dict]]:
    """``user_id``'s rows in every table of the schema; a table with no way to find a user's rows is an error."""
    factory = app_or_factory if callable(app_or_factory) else factory_of(app_or_factory)
    found: dict[str, list[dict]] = {}
    async with UnitOfWork(factory) as uow:
        for table in Base.metadata.sorted_tables:
            query = owned_query(table, user_id)
            assert query is not None, f"{table.name}: no way to tell whose rows these are"
            rows = [dict(row) for row in (await uow.session.execute(query)).mappings()]
            if table.name == "ptb_conversations":
                rows = [row for row in rows if user_id in json.loads(row["key"])]
            found[table.name] = rows
    return found


def counts(rows: dict[str, list[dict]]) -> dict[str, int]:
    return {name: len(found) for name, found in rows.items()}


def primary_keys(rows: list[dict], keys: list[str]) -> set[str]:
    """Rows by primary key; a conversation key is JSON text in the database and a list in the export."""
    return {
        json.dumps([json.loads(r[k]) if k == "key" and isinstance(r[k], str) else r[k] for k in keys]) for r in rows
    }


def documents(messages: list[BotMessage]) -> dict[str, bytes]:
    return {m.document[0]: m.document[1] for m in messages if m.document is not None}


# Parsing the files ---------------------------------------------------------------------------------------------


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "a UTF-8 byte order mark, for spreadsheets"
    body = content.decode("utf-8-sig")
    assert body.endswith("\r\n"), "CSV records end with CRLF"
    return list(csv.DictReader(io.StringIO(body, newline="")))


def unescape_vcard(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char != "\\":
            out.append(char)
            continue
        following = next(chars, None)
        assert following is not None, f"a lone backslash at the end of {value!r}"
        assert following in "\\,;nN", f"an unknown escape \\{following} in {value!r}"
        out.append("\n" if following in "nN" else following)
    return "".join(out)


def split_unescaped(value: str, separator: str) -> list[str]:
    parts, current, escaped = [], "", False
    for char in value:
        if escaped:
            current += "\\" + char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append(current)
            current = ""
        else:
            current += char
    assert not escaped, f"a lone backslash in {value!r}"
    return [*parts, current]


def parse_vcards(content: bytes) -> list[dict[str, list[str]]]:
    """A strict vCard 3.0 reader: UTF-8, CRLF only, lines of at most 75 octets, folding undone, BEGIN/END in
    pairs, VERSION 3.0 first, FN and N on each card, no raw comma or semicolon in a TEXT value."""
    text_content = content.decode("utf-8")
    assert text_content.endswith("\r\n"), "the file ends with CRLF"
    raw_lines = text_content[:-2].split("\r\n")
    for line in raw_lines:
        assert "\n" not in line and "\r" not in line, f"a bare line break in {line!r}"
        assert len(line.encode("utf-8")) <= 75, f"a line of {len(line.encode())} octets: {line!r}"
    lines: list[str] = []
    for line in raw_lines:
        if line.startswith((" ", "\t")):
            assert lines, "a continuation line first"
            lines[-1] += line[1:]
        else:
            lines.append(line)
    cards: list[dict[str, list[str]]] = []
    card: dict[str, list[str]] | None = None
    for line in lines:
        name_part, colon, value = line.partition(":")
        assert colon, f"no colon in {line!r}"
        name = name_part.split(";", 1)[0].upper()
        if name == "BEGIN":
            assert value == "VCARD" and card is None, f"unbalanced BEGIN: {line!r}"
            card = {}
            continue
        assert card is not None, f"a property outside a card: {line!r}"
        if name == "END":
            assert value == "VCARD", line
            for required in ("VERSION", "FN", "N"):
                assert required in card, f"a card without {required}: {card}"
            cards.append(card)
            card = None
            continue
        if not card:
            assert (name, value) == ("VERSION", "3.0"), f"VERSION:3.0 must come first, got {line!r}"
        if name in ("FN", "NOTE", "TITLE", "EMAIL", "TEL"):
            assert not any(p and p[-1] != "\\" for p in split_unescaped(value, ",")[:-1]), f"raw comma: {line!r}"
            assert len(split_unescaped(value, ";")) == 1, f"a raw semicolon in {line!r}"
            value = unescape_vcard(value)
        elif name in ("N", "ORG"):
            value = ";".join(unescape_vcard(part) for part in split_unescaped(value, ";"))
        card.setdefault(name, []).append(value)
    assert card is None, "a card without END"
    return cards


# Export --------------------------------------------------------------------------------------------------------


async def test_export_round_trip_holds_everything_of_ana_and_nothing_of_ben(
    api: LocalBotApi, ana: ChatDriver, ben: ChatDriver, bot_app
) -> None:
    """Protects /export: six files that parse (JSON, three CSV sheets, a calendar, a vCard file); the JSON holds
    every row of Ana's in every table, compared with the database, and nothing of Ben's; user text with
    <b>&;,\\ and line breaks comes back exactly in every format."""
    await ana_with_everything(ana, bot_app)
    await ben_with_some(ben)
    await stray_persistence_rows(bot_app)
    set_clock(bot_app, berlin(12, 3, 18, 0))
    mine, bens = await rows_of(bot_app, ANA.id), await rows_of(bot_app, BEN.id)
    ben_contact_ids = {row["id"] for row in bens["contacts"]}

    replies = await ana.send("/export")
    intro = replies[0].text
    files = documents(replies)
    json_name = f"infocoach-export-{EXPORT_DAY}.json"
    assert list(files) == [json_name, "contacts.csv", "outreach.csv", "meetings.csv", "meetings.ics", "contacts.vcf"]
    for name in files:
        assert name in intro, f"the message before the files names {name}"
    assert "Left out" not in intro

    # JSON: every row of Ana's, table by table, and only hers.
    raw = files[json_name].decode("utf-8")
    document = json.loads(raw)
    assert document["format"] == "infocoach-export" and document["user_id"] == ANA.id
    assert document["exported_at"] == "2026-12-03T17:00:00+00:00"
    assert datetime.fromisoformat(document["exported_at"]) == berlin(12, 3, 18, 0)
    tables = document["tables"]
    assert set(tables) == EXPORTED_TABLES == {t.name for t in Base.metadata.sorted_tables}
    for table in Base.metadata.sorted_tables:
        exported, stored = tables[table.name], mine[table.name]
        assert len(exported) == len(stored), f"{table.name}: {len(exported)} exported, {len(stored)} stored"
        keys = [c.name for c in table.primary_key.columns]
        assert primary_keys(exported, keys) == primary_keys(stored, keys), table.name
        if "user_id" in table.c:
            assert {row["user_id"] for row in exported} <= {ANA.id}, f"{table.name}: another user's row"
    for table in ("contacts", "employers", "drafts", "meetings", "reflections", "plan_items", "nudges"):
        assert tables[table], f"Ana has {table}: the test must create some"
    assert {row["name"] for row in tables["contacts"]} == {row["name"] for row in mine["contacts"]}
    assert {row["name"] for row in tables["employers"]} == {"City Hospital"}
    assert [row["id"] for row in tables["users"]] == [ANA.id] and tables["users"][0]["name"] == "Ana"
    assert {(row["kind"], row["owner_id"]) for row in tables["ptb_data"]} == {("user", ANA.id), ("chat", ANA.id)}
    assert [row["key"] for row in tables["ptb_conversations"]] == [[ANA.id, ANA.id]]
    for word in BEN_WORDS:
        assert word not in raw, f"Ben's {word!r} is in Ana's export"
    assert not {row["id"] for row in tables["contacts"]} & ben_contact_ids
    # Datetimes: ISO 8601 in UTC with the offset.
    for row in tables["contacts"] + tables["nudges"]:
        assert row["created_at"].endswith("+00:00"), row["created_at"]
    # User text, exactly.
    [reflection] = tables["reflections"]
    assert reflection["learned"] == TRICKY and reflection["finished_at"]
    by_name = {row["name"]: row for row in tables["contacts"]}
    assert by_name[TRICKY_NAME]["company"] == TRICKY_COMPANY
    assert by_name[TRICKY_NAME]["person_notes"] == TRICKY_NOTE
    assert by_name["Maya Chen"]["company_notes"] == TRICKY
    assert by_name["Sam Park"]["referred_by_id"] == by_name["Maya Chen"]["id"], "the referral is linked"
    assert tables["meetings"][0]["place"] == TRICKY

    # contacts.csv
    sheet = read_csv(files["contacts.csv"])
    assert {row["name"] for row in sheet} == set(by_name)
    tricky_row = next(row for row in sheet if row["name"] == TRICKY_NAME)
    assert tricky_row["company"] == TRICKY_COMPANY and tricky_row["notes_about_them"] == TRICKY_NOTE
    assert next(row for row in sheet if row["name"] == "Maya Chen")["company_notes"] == TRICKY
    assert next(row for row in sheet if row["name"] == "Sam Park")["referred_by"] == "Maya Chen"
    assert next(row for row in sheet if row["name"] == "Maya Chen")["employer"] == "City Hospital"
    # outreach.csv: the request to Sara and the thank-you to Maya, with their dates.
    outreach = read_csv(files["outreach.csv"])
    sent = {(row["contact"], row["kind"]) for row in outreach}
    assert {("Sara Ito", "email"), ("Maya Chen", "thank-you")} <= sent, sent
    for row in outreach:
        assert datetime.fromisoformat(row["sent_at"]).utcoffset() == timedelta(0)
    stored_sent = {row["id"] for row in mine["drafts"] if row["sent_at"] is not None}
    assert {int(row["draft_id"]) for row in outreach if row["draft_id"]} == stored_sent
    # meetings.csv
    [meeting_row] = read_csv(files["meetings.csv"])
    [meeting] = mine["meetings"]
    assert meeting_row["contact"] == "Maya Chen" and meeting_row["place"] == TRICKY
    assert datetime.fromisoformat(meeting_row["starts_at"]) == meeting["starts_at"] == berlin(12, 3, 15, 0)
    assert meeting_row["starts_local"] == "2026-12-03 15:00 Europe/Berlin"
    # meetings.ics
    events = [c for c in Calendar.from_ical(files["meetings.ics"]).walk() if c.name == "VEVENT"]
    assert len(events) == 1
    assert str(events[0]["uid"]) == f"infocoach-meeting-{meeting['id']}@infocoach"
    assert events[0].decoded("dtstart") == meeting["starts_at"]
    assert str(events[0]["location"]) == TRICKY
    # contacts.vcf
    cards = parse_vcards(files["contacts.vcf"])
    assert sorted(card["FN"][0] for card in cards) == sorted(by_name)
    tricky_card = next(card for card in cards if card["FN"] == [TRICKY_NAME])
    assert tricky_card["ORG"] == [TRICKY_COMPANY]
    assert TRICKY_NOTE in tricky_card["NOTE"][0]
    maya_card = next(card for card in cards if card["FN"] == ["Maya Chen"])
    assert maya_card["N"] == ["Chen;Maya;;;"] and TRICKY in maya_card["NOTE"][0]
    assert_no_errors(ana)


async def test_export_with_no_data_sends_a_note_and_no_files(
    api: LocalBotApi, ana: ChatDriver, ben: ChatDriver
) -> None:
    """Protects the empty case: someone new, or someone who only opened /start, gets a friendly note, no files."""
    replies = await ben.send("/export")
    assert [m.text for m in replies] == [NOTHING_TO_EXPORT] and documents(replies) == {}
    await ana.send("/start")
    await ana.send("/cancel")
    replies = await ana.send("/export")
    assert [m.text for m in replies] == [NOTHING_TO_EXPORT] and documents(replies) == {}
    assert not any(method == "sendDocument" for method, _ in api.requests)


async def test_a_draft_pasted_before_start_is_data_to_export_and_delete(ana: ChatDriver, bot_app) -> None:
    """Protects honesty about scratch data: a draft pasted for review before /start is kept while it waits, so
    /export sends it and /delete_me offers to delete it, instead of saying nothing is stored."""
    await ana.send(PASTED)
    assert "Shall I review it" in ana.last_text()
    replies = await ana.send("/export")
    [(name, content)] = documents(replies).items()
    assert name.endswith(".json") and PASTED in json.dumps(json.loads(content)["tables"]["ptb_data"])
    prompt = (await ana.send("/delete_me"))[-1]
    assert "the notes I keep while we talk" in prompt.text
    await ana.press("Yes, delete everything", prompt)
    left = await rows_of(bot_app, ANA.id)
    assert {name: rows for name, rows in left.items() if rows} == {}
    assert [m.text for m in await ana.send("/export")] == [NOTHING_TO_EXPORT]


async def test_export_of_a_profile_alone_sends_the_json_and_says_what_was_left_out(ana: ChatDriver, bot_app) -> None:
    """Protects "skip what would be empty": a finished profile and nothing else is the JSON file alone, and the
    message names the files left out."""
    set_clock(bot_app, berlin(12, 3, 18, 0))
    await onboard_as(ana, "Ana")
    replies = await ana.send("/export")
    assert list(documents(replies)) == [f"infocoach-export-{EXPORT_DAY}.json"]
    intro = replies[0].text
    for left_out in ("contacts.csv", "outreach.csv", "meetings.csv", "meetings.ics", "contacts.vcf"):
        assert left_out in intro.split("Left out")[1], intro
    document = json.loads(documents(replies)[f"infocoach-export-{EXPORT_DAY}.json"])
    assert document["tables"]["users"][0]["pitch"], "the profile is in it"


# Deletion ------------------------------------------------------------------------------------------------------


async def test_deletion_survives_a_restart_leaves_ben_alone_and_start_begins_from_scratch(
    api: LocalBotApi, migrated_url: str
) -> None:
    """Protects /delete_me: after confirming, a restart on the same database finds nothing of Ana's in any table
    (by user id, owner id or conversation key), Ben's rows are exactly as before, no reminder of hers is ever
    sent, PTB holds nothing of hers in memory, and /start greets her as new."""
    async with running_app(api, migrated_url) as app:
        ana, ben = driver_for(api, app, ANA), driver_for(api, app, BEN)
        await ana_with_everything(ana, app)
        await ben_with_some(ben)
        await stray_persistence_rows(app)
        ben_before = await rows_of(app, BEN.id)
        ana_before = counts(await rows_of(app, ANA.id))
        async with UnitOfWork(factory_of(app)) as uow:
            pending = await uow.session.scalar(
                select(func.count()).where(Nudge.user_id == ANA.id, Nudge.status == "pending")
            )
        assert pending, "Ana has reminders waiting"
        assert all(ana_before[name] for name in ana_before), f"Ana has a row in every table: {ana_before}"

        await ana.send("/add")  # a flow left open
        prompt = (await ana.send("/delete_me"))[-1]
        for words in ("your profile", "5 contacts", "1 meeting", "reminders", "can't be undone"):
            assert words in prompt.text, prompt.text
        replies = await ana.press("Yes, delete everything", prompt)
        assert any(DELETED_WORDS in m.text for m in replies), [m.text for m in replies]
        assert ANA.id not in app.user_data, "PTB still holds Ana's scratch data"
        conversations = [h for group in app.handlers.values() for h in group if hasattr(h, "_conversations")]
        assert conversations and not [k for h in conversations for k in h._conversations if ANA.id in k]
        assert_no_errors(ana)

    async with running_app(api, migrated_url) as app:
        left = await rows_of(app, ANA.id)
        assert {name: rows for name, rows in left.items() if rows} == {}, "Ana's rows survived the deletion"
        assert await rows_of(app, BEN.id) == ben_before, "Ben's rows changed"
        assert ANA.id not in app.user_data, "Ana's scratch data came back from the database"

        ana, ben = driver_for(api, app, ANA), driver_for(api, app, BEN)
        seen_ana, seen_ben = len(ana.messages()), len(ben.messages())
        for days in (1, 5, 30, 60):
            await dispatch(app, berlin(12, 3, 10, 0) + timedelta(days=days))
        assert len(ana.messages()) == seen_ana, "a reminder reached Ana after she deleted her data"
        assert len(ben.messages()) > seen_ben, "Ben's reminders still go out (the dispatcher ran)"

        replies = await ana.send("/start")
        assert "Welcome to InfoCoach" in replies[0].text and "Welcome back" not in replies[0].text
        assert "What should I call you?" in ana.last_text()
        async with UnitOfWork(factory_of(app)) as uow:
            user = await uow.session.get(User, ANA.id)
        assert user is not None and user.name is None and user.onboarded_at is None, "a new, empty profile"
        assert_no_errors(ana)


async def test_the_delete_buttons_are_one_shot_and_only_for_whoever_was_asked(
    api: LocalBotApi, ana: ChatDriver, ben: ChatDriver, bot_app
) -> None:
    """Protects the confirmation: "keep" deletes nothing; a press on an older prompt, Ben pressing Ana's button
    (even on his own prompt), or a press after an hour deletes nothing; a double tap deletes once and the second
    press is told kindly that it's already done."""
    set_clock(bot_app, berlin(12, 3, 18, 0))
    await onboard_as(ana, "Ana")
    await ana.send("/find")
    await ana.send("Maya Chen, City Hospital")
    await ana.press("On to employers")
    await ana.press("Finish")
    await onboard_as(ben, "Ben")
    ana_rows, ben_rows = counts(await rows_of(bot_app, ANA.id)), counts(await rows_of(bot_app, BEN.id))
    ana_rows.pop("ptb_data"), ben_rows.pop("ptb_data")  # scratch data changes with every prompt
    ana_rows.pop("inbox"), ben_rows.pop("inbox")  # and the inbox gains a row with every update

    def without_scratch(found: dict[str, list[dict]]) -> dict[str, int]:
        # The inbox gains a row with every update (bot/inbox.py); only the data behind the buttons counts here.
        return {name: n for name, n in counts(found).items() if name not in ("ptb_data", "inbox")}

    # Keep.
    first = (await ana.send("/delete_me"))[-1]
    yes = data_of(first, "Yes, delete everything")
    await ana.press("Keep my data", first)
    assert ana.last_text() == KEPT
    assert without_scratch(await rows_of(bot_app, ANA.id)) == ana_rows
    # The same prompt's "yes" after "keep": no longer current.
    await ana.press_data(yes, first)
    assert without_scratch(await rows_of(bot_app, ANA.id)) == ana_rows

    # An older prompt's button, once a newer one was sent.
    older = (await ana.send("/delete_me"))[-1]
    older_yes = data_of(older, "Yes, delete everything")
    newer = (await ana.send("/delete_me"))[-1]
    await ana.press_data(older_yes, older)
    assert without_scratch(await rows_of(bot_app, ANA.id)) == ana_rows, "an older prompt's button deleted"

    # Ben presses Ana's current button: on her message, and on his own prompt.
    newer_yes = data_of(newer, "Yes, delete everything")
    await ben.press_data(newer_yes, newer)
    mine = (await ben.send("/delete_me"))[-1]
    await ben.press_data(newer_yes, mine)
    assert without_scratch(await rows_of(bot_app, ANA.id)) == ana_rows, "Ben's press deleted Ana's data"
    assert without_scratch(await rows_of(bot_app, BEN.id)) == ben_rows, "a forged press deleted Ben's data"

    # An hour later, the question has expired.
    set_clock(bot_app, berlin(12, 3, 19, 1))
    await ana.press("Yes, delete everything", newer)
    assert ana.last_text() == EXPIRED
    assert without_scratch(await rows_of(bot_app, ANA.id)) == ana_rows

    # A double tap: deleted once, the second press answered kindly.
    prompt = (await ana.send("/delete_me"))[-1]
    await press_twice_at_once(ana, prompt, data_of(prompt, "Yes, delete everything"))
    assert sum(DELETED_WORDS in m.text for m in ana.messages()) == 1, "the deletion was confirmed twice"
    assert callback_answers(api)[-1] == ALREADY_DELETED
    left = await rows_of(bot_app, ANA.id)
    assert {name: rows for name, rows in left.items() if rows} == {}, "Ana's rows survived the deletion"
    assert without_scratch(await rows_of(bot_app, BEN.id)) == ben_rows, "Ben's data changed"
    assert_no_errors(ana)
    assert_no_errors(ben)


def data_of(message: BotMessage, label: str) -> str:
    for row in message.buttons:
        for button in row:
            if label.lower() in button["text"].lower():
                return button["callback_data"]
    raise AssertionError(f"no button {label!r} in {message.button_labels()}")


async def test_delete_me_with_nothing_stored_says_so(ana: ChatDriver) -> None:
    replies = await ana.send("/delete_me")
    assert [m.text for m in replies] == ["I don't keep anything about you, so there's nothing to delete."]


async def test_privacy_says_what_is_kept_where_and_how_to_export_and_delete(ana: ChatDriver) -> None:
    """Protects /privacy: what is stored, where, nothing sent on the user's behalf, /export and /delete_me."""
    [page] = await ana.send("/privacy")
    for words in (
        "What I keep",
        "contacts",
        "reflections",
        "reminders",
        "SQLite",
        "PostgreSQL",
        "I draft; you send",
        "never written to the logs",
        "/export",
        "/delete_me",
    ):
        assert words in page.text, words
