"""Request drafts built from what the user told us: templates as data, slots that cannot leak.

Every sentence states only what the user's data backs: who introduced them, how they know the
person, what about the person's work made the user think of them, what the user can offer. A slot
that is empty drops its sentence (or picks a wording that needs no slot); it never prints a blank.
``variant`` rotates the phrasings, so two people never get word-for-word the same note.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from coaching.defaults import LINKEDIN_NOTE_MAX_CHARS as LINKEDIN_NOTE_CHARS
from coaching.enums import COMPOSED_KINDS, DraftKind

COPY_TEXT_CHARS = 256  # Telegram's copy-text button holds this much
_TITLES = {"dr", "prof", "professor", "mr", "mrs", "ms", "mx", "miss", "sir", "dame", "rev"}


@dataclass(frozen=True)
class Sender:
    name: str
    field: str
    stage: str | None = None  # coaching.profile.CareerStage value
    roles: str | None = None


@dataclass(frozen=True)
class Recipient:
    name: str
    company: str | None = None
    role: str | None = None
    relation: str | None = None  # coaching.contacts.Relation value
    via: str | None = None  # the person who connects them: a referrer or a mutual contact
    source: str | None = None  # where the user thought of them (/find step, "referral", "import")
    why_them: str | None = None  # "I'm getting in touch because of ..."
    offer: str | None = None  # something the user can offer in return


@dataclass(frozen=True)
class Draft:
    kind: DraftKind
    body: str
    subject: str | None = None

    def full_text(self) -> str:
        return f"Subject: {self.subject}\n\n{self.body}" if self.subject else self.body


@dataclass(frozen=True)
class FollowUpContext:
    """What a follow-up or closing note needs to know: how the request went out, and when."""

    channel: DraftKind = DraftKind.EMAIL  # the channel of the request being followed up
    days_since: int = 7  # calendar days since the request (or the last follow-up)
    number: int = 1  # 1 for the first follow-up, 2 for the second ...
    subject: str | None = None  # the request's subject, for "Re: ..."


# Names ---------------------------------------------------------------------------------------------------


def salutation(name: str) -> str:
    """How to address someone: "Dr. Wolff" for "Dr. Petra Wolff", "Ana" for "Ana Lee"."""
    parts = name.split()
    if not parts:
        return "there"
    if parts[0].rstrip(".").lower() in _TITLES and len(parts) > 1:
        title = parts[0] if parts[0].endswith(".") or parts[0].lower() in ("sir", "dame", "miss") else parts[0] + "."
        return f"{title.capitalize() if title.islower() else title} {_capital(parts[-1])}"
    return _capital(parts[0])


def _capital(word: str) -> str:
    """ "lee" -> "Lee"; a name typed with capitals keeps them ("McKay", "de Vries" keeps "de")."""
    return word[:1].upper() + word[1:] if word.islower() and len(word) > 2 else word


def _formal(name: str) -> bool:
    parts = name.split()
    return len(parts) > 1 and parts[0].rstrip(".").lower() in _TITLES


def first_name(name: str) -> str:
    """The given name alone, for third-person mentions ("Petra" for "Dr. Petra Wolff")."""
    parts = [p for p in name.split() if p.rstrip(".").lower() not in _TITLES]
    return parts[0] if parts else name.strip() or "them"


# Free-text slots ---------------------------------------------------------------------------------------------

_PARTICLES = {"de", "da", "di", "du", "del", "della", "van", "von", "der", "den", "la", "le", "bin", "al"}


def display_name(name: str | None) -> str:
    """A name as it should read in a sentence: spaces tidied, and a name typed all in lower case
    capitalised ("renée d'arcy" -> "Renée D'arcy"), particles after the first word kept small."""
    words = (name or "").split()
    if not words or any(not w.islower() for w in words):
        return " ".join(words)
    return " ".join(w if i and w in _PARTICLES else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _slot(text: str | None) -> str | None:
    """A short field (company, role, field) ready for mid-sentence: spaces tidied, no closing punctuation."""
    if not text or not text.strip():
        return None
    return " ".join(text.split()).rstrip(" .,;:!") or None


def _tidy(to: Recipient) -> Recipient:
    return Recipient(
        display_name(to.name) or "there", _slot(to.company), _slot(to.role), to.relation,
        display_name(to.via) or None, to.source, _clause(to.why_them), _clause(to.offer),
    )  # fmt: skip


def _tidy_sender(sender: Sender) -> Sender:
    return Sender(display_name(sender.name), _slot(sender.field) or "your field", sender.stage, _slot(sender.roles))


def _clause(text: str | None) -> str | None:
    """A user's fragment ready to sit mid-sentence: trimmed, no closing full stop, first letter lowered
    unless it starts a proper name or "I"."""
    if not text or not text.strip():
        return None
    clause = " ".join(text.split()).rstrip(" .!;,")
    first = clause.split()[0]
    if first.lower() in ("your", "you", "the", "a", "an", "how", "what", "that", "when", "all", "its", "their"):
        clause = clause[0].lower() + clause[1:]
    return clause or None


_OFFER_VERBS = {
    "share", "send", "help", "introduce", "review", "show", "give", "pass", "connect", "walk", "test", "proofread",
    "translate", "tell", "bring", "make", "put", "lend", "host", "cover", "buy", "treat",
}  # fmt: skip


def _offer_sentence(offer: str | None, variant: int) -> str | None:
    """Something to give in return, said about them: what they'd get, not what the user did."""
    clause = _clause(offer)
    if clause is None:
        return None
    if clause.split()[0].lower() in _OFFER_VERBS:
        clause = clause[0].lower() + clause[1:]
        return _pick(
            (f"If it would help you, I'd gladly {clause}.", f"If it's useful to you, I could {clause}."), variant, 5
        )
    return _pick(
        (
            f"You're welcome to {clause}, if it would help you.",
            f"If it would help your work, you're welcome to {clause}.",
        ),
        variant,
        5,
    )


