"""Meetings: schedule one with a contact, move it, cancel it; its reminders and its calendar file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from coaching import keep_in_touch, questions
from coaching.defaults import MAX_OWN_QUESTIONS
from coaching.enums import MeetingStatus, NudgeKind, Reply, Stage
from coaching.meetings import PREP_DAY_BEFORE_KEY, MeetingFormat, meeting_ics, reflection_due, reminder_plan
from coaching.nudges import MEETING_KINDS, UserClock
from coaching.prep import Pack, PrepState, checklist
from coaching.schedule import QuietHours
from services.outreach import stop_clock
from services.users import clock_of
from storage.models import Contact, Meeting, User
from storage.uow import UnitOfWork

_PLAN_KINDS = {PREP_DAY_BEFORE_KEY: NudgeKind.PREP_DAY_BEFORE}  # anything else is the hour-before one


def subject_of(meeting_id: int) -> str:
    """The nudges' subject for a meeting ("m12"): contact nudges use the bare contact id."""
    return f"m{meeting_id}"


@dataclass(frozen=True)
class Scheduled:
    """A saved meeting, ready to confirm in words and as a calendar file; or why not."""

    meeting_id: int = 0
    contact_id: int = 0
    contact_name: str = ""
    starts_at: datetime | None = None
    minutes: int = 0
    format: MeetingFormat = MeetingFormat.VIDEO
    zone: str = "UTC"
    ics: bytes = b""
    missing: bool = False


async def people_to_meet(uow: UnitOfWork, user_id: int) -> list[tuple[int, str]]:
    """Contacts a meeting makes sense with: they said yes, or a request is out, or one is set already."""
    contacts = await uow.contacts.all_of(user_id)
    likely = [c for c in contacts if c.reply == Reply.YES or c.stage == Stage.SCHEDULED]
    others = [c for c in contacts if c not in likely and c.stage in (Stage.REQUESTED, Stage.FOLLOWED_UP)]
    return [(c.id, c.name) for c in likely + others]


async def contact_name(uow: UnitOfWork, user_id: int, contact_id: int) -> str | None:
    contact = await uow.contacts.get_owned(contact_id, user_id)
    return contact.name if contact else None


async def user_clock(uow: UnitOfWork, user_id: int) -> tuple[str, QuietHours]:
    """The user's zone and quiet hours, to read and check a typed time."""
    user = await uow.users.get(user_id)
    if user is None:
        return "UTC", QuietHours()
    clock = clock_of(user)
    return clock.zone, clock.quiet


async def schedule_meeting(
    uow: UnitOfWork,
    user_id: int,
    contact_id: int,
    starts_at: datetime,
    fmt: MeetingFormat,
    place: str | None,
    now: datetime,
) -> Scheduled:
    """Save the meeting (replacing one still planned with them), move the contact on, plan the reminders."""
    contact = await uow.contacts.get_owned(contact_id, user_id)
    user = await uow.users.get(user_id)
    if contact is None or user is None:
        return Scheduled(missing=True)
    earlier = await uow.meetings.scheduled_with(contact.id, user_id)
    if earlier is not None:
        await _drop_reminders(uow, user_id, earlier)
        earlier.status = MeetingStatus.CANCELLED
    meeting = uow.meetings.add(user_id, contact.id, starts_at=starts_at, minutes=fmt.minutes, format=fmt.value,
                               place=place, status=MeetingStatus.SCHEDULED)  # fmt: skip
    await uow.session.flush()
    if contact.stage in (Stage.RESEARCH, Stage.READY, Stage.INTRO_REQUESTED, Stage.REQUESTED, Stage.FOLLOWED_UP):
        contact.stage = Stage.SCHEDULED
    await stop_clock(uow, user_id, contact.id, now)  # a meeting is the answer the clock waited for
    await _plan_reminders(uow, user, meeting, now)
    return _scheduled(meeting, contact, user, now)


async def move_meeting(uow: UnitOfWork, user_id: int, meeting_id: int, starts_at: datetime, now: datetime) -> Scheduled:
    """A new time: the reminders follow it, and a new calendar file replaces the old one (same UID)."""
    meeting = await uow.meetings.get_owned(meeting_id, user_id)
    user = await uow.users.get(user_id)
    if meeting is None or user is None or meeting.status != MeetingStatus.SCHEDULED:
        return Scheduled(missing=True)
    contact = await uow.contacts.get_owned(meeting.contact_id, user_id)
    if contact is None:
        return Scheduled(missing=True)
    await _drop_reminders(uow, user_id, meeting)
    meeting.starts_at = starts_at
    await _plan_reminders(uow, user, meeting, now)
    return _scheduled(meeting, contact, user, now)


