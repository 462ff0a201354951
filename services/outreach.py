"""Outreach: drafting requests, "I sent it" and the follow-up clock, replies and referrals.

Every function checks the contact's current state through coaching.outreach before changing it, so
an old or repeated button press that is no longer allowed changes nothing and says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from coaching.contacts import MAX_CONTACTS, duplicate_key, is_second_person
from coaching.drafts import REQUEST_KINDS, Draft, DraftKind, FollowUpContext, Recipient, Sender, compose, shorten
from coaching.enums import NudgeKind, Reply, Stage
from coaching.followup import CLOCK_KINDS, is_booster
from coaching.keep_in_touch import not_now_due
from coaching.outreach import (
    ContactState,
    NudgePlan,
    Refusal,
    clock_still_running,
    may_draft,
    may_log_reply,
    on_sent,
    stage_after_reply,
)
from coaching.templates import propose_slots, reply_to_yes
from services.users import clock_of
from storage.models import Contact, DraftRecord, User
from storage.uow import UnitOfWork


def version_of(contact: Contact) -> int:
    """Which state of the contact a card or button showed: its last change, to the millisecond.

    Buttons that change a contact carry it, so a button from a view drawn before a later change
    (an old move menu, an earlier Archive) changes nothing. Flush first: the change stamps it.
    """
    return int(contact.updated_at.timestamp() * 1000)


def state_of(contact: Contact) -> ContactState:
    reply = Reply(contact.reply) if contact.reply else None
    return ContactState(Stage(contact.stage), reply, contact.follow_ups_sent, contact.archived)


async def schedule_plans(uow: UnitOfWork, user_id: int, contact_id: int, plans: tuple[NudgePlan, ...]) -> None:
    for plan in plans:
        await uow.nudges.schedule(
            user_id=user_id, kind=plan.kind, subject=str(contact_id), due_at=plan.due_at, dedup_key=plan.dedup_key
        )


async def stop_clock(uow: UnitOfWork, user_id: int, contact_id: int, now: datetime) -> None:
    """Cancel the contact's planned clock nudges and clear the sent ones from /today."""
    await uow.nudges.settle_about(user_id, str(contact_id), CLOCK_KINDS, now)


# Drafts ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftResult:
    """A stored draft to show, or why there is none (``missing``: no such contact; ``refusal``)."""

    draft: Draft | None = None
    draft_id: int = 0
    contact_name: str = ""
    missing: bool = False
    needs_profile: bool = False
    refusal: Refusal | None = None
    unchanged: bool = False  # nothing more to trim or vary


def _sender(user: User) -> Sender:
    return Sender(name=user.name or "", field=user.field or "your field", stage=user.stage, roles=user.roles)


def _recipient(contact: Contact) -> Recipient:
    return Recipient(
        contact.name, contact.company, contact.role, contact.relation, contact.via,
        source=contact.source, why_them=contact.why_them, offer=contact.offer,
    )  # fmt: skip


async def _follow_up_context(uow: UnitOfWork, user_id: int, contact: Contact, now: datetime) -> FollowUpContext:
    """How the request went out (its channel and subject) and how long ago the last message did."""
    sent = await uow.drafts.sent_for(contact.id, user_id)
    requests = [d for d in sent if d.kind in REQUEST_KINDS]
    request = requests[-1] if requests else None
    last = sent[-1].sent_at if sent else None
    days = (now - last).days if last else 7
    channel = DraftKind(request.kind) if request else DraftKind.EMAIL
    return FollowUpContext(channel, max(days, 0), contact.follow_ups_sent + 1, request.subject if request else None)


async def compose_draft(
    uow: UnitOfWork,
    user_id: int,
    contact_id: int,
    kind: DraftKind,
    now: datetime,
    *,
    variant: int | None = None,
    short: bool = False,
    body: str | None = None,
) -> DraftResult:
    """Compose a draft (or keep the user's own ``body``) for a contact whose state allows it, and store it."""
    contact = await uow.contacts.get_owned(contact_id, user_id)
    user = await uow.users.get(user_id)
    if contact is None or user is None:
        return DraftResult(missing=True)
    if not (user.name and user.field):
        return DraftResult(needs_profile=True)
    refusal = may_draft(kind, state_of(contact), max_follow_ups=user.max_follow_ups)
    if refusal is not None:
        return DraftResult(contact_name=contact.name, refusal=refusal)
    if variant is None:
        variant = contact_id + await uow.drafts.count_for(contact_id)  # rotate phrasings per person
    follow_up = await _follow_up_context(uow, user_id, contact, now) if kind not in REQUEST_KINDS else None
    draft = compose(kind, _sender(user), _recipient(contact), variant=variant, short=short, follow_up=follow_up)
    if body is not None:
        draft = Draft(kind, body, None)
    return await _store(uow, user_id, contact, draft, variant=variant, short=short, edited=body is not None)


async def _store(uow: UnitOfWork, user_id: int, contact: Contact, draft: Draft, **fields: object) -> DraftResult:
    record = uow.drafts.add(
        user_id, contact.id, kind=draft.kind.value, subject=draft.subject, body=draft.body, **fields
    )
    await uow.session.flush()
    return DraftResult(draft=draft, draft_id=record.id, contact_name=contact.name)