def _pick(options: tuple[str, ...], variant: int, salt: int = 0) -> str:
    return options[(variant + salt) % len(options)]


# The connection, always first ------------------------------------------------------------------------------


def _connection(to: Recipient, sender: Sender, variant: int) -> str | None:
    """Why this person, from what the user told us; None when nothing links them but interest."""
    via = " ".join(to.via.split()) if to.via and to.via.strip() else None
    if via and (to.source == "referral" or to.relation in (None, "fof", "cold")):
        return _pick(
            (
                f"{via} suggested I get in touch with you.",
                f"{via} gave me your name and thought you'd be a good person to ask.",
                f"I'm writing at {via}'s suggestion.",
            ),
            variant,
        )
    if to.relation == "alumni" or to.source == "alumni":
        return _pick(
            (
                "We studied at the same school, so I hope you don't mind a note from a fellow alum.",
                "I'm a fellow alum of your school, so I hope you won't mind a note from me.",
                "We share an alma mater, and you were the first graduate I thought of.",
            ),
            variant,
        )
    if to.source == "colleagues":
        return _pick(
            (
                "It's been a while since we worked together, and I hope you're well.",
                "I hope all is well since we worked together.",
                "It's been too long since we worked together, and I hope you're doing well.",
            ),
            variant,
        )
    if to.relation == "event" or to.source == "events":
        return _pick(
            (
                "It was good to meet you at the event.",
                "We met at an event a little while ago, and our conversation stayed with me.",
                "I enjoyed meeting you at the event, and I hoped we could talk a bit more.",
            ),
            variant,
        )
    if to.relation == "close" or to.source == "family":
        return _pick(
            (
                "It's been too long since we last talked, and I hope you're well!",
                "It's been a while since we caught up; I hope all is well with you!",
                "I know we haven't talked in a while, and I hope you're doing well!",
            ),
            variant,
        )
    if via:
        return f"We both know {via}, which is how I thought of you."
    why = _clause(to.why_them)
    if why:
        return _pick(
            (f"{_upper(why)} is what made me think of you.", f"{_upper(why)} is why I'm getting in touch."), variant
        )
    return None


