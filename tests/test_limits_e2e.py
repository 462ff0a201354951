"""Per-user limits end to end, through the real application and the strict local Bot API.

The flood throttle: one user flooding is slowed (their excess updates are not handled and leave nothing
stored, they are told once, their buttons are still answered) while another user is served as usual; a
fast human is never slowed. The throttle's clock is the test's: time stands still during a flood and
moves on by hand, so nothing here depends on how fast the machine is.

The size caps: every place a user adds or types something has a cap, and hitting it gives a message that
names the limit and stores nothing beyond it.

On PostgreSQL: set INFOCOACH_TEST_DATABASE_URL (see tests/conftest.py); SQLite is the default.
"""

from __future__ import annotations

import asyncio
import json
import time

from sqlalchemy import func, select

from coaching.contacts import MAX_CONTACTS, MAX_NOTE_CHARS
from coaching.csv_import import MAX_FILE_BYTES, MAX_ROWS
from coaching.defaults import (
    FLOOD_LIMIT,
    MAX_CONTACT_FIELD_CHARS,
    MAX_CONTACT_NAME_CHARS,
    MAX_EMPLOYERS,
    MAX_EMPLOYERS_AT_ONCE,
    MAX_NAMES_AT_ONCE,
    MAX_OWN_QUESTIONS,
    MAX_PLACE_CHARS,
    MAX_WHY_THEM_CHARS,
)
from coaching.drafts import MAX_DRAFT_CHARS
from coaching.limits import FLOOD_BUTTON_ANSWER, FLOOD_NOTICE
from coaching.reflection import MAX_ANSWER_CHARS, MAX_REFERRALS
from services import meetings as meeting_service
from storage.models import Contact, DraftRecord, Employer, Meeting
from storage.uow import UnitOfWork
from tests.conftest import ANA, BEN
from tests.driver import ChatDriver
from tests.test_after_e2e import (
    FULL,
    Tap,
    berlin,
    book,
    callback_answers,
    people_who_said_yes,
    reflect_reminder,
    with_text,
)
from tests.test_drafts_e2e import add_people, draft_and_send, factory_of
from tests.test_meetings_e2e import setup
from tests.test_onboarding_e2e import onboard

GROUP = {"id": -100777, "type": "group", "title": "Job search circle"}


