"""Reminders: what the buttons under a reminder do, /today, and delivering due reminders.

The dispatcher and the buttons call the same functions here, so each rule lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape, unescape
from typing import TypeVar
from zoneinfo import ZoneInfo

from coaching import draft_copy, reschedule
from coaching import nudges as rules
from coaching.defaults import PAUSE_HOLD_RECHECK, SNOOZES
from coaching.enums import DraftKind, MeetingStatus, NudgeKind, NudgeStatus, Reply, Stage
from coaching.followup import clock_nudge_obsolete
from coaching.insights import Progress, enough_for_chart, progress_words
from coaching.meetings import describe
from coaching.outreach import follow_up_logged
from coaching.prep import render_pack
from coaching.schedule import next_allowed, retry_delay, snooze
from services import after, meetings
from services.outreach import schedule_plans, state_of, stop_clock
from services.users import clock_of, profile_of
from storage.models import Contact, Meeting, Nudge, User
from storage.repositories import week_counts
from storage.uow import UnitOfWork

PACK_IN_REMINDER_CHARS = 3800  # Telegram's limit is 4,096; a longer pack stays behind its button
HELD = "held: reminders paused"  # last_error of a reminder that fell due during a pause, until released


def _esc(text: str | None) -> str:
    return escape(text or "", quote=False)


async def _meeting_of(uow: UnitOfWork, nudge: Nudge) -> Meeting | None:
    """The meeting a reminder is about ("m<id>" subjects), loaded by id and owner."""
    if nudge.kind not in rules.MEETING_KINDS or not nudge.subject.startswith("m") or not nudge.subject[1:].isdigit():
        return None
    return await uow.meetings.get_owned(int(nudge.subject[1:]), nudge.user_id)


async def _contact_of(uow: UnitOfWork, nudge: Nudge) -> Contact | None:
    if nudge.kind in rules.MEETING_KINDS:
        meeting = await _meeting_of(uow, nudge)
        return await uow.contacts.get_owned(meeting.contact_id, nudge.user_id) if meeting else None
    if nudge.kind not in (*rules.CONTACT_KINDS, *rules.AFTER_KINDS) or not nudge.subject.isdigit():
        return None
    return await uow.contacts.get_owned(int(nudge.subject), nudge.user_id)


async def _meeting_questions(uow: UnitOfWork, user_id: int, meeting: Meeting | None, now: datetime) -> tuple[str, ...]:
    """The meeting's questions in order, escaped, for the reminder an hour before."""
    if meeting is None:
        return ()
    pack = await meetings.prep_pack(uow, user_id, meeting.id, now)
    return tuple(_esc(q) for q in pack.questions) if pack else ()


def _meeting_obsolete(meeting: Meeting | None, contact: Contact | None, kind: str = "") -> bool:
    """A meeting reminder makes sense while the meeting is on; the reflection also once it has happened."""
    live = (
        (MeetingStatus.SCHEDULED, MeetingStatus.HAPPENED) if kind == NudgeKind.REFLECT else (MeetingStatus.SCHEDULED,)
    )
    return meeting is None or contact is None or meeting.status not in live


def _after_obsolete(kind: str, contact: Contact | None) -> bool:
    """After-meeting reminders: gone with the contact; a thank-you once sent; a re-ask once answered."""
    if contact is None or contact.archived:
        return True
    if kind == NudgeKind.THANK_YOU:
        return contact.thanked_at is not None
    if kind == NudgeKind.NOT_NOW:
        return contact.reply != Reply.NOT_NOW
    return contact.touch_stopped or contact.stage == Stage.CLOSED


def _obsolete(nudge: Nudge, user: User, contact: Contact | None, meeting: Meeting | None = None) -> bool:
    # A user who blocked the bot (inactive) has their reminders held, not dropped: see prepare_delivery.
    if rules.is_obsolete(nudge.kind, onboarded=user.onboarded_at is not None, active=True):
        return True
    if nudge.kind in rules.MEETING_KINDS:
        return _meeting_obsolete(meeting, contact, nudge.kind)
    if nudge.kind in rules.AFTER_KINDS:
        return _after_obsolete(nudge.kind, contact)
    if nudge.kind not in rules.CONTACT_KINDS:
        return False
    return contact is None or clock_nudge_obsolete(
        nudge.kind,
        replied=contact.replied_at is not None,
        closed=contact.stage == Stage.CLOSED,
        archived=contact.archived,
        follow_ups_sent=contact.follow_ups_sent,
        max_follow_ups=user.max_follow_ups,
    )


def _still_about(nudge: Nudge, contact: Contact | None) -> bool:
    """The contact a clock reminder is about hasn't moved on (replied, archived, closed by someone else)."""
    if contact is None or contact.archived or contact.replied_at is not None:
        return False
    return nudge.kind == NudgeKind.CLOSE or contact.stage != Stage.CLOSED