def _upper(clause: str) -> str:
    return clause[:1].upper() + clause[1:]


def _cold_opening(to: Recipient, sender: Sender, variant: int) -> str:
    """The opening when nothing links them: how the user found them, in words the user's data backs."""
    where = f" at {to.company}" if to.company else ""
    if to.source == "linkedin":
        return "Your LinkedIn profile stood out while I was reading about the work you do."
    if to.source == "inspiring":
        return f"I've been following your work{where}, and it's a big part of why this field appeals to me."
    return _pick(
        (
            "Your work is close to what I hope to do, which is why I'm writing.",
            "I'm writing because your work is the kind I'd love to understand better.",
        ),
        variant,
    )


def _why_sentence(to: Recipient, variant: int) -> str | None:
    """What about their work made the user think of them, when it isn't already the opening."""
    why = _clause(to.why_them)
    if not why:
        return None
    return _pick((f"{_upper(why)} is what made me think of you.", f"{_upper(why)} stayed with me."), variant, 2)


# About them, and who is asking ------------------------------------------------------------------------------


def _about_them(to: Recipient, sender: Sender, variant: int) -> str:
    """A question the user would love to hear them answer, using their role and employer when known."""
    role = " ".join(to.role.split()) if to.role and to.role.strip() else None
    company = " ".join(to.company.split()) if to.company and to.company.strip() else None
    if role and company:
        place = f"as {role} at {company}"
    elif role:
        place = f"as {role}"
    elif company:
        place = f"at {company}"
    else:
        place = "in your field"
    return _pick(
        (
            f"I'd love to hear how you came to your work {place} and what it's like day to day.",
            f"I'd love to hear about the path that led to your work {place}, and what surprised you on the way.",
            f"How you got to your work {place}, and what a typical week holds, is what I'd most like to learn.",
        ),
        variant,
        1,
    )


_STAGE_LINES = {
    "student": "I'm a student exploring {field}",
    "graduate": "I graduated recently and I'm exploring {field}",
    "changer": "I'm changing careers into {field}",
    "returning": "I'm returning to work and looking at {field}",
}


def _who(sender: Sender) -> str:
    """The user's one-line background, from their profile."""
    return _STAGE_LINES.get(sender.stage or "", "I'm exploring {field}").format(field=sender.field) + "."


# The ask, flexibility and thanks --------------------------------------------------------------------------


def _ask(variant: int, minutes: int = 20) -> str:
    return _pick(
        (
            f"Would you be open to a {minutes}-minute call in the next few weeks?",
            f"Could you spare {minutes} minutes for a phone or video call sometime soon?",
            f"Might you have {minutes} minutes for a chat, by phone or video, in the coming weeks?",
        ),
        variant,
        2,
    )


def _flex(variant: int) -> str:
    return _pick(
        (
            "Any time that suits you works for me, even outside working hours.",
            "I'm happy to fit around your schedule, early or late.",
            "Whenever is convenient for you is fine, including evenings.",
        ),
        variant,
        3,
    )


def _thanks(variant: int) -> str:
    return _pick(
        ("Thank you for considering it.", "Thank you so much for your time.", "Thanks a lot for reading this."),
        variant,
        4,
    )


def _greeting(to: Recipient, variant: int) -> str:
    name = salutation(to.name)
    if _formal(to.name):
        return f"Dear {name},"
    return _pick((f"Hi {name},", f"Hello {name},"), variant)


