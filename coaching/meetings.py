"""Meetings: reading a typed date and time, saying it back in words, the reminders, the calendar file.

Pure functions. ``now`` (an aware datetime) and the user's IANA zone are always parameters, never the
clock. Every moment that leaves this module is an aware UTC datetime.

Reading a date (``parse_when``) is ``dateparser`` with a few corrections, each found by trying it:

- "at 10", "friday at 2", "tomorrow at 9": a bare hour after "at" is ignored ("tomorrow at 9" keeps the
  current time of day) or read as a month ("at 10" is October, "friday at 2" February). We rewrite it
  as a clock time first; 1 to 7 without am/pm mean the afternoon ("at 3" is 15:00), since nobody
  books an informational interview at 3 a.m.
- "Tue 15h" is read as the 15th of the month; "15h" and "15h30" are rewritten as 15:00 and 15:30.
- "the 3rd at 4pm" with no month is read as 3 March; an ordinal day without a month is the next such
  day of the month from today (this month or the next).
- "midday" and "half an hour" are unknown words; they become "noon" and "30 minutes". "in 2h" would
  be 02:00 and "9.30h" 19:35; they become "in 2 hours" and "9:30". A dotted time after a day word
  ("tomorrow 9.30") is dropped, and so is a dotted date before a time ("12.03 09:30"); a dotted pair
  is a date when the text has a colon time too, a time ("9:30") otherwise.
- A time range ("10-11am", "14:00-15:00", "2pm to 3pm") is ignored or misread ("tomorrow 14:00-15:00"
  kept the current time of day); the meeting starts at the range's start.
- Words around the date ("let's say Tuesday at 3pm") make it read nothing; then ``search_dates`` finds
  the phrase (only the one with a time of day, so "I may be free" isn't May). Two dates is a re-ask.
- Any single word is a date to it ("a" is 27 January); text without a digit or a date word isn't read.
- A clock time it can't take ("25:00 tomorrow") is dropped silently, keeping the current time of day;
  we notice the current time came back and ask for the time.
- "04/05" is always month-first in English; when the user's locale doesn't say (``day_first`` is
  None) both readings come back as ``choices``. Dotted dates ("4.5.", "4.5.2027") are day-first.
- A date alone ("tomorrow", "in 2 days", "Friday", "tomorrow morning") is given a time of day
  (the current time, midnight, or 09:00/15:00/18:00 for parts of the day); we ask for a time instead.
- Its numeric-timestamp parsers read "1700000000" or "1530" as dates; only the text parsers run.

What dateparser gets right, and we keep: "next Friday" said on a Friday is the Friday in 7 days
(and "this Friday" is today); with PREFER_DATES_FROM="future", a weekday or a time already past today
is the next one ("Friday 14:00" on a Friday is next week; "8am" at 10:00 is tomorrow), while
explicitly past words ("yesterday 3pm", "last Friday") stay in the past and are questioned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

import dateparser  # type: ignore[import-untyped]
from dateparser.conf import SettingValidationError  # type: ignore[import-untyped]
from dateparser.search import search_dates  # type: ignore[import-untyped]
from icalendar import Alarm, Calendar, Event

from coaching.defaults import (
    CALENDAR_ALARM_BEFORE,
    IN_PERSON_MINUTES,
    MAX_MEETING_AHEAD,
    PHONE_MINUTES,
    PREP_EVENING,
    PREP_HOUR_BEFORE,
    PREP_RIGHT_AWAY_WITHIN,
    REFLECTION_AFTER,
    VIDEO_MINUTES,
)
from coaching.schedule import QuietHours, next_allowed

# --- Input limits, local to this module. ---
MAX_WHEN_CHARS = 120  # longer text is not a date; don't hand it to the parser

DEFAULT_QUIET = QuietHours()  # 21:00-08:00, from the defaults

# Nudge keys of the plan; the services layer maps them to nudge kinds.
PREP_DAY_BEFORE_KEY = "prep_day_before"
PREP_HOUR_BEFORE_KEY = "prep_hour_before"


class MeetingFormat(StrEnum):
    PHONE = "phone"
    VIDEO = "video"
    IN_PERSON = "in_person"

    @property
    def minutes(self) -> int:
        """The default length of this kind of meeting."""
        return FORMAT_MINUTES[self]

    @property
    def label(self) -> str:
        return FORMAT_LABELS[self]


FORMAT_MINUTES: dict[MeetingFormat, int] = {
    MeetingFormat.PHONE: PHONE_MINUTES,
    MeetingFormat.VIDEO: VIDEO_MINUTES,
    MeetingFormat.IN_PERSON: IN_PERSON_MINUTES,
}
FORMAT_LABELS: dict[MeetingFormat, str] = {
    MeetingFormat.PHONE: "📞 Phone call",
    MeetingFormat.VIDEO: "💻 Video call",
    MeetingFormat.IN_PERSON: "☕ In person",
}


class WhenCheck(StrEnum):
    """Why a parsed moment needs the user's confirmation (or a time) before it is saved."""

    PAST = "past"
    TOO_FAR = "too_far"
    NO_TIME = "no_time"  # a day without a time of day: ask for the time
    QUIET = "quiet"  # inside the user's quiet hours: allowed for a meeting, but confirmed
    AMBIGUOUS = "ambiguous"  # "04/05": 4 May or 5 April? see ``choices``
    DST_GAP = "dst_gap"  # the wall time doesn't exist that day; moved just after the gap
    DST_FOLD = "dst_fold"  # the wall time happens twice that day; the first one is used