def _task(nudge: Nudge, contact: Contact | None) -> str:
    """What the reminder asks, naming the person (HTML-escaped)."""
    return rules.task_label(
        nudge.kind,
        _esc(contact.name) if contact else "",
        _esc(contact.company) if contact and contact.company else None,
    )


# The buttons under a reminder --------------------------------------------------------------------------


@dataclass(frozen=True)
class NudgeOutcome:
    """The note to show under the reminder; ``current`` is False when the button is out of date."""

    current: bool
    note: str = ""


async def _current(uow: UnitOfWork, user_id: int, nudge_id: int) -> tuple[Nudge, User] | None:
    nudge = await uow.nudges.get_owned(nudge_id, user_id)
    user = await uow.users.get(user_id)
    if nudge is None or user is None or nudge.status != NudgeStatus.SENT or nudge.done_at is not None:
        return None
    return nudge, user


async def complete_nudge(uow: UnitOfWork, user_id: int, nudge_id: int, now: datetime) -> NudgeOutcome:
    """Done: the task is done. A follow-up done by hand counts as sent and moves the clock on."""
    found = await _current(uow, user_id, nudge_id)
    if found is None:
        return NudgeOutcome(False)
    nudge, user = found
    contact = await _contact_of(uow, nudge)
    nudge.done_at = now
    if nudge.kind == NudgeKind.FOLLOW_UP and contact is not None and not _obsolete(nudge, user, contact):
        effect = follow_up_logged(
            state_of(contact), contact_id=contact.id, now=now, clock=clock_of(user), max_follow_ups=user.max_follow_ups
        )
        contact.stage, contact.follow_ups_sent = effect.stage, effect.follow_ups_sent
        await schedule_plans(uow, user_id, contact.id, effect.plans)
    if nudge.kind in rules.AFTER_KINDS and contact is not None and not _obsolete(nudge, user, contact):
        await after.note_sent(uow, user_id, contact.id, _NOTE_OF[NudgeKind(nudge.kind)], now)
    return NudgeOutcome(True, f"{rules.DONE_NOTE[:-1]}: {_task(nudge, contact)}.")


# Done on an after-meeting reminder means its note went out.
_NOTE_OF = {
    NudgeKind.THANK_YOU: DraftKind.THANK_YOU,
    NudgeKind.REPORT_BACK: DraftKind.REPORT_BACK,
    NudgeKind.KEEP_IN_TOUCH: DraftKind.KEEP_IN_TOUCH,
    NudgeKind.NOT_NOW: DraftKind.NOT_NOW,
}


async def snooze_nudge(uow: UnitOfWork, user_id: int, nudge_id: int, period: str, now: datetime) -> NudgeOutcome:
    """Bring the reminder back later, by the same rules as its first delivery."""
    found = await _current(uow, user_id, nudge_id)
    if found is None or period not in SNOOZES:
        return NudgeOutcome(False)
    nudge, user = found
    clock = clock_of(user)
    nudge.status, nudge.attempts, nudge.sent_at = NudgeStatus.PENDING, 0, None
    nudge.due_at = snooze(
        now,
        SNOOZES[period],
        clock.zone,
        clock.quiet,
        business_days_only=nudge.kind in rules.BUSINESS_DAY_KINDS,
        holidays=clock.holidays,
    )
    return NudgeOutcome(True, rules.SNOOZED_NOTE.format(when=nudge.due_at.astimezone(ZoneInfo(clock.zone))))


async def stop_nudge(uow: UnitOfWork, user_id: int, nudge_id: int, now: datetime) -> NudgeOutcome:
    """No more reminders of this kind, until turned back on in /settings."""
    found = await _current(uow, user_id, nudge_id)
    if found is None:
        return NudgeOutcome(False)
    nudge, user = found
    nudge.done_at = now
    user.mute(nudge.kind)
    await uow.nudges.cancel_pending(user.id, kind=nudge.kind)
    return NudgeOutcome(True, rules.STOPPED_NOTE)


@dataclass(frozen=True)
class NudgeAction:
    """The thing a reminder is about: ``action`` is "today", "second", "follow_up", "closing" or "prep"."""

    action: str | None
    contact_id: int = 0
    meeting_id: int = 0


