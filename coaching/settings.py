"""Reminder settings: the time zone, quiet hours to the minute, the pause, the holiday country, the
digest weekday, the keep-in-touch periods; how each is read when typed, and the menu that shows them.

Pure functions: ``now`` is a parameter wherever the clock matters.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from coaching import copy, defaults
from coaching.answers import InvalidAnswer
from coaching.keep_in_touch import period_words
from coaching.nudges import KIND_LABELS
from coaching.onboarding import STEPS
from coaching.profile import ProfileView, Step
from coaching.timezones import describe_zone

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
QUIET_PRESETS = ((21, 8), (22, 7), (20, 9), (23, 6))  # whole hours, as buttons; typed ones can be to the minute
DAY = 24 * 60
_COUNTRY_ALIASES = {
    "usa": "US",
    "america": "US",
    "united states of america": "US",
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "britain": "GB",
    "great britain": "GB",
    "holland": "NL",
    "deutschland": "DE",
    "espana": "ES",
}


# Quiet hours, to the minute ---------------------------------------------------------------------------------


def clock_words(minutes: int) -> str:
    """1350 -> "22:30"."""
    minutes %= DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def describe_quiet(start: int, end: int) -> str:
    """Quiet hours in minutes after midnight, as shown: 1350, 405 -> "22:30–06:45"."""
    return "none" if start == end else f"{clock_words(start)}–{clock_words(end)}"


_SEPARATOR = re.compile(r"\s*(?:–|—|−|-|\bto\b|\btill\b|\btil\b|\buntil\b|\band\b)\s*")
_LEADING = re.compile(r"^(?:from|between|quiet)\s+")
_TIME = re.compile(
    r"^(?P<hour>\d{1,2})(?:\s*[:.h]\s*(?P<minute>\d{2}))?\s*h?\s*(?P<half>a\.?\s?m\.?|p\.?\s?m\.?|a|p)?$"
)
_MILITARY = re.compile(r"^(?P<hour>\d{2})(?P<minute>\d{2})$")
_WORDS = {"midnight": 0, "noon": 12 * 60, "midday": 12 * 60}


@dataclass(frozen=True)
class _Reading:
    minutes: int
    with_half: bool  # "am" or "pm" was given: no 24-hour guessing


def _read_time(token: str) -> _Reading | None:
    """One side of a range: "22:30", "6.45", "10pm", "10.30 p.m.", "22h30", "0645", "midnight".

    None when it isn't a time at all; InvalidAnswer when it looks like one but isn't on the clock.
    """
    token = token.strip().replace("o'clock", "").replace("o’clock", "").strip()
    if token in _WORDS:
        return _Reading(_WORDS[token], True)
    match = _TIME.match(token) or _MILITARY.match(token)
    if not match:
        return None
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    half = (match.groupdict().get("half") or "").replace(".", "").replace(" ", "")[:1]
    bad = InvalidAnswer(copy.QUIET_NO_SUCH_TIME.format(text=escape(token, quote=False)))
    if minute > 59:
        raise bad
    if half:
        if not 1 <= hour <= 12:
            raise bad
        hour = hour % 12 + (12 if half == "p" else 0)
        return _Reading(hour * 60 + minute, True)
    if hour == 24 and minute == 0:
        hour = 0
    if hour > 23:
        raise bad
    return _Reading(hour * 60 + minute, False)


def parse_quiet_hours(text: str | None) -> tuple[int, int]:
    """Quiet hours as people type them, in minutes after local midnight.

    "22:30-6:45" -> (1350, 405); "10pm-7am", "22-7", "22:00 to 07:00" -> (1320, 420);
    "10.30pm – 6am" -> (1350, 360). Hours without am or pm are read on the 24-hour clock. They must
    leave at least 8 waking hours for reminders; every problem is re-asked kindly, with an example.
    """
    raw = " ".join((text or "").strip().lower().split())
    raw = _LEADING.sub("", raw)
    parts = [part for part in _SEPARATOR.split(raw, maxsplit=1) if part] if raw else []
    readings = [_read_time(part) for part in parts] if len(parts) == 2 else []
    if len(readings) != 2 or None in readings:
        raise InvalidAnswer(copy.QUIET_UNREADABLE)
    start, end = (reading.minutes for reading in readings if reading is not None)
    if start == end:
        raise InvalidAnswer(copy.QUIET_SAME)
    awake = (start - end) % DAY
    if awake < defaults.MIN_WAKING.total_seconds() // 60:
        hint = ""
        evening = (start + 12 * 60) % DAY
        if not any(r.with_half for r in readings if r) and start < 12 * 60 and (evening - end) % DAY >= 8 * 60:
            hint = copy.QUIET_DID_YOU_MEAN.format(
                quiet=describe_quiet(evening, end), typed=f"{_twelve_hour(evening)}-{_twelve_hour(end)}"
            )
        raise InvalidAnswer(copy.QUIET_TOO_LONG.format(awake=_duration(awake), hint=hint))
    return start, end


def _twelve_hour(minutes: int) -> str:
    """1350 -> "10:30pm", 420 -> "7am"."""
    hour, minute = divmod(minutes % DAY, 60)
    shown = f"{hour % 12 or 12}" + (f":{minute:02d}" if minute else "")
    return shown + ("pm" if hour >= 12 else "am")


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"


def preset_quiet(raw: str) -> tuple[int, int] | None:
    """A quiet-hours button ("22-7", whole hours), checked against the presets: callback data is untrusted."""
    for start, end in QUIET_PRESETS:
        if raw == f"{start}-{end}":
            return start * 60, end * 60
    return None


# The time zone: the same reading as onboarding and /profile --------------------------------------------------


def parse_zone(text: str | None) -> str:
    """A city, an IANA name, an offset or an abbreviation -> IANA zone (onboarding's own parser).

    Raises InvalidAnswer to re-ask, or coaching.onboarding.Unclear with up to three zones to pick from.
    """
    return str(STEPS[Step.TIMEZONE].parse(text or ""))


def zone_from_choice(raw: str) -> str | None:
    """A zone button pressed under a "did you mean" question; None when it isn't one (untrusted data)."""
    zone = STEPS[Step.TIMEZONE].from_choice(raw, ProfileView(), "")
    return str(zone) if zone else None


# The pause ------------------------------------------------------------------------------------------------

_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10}  # fmt: skip
_PAUSE = re.compile(
    r"^(?:for\s+|pause\s+(?:for\s+)?)?(?P<count>\d{1,3}|[a-z]+)\s*"
    r"(?P<unit>d|days?|w|wks?|weeks?|fortnights?|months?)?$"
)
_UNIT_DAYS = {"d": 1, "w": 7, "f": 14, "m": 30}


