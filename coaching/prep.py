"""The prep pack's checklist: what is ready for a meeting, and what is still missing."""

from __future__ import annotations

from dataclasses import dataclass


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