async def nudge_action(uow: UnitOfWork, user_id: int, nudge_id: int) -> NudgeAction:
    """What the reminder's own button opens, if the reminder still makes sense."""
    found = await _current(uow, user_id, nudge_id)
    if found is None:
        return NudgeAction(None)
    nudge, user = found
    contact = await _contact_of(uow, nudge)
    if nudge.kind in rules.CONTACT_KINDS and not _still_about(nudge, contact):
        return NudgeAction(None)
    if nudge.kind in rules.AFTER_KINDS and _after_obsolete(nudge.kind, contact):
        return NudgeAction(None)
    meeting = await _meeting_of(uow, nudge)
    if nudge.kind in rules.MEETING_KINDS and _meeting_obsolete(meeting, contact, nudge.kind):
        return NudgeAction(None)
    action = rules.render(nudge.kind).action
    return NudgeAction(action[1] if action else "today", contact.id if contact else 0, meeting.id if meeting else 0)


# /today ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TodayItem:
    priority: int
    html: str
    button: tuple[str, str] | None = None  # (label, what it opens: "contact:<id>", "draft:<id>", "done:<id>")


@dataclass(frozen=True)
class Today:
    items: list[TodayItem] = field(default_factory=list)


async def today(uow: UnitOfWork, user_id: int, now: datetime, *, ready_shown: int = 3) -> Today:
    """Replies to answer (quick responders first), reminders due now and soon, and a few people to ask.

    Every item names its person; reminders whose subject moved on are settled here and not listed.
    """
    user = await uow.users.get(user_id)
    if user is None:
        return Today()
    zone = ZoneInfo(clock_of(user).zone)
    contacts = {c.id: c for c in await uow.contacts.all_of(user_id)}
    items: list[TodayItem] = []
    for contact in contacts.values():
        items += _contact_items(contact)
    ready = sorted((i for i in items if i.priority == rules.TODAY_PRIORITY["ready"]), key=lambda i: i.html)
    items = [i for i in items if i.priority != rules.TODAY_PRIORITY["ready"]] + ready[:ready_shown]
    items += await _after_items(uow, user_id, list(contacts.values()))
    for upcoming in await uow.meetings.upcoming(user_id, now - timedelta(hours=3), now + timedelta(days=7)):
        items += await _meeting_items(uow, user_id, upcoming, contacts.get(upcoming.contact_id), zone.key, now)
    listed = await uow.nudges.upcoming(user_id, now + timedelta(hours=24))
    if reschedule.is_paused(user.paused_at, user.paused_until, now):
        items.append(TodayItem(-1, _paused_line(user, zone.key, now)))
        known = {n.id for n in listed}
        listed += [n for n in await _pending_of(uow, user_id) if n.last_error == HELD and n.id not in known]
    for nudge in listed:
        if nudge.kind == NudgeKind.THANK_YOU:
            continue  # the thank-you owed is listed with its draft (see _after_items)
        meeting = await _meeting_of(uow, nudge)
        if meeting is not None:
            about = contacts.get(meeting.contact_id)
        else:
            about = contacts.get(int(nudge.subject)) if nudge.subject.isdigit() else None
        if _obsolete(nudge, user, about, meeting):
            if nudge.status == NudgeStatus.SENT:
                nudge.done_at = now  # it no longer applies: settle it so it doesn't come back
            continue
        task = _task(nudge, about)
        if nudge.kind == NudgeKind.REFLECT and meeting is not None and nudge.status == NudgeStatus.SENT:
            items.append(TodayItem(rules.TODAY_PRIORITY[nudge.kind], f"📝 {task} (now)",
                                   (f"📝 Reflect: {unescape(task)}"[:60], f"reflect:{meeting.id}")))  # fmt: skip
        elif nudge.status == NudgeStatus.SENT:
            items.append(
                TodayItem(
                    rules.TODAY_PRIORITY.get(nudge.kind, 9),
                    f"{task} (now)",
                    (f"✅ {unescape(task)}"[:60], f"done:{nudge.id}"),
                )
            )
        else:
            when = PAUSED_ITEM if nudge.last_error == HELD else f"at {nudge.due_at.astimezone(zone):%H:%M}"
            items.append(TodayItem(rules.TODAY_PRIORITY.get(nudge.kind, 9), f"{task} ({when})"))
    return Today(sorted(items, key=lambda item: item.priority))


PAUSED_ITEM = "waiting: reminders paused"


def _paused_line(user: User, zone: str, now: datetime) -> str:
    if user.paused_until is None:
        return "⏸ Reminders are paused until you resume them (/settings)."
    local = user.paused_until.astimezone(ZoneInfo(zone))
    return f"⏸ Reminders are paused until {local:%a} {local.day} {local:%b, %H:%M} (/settings resumes them)."