@dataclass(frozen=True)
class WhenResult:
    """What ``parse_when`` read.

    - ``at``: the moment (aware UTC), or None when there is no single moment yet.
    - ``problem``: a friendly re-ask with an example when nothing could be read.
    - ``questions``: plain-text questions to confirm (they quote only digits of the user's text),
      one per entry of ``checks``, in the same order.
    - ``choices``: the two readings of an ambiguous day/month order, day-first first.
    - ``day``: the local day read when the text had no time of day (``at`` is None then).
    """

    at: datetime | None = None
    problem: str | None = None
    questions: tuple[str, ...] = ()
    checks: tuple[WhenCheck, ...] = ()
    choices: tuple[datetime, ...] = ()
    day: date | None = None

    @property
    def settled(self) -> bool:
        """True when ``at`` can be saved without asking anything."""
        return self.at is not None and not self.questions


EXAMPLES = "“next Tue 15:00”, “tomorrow at noon” or “3 Dec 15:30”"
CANNOT_READ = f"I couldn't read a date and time in that. Try something like {EXAMPLES}."
ONE_AT_A_TIME = f"I see more than one date there. Which one is it? Send just that one, like {EXAMPLES}."
TOO_LONG = f"That's too long for a date. A short answer works best, like {EXAMPLES}."

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH_WORD = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?!\w)", re.I)
_AMPM = r"(?:am|pm|a\.m\.?|p\.m\.?)(?!\w)"
# "at 10", "@ 3", "at 9 o'clock" -- but not "at 10:30", "at 3pm", "at 15h", "at 12/03", "at 10 Dec".
_AT_HOUR = re.compile(
    r"(?:\bat|@)\s*(\d{1,2})\b(?:\s*o'?clock)?(?![:./\-]\d|\s*" + _AMPM + r"|\s*" + _MONTH_WORD.pattern + ")",
    re.I,
)
_H_CLOCK = re.compile(r"\b(\d{1,2})h(\d{2})?\b", re.I)  # 15h, 15h30
# A dotted pair, "9.30" or "12.03": a time ("tomorrow 9.30", which dateparser drops), unless the text
# has a colon time too ("12.03 09:30", which it can't read): then a day-first date, written "12.03.".
_DOT_PAIR = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})(?![.\d])")
_COLON_CLOCK = re.compile(r"\d:\d\d")
_CLOCK_H = re.compile(r"\b(\d{1,2}[:.]\d{2})\s*h\b", re.I)  # 9.30h, read by dateparser as 19:35
_IN_HOURS = re.compile(r"\bin\s+(\d{1,2})\s*h\b", re.I)  # "in 2h" is two hours, not 02:00
# A time range, "10-11am", "14:00-15:00", "2pm to 3pm": the meeting starts at its start. A clock or
# am/pm must show it is a range of times, not "04-05".
_RANGE = re.compile(
    r"(?<![\d/.\-:])(\d{1,2}(?:[:.]\d{2})?)\s*(am|pm)?\s*(?:-|–|—|\bto\b|\btill\b|\buntil\b)\s*"
    r"(\d{1,2}(?:[:.]\d{2})?)\s*(am|pm)?(?![\d/.])",
    re.I,
)
# Text with none of these is not a date, whatever dateparser makes of it ("a" is 27 January to it).
_DATE_HINT = re.compile(
    r"\d|\b(?:today|tonight|tomorrow|yesterday|noon|midnight|now|fortnight|weeks?|months?|years?|days?|hours?|"
    r"minutes?|mins?|mon|tue|wed|thu|fri|sat|sun)",
    re.I,
)
_ORDINAL = re.compile(r"\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b", re.I)
_WORDS = ((re.compile(r"\bmidday\b", re.I), "noon"), (re.compile(r"\bhalf an hour\b", re.I), "30 minutes"))
# A time of day in the (normalized) text: 15:30, 9.30, 3pm, noon, midnight, "in 2 hours".
_CLOCK = re.compile(
    r"(?<![\d.])\d{1,2}[:.]\d{2}(?![.\d])"
    r"|\b\d{1,2}\s*" + _AMPM + r"|\b(?:noon|midnight)\b"
    r"|\bin\s+(?:an?|\d+)\s*(?:hours?|hrs?|minutes?|mins?)\b",
    re.I,
)
# A numeric day and month: 04/05, 4-5, 04/05/2027 (slashes or dashes; not part of an ISO date).
_SLASH_DATE = re.compile(r"(?<![\d/.\-:])(\d{1,2})([/\-])(\d{1,2})(?:\2(?:\d{4}|\d{2}))?(?![\d/\-:])")
# A dotted day and month: 4.5. or 4.5.2027 (the trailing dot or year tells it from 9.30).
_DOT_DATE = re.compile(r"(?<![\d.:])(\d{1,2})\.(\d{1,2})\.(?:\d{4}|\d{2})?(?![\d:])")
_PARSERS = ["relative-time", "custom-formats", "absolute-time"]
_BASE_MARK = 1  # microsecond


