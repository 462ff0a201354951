"""Which nudges exist, when they are due, what they say, and when one no longer makes sense."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from coaching.answers import Goal
from coaching.defaults import MAX_SEND_ATTEMPTS, QUIET_END_MINUTE, QUIET_START_MINUTE, SNOOZES
from coaching.enums import NudgeKind
from coaching.schedule import (
    MORNING,
    QuietHours,
    holiday_calendar,
    local_moment,
    next_allowed,
    next_business_day,
    next_weekday_morning,
)

__all__ = ["MAX_SEND_ATTEMPTS", "SNOOZES", "NudgeKind"]


DONE_NOTE = "✅ Done."
SNOOZED_NOTE = "⏰ Snoozed until {when:%a %d %b, %H:%M}."
STOPPED_NOTE = "🔕 You won't get these reminders any more. /settings turns them back on."
NOT_CURRENT = "This reminder is no longer current."
TODAY_EMPTY = "📋 <b>Today</b>\n\nNothing is due right now. /help shows what you can do next."
TODAY_TITLE = "📋 <b>Today</b>"

KIND_LABELS: dict[str, str] = {
    NudgeKind.DIGEST: "Weekly digest",
    NudgeKind.FIRST_LIST: "List five people to talk to",
    NudgeKind.SECOND_PERSON: "Ask a second person",
    NudgeKind.FOLLOW_UP: "Follow up",
    NudgeKind.CLOSE: "Move on",
    NudgeKind.INTRO_FOLLOW_UP: "Check on the introduction",
    NudgeKind.PREP_DAY_BEFORE: "Prepare for tomorrow's meeting",
    NudgeKind.PREP_HOUR_BEFORE: "Meeting in an hour",
    NudgeKind.REFLECT: "Reflect on a conversation",
    NudgeKind.THANK_YOU: "Send a thank-you",
    NudgeKind.REPORT_BACK: "Report back",
    NudgeKind.KEEP_IN_TOUCH: "Keep in touch",
    NudgeKind.NOT_NOW: "Ask again after a 'not now'",
}
# With a person's name: what the user is asked to do, for /today and the note under a done reminder.
KIND_TASKS: dict[str, str] = {
    NudgeKind.SECOND_PERSON: "Ask a second person at {company} while you wait for {name}",
    NudgeKind.FOLLOW_UP: "Follow up with {name}",
    NudgeKind.CLOSE: "Move on from {name}",
    NudgeKind.INTRO_FOLLOW_UP: "Check on the introduction to {name}",
    NudgeKind.PREP_DAY_BEFORE: "Prepare for your conversation with {name}",
    NudgeKind.PREP_HOUR_BEFORE: "Your conversation with {name} starts soon",
    NudgeKind.REFLECT: "Note what you learned from {name}",
    NudgeKind.THANK_YOU: "Send {name} a thank-you",
    NudgeKind.REPORT_BACK: "Tell {name} what came of their advice",
    NudgeKind.KEEP_IN_TOUCH: "Say hello to {name}",
    NudgeKind.NOT_NOW: "Ask {name} again, gently",
}
CONTACT_KINDS = (NudgeKind.SECOND_PERSON, NudgeKind.FOLLOW_UP, NudgeKind.CLOSE, NudgeKind.INTRO_FOLLOW_UP)
# Reminders about a meeting: their subject is "m<meeting id>".
MEETING_KINDS = (NudgeKind.PREP_DAY_BEFORE, NudgeKind.PREP_HOUR_BEFORE, NudgeKind.REFLECT)
# After the meeting: their subject is the bare contact id.
AFTER_KINDS = (NudgeKind.THANK_YOU, NudgeKind.REPORT_BACK, NudgeKind.KEEP_IN_TOUCH, NudgeKind.NOT_NOW)
# Clock nudges fall on business days; snoozing them keeps to business days too.
BUSINESS_DAY_KINDS = (NudgeKind.FIRST_LIST, *CONTACT_KINDS)
# /today's order: boosters' replies first (answer within 24 h), then other replies, follow-ups due,
# the rest of the reminders, and last a few people ready to be asked.
TODAY_PRIORITY = {
    "reply_booster": 0,
    "reply": 1,
    "follow_up": 2,
    "second_person": 3,
    "intro_follow_up": 3,
    "prep_hour": 0,
    "meeting": 1,
    "prep_day": 2,
    "close_silent": 4,
    "reflect": 1,
    "thank_you": 1,
    "plan": 3,
    "report_back": 4,
    "keep_in_touch": 4,
    "not_now": 4,
    "first_list": 5,
    "digest": 6,
    "ready": 7,
}


def task_label(kind: str, name: str = "", company: str | None = None) -> str:
    """What a reminder asks of the user, naming the person (``name`` and ``company`` escaped already)."""
    template = KIND_TASKS.get(kind)
    if template is None or not name:
        return KIND_LABELS.get(kind, kind)
    return template.format(name=name, company=company or f"{name}'s employer")


@dataclass(frozen=True)
class UserClock:
    """What the time rules need to know about a user."""

    zone: str
    quiet: QuietHours = QuietHours()
    holidays: Container[date] = frozenset()

    @classmethod
    def of(
        cls,
        zone: str | None,
        quiet_start_minute: int = QUIET_START_MINUTE,
        quiet_end_minute: int = QUIET_END_MINUTE,
        country: str | None = None,
    ) -> UserClock:
        """Quiet hours in minutes after local midnight: 1350, 405 is 22:30-06:45."""
        quiet = QuietHours(minute_time(quiet_start_minute), minute_time(quiet_end_minute))
        return cls(zone or "UTC", quiet, holiday_calendar(country))


def minute_time(minutes: int) -> time:
    """Minutes after midnight as a time of day: 1350 -> 22:30 (taken modulo a day)."""
    minutes %= 24 * 60
    return time(minutes // 60, minutes % 60)


def digest_due(now: datetime, weekday: int, clock: UserClock) -> datetime:
    return next_allowed(next_weekday_morning(now, weekday, clock.zone), clock.zone, clock.quiet)


def first_list_due(onboarded_at: datetime, clock: UserClock) -> datetime:
    """The morning of the next business day after onboarding (no noon cut-off: this isn't a reply clock)."""
    local_day = onboarded_at.astimezone(ZoneInfo(clock.zone)).date()
    due = local_moment(next_business_day(local_day, clock.holidays), MORNING, clock.zone)
    return next_allowed(due, clock.zone, clock.quiet, business_days_only=True, holidays=clock.holidays)


def digest_key(user_id: int, due: datetime) -> str:
    return f"digest:{user_id}:{due:%Y-%m-%d}"


def is_obsolete(kind: str, *, onboarded: bool, active: bool) -> bool:
    """A nudge that no longer makes sense is dropped silently instead of sent."""
    return not active or (kind in (NudgeKind.DIGEST, NudgeKind.FIRST_LIST) and not onboarded)


@dataclass(frozen=True)
class NudgeText:
    html: str
    action: tuple[str, str] | None  # (button label, action name) for the thing the nudge is about


@dataclass(frozen=True)
class WeekStats:
    """What the user did in the last seven days, and where their pipeline stands now."""

    requests_sent: int = 0
    replies: int = 0
    conversations: int = 0
    replies_to_answer: int = 0
    ready: int = 0
    to_research: int = 0


def weekly_target(goal: Goal | None) -> int | None:
    if goal is None:
        return None
    return goal.count if goal.period.value == "week" else max(1, round(goal.count / 4.33))


def next_actions(stats: WeekStats, goal: Goal | None) -> list[str]:
    """The three most useful next steps, from the pipeline as it stands."""
    actions = []
    if stats.replies_to_answer:
        actions.append(
            f"Answer the {stats.replies_to_answer} repl{'y' if stats.replies_to_answer == 1 else 'ies'} "
            "waiting for you, within 24 hours."
        )
    if stats.ready:
        actions.append(f"Send a request to one of the {stats.ready} people ready to contact (/draft).")
    elif stats.to_research:
        actions.append(
            f"Look into one of the {stats.to_research} people to research, then move them to Ready (/contacts)."
        )
    else:
        actions.append("Brainstorm five more people to talk to (/find).")
    target = weekly_target(goal)
    if target and stats.conversations < target:
        left = target - stats.conversations
        actions.append(f"Line up {left} more conversation{'s' if left != 1 else ''} to reach this week's goal.")
    for default in DEFAULT_NEXT_ACTIONS:
        if len(actions) >= 3:
            break
        actions.append(default)
    return actions[:3]


def weekly_digest(goal: Goal | None, stats: WeekStats) -> str:
    lines = [
        "🗓 <b>Your week in informational interviews</b>",
        "",
        f"Requests sent: {stats.requests_sent} · Replies: {stats.replies}",
    ]
    target = weekly_target(goal)
    if target is None:
        lines.append(f"Conversations: {stats.conversations}.")
    else:
        lines.append(f"Conversations: {stats.conversations} of your goal of {target}.")
        if stats.conversations >= target:
            lines.append("You met your goal. Well done!")
        elif stats.conversations == 0 and stats.requests_sent == 0:
            lines.append("A quiet week, and that's fine: one request today gets things moving.")
    actions = next_actions(stats, goal)
    lines += ["", "<b>Next actions</b>"] + [f"{i}. {action}" for i, action in enumerate(actions, 1)]
    return "\n".join(lines)


DEFAULT_NEXT_ACTIONS = [
    "Write down five people whose work interests you.",
    "For each, note what you have in common: a school, a friend, an employer.",
    "Send one short request that asks for 20 minutes and names the connection first.",
]


def render(
    kind: str,
    goal: Goal | None = None,
    contact_name: str = "",
    company: str | None = None,
    stats: WeekStats | None = None,
    when: str = "",
    pitch: str = "",
    questions: tuple[str, ...] = (),
    overdue: bool = False,
) -> NudgeText:
    """The nudge's text (HTML; ``contact_name``, ``company``, ``when`` and ``pitch`` must already be
    escaped) and its action."""
    after = _after_meeting(kind, contact_name, overdue)
    if after is not None:
        return after
    if kind == NudgeKind.PREP_DAY_BEFORE:
        return NudgeText(
            f"📅 Coming up: your conversation with <b>{contact_name}</b>, {when}.\n\n"
            "Before then: read up on their work and company, rehearse your pitch, and pick five to eight "
            'questions (3–4 minutes each), ending with "who else should I talk to?". A one-line note '
            f'to confirm is kind: <i>"Looking forward to our talk {when}. Does that still suit you?"</i>',
            ("📋 Prep pack", "prep"),
        )
    if kind == NudgeKind.PREP_HOUR_BEFORE:
        pitch_line = f"\n\n<b>Your pitch:</b> <i>{pitch}</i>" if pitch else ""
        if questions:
            pitch_line += "\n\n<b>Your questions:</b>\n" + "\n".join(f"• {q}" for q in questions)
        return NudgeText(
            f"⏰ In about an hour: <b>{contact_name}</b>, {when}.{pitch_line}\n\n"
            "<b>1.</b> Thank them, a minute of small talk. <b>2.</b> Your questions. <b>3.</b> Next steps: "
            "who else should you talk to, may you stay in touch? Offer to stop when the time is up.",
            None,
        )
    if kind == NudgeKind.DIGEST:
        return NudgeText(weekly_digest(goal, stats or WeekStats()), ("📋 What's due today", "today"))
    if kind == NudgeKind.FIRST_LIST:
        return NudgeText(
            "👋 A small step for today: have you written down five people you could talk to? "
            "Friends, former classmates and colleagues count. People are usually glad to help someone "
            "who is curious about their work.",
            ("📋 What's due today", "today"),
        )
    if kind == "second_person":
        where = f" at {company}" if company else ""
        return NudgeText(
            f"📬 Three business days since you wrote to <b>{contact_name}</b>, and no reply yet. That's normal. "
            f"Meanwhile, is there a second person{where} you could ask? Pick one from your list, or /add someone.",
            ("👥 Pick a second person", "second"),
        )
    if kind == "follow_up":
        return NudgeText(
            f"✉️ A week has passed since you wrote to <b>{contact_name}</b>. One short, friendly follow-up "
            "is fine now, and I have a draft ready.",
            ("✉️ Draft the follow-up", "follow_up"),
        )
    if kind == "close_silent":
        return NudgeText(
            f"🌿 <b>{contact_name}</b> hasn't replied, and that's fine: people get busy. I've moved them to "
            "Closed (no response) so your energy goes to the next person. If you like, send a gentle "
            "closing note; it sometimes brings a reply months later.",
            ("✉️ Draft a closing note", "closing"),
        )
    return NudgeText("⏰ A reminder from InfoCoach.", None)


def _after_meeting(kind: str, name: str, overdue: bool) -> NudgeText | None:
    """The reminders after a conversation: reflect, thank, report back, keep in touch, ask again."""
    if kind == NudgeKind.REFLECT:
        return NudgeText(
            f"🗣 How did your conversation with <b>{name}</b> go? Note what you learned while it's fresh: "
            "nine short questions, each one skippable, and I'll turn your answers into a plan and a thank-you draft.",
            ("📝 It happened: reflect now", "reflect"),
        )
    if kind == NudgeKind.THANK_YOU:
        return NudgeText(
            f"💌 A day has passed since your talk with <b>{name}</b>. A short thank-you that names one thing "
            "they said still lands well today. Your draft is ready.",
            ("💌 The thank-you draft", "thank_you"),
        )
    if kind == NudgeKind.REPORT_BACK:
        return NudgeText(
            f"📣 A few weeks since you thanked <b>{name}</b>. Have you acted on their advice? Tell them what "
            "came of it: people like to know their time made a difference, and it keeps you in mind.",
            ("✉️ Draft the update", "report_back"),
        )
    if kind == NudgeKind.KEEP_IN_TOUCH:
        opening = "It's been a while since you were in touch with" if overdue else "Time for a short hello to"
        return NudgeText(
            f"🤝 {opening} <b>{name}</b>. Share something useful to them (an article, an event, news about "
            "their field) or a quick update. No ask, just staying in touch.",
            ("✉️ Draft a note", "in_touch"),
        )
    if kind == NudgeKind.NOT_NOW:
        return NudgeText(
            f"🌱 A few weeks ago <b>{name}</b> said the timing wasn't right. A gentle check-in is fair now; "
            "I have a short draft that refers back to their answer.",
            ("✉️ Draft the check-in", "not_now"),
        )
    return None