async def _meeting_items(
    uow: UnitOfWork, user_id: int, meeting: Meeting, contact: Contact | None, zone: str, now: datetime
) -> list[TodayItem]:
    """An upcoming meeting, and within two days, its prep if anything is still missing."""
    if contact is None:
        return []
    when = _esc(describe(meeting.starts_at, zone, now))
    items = [TodayItem(rules.TODAY_PRIORITY["meeting"], f"📅 {_esc(contact.name)}, {when}",
                       (f"👤 {contact.name}"[:60], f"contact:{contact.id}"))]  # fmt: skip
    pack = await meetings.prep_pack(uow, user_id, meeting.id, now)
    if pack is not None and meeting.starts_at - now <= timedelta(days=2):
        ready = sum(done for _item, done in pack.checklist)
        if ready < len(pack.checklist):
            items.append(TodayItem(rules.TODAY_PRIORITY["meeting"], f"📋 Prep for {_esc(contact.name)}: {ready} of "
                                   f"{len(pack.checklist)} ready", ("📋 Prep pack"[:60], f"prep:{meeting.id}")))  # fmt: skip
    return items


async def _after_items(uow: UnitOfWork, user_id: int, contacts: list) -> list[TodayItem]:
    """Thank-yous owed, and the "now what" plan's open steps, each with its button."""
    items = [
        TodayItem(rules.TODAY_PRIORITY["thank_you"], f"💌 Thank {_esc(name)} for the conversation, within 24 hours",
                  (f"💌 Thank-you to {name}"[:60], f"thanks:{contact_id}"))
        for contact_id, name in await after.thanks_owed(uow, user_id, contacts)
    ]  # fmt: skip
    for item_id, _kind, text in await after.open_plan(uow, user_id):
        items.append(
            TodayItem(rules.TODAY_PRIORITY["plan"], f"🧭 {_esc(text)}", (f"✅ {text}"[:60], f"plan:{item_id}"))
        )
    return items


def _contact_items(contact: Contact) -> list[TodayItem]:
    name = _esc(contact.name)
    if contact.reply == Reply.YES and contact.stage in (Stage.REQUESTED, Stage.FOLLOWED_UP):
        key = "reply_booster" if contact.booster else "reply"
        booster = " quickly: within 24 hours" if contact.booster else ""
        return [
            TodayItem(
                rules.TODAY_PRIORITY[key],
                draft_copy.TODAY_REPLY.format(name=name, booster=booster),
                (f"💬 {contact.name}"[:60], f"contact:{contact.id}"),
            )
        ]
    if contact.stage == Stage.READY:
        return [
            TodayItem(
                rules.TODAY_PRIORITY["ready"],
                draft_copy.TODAY_READY.format(name=name),
                (f"✉️ {contact.name}"[:60], f"draft:{contact.id}"),
            )
        ]
    return []


# Scheduling ----------------------------------------------------------------------------------------------


async def schedule_welcome(uow: UnitOfWork, user: User, now: datetime) -> None:
    """After onboarding: the next business day's first-list check-in and the first weekly digest."""
    if not user.is_muted(NudgeKind.FIRST_LIST):
        await uow.nudges.schedule(
            user_id=user.id,
            kind=NudgeKind.FIRST_LIST,
            subject="",
            due_at=rules.first_list_due(now, clock_of(user)),
            dedup_key=f"first_list:{user.id}",
        )
    await reschedule_digest(uow, user, now)


async def reschedule_digest(uow: UnitOfWork, user: User, now: datetime) -> None:
    """Replace the pending weekly digest with one at the user's current weekday, zone and quiet hours."""
    await uow.nudges.cancel_pending(user.id, kind=NudgeKind.DIGEST)
    if user.onboarded_at is None or user.is_muted(NudgeKind.DIGEST):
        return
    due = rules.digest_due(now, user.digest_weekday, clock_of(user))
    await uow.nudges.schedule(
        user_id=user.id, kind=NudgeKind.DIGEST, subject="", due_at=due, dedup_key=rules.digest_key(user.id, due)
    )


async def set_membership(uow: UnitOfWork, user_id: int, *, blocked: bool, now: datetime) -> Released | None:
    """The user blocked the bot (hold their reminders) or came back (release what is still relevant)."""
    if blocked:
        await user_blocked(uow, user_id, now)
        return None
    return await user_back(uow, user_id, now)


async def user_blocked(uow: UnitOfWork, user_id: int, now: datetime, *, nudge_id: int | None = None) -> None:
    """Blocked (a 403, or my_chat_member "kicked"): inactive, and nothing is sent until they are back.

    Pending reminders stay pending: each one that falls due meanwhile is held (prepare_delivery), like in
    a pause, and ``nudge_id``, the reminder Telegram just refused, is held at once. Nothing is cancelled.
    """
    user = await uow.users.get(user_id)
    if user is None:
        return
    user.is_active = False
    nudge = await uow.nudges.get(nudge_id) if nudge_id is not None else None
    if nudge is not None and nudge.user_id == user_id and nudge.status == NudgeStatus.SENDING:
        _settle(nudge, NudgeStatus.PENDING, due_at=now + PAUSE_HOLD_RECHECK, error=HELD)