def _normalize(text: str, today: date) -> str:
    """Rewrite the phrasings dateparser misreads (see the module docstring)."""
    for pattern, words in _WORDS:
        text = pattern.sub(words, text)

    def time_range(match: re.Match[str]) -> str:
        start, start_ampm, end, end_ampm = match.groups()
        if not (start_ampm or end_ampm or ":" in start + end or "." in start + end):
            return match.group(0)
        return f"{start}{start_ampm or end_ampm or ''}"

    text = _RANGE.sub(time_range, text)
    text = _IN_HOURS.sub(r"in \1 hours", text)
    if _COLON_CLOCK.search(text):
        text = _DOT_PAIR.sub(lambda m: f"{m[0]}." if int(m[1]) <= 31 and int(m[2]) <= 12 else m[0], text)
    else:
        text = _DOT_PAIR.sub(
            lambda m: f"{m[1]}:{m[2]}" if len(m[2]) == 2 and int(m[1]) <= 23 and int(m[2]) <= 59 else m[0], text
        )
    text = _CLOCK_H.sub(r"\1", text)

    def at_hour(match: re.Match[str]) -> str:
        hour = int(match.group(1))
        if hour > 23:
            return match.group(0)
        if 1 <= hour <= 7:
            hour += 12
        return f"at {hour:02d}:00"

    text = _AT_HOUR.sub(at_hour, text)

    def h_clock(match: re.Match[str]) -> str:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        return f"{hour:02d}:{minute:02d}" if hour <= 23 and minute <= 59 else match.group(0)

    text = _H_CLOCK.sub(h_clock, text)
    if not _MONTH_WORD.search(text):

        def ordinal(match: re.Match[str]) -> str:
            day = _next_day_of_month(int(match.group(1)), today)
            return f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year}" if day else match.group(0)

        text = _ORDINAL.sub(ordinal, text)
    return text


def _next_day_of_month(day_of_month: int, today: date) -> date | None:
    """The first date on or after ``today`` that falls on ``day_of_month``."""
    year, month = today.year, today.month
    for _ in range(13):
        try:
            candidate = date(year, month, day_of_month)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _settings(base: datetime, date_order: str | None) -> dict[str, object]:
    settings: dict[str, object] = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": base,  # naive local wall time: relative words count in the user's zone
        # With RETURN_AS_TIMEZONE_AWARE left at its default, naive results stay naive (their wall time
        # untouched) and a zone named in the text gives an aware result, here converted to UTC. The
        # host's local zone is never consulted.
        "TIMEZONE": "UTC",
        "PARSERS": _PARSERS,
    }
    if date_order:
        settings["DATE_ORDER"] = date_order
    return settings


