"""The template sweep: every request template rendered across relations, sources, career stages, channels,
variants and lengths, with empty, short, long, titled, accented and odd names and fields.

Each draft must have no empty slot, no doubled phrase, no broken sentence pattern, no claim the user's
data doesn't back, a correct salutation, a clean review, and the shape its channel needs. The combinations
are a deterministic subset: every (relation, stage, variant, short) for a first request, every
(channel, relation, stage, variant) for a follow-up or closing note, the other slots drawn from a seeded
generator. A failing test lists each distinct problem once, with how many drafts show it and one draft.
"""

from __future__ import annotations

import itertools
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache

import pytest

from coaching.contact_copy import BRAINSTORM
from coaching.contacts import Relation
from coaching.enums import COMPOSED_KINDS, REQUEST_KINDS, DraftKind
from coaching.profile import CareerStage
from coaching.templates import Draft, FollowUpContext, Recipient, Sender, compose, shorten

try:
    from coaching.review import review
except ImportError:  # the reviewer is being moved; the old one has the same signature
    from coaching.drafts import review  # type: ignore[assignment]

# Dimensions -------------------------------------------------------------------------------------------------

KINDS = COMPOSED_KINDS  # the notes after a meeting have their own builders and tests
RELATIONS: tuple[str | None, ...] = (*(r.value for r in Relation), None)
SOURCES: tuple[str | None, ...] = (*(step.key for step in BRAINSTORM), "referral", "import", "add", None)
STAGES: tuple[str | None, ...] = (*(s.value for s in CareerStage), None)
VARIANTS = tuple(range(3))
SHORTS = (False, True)
DAYS = (2, 8, 13, 30)
NUMBERS = (1, 2, 3)
REPEATS = 1  # first-request drafts per (relation, stage, variant, short): 216 per kind and repeat

LONG_FIELD = "sustainable supply-chain finance for mid-size food manufacturers"
# The recipient's name as typed, and how the greeting must address them.
NAMES = {
    "Ana Lee": "Ana",
    "Dr. Petra Wolff": "Dr. Wolff",
    "prof. anna maria schmidt": "Prof. Schmidt",
    "José Álvarez-Núñez": "José",
    "Cher": "Cher",
    "lee": "Lee",
    "Mary-Jane O'Neil": "Mary-Jane",
    "Zoë Ünal": "Zoë",
}
SENDER_NAMES = ("Ana", "Ana María")
FIELDS = ("UX research", "healthcare", "a", LONG_FIELD)
ROLES = (None, "", "product designer", "Senior UX Researcher", "chargée d'études", "Head of Data & Ops.")
COMPANIES = (None, "", "Acme", "L'Oréal", "  Nordic Health Lab. ")
# The mutual contact as typed, and how an introduction request must greet them.
VIAS = {"Tom Berg": "Tom", "Dr. Ines O'Brien": "Dr. O'Brien", "renée d'arcy": "Renée"}
VIA_VALUES = (None, "", *VIAS)
WHYS = (None, "", "your work on patient intake forms", "Your talk on X at CHI.", "the São Paulo team's redesign.")
OFFERS = (
    None,
    "",
    "share my survey results",  # starts with a verb
    "Help test your prototype's onboarding",  # a verb, capitalised
    "a summary of the 40 interviews I ran.",  # a noun, with a trailing full stop
    "my notes on the NHS app's accessibility",  # a noun, with an apostrophe
)


@dataclass(frozen=True)
class Case:
    kind: DraftKind
    sender: Sender
    to: Recipient
    variant: int
    short: bool
    follow_up: FollowUpContext | None

    def render(self, **changes) -> Draft:
        kind = changes.pop("kind", self.kind)
        follow_up = changes.pop("follow_up", self.follow_up)
        return compose(kind, self.sender, self.to, variant=self.variant, short=self.short, follow_up=follow_up)

    def describe(self) -> str:
        to, sender = self.to, self.sender
        slots = [f"kind={self.kind.value}"]
        if self.follow_up:
            fu = self.follow_up
            slots.append(f"channel={fu.channel.value} days_since={fu.days_since} number={fu.number}")
        slots.append(f"variant={self.variant} short={self.short}")
        slots.append(f"relation={to.relation!r} source={to.source!r} stage={sender.stage!r}")
        slots.append(f"name={to.name!r} sender={sender.name!r} field={sender.field!r}")
        slots.append(
            f"role={to.role!r} company={to.company!r} via={to.via!r} why_them={to.why_them!r} offer={to.offer!r}"
        )
        return "; ".join(slots)