def parse_pause(text: str | None) -> int:
    """How long to pause, in days: "5 days", "5", "1 week", "2 weeks", "a fortnight". 1 to 90 days."""
    match = _PAUSE.match(" ".join((text or "").strip().lower().split()))
    count = None
    if match:
        word = match["count"]
        count = int(word) if word.isdigit() else _NUMBERS.get(word)
    if match is None or count is None:
        raise InvalidAnswer(copy.PAUSE_UNREADABLE)
    days = count * _UNIT_DAYS[(match["unit"] or "d")[0]]
    if not 1 <= days <= defaults.MAX_PAUSE_DAYS:
        raise InvalidAnswer(copy.PAUSE_OUT_OF_RANGE.format(most=defaults.MAX_PAUSE_DAYS))
    return days


def pause_words(days: int) -> str:
    """3 -> "3 days", 7 -> "1 week", 14 -> "2 weeks"."""
    if days % 7 == 0:
        weeks = days // 7
        return f"{weeks} week{'s' if weeks != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"


# Keep in touch, report back, ask again ------------------------------------------------------------------------


def check_cadence(ideal_days: int, max_days: int) -> None:
    """The keep-in-touch maximum is never below the ideal."""
    if max_days < ideal_days:
        raise InvalidAnswer(
            copy.CADENCE_MAX_BELOW_IDEAL.format(ideal=period_words(ideal_days), maximum=period_words(max_days))
        )


# Holidays -------------------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[_\-.]", " ", plain.lower()).split())


@functools.cache
def _countries() -> dict[str, str]:
    """Folded country names and codes -> ISO alpha-2, for every country the holidays package covers."""
    from holidays.registry import COUNTRIES

    index: dict[str, str] = {}
    for module, (class_name, alpha2, alpha3, *_) in COUNTRIES.items():
        spaced = re.sub(r"(?<!^)(?=[A-Z])", " ", class_name)
        for key in (module, spaced, alpha2, alpha3):
            index.setdefault(_fold(key), alpha2)
    for alias, code in _COUNTRY_ALIASES.items():
        index[alias] = code
    return index


