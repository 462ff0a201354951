"""Reminder settings: quiet hours, the holiday country, the digest weekday."""

from __future__ import annotations

import functools
import re
import unicodedata

from coaching.answers import InvalidAnswer

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
QUIET_PRESETS = ((21, 8), (22, 7), (20, 9), (23, 6))
_QUIET = re.compile(r"^(\d{1,2})(?::00)?\s*(?:-|–|—|to)\s*(\d{1,2})(?::00)?$")
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


def describe_quiet(start: int, end: int) -> str:
    return "none" if start == end else f"{start:02d}:00–{end:02d}:00"


def parse_quiet_hours(text: str | None) -> tuple[int, int]:
    """ "22-7" or "22:00 to 07:00" -> (22, 7): whole hours, local time."""
    match = _QUIET.match((text or "").strip().lower())
    if not match:
        raise InvalidAnswer("Please send two hours like <i>22-7</i> (from 22:00 to 07:00), or pick a button.")
    start, end = int(match.group(1)), int(match.group(2))
    if not (0 <= start <= 23 and 0 <= end <= 23):
        raise InvalidAnswer("Hours go from 0 to 23. For example: <i>22-7</i>.")
    if start == end:
        raise InvalidAnswer("Start and end are the same hour; pick two different hours, e.g. <i>22-7</i>.")
    awake = (start - end) % 24
    if awake < 8:
        raise InvalidAnswer("That leaves fewer than 8 hours for reminders. Try something like <i>22-7</i>.")
    return start, end


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
