"""Insights across the user's reflections: recurring themes, questions still open, whether the field still
fits, and the progress in numbers and in words.

The point of the page is to hand the user's own words back to them: what keeps coming up across
conversations, what they still want to know, and how sure they are of the field. Nothing here is
invented; themes and quotes are cut from their answers.

Pure standard library: notes and counts come in as plain values, text and values go out. The /insights
handler sends `render_insights`; services/charts.py draws `Progress`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from coaching.reflection import Answers, FieldFit

__all__ = [
    "Funnel",
    "Note",
    "Progress",
    "Theme",
    "WeekCount",
    "enough_for_chart",
    "goal_of",
    "interest_trend",
    "open_questions",
    "progress_words",
    "render_insights",
    "short_date",
    "themes",
    "trend_words",
    "weekly_conversations",
]

MESSAGE_LIMIT = 4096  # Telegram's limit for one message
MIN_CONTACTS_FOR_CHART = 3  # fewer contacts and no request yet: a chart would be mostly empty
MIN_REFLECTIONS_FOR_THEME = 2  # a theme recurs: it shows in at least this many reflections
QUOTE_CHARS = 120  # a quote is a glimpse, not the whole answer
QUOTES_PER_THEME = 2
ANSWERED_SHARE = 0.6  # a later reflection answers a question when it holds this share of its content words
QUESTION_WORD_MIN = 4  # content words of a question: at least this long
SHOWN_QUESTIONS = 8  # the rest is counted, not listed
KEPT_QUESTIONS = 3  # a page too long keeps this many questions for as long as it can
QUESTION_CHARS = 200  # a question is cut to this on the page
NAME_CHARS = 60
THEME_CHARS = 60

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Common English function words: they carry no theme.
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because been before being
    below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down
    during each either else etc even ever every few for from further get gets getting got had hadn't has
    hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how how's i
    i'd i'll i'm i've if in into is isn't it it's its itself just let's may me might more most much must
    mustn't my myself neither no nor not now of off often on once one only or other ought our ours
    ourselves out over own per quite rather same shall shan't she she'd she'll she's should shouldn't so
    some such than that that's the their theirs them themselves then there there's these they they'd
    they'll they're they've this those though through to too under until up upon us very via was wasn't
    we we'd we'll we're we've were weren't what what's when when's where where's whether which while who
    who's whom whose why why's will with within without won't would wouldn't yes yet you you'd you'll
    you're you've your yours yourself yourselves
    """.split()
)

# Words people use in any conversation about any job: too generic to be a theme of theirs.
GENERIC_WORDS = frozenset(
    """
    able actually already always another anything asked away back bad basically big bit certainly clearly
    come comes day days definitely did different done easy enough especially everything feel felt find
    first generally get give go goes going good great guess hard important interesting kind know knew last
    like likes liked little lot lots make makes made many maybe mean means mostly need needs new next nice
    okay ok part people person probably pretty put really right said say says see seem seems seemed simply
    something sometimes sort still stuff sure take talk talked tell think thing things thought time told
    try tried two use used usually want wants way ways well went whole work works year years
    """.split()
)

_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W_])?")
_FRAGMENT_END = re.compile(r"(?<=[.!?;])\s+|\s*\n+\s*")
_QUESTION_SPLIT = re.compile(r"[\n;]+|(?<=\?)")
_BULLET = re.compile(r"^(?:[-–—•*·>]+|\d{1,2}[.)])\s*")
_PHRASE_GAP = re.compile(r"[\s-]+")


# Progress ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Funnel:
    contacts: int
    requests: int
    replies: int
    meetings: int
    referrals: int


@dataclass(frozen=True)
class WeekCount:
    week_start: date  # the Monday, in the user's zone
    conversations: int


@dataclass(frozen=True)
class Progress:
    funnel: Funnel
    weeks: tuple[WeekCount, ...]  # oldest first
    goal_per_week: int | None


def short_date(day: date) -> str:
    """'3 Nov': short enough for a chart axis, and the same in every locale."""
    return f"{day.day} {_MONTHS[day.month - 1]}"


def weekly_conversations(met_at: Iterable[datetime], now: datetime, zone: str, weeks: int = 8) -> tuple[WeekCount, ...]:
    """Conversations per local week (Monday start), oldest first, the current week last, zero-filled.

    Weeks are cut in the user's zone, so a Sunday-evening call counts in that Sunday's week wherever
    the server is. Conversations after `now` have not happened yet and are not counted.
    """
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    this_monday = today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    counts = dict.fromkeys(mondays, 0)
    for moment in met_at:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"weekly_conversations needs aware datetimes, got {moment!r}")
        if moment > now:
            continue
        day = moment.astimezone(tz).date()
        monday = day - timedelta(days=day.weekday())
        if monday in counts:
            counts[monday] += 1
    return tuple(WeekCount(monday, counts[monday]) for monday in mondays)


