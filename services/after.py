"""After the meeting: the reflection, the "now what" plan, the thank-you, and keeping in touch.

Every function loads by id and owner, checks the current state first (an old or repeated button changes
nothing), and applies the coaching rules in the caller's unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from coaching import insights
from coaching import keep_in_touch as touch
from coaching import reflection as rules
from coaching.enums import DraftKind, MeetingStatus, NudgeKind, Reply, Stage
from coaching.nudges import weekly_target
from coaching.outreach import on_sent
from coaching.templates import Draft
from services import meetings
from services.meetings import thank_you_due, thank_you_key
from services.outreach import add_referral, schedule_plans, state_of, stop_clock
from services.users import clock_of, profile_of
from storage.models import Contact, Meeting, Reflection, User
from storage.uow import UnitOfWork

TOUCH_KINDS = (NudgeKind.REPORT_BACK, NudgeKind.KEEP_IN_TOUCH)
NOTE_KINDS = (DraftKind.THANK_YOU, DraftKind.REPORT_BACK, DraftKind.KEEP_IN_TOUCH, DraftKind.NOT_NOW)
_AFTER_MEETING = (Stage.MET, Stage.THANKED, Stage.KEEPING_IN_TOUCH)


def answers_of(reflection: Reflection) -> rules.Answers:
    values = {f.name: getattr(reflection, f.name) for f in fields(rules.Answers)}
    fit = values["still_field"]
    values["still_field"] = rules.FieldFit(fit) if fit else None
    return rules.Answers(**values)


# Which conversations to reflect on --------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    meeting_id: int  # 0: a contact met without a meeting on the calendar
    contact_id: int
    name: str
    at: datetime | None


async def to_reflect_on(uow: UnitOfWork, user_id: int, now: datetime) -> list[Candidate]:
    """Conversations that have happened (or whose time has passed) without a finished reflection, latest first."""
    contacts = {c.id: c for c in await uow.contacts.all_of(user_id)}
    done = {(r.meeting_id, r.contact_id) for r in await uow.reflections.finished(user_id)}
    found: list[Candidate] = []
    for meeting in await uow.meetings.past(user_id, now):
        contact = contacts.get(meeting.contact_id)
        if contact is not None and (meeting.id, contact.id) not in done:
            found.append(Candidate(meeting.id, contact.id, contact.name, meeting.starts_at))
    met_with_meeting = {c.contact_id for c in found} | {contact_id for _m, contact_id in done}
    for contact in contacts.values():
        if contact.stage in _AFTER_MEETING and contact.met_at is not None and contact.id not in met_with_meeting:
            found.append(Candidate(0, contact.id, contact.name, contact.met_at))
    return found


# The reflection, step by step ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """Where a reflection stands: the next question (``index``), or finished; ``stale`` for an old button."""

    reflection_id: int = 0
    contact_name: str = ""
    index: int = 0
    finished: bool = False
    missing: bool = False
    stale: bool = False
    already_done: bool = False
    not_met: bool = False


def _step(reflection: Reflection, contact: Contact, **flags: bool) -> Step:
    finished = reflection.finished_at is not None or reflection.step >= len(rules.STEPS)
    return Step(reflection.id, contact.name, min(reflection.step, len(rules.STEPS)), finished, **flags)


async def start(uow: UnitOfWork, user_id: int, now: datetime, *, meeting_id: int = 0, contact_id: int = 0) -> Step:
    """Begin (or resume) the reflection on a meeting, which settles it as happened, or on a contact met."""
    meeting: Meeting | None = None
    if meeting_id:
        meeting = await uow.meetings.get_owned(meeting_id, user_id)
        if meeting is None or meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.HAPPENED):
            return Step(missing=True)
        if meeting.status == MeetingStatus.SCHEDULED:
            await meetings.settle_meeting(uow, user_id, meeting.id, True, now)
        contact_id = meeting.contact_id
    contact = await uow.contacts.get_owned(contact_id, user_id)
    if contact is None:
        return Step(missing=True)
    if meeting is not None:
        await uow.nudges.settle_about(user_id, meetings.subject_of(meeting.id), (NudgeKind.REFLECT,), now)
        existing = await uow.reflections.for_meeting(meeting.id, user_id)
    else:
        existing = await uow.reflections.latest_for_contact(contact.id, user_id)
    if existing is not None:
        return _step(existing, contact, already_done=existing.finished_at is not None)
    if meeting is None and (contact.stage not in _AFTER_MEETING or contact.met_at is None):
        return Step(contact_name=contact.name, not_met=True)  # an old card's button: they haven't met
    reflection = uow.reflections.add(user_id, contact.id, meeting_id=meeting.id if meeting else None, step=0)
    await uow.session.flush()
    return _step(reflection, contact)


async def _reflection_of(uow: UnitOfWork, user_id: int, reflection_id: int) -> tuple[Reflection, Contact] | None:
    """A reflection and its contact, both by id and owner (the id comes from a button)."""
    reflection = await uow.reflections.get_owned(reflection_id, user_id)
    contact = await uow.contacts.get_owned(reflection.contact_id, user_id) if reflection else None
    return (reflection, contact) if reflection is not None and contact is not None else None


async def current(uow: UnitOfWork, user_id: int, reflection_id: int) -> Step:
    """Where a reflection stands, by id and owner."""
    found = await _reflection_of(uow, user_id, reflection_id)
    if found is None:
        return Step(missing=True)
    reflection, contact = found
    return _step(reflection, contact)


async def answer(
    uow: UnitOfWork,
    user_id: int,
    reflection_id: int,
    index: int,
    value: str | int | None,
    now: datetime,
    *,
    by_button: bool = False,
) -> Step:
    """Save the answer to question ``index`` (None: skipped) and move on. An answer to any other step
    than the current one (an old button, a double tap), or of the wrong kind, changes nothing."""
    found = await _reflection_of(uow, user_id, reflection_id)
    if found is None:
        return Step(missing=True)
    reflection, contact = found
    fits = index < len(rules.STEPS) and rules.accepts(rules.STEPS[index], value, by_button=by_button)
    if reflection.finished_at is not None or index != reflection.step or not fits:
        return _step(reflection, contact, stale=True)
    key = rules.STEPS[index].key
    if isinstance(value, str):
        value = value.strip()[: rules.MAX_ANSWER_CHARS] or None
    updated = rules.with_answer(answers_of(reflection), key, value)
    stored = getattr(updated, key)
    setattr(reflection, key, stored.value if isinstance(stored, rules.FieldFit) else stored)
    reflection.step = index + 1
    return _step(reflection, contact)


async def skip_rest(uow: UnitOfWork, user_id: int, reflection_id: int, index: int) -> Step:
    """Stop the questions here; what was answered is kept."""
    found = await _reflection_of(uow, user_id, reflection_id)
    if found is None:
        return Step(missing=True)
    reflection, contact = found
    if reflection.finished_at is not None or index != reflection.step:
        return _step(reflection, contact, stale=True)
    reflection.step = len(rules.STEPS)
    return _step(reflection, contact)


@dataclass(frozen=True)
class Summary:
    """A finished reflection: its plan, the new contacts, and the thank-you draft (None once thanked)."""

    contact_id: int = 0
    contact_name: str = ""
    plan: list[tuple[int, str, str]] = field(default_factory=list)  # (item id, kind, text)
    referrals: list[tuple[int, str]] = field(default_factory=list)  # (contact id, name), new or already known
    thank_you: Draft | None = None
    thanked: bool = False
    token: bool = False
    empty: bool = False  # every question skipped
    missing: bool = False
    left_out: list[str] = field(default_factory=list)  # people typed beyond MAX_REFERRALS: not added
    over_limit: list[str] = field(default_factory=list)  # people not added: the contact list was full


def _who(referral: rules.Referral) -> str:
    return referral.name + (f" ({referral.company})" if referral.company else "")


async def finish(uow: UnitOfWork, user_id: int, reflection_id: int, now: datetime) -> Summary:
    """Close the reflection once: referrals become contacts, the plan is kept, the thank-you is drafted."""
    reflection = await uow.reflections.get_owned(reflection_id, user_id)
    contact = await uow.contacts.get_owned(reflection.contact_id, user_id) if reflection else None
    user = await uow.users.get(user_id)
    if reflection is None or contact is None or user is None:
        return Summary(missing=True)
    answers = answers_of(reflection)
    over_limit: list[str] = []
    if reflection.finished_at is None:
        reflection.finished_at, reflection.step = now, len(rules.STEPS)
        over_limit = await _keep_plan(uow, user_id, reflection, contact, answers)
        await _plan_thank_you(uow, user, contact, now)
    items = await uow.reflections.items_of(reflection.id, user_id)
    referrals = [(i.contact_id, i.text) for i in items if i.kind == rules.PlanKind.REACH and i.contact_id]
    names = {c.id: c.name for c in await uow.contacts.all_of(user_id) if c.id in {cid for cid, _ in referrals}}
    return Summary(
        contact.id,
        contact.name,
        [(i.id, i.kind, i.text) for i in items],
        [(cid, names.get(cid, "")) for cid, _text in referrals],
        None if contact.thanked_at else rules.thank_you_note(user.name or "", contact.name, answers),
        contact.thanked_at is not None,
        rules.suggests_token(answers),
        rules.skipped_everything(answers),
        left_out=[_who(r) for r in rules.referrals_left_out(answers.referrals)],
        over_limit=over_limit,
    )


async def _keep_plan(
    uow: UnitOfWork, user_id: int, reflection: Reflection, contact: Contact, answers: rules.Answers
) -> list[str]:
    """Keep the plan; referrals become contacts. Returns the people not added because the list is full."""
    over_limit = []
    for item in rules.build_plan(answers, contact.name):
        linked = None
        if item.referral is not None:
            added = await add_referral(uow, user_id, contact.id, item.referral.name, item.referral.company)
            linked = added.new_id or None
            if added.limit_reached:
                over_limit.append(_who(item.referral))
        uow.reflections.add_item(user_id, reflection.id, kind=item.kind.value, text=item.text, contact_id=linked)
    return over_limit


async def _plan_thank_you(uow: UnitOfWork, user: User, contact: Contact, now: datetime) -> None:
    """One reminder if no thank-you is logged within 24 hours of the meeting (settling plans it too)."""
    if contact.thanked_at is not None:
        return
    met = contact.met_at or now
    await uow.nudges.schedule(
        user_id=user.id, kind=NudgeKind.THANK_YOU, subject=str(contact.id),
        due_at=max(thank_you_due(met, clock_of(user)), now), dedup_key=thank_you_key(contact.id, met),
    )  # fmt: skip


async def moved_by_hand(uow: UnitOfWork, user_id: int, contact: Contact, now: datetime) -> None:
    """A stage set on the card means what the buttons mean: met starts the thank-you clock, thanked plans
    the report back, keeping in touch starts the cadence. Moving back to met undoes the thank-you."""
    user = await uow.users.get(user_id)
    if user is None:
        return
    if contact.stage == Stage.MET:
        if contact.thanked_at is not None:
            contact.thanked_at = None
            await uow.nudges.cancel_about(user_id, str(contact.id), TOUCH_KINDS)
        contact.met_at = contact.last_touch_at = now
        await _plan_thank_you(uow, user, contact, now)
    elif contact.stage == Stage.THANKED:
        await mark_thanked(uow, user_id, contact.id, now)
    elif contact.stage == Stage.KEEPING_IN_TOUCH:
        await log_touch(uow, user_id, contact.id, now)


# The thank-you, the report back and the cadence -----------------------------------------------------------


@dataclass(frozen=True)
class Touched:
    """An interaction logged: the contact's name and when the next nudge about them comes (None: stopped)."""

    contact_name: str = ""
    next_due: datetime | None = None
    next_kind: str = ""
    zone: str = "UTC"
    already: bool = False
    missing: bool = False
    archived: bool = False  # an old card's button: the contact has been archived since


