"""Keeping in touch after the thank-you: the report back, the cadence clock, the not-now re-ask, and their notes.

The cadence has an ideal period and a maximum. The first nudge comes at the ideal period after the last
interaction; if nothing is logged by then, one more comes at the maximum; after that the clock starts
again from the ideal period, so a quiet contact is never nagged more than that. Any interaction resets it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from coaching import defaults
from coaching.enums import DraftKind
from coaching.schedule import MORNING, QuietHours, local_moment, next_allowed
from coaching.templates import Draft, salutation

DEFAULT_QUIET = QuietHours()  # 21:00-08:00, from the defaults


@dataclass(frozen=True)
class Cadence:
    ideal: timedelta = defaults.KEEP_IN_TOUCH_IDEAL
    maximum: timedelta = defaults.KEEP_IN_TOUCH_MAX

    @classmethod
    def of(cls, contact_days: int | None, ideal_days: int, max_days: int, *, stopped: bool = False) -> Cadence | None:
        """A contact's own period, if set, replaces the ideal; the maximum is never shorter than it.
        None when the user stopped keeping in touch with them."""
        if stopped:
            return None
        ideal = timedelta(days=contact_days or ideal_days)
        return cls(ideal, max(ideal, timedelta(days=max_days)))


@dataclass(frozen=True)
class TouchDue:
    due: datetime
    overdue: bool  # the maximum period has been reached: say so, gently


def _morning_after(moment: datetime, zone: str, quiet: QuietHours) -> datetime:
    """The local morning of ``moment``'s day (or later within quiet hours): nudges about people come by day."""
    day = moment.astimezone(ZoneInfo(zone)).date()
    return next_allowed(local_moment(day, MORNING, zone), zone, quiet)


def next_touch(
    last: datetime, cadence: Cadence, now: datetime, zone: str, quiet: QuietHours = DEFAULT_QUIET
) -> TouchDue:
    """When to nudge about a contact last heard from at ``last``: ideal, else maximum, else ideal from now."""
    for after, overdue in ((cadence.ideal, False), (cadence.maximum, True)):
        due = _morning_after(last + after, zone, quiet)
        if due > now:
            return TouchDue(due, overdue)
    return TouchDue(_morning_after(now + cadence.ideal, zone, quiet), False)


def report_back_due(thanked_at: datetime, after: timedelta, zone: str, quiet: QuietHours = DEFAULT_QUIET) -> datetime:
    return _morning_after(thanked_at + after, zone, quiet)


def not_now_due(replied_at: datetime, after: timedelta, zone: str, quiet: QuietHours = DEFAULT_QUIET) -> datetime:
    return _morning_after(replied_at + after, zone, quiet)


def thank_you_due(meeting_end: datetime, zone: str, quiet: QuietHours = DEFAULT_QUIET) -> datetime:
    """One nudge when 24 hours have passed without a thank-you (held back by quiet hours, not by a day)."""
    return next_allowed(meeting_end + defaults.THANK_YOU_WITHIN, zone, quiet)


def period_words(days: int) -> str:
    """28 -> "4 weeks", 91 -> "3 months", 10 -> "10 days"."""
    if days % 7 == 0 and days < 63:
        count, unit = days // 7, "week"
    elif days >= 60:
        count, unit = round(days / 30.4), "month"
    else:
        count, unit = days, "day"
    return f"{count} {unit}{'' if count == 1 else 's'}"


# Notes: short, about them or about what the user did, never a request -------------------------------------


def report_back_note(sender_name: str, contact_name: str, done: list[str], offer: str | None) -> Draft:
    """Tell them what came of their advice: people like to know their time made a difference.

    ``done`` holds what the user did, as clauses ("I reworked my résumé", "I talked to Sam Park").
    """
    did = _sentence(done) if done else "I've been putting your advice into practice, and it has helped."
    lines = [f"Hi {salutation(contact_name)},", "", f"A quick update since we spoke: {did}"]
    if offer:
        lines.append(f"I also thought this might interest you: {offer.rstrip('. ')}.")
    lines += [
        "Thank you again for your time. I hope things are going well on your side.",
        "",
        "Best wishes,",
        sender_name,
    ]
    return Draft(DraftKind.REPORT_BACK, "\n".join(lines), "A quick update, and thank you again")


def _sentence(clauses: list[str]) -> str:
    joined = clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + " and " + clauses[-1]
    starts_with_i = joined.startswith(("I ", "I'"))
    return (joined if starts_with_i else joined[:1].lower() + joined[1:]) + ". Your advice made the difference."


def keep_in_touch_note(sender_name: str, contact_name: str, offer: str | None) -> Draft:
    """A light note that shares something useful to them; no ask."""
    share = (
        f"I came across something you might find useful: {offer.rstrip('. ')}."
        if offer
        else "Our conversation still comes back to me as I take my next steps, so I wanted to say hello."
    )
    lines = [
        f"Hi {salutation(contact_name)},",
        "",
        share,
        "No need to reply; I hope all is well with you and your team.",
        "",
        "Best wishes,",
        sender_name,
    ]
    return Draft(DraftKind.KEEP_IN_TOUCH, "\n".join(lines), "Thought of you")


def not_now_note(sender_name: str, contact_name: str, replied_at: datetime, zone: str) -> Draft:
    """The gentle re-ask after "not now", referring back to their answer."""
    month = replied_at.astimezone(ZoneInfo(zone)).strftime("%B")
    lines = [
        f"Hi {salutation(contact_name)},",
        "",
        f"When I wrote in {month}, you kindly said the timing wasn't right. I hope things have calmed down a little.",
        "Would you have 20 minutes for a short call in the coming weeks? I'm happy to fit around your schedule.",
        "And if now still isn't a good time, no problem at all. Thank you either way.",
        "",
        "Best wishes,",
        sender_name,
    ]
    return Draft(DraftKind.NOT_NOW, "\n".join(lines), "Checking back in")
