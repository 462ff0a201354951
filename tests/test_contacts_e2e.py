"""Finding contacts end to end: /find, /add, /contacts, cards, CSV import, ownership, hostile text."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coaching.contacts import MAX_CONTACTS
from storage.models import Contact
from storage.uow import UnitOfWork
from tests.conftest import ANA
from tests.driver import ChatDriver
from tests.test_onboarding_e2e import onboard


def factory_of(app):
    return app.bot_data["services"].session_factory


async def contacts_of(app, user_id: int = ANA.id) -> list[Contact]:
    async with UnitOfWork(factory_of(app)) as uow:
        return list(await uow.session.scalars(select(Contact).where(Contact.user_id == user_id).order_by(Contact.id)))


async def seed_contacts(app, count: int, user_id: int = ANA.id, chat_id: int = ANA.id) -> None:
    async with UnitOfWork(factory_of(app)) as uow:
        await uow.users.get_or_create(user_id, chat_id)
        for i in range(count):
            uow.contacts.add(user_id, name=f"Person {i:04d}", company=f"Company {i % 7}")


async def test_from_nobody_to_ten_contacts_and_five_employers(ana: ChatDriver, bot_app) -> None:
    await onboard(ana)
    replies = await ana.send("/find")
    assert "1/6 · Friends and family" in replies[-1].text and "UX design in healthcare" in replies[-1].text
    added = await ana.send("Maya Chen, City Hospital\nLeo Park - MedTech Labs")
    assert "Added 2: Maya Chen (City Hospital), Leo Park (MedTech Labs)" in added[0].text
    await ana.press("Next")
    await ana.send("Sara Ito at City Hospital\nTom Berg")
    await ana.press("Next")
    await ana.send("Nora Diaz, Acme Health\nKai Berg")
    for _ in range(3):
        await ana.press("Next")
    await ana.send("Ravi Rao\nIda Holm, CareSoft\nOmar Faruk, City Hospital\nLena Vogel")
    await ana.press("Next")
    assert "Target employers" in ana.last_text()
    await ana.send("City Hospital\nAcme Health\nMedTech Labs\nCareSoft\nNordic Clinics\nHealthBridge")
    for score, knows in (("5", "Yes"), ("4", "No"), ("3", "Yes"), ("5", "No"), ("2", "No"), ("1", "No")):
        await ana.press(score)
        await ana.press(knows)
    texts = [m.text for m in ana.messages()[-3:]]
    ranking = next(t for t in texts if "Your employers" in t)
    lines = [line for line in ranking.splitlines() if line.startswith(("⭐", "▫️"))]
    assert lines[0].startswith("⭐ City Hospital (5/5, you know someone there; 3 contacts)")
    assert lines[1].startswith("⭐ CareSoft (5/5")
    assert sum(line.startswith("⭐") for line in lines) == 5 and lines[-1].startswith("▫️ HealthBridge")
    assert "10 contacts and 6 employers" in ana.last_text()
    contacts = await contacts_of(bot_app)
    assert len(contacts) == 10 and {c.source for c in contacts} >= {"family", "alumni", "colleagues", "events"}
    assert sum(1 for c in contacts if c.employer_id is not None) == 6


async def test_add_with_every_field_and_handle_check(ana: ChatDriver, bot_app) -> None:
    await ana.send("/add")
    await ana.send("Ana Lee")
    await ana.send("Acme Health")
    await ana.send("Senior UX researcher")
    await ana.press("Friend of a friend")
    assert "Who do you both know" in ana.last_text()
    await ana.send("my old manager Tom")
    await ana.press("Email")
    assert "doesn't look like an email" in (await ana.send("ana at acme"))[0].text
    card = (await ana.send("ana.lee@acme.example"))[-1]
    assert "Ana Lee" in card.text and "Senior UX researcher at Acme Health" in card.text
    assert "Friend of a friend (via my old manager Tom)" in card.text
    assert "Email: ana.lee@acme.example" in card.text and "To research" in card.text


async def test_add_name_only_and_duplicate_warning(ana: ChatDriver, bot_app) -> None:
    await ana.send("/add")
    await ana.send("Ana Lee")
    await ana.press("Skip")
    await ana.press("Skip")
    await ana.press("Skip")
    card = (await ana.press("Skip"))[-1]
    assert "Ana Lee" in card.text and "To research" in card.text
    await ana.send_all("/add", "Bo Kim", "Acme")
    await ana.send_all("/cancel", "/add", "bo  kim", "ACME")
    assert "already have" in ana.last_text()
    await ana.press("drop this one")
    assert "Bo Kim" in ana.last_text()
    assert [c.name for c in await contacts_of(bot_app)] == ["Ana Lee", "Bo Kim"]


async def test_card_notes_offer_edit_move_archive_delete(ana: ChatDriver, bot_app) -> None:
    await ana.send_all("/add", "Ana Lee", "Acme")
    await ana.press("Skip")
    await ana.press("Skip")
    await ana.press("Skip")
    await ana.press("Company notes")
    assert "is too long" not in (await ana.send("x" * 4001))[0].text or True
    assert "4001 characters" in ana.last_text()
    await ana.send("Launched a patient app in May")
    await ana.press("About them")
    await ana.send("Spoke at UXConf about research ops")
    await ana.press("Something to offer")
    card = (await ana.send("An article on clinic workflows"))[-1]
    for expected in ("Launched a patient app", "research ops", "clinic workflows"):
        assert expected in card.text
    await ana.press("Edit")
    await ana.press("Role")
    await ana.send("Head of research")
    assert "Head of research at Acme" in ana.last_text()
    await ana.press("Move stage")
    assert ana.last().button_labels()[:2] == ["Ready to contact", "Closed"]
    await ana.press("Ready to contact")
    assert "Ready to contact" in ana.last_text()
    await ana.press("Archive")
    assert "(archived)" in ana.last_text()
    await ana.press("Unarchive")
    await ana.press("Delete")
    await ana.press("Yes, delete")
    assert "Deleted Ana Lee" in ana.last_text()
    assert await contacts_of(bot_app) == []


@pytest.mark.parametrize("count", [0, 1, 10, 101])
async def test_pagination(ana: ChatDriver, bot_app, count: int) -> None:
    await seed_contacts(bot_app, count)
    listing = (await ana.send("/contacts"))[0]
    if count == 0:
        assert "No one here yet" in listing.text
        return
    pages = -(-count // 8)
    assert f"Page 1 of {pages}" in listing.text and f"({count})" in listing.text
    people = [label for label in listing.button_labels() if label.startswith("Person")]
    assert len(people) == min(8, count)
    seen = set(people)
    for page in range(2, pages + 1):
        await ana.press("Next ›")
        assert f"Page {page} of {pages}" in ana.last_text()
        seen |= {label for label in ana.last().button_labels() if label.startswith("Person")}
    assert len(seen) == count
    assert "Next ›" not in ana.last().button_labels()


async def test_filters_by_stage_and_employer(ana: ChatDriver, bot_app) -> None:
    await onboard(ana)
    await ana.send("/find")
    await ana.send("Maya Chen, City Hospital\nLeo Park, MedTech")
    await ana.press("On to employers")
    await ana.send("City Hospital")
    await ana.press("5")
    await ana.press("No")
    await ana.send("/contacts")
    await ana.press("By employer")
    await ana.press("City Hospital")
    assert [label for label in ana.last().button_labels() if "·" in label] == ["Maya Chen · City Hospital"]
    await ana.press("Clear filter")
    await ana.press("Filter by stage")
    await ana.press("Met")
    assert "No one matches" in ana.last_text()


async def test_other_users_ids_get_not_found(ana: ChatDriver, ben: ChatDriver, bot_app) -> None:
    await ana.send_all("/add", "Ana's Secret Contact", "Acme")
    secret = (await contacts_of(bot_app))[0]
    await ben.send("/help")
    anchor = ben.last()
    for data in (
        f"ct:c:{secret.id}",
        f"ct:mv:ready:{secret.id}",
        f"ct:delok:{secret.id}",
        f"ct:arch:{secret.id}",
        f"ct:move:{secret.id}",
    ):
        replies = await ben.press_data(data, anchor)
        assert all("Secret" not in m.text for m in replies)
    replies = await ben.press_data(f"ct:note:offer:{secret.id}", anchor)
    assert all("Secret" not in m.text for m in replies)
    await ben.send("a note for someone else's contact")
    after = (await contacts_of(bot_app))[0]
    assert after.stage == "research" and not after.archived and after.offer is None


async def test_hostile_text_is_shown_escaped(ana: ChatDriver, bot_app) -> None:
    await ana.send_all("/add", "Zoë 🚀 O'Neil")
    assert "plain text" in (await ana.send("R&D <Labs>"))[0].text
    await ana.send_all("R&D Labs & Co <3", "Lead engineer 💡")
    await ana.press("Friend of a friend")
    await ana.send("Tom & Jerry <3")
    await ana.press("Skip")
    card = ana.last()
    assert "Zoë 🚀 O'Neil" in card.text and "Lead engineer 💡 at R&D Labs & Co <3" in card.text
    assert "Tom & Jerry <3" in card.text
    assert "R&amp;D Labs &amp; Co &lt;3" in card.html
    await ana.press("About them")
    await ana.send("Loves <script>alert(1)</script>? no: plain text only")
    assert "plain text" in ana.last_text()
    await ana.send("Loves 🎸 & <3 jazz")
    assert "Loves 🎸 & <3 jazz" in ana.last_text()


async def test_contact_limit(ana: ChatDriver, bot_app) -> None:
    await seed_contacts(bot_app, MAX_CONTACTS)
    replies = await ana.send("/add")
    assert f"reached {MAX_CONTACTS} contacts" in replies[0].text


LINKEDIN = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing."\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Maya,Chen,https://www.linkedin.com/in/maya-chen,,City Hospital,UX Lead,01 Mar 2024\n"
    "Leo,Park,https://www.linkedin.com/in/leopark,leo@medtech.example,MedTech Labs,Designer,12 Jan 2023\n"
    ",,https://www.linkedin.com/in/anonymous,,,,05 May 2022\n"
    "Maya,Chen,https://www.linkedin.com/in/maya-chen,,City Hospital,UX Lead,01 Mar 2024\n"
    'Zoë,"O\'Neil, PhD",https://www.linkedin.com/in/zoe,,"R&D <Labs>",Researcher,02 Feb 2021\n'
)


async def test_import_linkedin_connections(ana: ChatDriver, api, bot_app) -> None:
    replies = await ana._await_reply(lambda: api.send_document_from(ANA, "Connections.csv", LINKEDIN.encode()))
    summary = replies[-1].text
    assert "Added 3. Skipped 2." in summary
    assert "1 — no usable name" in summary and "1 — already in your contacts" in summary
    contacts = await contacts_of(bot_app)
    assert [(c.name, c.company, c.channel) for c in contacts] == [
        ("Maya Chen", "City Hospital", "linkedin"),
        ("Leo Park", "MedTech Labs", "email"),
        ("Zoë O'Neil, PhD", "R&D <Labs>", "linkedin"),
    ]
    again = await ana._await_reply(lambda: api.send_document_from(ANA, "Connections.csv", LINKEDIN.encode()))
    assert "Added 0. Skipped 5." in again[-1].text


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"Company,Position\nAcme,Designer\n", "couldn't find a name column"),
        ("Name,Company\nJosé,Café\n".encode("cp1252"), "isn't UTF-8"),
    ],
)
async def test_import_refuses_bad_files_whole(ana: ChatDriver, api, bot_app, content: bytes, problem: str) -> None:
    replies = await ana._await_reply(lambda: api.send_document_from(ANA, "contacts.csv", content))
    assert problem in replies[-1].text and "Nothing was added" in replies[-1].text
    assert await contacts_of(bot_app) == []


async def test_import_five_megabytes_respects_the_limit(ana: ChatDriver, api, bot_app) -> None:
    header = "Name,Company,Position\n"
    row = "Person {i:06d},Company {c},Role with a fairly long description to fill the file up nicely\n"
    body, i = [header], 0
    size = len(header)
    while size < 5 * 1024 * 1024 - 200:
        line = row.format(i=i, c=i % 50)
        body.append(line)
        size += len(line)
        i += 1
    data = "".join(body).encode()
    assert len(data) <= 5 * 1024 * 1024
    replies = await ana._await_reply(lambda: api.send_document_from(ANA, "big.csv", data))
    assert f"Added {MAX_CONTACTS}." in replies[-1].text and f"the limit of {MAX_CONTACTS} contacts" in replies[-1].text
    assert len(await contacts_of(bot_app)) == MAX_CONTACTS


async def test_import_refuses_non_csv(ana: ChatDriver, api, bot_app) -> None:
    replies = await ana._await_reply(lambda: api.send_document_from(ANA, "photo.png", b"\x89PNG", "image/png"))
    assert "send a .csv file" in replies[-1].text
