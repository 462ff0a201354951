"""The typed states and statuses of the method, shared by every layer (storage stores their values)."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """Where a contact stands in the user's pipeline."""

    RESEARCH = "research"
    READY = "ready"
    INTRO_REQUESTED = "intro_requested"  # a mutual contact was asked to introduce the user
    REQUESTED = "requested"
    FOLLOWED_UP = "followed_up"
    SCHEDULED = "scheduled"
    MET = "met"
    THANKED = "thanked"
    KEEPING_IN_TOUCH = "in_touch"
    CLOSED = "closed"


class Reply(StrEnum):
    YES = "yes"
    NOT_NOW = "not_now"
    NO = "no"
    REFERRED = "referred"
    NONE = "none"  # no reply after the allowed follow-ups: closed by the clock


class NudgeKind(StrEnum):
    DIGEST = "digest"  # the weekly summary, on the user's chosen weekday morning
    FIRST_LIST = "first_list"  # the business day after onboarding: have you listed five people?
    SECOND_PERSON = "second_person"  # day 3 of the clock: ask someone else at the same employer
    FOLLOW_UP = "follow_up"  # day 7: one polite follow-up
    CLOSE = "close_silent"  # after the last allowed follow-up: close as "no response"
    INTRO_FOLLOW_UP = "intro_follow_up"  # a week after asking a mutual contact for an introduction
    PREP_DAY_BEFORE = "prep_day"  # the evening before a meeting: the prep pack, and confirm the time
    PREP_HOUR_BEFORE = "prep_hour"  # an hour before: the questions and the pitch on one screen
    REFLECT = "reflect"  # about an hour after the meeting's end: did it happen, and how did it go?
    THANK_YOU = "thank_you"  # no thank-you sent within 24 hours of the meeting
    REPORT_BACK = "report_back"  # weeks after the thank-you: tell them what you did with their advice
    KEEP_IN_TOUCH = "keep_in_touch"  # the cadence: time for a short, friendly note
    NOT_NOW = "not_now"  # they said "not now": a gentle re-ask, weeks later


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    HAPPENED = "happened"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class NudgeStatus(StrEnum):
    """pending -> sending (claimed, with a lease) -> sent, or failed / cancelled."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class DraftKind(StrEnum):
    EMAIL = "email"
    LINKEDIN_NOTE = "li_note"
    LINKEDIN_MESSAGE = "li_msg"
    PHONE = "phone"
    INTRO = "intro"
    FOLLOW_UP = "follow_up"
    CLOSING = "closing"
    THANK_YOU = "thank_you"
    REPORT_BACK = "report_back"
    KEEP_IN_TOUCH = "in_touch"
    NOT_NOW = "not_now"  # the gentle re-ask after "not now"


# First requests, one per channel (follow-ups and closing notes come later in the clock).
REQUEST_KINDS = (DraftKind.EMAIL, DraftKind.LINKEDIN_NOTE, DraftKind.LINKEDIN_MESSAGE, DraftKind.PHONE, DraftKind.INTRO)
# What coaching.templates.compose writes; the notes after a meeting come from coaching.reflection and keep_in_touch.
COMPOSED_KINDS = (*REQUEST_KINDS, DraftKind.FOLLOW_UP, DraftKind.CLOSING)