def enough_for_chart(progress: Progress) -> bool:
    """A chart of almost nothing discourages; below this, words say it better."""
    funnel = progress.funnel
    return (
        funnel.contacts >= MIN_CONTACTS_FOR_CHART
        or funnel.requests > 0
        or any(week.conversations for week in progress.weeks)
    )


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def goal_of(progress: Progress) -> int | None:
    """The weekly goal, or None when there is none (a goal of 0 is no goal)."""
    goal = progress.goal_per_week
    return goal if goal is not None and goal > 0 else None


def progress_words(progress: Progress) -> str:
    """The funnel and this week against the goal, in one or two plain sentences (no user text)."""
    f = progress.funnel
    funnel = (
        f"So far: {_plural(f.contacts, 'contact')} → {_plural(f.requests, 'request')} sent → "
        f"{_plural(f.replies, 'reply', 'replies')} → {_plural(f.meetings, 'meeting')} → "
        f"{_plural(f.referrals, 'referral')}."
    )
    done = progress.weeks[-1].conversations if progress.weeks else 0
    goal = goal_of(progress)
    if goal is None:
        week = f"This week: {_plural(done, 'conversation')}."
    elif done >= goal:
        week = f"This week: {_plural(done, 'conversation')}, your goal of {goal} is met. Well done."
    else:
        week = f"This week: {done} of your {_plural(goal, 'conversation')}, {goal - done} to go."
    return f"{funnel}\n{week}"


# Words of the user ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    at: datetime  # when the reflection was written (aware)
    contact_name: str
    answers: Answers


@dataclass(frozen=True)
class Theme:
    words: str  # the recurring word or phrase, as the user first wrote it
    count: int  # in how many different reflections it occurs
    quotes: tuple[str, ...]  # up to 2 short excerpts, each <= QUOTE_CHARS


def _stem(word: str) -> str:
    """Crude plural folding ('stakeholders' ~ 'stakeholder'), enough to match a user's own wordings."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _norm(word: str) -> str:
    return word.lower().replace("’", "'")


def _chronological(notes: Sequence[Note]) -> list[Note]:
    return sorted(notes, key=lambda note: note.at)


def _fragments(text: str) -> list[str]:
    """A user's answer cut into sentences and lines: a quote is one of them (or a window of one)."""
    return [part.strip() for part in _FRAGMENT_END.split(text) if part.strip()]


def _excerpt(fragment: str, start: int, end: int) -> str:
    """The fragment, or a window of it around [start, end) cut at spaces, at most QUOTE_CHARS long."""
    if len(fragment) <= QUOTE_CHARS:
        return fragment
    room = QUOTE_CHARS - 2  # an ellipsis on each side
    if end - start >= room:
        return fragment[start : start + QUOTE_CHARS - 1] + "…"
    left = max(0, start - (room - (end - start)) // 2)
    right = min(len(fragment), left + room)
    left = max(0, right - room)
    if left > 0 and " " in fragment[left:start]:
        left = fragment.index(" ", left) + 1
    if right < len(fragment) and " " in fragment[end:right]:
        right = fragment.rindex(" ", end, right)
    return ("…" if left > 0 else "") + fragment[left:right].strip() + ("…" if right < len(fragment) else "")


def _is_content(original: str) -> bool:
    """A possible theme word: not a function or generic word, and not tiny unless an acronym ('UX')."""
    word = _norm(original)
    if word in STOP_WORDS or word in GENERIC_WORDS or _stem(word) in GENERIC_WORDS:
        return False
    return len(word) >= 3 or (len(original) >= 2 and original.isupper())


def _candidates(fragment: str) -> Iterator[tuple[str, int, int, int]]:
    """(key, words, start, end) of each content word and each two-word phrase of content words."""
    words = [(m, _is_content(m.group())) for m in _WORD.finditer(fragment)]
    for index, (match, content) in enumerate(words):
        if not content:
            continue
        key = _stem(_norm(match.group()))
        yield key, 1, match.start(), match.end()
        if index + 1 < len(words):
            after, after_content = words[index + 1]
            if after_content and _PHRASE_GAP.fullmatch(fragment[match.end() : after.start()]):
                yield f"{key} {_stem(_norm(after.group()))}", 2, match.start(), after.end()


@dataclass
class _Seen:
    key: str  # lowercase, folded: "product management"
    words: str  # as first written: "Product Management"
    size: int
    first: int
    notes: list[int] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)


def _theme_texts(answers: Answers) -> list[str]:
    return [text for text in (answers.learned, answers.looking_for, answers.resume, answers.matters) if text]