async def rework_draft(uow: UnitOfWork, user_id: int, draft_id: int, how: str, now: datetime) -> DraftResult:
    """Shorter ("short") or Another version ("another") of a draft; each always changes something.

    Shorter trims the user's own words when they edited the draft; it never swaps in a template.
    """
    record = await uow.drafts.get_owned(draft_id, user_id)
    if record is None:
        return DraftResult(missing=True)
    kind = DraftKind(record.kind)
    if how == "short" and record.edited:
        trimmed = shorten(record.body)
        contact = await uow.contacts.get_owned(record.contact_id, user_id)
        if contact is None:
            return DraftResult(missing=True)
        if trimmed == record.body:
            return DraftResult(contact_name=contact.name, unchanged=True)
        return await _store(uow, user_id, contact, Draft(kind, trimmed, record.subject),
                            variant=record.variant, short=True, edited=True)  # fmt: skip
    current = record.body
    for step in range(0 if how == "short" else 1, 7):
        result = await compose_draft(
            uow, user_id, record.contact_id, kind, now,
            variant=record.variant + step, short=how == "short" or record.short,
        )  # fmt: skip
        if result.draft is None or result.draft.body != current:
            return result
        await _discard(uow, user_id, result.draft_id)
    return DraftResult(contact_name=result.contact_name, unchanged=True)


async def _discard(uow: UnitOfWork, user_id: int, draft_id: int) -> None:
    record = await uow.drafts.get_owned(draft_id, user_id)
    if record is not None:
        await uow.session.delete(record)
        await uow.session.flush()


async def save_why_them(uow: UnitOfWork, user_id: int, contact_id: int, why: str) -> bool:
    """What about their work made the user think of them: kept on the card, used by every draft."""
    contact = await uow.contacts.get_owned(contact_id, user_id)
    if contact is None:
        return False
    contact.why_them = why
    return True


async def has_profile(uow: UnitOfWork, user_id: int) -> bool:
    """Drafts are written from the profile: a name and a field at least."""
    user = await uow.users.get(user_id)
    return bool(user and user.name and user.field)


async def strict_drafts(uow: UnitOfWork, user_id: int) -> bool:
    user = await uow.users.get(user_id)
    return bool(user and user.strict_drafts)


async def get_draft(uow: UnitOfWork, user_id: int, draft_id: int) -> DraftRecord | None:
    return await uow.drafts.get_owned(draft_id, user_id)


# "I sent it" -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentResult:
    kind: DraftKind | None = None
    contact_id: int = 0
    contact_name: str = ""
    zone: str = "UTC"
    plans: tuple[NudgePlan, ...] = ()
    follow_ups_left: bool = True
    missing: bool = False
    refusal: Refusal | None = None


async def mark_sent(uow: UnitOfWork, user_id: int, draft_id: int, now: datetime) -> SentResult:
    """Record a send once, move the contact on, and plan the clock's next nudges."""
    draft = await uow.drafts.get_owned(draft_id, user_id)
    contact = await uow.contacts.get_owned(draft.contact_id, user_id) if draft else None
    user = await uow.users.get(user_id)
    if draft is None or contact is None or user is None:
        return SentResult(missing=True)
    kind = DraftKind(draft.kind)
    refused = partial(SentResult, kind=kind, contact_id=contact.id, contact_name=contact.name)
    if draft.sent_at is not None:
        return refused(refusal=Refusal.ALREADY_SENT)
    state = state_of(contact)
    refusal = may_draft(kind, state, max_follow_ups=user.max_follow_ups)
    if refusal is not None:
        return refused(refusal=refusal)
    clock = clock_of(user)
    effect = on_sent(
        kind, state, contact_id=contact.id, draft_id=draft.id, now=now, clock=clock, max_follow_ups=user.max_follow_ups
    )
    draft.sent_at = now
    contact.stage, contact.follow_ups_sent = effect.stage, effect.follow_ups_sent
    if effect.starts_request:
        contact.request_sent_at = now
        contact.replied_at, contact.reply, contact.booster = None, None, False
    if effect.closes_clock:
        contact.reply = contact.reply or Reply.NONE
        await stop_clock(uow, user_id, contact.id, now)
    await schedule_plans(uow, user_id, contact.id, effect.plans)
    return SentResult(
        kind=kind,
        contact_id=contact.id,
        contact_name=contact.name,
        zone=clock.zone,
        plans=effect.plans,
        follow_ups_left=user.max_follow_ups > effect.follow_ups_sent,
    )


# Replies and referrals ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyResult:
    answer: Reply
    contact_id: int = 0
    contact_name: str = ""
    booster: bool = False
    missing: bool = False
    refusal: Refusal | None = None
    version: int = 0  # of the contact after the reply (see version_of)


