"""Request drafts for each channel (coaching.templates), and the review of any draft against the method."""

from __future__ import annotations

from coaching import defaults
from coaching.enums import REQUEST_KINDS as REQUEST_KINDS  # re-exported: drafts are where callers look
from coaching.enums import DraftKind

WORD_LIMIT = defaults.MAX_REQUEST_WORDS
STRICT_WORD_LIMIT = defaults.MAX_REQUEST_WORDS_STRICT
LINKEDIN_NOTE_LIMIT = defaults.LINKEDIN_NOTE_MAX_CHARS
MAX_DRAFT_CHARS = 3500  # room to spare under Telegram's 4,096 for the review around it


KIND_LABELS = {
    DraftKind.EMAIL: "Email",
    DraftKind.LINKEDIN_NOTE: "LinkedIn connection note",
    DraftKind.LINKEDIN_MESSAGE: "LinkedIn message",
    DraftKind.PHONE: "Phone or HR call script",
    DraftKind.INTRO: "Ask a mutual contact for an intro",
    DraftKind.FOLLOW_UP: "Follow-up",
    DraftKind.CLOSING: "Gentle closing note",
}


# The templates live in coaching.templates; these names stay importable from here.
from coaching.templates import Draft, FollowUpContext, Recipient, Sender, compose, salutation, shorten  # noqa: E402

__all__ = [
    "KIND_LABELS", "MAX_DRAFT_CHARS", "REQUEST_KINDS", "Draft", "DraftKind", "FollowUpContext", "Recipient",
    "Sender", "compose", "salutation", "shorten",
]  # fmt: skip


# Review -----------------------------------------------------------------------------------------------

from coaching.review import Check, passed, review, word_count  # noqa: E402, F401  (the review lives in coaching.review)