async def _touchable(uow: UnitOfWork, user_id: int, contact_id: int) -> tuple[Contact, User] | Touched:
    """The contact (by id and owner) and the user, or why nothing may change: gone, or archived since."""
    contact = await uow.contacts.get_owned(contact_id, user_id)
    user = await uow.users.get(user_id)
    if contact is None or user is None:
        return Touched(missing=True)
    if contact.archived:
        return Touched(contact.name, archived=True)
    return contact, user


async def mark_thanked(uow: UnitOfWork, user_id: int, contact_id: int, now: datetime) -> Touched:
    """The thank-you went out (once): the 24-hour nudge goes, and the report back is planned."""
    found = await _touchable(uow, user_id, contact_id)
    if isinstance(found, Touched):
        return found
    contact, user = found
    clock = clock_of(user)
    if contact.thanked_at is not None:
        return Touched(contact.name, zone=clock.zone, already=True)
    contact.thanked_at, contact.last_touch_at = now, now
    if contact.stage in (Stage.MET, Stage.SCHEDULED, Stage.REQUESTED, Stage.FOLLOWED_UP):
        contact.stage = Stage.THANKED
    await uow.nudges.settle_about(user_id, str(contact.id), (NudgeKind.THANK_YOU,), now)
    if contact.touch_stopped:
        return Touched(contact.name, zone=clock.zone)
    due = touch.report_back_due(now, timedelta(days=user.report_back_days), clock.zone, clock.quiet)
    await uow.nudges.schedule(
        user_id=user_id, kind=NudgeKind.REPORT_BACK, subject=str(contact.id), due_at=due,
        dedup_key=f"report_back:{contact.id}:{now:%Y%m%d%H%M}",
    )  # fmt: skip
    return Touched(contact.name, due, NudgeKind.REPORT_BACK, clock.zone)


