"""Onboarding as data: for each step, how a typed answer is read, which buttons it offers and what
each button stands for. handlers/onboarding.py compiles this table into one ConversationHandler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from html import escape

from coaching import copy
from coaching.answers import Goal, InvalidAnswer, Period, clean_name, clean_text, parse_goal
from coaching.profile import (
    STAGE_LABELS,
    CareerStage,
    ProfileView,
    Step,
    clean_motivation,
    clean_pitch,
    draft_pitch,
    first_missing_step,
    step_after,
)
from coaching.timezones import match_timezone

GOAL_CHOICES = (Goal(1, Period.WEEK), Goal(2, Period.WEEK), Goal(3, Period.WEEK), Goal(4, Period.MONTH))
DRAFTED_PITCH = "ok"


class Unclear(InvalidAnswer):
    """A typed answer that could mean several things: re-ask with these (label, raw value) choices."""

    def __init__(self, message: str, choices: tuple[tuple[str, str], ...]) -> None:
        super().__init__(message)
        self.choices = choices


@dataclass(frozen=True)
class StepSpec:
    """One onboarding question.

    ``parse`` reads a typed answer (raises InvalidAnswer, or Unclear with choices, to re-ask);
    ``choices`` are the buttons offered (label, raw value); ``from_choice`` turns a pressed raw value
    into the answer, or None when the value isn't one this step offers (callback data is untrusted).
    """

    parse: Callable[[str], object]
    choices: Callable[[ProfileView, str], tuple[tuple[str, str], ...]] = lambda profile, telegram_name: ()
    from_choice: Callable[[str, ProfileView, str], object | None] = lambda raw, profile, telegram_name: None
    columns: int = 1
    share_location: bool = False  # offer the "share my location" keyboard (the time zone)
    show_current: bool = False  # show the current answer in full under the question (the pitch)


def _text(what: str) -> Callable[[str], str]:
    return lambda text: clean_text(text, max_chars=200, what=what)


def _name_choices(profile: ProfileView, telegram_name: str) -> tuple[tuple[str, str], ...]:
    try:
        return ((copy.NAME_FROM_TELEGRAM.format(name=clean_name(telegram_name)), "tg"),)
    except InvalidAnswer:
        return ()


def _name_from_choice(raw: str, profile: ProfileView, telegram_name: str) -> str | None:
    if raw != "tg":
        return None
    try:
        return clean_name(telegram_name)
    except InvalidAnswer:
        return None


def _parse_stage(text: str) -> str:
    lowered = text.strip().lower()
    for stage, label in STAGE_LABELS.items():
        if lowered in (label.lower(), stage.value):
            return stage.value
    raise InvalidAnswer(copy.PICK_A_BUTTON)


def _parse_zone(text: str) -> str:
    match = match_timezone(text)
    if match.zone:
        return match.zone
    shown = escape(text[:60], quote=False)
    if match.suggestions:
        raise Unclear(copy.ZONE_SUGGEST.format(text=shown), tuple((zone, zone) for zone in match.suggestions))
    raise InvalidAnswer(copy.ZONE_UNKNOWN.format(text=shown))


def _zone_from_choice(raw: str, profile: ProfileView, telegram_name: str) -> str | None:
    return match_timezone(raw).zone if "/" in raw or raw == "UTC" else None


def _goal_key(goal: Goal) -> str:
    return f"{goal.count}{goal.period.value[0]}"


STEPS: dict[Step, StepSpec] = {
    Step.NAME: StepSpec(clean_name, _name_choices, _name_from_choice),
    Step.FIELD: StepSpec(_text("your field")),
    Step.ROLES: StepSpec(_text("the roles")),
    Step.STAGE: StepSpec(
        _parse_stage,
        lambda profile, name: tuple((label, stage.value) for stage, label in STAGE_LABELS.items()),
        lambda raw, profile, name: raw if raw in set(CareerStage) else None,
        columns=2,
    ),
    Step.TIMEZONE: StepSpec(_parse_zone, from_choice=_zone_from_choice, share_location=True),
    Step.GOAL: StepSpec(
        parse_goal,
        lambda profile, name: tuple((f"{g.count} a {g.period.value}", _goal_key(g)) for g in GOAL_CHOICES),
        lambda raw, profile, name: next((g for g in GOAL_CHOICES if _goal_key(g) == raw), None),
        columns=len(GOAL_CHOICES),
    ),
    Step.MOTIVATION: StepSpec(clean_motivation),
    Step.PITCH: StepSpec(
        clean_pitch,
        lambda profile, name: ((copy.USE_PITCH, DRAFTED_PITCH),),
        lambda raw, profile, name: draft_pitch(profile) if raw == DRAFTED_PITCH else None,
        show_current=True,
    ),
}


def prompt(step: Step, profile: ProfileView) -> str:
    """The question for ``step`` (HTML); the pitch step shows the pitch drafted from the answers."""
    text = copy.PROMPTS[step]
    return text.format(pitch=escape(draft_pitch(profile), quote=False)) if step is Step.PITCH else text


class Mode(StrEnum):
    NEXT_MISSING = "next"  # first run or "continue": ask what is still unanswered
    ALL = "all"  # "go through all questions": every step, with a Keep button
    SINGLE = "single"  # "edit a detail": one step, then back to the summary


def next_step(step: Step, profile: ProfileView, mode: Mode) -> Step | None:
    """What to ask after ``step``: the next in order, or the next unanswered one (None: done)."""
    if mode is Mode.SINGLE:
        return None
    return step_after(step) if mode is Mode.ALL else first_missing_step(profile)