async def log_reply(uow: UnitOfWork, user_id: int, contact_id: int, answer: Reply, now: datetime) -> ReplyResult:
    """Record how the contact answered (once) and stop their clock."""
    contact = await uow.contacts.get_owned(contact_id, user_id)
    user = await uow.users.get(user_id)
    if contact is None or user is None:
        return ReplyResult(answer, missing=True)
    state = state_of(contact)
    refusal = may_log_reply(answer, state)
    if refusal is not None:
        return ReplyResult(answer, contact.id, contact.name, refusal=refusal)
    contact.replied_at, contact.reply = now, answer.value
    contact.booster = answer is Reply.YES and is_booster(contact.request_sent_at, now, clock_of(user))
    contact.stage = stage_after_reply(answer, state)
    await stop_clock(uow, user_id, contact.id, now)
    if answer is Reply.NOT_NOW:  # a gentle re-ask, weeks later, that refers back to their answer
        clock = clock_of(user)
        due = not_now_due(now, timedelta(days=user.not_now_days), clock.zone, clock.quiet)
        await uow.nudges.schedule(
            user_id=user_id, kind=NudgeKind.NOT_NOW, subject=str(contact.id), due_at=due,
            dedup_key=f"{NudgeKind.NOT_NOW}:{contact.id}:{now:%Y%m%d%H%M}",
        )  # fmt: skip
    await uow.session.flush()
    return ReplyResult(answer, contact.id, contact.name, booster=contact.booster, version=version_of(contact))


async def answer_to_yes(uow: UnitOfWork, user_id: int, contact_id: int, now: datetime) -> Draft | None:
    """A reply draft for someone who said yes: thanks and two or three concrete times."""
    contact = await uow.contacts.get_owned(contact_id, user_id)
    user = await uow.users.get(user_id)
    if contact is None or user is None or not user.name:
        return None
    clock = clock_of(user)
    return reply_to_yes(_sender(user), _recipient(contact), propose_slots(now, clock.zone, clock.holidays))


async def contact_awaiting_reply(uow: UnitOfWork, user_id: int, contact_id: int) -> tuple[str | None, Refusal | None]:
    """For "They replied": the contact's name, and why a reply can't be logged now (if so)."""
    contact = await uow.contacts.get_owned(contact_id, user_id)
    if contact is None:
        return None, None
    return contact.name, may_log_reply(Reply.YES, state_of(contact))


@dataclass(frozen=True)
class ReferralResult:
    referrer_name: str = ""
    new_id: int = 0
    duplicate: bool = False
    missing: bool = False
    limit_reached: bool = False  # the list is full (MAX_CONTACTS): nobody was added


async def add_referral(
    uow: UnitOfWork, user_id: int, referrer_id: int, name: str, company: str | None
) -> ReferralResult:
    """The person a contact referred the user to, linked to them (once, even if sent twice)."""
    referrer = await uow.contacts.get_owned(referrer_id, user_id)
    if referrer is None:
        return ReferralResult(missing=True)
    key = duplicate_key(name, company)
    for other in await uow.contacts.all_of(user_id):
        if duplicate_key(other.name, other.company) == key:
            return ReferralResult(referrer.name, other.id, duplicate=True)
    if await uow.contacts.count(user_id) >= MAX_CONTACTS:
        return ReferralResult(referrer.name, limit_reached=True)
    new = uow.contacts.add(
        user_id,
        name=name,
        company=company,
        relation="fof",
        via=referrer.name,
        referred_by_id=referrer.id,
        source="referral",
        stage=Stage.READY,
    )
    await uow.session.flush()
    return ReferralResult(referrer.name, new.id)


async def second_people(
    uow: UnitOfWork, user_id: int, contact_id: int
) -> tuple[str | None, list[tuple[int, str]]] | None:
    """Others at the same employer who haven't been asked yet: (company, [(id, name)]), or None if not found."""
    contact = await uow.contacts.get_owned(contact_id, user_id)
    if contact is None:
        return None
    others = [
        c
        for c in await uow.contacts.all_of(user_id)
        if c.id != contact.id
        and is_second_person((contact.employer_id, contact.company), (c.employer_id, c.company, c.stage))
    ]
    return contact.company, [(c.id, c.name) for c in others]


async def contacts_to_ask(uow: UnitOfWork, user_id: int) -> list[tuple[int, str]]:
    """People not asked yet, ready ones first, as (id, "Name · Company")."""
    contacts = [c for c in await uow.contacts.all_of(user_id) if c.stage in (Stage.READY, Stage.RESEARCH)]
    contacts.sort(key=lambda c: (c.stage != Stage.READY, c.name.lower()))
    return [(c.id, c.name + (f" · {c.company}" if c.company else "")) for c in contacts]


async def contact_brief(uow: UnitOfWork, user_id: int, contact_id: int) -> Contact | None:
    return await uow.contacts.get_owned(contact_id, user_id)


# Stage moves by hand -------------------------------------------------------------------------------------


async def after_stage_change(uow: UnitOfWork, user_id: int, contact: Contact, now: datetime) -> None:
    """A contact moved out of the waiting stages (by hand, archive): the clock has nothing left to say."""
    if contact.archived or not clock_still_running(Stage(contact.stage)):
        await stop_clock(uow, user_id, contact.id, now)