def _collect(notes: Sequence[Note]) -> dict[str, _Seen]:
    """Every candidate word and phrase, with the reflections it occurs in and one quote from each."""
    seen: dict[str, _Seen] = {}
    for number, note in enumerate(_chronological(notes)):
        for text in _theme_texts(note.answers):
            for fragment in _fragments(text):
                for key, size, start, end in _candidates(fragment):
                    entry = seen.setdefault(key, _Seen(key, fragment[start:end], size, len(seen)))
                    if not entry.notes or entry.notes[-1] != number:
                        entry.notes.append(number)
                        entry.quotes.append(_excerpt(fragment, start, end))
    return seen


def _latest_quotes(quotes: list[str]) -> tuple[str, ...]:
    """The most recent distinct quotes: what the user says now matters more than what they said first."""
    picked: list[str] = []
    for quote in reversed(quotes):
        if quote not in picked:
            picked.append(quote)
        if len(picked) == QUOTES_PER_THEME:
            break
    return tuple(picked)


def themes(notes: Sequence[Note], limit: int = 5) -> list[Theme]:
    """Words and two-word phrases the user keeps coming back to, in at least two reflections.

    Ranked by how many reflections share them, then phrases before words. A word is left out when a
    phrase holding it is already listed with the same count ("product management" and "product" in the
    same three reflections are one theme, not two).
    """
    seen = _collect(notes)
    ranked = sorted(
        (entry for entry in seen.values() if len(entry.notes) >= MIN_REFLECTIONS_FOR_THEME),
        key=lambda entry: (-len(entry.notes), -entry.size, entry.first),
    )
    chosen: list[tuple[set[str], _Seen]] = []
    for entry in ranked:
        parts = set(entry.key.split())
        if any(len(other.notes) == len(entry.notes) and parts & words for words, other in chosen):
            continue
        chosen.append((parts, entry))
        if len(chosen) == limit:
            break
    return [Theme(entry.words, len(entry.notes), _latest_quotes(entry.quotes)) for _, entry in chosen]


def _question_words(text: str) -> set[str]:
    """The content words a question turns on, folded so that an answer's wording can match them."""
    words = (_norm(match.group()) for match in _WORD.finditer(text))
    return {_stem(word) for word in words if len(word) >= QUESTION_WORD_MIN and word not in STOP_WORDS}


def _answer_words(answers: Answers) -> set[str]:
    text = " ".join(part for part in (answers.learned, answers.looking_for, answers.matters) if part)
    return {_stem(_norm(match.group())) for match in _WORD.finditer(text)}


def _split_questions(text: str) -> list[str]:
    """One question per line, ';' or '?', bullets dropped, the '?' kept, the first letter a capital."""
    pieces = (_BULLET.sub("", piece.strip()).strip() for piece in _QUESTION_SPLIT.split(text))
    return [piece[0].upper() + piece[1:] for piece in pieces if any(char.isalpha() for char in piece)]


def _answered(words: set[str], later: Iterable[set[str]]) -> bool:
    """True when one later reflection holds most of the question's content words."""
    return bool(words) and any(len(words & found) >= ANSWERED_SHARE * len(words) for found in later)


def open_questions(notes: Sequence[Note]) -> list[tuple[str, str]]:
    """(question, contact name) for each question noted after a conversation that no later one answered.

    A question noted again later counts once, from its latest conversation: it was open again then.
    """
    ordered = _chronological(notes)
    answers = [_answer_words(note.answers) for note in ordered]
    latest: dict[object, tuple[int, str, str]] = {}
    for number, note in enumerate(ordered):
        for question in _split_questions(note.answers.open_questions or ""):
            words = _question_words(question)
            key: object = frozenset(words) if words else question.lower().rstrip("?!. ")
            latest.pop(key, None)  # re-inserted last: the list keeps the order in which they were last asked
            latest[key] = (number, question, note.contact_name)
    return [
        (question, name)
        for number, question, name in latest.values()
        if not _answered(_question_words(question), (answers[later] for later in range(number + 1, len(ordered))))
    ]


# Is it still their field? --------------------------------------------------------------------------------

_SURE = {FieldFit.YES: "sure", FieldFit.UNSURE: "unsure", FieldFit.NO: "not for you"}


def interest_trend(notes: Sequence[Note]) -> list[tuple[date, FieldFit]]:
    """The 'still your field?' answers, oldest first; the date is `at`'s own (pass it in the user's zone)."""
    return [(note.at.date(), fit) for note in _chronological(notes) if (fit := note.answers.still_field) is not None]