async def cancel_meeting(uow: UnitOfWork, user_id: int, meeting_id: int, now: datetime) -> str | None:
    """Call it off: its reminders go; the contact goes back to waiting for a new time. The name, or None."""
    meeting = await uow.meetings.get_owned(meeting_id, user_id)
    if meeting is None or meeting.status != MeetingStatus.SCHEDULED:
        return None
    contact = await uow.contacts.get_owned(meeting.contact_id, user_id)
    await _drop_reminders(uow, user_id, meeting)
    meeting.status = MeetingStatus.CANCELLED
    if contact is not None and contact.stage == Stage.SCHEDULED:
        contact.stage = Stage.REQUESTED
    return contact.name if contact else ""


async def get(uow: UnitOfWork, user_id: int, meeting_id: int) -> Meeting | None:
    """A scheduled meeting by id and owner (callback data comes from the client)."""
    meeting = await uow.meetings.get_owned(meeting_id, user_id)
    return meeting if meeting is not None and meeting.status == MeetingStatus.SCHEDULED else None


async def settle_meeting(uow: UnitOfWork, user_id: int, meeting_id: int, happened: bool, now: datetime) -> str | None:
    """After its time: it happened (the contact is met) or they didn't show (wait for a new time).
    Returns the contact's name, or None when the meeting isn't on the calendar any more."""
    meeting = await uow.meetings.get_owned(meeting_id, user_id)
    if meeting is None or meeting.status != MeetingStatus.SCHEDULED:
        return None
    contact = await uow.contacts.get_owned(meeting.contact_id, user_id)
    await _drop_reminders(uow, user_id, meeting)
    meeting.status = MeetingStatus.HAPPENED if happened else MeetingStatus.NO_SHOW
    user = await uow.users.get(user_id)
    if contact is not None and user is not None and happened:
        contact.stage, contact.met_at = Stage.MET, min(meeting.starts_at, now)
        contact.last_touch_at = contact.met_at
        if contact.thanked_at is None:  # one reminder if no thank-you is logged within 24 hours of the end
            end = meeting.starts_at + timedelta(minutes=meeting.minutes)
            await uow.nudges.schedule(
                user_id=user_id, kind=NudgeKind.THANK_YOU, subject=str(contact.id),
                due_at=max(thank_you_due(end, clock_of(user)), now), dedup_key=thank_you_key(contact.id, contact.met_at),
            )  # fmt: skip
    elif contact is not None and contact.stage == Stage.SCHEDULED:
        contact.stage = Stage.REQUESTED
    return contact.name if contact else ""


def thank_you_due(end: datetime, clock: UserClock) -> datetime:
    return keep_in_touch.thank_you_due(end, clock.zone, clock.quiet)


def thank_you_key(contact_id: int, met_at: datetime) -> str:
    """One thank-you reminder per contact and meeting day, however the meeting was marked as held."""
    return f"thank_you:{contact_id}:{met_at:%Y%m%d}"


async def _plan_reminders(uow: UnitOfWork, user: User, meeting: Meeting, now: datetime) -> None:
    clock = clock_of(user)
    reflect_at = reflection_due(meeting.starts_at, meeting.minutes, clock.zone, clock.quiet)
    await uow.nudges.schedule(
        user_id=user.id, kind=NudgeKind.REFLECT, subject=subject_of(meeting.id), due_at=reflect_at,
        dedup_key=f"{NudgeKind.REFLECT}:{meeting.id}:{meeting.starts_at:%Y%m%d%H%M}",
    )  # fmt: skip
    for key, due in reminder_plan(meeting.starts_at, meeting.minutes, clock.zone, now, clock.quiet):
        kind = _PLAN_KINDS.get(key, NudgeKind.PREP_HOUR_BEFORE)
        await uow.nudges.schedule(
            user_id=user.id, kind=kind, subject=subject_of(meeting.id), due_at=due,
            dedup_key=f"{kind}:{meeting.id}:{meeting.starts_at:%Y%m%d%H%M}",
        )  # fmt: skip


async def _drop_reminders(uow: UnitOfWork, user_id: int, meeting: Meeting) -> None:
    await uow.nudges.cancel_about(user_id, subject_of(meeting.id), MEETING_KINDS)


def _scheduled(meeting: Meeting, contact: Contact, user: User, now: datetime) -> Scheduled:
    fmt = MeetingFormat(meeting.format)
    title = f"Informational conversation with {contact.name}"
    description = f"{fmt.label.split(' ', 1)[-1]} with {contact.name}" + (
        f" ({contact.role} at {contact.company})" if contact.role and contact.company else ""
    )
    ics = meeting_ics(f"infocoach-meeting-{meeting.id}@infocoach", meeting.starts_at, meeting.minutes, title,
                      description, meeting.place, now)  # fmt: skip
    return Scheduled(meeting.id, contact.id, contact.name, meeting.starts_at, meeting.minutes, fmt,
                     clock_of(user).zone, ics)  # fmt: skip


# Questions and the prep pack -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chosen:
    """The questions chosen for a meeting, ready to show: bank ids, the user's own, and the context."""

    meeting_id: int
    contact_name: str
    minutes: int
    ids: list[str]
    own: list[str]
    field: str | None
    company: str | None