def country_name(code: str) -> str:
    from holidays.registry import COUNTRIES

    for class_name, alpha2, *_ in COUNTRIES.values():
        if alpha2 == code:
            return re.sub(r"(?<!^)(?=[A-Z])", " ", class_name)
    return code


def match_country(text: str | None) -> str:
    """ISO alpha-2 code for "Germany", "de", "DEU" or "United Kingdom"; InvalidAnswer otherwise."""
    code = _countries().get(_fold(text or ""))
    if code is None:
        raise InvalidAnswer(
            "I don't know public holidays for that place. Send a country name or its two-letter code, "
            "e.g. <i>Germany</i> or <i>DE</i>."
        )
    return code


# The menu: every setting with its current value and its default ----------------------------------------------


@dataclass(frozen=True)
class SettingsView:
    """What the /settings menu shows; every field is the user's current value."""

    zone: str | None = None
    quiet_start: int = defaults.QUIET_START_MINUTE
    quiet_end: int = defaults.QUIET_END_MINUTE
    paused: bool = False
    paused_until: datetime | None = None  # with ``paused``: None means until resumed
    country: str | None = None
    digest_weekday: int = defaults.DIGEST_WEEKDAY
    muted_kinds: tuple[str, ...] = ()
    strict: bool = False
    max_follow_ups: int = defaults.DEFAULT_MAX_FOLLOW_UPS
    touch_ideal_days: int = defaults.KEEP_IN_TOUCH_IDEAL.days
    touch_max_days: int = defaults.KEEP_IN_TOUCH_MAX.days
    report_back_days: int = defaults.REPORT_BACK_AFTER.days
    not_now_days: int = defaults.NOT_NOW_REASK_AFTER.days


DEFAULTS = SettingsView()


def pause_until_words(view: SettingsView) -> str:
    """ "until you resume them", or "until Thu 4 Dec, 09:00" (local time)."""
    if view.paused_until is None:
        return copy.PAUSED_FOREVER
    local = view.paused_until.astimezone(ZoneInfo(view.zone or "UTC"))
    return copy.PAUSED_UNTIL_WHEN.format(when=f"{local:%a} {local.day} {local:%b, %H:%M}")


def describe_pause(view: SettingsView) -> str:
    """ "on", or "⏸ paused until Thu 4 Dec, 09:00" (local time), or "⏸ paused until you resume them"."""
    return copy.PAUSED.format(until=pause_until_words(view)) if view.paused else copy.PAUSE_OFF


def _strict_words(strict: bool) -> str:
    words = defaults.MAX_REQUEST_WORDS_STRICT if strict else defaults.MAX_REQUEST_WORDS
    return f"{'on' if strict else 'off'}, {words} words"


def _muted_words(kinds: tuple[str, ...]) -> str:
    return escape(", ".join(KIND_LABELS.get(kind, kind) for kind in kinds), quote=False) if kinds else "none"


def _touch_words(ideal: int, maximum: int) -> str:
    return copy.TOUCH_WORDS.format(ideal=period_words(ideal), maximum=period_words(maximum))


def render_settings(view: SettingsView, now: datetime) -> str:
    """The menu (HTML): each setting as "current (default …)"."""
    d = DEFAULTS
    zone = view.zone or "UTC"
    return copy.SETTINGS.format(
        zone=escape(describe_zone(zone, now), quote=False),
        zone_default="UTC",
        quiet=describe_quiet(view.quiet_start, view.quiet_end),
        quiet_default=describe_quiet(d.quiet_start, d.quiet_end),
        pause=describe_pause(view),
        pause_default=copy.PAUSE_OFF,
        country=escape(country_name(view.country), quote=False) if view.country else "none",
        digest_day=WEEKDAYS[view.digest_weekday % 7],
        digest_default=WEEKDAYS[d.digest_weekday],
        muted=_muted_words(view.muted_kinds),
        strict=_strict_words(view.strict),
        strict_default=_strict_words(d.strict),
        follow_ups=view.max_follow_ups,
        follow_ups_default=d.max_follow_ups,
        touch=_touch_words(view.touch_ideal_days, view.touch_max_days),
        touch_default=_touch_words(d.touch_ideal_days, d.touch_max_days),
        report_back=period_words(view.report_back_days),
        report_back_default=period_words(d.report_back_days),
        not_now=period_words(view.not_now_days),
        not_now_default=period_words(d.not_now_days),
    )