class StillClock:
    """The throttle's clock, standing still until moved."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class TappingClock:
    """Each update arrives ``step`` seconds after the one before: someone tapping without a pause."""

    def __init__(self, step: float) -> None:
        self.now, self.step, self.reads = 0.0, step, 0

    def __call__(self) -> float:
        self.now += self.step
        self.reads += 1
        return self.now


async def until(condition, what: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.01)


async def settled(app, update_ids: list[int]) -> None:
    """Every update processed (handled or turned away), and every reply to a turned-away one sent."""
    processed = app.bot_data["processed"]
    await until(lambda: all(u in processed for u in update_ids), "the updates to be processed")
    await until(
        lambda: not any(t.get_name() == "throttle-reply" and not t.done() for t in asyncio.all_tasks()),
        "the throttle's replies",
    )


def notices(api, chat_id: int) -> int:
    return sum(FLOOD_NOTICE in m.text for m in api.chat_messages(chat_id))


async def contacts_of(app, user_id: int = ANA.id) -> list[Contact]:
    async with UnitOfWork(factory_of(app)) as uow:
        return list(await uow.session.scalars(select(Contact).where(Contact.user_id == user_id).order_by(Contact.id)))


async def contact_count(app, user_id: int = ANA.id) -> int:
    async with UnitOfWork(factory_of(app)) as uow:
        return await uow.contacts.count(user_id)


async def fill_contacts(app, total: int, user_id: int = ANA.id) -> None:
    """Seed filler contacts until the user has ``total``."""
    async with UnitOfWork(factory_of(app)) as uow:
        await uow.users.get_or_create(user_id, user_id)
        for i in range(total - await uow.contacts.count(user_id)):
            uow.contacts.add(user_id, name=f"Filler {i:04d}", company="Filler Inc")


# The flood throttle -------------------------------------------------------------------------------------


async def test_a_flood_is_slowed_for_the_flooder_alone(api, bot_app, ana: ChatDriver, ben: ChatDriver) -> None:
    """Ana sends 40 updates in an instant, names and two button presses among them; Ben writes in between."""
    clock = StillClock()
    bot_app.update_processor.throttle.clock = clock
    await ana.send("/find")
    brainstorm = ana.last_with_buttons()
    ids = []
    ben_says = {10: "/add", 20: "Carla Diaz", 30: "/help"}
    for i in range(1, 40):
        if i in (25, 30):
            ids.append(api.press_from(ANA, brainstorm, "fd:next"))
        else:
            ids.append(api.send_from(ANA, f"Person {i:02d}"))
        if i in ben_says:
            ids.append(api.send_from(BEN, ben_says[i]))
    await settled(bot_app, ids)

    # Ana: the first 20 (/find and 19 names) were handled; nothing of the other 20 was.
    assert [c.name for c in await contacts_of(bot_app)] == [f"Person {i:02d}" for i in range(1, 20)]
    assert notices(api, ANA.id) == 1, "one polite message, not one per dropped update"
    assert callback_answers(api)[-2:] == [FLOOD_BUTTON_ANSWER] * 2 and api.unanswered_callbacks() == 0
    # Ben: every update answered as usual.
    ben_texts = [m.text for m in ben.messages()]
    assert any("Who would you like to add?" in t for t in ben_texts)
    assert any("Where do they work?" in t for t in ben_texts)
    assert any("/find" in t and "/add" in t for t in ben_texts), "his /help was answered"
    assert [c.name for c in await contacts_of(bot_app, BEN.id)] == ["Carla Diaz"]
    assert notices(api, BEN.id) == 0

    # A window later, Ana is served again, where she was: the dropped "Next" presses moved nothing.
    clock.now += 5
    replies = await ana.send("Person 41")
    assert "Added 1: Person 41" in replies[-1].text
    await ana.press("Next")
    assert "2/6" in ana.last_text()
    assert notices(api, ANA.id) == 1


async def test_a_fast_human_is_never_slowed(api, bot_app, ana: ChatDriver) -> None:
    """Onboarding, a brainstorm, employers and /add, tapped and typed without a pause at 3 a second."""
    clock = TappingClock(step=1 / 3)
    bot_app.update_processor.throttle.clock = clock
    await onboard(ana)
    await ana.send("/find")
    await ana.send("Maya Chen, City Hospital\nLeo Park - MedTech Labs")
    for _ in range(5):
        await ana.press("Next")
    await ana.press("Next")
    await ana.send("City Hospital\nAcme Health")
    for score, knows in (("5", "Yes"), ("3", "No")):
        await ana.press(score)
        await ana.press(knows)
    added = ["Nora Diaz", "Kai Berg", "Ida Holm"]
    for name in added:
        await ana.send("/add")
        await ana.send(name)
        for _ in range(4):
            await ana.press("Skip")
    await ana.send("/contacts")
    assert clock.reads > 2 * FLOOD_LIMIT, "twice the limit, over nearly three windows: never slowed"
    assert notices(api, ANA.id) == 0
    async with UnitOfWork(factory_of(bot_app)) as uow:
        assert (await uow.users.get(ANA.id)).onboarded_at is not None
    assert {c.name for c in await contacts_of(bot_app)} == {"Maya Chen", "Leo Park", *added}
    assert "Your contacts" in ana.last_text()


async def test_messages_in_a_group_count_for_their_sender(api, bot_app, ana: ChatDriver) -> None:
    """Ana floods a group the bot is in: it counts against her, and she is told in her private chat only."""
    clock = StillClock()
    bot_app.update_processor.throttle.clock = clock
    ids = [api.send_from(ANA, f"message {i}", chat=GROUP) for i in range(25)]
    ids.append(api.send_from(ANA, "/help"))  # her private chat, the same instant: over the limit too
    await settled(bot_app, ids)
    assert notices(api, ANA.id) == 1
    to_group = [params for _method, params in api.requests if params.get("chat_id") == GROUP["id"]]
    # The group gets at most the bot's one "talk to me privately" note (private chats only), never a reply.
    assert len(to_group) <= 1 and all("private" in str(p.get("text", "")).lower() for p in to_group), to_group
    assert not [m for m in ana.messages() if "/find" in m.text], "the private /help was dropped"
    clock.now += 5
    replies = await ana.send("/help")
    assert replies and "/find" in replies[-1].text


# Contacts ----------------------------------------------------------------------------------------------


async def test_a_full_contact_list_is_said_everywhere_people_are_added(api, bot_app, ana: ChatDriver) -> None:
    """/add (even when the list fills up mid-way), /find, a CSV import and a referral: each names the limit."""
    await add_people(ana)
    limit = f"reached {MAX_CONTACTS} contacts"
    await fill_contacts(bot_app, MAX_CONTACTS - 1)
    await ana.send("/add")
    await fill_contacts(bot_app, MAX_CONTACTS)  # an import in another chat filled it meanwhile
    assert limit in (await ana.send("Nora Diaz"))[-1].text
    assert limit in (await ana.send("/add"))[-1].text

    await ana.send("/find")
    assert limit in (await ana.send("Nora Diaz, Acme"))[-1].text

    await ana.send("/cancel")
    before = len([m for m, _ in api.requests if m == "getFile"])
    replies = await ana._await_reply(lambda: api.send_document_from(ANA, "c.csv", b"Name,Company\nNora Diaz,Acme\n"))
    assert limit in replies[-1].text
    assert len([m for m, _ in api.requests if m == "getFile"]) == before, "the file isn't even fetched"
    assert await contact_count(bot_app) == MAX_CONTACTS
    assert not [c for c in await contacts_of(bot_app) if c.name == "Nora Diaz"]


async def test_a_referral_to_a_full_list_is_refused_with_the_limit(bot_app, ana: ChatDriver) -> None:
    await add_people(ana)
    await draft_and_send(ana, bot_app)
    await ana.press("They replied")
    await ana.press("Referred me")
    await fill_contacts(bot_app, MAX_CONTACTS)
    replies = await ana.send("Sam Ortiz, Regional Clinic")
    assert f"reached {MAX_CONTACTS} contacts" in replies[-1].text
    assert await contact_count(bot_app) == MAX_CONTACTS
    assert not [c for c in await contacts_of(bot_app) if c.name == "Sam Ortiz"]


async def test_two_people_at_once_for_a_referral_are_asked_again(bot_app, ana: ChatDriver) -> None:
    await add_people(ana)
    await draft_and_send(ana, bot_app)
    await ana.press("They replied")
    await ana.press("Referred me")
    replies = await ana.send("Sam Ortiz, Regional Clinic\nLena Fischer, Initech")
    assert "One person at a time" in replies[-1].text
    assert not [c for c in await contacts_of(bot_app) if c.name in ("Sam Ortiz", "Lena Fischer")]
    await ana.send("Sam Ortiz, Regional Clinic")
    assert [c.name for c in await contacts_of(bot_app) if c.name == "Sam Ortiz"] == ["Sam Ortiz"]


async def test_too_many_names_at_once_are_asked_again_and_blank_lines_lose_none(bot_app, ana: ChatDriver) -> None:
    await ana.send("/find")
    too_many = "\n".join(f"Person {i:02d}" for i in range(MAX_NAMES_AT_ONCE + 1))
    replies = await ana.send(too_many)
    assert f"{MAX_NAMES_AT_ONCE + 1} names in one message; I take up to {MAX_NAMES_AT_ONCE}" in replies[-1].text
    assert await contacts_of(bot_app) == []
    spaced = "\n\n".join(f"Person {i:02d}" for i in range(MAX_NAMES_AT_ONCE))
    assert f"Added {MAX_NAMES_AT_ONCE}:" in (await ana.send(spaced))[-1].text
    assert len(await contacts_of(bot_app)) == MAX_NAMES_AT_ONCE


async def test_a_note_over_the_limit_is_asked_again(bot_app, ana: ChatDriver) -> None:
    await ana.send("/add")
    await ana.send("Ana Lee")
    for _ in range(4):
        await ana.press("Skip")
    await ana.press("Company notes")
    replies = await ana.send("x" * (MAX_NOTE_CHARS + 1))
    assert f"{MAX_NOTE_CHARS + 1} characters; please keep the note under {MAX_NOTE_CHARS}" in replies[-1].text
    assert (await contacts_of(bot_app))[0].company_notes is None
    await ana.send("x" * MAX_NOTE_CHARS)
    assert (await contacts_of(bot_app))[0].company_notes == "x" * MAX_NOTE_CHARS


async def test_a_company_over_the_limit_in_find_is_asked_again(bot_app, ana: ChatDriver) -> None:
    await ana.send("/find")
    long = "A" * (MAX_CONTACT_FIELD_CHARS + 1)
    replies = await ana.send(f"Nora Diaz, Acme\nLeo Park, {long}")
    said = f"{MAX_CONTACT_FIELD_CHARS + 1} characters for a company; please keep it under {MAX_CONTACT_FIELD_CHARS}"
    assert said in replies[-1].text
    assert await contacts_of(bot_app) == [], "nothing from that message is added, not even the names that fit"
    await ana.send(f"Leo Park, {'A' * MAX_CONTACT_FIELD_CHARS}")
    assert [c.company for c in await contacts_of(bot_app)] == ["A" * MAX_CONTACT_FIELD_CHARS]


async def test_a_referral_with_a_company_over_the_limit_is_asked_again(bot_app, ana: ChatDriver) -> None:
    await add_people(ana)
    await draft_and_send(ana, bot_app)
    await ana.press("They replied")
    await ana.press("Referred me")
    replies = await ana.send(f"Sam Ortiz, {'B' * (MAX_CONTACT_FIELD_CHARS + 1)}")
    assert f"please keep it under {MAX_CONTACT_FIELD_CHARS}" in replies[-1].text
    assert not [c for c in await contacts_of(bot_app) if c.name == "Sam Ortiz"]
    await ana.send("Sam Ortiz, Regional Clinic")
    assert [c.company for c in await contacts_of(bot_app) if c.name == "Sam Ortiz"] == ["Regional Clinic"]


# Employers ------------------------------------------------------------------------------------------------


async def test_employers_are_capped_per_message_and_in_all(bot_app, ana: ChatDriver) -> None:
    await ana.send("/find")
    await ana.press("On to employers")
    replies = await ana.send("\n".join(f"Employer {i}" for i in range(MAX_EMPLOYERS_AT_ONCE + 1)))
    assert f"employers in one message; I take up to {MAX_EMPLOYERS_AT_ONCE}" in replies[-1].text
    async with UnitOfWork(factory_of(bot_app)) as uow:
        assert await uow.employers.all_of(ANA.id) == []
        for i in range(MAX_EMPLOYERS - 2):
            uow.employers.add(ANA.id, f"Listed {i:03d}")
    replies = await ana.send("Acme Health\nCity Hospital\nMedTech Labs\nCareSoft")
    full = next(m.text for m in replies if "weren't added" in m.text)
    assert f"Your list has {MAX_EMPLOYERS} employers" in full and "MedTech Labs, CareSoft" in full
    assert "Acme Health" in ana.last_text(), "the two that fit are rated as usual"
    async with UnitOfWork(factory_of(bot_app)) as uow:
        names = set(await uow.session.scalars(select(Employer.name).where(Employer.user_id == ANA.id)))
    assert len(names) == MAX_EMPLOYERS and {"Acme Health", "City Hospital"} <= names and "CareSoft" not in names


# CSV import ---------------------------------------------------------------------------------------------------


async def test_an_import_over_the_size_or_row_limit_adds_nothing(api, bot_app, ana: ChatDriver) -> None:
    big = b"Name,Company\n" + b"x" * MAX_FILE_BYTES
    replies = await ana._await_reply(lambda: api.send_document_from(ANA, "big.csv", big))
    assert f"I can import files up to {MAX_FILE_BYTES // (1024 * 1024)} MB" in replies[-1].text
    rows = b"Name\n" + b"Ana Lee\n" * MAX_ROWS
    replies = await ana._await_reply(lambda: api.send_document_from(ANA, "rows.csv", rows))
    assert f"more than {MAX_ROWS:,} rows" in replies[-1].text and "Nothing was added" in replies[-1].text
    assert await contacts_of(bot_app) == []


async def test_an_import_names_the_rows_whose_cells_were_shortened(api, bot_app, ana: ChatDriver) -> None:
    """A contact's company, role and address hold MAX_CONTACT_FIELD_CHARS: a longer cell is kept shortened,
    and the summary says which rows (as a spreadsheet numbers them) lost some of it."""
    long, longer = "C" * (MAX_CONTACT_FIELD_CHARS + 1), "R" * (MAX_CONTACT_FIELD_CHARS + 50)
    csv = f"Name,Company,Position\nAna Lee,Acme,Designer\nBo Kim,{long},Nurse\nCy Li,Acme,{longer}\n"
    replies = await ana._await_reply(lambda: api.send_document_from(ANA, "c.csv", csv.encode()))
    summary = replies[-1].text
    assert "Added 3" in summary
    assert f"Shortened to {MAX_CONTACT_FIELD_CHARS} characters" in summary
    assert "row 3 (company)" in summary and "row 4 (role)" in summary and "row 2" not in summary
    stored = {c.name: (c.company, c.role) for c in await contacts_of(bot_app)}
    assert stored["Bo Kim"][0] == long[:MAX_CONTACT_FIELD_CHARS]
    assert stored["Cy Li"][1] == longer[:MAX_CONTACT_FIELD_CHARS]


# Drafts -------------------------------------------------------------------------------------------------------


async def draft_count(app) -> int:
    async with UnitOfWork(factory_of(app)) as uow:
        return await uow.session.scalar(select(func.count()).select_from(DraftRecord)) or 0


async def test_drafts_over_the_limit_are_asked_again_never_cut(bot_app, ana: ChatDriver) -> None:
    """/review, your own version (Edit), a draft pasted outside any flow, and "why them"."""
    await add_people(ana)
    long_draft = "Dear Sam, would you have 20 minutes? " + "Thank you so much. " * 200
    assert len(long_draft) > MAX_DRAFT_CHARS
    await ana.send("/review")
    replies = await ana.send(long_draft)
    assert f"I review drafts up to {MAX_DRAFT_CHARS:,}" in replies[-1].text and "Review" not in replies[-1].text
    replies = await ana.send("Dear Sam, would you have 20 minutes for a call? Thank you, Ana")
    assert "checks pass" in replies[-1].text, "still waiting for the draft: a shorter one is reviewed"

    await ana.send("/draft")
    await ana.press("Maya Chen")
    await ana.press("Email")
    replies = await ana.send("y" * (MAX_WHY_THEM_CHARS + 1))
    assert f"I keep this to {MAX_WHY_THEM_CHARS}" in replies[-1].text
    assert (await contacts_of(bot_app))[0].why_them is None
    draft = (await ana.send("your talk on accessible maps at CHI"))[-1]
    assert (await contacts_of(bot_app))[0].why_them == "your talk on accessible maps at CHI"
    drafts = await draft_count(bot_app)
    await ana.press("Edit", draft)
    replies = await ana.send(long_draft)
    assert f"I review drafts up to {MAX_DRAFT_CHARS:,}" in replies[-1].text
    assert await draft_count(bot_app) == drafts, "nothing kept"
    await ana.send("Hi Maya, would you have 20 minutes for a call? Whenever suits you. Thank you! Ana")
    assert await draft_count(bot_app) == drafts + 1, "still waiting for your version: a shorter one is kept"

    await ana.send("/cancel")
    replies = await ana.send(long_draft)
    # Pasted outside any flow: refused at once, naming the limit, with no "Review it" for a cut text.
    assert f"longer than {MAX_DRAFT_CHARS:,} characters" in replies[-1].text
    assert "Review it" not in " ".join(replies[-1].button_labels())


# Meetings -----------------------------------------------------------------------------------------------------


async def meeting_of(app) -> Meeting:
    async with UnitOfWork(factory_of(app)) as uow:
        return await uow.session.scalar(select(Meeting))


async def test_own_questions_and_the_place_are_capped(bot_app, ana: ChatDriver) -> None:
    await setup(ana, bot_app, "Europe/Berlin")
    await ana.send("/meeting")
    await ana.press("Maya Chen")
    await ana.send("Thursday 3 Dec 15:00")
    await ana.press("Yes")
    await ana.press("Video call")
    replies = await ana.send("https://meet.example.com/" + "a" * MAX_PLACE_CHARS)
    assert f"a place or a link fits in {MAX_PLACE_CHARS}" in replies[-1].text
    assert await meeting_of(bot_app) is None, "asked again, nothing booked with a cut link"
    await ana.send("https://meet.example.com/abc")
    assert (await meeting_of(bot_app)).place == "https://meet.example.com/abc"

    await ana.press("Pick questions", ana.last())
    for i in range(MAX_OWN_QUESTIONS):
        await ana.press("Add my own", ana.last_with_buttons())
        await ana.send(f"My question number {i + 1}?")
    replies = await ana.press("Add my own", ana.last_with_buttons())
    assert f"You have {MAX_OWN_QUESTIONS} questions of your own" in replies[-1].text, "full: said before typing"

    meeting = await meeting_of(bot_app)
    async with UnitOfWork(factory_of(bot_app)) as uow:  # typed after the list filled up in the meantime
        result = await meeting_service.add_own_question(uow, ANA.id, meeting.id, "One more?")
    assert result.full and not result.added
    own = json.loads((await meeting_of(bot_app)).questions)["own"]
    assert own == [f"My question number {i + 1}?" for i in range(MAX_OWN_QUESTIONS)]


async def test_the_same_own_question_twice_is_said(bot_app, ana: ChatDriver) -> None:
    await setup(ana, bot_app, "Europe/Berlin")
    await book(ana, "Thursday 3 Dec 15:00")
    await ana.press("Pick questions", ana.last())
    for _ in range(2):
        await ana.press("Add my own", ana.last_with_buttons())
        replies = await ana.send("How did you start?")
    assert "on your list already" in replies[0].text
    assert json.loads((await meeting_of(bot_app)).questions)["own"] == ["How did you start?"]


# The reflection -----------------------------------------------------------------------------------------------


async def test_a_long_answer_is_asked_again_and_extra_referrals_are_named(api, bot_app, ana: ChatDriver) -> None:
    """An answer over the limit is asked again (never cut). Of seven referrals, five are taken; with room for
    two contacts, two are added and three are named as not added; the other two are named as left out."""
    await people_who_said_yes(ana, bot_app)
    await book(ana, "Thursday 3 Dec 15:00")
    reminder = await reflect_reminder(ana, bot_app, berlin(12, 3, 16, 30))
    await ana.press("reflect now", reminder)
    await ana.press("4")
    replies = await ana.send("z" * (MAX_ANSWER_CHARS + 1))
    assert f"I keep answers up to {MAX_ANSWER_CHARS:,}" in replies[-1].text
    assert "question 2 of 9" in ana.last_with_buttons().text, "the same question stays open"
    await fill_contacts(bot_app, MAX_CONTACTS - 2)
    people = [f"Referral {chr(65 + i)} (Globex)" for i in range(7)]
    answers = [*FULL[1:7], "\n".join(people), "send my portfolio"]
    answers[0] = "Teams ship every week"
    await answer_all_from(ana, answers, first=2)
    summary = with_text(ana, "Reflection saved")[-1].text
    assert f"Your list is full ({MAX_CONTACTS:,} contacts), so these weren't added: " in summary
    assert "Referral C (Globex), Referral D (Globex), Referral E (Globex)" in summary
    assert f"I add up to {MAX_REFERRALS} people from one conversation" in summary
    assert "Referral F (Globex), Referral G (Globex)" in summary
    names = {c.name for c in await contacts_of(bot_app)}
    assert {"Referral A", "Referral B"} <= names and not names & {"Referral C", "Referral F"}
    assert await contact_count(bot_app) == MAX_CONTACTS


async def test_a_referral_name_or_company_over_the_limit_is_asked_again(api, bot_app, ana: ChatDriver) -> None:
    """A person suggested becomes a contact: a name or company longer than a contact holds is asked again,
    never cut (one of five people is enough), and the question stays open."""
    await people_who_said_yes(ana, bot_app)
    await book(ana, "Thursday 3 Dec 15:00")
    reminder = await reflect_reminder(ana, bot_app, berlin(12, 3, 16, 30))
    await ana.press("reflect now", reminder)
    await answer_all_from(ana, FULL[:7], first=1)
    assert "question 8 of 9" in ana.last_with_buttons().text
    long_name = "Dr " + "N" * MAX_CONTACT_NAME_CHARS
    replies = await ana.send(f"Sam Park (Globex)\n{long_name} (Initech)")
    said = f"{len(long_name)} characters for a name; I keep up to {MAX_CONTACT_NAME_CHARS}"
    assert said in replies[-1].text
    replies = await ana.send(f"Sam Park ({'C' * (MAX_CONTACT_FIELD_CHARS + 1)})")
    said = f"{MAX_CONTACT_FIELD_CHARS + 1} characters for a company; I keep up to {MAX_CONTACT_FIELD_CHARS}"
    assert said in replies[-1].text
    assert "question 8 of 9" in ana.last_with_buttons().text, "the same question stays open"
    await answer_all_from(ana, [f"{'N' * MAX_CONTACT_NAME_CHARS} (Globex)", "send my portfolio"], first=8)
    assert with_text(ana, "Reflection saved")
    assert [c.company for c in await contacts_of(bot_app) if c.name == "N" * MAX_CONTACT_NAME_CHARS] == ["Globex"]


async def answer_all_from(chat: ChatDriver, answers: list, *, first: int) -> None:
    """Answer questions ``first``..9 in turn (typed text or Tap)."""
    for number, value in enumerate(answers, first):
        assert f"question {number} of 9" in chat.last_with_buttons().text, chat.last_text()
        await (chat.press(value) if isinstance(value, Tap) else chat.send(value))
