"""After a conversation: the reflection's questions, the answers, and what they turn into."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from coaching.defaults import MAX_CONTACT_FIELD_CHARS, MAX_CONTACT_NAME_CHARS
from coaching.enums import DraftKind
from coaching.templates import Draft, first_name, salutation


class FieldFit(StrEnum):
    """Is this still the user's field, after the conversation?"""

    YES = "yes"
    UNSURE = "unsure"
    NO = "no"


@dataclass(frozen=True)
class Answers:
    """A reflection's answers; every one may be skipped (None)."""

    rating: int | None = None  # how it went, 1-5
    learned: str | None = None  # the work, the culture, the trends
    looking_for: str | None = None  # what employers in this field look for
    resume: str | None = None  # what to change in the résumé or pitch
    still_field: FieldFit | None = None
    open_questions: str | None = None
    matters: str | None = None  # what matters in the next employer
    referrals: str | None = None  # people they suggested, as typed
    promised: str | None = None  # what the user promised to do or send


# The questions, in order: each is skippable; ``kind`` says which buttons it gets.


@dataclass(frozen=True)
class Step:
    key: str  # the Answers field it fills
    prompt: str  # HTML, no user text
    example: str = ""
    kind: str = "text"  # "rating" (1-5 buttons), "fit" (yes / unsure / no buttons) or "text"


STEPS: tuple[Step, ...] = (
    Step("rating", "How did the conversation with <b>{name}</b> go, from 1 (rough) to 5 (great)?", kind="rating"),
    Step(
        "learned",
        "What did you learn about the work, the culture or where the field is heading?",
        "Teams ship every week; writing skills matter more than I thought",
    ),
    Step(
        "looking_for",
        "What do employers in this field look for?",
        "People who can show a project end to end, not just certificates",
    ),
    Step(
        "resume",
        "Would you change anything in your résumé or your pitch?",
        "Lead with the data project; drop the old retail job",
    ),
    Step("still_field", "Is this still the field for you?", kind="fit"),
    Step("open_questions", "Which questions are still open?", "How do people move from support into product?"),
    Step(
        "matters",
        "What matters to you in your next employer?",
        "A team that reviews each other's work; a short commute",
    ),
    Step(
        "referrals",
        "Did they suggest anyone else to talk to? One person per line, with their company if you know it.",
        "Sam Park (Globex)\nLena Fischer at Initech",
    ),
    Step("promised", "Did you promise to do or send anything?", "Send my portfolio link; read the book she mentioned"),
)
STEP_KEYS = tuple(step.key for step in STEPS)
TEXT_KEYS = tuple(step.key for step in STEPS if step.kind == "text")
MAX_ANSWER_CHARS = 1000  # a typed answer; longer ones are asked again, shorter
MAX_REFERRALS = 5  # people taken from one reflection; the summary names the rest


def too_long(text: str) -> bool:
    """A typed answer over MAX_ANSWER_CHARS (after trimming), to be asked again rather than cut."""
    return len(text.strip()) > MAX_ANSWER_CHARS


UNREADABLE = object()  # a typed answer to a question that takes a button: "4" works for the rating, "great" doesn't


def read_typed(step: Step, text: str) -> str | int | None | object:
    """What a typed answer means: None for a skip, a rating 1-5, a field-fit value, the text itself, or
    UNREADABLE when the question needs one of its buttons."""
    if text.lower() in ("skip", "/skip", "-"):
        return None
    if step.kind == "rating":
        return int(text) if text in ("1", "2", "3", "4", "5") else UNREADABLE
    if step.kind == "fit":
        word = text.lower().rstrip(".!")
        return next((fit.value for fit in FieldFit if word == fit.value), UNREADABLE)
    return text