def _subject(to: Recipient, sender: Sender, variant: int) -> str:
    """An email subject that names the connection when there is one."""
    via = " ".join(to.via.split()) if to.via and to.via.strip() else None
    if via and (to.source == "referral" or to.relation in (None, "fof", "cold")):
        return _pick((f"Introduced by {via}", f"{via}'s suggestion: 20 minutes of advice?"), variant)
    if to.relation == "alumni" or to.source == "alumni":
        return _pick(("A fellow graduate with a question", "From a fellow graduate: 20 minutes of advice?"), variant)
    if to.source == "colleagues":
        return "A question for a former colleague"
    if to.relation == "event" or to.source == "events":
        return "Following up from the event"
    if to.relation == "close" or to.source == "family":
        return "A favour: 20 minutes of your advice?"
    return _pick(("20 minutes of your advice?", "A question about your path"), variant)


def _join(*sentences: str | None) -> str:
    return " ".join(s for s in sentences if s)


# Requests per channel --------------------------------------------------------------------------------------


def compose(
    kind: DraftKind,
    sender: Sender,
    to: Recipient,
    *,
    variant: int = 0,
    short: bool = False,
    follow_up: FollowUpContext | None = None,
) -> Draft:
    """A draft of ``kind`` from ``sender`` to ``to``; ``short`` keeps it within the strict word limit."""
    if kind not in COMPOSED_KINDS:
        raise ValueError(f"{kind} is not a request, follow-up or closing note")
    sender, to = _tidy_sender(sender), _tidy(to)
    if kind is DraftKind.FOLLOW_UP:
        return _follow_up(sender, to, follow_up or FollowUpContext(), variant)
    if kind is DraftKind.CLOSING:
        return _closing(sender, to, follow_up or FollowUpContext(), variant)
    if kind is DraftKind.INTRO:
        return _intro(sender, to, variant, short)
    if kind is DraftKind.PHONE:
        return _phone(sender, to, variant, short)
    if kind is DraftKind.LINKEDIN_NOTE:
        return _linkedin_note(sender, to, variant)
    return _message(kind, sender, to, variant, short)


def _opening(to: Recipient, sender: Sender, variant: int) -> tuple[str, str | None]:
    """The first sentence (the connection, or how the user found them) and the why-them line if separate."""
    connection = _connection(to, sender, variant)
    if connection is None:
        return _cold_opening(to, sender, variant), None
    if to.why_them and not connection.startswith(_upper(_clause(to.why_them) or "")):
        return connection, _why_sentence(to, variant)
    return connection, None


def _best(kind: DraftKind, versions: list[Draft], *, strict: bool) -> Draft:
    """The fullest version that passes its own review; otherwise the fullest within the length."""
    from coaching.review import review  # the review is the judge; imported here to keep the modules apart

    def failing(draft: Draft) -> set[str]:
        return {c.key for c in review(draft.full_text(), kind, strict=strict) if not c.ok}

    for draft in versions:
        if not failing(draft):
            return draft
    fitting = [d for d in versions if not failing(d) & {"length", "linkedin_limit"}]
    return min(fitting or versions, key=lambda d: len(failing(d)))


def _versions(build, optional: list[str | None]) -> list[str]:
    """``build(parts)`` with all the optional parts, then dropping them one at a time from the last."""
    parts, texts = list(optional), []
    while True:
        texts.append(build(parts))
        if not any(parts):
            return texts
        parts[max(i for i, part in enumerate(parts) if part)] = None


def _message(kind: DraftKind, sender: Sender, to: Recipient, variant: int, short: bool) -> Draft:
    """An email (with a subject), or a LinkedIn message: shorter, no subject, no offer, no background line."""
    opening, why = _opening(to, sender, variant)
    linkedin = kind is DraftKind.LINKEDIN_MESSAGE
    ask = _ask_with_time(variant) if linkedin else _join(_ask(variant), _flex(variant))
    sign_off = f"{_thanks(variant)}\n{sender.name}"

    def build(parts: list[str | None]) -> str:
        offer, about, who = parts
        return "\n\n".join(
            part for part in (_greeting(to, variant), _join(opening, why, about, who), ask, offer, sign_off) if part
        )

    # What goes first when words run short: the background line, then the question about them, then the offer.
    optional = [_offer_sentence(to.offer, variant), _about_them(to, sender, variant), _who(sender)]
    if linkedin:
        optional = [None, None if why else optional[1], None]
    subject = None if linkedin else _subject(to, sender, variant)
    versions = [Draft(kind, body, subject) for body in _versions(build, optional)]
    if linkedin:  # always shorter than the email: at most 60 words (50 when short)
        versions = [d for d in versions if len(re.findall(r"[\w'’-]+", d.body)) <= (50 if short else 60)] or versions[
            -1:
        ]
    return _best(kind, versions, strict=short or linkedin)