def cadence_of(contact: Contact, user: User) -> touch.Cadence | None:
    return touch.Cadence.of(
        contact.touch_days, user.touch_ideal_days, user.touch_max_days, stopped=contact.touch_stopped
    )


async def log_touch(uow: UnitOfWork, user_id: int, contact_id: int, now: datetime) -> Touched:
    """Any interaction with the contact: the keep-in-touch clock starts again from now."""
    found = await _touchable(uow, user_id, contact_id)
    if isinstance(found, Touched):
        return found
    contact, user = found
    contact.last_touch_at = now
    if contact.stage in (Stage.MET, Stage.THANKED):
        contact.stage = Stage.KEEPING_IN_TOUCH
    # Reminders already sent are answered by this; a report back still to come stays planned.
    await uow.nudges.settle_about(user_id, str(contact.id), (NudgeKind.KEEP_IN_TOUCH,), now)
    await uow.nudges.done_about(user_id, str(contact.id), (NudgeKind.REPORT_BACK,), now)
    return await _plan_touch(uow, user, contact, now)


async def _plan_touch(uow: UnitOfWork, user: User, contact: Contact, now: datetime) -> Touched:
    """The next keep-in-touch reminder, unless the report back is still to come (it goes first)."""
    clock = clock_of(user)
    cadence = cadence_of(contact, user)
    if cadence is None or contact.archived or contact.stage == Stage.CLOSED:
        return Touched(contact.name, zone=clock.zone)
    report_back = await uow.nudges.pending_about(user.id, str(contact.id), NudgeKind.REPORT_BACK)
    if report_back is not None:
        return Touched(contact.name, report_back.due_at, NudgeKind.REPORT_BACK, clock.zone)
    due = touch.next_touch(contact.last_touch_at or now, cadence, now, clock.zone, clock.quiet)
    await uow.nudges.schedule(
        user_id=user.id, kind=NudgeKind.KEEP_IN_TOUCH, subject=str(contact.id), due_at=due.due,
        dedup_key=f"keep_in_touch:{contact.id}:{due.due:%Y%m%d}",
    )  # fmt: skip
    return Touched(contact.name, due.due, NudgeKind.KEEP_IN_TOUCH, clock.zone)