def _chosen_ids(meeting: Meeting, user: User, contact: Contact) -> tuple[list[str], list[str]]:
    if meeting.questions:
        stored = json.loads(meeting.questions)
        return list(stored.get("ids", [])), list(stored.get("own", []))
    starter = questions.starter_set(user.field, contact.company, meeting.minutes, stage=user.stage)
    return [q.id for q in starter], []


async def _loaded(uow: UnitOfWork, user_id: int, meeting_id: int) -> tuple[Meeting, User, Contact] | None:
    meeting = await uow.meetings.get_owned(meeting_id, user_id)
    user = await uow.users.get(user_id)
    if meeting is None or user is None or meeting.status != MeetingStatus.SCHEDULED:
        return None
    contact = await uow.contacts.get_owned(meeting.contact_id, user_id)
    return (meeting, user, contact) if contact is not None else None


async def chosen_questions(uow: UnitOfWork, user_id: int, meeting_id: int) -> Chosen | None:
    found = await _loaded(uow, user_id, meeting_id)
    if found is None:
        return None
    meeting, user, contact = found
    ids, own = _chosen_ids(meeting, user, contact)
    return Chosen(meeting.id, contact.name, meeting.minutes, ids, own, user.field, contact.company)


async def toggle_question(uow: UnitOfWork, user_id: int, meeting_id: int, qid: str) -> Chosen | None:
    """Add or remove a bank question (its id checked against the bank)."""
    found = await _loaded(uow, user_id, meeting_id)
    if found is None or qid not in questions.BY_ID or qid == questions.WHO_ELSE.id:
        return None
    meeting, user, contact = found
    ids, own = _chosen_ids(meeting, user, contact)
    ids = [i for i in ids if i != qid] if qid in ids else [*ids, qid]
    meeting.questions = json.dumps({"ids": ids, "own": own})
    return Chosen(meeting.id, contact.name, meeting.minutes, ids, own, user.field, contact.company)


@dataclass(frozen=True)
class OwnAdded:
    """A question of the user's own: the questions now (None: no such meeting), and whether it was taken."""

    chosen: Chosen | None
    added: bool = False
    duplicate: bool = False  # the same question is on the list already
    full: bool = False  # MAX_OWN_QUESTIONS of their own already: not added


async def add_own_question(uow: UnitOfWork, user_id: int, meeting_id: int, text: str) -> OwnAdded:
    found = await _loaded(uow, user_id, meeting_id)
    if found is None:
        return OwnAdded(None)
    meeting, user, contact = found
    ids, own = _chosen_ids(meeting, user, contact)
    duplicate = text in own
    full = not duplicate and len(own) >= MAX_OWN_QUESTIONS
    if not duplicate and not full:
        own.append(text)
        meeting.questions = json.dumps({"ids": ids, "own": own})
    chosen = Chosen(meeting.id, contact.name, meeting.minutes, ids, own, user.field, contact.company)
    return OwnAdded(chosen, added=not duplicate and not full, duplicate=duplicate, full=full)


async def prep_pack(uow: UnitOfWork, user_id: int, meeting_id: int | None, now: datetime) -> Pack | None:
    """Everything for the meeting on one page; ``meeting_id`` None: the next one on the calendar."""
    if meeting_id is None:
        user = await uow.users.get(user_id)
        next_ones = await uow.meetings.upcoming(user_id, now - timedelta(hours=3), now + timedelta(days=400))
        if user is None or not next_ones:
            return None
        meeting_id = next_ones[0].id
    found = await _loaded(uow, user_id, meeting_id)
    if found is None:
        return None
    meeting, user, contact = found
    ids, own = _chosen_ids(meeting, user, contact)
    bank = [questions.BY_ID[i] for i in ids if i in questions.BY_ID]
    ordered = [questions.render(q, user.field, contact.company) for q in questions.order_for_meeting(bank)]
    rendered = ordered[:-1] + own + ordered[-1:]  # the user's own before "who else", which stays last
    fmt = MeetingFormat(meeting.format)
    state = PrepState(
        has_pitch=bool(user.pitch), has_company_notes=bool(contact.company_notes),
        has_person_notes=bool(contact.person_notes or contact.why_them), questions=len(ids) + len(own),
        question_range=questions.suggested_count(meeting.minutes), has_place=bool(meeting.place),
        in_person=fmt is MeetingFormat.IN_PERSON, has_offer=bool(contact.offer),
    )  # fmt: skip
    return Pack(
        meeting.id, contact.id, contact.name, contact.company, contact.role, meeting.starts_at, meeting.minutes,
        fmt, meeting.place, clock_of(user).zone, user.pitch, contact.company_notes,
        contact.person_notes or contact.why_them, contact.offer, rendered, checklist(state),
    )  # fmt: skip