def _ask_with_time(variant: int) -> str:
    """The ask and the flexibility in one sentence, for the shorter channels."""
    return _pick(
        (
            "Could you spare 20 minutes for a call, whenever suits you?",
            "Would you have 20 minutes for a call at a time that works for you?",
        ),
        variant,
        2,
    )


def _linkedin_note(sender: Sender, to: Recipient, variant: int) -> Draft:
    """A connection note within LinkedIn's 300 characters: who is asking, why them, the ask."""
    opening, why = _opening(to, sender, variant)
    if opening.split()[0] in ("Your", "It's", "We", "It"):  # it follows "Hi Ana," on the same line
        opening = opening[0].lower() + opening[1:]
    about = why or _short_about(to, variant)
    hi, ask, thanks = f"Hi {salutation(to.name)},", _ask_with_time(variant), f"Thank you! {sender.name}"
    bodies = [
        _join(hi, opening, about, _who(sender), ask, thanks),
        _join(hi, opening, about, ask, thanks),
        _join(hi, opening, ask, thanks),
        _join(hi, f"I'm {sender.name}, exploring {sender.field}.", ask, "Thank you!"),
    ]
    # Within Telegram's 256 characters for a copy button first, then within LinkedIn's 300.
    fitting = [body for body in bodies if len(body) <= LINKEDIN_NOTE_CHARS]
    fitting.sort(key=lambda body: len(body) > COPY_TEXT_CHARS)
    versions = [Draft(DraftKind.LINKEDIN_NOTE, body) for body in fitting]
    if not versions:
        versions = [Draft(DraftKind.LINKEDIN_NOTE, bodies[-1][: LINKEDIN_NOTE_CHARS - 1].rsplit(" ", 1)[0] + "…")]
    return _best(DraftKind.LINKEDIN_NOTE, versions, strict=False)


def _short_about(to: Recipient, variant: int) -> str:
    place = f"to {to.company}" if to.company else "into your field"
    options = (
        f"I'd love to hear how you found your way {place}.",
        f"I'd love to hear the story of how you got {place}.",
    )
    return _pick(options, variant, 1)


_SPOKEN = (("I'm writing at", "I'm calling at"), ("I'm writing because", "I'm calling because"),
           ("which is why I'm writing", "which is why I'm calling"), ("a note from", "a call from"))  # fmt: skip


def _spoken(text: str) -> str:
    """A written sentence as it is said on the phone."""
    for written, said in _SPOKEN:
        text = text.replace(written, said)
    return text


def _phone(sender: Sender, to: Recipient, variant: int, short: bool) -> Draft:
    """A call script: the conversation first, then a line for a receptionist or HR, and a voicemail."""
    opening, why = _opening(to, sender, variant)
    opening, why = _spoken(opening), _spoken(why) if why else None
    greeting = f"Hi {salutation(to.name)}, this is {sender.name}."
    talk = _join(greeting, opening, "Is now a good time for a quick question?")
    middle = None if short else _join(why or _short_about(to, variant), _who(sender))
    ask = f"Would you have 15 minutes sometime for a few questions about your work? {_flex(variant)}"
    gatekeeper = (
        f'If a receptionist or HR answers: "Hello, my name is {sender.name}. Could I speak with '
        f"{to.name}? It's a personal question about their work, not a sales call.\""
    )
    voicemail = (
        f'Voicemail (about 20 seconds): "Hi {salutation(to.name)}, this is {sender.name}. '
        "I'd love 15 minutes of your advice, whenever suits you. I'll try again later "
        'this week, or please call me back on this number. Thank you!"'
    )
    thanks = _pick(("Thank you, I really appreciate it.", "Thanks so much for taking my call."), variant, 4)
    fuller = [talk, middle, ask, thanks, None if short else gatekeeper, voicemail]
    leaner = [
        talk,
        _spoken(why) if why else _short_about(to, variant),
        ask,
        thanks,
        None if short else gatekeeper,
        voicemail,
    ]
    versions = [Draft(DraftKind.PHONE, "\n\n".join(line for line in lines if line)) for lines in (fuller, leaner)]
    return _best(DraftKind.PHONE, versions, strict=short)