def _read(text: str, base: datetime, date_order: str | None) -> datetime | None:
    """dateparser's reading: naive local wall time, or aware when the text names a zone ("3pm UTC")."""
    try:
        result = dateparser.parse(text, languages=["en"], settings=_settings(base, date_order))
    except SettingValidationError:
        raise  # our mistake, not the user's
    except Exception:  # user text: any other failure inside the parser is simply "couldn't read it"
        return None
    return result if isinstance(result, datetime) else None


def _search(text: str, base: datetime) -> list[str]:
    """The date phrases inside a longer sentence ("let's say Tuesday at 3pm"); those with a time of day
    when any has one (so the verb "may" doesn't count as a month)."""
    try:
        found = search_dates(text, languages=["en"], settings=_settings(base, None))
    except SettingValidationError:
        raise
    except Exception:  # as in _read: user text
        return []
    phrases = [phrase for phrase, _ in found or ()]
    timed = [phrase for phrase in phrases if _CLOCK.search(phrase)]
    return timed or phrases


def _orders(text: str, day_first: bool | None) -> tuple[list[str | None], str | None]:
    """The date orders to try, and the numeric date to ask about when both orders are plausible."""
    if day_first is not None:
        return ["DMY" if day_first else "MDY"], None
    if _DOT_DATE.search(text):
        return ["DMY"], None
    match = _SLASH_DATE.search(text)
    if match and int(match.group(1)) <= 12 and int(match.group(3)) <= 12 and int(match.group(1)) != int(match.group(3)):
        return ["DMY", "MDY"], match.group(0)
    return [None], None


def _to_utc(reading: datetime, tz: ZoneInfo) -> tuple[datetime, WhenCheck | None]:
    """A local wall time as UTC: a skipped one lands just after the gap, a repeated one is the first."""
    if reading.tzinfo is not None:
        return reading.astimezone(UTC), None
    local = reading.replace(second=0, microsecond=0, tzinfo=tz)  # fold=0
    at = local.astimezone(UTC)
    if at.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        return at, WhenCheck.DST_GAP
    if local.replace(fold=1).utcoffset() != local.utcoffset():
        return at, WhenCheck.DST_FOLD
    return at, None