async def touch_nudge_sent(uow: UnitOfWork, user_id: int, contact_id: int, now: datetime) -> None:
    """A keep-in-touch nudge went out: plan the next (the maximum, then the ideal again) unless one is logged."""
    contact = await uow.contacts.get_owned(contact_id, user_id)
    user = await uow.users.get(user_id)
    if contact is not None and user is not None:
        await _plan_touch(uow, user, contact, now + timedelta(minutes=1))


async def set_cadence(uow: UnitOfWork, user_id: int, contact_id: int, days: int | None, now: datetime) -> Touched:
    """Their own period (``days``), the user's default (0), or stop (None). Pending nudges follow at once."""
    found = await _touchable(uow, user_id, contact_id)
    if isinstance(found, Touched):
        return found
    contact, user = found
    contact.touch_stopped = days is None
    contact.touch_days = days or None
    stopping = TOUCH_KINDS if days is None else (NudgeKind.KEEP_IN_TOUCH,)
    await uow.nudges.cancel_about(user_id, str(contact.id), stopping)
    if days is None:
        return Touched(contact.name, zone=clock_of(user).zone)
    contact.last_touch_at = contact.last_touch_at or contact.met_at or now
    return await _plan_touch(uow, user, contact, now)


# Not now: a gentle re-ask, weeks later -----------------------------------------------------------------------