def accepts(step: Step, value: object, *, by_button: bool = False) -> bool:
    """Whether ``value`` answers ``step`` at all (a forged button may carry anything): None skips any step,
    and a text question takes typed text only."""
    if value is None:
        return True
    if by_button and step.kind == "text":
        return False
    if step.kind == "rating":
        return isinstance(value, int) and 1 <= value <= 5
    if step.kind == "fit":
        return value in set(FieldFit)
    return isinstance(value, str)


def with_answer(answers: Answers, key: str, value: str | int | None) -> Answers:
    """The answers with one more filled in (``value`` None: skipped). Unknown keys are refused."""
    if key not in STEP_KEYS:
        raise ValueError(f"not a reflection question: {key}")
    if key == "rating" and value is not None and not (isinstance(value, int) and 1 <= value <= 5):
        raise ValueError("a rating is 1-5")
    if key != "still_field" and isinstance(value, str) and _NOBODY.match(value.strip()):
        value = None  # "no" to "did you promise anything?" is a skip, not a plan item
    fields: dict[str, Any] = {key: FieldFit(str(value)) if key == "still_field" and value is not None else value}
    return replace(answers, **fields)


def skipped_everything(answers: Answers) -> bool:
    return all(getattr(answers, key) in (None, "") for key in STEP_KEYS)


# Referrals: "Sam Park (Globex)", "Lena Fischer at Initech", "Jo from Acme", or a bare name.

_NOBODY = re.compile(r"^(no|none|nothing|nobody|no one|not yet|not really|n/?a|-+|nope)[.!]?$", re.I)
_WITH_COMPANY = re.compile(
    r"^(?P<name>.+?)\s*(?:\((?P<paren>[^()]+)\)|\s+(?:at|from|@)\s+(?P<at>.+)|\s+[-–—]\s+(?P<dash>.+))$"
)


@dataclass(frozen=True)
class Referral:
    name: str
    company: str | None = None


def parse_referrals(text: str | None) -> list[Referral]:
    """People typed one per line (or separated by ";"), each with an optional company: the first MAX_REFERRALS.

    A name or company longer than a contact keeps is asked again as it is typed (``overlong_referral``); the
    cut here only guards answers saved before that check."""
    return [
        Referral(r.name[:MAX_CONTACT_NAME_CHARS], r.company[:MAX_CONTACT_FIELD_CHARS] if r.company else None)
        for r in _all_referrals(text)[:MAX_REFERRALS]
    ]


def overlong_referral(step: Step, text: str) -> tuple[str, int, int] | None:
    """For the referrals question, the first name or company among the people taken that is longer than a
    contact keeps: ("name" or "company", its length, the limit), to be asked again rather than cut."""
    if step.key != "referrals":
        return None
    for person in _all_referrals(text)[:MAX_REFERRALS]:
        if len(person.name) > MAX_CONTACT_NAME_CHARS:
            return "name", len(person.name), MAX_CONTACT_NAME_CHARS
        if person.company and len(person.company) > MAX_CONTACT_FIELD_CHARS:
            return "company", len(person.company), MAX_CONTACT_FIELD_CHARS
    return None


def referrals_left_out(text: str | None) -> list[Referral]:
    """The people typed beyond MAX_REFERRALS: not added, so the summary can say who to /add by hand."""
    return _all_referrals(text)[MAX_REFERRALS:]


def _all_referrals(text: str | None) -> list[Referral]:
    found: list[Referral] = []
    for raw in re.split(r"[\n;]+", text or ""):
        line = raw.strip(" \t\r.,•*-")
        if not line or _NOBODY.match(line):
            continue
        match = _WITH_COMPANY.match(line)
        name, company = (line, None)
        if match:
            name = match["name"].strip(" ,")
            company = (match["paren"] or match["at"] or match["dash"] or "").strip() or None
        if name and not any(r.name.lower() == name.lower() for r in found):
            found.append(Referral(name, company))
    return found


# The "now what" plan --------------------------------------------------------------------------------------


class PlanKind(StrEnum):
    RESUME = "resume"  # edit the résumé or pitch
    SEND = "send"  # something promised to the contact
    REACH = "reach"  # a person they suggested
    EXPLORE = "explore"  # unsure or no: compare with another company, department or field
    ASK = "ask"  # open questions for the next conversation


