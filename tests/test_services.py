"""Services, one intent at a time, against a real database (SQLite file, or PostgreSQL when
INFOCOACH_TEST_DATABASE_URL is set): no Telegram, no mocks, and a fixed clock.

Each test builds its users, contacts and drafts with the repositories, calls one service inside its
own unit of work (as a handler or the dispatcher would), and checks both the returned result and the
rows it left behind. Times are aware UTC; the user lives in Europe/Berlin (CET, UTC+1 in December).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coaching.contacts import MAX_CONTACTS
from coaching.drafts import DraftKind
from coaching.enums import NudgeKind, NudgeStatus, Reply, Stage
from coaching.nudges import MAX_SEND_ATTEMPTS
from coaching.outreach import Refusal
from services import contacts as contact_services
from services import nudges as nudge_services
from services import outreach
from storage.db import create_engine, create_session_factory
from storage.models import Contact, DraftRecord, Nudge
from storage.uow import UnitOfWork

UTC = UTC
BERLIN = ZoneInfo("Europe/Berlin")
ANA, BEN = 1001, 1002


def berlin(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A Berlin wall-clock time, as the aware UTC datetime the services take."""
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


WED = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # Wednesday 2 December 2026, 10:00 in Berlin (before noon)
assert WED == berlin(2026, 12, 2, 10) and WED.astimezone(BERLIN).strftime("%A") == "Wednesday"
# The 3B7 clock of a request sent at WED, counted by hand: day 0 is Wednesday 2 December.
DAY3 = berlin(2026, 12, 7, 9)  # Thu 3 (1), Fri 4 (2), Mon 7 (3)
DAY7 = berlin(2026, 12, 11, 9)  # Tue 8 (4), Wed 9 (5), Thu 10 (6), Fri 11 (7)


# Fixtures and helpers ---------------------------------------------------------------------------------------