async def user_back(uow: UnitOfWork, user_id: int, now: datetime) -> Released | None:
    """A user who had blocked the bot is back (unblocked, or wrote to it): active again, and what was held
    is released by the pause's rule (release_held: the obsolete dropped, at most 3 now and 3 a morning, the
    digest planned anew); the follow-up clock's later reminders were never touched. None if nothing changed.

    A pause of their own that is still running keeps holding everything: its end releases it all.
    """
    user = await uow.users.get(user_id)
    if user is None or user.is_active:
        return None
    user.is_active = True
    if reschedule.is_paused(user.paused_at, user.paused_until, now):
        return None
    return await release_held(uow, user, now)


# Delivery (the dispatcher) ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    """A claimed reminder ready to send."""

    nudge_id: int
    user_id: int
    chat_id: int
    html: str
    action: tuple[str, str] | None
    meeting_id: int = 0  # for the buttons of a reminder about a meeting
    chart: Progress | None = None  # the weekly digest's progress chart, when there is enough to draw
    kind: str = ""  # the reminder's kind: most need only their own row marked once sent


async def claim_due(uow: UnitOfWork, now: datetime, *, limit: int, lease: timedelta) -> list[tuple[int, int]]:
    """Claim due reminders for this process: (nudge id, user id) pairs."""
    return [(n.id, n.user_id) for n in await uow.nudges.claim_due(now, limit=limit, lease=lease)]


async def prepare_delivery(uow: UnitOfWork, nudge_id: int, now: datetime) -> Delivery | None:
    """The message for a claimed reminder; None when it was dropped (obsolete) or deferred (quiet hours)."""
    return await _prepare(uow, nudge_id, now, _OneByOne(uow))


async def prepare_deliveries(uow: UnitOfWork, nudge_ids: list[int], now: datetime) -> list[tuple[int, Delivery | None]]:
    """``prepare_delivery`` for a batch of claimed reminders, in order: the same messages and the same
    rules, with the reminders, their users, contacts and meetings (and a digest's counts) loaded for the
    whole batch in a few queries instead of a few for each."""
    source = await _Batch.load(uow, nudge_ids, now)
    return [(nudge_id, await _prepare(uow, nudge_id, now, source)) for nudge_id in nudge_ids]


_Owned = TypeVar("_Owned", Contact, Meeting)