@dataclass(frozen=True)
class PlanItem:
    kind: PlanKind
    text: str  # plain text with the user's words in it: escape before HTML
    referral: Referral | None = None


def _cleaned(answers: Answers) -> Answers:
    """A typed "no" or "none" to a yes/no-style question is a skip, never content to quote."""
    said = {key: None for key in TEXT_KEYS if _NOBODY.match((getattr(answers, key) or "").strip())}
    return replace(answers, **said) if said else answers


def build_plan(answers: Answers, contact_name: str) -> list[PlanItem]:
    """Turn a reflection into a short action list, most concrete first."""
    answers = _cleaned(answers)
    plan: list[PlanItem] = []
    if answers.promised:
        plan.append(PlanItem(PlanKind.SEND, f"For {contact_name}: {_clause(answers.promised)}"))
    if answers.resume:
        plan.append(PlanItem(PlanKind.RESUME, f"Résumé or pitch: {_clause(answers.resume)}"))
    for person in parse_referrals(answers.referrals):
        where = f" ({person.company})" if person.company else ""
        plan.append(PlanItem(PlanKind.REACH, f"Reach out to {person.name}{where}, suggested by {contact_name}", person))
    if answers.still_field is FieldFit.UNSURE:
        plan.append(PlanItem(PlanKind.EXPLORE, "Talk to someone in another company or department next, to compare"))
    elif answers.still_field is FieldFit.NO:
        plan.append(
            PlanItem(
                PlanKind.EXPLORE, "Talk to someone in a neighbouring field or role next: what would fit you better?"
            )
        )
    if answers.open_questions:
        plan.append(PlanItem(PlanKind.ASK, f"Take to your next conversation: {_clause(answers.open_questions)}"))
    return plan


def _clause(text: str, limit: int = 200) -> str:
    """The user's words on one line, without closing punctuation, cut at a word if long."""
    line = " ".join(text.split()).rstrip(" .;,")
    return line if len(line) <= limit else line[:limit].rsplit(" ", 1)[0] + "…"


def suggests_token(answers: Answers) -> bool:
    """A lead or a mentor deserves a small token of thanks (a card, a coffee, the book they mentioned)."""
    words = " ".join(str(getattr(answers, key) or "") for key in ("learned", "promised", "matters")).lower()
    return bool(parse_referrals(answers.referrals)) or "mentor" in words


TOKEN_IDEAS = "a handwritten card, a coffee on you next time, or the book they recommended"


# The thank-you note ---------------------------------------------------------------------------------------


def thank_you_note(sender_name: str, contact_name: str, answers: Answers, *, specific_hint: str = "") -> Draft:
    """A short thank-you that names one thing they said and anything the user promised. Never a request."""
    answers = _cleaned(answers)
    detail = answers.learned or answers.looking_for or answers.resume
    referrals = parse_referrals(answers.referrals)
    lines = [
        f"Hi {salutation(contact_name)},",
        "",
        "Thank you for taking the time to talk with me. I really appreciated it.",
    ]
    if detail:
        lines.append(f"One thing you said has stayed with me: {_clause(detail, 160)}.")
    else:
        lines.append(specific_hint or "Your advice gave me a clearer picture of the work and what to do next.")
    if referrals:
        names = _and(first_name(r.name) if len(referrals) > 1 else r.name for r in referrals)
        lines.append(f"Thank you also for suggesting I speak with {names}; I'll reach out this week.")
    if answers.promised:
        lines.append(f"As promised, I'll follow up on this: {_clause(answers.promised, 160)}.")
    lines += ["I'll let you know how things go.", "", "Best wishes,", sender_name]
    return Draft(DraftKind.THANK_YOU, "\n".join(lines), "Thank you for your time")


def _and(items: Iterable[str]) -> str:
    names = list(items)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