def _intro(sender: Sender, to: Recipient, variant: int, short: bool) -> Draft:
    """To the mutual contact, by name: would they introduce the user, with a line they can forward."""
    mutual = salutation(to.via) if to.via else "there"
    target = to.name + (f" at {to.company}" if to.company else "")
    them = salutation(to.name) if _formal(to.name) else first_name(to.name)
    forward = (
        f"\"{sender.name} is exploring {sender.field} and would love 20 minutes of {them}'s advice, "
        f'at whatever time suits {them}."'
    )
    opening = _pick(
        (
            "Since you know us both, could I ask a favour?",
            "Since you know us both, I hope you don't mind a small favour.",
        ),
        variant,
    )
    body = "\n\n".join(
        (
            f"Hi {mutual},",
            _join(opening, f"Would you be comfortable introducing me to {target}?"),
            f"Here's a line you could forward{'' if short else ', if it helps'}: {forward}",
            f"Thank you, and let me know if I can return the favour.\n{sender.name}",
        )
    )
    return Draft(DraftKind.INTRO, body, subject=f"Would you introduce me to {them}?")


# Follow-ups and the closing note ---------------------------------------------------------------------------


def _when(days: int) -> str:
    """How long ago the request went out, in words ("last week", "two weeks ago")."""
    if days <= 3:
        return "a few days ago"
    if days <= 9:
        return "last week"
    if days <= 16:
        return "about two weeks ago"
    if days <= 24:
        return "about three weeks ago"
    return "a while ago"


def _follow_up(sender: Sender, to: Recipient, context: FollowUpContext, variant: int) -> Draft:
    """A short, friendly nudge, worded for the channel and the time since; each one different from the last."""
    when = _when(context.days_since)
    sent = {
        DraftKind.PHONE: f"I tried calling you {when}",
        DraftKind.LINKEDIN_NOTE: f"I sent you a connection request {when}",
        DraftKind.LINKEDIN_MESSAGE: f"I sent you a message here {when}",
        DraftKind.INTRO: f"{to.via or 'A mutual friend'} may have mentioned me {when}",
    }.get(context.channel, f"I wrote to you {when}")
    if context.number <= 1:
        openings = (
            f"{sent} to ask for a short call, and I know how full your days must be.",
            f"{sent} to ask for a short call; I know messages pile up quickly.",
        )
    else:  # a later follow-up never repeats the first one's words
        openings = (
            f"{sent}, and I thought I'd try one last time, knowing how busy things get.",
            f"{sent}, and I'm following up one last time in case it got buried.",
        )
    opening = openings[variant % len(openings)]
    ask = _pick(
        ("Would you have 15 minutes for a quick call in the coming weeks?",
         "Could you spare 15 minutes sometime this month?"),
        context.number - 1,
    )  # fmt: skip
    body = "\n\n".join(
        (f"Hi {salutation(to.name)},", _join(opening, ask, _flex(variant + context.number)),
         f"Thank you either way,\n{sender.name}")
    )  # fmt: skip
    subject = None
    if context.channel is DraftKind.EMAIL:
        subject = f"Re: {context.subject}" if context.subject else "Following up: 15 minutes of your advice?"
    return Draft(DraftKind.FOLLOW_UP, body, subject)