class _OneByOne:
    """What a reminder needs, loaded when asked (a single reminder; the handlers' own queries)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def nudge(self, nudge_id: int) -> Nudge | None:
        return await self._uow.nudges.get(nudge_id)

    async def user(self, user_id: int) -> User | None:
        return await self._uow.users.get(user_id)

    async def contact_of(self, nudge: Nudge) -> Contact | None:
        return await _contact_of(self._uow, nudge)

    async def meeting_of(self, nudge: Nudge) -> Meeting | None:
        return await _meeting_of(self._uow, nudge)

    async def week_stats(self, user: User, since: datetime) -> rules.WeekStats:
        return rules.WeekStats(**await self._uow.contacts.week_stats(user.id, since))

    async def progress(self, user: User, now: datetime) -> Progress:
        return await after.progress_of(self._uow, user, now)


@dataclass
class _Batch:
    """What a batch of reminders needs, loaded up front. The rows are the session's own objects (its identity
    map), so a change made while preparing one reminder is seen by the next, as when each loads its own."""

    nudges: dict[int, Nudge]
    users: dict[int, User]
    contacts: dict[int, Contact]
    meetings: dict[int, Meeting]
    requests_sent: dict[int, int]  # a digest's user: requests sent in the week before now
    contacts_of: dict[int, list[Contact]]  # a digest's user: every contact, archived too

    @classmethod
    async def load(cls, uow: UnitOfWork, nudge_ids: list[int], now: datetime) -> _Batch:
        nudges = await uow.nudges.get_many(nudge_ids)
        users = {u.id: u for u in await uow.users.get_many({n.user_id for n in nudges.values()})}
        meeting_ids = {_meeting_id(n) or 0 for n in nudges.values()} - {0}
        meetings = {m.id: m for m in await uow.nudges.meetings_for(meeting_ids)}
        contact_ids = {_contact_id(n) or 0 for n in nudges.values()} - {0}
        contact_ids |= {m.contact_id for m in meetings.values()}
        digests = {n.user_id for n in nudges.values() if n.kind == NudgeKind.DIGEST}
        contacts = {c.id: c for c in await uow.nudges.contacts_for(contact_ids, digests)}
        contacts_of: dict[int, list[Contact]] = {user_id: [] for user_id in digests}
        for contact in sorted(contacts.values(), key=lambda c: c.id):
            if contact.user_id in contacts_of:
                contacts_of[contact.user_id].append(contact)
        requests_sent = await uow.nudges.requests_sent(digests, now - timedelta(days=7))
        return cls(nudges, users, contacts, meetings, requests_sent, contacts_of)

    async def nudge(self, nudge_id: int) -> Nudge | None:
        return self.nudges.get(nudge_id)

    async def user(self, user_id: int) -> User | None:
        return self.users.get(user_id)

    async def contact_of(self, nudge: Nudge) -> Contact | None:
        if nudge.kind in rules.MEETING_KINDS:
            meeting = await self.meeting_of(nudge)
            return self._owned(self.contacts.get(meeting.contact_id), nudge) if meeting else None
        contact_id = _contact_id(nudge)
        return self._owned(self.contacts.get(contact_id), nudge) if contact_id else None

    async def meeting_of(self, nudge: Nudge) -> Meeting | None:
        meeting_id = _meeting_id(nudge)
        return self._owned(self.meetings.get(meeting_id), nudge) if meeting_id else None

    async def week_stats(self, user: User, since: datetime) -> rules.WeekStats:
        contacts = [c for c in self.contacts_of[user.id] if c.archived is False]
        return rules.WeekStats(**week_counts(contacts, since, self.requests_sent.get(user.id, 0)))

    async def progress(self, user: User, now: datetime) -> Progress:
        return after.progress_from(user, self.contacts_of[user.id], now)

    @staticmethod
    def _owned(row: _Owned | None, nudge: Nudge) -> _Owned | None:
        return row if row is not None and row.user_id == nudge.user_id else None


def _meeting_id(nudge: Nudge) -> int | None:
    """The meeting a reminder is about, by its subject ("m<id>"), as _meeting_of reads it."""
    if nudge.kind not in rules.MEETING_KINDS or not nudge.subject.startswith("m") or not nudge.subject[1:].isdigit():
        return None
    return int(nudge.subject[1:])


def _contact_id(nudge: Nudge) -> int | None:
    """The contact a reminder not about a meeting is about, by its subject, as _contact_of reads it."""
    if nudge.kind not in (*rules.CONTACT_KINDS, *rules.AFTER_KINDS) or not nudge.subject.isdigit():
        return None
    return int(nudge.subject)


async def _prepare(uow: UnitOfWork, nudge_id: int, now: datetime, source: _OneByOne | _Batch) -> Delivery | None:
    nudge = await source.nudge(nudge_id)
    user = await source.user(nudge.user_id) if nudge else None
    if nudge is None or nudge.status != NudgeStatus.SENDING:
        return None
    contact = await source.contact_of(nudge)
    meeting = await source.meeting_of(nudge)
    if user is None or _obsolete(nudge, user, contact, meeting):
        _settle(nudge, NudgeStatus.CANCELLED)
        return None
    if user.is_muted(nudge.kind):  # the user stopped these: say nothing, but the clock still moves on
        await delivered(uow, nudge.id, now)
        nudge.done_at = now
        return None
    if not user.is_active:  # blocked: held until they are back (user_back), never sent to a blocked chat
        _settle(nudge, NudgeStatus.PENDING, due_at=now + PAUSE_HOLD_RECHECK, error=HELD)
        return None
    if user.paused_at is not None:  # nothing is sent during a pause; at its end, what waited is released
        await _hold_or_release(uow, user, nudge, now)
        return None
    clock = clock_of(user)
    allowed = next_allowed(
        now, clock.zone, clock.quiet, business_days_only=nudge.kind in rules.BUSINESS_DAY_KINDS, holidays=clock.holidays
    )
    # The hour before a meeting the user chose to hold then is never held back by quiet hours.
    if allowed > now and nudge.kind != NudgeKind.PREP_HOUR_BEFORE:
        _settle(nudge, NudgeStatus.PENDING, due_at=allowed)
        return None
    stats = None
    if nudge.kind == NudgeKind.DIGEST:
        stats = await source.week_stats(user, now - timedelta(days=7))
    when = _esc(describe(meeting.starts_at, clock.zone, now)) if meeting else ""
    overdue = (
        nudge.kind == NudgeKind.KEEP_IN_TOUCH
        and contact is not None
        and now - (contact.last_touch_at or now) > timedelta(days=user.touch_ideal_days + 7)
    )
    text = rules.render(
        nudge.kind,
        profile_of(user).goal,
        _esc(contact.name) if contact else "",
        _esc(contact.company) if contact and contact.company else None,
        stats,
        when=when,
        pitch=_esc(user.pitch) if nudge.kind == NudgeKind.PREP_HOUR_BEFORE else "",
        questions=await _meeting_questions(uow, user.id, meeting, now)
        if nudge.kind == NudgeKind.PREP_HOUR_BEFORE
        else (),
        overdue=overdue,
    )
    html = text.html
    if nudge.kind == NudgeKind.PREP_DAY_BEFORE and meeting is not None:
        pack = await meetings.prep_pack(uow, user.id, meeting.id, now)
        with_pack = f"{html}\n\n{render_pack(pack, now)}" if pack else html
        html = with_pack if len(with_pack) <= PACK_IN_REMINDER_CHARS else html  # else the button opens it
    chart = None
    if nudge.kind == NudgeKind.DIGEST:
        progress = await source.progress(user, now)
        chart = progress if enough_for_chart(progress) else None
        html += "" if chart else f"\n\n{progress_words(progress)}"  # too little to draw: words instead
    # Reminders go to the user's private chat only. In Telegram a private chat's id is the user's id, so a
    # stored chat id that differs (a group's, kept by an older version) is never used: the user id is.
    chat_id = user.chat_id if user.chat_id == user.id else user.id
    return Delivery(nudge.id, user.id, chat_id, html, text.action, meeting.id if meeting else 0, chart, nudge.kind)


async def _hold_or_release(uow: UnitOfWork, user: User, nudge: Nudge, now: datetime) -> None:
    """During a pause, the reminder waits for the pause's end; once that has come, everything that waited
    is released at a calm pace (this reminder included), by whichever dispatcher gets there first."""
    if not reschedule.pause_over(user.paused_at, user.paused_until, now):
        _settle(nudge, NudgeStatus.PENDING, due_at=reschedule.hold_until(user.paused_until, now), error=HELD)
        return
    await uow.session.refresh(user, with_for_update=True)  # one release per pause, even with several workers
    if user.paused_at is not None:
        await release_held(uow, user, now, claimed=True)  # this reminder among them: it is due and claimed
        return
    await uow.session.refresh(nudge)  # another worker released them meanwhile
    if nudge.status == NudgeStatus.SENDING:
        _settle(nudge, NudgeStatus.PENDING)  # back to the queue, as it is now


@dataclass(frozen=True)
class Released:
    """What a pause's end did with the reminders that fell due meanwhile."""

    right_away: int = 0
    later: int = 0
    dropped: int = 0


