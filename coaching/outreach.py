"""The outreach state machine: which drafts, sends and replies a contact's current state allows,
and the nudges each transition plans. Pure: states and times in, decisions and plans out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from coaching.drafts import REQUEST_KINDS, DraftKind
from coaching.enums import Reply, Stage
from coaching.followup import after_follow_up, intro_clock, may_follow_up, request_clock
from coaching.nudges import UserClock

# Stages from which a first request (or an introduction) may still go out.
_NOT_YET_ASKED = (Stage.RESEARCH, Stage.READY)
_WAITING = (Stage.REQUESTED, Stage.FOLLOWED_UP)


@dataclass(frozen=True)
class ContactState:
    """What the rules need to know about a contact."""

    stage: Stage
    reply: Reply | None = None
    follow_ups_sent: int = 0
    archived: bool = False

    @property
    def awaiting_reply(self) -> bool:
        return self.stage in _WAITING and self.reply is None


class Refusal(StrEnum):
    """Why an action is no longer allowed; each has a kind sentence in coaching.copy."""

    ALREADY_SENT = "already_sent"
    ALREADY_ASKED = "already_asked"
    ALREADY_REPLIED = "already_replied"
    NOT_WAITING = "not_waiting"
    NO_MORE_FOLLOW_UPS = "no_more_follow_ups"
    ARCHIVED = "archived"
    PAST_THAT = "past_that"


def may_draft(kind: DraftKind, state: ContactState, *, max_follow_ups: int) -> Refusal | None:
    """None when a draft of ``kind`` makes sense for a contact in ``state``; otherwise why not."""
    if state.archived:
        return Refusal.ARCHIVED
    if kind in REQUEST_KINDS:
        if kind is DraftKind.INTRO or state.stage is not Stage.INTRO_REQUESTED:
            if state.stage in _WAITING:
                return Refusal.ALREADY_ASKED
            if state.stage not in _NOT_YET_ASKED:
                return Refusal.PAST_THAT
        return None
    if kind is DraftKind.FOLLOW_UP:
        if not state.awaiting_reply:
            return Refusal.NOT_WAITING if state.reply is None else Refusal.ALREADY_REPLIED
        return None if may_follow_up(state.follow_ups_sent, max_follow_ups) else Refusal.NO_MORE_FOLLOW_UPS
    # The closing note: to someone who never answered, while waiting or once closed for it.
    silent = state.reply in (None, Reply.NONE)
    return None if silent and state.stage in (*_WAITING, Stage.CLOSED) else Refusal.ALREADY_REPLIED


@dataclass(frozen=True)
class NudgePlan:
    """A nudge to schedule: kind, due time (UTC) and the key that makes scheduling it idempotent."""

    kind: str  # a NudgeKind value
    due_at: datetime
    dedup_key: str


@dataclass(frozen=True)
class SendEffect:
    """What "I sent it" does to the contact, and the nudges it plans."""

    stage: Stage
    follow_ups_sent: int
    plans: tuple[NudgePlan, ...]
    starts_request: bool = False  # a first request: the reply clock starts now
    closes_clock: bool = False  # the closing note: cancel whatever the clock still had planned


def on_sent(
    kind: DraftKind,
    state: ContactState,
    *,
    contact_id: int,
    draft_id: int,
    now: datetime,
    clock: UserClock,
    max_follow_ups: int,
) -> SendEffect:
    """The transition for a send that ``may_draft`` allowed."""
    if kind is DraftKind.INTRO:
        plans = tuple(NudgePlan(k, due, f"{k}:{contact_id}:i{draft_id}") for k, due in intro_clock(now, clock))
        return SendEffect(Stage.INTRO_REQUESTED, state.follow_ups_sent, plans)
    if kind is DraftKind.FOLLOW_UP:
        return follow_up_logged(state, contact_id=contact_id, now=now, clock=clock, max_follow_ups=max_follow_ups)
    if kind is DraftKind.CLOSING:
        return SendEffect(Stage.CLOSED, state.follow_ups_sent, (), closes_clock=True)
    plans = tuple(
        NudgePlan(k, due, f"{k}:{contact_id}:r{draft_id}")
        for k, due in request_clock(now, clock, max_follow_ups=max_follow_ups)
    )
    return SendEffect(Stage.REQUESTED, 0, plans, starts_request=True)


def follow_up_logged(
    state: ContactState, *, contact_id: int, now: datetime, clock: UserClock, max_follow_ups: int
) -> SendEffect:
    """A follow-up went out (by "I sent it" on its draft, or Done on its reminder): count it, plan what's next."""
    sent = state.follow_ups_sent + 1
    kind, due = after_follow_up(now, clock, follow_ups_sent=sent, max_follow_ups=max_follow_ups)
    return SendEffect(Stage.FOLLOWED_UP, sent, (NudgePlan(kind, due, f"{kind}:{contact_id}:f{sent}"),))


def may_log_reply(answer: Reply, state: ContactState) -> Refusal | None:
    """A reply can be logged once: while waiting, or late, after the clock closed the contact."""
    # Not yet asked through the bot counts too: the user may have written to them some other way.
    if state.reply is None and state.stage in (*_NOT_YET_ASKED, *_WAITING, Stage.INTRO_REQUESTED):
        return None
    if state.reply is Reply.NONE and state.stage is Stage.CLOSED:
        return None
    return Refusal.ALREADY_REPLIED if state.reply is not None else Refusal.NOT_WAITING


def stage_after_reply(answer: Reply, state: ContactState) -> Stage:
    if answer is Reply.NOT_NOW:
        return Stage.KEEPING_IN_TOUCH
    if answer is Reply.NO:
        return Stage.CLOSED
    # Yes or a referral: a late answer re-opens the conversation; otherwise the stage stays.
    reopened = (Stage.CLOSED, Stage.INTRO_REQUESTED, *_NOT_YET_ASKED)
    return Stage.REQUESTED if state.stage in reopened else state.stage


def clock_still_running(stage: Stage) -> bool:
    """Stages in which the follow-up clock's nudges still make sense; moving elsewhere stops it."""
    return stage in (*_WAITING, Stage.INTRO_REQUESTED)


def waiting_for_reply(state: ContactState) -> bool:
    """Asked (or introduced) and no answer logged yet: the card offers "They replied"."""
    return state.reply is None and state.stage in (*_WAITING, Stage.INTRO_REQUESTED)


def offered_kinds(*, has_mutual_contact: bool) -> tuple[DraftKind, ...]:
    """The channels a first request can take; an introduction needs someone to introduce the user."""
    return tuple(kind for kind in REQUEST_KINDS if kind is not DraftKind.INTRO or has_mutual_contact)