def trend_words(trend: list[tuple[date, FieldFit]]) -> str:
    """One line on how sure the user is of the field, and since when that changed."""
    if not trend:
        return ""
    runs: list[tuple[FieldFit, date]] = []
    for day, fit in trend:
        if not runs or runs[-1][0] is not fit:
            runs.append((fit, day))
    last, since = runs[-1]
    if len(runs) == 1:
        if len(trend) == 1:
            return f"After one conversation: {last.value}."
        total = "both" if len(trend) == 2 else f"all {len(trend)}"
        return f"Steady: {last.value} in {total} conversations."
    if len(runs) == 2:
        return f"{_SURE[runs[0][0]].capitalize()} at first, {_SURE[last]} since {short_date(since)}."
    if len(runs) <= 4:
        path = " → ".join(_SURE[fit] for fit, _ in runs)
        return f"Back and forth: {path}; {_SURE[last]} since {short_date(since)}."
    return f"It changed {len(runs) - 1} times; {_SURE[last]} since {short_date(since)}."


# The page ------------------------------------------------------------------------------------------------

TITLE = "💡 <b>Your insights</b>"
EMPTY = "Nothing here yet. After a conversation, send /reflect: your answers fill this page."
NO_THEMES = "Nothing repeats yet. Themes show once two reflections share a word."
NO_QUESTIONS = "Nothing open. Questions you note in /reflect wait here until a later conversation answers them."
NO_TREND = "Not answered yet. /reflect asks after each conversation."


def _e(text: str, limit: int | None = None) -> str:
    """User text, cut (before escaping, so no entity is split) and made safe for Telegram HTML."""
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return escape(text, quote=False)


def _length(text: str) -> int:
    """Telegram counts UTF-16 code units; an emoji is two of them."""
    return len(text.encode("utf-16-le")) // 2


def _theme_block(theme: Theme, quotes: int) -> str:
    reflections = "both reflections" if theme.count == 2 else f"{theme.count} reflections"
    lines = [f"• <b>{_e(theme.words, THEME_CHARS)}</b>, in {reflections}"]
    lines += [f"   <i>“{_e(quote)}”</i>" for quote in theme.quotes[:quotes]]
    return "\n".join(lines)


def _questions_block(questions: list[tuple[str, str]], shown: int) -> str:
    lines = [
        f"• {_e(q, QUESTION_CHARS)} <i>(from your talk with {_e(name, NAME_CHARS)})</i>"
        for q, name in questions[:shown]
    ]
    if len(questions) > shown:
        lines.append(f"…and {_plural(len(questions) - shown, 'more question')}.")
    return "\n".join(lines)


def _themes_block(found: list[Theme], count: int, quotes: int) -> str:
    lines = [_theme_block(theme, quotes) for theme in found[:count]]
    if len(found) > count:
        lines.append(f"…and {_plural(len(found) - count, 'more theme')}.")
    return "\n".join(lines)


def _page(
    found: list[Theme], count: int, quotes: int, questions: list[tuple[str, str]], shown: int, trend: str, words: str
) -> str:
    """The whole page, showing `count` themes with `quotes` quotes each and `shown` questions."""
    sections = [
        TITLE,
        "<b>Themes in your own words</b>\n" + (_themes_block(found, count, quotes) if found else NO_THEMES),
        "<b>Still open</b>\n" + (_questions_block(questions, shown) if questions else NO_QUESTIONS),
        "<b>Is it still your field?</b>\n" + (trend or NO_TREND),
        "<b>Progress</b>\n" + escape(words, quote=False),
    ]
    return "\n\n".join(sections)


def _trims(themes_found: int, questions: int) -> Iterator[tuple[int, int, int]]:
    """(themes, quotes per theme, questions shown), from the full page to the barest one.

    Second quotes go first, then questions down to a few, then the remaining quotes, then the rest.
    """
    shown = min(questions, SHOWN_QUESTIONS)
    yield themes_found, QUOTES_PER_THEME, shown
    few = min(shown, KEPT_QUESTIONS)
    for fewer in range(shown, few - 1, -1):
        yield themes_found, 1, fewer
    for fewer in range(few, -1, -1):
        yield themes_found, 0, fewer
    for count in range(themes_found - 1, -1, -1):
        yield count, 0, 0


def render_insights(notes: Sequence[Note], progress: Progress) -> str:
    """The /insights message (Telegram HTML), trimmed to one message: lists shrink before anything is cut."""
    words = progress_words(progress)
    if not notes:
        return f"{TITLE}\n\n{EMPTY}\n\n<b>Progress</b>\n{escape(words, quote=False)}"
    found = themes(notes)
    questions = open_questions(notes)
    trend = trend_words(interest_trend(notes))
    page = ""
    for count, quotes, shown in _trims(len(found), len(questions)):
        page = _page(found, count, quotes, questions, shown, trend, words)
        if _length(page) <= MESSAGE_LIMIT:
            break
    return page  # the barest page has no user text but the counts: it always fits