async def _pending_of(uow: UnitOfWork, user_id: int, *, claimed: bool = False) -> list[Nudge]:
    """The user's reminders still to send (and, with ``claimed``, those a dispatcher holds), in due order."""
    return await uow.nudges.pending_of(user_id, claimed=claimed)


async def release_held(uow: UnitOfWork, user: User, now: datetime, *, claimed: bool = False) -> Released:
    """End the pause: drop what no longer applies, send the rest calmly (coaching.reschedule.release_plan)."""
    user.paused_at = user.paused_until = None
    rows = [n for n in await _pending_of(uow, user.id, claimed=claimed) if n.last_error == HELD or n.due_at <= now]
    items = []
    for nudge in rows:
        contact, meeting = await _contact_of(uow, nudge), await _meeting_of(uow, nudge)
        items.append(
            reschedule.Held(
                nudge.id,
                nudge.kind,
                nudge.subject,
                nudge.due_at,
                obsolete=_obsolete(nudge, user, contact, meeting),
                meeting_at=meeting.starts_at if meeting else None,
                silent=user.is_muted(nudge.kind),
            )
        )
    plan = reschedule.release_plan(items, now, clock_of(user))
    for nudge in rows:
        due = plan.due.get(nudge.id)
        _settle(nudge, NudgeStatus.CANCELLED if due is None else NudgeStatus.PENDING, due_at=due)
    await reschedule_digest(uow, user, now)  # a digest that passed is dropped; the next one is planned
    return Released(plan.right_away, plan.later, plan.dropped)


async def reschedule_pending(uow: UnitOfWork, user: User, old_zone: str, now: datetime) -> int:
    """The zone, quiet hours or holidays changed: move every pending reminder by coaching.reschedule.moved
    (the same local time in the new zone; out of quiet hours; onto business days). How many moved.

    Reminders held by a pause stay where they are: the pause's end releases them.
    """
    clock = clock_of(user)
    count = 0
    for nudge in await _pending_of(uow, user.id):
        if nudge.last_error == HELD:
            continue
        due = reschedule.moved(nudge.due_at, nudge.kind, old_zone=old_zone, clock=clock, now=now)
        if due != nudge.due_at:
            nudge.due_at = due
            count += 1
    return count


def _settle(nudge: Nudge, status: str, *, due_at: datetime | None = None, error: str | None = None) -> None:
    nudge.lease_until, nudge.last_error, nudge.status = None, error, status
    if due_at is not None:
        nudge.due_at = due_at