def _given(value: str | None) -> bool:
    return bool(value and value.strip())


def _make(rng: random.Random, kind: DraftKind, **fixed) -> Case:
    """One combination: the fixed dimensions as given, the rest drawn from ``rng``."""
    via = fixed.pop("via", None) if "via" in fixed else rng.choice(VIA_VALUES)
    if kind is DraftKind.INTRO and not _given(via):
        via = rng.choice(tuple(VIAS))  # an introduction is only offered when someone can introduce them
    sender = Sender(name=rng.choice(SENDER_NAMES), field=rng.choice(FIELDS), stage=fixed.pop("stage"))
    to = Recipient(
        name=rng.choice(tuple(NAMES)),
        company=rng.choice(COMPANIES),
        role=rng.choice(ROLES),
        relation=fixed.pop("relation"),
        via=via,
        source=fixed.pop("source"),
        why_them=rng.choice(WHYS),
        offer=rng.choice(OFFERS),
    )
    return Case(kind, sender, to, fixed.pop("variant"), fixed.pop("short"), fixed.pop("follow_up", None))


@cache
def cases(kind: DraftKind) -> tuple[Case, ...]:
    """The deterministic subset of combinations for ``kind``."""
    rng = random.Random(f"template-sweep/{kind.value}")
    out: list[Case] = []
    if kind in REQUEST_KINDS:
        requests = itertools.product(RELATIONS, STAGES, VARIANTS, SHORTS, range(REPEATS))
        for i, (relation, stage, variant, short, _) in enumerate(requests):
            source = SOURCES[i % len(SOURCES)]  # every source with every relation (72 cases per relation)
            out.append(_make(rng, kind, relation=relation, stage=stage, variant=variant, short=short, source=source))
    else:
        later = itertools.product(REQUEST_KINDS, RELATIONS, STAGES, VARIANTS)
        for i, (channel, relation, stage, variant) in enumerate(later):
            # Every (days, number) pair with every channel (108 cases per channel).
            context = FollowUpContext(
                channel=channel, days_since=DAYS[i % len(DAYS)], number=NUMBERS[(i // len(DAYS)) % len(NUMBERS)]
            )
            out.append(
                _make(
                    rng,
                    kind,
                    relation=relation,
                    stage=stage,
                    variant=variant,
                    short=SHORTS[(i // 12) % 2],
                    source=SOURCES[i % len(SOURCES)],
                    follow_up=context,
                )
            )
    return tuple(out)


@cache
def rendered(kind: DraftKind) -> tuple[tuple[Case, Draft], ...]:
    return tuple((case, case.render()) for case in cases(kind))


@cache
def _review(text: str, kind: DraftKind, strict: bool) -> tuple:
    return tuple(review(text, kind, strict=strict))


# Reading a draft ---------------------------------------------------------------------------------------------

_TITLE_WORDS = {"dr", "prof", "professor", "mr", "mrs", "ms", "mx", "st"}
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"”’)]*\s+")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")


def sentences(text: str) -> list[str]:
    """Lines split into sentences, not after a title ("Dr. Wolff", "prof. anna") or an initial ("J. Smith")."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        start = 0
        for match in _SENTENCE_BREAK.finditer(line):
            before = line[start : match.start()].split()
            last = before[-1].rstrip(".").lstrip('"“(').lower() if before else ""
            if last in _TITLE_WORDS or re.fullmatch(r"[A-Z]", before[-1].rstrip(".") if before else ""):
                continue
            out.append(line[start : match.start()].strip())
            start = match.end()
        if line[start:].strip():
            out.append(line[start:].strip())
    return [s for s in out if s]


def content_sentences(draft: Draft) -> list[str]:
    """The body's sentences without the greeting line and the sign-off (its last paragraph)."""
    paragraphs = draft.body.strip().split("\n\n")
    return [s for p in paragraphs[1:-1] for s in sentences(p)]


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def slot_values(case: Case) -> list[tuple[str, str]]:
    """(slot, value) pairs, longest first, to turn a problem into its pattern ("your work at {company}")."""
    to, sender = case.to, case.sender
    pairs = [
        ("field", sender.field),
        ("company", to.company),
        ("role", to.role),
        ("why_them", to.why_them),
        ("offer", to.offer),
        ("name", to.name),
        ("via", to.via),
        ("greeting", NAMES.get(to.name)),
        ("via_greeting", VIAS.get(to.via or "")),
        ("sender", sender.name),
    ]
    cleaned = [(slot, " ".join(value.split()).rstrip(" .")) for slot, value in pairs if value and value.strip()]
    order = [slot for slot, _ in pairs]  # on a tie, "lee" is the name before it is the greeting
    return sorted({(s, v) for s, v in cleaned if len(v) > 2}, key=lambda sv: (-len(sv[1]), order.index(sv[0])))


def typed_full_stop(case: Case, slot: str) -> bool:
    """Whether the user typed ``slot`` with a closing full stop (the template must drop it)."""
    value = {"company": case.to.company, "role": case.to.role, "why_them": case.to.why_them, "offer": case.to.offer}
    return bool((value.get(slot) or "").strip().endswith("."))


def pattern_of(text: str, case: Case) -> str:
    """``text`` with each slot value (however it was spaced or punctuated) replaced by ‹slot›."""
    for slot, value in slot_values(case):
        spelled = r"\W+".join(re.escape(w) for w in words(value))
        text = re.sub(rf"(?<!\w){spelled}(?!\w)", f"‹{slot}›", text, flags=re.I)
    return text


def snippet(text: str, mark: str, case: Case, width: int = 22) -> tuple[str, str]:
    """Where ``mark`` sits in ``text``: (the words around it as printed, the same with slots named)."""
    at = text.index(mark)
    shown = q(text[max(0, at - width) : at + len(mark) + width])
    named = pattern_of(text, case)
    at = named.find(mark)
    if at < 0:  # the mark is inside a slot value
        return shown, shown
    slots = [
        (min(abs(m.start() - at - len(mark)), abs(m.end() - at)), m.group(0)) for m in re.finditer("‹[a-z_]+›", named)
    ]
    near = [slot for distance, slot in sorted(slots) if distance <= 4]
    return shown, (f"next to {near[0]}" if near else f"in {q(named[max(0, at - width) : at + len(mark) + width])}")


def short_pattern(text: str, case: Case, limit: int = 45) -> str:
    named = pattern_of(text, case)
    return named if len(named) <= limit else named[:limit].rstrip() + "…"


def q(text: str) -> str:
    return "“" + text.replace("\n", "⏎") + "”"


# Collecting and reporting problems ---------------------------------------------------------------------------

Found = str | tuple[str, str]  # a problem, or (the problem in this draft, the pattern it shares with others)


@dataclass
class Problems:
    """Problems grouped by pattern: how many drafts show each, and the first draft that did."""

    check: str
    kind: DraftKind
    seen: dict[str, list] = field(default_factory=dict)

    def add(self, case: Case, draft: Draft | str, found: Found) -> None:
        reason, key = found if isinstance(found, tuple) else (found, found)
        key = pattern_of(key, case)
        entry = self.seen.setdefault(key, [0, case, draft, reason])
        entry[0] += 1

    def raise_if_any(self, total: int) -> None:
        if not self.seen:
            return
        count = sum(entry[0] for entry in self.seen.values())
        lines = [f"{self.check} ({self.kind.value}): {count} problems in {total} drafts, {len(self.seen)} patterns"]
        ranked = sorted(self.seen.items(), key=lambda kv: -kv[1][0])
        for key, (n, case, draft, reason) in ranked[:8]:
            text = draft.full_text() if isinstance(draft, Draft) else draft
            lines += [
                "",
                f"- {key}  [{n}x]",
                f"  e.g. {reason}",
                f"  inputs: {case.describe()}",
                "  | " + text.replace("\n", "\n  | "),
            ]
        if len(ranked) > 8:
            lines.append("\nOther patterns:")
            lines += [f"- {key}  [{n}x]  e.g. {case.describe()}" for key, (n, case, _, _) in ranked[8:]]
        pytest.fail("\n".join(lines), pytrace=False)


def sweep(kind: DraftKind, check: str, inspect: Callable[[Case, Draft], Iterator[Found]]) -> None:
    problems = Problems(check, kind)
    items = rendered(kind)
    for case, draft in items:
        for reason in inspect(case, draft):
            problems.add(case, draft, reason)
    problems.raise_if_any(len(items))


def _texts(draft: Draft) -> list[str]:
    return [t for t in (draft.subject, draft.body) if t is not None]


# 1. Empty slots ----------------------------------------------------------------------------------------------

_EMPTY_SLOT_MARKS = ("None", "  ", " ,", " .", "( )", "{", "}", "[", "]", "at .", "as  ", "of .", "Hi ,", "Dear ,")


def empty_slots(text: str, case: Case) -> Iterator[tuple[str, str]]:
    for mark in _EMPTY_SLOT_MARKS:
        if mark == "None":
            if re.search(r"\bNone\b", text):
                yield 'prints "None"', 'prints "None"'
        elif mark in text:
            shown, named = snippet(text, mark, case)
            yield f"{mark!r} in {shown}", f"{mark!r} {named}"
    for title in re.finditer(r"\b(?:Hi|Hello|Dear)\s+(?:Dr|Prof|Mr|Mrs|Ms|Mx)\.?\s*,", text, re.I):
        yield (f"bare title: {q(title.group(0))}",) * 2
    for line in text.splitlines():
        if line.strip() and not re.search(r"[^\W_]", line):
            yield (f"a line of only punctuation: {q(line)}",) * 2


def _empty_slots(case: Case, draft: Draft) -> Iterator[tuple[str, str]]:
    for text in _texts(draft):
        yield from empty_slots(text, case)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_no_empty_slots(kind: DraftKind) -> None:
    """No draft prints None, a blank slot, stray spacing before punctuation, brackets or a bare title."""
    sweep(kind, "empty slot", _empty_slots)


# 2. Doubled phrases ----------------------------------------------------------------------------------------


def doubled_phrase(draft: Draft, sender_name: str, size: int = 4) -> tuple[str, bool] | None:
    """The longest run of ``size``+ words that appears twice, outside quoted text and the signature, and
    whether it is the subject repeating the body."""
    body = re.sub(rf"(?:^|\s){re.escape(sender_name)}\s*$", "", draft.body.strip())
    segments = ([draft.subject] if draft.subject else []) + _QUOTED.sub("\n", body).splitlines()
    tokens: list[str] = []
    for n, segment in enumerate(segments):  # a run never spans two lines
        tokens += [w.lower().replace("’", "'") for w in words(segment)] + [f"\0{n}"]
    in_subject = len(words(draft.subject)) if draft.subject else 0
    first: dict[tuple[str, ...], int] = {}
    best: tuple[str, bool] | None = None
    for i in range(len(tokens) - size + 1):
        gram = tuple(tokens[i : i + size])
        if any(t.startswith("\0") for t in gram):
            continue
        if gram not in first:
            first[gram] = i
            continue
        j, length = first[gram], size
        while i + length < len(tokens) and j + length < i and tokens[j + length] == tokens[i + length]:
            length += 1
        phrase = " ".join(tokens[i : i + length])
        if best is None or len(phrase) > len(best[0]):
            best = phrase, j < in_subject
    return best


def _doubled(case: Case, draft: Draft) -> Iterator[Found]:
    found = doubled_phrase(draft, case.sender.name)
    if found:
        phrase, subject = found
        yield f"{'the subject repeats the body' if subject else 'doubled in the body'}: {q(phrase)}"


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_no_doubled_phrase(kind: DraftKind) -> None:
    """No run of four or more words appears twice in a draft (quoted scripts and the signature aside)."""
    sweep(kind, "doubled phrase", _doubled)


# 3. Broken sentence patterns -------------------------------------------------------------------------------


def _names_of(case: Case) -> list[str]:
    to = case.to
    names = [to.name, NAMES[to.name], case.sender.name]
    if _given(to.via):
        names += [(to.via or "").strip(), VIAS[(to.via or "").strip()]]
    return names


def broken_patterns(text: str, case: Case) -> Iterator[Found]:
    previous = ""
    for sentence in sentences(text):
        if not re.match(r"[\"“'‘]|[^\W_\d]|\d", sentence) or (sentence[0].isalpha() and not sentence[0].isupper()):
            cut = re.search(r"‹([a-z_]+)›\s*\.$", pattern_of(previous, case))
            yield (
                f"sentence starts in lower case or with punctuation: {q(sentence)}",
                f"the full stop typed after ‹{cut.group(1)}› ends the sentence early"
                if cut and typed_full_stop(case, cut.group(1))
                else f"sentence starts in lower case or with punctuation: {q(short_pattern(sentence, case))}",
            )
        previous = sentence
        if re.match(r"As\b[^,]*,\s+your\b", sentence, re.I):
            yield f"dangling 'As ..., your': {q(sentence)}", f"dangling 'As ..., your': {q(pattern_of(sentence, case))}"
    for mark in ("..", ",.", "?.", ".,"):
        if mark in text.replace("…", ""):
            shown, named = snippet(text, mark, case)
            yield f"{mark!r} in {shown}", f"{mark!r} {named}"
    inside = re.search(r"hearing about (?:[A-Z][\w'’&-]*\s+)+from the inside", text)
    if inside:
        yield f"capitalised role in {q(inside.group(0))}"
    for name in _names_of(case):
        article = re.search(rf"\b(?:a|an|the)\s+{re.escape(name)}(?!\w)", text, re.I)
        if article:
            yield f"article before a name: {q(article.group(0))}"


def _broken(case: Case, draft: Draft) -> Iterator[Found]:
    for text in _texts(draft):
        yield from broken_patterns(text, case)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_no_broken_sentence_pattern(kind: DraftKind) -> None:
    """Every sentence starts with a capital, digit or quote; no '..', ',.', dangling 'As ..., your' or 'a <Name>'."""
    sweep(kind, "broken sentence", _broken)


# 4. Claims backed by the user's data ------------------------------------------------------------------------

_NEVER = (r"\bYou mentioned\b", r"came up again and again", r"\bin my research\b")


def _claims(case: Case) -> list[tuple[str, str, bool]]:
    """(what is claimed, pattern, whether the user's data backs it)."""
    to, sender = case.to, case.sender
    channel = case.follow_up.channel if case.follow_up else None
    via = _given(to.via)
    claims = [
        ("a referrer", r"suggested I|suggestion|gave me your name|introduced by|we both know", via),
        ("a mutual contact", r"\bmutual\b", via or channel is DraftKind.INTRO),
        ("a shared school", r"\balum(?:na|nae|ni|nus)?\b|alma mater|\bgraduate\b|same school",
         to.relation == "alumni" or to.source == "alumni"),
        ("having met", r"\bmet\b|meeting you|\bevents?\b", to.relation == "event" or to.source == "events"),
        ("having worked together", r"worked together|working together|working with you|former colleague",
         to.source == "colleagues"),
        ("a LinkedIn profile", r"LinkedIn profile|profile on LinkedIn", to.source == "linkedin"),
        ("following their work", r"following your work", to.source == "inspiring"),
        ("being close", r"since we last talked|since we caught up|haven't talked",
         to.relation == "close" or to.source == "family"),
        ("why them", r"because of|made me think of you", _given(to.why_them)),
        ("an offer", r"\bin return\b|happy to share|happy to pass on|glad to share", _given(to.offer)),
        ("being a student", r"\bstudent\b", sender.stage == "student"),
        ("having graduated", r"\bgraduated\b", sender.stage == "graduate"),
        ("changing careers", r"changing careers", sender.stage == "changer"),
        ("returning to work", r"returning to work", sender.stage == "returning"),
    ]  # fmt: skip
    for name in VIAS:
        parts = [part for part in name.split() if part.rstrip(".").lower() not in _TITLE_WORDS]
        claims += [(f"the referrer {name}", rf"(?<!\w){re.escape(part)}(?!\w)", to.via == name) for part in parts]
    for company in COMPANIES[2:]:
        core = company.strip().rstrip(".")
        claims.append((f"the company {core}", re.escape(core), company == to.company))
    for role in ROLES[2:]:
        core = role.rstrip(".")
        claims.append((f"the role {core}", rf"(?<!\w){re.escape(core)}(?!\w)", role == to.role))
    claims += [("what no data can back", pattern, False) for pattern in _NEVER]
    return claims


def _unbacked(case: Case, draft: Draft) -> Iterator[Found]:
    text = draft.full_text()
    for claim, pattern, backed in _claims(case):
        if backed:
            continue
        found = re.search(pattern, text, re.I)
        if found:
            yield f"claims {claim} ({q(found.group(0))}) without the data"


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_claims_backed_by_data(kind: DraftKind) -> None:
    """A referrer, school, meeting, shared job, profile, reason, offer, company or stage appears only when given."""
    sweep(kind, "unbacked claim", _unbacked)


# 5. The salutation --------------------------------------------------------------------------------------------


def _salutation(case: Case, draft: Draft) -> Iterator[Found]:
    to = case.to
    expected = VIAS[(to.via or "").strip()] if case.kind is DraftKind.INTRO else NAMES[to.name]
    greeting = re.match(r"(?:Hi|Hello|Dear) ([^,\n]+),", draft.body)
    if not greeting:
        yield f"no greeting line: {q(draft.body.splitlines()[0])}"
    elif greeting.group(1) != expected:
        yield f"greets {q(greeting.group(1))}, expected {q(expected)}"
    text = draft.full_text()
    bare = re.search(r"\b(?:Dr|Prof|Mr|Mrs|Ms|Mx)\.?(?=\s*[,!?:;\n]|\s*$)", text, re.I)
    if bare:
        yield f"bare title {q(text[max(0, bare.start() - 20) : bare.end() + 5])}"
    # A name typed in lower case is printed with capitals wherever it appears.
    for typed in (to.name, to.via or ""):
        if typed.strip() and typed == typed.lower():
            for part in typed.split():
                found = re.search(rf"(?<![\w'’]){re.escape(part)}(?![\w'’])", text)
                if found:
                    slot = "name" if typed == to.name else "via"
                    at = found.start()
                    yield (
                        f"prints the lower-case {slot} {q(typed)} as typed: {q(text[max(0, at - 30) : at + 30])}",
                        f"prints the lower-case {slot} as typed, in {q(short_pattern(_sentence_at(text, at), case))}",
                    )
                    break


def _sentence_at(text: str, index: int) -> str:
    start = 0
    for sentence in sentences(text):
        at = text.find(sentence, start)
        if at <= index < at + len(sentence):
            return sentence
        start = max(start, at)
    return text[max(0, index - 30) : index + 30]


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_salutation(kind: DraftKind) -> None:
    """The greeting uses the right form of the name ("Dr. Wolff", "Prof. Schmidt", "Lee"), never a bare title."""
    sweep(kind, "salutation", _salutation)


# 6. The review ------------------------------------------------------------------------------------------------

_FOLLOW_UP_CHECKS = {
    DraftKind.FOLLOW_UP: {"no_job", "placeholders", "thanks", "question", "length"},
    DraftKind.CLOSING: {"no_job", "placeholders", "thanks", "length"},
}


_LINKED_SOURCES = {"family", "alumni", "colleagues", "events"}  # a referral is a link through its via
_LINKED_RELATIONS = {"close", "fof", "alumni", "event"}


def _has_a_link(to: Recipient) -> bool:
    """The user's data holds a connection the draft can open with: a relationship, a referrer or mutual
    contact. Without one (a cold contact; a reason in the user's own words that the review doesn't take
    for a link), the review rightly asks for a connection: the draft can't invent one."""
    relation = to.relation in _LINKED_RELATIONS and (to.relation != "fof" or _given(to.via))
    return relation or to.source in _LINKED_SOURCES or _given(to.via)


def _failed_review(case: Case, draft: Draft) -> Iterator[tuple[str, str]]:
    wanted = _FOLLOW_UP_CHECKS.get(case.kind)
    for check in _review(draft.full_text(), case.kind, case.short):
        if check.key == "connection" and not _has_a_link(case.to):
            continue
        if not check.ok and (wanted is None or check.key in wanted):
            label = re.sub(r"\d+", "N", check.label)  # "112 words" and "104 words" are one problem
            quoted = re.search(r"“([^”]*)”", check.fix)
            about = f" at {q(short_pattern(quoted.group(1), case))}" if quoted and check.key != "length" else ""
            yield f"review {check.key}: {check.label}. Fix: {check.fix}", f"review {check.key}: {label}{about}"


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_review_passes(kind: DraftKind) -> None:
    """The draft passes every check of the review (strict when short; the relevant ones for follow-ups)."""
    problems = Problems("review", kind)
    items = rendered(kind)
    for case, draft in items:
        for reason in _failed_review(case, draft):
            problems.add(case, draft, reason)
    problems.raise_if_any(len(items))


# 7. The channel ---------------------------------------------------------------------------------------------


def _channel(case: Case, draft: Draft) -> Iterator[Found]:
    kind, text = case.kind, draft.full_text()
    if kind is DraftKind.LINKEDIN_NOTE:
        if len(text) > 300:
            yield f"LinkedIn note of {len(text)} characters"
        if draft.subject:
            yield "LinkedIn note with a subject"
        if text.rstrip().endswith("…"):
            yield "LinkedIn note cut off mid-sentence"
    elif kind is DraftKind.LINKEDIN_MESSAGE:
        if draft.subject:
            yield "LinkedIn message with a subject"
        email = case.render(kind=DraftKind.EMAIL)
        mine, theirs = len(words(draft.body)), len(words(email.body))
        if mine >= theirs:
            yield (
                f"LinkedIn message not shorter than the email ({mine} >= {theirs} words)",
                f"LinkedIn message not shorter than the email (short={case.short}, why_them given={_given(case.to.why_them)})",
            )
    elif kind is DraftKind.EMAIL:
        if not (draft.subject and draft.subject.strip()):
            yield "email without a subject"
    elif kind is DraftKind.PHONE:
        if "Is now a good time" not in text:
            yield 'phone script without "Is now a good time"'
        if not case.short and not re.search(r"receptionist|\bHR\b", text):
            yield "phone script without a receptionist/HR line"
        if not re.search(r"^Voicemail\b", text, re.M):
            yield 'phone script without a "Voicemail" line'
        spoken = _QUOTED.sub(" ", text)
        written = re.search(r"I'm writing|\bwriting to\b|for reading|\bthis note\b|\bmy note\b", spoken, re.I)
        if written:
            yield f"phone script speaks of writing or reading: {q(written.group(0))}"
    elif kind is DraftKind.INTRO:
        expected = f"Hi {VIAS[(case.to.via or '').strip()]},"
        if not draft.body.startswith(expected):
            yield f"intro request not addressed {q(expected)}: {q(draft.body.splitlines()[0])}"
        if " ".join(case.to.name.split()).lower() not in text.lower():
            yield "intro request doesn't name the person to be introduced"
    else:  # FOLLOW_UP and CLOSING
        context = case.follow_up
        assert context is not None
        by_email = context.channel is DraftKind.EMAIL
        if by_email and not draft.subject:
            yield "follow-up of an email without a subject"
        if not by_email and (draft.subject or re.search(r"^Subject:", draft.body, re.M)):
            yield f"subject on a follow-up of a {context.channel.value}"
        if context.days_since > 9 and "last week" in text:
            yield f"'last week' {context.days_since} days later"
        if kind is DraftKind.FOLLOW_UP:
            wrote = re.search(r"\bmy note\b|\bI wrote\b|\bmy (?:email|message)\b", text)
            if wrote and context.channel in (DraftKind.PHONE, DraftKind.INTRO):
                yield f"speaks of {q(wrote.group(0))} after a request by {context.channel.value}"
            if context.number == 1:
                second = case.render(follow_up=FollowUpContext(context.channel, context.days_since, 2))
                shared = set(content_sentences(draft)) & set(content_sentences(second))
                if shared:
                    yield f"follow-ups 1 and 2 share {q(sorted(shared)[0])}"


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_channel_shape(kind: DraftKind) -> None:
    """Each channel has its shape: note length, subjects, the phone script's lines, the intro's addressee, timing."""
    sweep(kind, "channel", _channel)


# 8. shorten -------------------------------------------------------------------------------------------------

_ASK_OR_FLEX = re.compile(r"\?|suits you|your schedule|convenient|whenever|fit around|working hours", re.I)
_FILLERS = re.compile(r"\b(?:really|very|just|actually|quite|truly|genuinely|incredibly|extremely)\b", re.I)


def _shortened(case: Case, draft: Draft) -> Iterator[Found]:
    body = draft.body
    result = shorten(body)
    content = content_sentences(draft)
    first, rest = (content[0], content[1:]) if content else (None, [])
    # What can go: a sentence about the sender that isn't the opening, the ask, the flexibility or the thanks.
    droppable = [
        s
        for s in rest
        if re.match(r"(?:[A-Z][^,]*,\s+)?(?:I|I'm|I've|I'd|My)\b", s)
        and not _ASK_OR_FLEX.search(s)
        and not re.search(r"thank", s, re.I)
    ]
    if result == body.strip():
        if droppable or _FILLERS.search(body):
            what = droppable[0] if droppable else "a filler"
            yield (
                f"returned the text unchanged though {q(what)} could go",
                (f"returned the text unchanged though {q(pattern_of(what, case))} could go"),
            )
    elif len(words(result)) >= len(words(body)):
        yield f"not fewer words ({len(words(result))} >= {len(words(body))})"
    flat = " ".join(result.split())
    keep = [("the greeting", body.splitlines()[0].strip()), ("the first sentence", first)]
    keep += [("the question", s) for s in content if "?" in s]
    keep += [("the thanks", s) for s in sentences(body) if re.search(r"\bthank", s, re.I)]
    for what, sentence in keep:
        if sentence and " ".join(sentence.split()) not in flat:
            yield f"dropped {what}: {q(sentence)}"
    if result.splitlines()[-1].strip() != case.sender.name:
        yield f"the signature is no longer on its own line: {q(result.splitlines()[-1])}", "merged the signature line"
    for shown, named in empty_slots(result, case):
        yield f"left an empty slot: {shown}", f"left an empty slot: {named}"


def test_shorten_email_bodies() -> None:
    """shorten() on every email body drops words when it can, and keeps the opening, the question and the thanks."""
    problems = Problems("shorten", DraftKind.EMAIL)
    items = rendered(DraftKind.EMAIL)
    for case, draft in items:
        for reason in _shortened(case, draft):
            problems.add(case, f"{draft.body}\n\n--- shortened ---\n{shorten(draft.body)}", reason)
    problems.raise_if_any(len(items))


# The sweep itself --------------------------------------------------------------------------------------------


def test_sweep_covers_every_dimension() -> None:
    """Every value of every dimension is rendered at least once, and every source with every relation."""
    seen: dict[str, set] = defaultdict(set)
    for kind in KINDS:
        for case in cases(kind):
            to, sender = case.to, case.sender
            seen["kind"].add(kind)
            seen["relation"].add(to.relation)
            seen["source"].add(to.source)
            seen["stage"].add(sender.stage)
            seen["variant"].add(case.variant)
            seen["short"].add(case.short)
            seen["name"].add(to.name)
            seen["sender"].add(sender.name)
            seen["field"].add(sender.field)
            seen["role"].add(to.role)
            seen["company"].add(to.company)
            seen["via"].add(to.via)
            seen["why_them"].add(to.why_them)
            seen["offer"].add(to.offer)
            if case.follow_up:
                fu = case.follow_up
                seen[f"{kind.value} context"].add((fu.channel, fu.days_since, fu.number))
    expected: dict[str, set] = {
        "kind": set(KINDS), "relation": set(RELATIONS), "source": set(SOURCES), "stage": set(STAGES),
        "variant": set(VARIANTS), "short": set(SHORTS), "name": set(NAMES), "sender": set(SENDER_NAMES),
        "field": set(FIELDS), "role": set(ROLES), "company": set(COMPANIES), "via": set(VIA_VALUES),
        "why_them": set(WHYS), "offer": set(OFFERS),
        "follow_up context": set(itertools.product(REQUEST_KINDS, DAYS, NUMBERS)),
        "closing context": set(itertools.product(REQUEST_KINDS, DAYS, NUMBERS)),
    }  # fmt: skip
    for dimension, values in expected.items():
        assert seen[dimension] == values, f"{dimension}: missing {values - seen[dimension]}"
    for relation in RELATIONS:
        pairs = {case.to.source for kind in REQUEST_KINDS for case in cases(kind) if case.to.relation == relation}
        assert pairs == set(SOURCES), f"relation {relation!r} never meets sources {set(SOURCES) - pairs}"


# The checks themselves ---------------------------------------------------------------------------------------

_SAMPLE = Case(
    DraftKind.EMAIL,
    Sender("Ana", "UX research", "changer"),
    Recipient("Dr. Petra Wolff", company=None, relation="cold"),
    variant=0,
    short=False,
    follow_up=None,
)
_GOOD = Draft(
    DraftKind.EMAIL,
    "Dear Dr. Wolff,\n\nYour work is close to what I hope to do in UX research. I'm changing careers into UX "
    "research.\n\nWould you be open to a 20-minute call? Any time that suits you works for me.\n\n"
    "Thank you for considering it.\nAna",
    "A question about your work",
)
_FAULTS = [
    (_empty_slots, "Dear Dr.,\n\nYour work at None is close to what I hope to do in  UX research .\n\n...\nAna"),
    (_doubled, "Dear Dr. Wolff,\n\nI love your work on maps. I love your work on maps, truly.\n\nThanks\nAna"),
    (_broken, "Dear Dr. Wolff,\n\nAs a designer, your work moved me.. thank you,.\nAna"),
    (_broken, "Dear Dr. Wolff,\n\nI'd love hearing about Product Designer from the inside, as the Dr. Petra Wolff."),
    (_unbacked, "Dear Dr. Wolff,\n\nTom Berg suggested I write. We met at the event, in my research at Acme."),
    (_unbacked, "Dear Dr. Wolff,\n\nIn return, I'm happy to share notes, because of our time working together."),
    (_salutation, "Hi Petra,\n\nYour work is close to what I hope to do.\n\nThanks\nAna"),
]


@pytest.mark.parametrize(("inspect", "body"), _FAULTS, ids=lambda v: getattr(v, "__name__", "body"))
def test_checks_catch_known_faults(inspect: Callable[[Case, Draft], Iterator], body: str) -> None:
    """Each check finds the fault planted in a hand-written draft, and nothing in a clean one."""
    assert list(inspect(_SAMPLE, _GOOD)) == []
    assert list(inspect(_SAMPLE, Draft(DraftKind.EMAIL, body, "A question about your work")))