def parse_when(
    text: str,
    now: datetime,
    zone: str,
    *,
    day_first: bool | None = None,
    quiet: QuietHours = DEFAULT_QUIET,
) -> WhenResult:
    """Read a typed date and time in the user's zone: "next Tue 3pm", "12/03 09:30", "3 Dec 15:30".

    ``day_first`` follows the user's locale for "04/05" (None: unknown, so both readings are offered).
    Never raises on user text.
    """
    _require_aware(now)
    tz = ZoneInfo(zone)
    cleaned = " ".join(text.split())
    if not cleaned:
        return WhenResult(problem=CANNOT_READ)
    if len(cleaned) > MAX_WHEN_CHARS:
        return WhenResult(problem=TOO_LONG)
    local_now = now.astimezone(tz)
    # The base's microsecond is a mark: a reading that keeps it, at the base's time of day, took its
    # time from the base, so the text gave none ("tomorrow", "in 2 days", or an hour dateparser skipped).
    base = local_now.replace(second=0, microsecond=_BASE_MARK, tzinfo=None)
    normalized = _normalize(cleaned, local_now.date())
    if not _DATE_HINT.search(normalized):
        return WhenResult(problem=CANNOT_READ)
    if _read(normalized, base, None) is None:
        phrases = _search(normalized, base)
        if len(phrases) > 1:
            return WhenResult(problem=ONE_AT_A_TIME)
        if not phrases:
            return WhenResult(problem=CANNOT_READ)
        normalized = phrases[0]
    orders, ambiguous = _orders(normalized, day_first)
    readings: list[datetime] = []
    for order in orders:
        reading = _read(normalized, base, order)
        if reading is not None and reading not in readings:
            readings.append(reading)
    if not readings:
        return WhenResult(problem=CANNOT_READ)
    copied = readings[0].tzinfo is None and readings[0].time() == base.time()
    time_given = _CLOCK.search(normalized) is not None and not copied

    if len(readings) > 1:
        first, second = (_local_day(reading, tz) for reading in readings)
        if not time_given:
            return WhenResult(
                problem=f"Is “{ambiguous}” {_short_day(first)} or {_short_day(second)}? "
                f"Please write the month as a word and add a time, like “{_short_day(first)} 15:00”."
            )
        return WhenResult(
            questions=(f"Is “{ambiguous}” {_short_day(first)} or {_short_day(second)}?",),
            checks=(WhenCheck.AMBIGUOUS,),
            choices=tuple(_to_utc(reading, tz)[0] for reading in readings),
        )

    reading = readings[0]
    if not time_given:
        day = _local_day(reading, tz)
        checks: list[WhenCheck] = []
        questions: list[str] = []
        if day < local_now.date():
            checks.append(WhenCheck.PAST)
            questions.append(f"{_cap(_long_day(day, local_now.date()))} is in the past. Did you mean a later day?")
        elif day > (now + MAX_MEETING_AHEAD).astimezone(tz).date():
            checks.append(WhenCheck.TOO_FAR)
            questions.append(f"{_cap(_long_day(day, local_now.date()))} is more than a year away. Is that right?")
        checks.append(WhenCheck.NO_TIME)
        questions.append(f"What time {_on_day(day, local_now.date())}? For example “15:00” or “3pm”.")
        return WhenResult(questions=tuple(questions), checks=tuple(checks), day=day)

    at, dst = _to_utc(reading, tz)
    result = check_moment(at, now, zone, quiet)
    if dst is None:
        return result
    wall = f"{reading:%H:%M}"
    if dst is WhenCheck.DST_GAP:
        question = (
            f"The clocks go forward that night, so {wall} doesn't exist on that day. "
            f"I've put {at.astimezone(tz):%H:%M} instead. Is that right?"
        )
    else:
        question = f"The clocks go back that night, so {wall} happens twice. I've taken the first one. Is that right?"
    return WhenResult(at=at, questions=(*result.questions, question), checks=(*result.checks, dst))


def check_moment(at: datetime, now: datetime, zone: str, quiet: QuietHours = DEFAULT_QUIET) -> WhenResult:
    """The questions to confirm before saving ``at``: in the past, more than a year ahead, quiet hours.

    Also what the UI calls once the user picked one of ``WhenResult.choices``.
    """
    _require_aware(now)
    _require_aware(at)
    at = at.astimezone(UTC)
    checks: list[WhenCheck] = []
    questions: list[str] = []
    said = describe(at, zone, now)
    if at < now:
        checks.append(WhenCheck.PAST)
        questions.append(f"{_cap(said)} is in the past. Did you mean a later date?")
    elif at - now > MAX_MEETING_AHEAD:
        checks.append(WhenCheck.TOO_FAR)
        questions.append(f"{_cap(said)} is more than a year away. Is that right?")
    local = at.astimezone(ZoneInfo(zone))
    if quiet.contains(local.time()):
        checks.append(WhenCheck.QUIET)
        questions.append(
            f"{local:%H:%M} is inside your quiet hours ({quiet.start:%H:%M}–{quiet.end:%H:%M}). "
            "That's fine for a meeting; just checking it's the time you meant."
        )
    return WhenResult(at=at, questions=tuple(questions), checks=tuple(checks))


def describe(at: datetime, zone: str, now: datetime) -> str:
    """The moment in words, for the confirmation: "tomorrow, Tuesday 1 December, 15:00 (Europe/Berlin)".

    "today", "tomorrow" or "yesterday" lead when so; the year shows when it isn't this year.
    """
    _require_aware(at)
    _require_aware(now)
    tz = ZoneInfo(zone)
    local = at.astimezone(tz)
    return f"{_long_day(local.date(), now.astimezone(tz).date())}, {local:%H:%M} ({zone})"


def _day_words(day: date, today: date) -> str:
    """ "Tuesday 1 December", with the year when it isn't this year."""
    words = f"{_DAY_NAMES[day.weekday()]} {day.day} {_MONTH_NAMES[day.month - 1]}"
    return f"{words} {day.year}" if day.year != today.year else words