# Reminders whose sending changes more than their own row (a contact closed, a touch logged, the next digest).
_SENDING_MEANS_MORE = frozenset({NudgeKind.CLOSE, NudgeKind.KEEP_IN_TOUCH, NudgeKind.DIGEST})


async def delivered(uow: UnitOfWork, nudge_id: int, now: datetime, *, kind: str | None = None) -> None:
    """Telegram accepted the reminder: mark it sent, and carry out what its sending means. Given its ``kind``
    (the dispatcher knows it), a reminder whose sending means nothing more is marked in one statement."""
    if kind is not None and kind not in _SENDING_MEANS_MORE:
        await uow.nudges.mark_sent(nudge_id, now)
        return
    if kind == NudgeKind.DIGEST:
        await _digests_delivered(uow, [nudge_id], now)
        return
    nudge = await uow.nudges.get(nudge_id)
    if nudge is None:
        return
    user = await uow.users.get(nudge.user_id)
    if nudge.kind == NudgeKind.CLOSE:
        contact = await _contact_of(uow, nudge)
        if contact is not None and contact.replied_at is None:
            contact.stage, contact.reply = Stage.CLOSED, Reply.NONE
            await stop_clock(uow, nudge.user_id, contact.id, now)
    # After stop_clock, which settles the contact's other reminders (this one included, while it was claimed).
    _settle(nudge, NudgeStatus.SENT)
    nudge.sent_at, nudge.done_at = now, None
    if nudge.kind == NudgeKind.KEEP_IN_TOUCH and nudge.subject.isdigit():
        await after.touch_nudge_sent(uow, nudge.user_id, int(nudge.subject), now)
    if nudge.kind == NudgeKind.DIGEST and user is not None:
        await uow.nudges.settle_kind(user.id, NudgeKind.DIGEST, now, before_id=nudge.id)
        await reschedule_digest(uow, user, now + timedelta(hours=1))


async def delivered_many(uow: UnitOfWork, sent: list[tuple[int, str]], now: datetime) -> None:
    """``delivered`` for several reminders Telegram accepted, each given with its kind, in a few statements
    for all of them: the plain ones in one UPDATE, the weekly digests together, the others one by one."""
    await uow.nudges.mark_sent_many([n for n, kind in sent if kind not in _SENDING_MEANS_MORE], now)
    await _digests_delivered(uow, [n for n, kind in sent if kind == NudgeKind.DIGEST], now)
    for nudge_id, kind in sent:
        if kind in _SENDING_MEANS_MORE and kind != NudgeKind.DIGEST:
            await delivered(uow, nudge_id, now, kind=kind)


async def _digests_delivered(uow: UnitOfWork, nudge_ids: list[int], now: datetime) -> None:
    """``delivered`` for weekly digests, without loading them: marked sent, each user's older ones settled, and
    their next one planned by reschedule_digest's rule (an hour on), in four statements however many."""
    owners = await uow.nudges.mark_sent_many(nudge_ids, now)
    users = {u.id: u for u in await uow.users.get_many(set(owners.values()))}
    newer = {nudge_id: user_id for nudge_id, user_id in owners.items() if user_id in users}
    await uow.nudges.supersede(NudgeKind.DIGEST, now, newer=newer)  # settle_kind, and reschedule_digest's cancel
    plans = []
    for user in (users[user_id] for user_id in set(newer.values())):
        if user.onboarded_at is None or user.is_muted(NudgeKind.DIGEST):
            continue
        due = rules.digest_due(now + timedelta(hours=1), user.digest_weekday, clock_of(user))
        plans.append(
            {"user_id": user.id, "kind": NudgeKind.DIGEST, "subject": "", "due_at": due,
             "dedup_key": rules.digest_key(user.id, due)}
        )  # fmt: skip
    await uow.nudges.schedule_once(plans)


async def delivery_failed(
    uow: UnitOfWork,
    nudge_id: int,
    now: datetime,
    *,
    error: str,
    retry_after: float | None = None,
    transient: bool = False,
) -> None:
    """A send failed: wait ``retry_after`` (429), back off and retry (network), or give up (refused)."""
    nudge = await uow.nudges.get(nudge_id)
    if nudge is None:
        return
    if retry_after is not None:
        _settle(nudge, NudgeStatus.PENDING, due_at=now + timedelta(seconds=retry_after), error=error)
    elif transient:
        nudge.attempts += 1
        if nudge.attempts >= rules.MAX_SEND_ATTEMPTS:
            _settle(nudge, NudgeStatus.FAILED, error=error)
        else:
            _settle(nudge, NudgeStatus.PENDING, due_at=now + retry_delay(nudge.attempts), error=error)
    else:
        _settle(nudge, NudgeStatus.FAILED, error=error)