@pytest.fixture
async def factory(migrated_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(migrated_url)
    yield create_session_factory(engine)
    await engine.dispose()


async def make_user(factory, user_id: int = ANA, *, profile: bool = True, **fields) -> None:
    """A user in Berlin; with ``profile``, onboarded with a name and a field."""
    async with UnitOfWork(factory) as uow:
        user = await uow.users.get_or_create(user_id, user_id)
        user.timezone = "Europe/Berlin"
        if profile:
            user.name, user.field, user.stage = "Ana", "UX research", "changing"
            user.onboarded_at = WED - timedelta(days=7)
        for key, value in fields.items():
            setattr(user, key, value)


async def make_contact(
    factory, user_id: int = ANA, name: str = "Dana Weber", company: str | None = "Acme", **fields
) -> int:
    fields.setdefault("stage", Stage.READY)
    archived = fields.pop("archived", False)  # the repository always adds unarchived contacts
    async with UnitOfWork(factory) as uow:
        contact = uow.contacts.add(user_id, name=name, company=company, **fields)
        contact.archived = archived
        await uow.session.flush()
        return contact.id


async def make_draft(factory, contact_id: int, kind: DraftKind = DraftKind.EMAIL, user_id: int = ANA) -> int:
    async with UnitOfWork(factory) as uow:
        draft = uow.drafts.add(
            user_id, contact_id, kind=kind.value, subject=None, body="Hello there", variant=0, short=False
        )
        await uow.session.flush()
        return draft.id


async def call(factory, service, *args, **kwargs):
    """One service call in its own unit of work, committed on the way out."""
    async with UnitOfWork(factory) as uow:
        return await service(uow, *args, **kwargs)


async def send_request(
    factory, contact_id: int, now: datetime = WED, kind: DraftKind = DraftKind.EMAIL, user_id: int = ANA
) -> outreach.SentResult:
    """Draft and mark sent: the user pressed "I sent it"."""
    result = await call(factory, outreach.mark_sent, user_id, await make_draft(factory, contact_id, kind, user_id), now)
    assert result.refusal is None and not result.missing, result
    return result


async def contact_row(factory, contact_id: int) -> Contact:
    async with UnitOfWork(factory) as uow:
        return await uow.session.get(Contact, contact_id)


async def draft_row(factory, draft_id: int) -> DraftRecord:
    async with UnitOfWork(factory) as uow:
        return await uow.session.get(DraftRecord, draft_id)


async def nudge_row(factory, nudge_id: int) -> Nudge:
    async with UnitOfWork(factory) as uow:
        return await uow.session.get(Nudge, nudge_id)


async def nudges_of(factory, user_id: int = ANA, subject: str | None = None) -> list[Nudge]:
    async with UnitOfWork(factory) as uow:
        query = select(Nudge).where(Nudge.user_id == user_id).order_by(Nudge.id)
        if subject is not None:
            query = query.where(Nudge.subject == subject)
        return list(await uow.session.scalars(query))


def by_kind(nudges: list[Nudge]) -> dict[str, Nudge]:
    kinds = [n.kind for n in nudges]
    assert len(kinds) == len(set(kinds)), f"one nudge per kind expected, got {kinds}"
    return {n.kind: n for n in nudges}


async def set_nudge(factory, nudge_id: int, **fields) -> None:
    async with UnitOfWork(factory) as uow:
        nudge = await uow.nudges.get(nudge_id)
        for key, value in fields.items():
            setattr(nudge, key, value)


async def delivered_nudge(factory, contact_id: int, kind: NudgeKind, at: datetime) -> int:
    """Mark the contact's nudge of ``kind`` as sent at ``at`` (as the dispatcher leaves it), return its id."""
    nudge = by_kind(await nudges_of(factory, subject=str(contact_id)))[kind]
    await set_nudge(factory, nudge.id, status=NudgeStatus.SENT, sent_at=at)
    return nudge.id


async def schedule(
    factory, kind: NudgeKind, due_at: datetime, subject: str = "", key: str | None = None, user_id: int = ANA
) -> int:
    async with UnitOfWork(factory) as uow:
        nudge = await uow.nudges.schedule(
            user_id=user_id,
            kind=kind,
            subject=subject,
            due_at=due_at,
            dedup_key=key or f"{kind}:{subject}:{due_at.isoformat()}",
        )
        await uow.session.flush()
        return nudge.id


async def draft_count(factory) -> int:
    async with UnitOfWork(factory) as uow:
        return await uow.session.scalar(select(func.count()).select_from(DraftRecord))


def snapshot(contact: Contact) -> tuple:
    return (
        contact.stage,
        contact.reply,
        contact.replied_at,
        contact.booster,
        contact.follow_ups_sent,
        contact.request_sent_at,
        contact.archived,
    )


def nudge_snapshot(nudges: list[Nudge]) -> list[tuple]:
    return [(n.id, n.kind, n.status, n.due_at, n.attempts, n.sent_at, n.done_at) for n in nudges]


# outreach.compose_draft --------------------------------------------------------------------------------------


async def test_compose_draft_stores_a_draft_for_a_ready_contact(factory) -> None:
    """A contact not asked yet gets a composed draft, stored for the user and that contact."""
    await make_user(factory)
    dana = await make_contact(factory)
    result = await call(factory, outreach.compose_draft, ANA, dana, DraftKind.EMAIL, WED)
    assert result.refusal is None and not result.missing and not result.needs_profile
    assert result.contact_name == "Dana Weber" and result.draft is not None and result.draft.body
    row = await draft_row(factory, result.draft_id)
    assert (row.user_id, row.contact_id, row.kind, row.body, row.sent_at) == (
        ANA,
        dana,
        "email",
        result.draft.body,
        None,
    )


@pytest.mark.parametrize(
    ("kind", "fields", "refusal"),
    [
        (DraftKind.EMAIL, {"archived": True}, Refusal.ARCHIVED),
        (DraftKind.EMAIL, {"stage": Stage.REQUESTED, "request_sent_at": WED}, Refusal.ALREADY_ASKED),
        (DraftKind.LINKEDIN_NOTE, {"stage": Stage.FOLLOWED_UP, "follow_ups_sent": 1}, Refusal.ALREADY_ASKED),
        (DraftKind.FOLLOW_UP, {"stage": Stage.READY}, Refusal.NOT_WAITING),
        (DraftKind.FOLLOW_UP, {"stage": Stage.REQUESTED, "reply": Reply.YES}, Refusal.ALREADY_REPLIED),
    ],
    ids=["archived", "already-asked", "already-followed-up", "follow-up-not-waiting", "follow-up-after-reply"],
)
async def test_compose_draft_refuses_what_the_state_does_not_allow(factory, kind, fields, refusal) -> None:
    """A draft the contact's state no longer allows is refused with its reason, and nothing is stored."""
    await make_user(factory)
    dana = await make_contact(factory, **fields)
    result = await call(factory, outreach.compose_draft, ANA, dana, kind, WED)
    assert (result.refusal, result.draft, result.draft_id, result.contact_name) == (refusal, None, 0, "Dana Weber")
    assert await draft_count(factory) == 0


@pytest.mark.parametrize("missing", ["name", "field"])
async def test_compose_draft_needs_a_profile(factory, missing) -> None:
    """Drafts are written from the profile: without a name or a field the user is sent to /start."""
    await make_user(factory, **{missing: None})
    dana = await make_contact(factory)
    result = await call(factory, outreach.compose_draft, ANA, dana, DraftKind.EMAIL, WED)
    assert result.needs_profile and result.draft is None
    assert await draft_count(factory) == 0


async def test_compose_draft_for_another_users_contact_is_missing(factory) -> None:
    """Ids come from the client: Ben can't draft for Ana's contact, and learns nothing about it."""
    await make_user(factory, ANA)
    await make_user(factory, BEN)
    dana = await make_contact(factory, ANA)
    result = await call(factory, outreach.compose_draft, BEN, dana, DraftKind.EMAIL, WED)
    assert result.missing and result.contact_name == "" and result.draft is None
    assert await draft_count(factory) == 0


# outreach.mark_sent ------------------------------------------------------------------------------------------


async def test_first_request_starts_the_3b7_clock(factory) -> None:
    """A sent request: stage requested, sent now, and exactly day 3 and day 7 planned at 09:00 on business days."""
    await make_user(factory)
    dana = await make_contact(factory)
    draft = await make_draft(factory, dana)
    result = await call(factory, outreach.mark_sent, ANA, draft, WED)
    assert (result.refusal, result.missing, result.contact_id, result.zone) == (None, False, dana, "Europe/Berlin")
    assert {(p.kind, p.due_at) for p in result.plans} == {(NudgeKind.SECOND_PERSON, DAY3), (NudgeKind.FOLLOW_UP, DAY7)}
    contact = await contact_row(factory, dana)
    assert (contact.stage, contact.request_sent_at, contact.reply) == (Stage.REQUESTED, WED, None)
    assert (await draft_row(factory, draft)).sent_at == WED
    nudges = await nudges_of(factory)
    assert sorted((n.kind, n.subject, n.status, n.due_at) for n in nudges) == [
        ("follow_up", str(dana), "pending", DAY7),
        ("second_person", str(dana), "pending", DAY3),
    ]
    assert all(n.due_at.astimezone(BERLIN).hour == 9 and n.due_at.astimezone(BERLIN).weekday() < 5 for n in nudges)


@pytest.mark.parametrize(
    ("sent_at", "day3", "day7"),
    [
        # Wednesday 12:00 sharp: counting starts Thursday 3 -> Tue 8 and Mon 14.
        (berlin(2026, 12, 2, 12), berlin(2026, 12, 8, 9), berlin(2026, 12, 14, 9)),
        # Wednesday 11:59: still the same day.
        (berlin(2026, 12, 2, 11, 59), DAY3, DAY7),
        # Saturday morning: counting starts Monday 7 -> Thu 10 and Wed 16.
        (berlin(2026, 12, 5, 10), berlin(2026, 12, 10, 9), berlin(2026, 12, 16, 9)),
    ],
    ids=["at-noon", "before-noon", "weekend"],
)
async def test_the_clock_counts_from_the_next_business_day_after_noon(factory, sent_at, day3, day7) -> None:
    """A request sent at or after 12:00 local (or on a weekend) starts counting the next business day."""
    await make_user(factory)
    dana = await make_contact(factory)
    await send_request(factory, dana, sent_at)
    assert {n.kind: n.due_at for n in await nudges_of(factory)} == {"second_person": day3, "follow_up": day7}


async def test_i_sent_it_twice_counts_once(factory) -> None:
    """A repeated "I sent it" is refused as already sent and plans nothing new."""
    await make_user(factory)
    dana = await make_contact(factory)
    draft = await make_draft(factory, dana)
    await call(factory, outreach.mark_sent, ANA, draft, WED)
    before = nudge_snapshot(await nudges_of(factory))
    again = await call(factory, outreach.mark_sent, ANA, draft, WED + timedelta(days=1))
    assert (again.refusal, again.plans) == (Refusal.ALREADY_SENT, ())
    assert nudge_snapshot(await nudges_of(factory)) == before
    assert (await contact_row(factory, dana)).request_sent_at == WED
    assert (await draft_row(factory, draft)).sent_at == WED


async def test_a_second_draft_for_someone_already_asked_is_refused(factory) -> None:
    """A second version marked sent after the first doesn't start a second clock."""
    await make_user(factory)
    dana = await make_contact(factory)
    first, second = await make_draft(factory, dana), await make_draft(factory, dana, DraftKind.LINKEDIN_NOTE)
    await call(factory, outreach.mark_sent, ANA, first, WED)
    before = nudge_snapshot(await nudges_of(factory))
    result = await call(factory, outreach.mark_sent, ANA, second, WED + timedelta(hours=1))
    assert result.refusal is Refusal.ALREADY_ASKED
    assert (await draft_row(factory, second)).sent_at is None
    assert nudge_snapshot(await nudges_of(factory)) == before
    assert (await contact_row(factory, dana)).request_sent_at == WED


async def test_an_intro_request_runs_its_own_clock(factory) -> None:
    """Asking a mutual contact for an intro: stage intro_requested, one intro check a week later, no second person."""
    await make_user(factory)
    dana = await make_contact(factory)
    result = await send_request(factory, dana, kind=DraftKind.INTRO)
    assert [(p.kind, p.due_at) for p in result.plans] == [(NudgeKind.INTRO_FOLLOW_UP, DAY7)]
    assert (await contact_row(factory, dana)).stage == Stage.INTRO_REQUESTED
    assert [(n.kind, n.status, n.due_at) for n in await nudges_of(factory)] == [("intro_follow_up", "pending", DAY7)]


async def test_a_follow_up_sent_counts_and_plans_the_close(factory) -> None:
    """The one allowed follow-up: counted, stage followed_up, and closing planned 7 business days later."""
    await make_user(factory, max_follow_ups=1)
    dana = await make_contact(factory)
    await send_request(factory, dana)
    follow_up_at = berlin(2026, 12, 11, 10)  # Friday, day 7
    result = await send_request(factory, dana, follow_up_at, DraftKind.FOLLOW_UP)
    close_due = berlin(2026, 12, 22, 9)  # Mon 14 (1) ... Fri 18 (5), Mon 21 (6), Tue 22 (7)
    assert [(p.kind, p.due_at) for p in result.plans] == [(NudgeKind.CLOSE, close_due)]
    assert result.follow_ups_left is False
    contact = await contact_row(factory, dana)
    assert (contact.stage, contact.follow_ups_sent, contact.request_sent_at) == (Stage.FOLLOWED_UP, 1, WED)
    closes = [n for n in await nudges_of(factory) if n.kind == NudgeKind.CLOSE]
    assert [(n.status, n.due_at) for n in closes] == [("pending", close_due)]
    # And no second follow-up is drafted for them.
    again = await call(factory, outreach.compose_draft, ANA, dana, DraftKind.FOLLOW_UP, WED)
    assert again.refusal is Refusal.NO_MORE_FOLLOW_UPS


async def test_a_closing_note_closes_the_contact_and_stops_the_clock(factory) -> None:
    """The closing note: stage closed (no response), pending clock nudges cancelled, sent ones settled."""
    await make_user(factory)
    dana = await make_contact(factory)
    await send_request(factory, dana)
    second = await delivered_nudge(factory, dana, NudgeKind.SECOND_PERSON, DAY3)
    closing_at = berlin(2026, 12, 8, 10)
    await send_request(factory, dana, closing_at, DraftKind.CLOSING)
    contact = await contact_row(factory, dana)
    assert (contact.stage, contact.reply) == (Stage.CLOSED, Reply.NONE)
    nudges = by_kind(await nudges_of(factory))
    assert nudges["follow_up"].status == NudgeStatus.CANCELLED
    assert (nudges["second_person"].id, nudges["second_person"].status, nudges["second_person"].done_at) == (
        second,
        NudgeStatus.SENT,
        closing_at,
    )


async def test_mark_sent_on_another_users_draft_is_missing(factory) -> None:
    """Ben can't mark Ana's draft sent: nothing moves and no clock starts."""
    await make_user(factory, ANA)
    await make_user(factory, BEN)
    dana = await make_contact(factory, ANA)
    draft = await make_draft(factory, dana)
    result = await call(factory, outreach.mark_sent, BEN, draft, WED)
    assert result.missing and result.contact_name == ""
    assert (await draft_row(factory, draft)).sent_at is None
    assert (await contact_row(factory, dana)).stage == Stage.READY
    assert await nudges_of(factory, ANA) == [] and await nudges_of(factory, BEN) == []


# outreach.log_reply ------------------------------------------------------------------------------------------


async def test_a_reply_stops_the_clock(factory) -> None:
    """A reply cancels what the clock still planned and marks its already-sent reminders done."""
    await make_user(factory)
    dana = await make_contact(factory)
    await send_request(factory, dana)
    await delivered_nudge(factory, dana, NudgeKind.SECOND_PERSON, DAY3)
    replied_at = berlin(2026, 12, 8, 15)
    result = await call(factory, outreach.log_reply, ANA, dana, Reply.YES, replied_at)
    assert (result.refusal, result.missing, result.contact_id, result.contact_name) == (None, False, dana, "Dana Weber")
    contact = await contact_row(factory, dana)
    assert (contact.reply, contact.replied_at, contact.stage) == (Reply.YES, replied_at, Stage.REQUESTED)
    nudges = by_kind(await nudges_of(factory))
    assert (nudges["second_person"].status, nudges["second_person"].done_at) == (NudgeStatus.SENT, replied_at)
    assert (nudges["follow_up"].status, nudges["follow_up"].done_at) == (NudgeStatus.CANCELLED, None)


@pytest.mark.parametrize(
    ("replied_at", "booster"),
    [
        (berlin(2026, 12, 7, 23, 30), True),  # day 3, late evening
        (berlin(2026, 12, 8, 0, 30), False),  # day 4
    ],
    ids=["day-3", "day-4"],
)
async def test_a_yes_within_3_business_days_is_a_booster(factory, replied_at, booster) -> None:
    """Someone who said yes within 3 business days of the request is a booster, answered first."""
    await make_user(factory)
    dana = await make_contact(factory)
    await send_request(factory, dana)
    result = await call(factory, outreach.log_reply, ANA, dana, Reply.YES, replied_at)
    assert result.booster is booster
    assert (await contact_row(factory, dana)).booster is booster


@pytest.mark.parametrize(
    ("answer", "stage"),
    [(Reply.NO, Stage.CLOSED), (Reply.NOT_NOW, Stage.KEEPING_IN_TOUCH), (Reply.REFERRED, Stage.REQUESTED)],
)
async def test_the_answer_sets_the_stage(factory, answer, stage) -> None:
    """No closes the contact, "not now" moves them to keeping in touch; neither is a booster."""
    await make_user(factory)
    dana = await make_contact(factory)
    await send_request(factory, dana)
    result = await call(factory, outreach.log_reply, ANA, dana, answer, WED + timedelta(hours=2))
    assert (result.refusal, result.booster) == (None, False)
    contact = await contact_row(factory, dana)
    assert (contact.stage, contact.reply, contact.booster) == (stage, answer, False)
    clock = {n.kind: n.status for n in await nudges_of(factory) if n.kind != NudgeKind.NOT_NOW}
    assert set(clock.values()) == {NudgeStatus.CANCELLED}
    re_ask = [n for n in await nudges_of(factory) if n.kind == NudgeKind.NOT_NOW]
    # Only "not now" plans a gentle re-ask, four weeks later (at the user's morning).
    four_weeks = [n.status for n in re_ask if timedelta(days=27) < n.due_at - WED < timedelta(days=29)]
    assert (four_weeks, len(re_ask)) == (([NudgeStatus.PENDING], 1) if answer is Reply.NOT_NOW else ([], 0))


async def test_a_reply_is_logged_once(factory) -> None:
    """Logging a second reply is refused and changes nothing: not the answer, its time, nor the stage."""
    await make_user(factory)
    dana = await make_contact(factory)
    await send_request(factory, dana)
    await call(factory, outreach.log_reply, ANA, dana, Reply.YES, WED + timedelta(days=1))
    before = snapshot(await contact_row(factory, dana))
    nudges_before = nudge_snapshot(await nudges_of(factory))
    again = await call(factory, outreach.log_reply, ANA, dana, Reply.NO, WED + timedelta(days=2))
    assert again.refusal is Refusal.ALREADY_REPLIED
    assert snapshot(await contact_row(factory, dana)) == before
    assert nudge_snapshot(await nudges_of(factory)) == nudges_before


async def test_a_late_reply_after_the_clock_closed_the_contact_is_accepted(factory) -> None:
    """A contact closed as "no response" who answers after all can still be logged, and reopens."""
    await make_user(factory)
    dana = await make_contact(factory, stage=Stage.CLOSED, reply=Reply.NONE, request_sent_at=WED, follow_ups_sent=1)
    replied_at = berlin(2027, 1, 20, 10)
    result = await call(factory, outreach.log_reply, ANA, dana, Reply.YES, replied_at)
    assert (result.refusal, result.missing, result.booster) == (None, False, False)
    contact = await contact_row(factory, dana)
    assert (contact.reply, contact.replied_at, contact.stage) == (Reply.YES, replied_at, Stage.REQUESTED)


async def test_log_reply_on_another_users_contact_is_missing(factory) -> None:
    """Ben can't log a reply on Ana's contact, nor stop her clock."""
    await make_user(factory, ANA)
    await make_user(factory, BEN)
    dana = await make_contact(factory, ANA)
    await send_request(factory, dana)
    before, nudges_before = snapshot(await contact_row(factory, dana)), nudge_snapshot(await nudges_of(factory))
    result = await call(factory, outreach.log_reply, BEN, dana, Reply.YES, WED + timedelta(hours=1))
    assert result.missing and result.contact_name == ""
    assert snapshot(await contact_row(factory, dana)) == before
    assert nudge_snapshot(await nudges_of(factory)) == nudges_before


# outreach.add_referral ---------------------------------------------------------------------------------------


async def test_a_referral_is_linked_to_who_referred_them(factory) -> None:
    """A referred person becomes a contact ready to ask, linked to the referrer and introduced through them."""
    await make_user(factory)
    dana = await make_contact(factory, stage=Stage.MET)
    result = await call(factory, outreach.add_referral, ANA, dana, "José Núñez", "Initech")
    assert (result.referrer_name, result.duplicate, result.missing) == ("Dana Weber", False, False)
    new = await contact_row(factory, result.new_id)
    assert (new.user_id, new.name, new.company, new.referred_by_id, new.via, new.source, new.stage) == (
        ANA,
        "José Núñez",
        "Initech",
        dana,
        "Dana Weber",
        "referral",
        Stage.READY,
    )


async def test_a_referral_sent_twice_is_added_once(factory) -> None:
    """The same person again (case and accents folded) is reported as a duplicate, not added twice."""
    await make_user(factory)
    dana = await make_contact(factory, stage=Stage.MET)
    first = await call(factory, outreach.add_referral, ANA, dana, "José Núñez", "Initech")
    again = await call(factory, outreach.add_referral, ANA, dana, "  jose NUNEZ ", "INITECH")
    assert (again.duplicate, again.new_id) == (True, first.new_id)
    async with UnitOfWork(factory) as uow:
        assert await uow.contacts.count(ANA) == 2


async def test_a_referral_from_another_users_contact_is_missing(factory) -> None:
    """Ben can't add a referral through Ana's contact."""
    await make_user(factory, ANA)
    await make_user(factory, BEN)
    dana = await make_contact(factory, ANA, stage=Stage.MET)
    result = await call(factory, outreach.add_referral, BEN, dana, "Eli", None)
    assert result.missing and result.new_id == 0
    async with UnitOfWork(factory) as uow:
        assert (await uow.contacts.count(ANA), await uow.contacts.count(BEN)) == (1, 0)


# nudges: the buttons under a reminder --------------------------------------------------------------------


async def _press(action: str, uow, user_id: int, nudge_id: int, now: datetime):
    if action == "done":
        return await nudge_services.complete_nudge(uow, user_id, nudge_id, now)
    if action == "snooze":
        return await nudge_services.snooze_nudge(uow, user_id, nudge_id, "s1d", now)
    return await nudge_services.stop_nudge(uow, user_id, nudge_id, now)


@pytest.mark.parametrize("action", ["done", "snooze", "stop"])
@pytest.mark.parametrize("case", ["pending", "already-done", "cancelled", "other-user"])
async def test_reminder_buttons_act_only_on_a_sent_reminder_the_user_owns(factory, action, case) -> None:
    """Done, snooze and stop change nothing on a reminder not sent yet, already done, cancelled, or not theirs."""
    await make_user(factory, ANA)
    await make_user(factory, BEN)
    dana = await make_contact(factory)
    await send_request(factory, dana)
    follow_up = by_kind(await nudges_of(factory))["follow_up"].id
    if case == "already-done":
        await set_nudge(factory, follow_up, status=NudgeStatus.SENT, sent_at=DAY7, done_at=DAY7)
    elif case == "cancelled":
        await set_nudge(factory, follow_up, status=NudgeStatus.CANCELLED)
    elif case == "other-user":
        await set_nudge(factory, follow_up, status=NudgeStatus.SENT, sent_at=DAY7)
    presser = BEN if case == "other-user" else ANA
    before = nudge_snapshot(await nudges_of(factory)), snapshot(await contact_row(factory, dana))
    async with UnitOfWork(factory) as uow:
        outcome = await _press(action, uow, presser, follow_up, DAY7 + timedelta(hours=1))
    assert outcome.current is False
    assert (nudge_snapshot(await nudges_of(factory)), snapshot(await contact_row(factory, dana))) == before
    async with UnitOfWork(factory) as uow:
        assert ((await uow.users.get(ANA)).muted_kinds, (await uow.users.get(BEN)).muted_kinds) == ("", "")


async def test_done_on_a_follow_up_reminder_moves_the_clock(factory) -> None:
    """Done on "follow up" counts as the follow-up sent: followed_up, counted, and closing planned."""
    await make_user(factory, max_follow_ups=1)
    dana = await make_contact(factory)
    await send_request(factory, dana)
    follow_up = await delivered_nudge(factory, dana, NudgeKind.FOLLOW_UP, DAY7)
    done_at = berlin(2026, 12, 11, 10)
    outcome = await call(factory, nudge_services.complete_nudge, ANA, follow_up, done_at)
    assert outcome.current and "Dana Weber" in outcome.note
    assert (await nudge_row(factory, follow_up)).done_at == done_at
    contact = await contact_row(factory, dana)
    assert (contact.stage, contact.follow_ups_sent) == (Stage.FOLLOWED_UP, 1)
    assert [(n.status, n.due_at) for n in await nudges_of(factory) if n.kind == NudgeKind.CLOSE] == [
        ("pending", berlin(2026, 12, 22, 9))
    ]


async def test_done_on_a_second_person_reminder_only_settles_it(factory) -> None:
    """Done on "ask a second person" marks it done and leaves the contact's clock as it was."""
    await make_user(factory)
    dana = await make_contact(factory)
    await send_request(factory, dana)
    second = await delivered_nudge(factory, dana, NudgeKind.SECOND_PERSON, DAY3)
    before = snapshot(await contact_row(factory, dana))
    outcome = await call(factory, nudge_services.complete_nudge, ANA, second, DAY3 + timedelta(hours=1))
    assert outcome.current
    assert (await nudge_row(factory, second)).done_at == DAY3 + timedelta(hours=1)
    assert snapshot(await contact_row(factory, dana)) == before
    assert len(await nudges_of(factory)) == 2


async def test_snoozing_a_business_day_reminder_on_friday_lands_on_monday_morning(factory) -> None:
    """A clock reminder snoozed a day on Friday comes back Monday at the end of quiet hours, as a fresh pending row."""
    await make_user(factory)
    dana = await make_contact(factory)
    await send_request(factory, dana)
    second = await delivered_nudge(factory, dana, NudgeKind.SECOND_PERSON, DAY3)
    await set_nudge(factory, second, attempts=2)
    friday = berlin(2026, 12, 4, 16)
    outcome = await call(factory, nudge_services.snooze_nudge, ANA, second, "s1d", friday)
    monday_morning = berlin(2026, 12, 7, 8)
    assert outcome.current and "Mon 07 Dec, 08:00" in outcome.note
    row = await nudge_row(factory, second)
    assert (row.status, row.due_at, row.attempts, row.sent_at) == (NudgeStatus.PENDING, monday_morning, 0, None)


async def test_snoozing_the_digest_on_friday_may_land_on_saturday(factory) -> None:
    """Only business-day reminders skip the weekend: the digest snoozed on Friday is back Saturday."""
    await make_user(factory)
    digest = await schedule(factory, NudgeKind.DIGEST, WED)
    await set_nudge(factory, digest, status=NudgeStatus.SENT, sent_at=WED)
    outcome = await call(factory, nudge_services.snooze_nudge, ANA, digest, "s1d", berlin(2026, 12, 4, 16))
    assert outcome.current
    assert (await nudge_row(factory, digest)).due_at == berlin(2026, 12, 5, 16)


async def test_snooze_with_an_unknown_period_changes_nothing(factory) -> None:
    """A snooze period not offered (forged callback data) is refused."""
    await make_user(factory)
    dana = await make_contact(factory)
    await send_request(factory, dana)
    second = await delivered_nudge(factory, dana, NudgeKind.SECOND_PERSON, DAY3)
    before = nudge_snapshot(await nudges_of(factory))
    outcome = await call(factory, nudge_services.snooze_nudge, ANA, second, "s99y", DAY3)
    assert outcome.current is False
    assert nudge_snapshot(await nudges_of(factory)) == before


async def test_stop_mutes_the_kind_and_cancels_pending_ones(factory) -> None:
    """Stop: this reminder is done, its kind is muted, and pending ones of that kind (any contact) are cancelled."""
    await make_user(factory)
    dana, eli = await make_contact(factory), await make_contact(factory, name="Eli Stone", company="Globex")
    await send_request(factory, dana)
    await send_request(factory, eli, WED + timedelta(hours=1))
    second = await delivered_nudge(factory, dana, NudgeKind.SECOND_PERSON, DAY3)
    stopped_at = DAY3 + timedelta(hours=1)
    outcome = await call(factory, nudge_services.stop_nudge, ANA, second, stopped_at)
    assert outcome.current
    async with UnitOfWork(factory) as uow:
        assert (await uow.users.get(ANA)).is_muted(NudgeKind.SECOND_PERSON)
    assert (await nudge_row(factory, second)).done_at == stopped_at
    statuses = {(n.subject, n.kind): n.status for n in await nudges_of(factory)}
    assert statuses == {
        (str(dana), "second_person"): "sent",
        (str(dana), "follow_up"): "pending",
        (str(eli), "second_person"): "cancelled",
        (str(eli), "follow_up"): "pending",
    }


async def test_a_stopped_kind_is_not_delivered_for_later_contacts(factory) -> None:
    """After Stop, reminders of that kind don't come back for people asked later (until /settings unmutes)."""
    await make_user(factory)
    dana, eli = await make_contact(factory), await make_contact(factory, name="Eli Stone", company="Globex")
    await send_request(factory, dana)
    second = await delivered_nudge(factory, dana, NudgeKind.SECOND_PERSON, DAY3)
    await call(factory, nudge_services.stop_nudge, ANA, second, DAY3)
    await send_request(factory, eli, berlin(2026, 12, 7, 10))  # Monday: Eli's day 3 is Thursday 10
    eli_day3 = berlin(2026, 12, 10, 9)
    async with UnitOfWork(factory) as uow:
        claimed = await nudge_services.claim_due(uow, eli_day3, limit=50, lease=timedelta(minutes=2))
    sent_kinds = []
    for nudge_id, _ in claimed:
        async with UnitOfWork(factory) as uow:
            delivery = await nudge_services.prepare_delivery(uow, nudge_id, eli_day3)
        if delivery is not None:
            sent_kinds.append((await nudge_row(factory, nudge_id)).kind)
    assert NudgeKind.SECOND_PERSON not in sent_kinds, "a muted kind was delivered"


# nudges.today --------------------------------------------------------------------------------------------


async def test_today_names_the_person_of_each_item(factory) -> None:
    """Every /today item says whom it is about: the reminder due now (with its Done button) and who to ask next."""
    await make_user(factory)
    dana = await make_contact(factory)
    await make_contact(factory, name="Eli <Stone>", company="Globex")
    await send_request(factory, dana)
    second = await delivered_nudge(factory, dana, NudgeKind.SECOND_PERSON, DAY3)
    result = await call(factory, nudge_services.today, ANA, DAY3 + timedelta(hours=1))
    htmls = [item.html for item in result.items]
    reminder = next(item for item in result.items if "Dana Weber" in item.html)
    assert "Acme" in reminder.html and reminder.button[1] == f"done:{second}"
    assert any("Eli &lt;Stone&gt;" in html for html in htmls), htmls
    assert not any("Stone>" in html for html in htmls), "user text must be escaped"
    assert len(htmls) == 2, htmls  # day 7's follow-up is days away: not listed yet


async def test_today_drops_and_settles_an_obsolete_reminder(factory) -> None:
    """A sent reminder about someone who has replied is not listed, and is marked done so it stays away."""
    await make_user(factory)
    dana = await make_contact(factory)
    await send_request(factory, dana)
    second = await delivered_nudge(factory, dana, NudgeKind.SECOND_PERSON, DAY3)
    async with UnitOfWork(factory) as uow:  # the reply arrived without settling the clock (an older row)
        contact = await uow.contacts.get_owned(dana, ANA)
        contact.reply, contact.replied_at = Reply.YES, DAY3
    now = DAY3 + timedelta(hours=2)
    result = await call(factory, nudge_services.today, ANA, now)
    assert not any("second person" in item.html for item in result.items), [i.html for i in result.items]
    assert [item.button[1] for item in result.items] == [f"contact:{dana}"]  # the reply to answer, not the reminder
    assert (await nudge_row(factory, second)).done_at == now


# nudges: delivery ------------------------------------------------------------------------------------------


LEASE = timedelta(minutes=2)


async def claim(factory, now: datetime) -> list[int]:
    async with UnitOfWork(factory) as uow:
        return [nudge_id for nudge_id, _ in await nudge_services.claim_due(uow, now, limit=50, lease=LEASE)]


async def prepare(factory, nudge_id: int, now: datetime):
    async with UnitOfWork(factory) as uow:
        return await nudge_services.prepare_delivery(uow, nudge_id, now)


async def test_a_due_reminder_is_claimed_prepared_and_marked_delivered(factory) -> None:
    """claim -> prepare -> delivered: the message names the person, and the row ends sent with no lease."""
    await make_user(factory)
    dana = await make_contact(factory)
    await send_request(factory, dana)
    second = by_kind(await nudges_of(factory))["second_person"].id
    assert await claim(factory, DAY3 - timedelta(seconds=1)) == []
    assert await claim(factory, DAY3) == [second]
    row = await nudge_row(factory, second)
    assert (row.status, row.lease_until) == (NudgeStatus.SENDING, DAY3 + LEASE)
    delivery = await prepare(factory, second, DAY3)
    assert (delivery.nudge_id, delivery.user_id, delivery.chat_id) == (second, ANA, ANA)
    assert "Dana Weber" in delivery.html and "Acme" in delivery.html and delivery.action[1] == "second"
    await call(factory, nudge_services.delivered, second, DAY3 + timedelta(seconds=2))
    row = await nudge_row(factory, second)
    assert (row.status, row.sent_at, row.done_at, row.lease_until) == (
        NudgeStatus.SENT,
        DAY3 + timedelta(seconds=2),
        None,
        None,
    )
    assert await claim(factory, DAY3 + timedelta(hours=1)) == []


async def test_a_429_puts_the_reminder_back_after_retry_after(factory) -> None:
    """Telegram's 429: the reminder waits retry_after seconds, pending again, without using up an attempt."""
    await make_user(factory)
    nudge = await schedule(factory, NudgeKind.FIRST_LIST, WED)
    assert await claim(factory, WED) == [nudge]
    assert await prepare(factory, nudge, WED) is not None
    await call(factory, nudge_services.delivery_failed, nudge, WED, error="429", retry_after=30)
    row = await nudge_row(factory, nudge)
    assert (row.status, row.due_at, row.attempts, row.last_error, row.lease_until) == (
        NudgeStatus.PENDING,
        WED + timedelta(seconds=30),
        0,
        "429",
        None,
    )
    assert await claim(factory, WED + timedelta(seconds=29)) == []
    assert await claim(factory, WED + timedelta(seconds=30)) == [nudge]


async def test_transient_failures_back_off_then_give_up(factory) -> None:
    """A network failure retries after 5 s, 10 s, 20 s ... and the reminder fails after MAX_SEND_ATTEMPTS."""
    await make_user(factory)
    nudge = await schedule(factory, NudgeKind.FIRST_LIST, WED)
    now = WED
    for attempt in range(1, MAX_SEND_ATTEMPTS + 1):
        assert await claim(factory, now) == [nudge], f"attempt {attempt}"
        assert await prepare(factory, nudge, now) is not None
        await call(factory, nudge_services.delivery_failed, nudge, now, error="NetworkError", transient=True)
        row = await nudge_row(factory, nudge)
        assert (row.attempts, row.last_error, row.lease_until) == (attempt, "NetworkError", None)
        if attempt < MAX_SEND_ATTEMPTS:
            assert (row.status, row.due_at) == (NudgeStatus.PENDING, now + timedelta(seconds=5 * 2 ** (attempt - 1)))
            now = row.due_at
    assert row.status == NudgeStatus.FAILED
    assert await claim(factory, now + timedelta(days=1)) == []


async def test_a_refused_send_fails_at_once(factory) -> None:
    """A send Telegram refuses (not 429, not the network) is not retried."""
    await make_user(factory)
    nudge = await schedule(factory, NudgeKind.FIRST_LIST, WED)
    await claim(factory, WED)
    await call(factory, nudge_services.delivery_failed, nudge, WED, error="BadRequest: chat not found")
    row = await nudge_row(factory, nudge)
    assert (row.status, row.attempts, row.lease_until) == (NudgeStatus.FAILED, 0, None)
    assert await claim(factory, WED + timedelta(days=1)) == []


async def test_quiet_hours_defer_a_reminder_to_08_00_local(factory) -> None:
    """A reminder claimed at 22:30 local isn't sent: it goes back to pending for 08:00 the next morning."""
    await make_user(factory)
    nudge = await schedule(factory, NudgeKind.DIGEST, WED)
    late = berlin(2026, 12, 2, 22, 30)
    assert await claim(factory, late) == [nudge]
    assert await prepare(factory, nudge, late) is None
    row = await nudge_row(factory, nudge)
    assert (row.status, row.due_at, row.lease_until) == (NudgeStatus.PENDING, berlin(2026, 12, 3, 8), None)


async def test_quiet_hours_defer_a_business_day_reminder_past_the_weekend(factory) -> None:
    """A clock reminder deferred by quiet hours on Friday night goes out Monday morning, not on Saturday."""
    await make_user(factory)
    dana = await make_contact(factory, stage=Stage.REQUESTED, request_sent_at=berlin(2026, 12, 1, 10))
    nudge = await schedule(factory, NudgeKind.SECOND_PERSON, berlin(2026, 12, 4, 9), subject=str(dana))
    friday_night = berlin(2026, 12, 4, 22, 30)
    assert await claim(factory, friday_night) == [nudge]
    assert await prepare(factory, nudge, friday_night) is None
    row = await nudge_row(factory, nudge)
    assert row.status == NudgeStatus.PENDING
    assert row.due_at.astimezone(BERLIN) == datetime(2026, 12, 7, 8, tzinfo=BERLIN), "must wait for Monday 08:00"


async def test_an_obsolete_reminder_is_cancelled_instead_of_sent(factory) -> None:
    """A reminder about someone who replied after it was claimed is dropped, not sent."""
    await make_user(factory)
    dana = await make_contact(factory)
    await send_request(factory, dana)
    second = by_kind(await nudges_of(factory))["second_person"].id
    assert await claim(factory, DAY3) == [second]
    async with UnitOfWork(factory) as uow:  # the reply lands while the reminder is claimed
        contact = await uow.contacts.get_owned(dana, ANA)
        contact.reply, contact.replied_at = Reply.YES, DAY3
    assert await prepare(factory, second, DAY3) is None
    row = await nudge_row(factory, second)
    assert (row.status, row.lease_until, row.sent_at) == (NudgeStatus.CANCELLED, None, None)


async def test_a_reminder_for_a_user_who_left_is_held(factory) -> None:
    """A user who blocked the bot gets no reminders: a claimed one is held until they are back, not cancelled
    (the release when they come back: tests/test_block_unblock.py)."""
    await make_user(factory)
    nudge = await schedule(factory, NudgeKind.FIRST_LIST, WED)
    await claim(factory, WED)
    async with UnitOfWork(factory) as uow:
        (await uow.users.get(ANA)).is_active = False
    assert await prepare(factory, nudge, WED) is None
    row = await nudge_row(factory, nudge)
    assert (row.status, row.last_error) == (NudgeStatus.PENDING, nudge_services.HELD) and row.due_at > WED


async def test_a_delivered_close_reminder_closes_the_contact(factory) -> None:
    """Closing after the last follow-up: once sent, the contact is closed as no response and the clock stops."""
    await make_user(factory, max_follow_ups=1)
    dana = await make_contact(factory)
    await send_request(factory, dana)
    second = await delivered_nudge(factory, dana, NudgeKind.SECOND_PERSON, DAY3)
    await send_request(factory, dana, berlin(2026, 12, 11, 10), DraftKind.FOLLOW_UP)
    close = by_kind(await nudges_of(factory))["close_silent"]
    assert close.id in await claim(factory, close.due_at)
    delivery = await prepare(factory, close.id, close.due_at)
    assert delivery is not None and "Dana Weber" in delivery.html and delivery.action[1] == "closing"
    await call(factory, nudge_services.delivered, close.id, close.due_at)
    contact = await contact_row(factory, dana)
    assert (contact.stage, contact.reply, contact.replied_at) == (Stage.CLOSED, Reply.NONE, None)
    nudges = {n.id: n for n in await nudges_of(factory)}
    assert (nudges[close.id].status, nudges[close.id].sent_at, nudges[close.id].done_at) == (
        NudgeStatus.SENT,
        close.due_at,
        None,
    )
    assert nudges[second].done_at == close.due_at
    assert all(n.status in (NudgeStatus.SENT, NudgeStatus.CANCELLED) for n in nudges.values())


async def test_a_delivered_digest_schedules_the_next_one(factory) -> None:
    """Each weekly digest sent plans the next one (next Monday 09:00 local) and settles last week's."""
    await make_user(factory, digest_weekday=0)
    monday = berlin(2026, 12, 7, 9)
    old = await schedule(factory, NudgeKind.DIGEST, monday - timedelta(days=7), key="digest:last-week")
    await set_nudge(factory, old, status=NudgeStatus.SENT, sent_at=monday - timedelta(days=7))
    async with UnitOfWork(factory) as uow:
        await nudge_services.reschedule_digest(uow, await uow.users.get(ANA), WED)
    digest = next(n for n in await nudges_of(factory) if n.status == NudgeStatus.PENDING)
    assert (digest.kind, digest.due_at) == (NudgeKind.DIGEST, monday)
    assert await claim(factory, monday) == [digest.id]
    delivery = await prepare(factory, digest.id, monday)
    assert delivery is not None and "week" in delivery.html.lower()
    await call(factory, nudge_services.delivered, digest.id, monday)
    digests = {n.id: n for n in await nudges_of(factory)}
    assert digests[digest.id].status == NudgeStatus.SENT
    assert digests[old].done_at == monday
    pending = [n for n in digests.values() if n.status == NudgeStatus.PENDING]
    assert [(n.kind, n.due_at) for n in pending] == [(NudgeKind.DIGEST, berlin(2026, 12, 14, 9))]


# contacts.add_people ------------------------------------------------------------------------------------------


async def test_add_people_skips_duplicates_even_within_one_batch(factory) -> None:
    """The same person (case and accents folded), already listed, archived, or twice in one batch, is added once."""
    await make_user(factory)
    await make_contact(factory, name="Dana Weber", company="Acme")
    await make_contact(factory, name="Lee Park", company="Globex", archived=True)
    entries = [
        ("dana  WEBER", "acme"),
        ("Lee Park", "Globex"),
        ("José Núñez", "Initech"),
        ("jose nunez", "INITECH"),
        ("Mia", None),
        ("Mia", "Initech"),
    ]
    result = await call(factory, contact_services.add_people, ANA, entries, source="find")
    assert result.added == [("José Núñez", "Initech"), ("Mia", None), ("Mia", "Initech")]
    assert result.duplicates == ["dana  WEBER", "Lee Park", "jose nunez"]
    assert result.limit_reached is False
    async with UnitOfWork(factory) as uow:
        rows = await uow.contacts.all_of(ANA)
    assert sorted((c.name, c.company or "", c.source or "") for c in rows) == [
        ("Dana Weber", "Acme", ""),
        ("José Núñez", "Initech", "find"),
        ("Mia", "", "find"),
        ("Mia", "Initech", "find"),
    ]


async def test_add_people_respects_the_contact_limit(factory) -> None:
    """No more than MAX_CONTACTS per user: the rest is reported as over the limit, not stored."""
    await make_user(factory)
    await make_user(factory, BEN)
    async with UnitOfWork(factory) as uow:
        await uow.session.execute(
            insert(Contact),
            [
                {"user_id": ANA, "name": f"Person {i}", "company": "Filler", "stage": "research", "archived": False}
                for i in range(MAX_CONTACTS - 1)
            ],
        )
    result = await call(
        factory,
        contact_services.add_people,
        ANA,
        [("Person 1", "Filler"), ("Last One", None), ("Too Many", None), ("Also Too Many", None)],
        source="find",
    )
    assert (result.added, result.duplicates, result.limit_reached) == ([("Last One", None)], ["Person 1"], True)
    async with UnitOfWork(factory) as uow:
        assert await uow.contacts.count(ANA) == MAX_CONTACTS
    # The limit is per user.
    other = await call(factory, contact_services.add_people, BEN, [("Too Many", None)], source="find")
    assert (other.added, other.limit_reached) == ([("Too Many", None)], False)