async def reasked(uow: UnitOfWork, user_id: int, contact_id: int, now: datetime) -> Touched:
    """The re-ask went out: it is a new request, so the follow-up clock starts again."""
    found = await _touchable(uow, user_id, contact_id)
    if isinstance(found, Touched):
        return found
    contact, user = found
    if contact.reply != Reply.NOT_NOW:
        return Touched(contact.name, already=True)
    effect = on_sent(DraftKind.EMAIL, state_of(contact), contact_id=contact.id, draft_id=0, now=now,
                     clock=clock_of(user), max_follow_ups=user.max_follow_ups)  # fmt: skip
    contact.stage, contact.follow_ups_sent, contact.request_sent_at = effect.stage, 0, now
    contact.replied_at, contact.reply, contact.booster, contact.last_touch_at = None, None, False, now
    await uow.nudges.settle_about(user_id, str(contact.id), (NudgeKind.NOT_NOW,), now)
    await stop_clock(uow, user_id, contact.id, now)
    await schedule_plans(uow, user_id, contact.id, effect.plans)
    return Touched(contact.name, zone=clock_of(user).zone)


# The notes ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    draft: Draft | None = None
    contact_name: str = ""
    sent: bool = False  # the thank-you is logged already
    missing: bool = False


async def note_for(uow: UnitOfWork, user_id: int, contact_id: int, kind: DraftKind) -> Note:
    """The thank-you, report-back, keep-in-touch or re-ask note for a contact, from what is stored."""
    contact = await uow.contacts.get_owned(contact_id, user_id)
    user = await uow.users.get(user_id)
    if contact is None or user is None or kind not in NOTE_KINDS:
        return Note(missing=True)
    sender = user.name or ""
    reflection = await uow.reflections.latest_for_contact(contact.id, user_id)
    answers = answers_of(reflection) if reflection else rules.Answers()
    if kind is DraftKind.THANK_YOU:
        draft = rules.thank_you_note(sender, contact.name, answers)
        return Note(draft, contact.name, sent=contact.thanked_at is not None)
    if kind is DraftKind.REPORT_BACK:
        done = await _done_clauses(uow, user_id, reflection)
        return Note(touch.report_back_note(sender, contact.name, done, contact.offer), contact.name)
    if kind is DraftKind.KEEP_IN_TOUCH:
        return Note(touch.keep_in_touch_note(sender, contact.name, contact.offer), contact.name)
    if contact.reply != Reply.NOT_NOW:
        return Note(None, contact.name, sent=True)
    asked = contact.replied_at or contact.updated_at
    return Note(touch.not_now_note(sender, contact.name, asked, clock_of(user).zone), contact.name)


async def _done_clauses(uow: UnitOfWork, user_id: int, reflection: Reflection | None) -> list[str]:
    """What the user did of the plan, as clauses for the report back."""
    if reflection is None:
        return []
    clauses = []
    for item in await uow.reflections.items_of(reflection.id, user_id):
        if item.done_at is None:
            continue
        if item.kind == rules.PlanKind.RESUME:
            clauses.append("I reworked my résumé and pitch along the lines you suggested")
        elif item.kind == rules.PlanKind.REACH and item.contact_id:
            referred = await uow.contacts.get_owned(item.contact_id, user_id)
            if referred is not None:
                clauses.append(f"I got in touch with {referred.name}, as you suggested")
    return clauses[:3]


