"""Request drafts for each channel, and the review of any draft against the method.

Pure functions: the profile and contact come in as plain values; ``variant`` picks among phrasings,
so two people never get word-for-word the same message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Sender:
    name: str
    field: str
    stage: str | None = None


@dataclass(frozen=True)
class Recipient:
    name: str
    company: str | None = None
    role: str | None = None
    relation: str | None = None
    via: str | None = None


@dataclass(frozen=True)
class Draft:
    kind: DraftKind
    body: str
    subject: str | None = None

    def full_text(self) -> str:
        return f"Subject: {self.subject}\n\n{self.body}" if self.subject else self.body


def _first(name: str) -> str:
    return name.split()[0] if name.split() else name


def _pick(options: tuple[str, ...], variant: int, salt: int = 0) -> str:
    return options[(variant + salt) % len(options)]


def _connection(to: Recipient, variant: int) -> str:
    """The opening: why this person, and what links you (it always comes first)."""
    if to.relation == "fof" and to.via:
        return _pick(
            (
                f"{to.via} suggested I get in touch with you.",
                f"Our mutual contact {to.via} thought you would be a great person to ask.",
                f"{to.via} mentioned your name and said you might be open to a short chat.",
            ),
            variant,
        ).replace("  ", " ")
    if to.relation == "alumni":
        return _pick(
            (
                "As a fellow alum, I found you through our alumni network.",
                "We share an alma mater, which is how I came across your profile.",
                "I'm a fellow graduate of your school and found you through our alumni network.",
            ),
            variant,
        )
    if to.relation == "event":
        return _pick(
            (
                "We met at a recent event, and our conversation stayed with me.",
                "It was good meeting you at the event the other week.",
                "After we met at the event, I wanted to follow up.",
            ),
            variant,
        )
    if to.relation == "close":
        return _pick(
            (
                "I hope you're well! You know what I'm up to these days, so you're the first person I thought of.",
                "It's been a while, and I hope all is well with you.",
                "I hope you're doing well.",
            ),
            variant,
        )
    where = f" at {to.company}" if to.company else ""
    return _pick(
        (
            f"I came across your work{where} while researching the field.",
            f"Your work{where} came up again and again in my research.",
            f"I found your profile while reading about teams{where or ' like yours'}.",
        ),
        variant,
    )


def _interest(to: Recipient, field: str, variant: int) -> str:
    """About them: what the user would like to learn from this person."""
    role = to.role or "your role"
    company = f" at {to.company}" if to.company else ""
    return _pick(
        (
            f"Your path to {role}{company} is exactly what I'd love to hear about.",
            f"Your path to {role}{company}, and what the work is like day to day, would help me a lot.",
            f"Your experience as {role}{company} is the kind of perspective I'm looking for in {field}.",
        ),
        variant,
        salt=1,
    )


_STAGE_PHRASES = {
    "student": "As a student interested in {field}",
    "graduate": "As a recent graduate interested in {field}",
    "changer": "As someone moving into {field}",
    "returning": "As someone returning to work in {field}",
}


def _who(sender: Sender) -> str:
    return _STAGE_PHRASES.get(sender.stage or "", "As someone exploring {field}").format(field=sender.field)


def _ask(variant: int, minutes: str = "20-minute") -> str:
    return _pick(
        (
            f"Would you be open to a {minutes} call in the next few weeks?",
            f"Could you spare {minutes.replace('-minute', ' minutes')} for a phone or video call sometime soon?",
            f"Might you have time for a {minutes} chat, by phone or video, in the coming weeks?",
        ),
        variant,
        salt=2,
    )


def _flex(variant: int) -> str:
    return _pick(
        (
            "Any time that suits you works for me, even outside working hours.",
            "I'm happy to fit around your schedule, early or late.",
            "Whenever is convenient for you is fine, including evenings.",
        ),
        variant,
        salt=3,
    )


def _thanks(variant: int) -> str:
    return _pick(
        ("Thank you for considering it.", "Thank you so much for your time.", "I really appreciate you reading this."),
        variant,
        salt=4,
    )


def compose(kind: DraftKind, sender: Sender, to: Recipient, *, variant: int = 0, short: bool = False) -> Draft:
    """A draft of ``kind`` from ``sender`` to ``to``; ``short`` keeps it within the strict limit."""
    first = _first(to.name)
    connection, interest = _connection(to, variant), _interest(to, sender.field, variant)
    ask, flex, thanks = _ask(variant), _flex(variant), _thanks(variant)
    who = _who(sender)
    if kind is DraftKind.LINKEDIN_NOTE:
        body = f"Hi {first}! {connection} {who}, I'd value your view on your work. {ask} Happy to fit your schedule. {thanks}"
        if len(body) > LINKEDIN_NOTE_LIMIT:
            body = f"Hi {first}! {connection} {ask} Happy to fit your schedule. {thanks}"
        return Draft(kind, body)
    if kind is DraftKind.PHONE:
        middle = f"{who}, your view of the work from the inside would help me a lot.\n" if not short else ""
        body = (
            f"Hi {first}, this is {sender.name}. {connection}\n{middle}"
            f"Would you have 15 minutes sometime for a few questions? {flex}\n"
            f"If someone else on your team is better placed, could you point me to them?\n"
            f"{thanks}"
        )
        return Draft(kind, body)
    if kind is DraftKind.INTRO:
        via = _first(to.via) if to.via else "there"
        target = to.name + (f" at {to.company}" if to.company else "")
        body = (
            f"Hi {via},\n\nYou mentioned you know {target}. {who}, hearing about "
            f"{to.role or 'their work'} from the inside would help me a lot. Would you be comfortable "
            f"introducing us? I'd ask them for 20 minutes on a call, at whatever time suits them.\n\n"
            f"Thank you, and let me know if I can return the favour.\n{sender.name}"
        )
        return Draft(kind, body, subject=f"Would you introduce me to {_first(to.name)}?")
    if kind is DraftKind.FOLLOW_UP:
        body = (
            f"Hi {first},\n\nI wanted to follow up on my note from last week, knowing how full your days "
            f"must be. Would you have 15 minutes for a quick call in the coming weeks? {flex}\n\n"
            f"Thank you either way,\n{sender.name}"
        )
        return Draft(kind, body, subject="Following up: 15 minutes of your advice?")
    if kind is DraftKind.CLOSING:
        body = (
            f"Hi {first},\n\nI realise you're extremely busy, and that's surely why I haven't heard back, "
            f"which is completely fine. Thank you for reading my earlier note; I may reach out again "
            f"down the road.\n\nAll the best,\n{sender.name}"
        )
        return Draft(kind, body, subject="Thank you")
    middle = (
        f"{interest} {who}, your perspective would mean a lot." if not short else f"{who}, your view would help me."
    )
    body = f"Hi {first},\n\n{connection} {middle}\n\n{ask} {flex}\n\n{thanks}\n{sender.name}"
    subject = None
    if kind is DraftKind.EMAIL:
        subject = _pick(
            (
                f"{to.via} suggested I reach out" if to.via else f"A question about your work in {sender.field}",
                f"20 minutes of your advice on {sender.field}?",
                f"Learning about your work{' at ' + to.company if to.company else ''}",
            ),
            variant,
        )
    return Draft(kind, body, subject=subject)


# Review -----------------------------------------------------------------------------------------------

_JOB_WORDS = re.compile(
    r"\b(jobs?|openings?|vacanc(?:y|ies)|r[ée]sum[ée]s?|cvs?|referrals?|hiring|hire me|"
    r"positions? (?:open|available)|employment|apply|application)\b",
    re.I,
)
_CONNECTION_CUES = re.compile(
    r"\b(suggested|mutual|introduc|referred|recommended|mentioned|fellow|alum|alma mater|"
    r"we met|met you|meeting you|our conversation|friend|colleague|classmate|"
    r"came across|found (?:you|your)|your (?:talk|article|post|work|profile)|"
    r"know you|you know|hope you|been a while|this is|follow(?:ing)? up on my)",
    re.I,
)
_TIME_ASK = re.compile(
    r"\b(?:(?:1[05]|20|25|30|fifteen|twenty|thirty)[\s-]*(?:min|minutes?|mins?)\b|"
    r"half an hour|an hour|one hour|a quick coffee)",
    re.I,
)
_TOO_LONG_ASK = re.compile(r"\b(?:[4-9]\d|\d{3,})[\s-]*(?:min|minutes?)\b|\b(?:[2-9]|two|three)[\s-]*hours?\b", re.I)
_THANKS = re.compile(r"\b(thank|thanks|appreciate|grateful)", re.I)
_FLEX = re.compile(
    r"\b(your schedule|their schedule|suits (?:you|them)|convenient|flexible|whenever|fit around|works for you|"
    r"any time|anytime|at your convenience|outside (?:of )?(?:working|business|office) hours|"
    r"evenings?|weekends?)\b",
    re.I,
)
_PLACEHOLDER = re.compile(r"\[[^\]\n]{1,40}\]|\{[^}\n]{1,40}\}|<<[^>\n]{1,40}>>|\bXX+\b|\bTODO\b|_{3,}")
_I_WORDS = re.compile(r"\b(i|me|my|mine|myself|i'm|i'd|i've|i'll)\b", re.I)
_YOU_WORDS = re.compile(r"\b(you|your|yours|yourself|you're|you'd|you've|you'll)\b", re.I)
_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class Check:
    key: str
    ok: bool
    label: str
    fix: str = ""


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def review(text: str, kind: DraftKind | None = None, *, strict: bool = False) -> list[Check]:
    """Check a draft against the method. Each failed check carries a short, concrete fix."""
    body = re.sub(r"^subject:.*\n", "", text.strip(), flags=re.I)
    words = word_count(body)
    limit = STRICT_WORD_LIMIT if strict else WORD_LIMIT
    opening = " ".join(_WORD.findall(body)[:30])
    jobs = sorted({m.group(0).lower() for m in _JOB_WORDS.finditer(body)})
    i_count, you_count = len(_I_WORDS.findall(body)), len(_YOU_WORDS.findall(body))
    placeholders = _PLACEHOLDER.findall(body)
    checks = [
        Check(
            "length",
            words <= limit,
            f"{words} words (aim for {limit} or fewer)",
            "Cut the background about yourself to one sentence; busy people read short notes.",
        ),
        Check(
            "connection",
            bool(_CONNECTION_CUES.search(opening)),
            "Your connection comes first",
            "Open with what links you: who suggested them, a shared school, or how you found their work.",
        ),
        Check(
            "no_job",
            not jobs,
            "No mention of jobs, résumés or referrals" if not jobs else f"Mentions {', '.join(jobs)}",
            "Take it out: ask for their insight, not a job. That comes later, if at all.",
        ),
        Check(
            "question",
            "?" in body,
            "The ask is a question",
            'Phrase the ask as a question, e.g. "Would you be open to a 20-minute call?"',
        ),
        Check(
            "time",
            bool(_TIME_ASK.search(body)) and not _TOO_LONG_ASK.search(body),
            "Asks for a modest amount of time",
            "Name a small amount of time: 15–30 minutes by phone, or up to an hour in person.",
        ),
        Check("thanks", bool(_THANKS.search(body)), "Thanks them", "Add a line thanking them for their time."),
        Check(
            "flexible",
            bool(_FLEX.search(body)),
            "Offers to fit their schedule",
            "Offer to fit their schedule, even outside working hours.",
        ),
        Check(
            "about_them",
            you_count >= i_count,
            f"More about them than you ({you_count} × you, {i_count} × I)",
            "Turn a sentence about you into one about them: their path, their work, their view.",
        ),
        Check(
            "placeholders",
            not placeholders,
            "No unfilled placeholders" if not placeholders else f"Unfilled: {', '.join(placeholders[:3])}",
            "Replace each placeholder with the real detail.",
        ),
    ]
    if kind is DraftKind.LINKEDIN_NOTE:
        chars = len(body)
        checks.append(
            Check(
                "linkedin",
                chars <= LINKEDIN_NOTE_LIMIT,
                f"{chars} characters (LinkedIn notes allow {LINKEDIN_NOTE_LIMIT})",
                "Keep the connection, the ask and the thanks; drop the rest.",
            )
        )
    return checks


def passed(checks: list[Check]) -> bool:
    return all(check.ok for check in checks)