def _closing(sender: Sender, to: Recipient, context: FollowUpContext, variant: int) -> Draft:
    """The gentle closing note: no hard feelings, the door left open."""
    body = "\n\n".join(
        (
            f"Hi {salutation(to.name)},",
            "I realise how busy you must be, and that's surely why I haven't heard back, which is completely "
            "fine. Thank you for reading my earlier note; I may reach out again further down the road.",
            f"All the best,\n{sender.name}",
        )
    )
    subject = "Thank you" if context.channel is DraftKind.EMAIL else None
    return Draft(DraftKind.CLOSING, body, subject)


# Reworking a draft the user edited ---------------------------------------------------------------------------

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
_TITLE_DOT = re.compile(r"\b(Dr|Prof|Mr|Mrs|Ms|Mx|St|Rev|e\.g|i\.e)\. ", re.I)
_KEEP = "\u2060"  # a word joiner: holds a title's full stop to the next word while sentences are split (not \\s)


def _sentences(line: str) -> list[str]:
    held = _TITLE_DOT.sub(lambda m: m.group(1) + "." + _KEEP, line)
    return [part.replace(_KEEP, " ") for part in _SENTENCE.split(held)]


_FILLER = re.compile(r"\b(really|very|just|actually|quite|truly|genuinely|incredibly|extremely)\s+", re.I)
_ESSENTIAL = re.compile(r"\?|thank|appreciat|grateful|suggested|schedule|suits|convenient|whenever|minutes?\b", re.I)
_DROPPABLE = re.compile(r"^(I|I'm|I've|I'd|My|Currently|Previously|Before|In return|If it)\b")
_WORDS = re.compile(r"[\w'’-]+")


def shorten(text: str) -> str:
    """Trim the user's own draft: drop the longest sentence that is least needed (about the sender, or
    an extra, never the greeting, the first sentence, the ask, the flexibility or the thanks); with
    nothing left to drop, drop filler words. Lines and paragraphs keep their shape: the words stay theirs."""
    lines = text.strip().split("\n")
    candidates = []
    seen = 0
    for number, line in enumerate(lines):
        for sentence in _sentences(line):
            if not sentence.strip():
                continue
            seen += 1
            if seen > 2 and _DROPPABLE.match(sentence.strip()) and not _ESSENTIAL.search(sentence):
                candidates.append((number, sentence))
    if candidates:
        number, sentence = max(candidates, key=lambda item: len(_WORDS.findall(item[1])))
        kept = [s for s in _sentences(lines[number]) if s != sentence]
        lines[number] = " ".join(kept)
        return "\n".join(lines).replace("\n\n\n", "\n\n").strip()
    return _FILLER.sub("", text.strip())


# Answering a yes ---------------------------------------------------------------------------------------------


def propose_slots(now: datetime, zone: str, holidays: Container[date] = frozenset()) -> str:
    """Two or three concrete times in plain words, on the next business days: "Tuesday or Wednesday
    afternoon, or Thursday morning". Starts the day after tomorrow, so the other person has time to answer."""
    day = now.astimezone(ZoneInfo(zone)).date() + timedelta(days=1)
    days: list[date] = []
    while len(days) < 3:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            days.append(day)
    first, second, third = (f"{d:%A}" for d in days)
    return f"{first} or {second} afternoon, or {third} morning"


def reply_to_yes(sender: Sender, to: Recipient, slots: str, minutes: int = 20) -> Draft:
    """A short answer to a yes: thanks, a few concrete times, and an easy way to suggest another."""
    sender, to = _tidy_sender(sender), _tidy(to)
    body = "\n\n".join(
        (
            _greeting(to, 0),
            f"Thank you so much for getting back to me! Would {slots} work for a {minutes}-minute call? "
            "If another time suits you better, just say and I'll fit around it.",
            f"Thanks again,\n{sender.name}",
        )
    )
    return Draft(DraftKind.EMAIL, body, "Re: a short call")
