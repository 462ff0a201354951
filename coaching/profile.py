"""The user's profile as the coach sees it: career stages, onboarding order, the pitch."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from coaching.answers import Goal, InvalidAnswer, Period, clean_text


class CareerStage(StrEnum):
    STUDENT = "student"
    RECENT_GRADUATE = "graduate"
    CHANGING_CAREERS = "changer"
    RETURNING = "returning"
    OTHER = "other"


STAGE_LABELS = {
    CareerStage.STUDENT: "Student",
    CareerStage.RECENT_GRADUATE: "Recent graduate",
    CareerStage.CHANGING_CAREERS: "Changing careers",
    CareerStage.RETURNING: "Returning to work",
    CareerStage.OTHER: "Something else",
}

# How the pitch introduces each stage; "{field}" is filled in.
_STAGE_OPENINGS = {
    CareerStage.STUDENT: "I'm a student exploring {field}",
    CareerStage.RECENT_GRADUATE: "I graduated recently and I'm exploring {field}",
    CareerStage.CHANGING_CAREERS: "I'm changing careers and looking closely at {field}",
    CareerStage.RETURNING: "I'm returning to work and exploring {field}",
    CareerStage.OTHER: "I'm exploring {field}",
}

PITCH_MAX_CHARS = 700


class Step(StrEnum):
    """Onboarding steps, in the order they are asked."""

    NAME = "name"
    FIELD = "field"
    ROLES = "roles"
    STAGE = "stage"
    TIMEZONE = "timezone"
    GOAL = "goal"
    MOTIVATION = "motivation"
    PITCH = "pitch"


STEP_ORDER = tuple(Step)


@dataclass(frozen=True)
class ProfileView:
    """The profile fields onboarding fills, as plain values (None when not given yet)."""

    name: str | None = None
    field: str | None = None
    roles: str | None = None
    stage: str | None = None
    timezone: str | None = None
    goal_count: int | None = None
    goal_period: str | None = None
    motivation: str | None = None
    pitch: str | None = None

    def value_of(self, step: Step) -> object | None:
        if step is Step.GOAL:
            return self.goal
        return getattr(self, step.value)

    @property
    def goal(self) -> Goal | None:
        if self.goal_count is None or self.goal_period is None:
            return None
        return Goal(self.goal_count, Period(self.goal_period))

    @property
    def complete(self) -> bool:
        return first_missing_step(self) is None


def first_missing_step(profile: ProfileView) -> Step | None:
    """The first onboarding step with no answer yet, or None when the profile is complete."""
    for step in STEP_ORDER:
        if profile.value_of(step) in (None, ""):
            return step
    return None


def step_after(step: Step) -> Step | None:
    index = STEP_ORDER.index(step)
    return STEP_ORDER[index + 1] if index + 1 < len(STEP_ORDER) else None


def clean_motivation(text: str | None) -> str:
    return clean_text(text, max_chars=300, what="your reason")


def clean_pitch(text: str | None) -> str:
    return clean_text(text, max_chars=PITCH_MAX_CHARS, what="your pitch")


def _as_clause(text: str) -> str:
    """Turn "To see how ..." into "to see how ..." so it can follow "because"."""
    text = text.strip().rstrip(".!")
    if text.lower().startswith("because "):
        text = text[len("because ") :]
    first_word = text.split()[0] if text.split() else ""
    if first_word in {"I", "I'm", "I've", "I'd", "I'll"} or first_word.isupper():
        return text
    return text[:1].lower() + text[1:]


def draft_pitch(profile: ProfileView) -> str:
    """Assemble a short personal pitch: who they are, what interests them, why they ask."""
    stage = CareerStage(profile.stage) if profile.stage else CareerStage.OTHER
    opening = _STAGE_OPENINGS[stage].format(field=profile.field or "a new field")
    parts = [f"Hi, I'm {profile.name}." if profile.name else "Hi!"]
    roles = f", especially roles like {profile.roles.rstrip('.')}" if profile.roles else ""
    parts.append(f"{opening}{roles}.")
    if profile.motivation:
        reason = _as_clause(profile.motivation)
        linker = (
            "I'd love to learn from people in the field because"
            if not reason.lower().startswith(("to ", "because "))
            else "I'd love to learn from people in the field"
        )
        parts.append(f"{linker} {reason}.")
    pitch = " ".join(parts)
    if len(pitch) > PITCH_MAX_CHARS:
        raise InvalidAnswer("That pitch came out too long; please shorten your answers.")
    return pitch
