"""The prep pack: everything for a meeting on one page, and the checklist of what is still missing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

from coaching.meetings import MeetingFormat, describe

NOTE_CHARS = 400  # research notes are cut to this in the pack, so it stays one readable message


@dataclass(frozen=True)
class PrepState:
    has_pitch: bool
    has_company_notes: bool
    has_person_notes: bool
    questions: int
    question_range: tuple[int, int]
    has_place: bool
    in_person: bool
    has_offer: bool


def checklist(state: PrepState) -> list[tuple[str, bool]]:
    """Each item of the method's preparation, ticked or not (the résumé is the user's to tick)."""
    low, high = state.question_range
    place = "Way there planned" if state.in_person else "Link or number at hand, and tested"
    return [
        ("Résumé ready, in case they ask", False),
        ("Pitch rehearsed", state.has_pitch),
        ("Their company researched", state.has_company_notes),
        ("Their work and path researched", state.has_person_notes),
        (f"{low}–{high} questions chosen", low <= state.questions <= high),
        ("Something to offer in return", state.has_offer),
        (place, state.has_place),
    ]


@dataclass(frozen=True)
class Pack:
    """What the prep pack shows, as plain values."""

    meeting_id: int
    contact_id: int
    contact_name: str
    company: str | None
    role: str | None
    starts_at: datetime
    minutes: int
    format: MeetingFormat
    place: str | None
    zone: str
    pitch: str | None
    company_notes: str | None
    person_notes: str | None
    offer: str | None
    questions: list[str]  # rendered, in the meeting's order, "who else" last
    checklist: list[tuple[str, bool]]


def _esc(text: str | None, limit: int | None = None) -> str:
    text = text or ""
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return escape(text, quote=False)


def render_pack(pack: Pack, now: datetime) -> str:
    """The prep pack (HTML): the meeting, the pitch, the research, the three phases with the questions,
    the offer and the checklist."""
    who = (
        _esc(pack.contact_name)
        + (f", {_esc(pack.role)}" if pack.role else "")
        + (f" at {_esc(pack.company)}" if pack.company else "")
    )
    place = f" · {_esc(pack.place, 200)}" if pack.place else ""
    lines = [
        f"📋 <b>Prep pack: {who}</b>",
        f"{_esc(describe(pack.starts_at, pack.zone, now))} · {pack.minutes} min · {_esc(pack.format.label)}{place}",
        "",
        "<b>Your pitch</b>",
        f"<i>{_esc(pack.pitch)}</i>" if pack.pitch else "⚠️ No pitch yet: /profile",
    ]
    if pack.company_notes or pack.person_notes:
        lines += ["", "<b>Your research</b>"]
        lines += [f"🏢 {_esc(pack.company_notes, NOTE_CHARS)}"] if pack.company_notes else []
        lines += [f"🙋 {_esc(pack.person_notes, NOTE_CHARS)}"] if pack.person_notes else []
    lines += ["", "<b>The conversation</b>", "1. Thanks, and a minute of small talk.", "2. Your questions:"]
    lines += [f"   • {_esc(q)}" for q in pack.questions]
    lines += ["3. Next steps: who else should you talk to, may you stay in touch? Offer to stop on time."]
    if pack.offer:
        lines += ["", f"🎁 <b>To offer:</b> {_esc(pack.offer, NOTE_CHARS)}"]
    lines += ["", "<b>Checklist</b>"] + [f"{'✅' if done else '⬜️'} {_esc(item)}" for item, done in pack.checklist]
    return "\n".join(lines)