async def note_sent(uow: UnitOfWork, user_id: int, contact_id: int, kind: DraftKind, now: datetime) -> Touched:
    """ "I sent it" under a note: a thank-you, a re-ask (a new request), or any other interaction."""
    if kind is DraftKind.THANK_YOU:
        return await mark_thanked(uow, user_id, contact_id, now)
    if kind is DraftKind.NOT_NOW:
        return await reasked(uow, user_id, contact_id, now)
    if kind is DraftKind.REPORT_BACK:  # reported back already: the reminder to do so is moot
        await uow.nudges.cancel_about(user_id, str(contact_id), (NudgeKind.REPORT_BACK,))
    return await log_touch(uow, user_id, contact_id, now)


# The plan ------------------------------------------------------------------------------------------------


async def plan_done(uow: UnitOfWork, user_id: int, item_id: int, now: datetime) -> str | None:
    """Tick a plan item off (once). Its text, or None when it is not the user's or done already."""
    item = await uow.reflections.item_owned(item_id, user_id)
    if item is None or item.done_at is not None:
        return None
    item.done_at = now
    return item.text


async def open_plan(uow: UnitOfWork, user_id: int) -> list[tuple[int, str, str]]:
    """Plan items not done yet: (id, kind, text), oldest first."""
    return [(i.id, i.kind, i.text) for i in await uow.reflections.open_items(user_id)]


async def thanks_owed(uow: UnitOfWork, user_id: int, contacts: list | None = None) -> list[tuple[int, str]]:
    """Contacts met and not thanked yet (among ``contacts`` when the caller has them loaded already)."""
    contacts = await uow.contacts.all_of(user_id) if contacts is None else contacts
    return [(c.id, c.name) for c in contacts if c.stage == Stage.MET and not c.thanked_at]


# Cadence on the card -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CadenceView:
    contact_name: str
    days: int | None  # their own period; None: the user's default
    stopped: bool
    default_days: int


async def cadence_view(uow: UnitOfWork, user_id: int, contact_id: int) -> CadenceView | None:
    contact = await uow.contacts.get_owned(contact_id, user_id)
    user = await uow.users.get(user_id)
    if contact is None or user is None:
        return None
    return CadenceView(contact.name, contact.touch_days, contact.touch_stopped, user.touch_ideal_days)


# Insights and progress -----------------------------------------------------------------------------------


async def progress_of(uow: UnitOfWork, user: User, now: datetime) -> insights.Progress:
    """The funnel and conversations per week, from the user's own records."""
    return progress_from(user, await uow.contacts.all_of(user.id, archived=None), now)


def progress_from(user: User, contacts: Sequence[Contact], now: datetime) -> insights.Progress:
    """``progress_of`` from the user's contacts, archived ones too, loaded already (the dispatcher loads a batch)."""
    funnel = insights.Funnel(
        contacts=len(contacts),
        requests=sum(c.request_sent_at is not None for c in contacts),
        replies=sum(c.replied_at is not None and c.reply != Reply.NONE for c in contacts),
        meetings=sum(c.met_at is not None for c in contacts),
        referrals=sum(c.referred_by_id is not None for c in contacts),
    )
    met = [c.met_at for c in contacts if c.met_at is not None]
    weeks = insights.weekly_conversations(met, now, clock_of(user).zone)
    return insights.Progress(funnel, weeks, weekly_target(profile_of(user).goal))


@dataclass(frozen=True)
class Insights:
    html: str
    progress: insights.Progress | None = None


async def insights_of(uow: UnitOfWork, user_id: int, now: datetime) -> Insights:
    """What the user has learned across their conversations, and the numbers for the progress chart."""
    user = await uow.users.get(user_id)
    if user is None:
        return Insights("")
    names = {c.id: c.name for c in await uow.contacts.all_of(user_id, archived=None)}
    zone = ZoneInfo(clock_of(user).zone)
    notes = [
        insights.Note((r.finished_at or now).astimezone(zone), names.get(r.contact_id, ""), answers_of(r))
        for r in await uow.reflections.finished(user_id)
    ]
    progress = await progress_of(uow, user, now)
    return Insights(insights.render_insights(notes, progress), progress)