def _relative(day: date, today: date) -> str | None:
    return {0: "today", 1: "tomorrow", -1: "yesterday"}.get((day - today).days)


def _long_day(day: date, today: date) -> str:
    relative = _relative(day, today)
    return f"{relative}, {_day_words(day, today)}" if relative else _day_words(day, today)


def _on_day(day: date, today: date) -> str:
    relative = _relative(day, today)
    return f"{relative} ({_day_words(day, today)})" if relative else f"on {_day_words(day, today)}"


def _cap(words: str) -> str:
    return words[:1].upper() + words[1:]


def _short_day(day: date) -> str:
    return f"{day.day} {_MONTH_NAMES[day.month - 1]}"


def _local_day(reading: datetime, tz: ZoneInfo) -> date:
    return reading.astimezone(tz).date() if reading.tzinfo is not None else reading.date()


def reminder_plan(
    start: datetime, minutes: int, zone: str, now: datetime, quiet: QuietHours
) -> list[tuple[str, datetime]]:
    """The meeting's reminders as (key, due UTC), earliest first.

    - ``prep_day_before``: the prep pack at 18:00 local the evening before (earlier that day if 18:00
      is inside quiet hours). When that moment has passed, or the meeting is less than 12 hours away,
      it is due ``now``: the user is in the chat scheduling it, so it goes right away.
    - ``prep_hour_before``: an hour before the start; left out once that is past. It keeps its time
      even inside quiet hours: the user chose an early meeting and needs the reminder.

    A meeting already started has no reminders. ``minutes`` is the length (no rule uses it yet).
    """
    _require_aware(start)
    _require_aware(now)
    if start <= now:
        return []
    tz = ZoneInfo(zone)
    day_before = start.astimezone(tz).date() - timedelta(days=1)
    prep = _evening_before(day_before, zone, quiet)
    if prep < now or start - now < PREP_RIGHT_AWAY_WITHIN:
        prep = now
    plan = [(PREP_DAY_BEFORE_KEY, prep)]
    hour_before = start - PREP_HOUR_BEFORE
    if hour_before >= now:
        plan.append((PREP_HOUR_BEFORE_KEY, hour_before))
    return sorted(plan, key=lambda item: item[1])


def _evening_before(day: date, zone: str, quiet: QuietHours) -> datetime:
    """18:00 on ``day`` local time, or the last hour before quiet hours start when 18:00 is quiet."""
    tz = ZoneInfo(zone)
    at = PREP_EVENING
    if quiet.contains(at):
        earlier = datetime.combine(day, quiet.start) - timedelta(hours=1)
        if earlier.date() == day and not quiet.contains(earlier.time()):
            at = earlier.time()
        else:
            at = quiet.end  # quiet hours cover the whole evening: the morning of that day
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def reflection_due(start: datetime, minutes: int, zone: str, quiet: QuietHours) -> datetime:
    """When to ask "how did it go?": an hour after the end, moved past quiet hours."""
    _require_aware(start)
    return next_allowed(start + timedelta(minutes=minutes) + REFLECTION_AFTER, zone, quiet)


_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)


def meeting_ics(
    uid: str,
    start: datetime,
    minutes: int,
    title: str,
    description: str,
    location: str | None,
    now: datetime,
) -> bytes:
    """The meeting as an iCalendar file (METHOD:PUBLISH, times in UTC, an alarm an hour before).

    User text goes through icalendar, which escapes commas, semicolons, backslashes and newlines. A
    location that is a link is also the event's URL.
    """
    _require_aware(start)
    _require_aware(now)
    if minutes <= 0:
        raise ValueError("a meeting lasts at least a minute")
    start = start.astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//InfoCoach//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now.astimezone(UTC).replace(microsecond=0))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=minutes))
    event.add("summary", _plain(title))
    event.add("description", _plain(description))
    if location and location.strip():
        place = _plain(location).strip()
        event.add("location", place)
        if _URL.match(place):
            event.add("url", place if "://" in place else f"https://{place}")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _plain(title) or "Meeting")
    alarm.add("trigger", -CALENDAR_ALARM_BEFORE)
    event.add_component(alarm)
    calendar.add_component(event)
    return calendar.to_ical()


def _plain(text: str) -> str:
    """One kind of line break: icalendar escapes ``\\n``, a stray ``\\r`` would survive as-is."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("expected an aware datetime")
