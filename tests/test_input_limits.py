"""Input that cannot hurt: text cleaned at the boundary, ids bounded, long content within Telegram's limits,
edited messages, and the small cases of issue 14. Through the real application and the strict local Bot
API (on PostgreSQL too: set INFOCOACH_TEST_DATABASE_URL)."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from bot.local_api import LocalBotApi
from bot.local_api.spec import parse_html
from coaching.answers import InvalidAnswer, parse_goal, printable
from coaching.copy import SOMETHING_WENT_WRONG
from coaching.csv_import import parse_contacts_csv
from handlers.callbacks import ID, MAX_ID
from handlers.common import split_text, visible_length
from handlers.contacts import card_text
from storage.models import Contact, User
from storage.uow import UnitOfWork
from tests.conftest import ANA
from tests.driver import ChatDriver
from tests.test_drafts_e2e import add_people, factory_of
from tests.test_onboarding_e2e import onboard

# Rules, without the bot ----------------------------------------------------------------------------------


def test_printable_removes_what_cannot_be_stored_and_keeps_every_script() -> None:
    assert printable("a\x00b\x07c\x1bd\x7fe") == "abcde"
    assert printable("lone \ud800 surrogate") == "lone  surrogate"
    assert printable("evil\u202eflipped\u2066x\u2069\ufeff") == "evilflippedx"
    assert printable("one\r\ntwo\rthree\u2028four\x85five") == "one\ntwo\nthree\nfour\nfive"
    kept = "tab\there 👩‍💻 🇩🇪 مرحبا 日本語 नमस्ते Zoë\u200c\u200d \u3000\u00a0"
    assert printable(kept) == kept


def test_ids_in_callback_data_stay_in_a_32_bit_column() -> None:
    pattern = re.compile(ID)
    for good in (0, 1, 42, 10**9, MAX_ID):
        assert pattern.fullmatch(str(good)), good
    for bad in (MAX_ID + 1, 2**32, 10**11, 999_999_999_999):
        assert not pattern.fullmatch(str(bad)), bad
    for bad in ("01", "-1", "", "1e9", "٣"):
        assert not pattern.fullmatch(bad), bad


@pytest.mark.parametrize("goal", ["1e9", "1E9", "2.5", "1,000", "10^6", "NaN", "-1", "0", "∞"])
def test_goals_that_are_not_a_plain_small_number_are_refused(goal: str) -> None:
    with pytest.raises(InvalidAnswer):
        parse_goal(goal)


def _shown(chunk: str) -> str:
    return parse_html(chunk)  # raises on a cut entity or an unbalanced tag


@pytest.mark.parametrize(
    "html",
    [
        "a&amp;" * 3000,
        "<b>" + "a&amp;" * 3000 + "</b>",
        "<b>bold <i>" + "x&lt;" * 2500 + "</i> tail</b>\n" + "line\n" * 900,
        '<a href="https://example.com/?a=1&amp;b=2">' + "link " * 1200 + "</a>",
        "&#128512;" * 3000,
    ],
)
def test_split_text_never_cuts_an_entity_or_a_tag(html: str) -> None:
    chunks = split_text(html)
    assert len(chunks) > 1
    for chunk in chunks:
        assert 0 < visible_length(chunk) <= 4096
        _shown(chunk)
    assert "".join(_shown(c) for c in chunks).replace("\n", "") == _shown(html).replace("\n", "")


def test_split_text_of_nothing_to_show_is_no_message() -> None:
    assert split_text("") == [] and split_text("\u3000 \n\u00a0") == [] and split_text("<b></b>") == []


class _Contact:
    def __init__(self, **fields) -> None:
        defaults = dict.fromkeys(
            ("company", "role", "relation", "via", "channel", "handle", "company_notes", "person_notes", "offer",
             "why_them"),
        )  # fmt: skip
        self.__dict__.update(defaults, id=7, name="Maya Chen", stage="research", archived=False, **fields)


def test_a_card_with_three_long_notes_fits_one_message() -> None:
    note = "word & <more> " * 285  # about 4,000 characters, all of them escaped
    contact = _Contact(company_notes=note[:4000], person_notes=note[:4000], offer=note[:4000], why_them="a" * 300)
    html = card_text(contact, sent=[("email", __import__("datetime").datetime(2026, 1, 1))] * 40)
    assert visible_length(html) <= 4096
    _shown(html)


def test_csv_with_nul_bytes_imports_and_bad_utf16_is_refused_with_a_hint() -> None:
    result = parse_contacts_csv(b"Name,Company\nAna\x00 Lee,Ac\x00me\n", existing=set(), room=10)
    assert [(r["name"], r["company"]) for r in result.rows] == [("Ana Lee", "Acme")]
    for data in (b"\xff\xfeN\x00a\x00\x00\xd8", "Name,Company\nAna,Acme\n".encode("utf-16-le")):
        with pytest.raises(InvalidAnswer, match="can't be read.*CSV UTF-8"):
            parse_contacts_csv(data, existing=set(), room=10)


# Through the bot -----------------------------------------------------------------------------------------


def no_apologies(chat: ChatDriver) -> None:
    assert not [m.text for m in chat.messages() if SOMETHING_WENT_WRONG in m.text]


async def user_row(app) -> User:
    async with UnitOfWork(factory_of(app)) as uow:
        return await uow.users.get(ANA.id)


async def test_nul_and_controls_are_removed_before_any_handler(ana: ChatDriver, bot_app) -> None:
    await ana.send("/start")
    await ana.send("Ma\x00ria\x07")
    await ana.send("UX\x00 design\u202e in health\x1bcare")
    no_apologies(ana)
    user = await user_row(bot_app)
    assert (user.name, user.field) == ("Maria", "UX design in healthcare")


async def test_an_edited_message_gets_a_hint_not_an_apology(ana: ChatDriver, api: LocalBotApi, bot_app) -> None:
    await ana.send("/add")
    await ana.send("Maya Chen")
    moment = int(time.time())
    edited = {"message_id": 2, "date": moment, "edit_date": moment, "from": ANA.to_dict(),
              "chat": api._chat(ANA.id), "text": "Maya Chen-Lee"}  # fmt: skip
    replies = await ana._await_reply(lambda: api._push({"edited_message": edited}))
    assert [m.text for m in replies] == [
        "I saw you edited a message; I keep the first version. Send the correction as a new message."
    ]
    await ana.send("City Hospital")  # the flow carries on where it was
    no_apologies(ana)
    async with UnitOfWork(factory_of(bot_app)) as uow:
        [contact] = await uow.session.scalars(select(Contact))
    assert (contact.name, contact.company) == ("Maya Chen", "City Hospital")


async def test_a_dash_in_find_adds_no_one_and_claims_nothing(ana: ChatDriver, bot_app) -> None:
    await onboard(ana)
    await ana.send("/find")
    for typed in ("-", "•", "- \n *", "-\n-\n-"):
        [answer] = await ana.send(typed)
        assert "didn't find a name" in answer.text and "2,000" not in answer.text and "2000" not in answer.text
    assert await _contacts(bot_app) == []


async def _contacts(app) -> list[Contact]:
    async with UnitOfWork(factory_of(app)) as uow:
        return list(await uow.session.scalars(select(Contact).order_by(Contact.id)))


async def test_a_whitespace_only_own_version_is_asked_again(ana: ChatDriver, bot_app) -> None:
    await add_people(ana)
    await ana.send("/draft")
    await ana.press("Maya Chen")
    await ana.press("Email")
    await ana.skip_why_them()
    await ana.press("Edit", ana.last())
    for blank in ("\u3000\u3000", "\u00a0 \u00a0", "\u2028\u2029", "\u200b\u200b", " \t "):
        [answer] = await ana.send(blank)
        assert "couldn't find any words" in answer.text
    no_apologies(ana)


async def test_a_long_note_card_opens_and_the_whole_note_reads_in_parts(ana: ChatDriver, bot_app) -> None:
    await add_people(ana)
    maya = next(c for c in await _contacts(bot_app) if c.name == "Maya Chen")
    async with UnitOfWork(factory_of(bot_app)) as uow:
        contact = await uow.session.get(Contact, maya.id)
        contact.company_notes = contact.person_notes = contact.offer = "a&a&<b>" * 570  # 3,990 characters
    await ana.send("/contacts")
    await ana.press("Maya Chen")
    card = ana.last_with_buttons()
    assert "Maya Chen" in card.text and len(card.text) <= 4096
    replies = await ana.press("Read the full notes", card)
    assert [m.text.count("a&a&<b>") for m in replies] == [570, 570, 570]
    no_apologies(ana)


async def test_forged_settings_data_is_answered_quietly(ana: ChatDriver, bot_app) -> None:
    await onboard(ana)
    await ana.send("/settings")
    await ana.press("Quiet hours")
    for forged in ("st:q:٢٢-٧", "st:q:99-99", "st:q:22-7x", "st:q:" + "9" * 40, "st:d:٣", "st:p:٩", "st:tm:0"):
        await ana.press_data(forged, ana.last_with_buttons())
    no_apologies(ana)
    user = await user_row(bot_app)
    assert (user.quiet_start_minute, user.quiet_end_minute) != (99 * 60, 99 * 60)


async def test_a_nul_or_bad_utf16_csv_is_handled(ana: ChatDriver, api: LocalBotApi, bot_app) -> None:
    replies = await ana._await_reply(lambda: api.send_document_from(ANA, "c.csv", b"Name,Company\nAna\x00 Lee,Acme\n"))
    assert "Added 1" in replies[-1].text
    replies = await ana._await_reply(lambda: api.send_document_from(ANA, "d.csv", b"\xff\xfeN\x00a\x00\x00\xd8"))
    assert "can't be read" in replies[-1].text and "CSV UTF-8" in replies[-1].text
    no_apologies(ana)


TWELVE = "999999999999"
ROUTES = [
    f"ct:c:{TWELVE}", f"ct:move:{TWELVE}", f"ct:edit:{TWELVE}", f"ct:full:{TWELVE}", f"ct:del:{TWELVE}:1",
    f"ct:delok:{TWELVE}:1", f"ct:arch:{TWELVE}:1", f"ct:mv:ready:{TWELVE}:1", f"ct:l:all:{TWELVE}:1",
    f"ct:l:all:0:{TWELVE}", f"ct:note:offer:{TWELVE}", f"ct:ef:name:{TWELVE}", f"dr:to:{TWELVE}",
    f"dr:rq:{TWELVE}", f"dr:pg:{TWELVE}", f"dr:k:email:{TWELVE}", f"dr:rv:{TWELVE}", f"dr:sh:{TWELVE}",
    f"dr:av:{TWELVE}", f"dr:ed:{TWELVE}", f"dr:sent:{TWELVE}", f"dr:rp:yes:{TWELVE}", f"dr:rp:referred:{TWELVE}",
    f"mt:new:{TWELVE}", f"mt:move:{TWELVE}", f"mt:cancel:{TWELVE}", f"mt:cancelok:{TWELVE}", f"mt:done:{TWELVE}",
    f"mt:noshow:{TWELVE}", f"mt:qp:{TWELVE}:great", f"mt:qt:{TWELVE}:a1", f"mt:qo:{TWELVE}", f"mt:prep:{TWELVE}",
    f"rf:go:{TWELVE}", f"rf:ct:{TWELVE}", f"rf:a:{TWELVE}:0:4", f"rf:end:{TWELVE}:1", f"af:n:ty:{TWELVE}",
    f"af:s:ty:{TWELVE}", f"af:t:{TWELVE}", f"af:c:{TWELVE}", f"af:cs:{TWELVE}:30", f"af:p:{TWELVE}",
    f"nd:done:{TWELVE}", f"nd:s1d:{TWELVE}", f"nd:s1w:{TWELVE}", f"nd:stop:{TWELVE}", f"ad:drop:{TWELVE}",
]  # fmt: skip


async def test_twelve_digit_ids_never_reach_a_query(ana: ChatDriver, bot_app) -> None:
    await add_people(ana)
    before = [(c.id, c.name, c.stage, c.archived) for c in await _contacts(bot_app)]
    message = ana.last_with_buttons()
    for data in ROUTES:
        await ana.press_data(data, message)
    no_apologies(ana)
    assert [(c.id, c.name, c.stage, c.archived) for c in await _contacts(bot_app)] == before


async def test_a_forged_drop_at_the_duplicate_question_changes_nothing(ana: ChatDriver, bot_app) -> None:
    """ "Drop this one" with an id past the 32-bit column is no button of ours: the new contact stays, and the
    question stays open."""
    await ana.send_all("/add", "Bo Kim", "Acme", "/cancel", "/add", "bo  kim", "ACME")
    warning = ana.last_with_buttons()
    assert "already have" in warning.text
    for forged in ("ad:drop:99999999999", f"ad:drop:{MAX_ID + 1}", "ad:drop:01"):
        await ana.press_data(forged, warning)
    assert [c.name for c in await _contacts(bot_app)] == ["Bo Kim", "bo  kim"], "a forged press dropped a contact"
    assert ana.last_with_buttons() == warning and "couldn't find" not in ana.last_text()
    await ana.press("Keep both", warning)
    assert "role" in ana.last_text()
    no_apologies(ana)
