"""Recognising a pasted draft: text sent outside any flow that reads like a request to someone."""

from __future__ import annotations

import re

_GREETING = re.compile(r"^\s*(?:subject:|hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings)\b", re.I)
_WORD = re.compile(r"[\w'’-]+")
MIN_WORDS = 25


def looks_like_draft(text: str | None) -> bool:
    """A message of some length that opens like a letter, or asks something and is signed off."""
    if not text:
        return False
    words = len(_WORD.findall(text))
    if words < MIN_WORDS:
        return False
    signed = bool(re.search(r"\n\s*[A-Z][\w'’-]+\s*$", text.strip())) or bool(
        re.search(r"\b(thanks|thank you|best|regards|cheers)\b[,!.]?\s*\n", text, re.I)
    )
    return bool(_GREETING.match(text)) or ("?" in text and signed)
