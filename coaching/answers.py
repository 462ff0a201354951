"""Validation of the free-text answers a user gives, with friendly reasons for a re-ask."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class InvalidAnswer(ValueError):
    """An answer the coach cannot use; ``str(error)`` is the re-ask shown to the user."""


_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]*>")
_NAME_CHARS = re.compile(r"^[\w .'\-]+$")


# Bidi embeddings, overrides and isolates can turn the bot's own words around them backwards; a byte-order
# mark is noise. Zero-width (non-)joiners, marks and variation selectors stay: emoji and scripts need them.
_INVISIBLE = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"}
_LINE_BREAK = re.compile("|".join(map(re.escape, _LINE_BREAKS)))


def is_kept(ch: str) -> bool:
    """False for a character no text the bot reads may hold: NUL and other control characters (newlines and
    tabs excepted), lone surrogates, bidi overrides and a byte-order mark. Everything printable stays."""
    if ch in "\n\t":
        return True
    if ch in _INVISIBLE:
        return False
    return unicodedata.category(ch) not in ("Cc", "Cs")


def printable(text: str) -> str:
    """``text`` with every character ``is_kept`` refuses removed, and line breaks of any kind as ``\\n``."""
    if text.isprintable():  # the common case: nothing to do (newlines and tabs are not "printable")
        return text
    return "".join(ch for ch in _LINE_BREAK.sub(lambda m: _LINE_BREAKS[m.group()], text) if is_kept(ch))


def _has_letter(text: str) -> bool:
    return any(unicodedata.category(ch).startswith("L") for ch in text)


def clean_text(text: str | None, *, max_chars: int, what: str) -> str:
    """Return ``text`` trimmed, or raise InvalidAnswer saying how to fix it.

    ``what`` names the answer in the re-ask ("your field", "your pitch").
    """
    text = (text or "").strip()
    if not text:
        raise InvalidAnswer(f"I need a few words for {what}. Could you type it out?")
    if len(text) > max_chars:
        raise InvalidAnswer(
            f"That's {len(text)} characters; please keep {what} under {max_chars}. A short version works best."
        )
    if _MARKUP.search(text):
        raise InvalidAnswer("Please send plain text. Formatting tags such as &lt;b&gt; aren't needed here.")
    if not _has_letter(text):
        raise InvalidAnswer(f"I couldn't find any words in that. Please type {what} in words.")
    return text


def clean_name(text: str | None) -> str:
    """A first name: letters, spaces, hyphens, apostrophes and dots, at most 64 characters."""
    name = clean_text(text, max_chars=64, what="your name")
    if "\n" in name or not _NAME_CHARS.match(name) or "_" in name:
        raise InvalidAnswer(
            "Just your name, please: letters, spaces, hyphens or apostrophes, "
            "for example <i>Maria</i> or <i>Jean-Luc</i>."
        )
    return name


class Period(StrEnum):
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True)
class Goal:
    """How many informational interviews a user aims for per period."""

    count: int
    period: Period

    def describe(self) -> str:
        noun = "conversation" if self.count == 1 else "conversations"
        return f"{self.count} {noun} a {self.period.value}"


GOAL_LIMITS = {Period.WEEK: 14, Period.MONTH: 60}
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a": 1,
    "an": 1,
    "once": 1,
    "twice": 2,
}
_HUGE_WORDS = ("hundred", "thousand", "million", "billion", "infinit", "lots", "many")


def parse_goal(text: str | None) -> Goal:
    """Parse "3", "2 per month", "one a week" or "5/month" into a Goal."""
    lowered = (text or "").strip().lower()
    period = Period.MONTH if re.search(r"\bmonth|/\s*m\b|\bmo\b", lowered) else Period.WEEK
    limit = GOAL_LIMITS[period]
    example = "Please send a number from 1 to 14 a week, e.g. <i>2</i> or <i>6 per month</i>."
    if any(word in lowered for word in _HUGE_WORDS):
        raise InvalidAnswer(f"I love the ambition, but that's more than anyone can prepare for well. {example}")
    if re.search(r"\d\s*e\s*[-+]?\d|\d[.,]\d|\d+\s*\^|\*\*", lowered):  # 1e9, 2.5, 1,000, 10^6, 10**6
        raise InvalidAnswer(f"A whole number, please, written out plainly. {example}")
    match = re.search(r"[-−]?\d+", lowered)
    if match:
        count = int(match.group().replace("−", "-"))
    else:
        words = [_NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", lowered) if w in _NUMBER_WORDS]
        if not words:
            raise InvalidAnswer(f"I couldn't find a number in that. {example}")
        count = words[0]
    if count < 1:
        raise InvalidAnswer(f"The goal needs to be at least 1. {example}")
    if count > limit:
        raise InvalidAnswer(
            f"{count} a {period.value} is more than you could prepare for and follow up on. "
            f"Pick at most {limit} a {period.value}."
        )
    return Goal(count, period)
