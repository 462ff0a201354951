"""The question bank for an informational interview: our own questions, grouped by TIARA and by topic.

TIARA (Trends, Insights, Advice, Resources, Assignments) runs from the broad to the personal, so a meeting
asks its questions in that order. Each question is also filed under a topic: career path, day-to-day work,
culture, skills, or the hiring process (how hiring works in the person's field, never a request for a job).

Questions may carry two slots, ``{field}`` (the user's target field) and ``{company}`` (the contact's
employer). ``render`` always fills them: a missing or blank value becomes "your field" / "your company",
and every text is written so that the fallback reads naturally. No slot starts a sentence.

Ids are stable: they go into callback data and into stored meetings. Never renumber or reuse an id; to
retire a question, delete it and leave its id unused. The "who else" question is not pickable: it is part
of every meeting's next steps and always comes last.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from coaching.defaults import MINUTES_PER_QUESTION
from coaching.profile import CareerStage

# The numbers of the question bank (the per-question pace itself is coaching.defaults.MINUTES_PER_QUESTION).
FRAME_SLOTS = 2  # small talk and thanks at the start, next steps at the end: each about one question's time
QUESTION_MAX_CHARS = 200  # a question's own text; a button label cut to 60 characters still reads
ID_MAX_CHARS = 12  # ids go into callback data (64 bytes in all)
SLOT_MAX_CHARS = 200  # a longer field or company name is cut at a word, so a rendered question stays short


class Tiara(StrEnum):
    """The five kinds of question, in the order a meeting asks them."""

    TRENDS = "trends"
    INSIGHTS = "insights"
    ADVICE = "advice"
    RESOURCES = "resources"
    ASSIGNMENTS = "assignments"


class Topic(StrEnum):
    CAREER_PATH = "path"
    DAY_TO_DAY = "day"
    CULTURE = "culture"
    SKILLS = "skills"
    HIRING_PROCESS = "hiring"


TIARA_LABELS = {
    Tiara.TRENDS: "Trends",
    Tiara.INSIGHTS: "Insights",
    Tiara.ADVICE: "Advice",
    Tiara.RESOURCES: "Resources",
    Tiara.ASSIGNMENTS: "Assignments",
}

TOPIC_LABELS = {
    Topic.CAREER_PATH: "Career path",
    Topic.DAY_TO_DAY: "Day-to-day work",
    Topic.CULTURE: "Culture",
    Topic.SKILLS: "Skills",
    Topic.HIRING_PROCESS: "Hiring process",
}

SLOT_FALLBACKS = {"field": "your field", "company": "your company"}
_SLOT = re.compile(r"\{(field|company)\}")


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    tiara: Tiara
    topic: Topic

    @property
    def slots(self) -> frozenset[str]:
        """The slot names this question uses ("field", "company")."""
        return frozenset(_SLOT.findall(self.text))


def _section(tiara: Tiara, topic: Topic, *rows: tuple[str, str]) -> tuple[Question, ...]:
    return tuple(Question(qid, text, tiara, topic) for qid, text in rows)


_T, _I, _A, _R, _X = Tiara
_PATH, _DAY, _CULTURE, _SKILLS, _HIRING = Topic

# fmt: off
QUESTIONS: tuple[Question, ...] = (
    # Trends: where the field is heading.
    *_section(_T, _PATH,
        ("tr-path-1", "How have the routes people take into {field} changed since you started?"),
        ("tr-path-2", "Which kinds of roles in {field} do you expect to grow over the next few years, and which may shrink?"),
        ("tr-path-3", "Where do you see your own career heading as {field} keeps changing?"),
        ("tr-path-4", "How common is it now, from what you've seen, for people to move between {field} and nearby areas?"),
    ),
    *_section(_T, _DAY,
        ("tr-day-1", "How has the everyday work in {field} changed over the years you've been in it?"),
        ("tr-day-2", "Which new tools or methods are changing the way your team works?"),
        ("tr-day-3", "How has remote or hybrid work changed the rhythm of your week?"),
        ("tr-day-4", "What parts of your work do you expect to look very different five years from now?"),
    ),
    *_section(_T, _CULTURE,
        ("tr-cult-1", "How have you seen the culture at {company} change as the organization grows or shifts direction?"),
        ("tr-cult-2", "Which shifts in what people expect from their workplace are you seeing in {field}?"),
        ("tr-cult-3", "How have teams at {company} adapted to new ways of working together, in your experience?"),
        ("tr-cult-4", "What changes in leadership or management style have you noticed in {field} lately?"),
    ),
    *_section(_T, _SKILLS,
        ("tr-skill-1", "Which skills do you see becoming more valuable in {field}, and which matter less than they used to?"),
        ("tr-skill-2", "How are automation and AI changing the skills you and your colleagues need?"),
        ("tr-skill-3", "What do you find yourself learning now that you didn't need a few years ago?"),
        ("tr-skill-4", "Which emerging specialties in {field} do you think are worth watching?"),
    ),
    *_section(_T, _HIRING,
        ("tr-hire-1", "What changes have you noticed in how organizations in {field} find and evaluate new people?"),
        ("tr-hire-2", "What do you see employers in {field} looking for today that they weren't looking for five years ago?"),
        ("tr-hire-3", "How do you see the balance between permanent, contract and freelance work shifting in {field}?"),
        ("tr-hire-4", "How have economic ups and downs affected hiring in {field}, from what you've seen?"),
    ),
    # Insights: what the person has seen and lived.
    *_section(_I, _PATH,
        ("in-path-1", "How did you end up in {field}, and what drew you to it in the first place?"),
        ("in-path-2", "What surprised you most when you moved into your current role?"),
        ("in-path-3", "Looking back, which decision made the biggest difference to your career so far?"),
        ("in-path-4", "What does a typical career progression look like at {company}, from what you've seen?"),
    ),
    *_section(_I, _DAY,
        ("in-day-1", "What does a typical week look like for you?"),
        ("in-day-2", "Which part of your work do you enjoy most, and which do you find hardest?"),
        ("in-day-3", "Who do you work with most closely, and how do you share the work between you?"),
        ("in-day-4", "What kinds of problems take up most of your time and attention?"),
    ),
    *_section(_I, _CULTURE,
        ("in-cult-1", "How would you describe the culture at {company} to a friend?"),
        ("in-cult-2", "What kind of person have you seen thrive at {company}, and who tends to struggle?"),
        ("in-cult-3", "How are decisions usually made on your team?"),
        ("in-cult-4", "What does {company} reward and celebrate, in your experience?"),
    ),
    *_section(_I, _SKILLS,
        ("in-skill-1", "Which of your skills do you rely on most in your current work?"),
        ("in-skill-2", "What skill took you longest to develop, and how did you build it?"),
        ("in-skill-3", "What do you notice people new to {field} usually underestimate?"),
        ("in-skill-4", "How do you tell the difference between someone who is good in {field} and someone who is great?"),
    ),
    *_section(_I, _HIRING,
        ("in-hire-1", "How did you come to join {company}, and what was the process like for you?"),
        ("in-hire-2", "When your team brings someone new on board, what makes a candidate stand out?"),
        ("in-hire-3", "What do you think people most often misunderstand about how hiring works in {field}?"),
        ("in-hire-4", "How much has networking mattered in {field}, in your experience, compared with applying through formal channels?"),
    ),
    # Advice: what they would do in the user's place.
    *_section(_A, _PATH,
        ("ad-path-1", "If you were starting out in {field} today, what would you do differently?"),
        ("ad-path-2", "What advice would you give someone moving into {field} from another area?"),
        ("ad-path-3", "Which early choices would you encourage someone to make, or avoid, when building a career in {field}?"),
        ("ad-path-4", "What do you wish someone had told you in your first year in {field}?"),
    ),
    *_section(_A, _DAY,
        ("ad-day-1", "How would you suggest I find out whether I'd enjoy the daily work in {field}?"),
        ("ad-day-2", "What habits have helped you stay effective and avoid burning out?"),
        ("ad-day-3", "What would you tell someone whose picture of daily life in {field} comes mostly from the outside?"),
        ("ad-day-4", "How would you recommend someone new handle the busiest periods in your line of work?"),
    ),
    *_section(_A, _CULTURE,
        ("ad-cult-1", "What would you look for to tell whether a team's culture would suit someone like me?"),
        ("ad-cult-2", "Which signs of a healthy workplace would you pay attention to in {field}?"),
        ("ad-cult-3", "How would you suggest someone new earns trust quickly on a team like yours?"),
        ("ad-cult-4", "What would you advise someone to find out about an organization's culture before committing to it?"),
    ),
    *_section(_A, _SKILLS,
        ("ad-skill-1", "Which skill would you advise me to focus on first to prepare for work in {field}?"),
        ("ad-skill-2", "How would you suggest someone build practical experience in {field} before working in it?"),
        ("ad-skill-3", "Which certificates or courses would you say are worth the time in {field}, and which are not?"),
        ("ad-skill-4", "How would you recommend presenting skills gained outside {field} so that people there value them?"),
    ),
    *_section(_A, _HIRING,
        ("ad-hire-1", "What would you advise someone to do to be taken seriously when approaching employers in {field}?"),
        ("ad-hire-2", "How would you suggest preparing for interviews in {field}?"),
        ("ad-hire-3", "What common mistakes do you see people make when trying to break into {field}?"),
        ("ad-hire-4", "What's the best way, in your view, to explain a career change so that employers in {field} understand it?"),
    ),
    # Resources: where to learn more (people to meet are the "who else" question at the end).
    *_section(_R, _PATH,
        ("re-path-1", "Which professional associations or groups in {field} have been most useful to you?"),
        ("re-path-2", "What books, podcasts or newsletters helped you understand {field} when you were starting out?"),
        ("re-path-3", "Which events or conferences would you recommend for someone exploring {field}?"),
        ("re-path-4", "Which organizations besides {company} do you think are doing interesting work in {field}?"),
    ),
    *_section(_R, _DAY,
        ("re-day-1", "Which tools or software do you use every day that would be worth getting familiar with?"),
        ("re-day-2", "What do you read or follow to keep on top of your everyday work?"),
        ("re-day-3", "Where could I see real examples of the kind of work you do, such as case studies or public projects?"),
        ("re-day-4", "Which online communities do you and others in {field} use to swap tips and solve everyday problems?"),
    ),
    *_section(_R, _CULTURE,
        ("re-cult-1", "Where would you go for an honest sense of what it's like to work at {company}?"),
        ("re-cult-2", "Which employee groups or communities at {company} have made a difference for you?"),
        ("re-cult-3", "Which communities would you recommend to help a newcomer to {field} feel welcome and connected?"),
        ("re-cult-4", "What sources would you trust to compare workplaces in {field}?"),
    ),
    *_section(_R, _SKILLS,
        ("re-skill-1", "Which courses, programs or training would you recommend for building skills in {field}?"),
        ("re-skill-2", "Which free or low-cost resources would you point a beginner in {field} toward?"),
        ("re-skill-3", "Whose writing or talks about {field} have you learned the most from?"),
        ("re-skill-4", "Which trade publications or blogs in {field} do you find worth reading regularly?"),
    ),
    *_section(_R, _HIRING,
        ("re-hire-1", "Where have you seen employers in {field} look when they need new people?"),
        ("re-hire-2", "Which recruiters, agencies or platforms would you say play a big part in hiring in {field}?"),
        ("re-hire-3", "Which events or programs have you seen employers in {field} use to meet people who are new to the area?"),
        ("re-hire-4", "Where would you send someone to see strong portfolios or work samples in {field}?"),
    ),
    # Assignments: something concrete the user can go and do, and later report back on.
    *_section(_X, _PATH,
        ("as-path-1", "What small project would you suggest I take on to test whether {field} is right for me?"),
        ("as-path-2", "If you were in my place, what would you do in the next month to learn more about {field}?"),
        ("as-path-3", "Which volunteer or side projects would give someone a realistic taste of your work?"),
        ("as-path-4", "What could I do over the next few weeks that would give me something worth reporting back to you?"),
    ),
    *_section(_X, _DAY,
        ("as-day-1", "Which typical task from your week could I try on my own to see how it feels?"),
        ("as-day-2", "What exercise would you set for someone to get a feel for the daily work in {field}?"),
        ("as-day-3", "Which recent challenge from your work could I study as practice?"),
        ("as-day-4", "What would a good first practice project look like with the tools your team relies on?"),
    ),
    *_section(_X, _CULTURE,
        ("as-cult-1", "What would you suggest I do to get a feel for the culture at {company} from the outside?"),
        ("as-cult-2", "Which events or gatherings would you suggest I attend to see how people in {field} work together?"),
        ("as-cult-3", "What could I observe or try that would show me whether I'd fit in a team like yours?"),
        ("as-cult-4", "Which community or open project in {field} would you point me to, to learn how people there collaborate?"),
    ),
    *_section(_X, _SKILLS,
        ("as-skill-1", "What project would you suggest I build to practice the skills that matter most in {field}?"),
        ("as-skill-2", "Which problem would you give me to work on to see where my skills stand?"),
        ("as-skill-3", "What would you suggest as a good way to measure my skills against what's expected in {field}?"),
        ("as-skill-4", "If you picked one skill for me to work on this month, what task would you suggest to build it?"),
    ),
    *_section(_X, _HIRING,
        ("as-hire-1", "What kind of work sample do you think would best show employers in {field} what someone can do?"),
        ("as-hire-2", "Which practice exercises would you recommend to prepare for the interviews common in {field}?"),
        ("as-hire-3", "What could someone create in a few months that people hiring in {field} would find convincing, in your view?"),
        ("as-hire-4", "Which take-home tasks or case studies have you seen employers in {field} use, and how could I practice them?"),
    ),
)
# fmt: on

# Always on the list, last: part of the meeting's next steps, so not one of the pickable questions.
WHO_ELSE = Question(
    "who-else",
    "Who else would you recommend I speak with to learn more about {field}?",
    Tiara.RESOURCES,
    Topic.CAREER_PATH,
)

BY_ID: dict[str, Question] = {q.id: q for q in (*QUESTIONS, WHO_ELSE)}
TIARA_ORDER: tuple[Tiara, ...] = tuple(Tiara)

# A starter set takes its kinds in this order, round and round: a 20-minute call gets one Insights, one Advice
# and one Trends question; 30 minutes gets one of each kind; 45 minutes a second round up to Resources.
STARTER_TIARA_CYCLE = (Tiara.INSIGHTS, Tiara.ADVICE, Tiara.TRENDS, Tiara.RESOURCES, Tiara.ASSIGNMENTS)
# Within a kind, the questions that suit the user's career stage come first, in this order of preference.
# fmt: off
STAGE_FAVOURITES: dict[str, tuple[str, ...]] = {
    CareerStage.STUDENT: (
        "in-path-1", "ad-path-4", "tr-path-2", "re-path-3", "as-path-3",
        "in-day-1", "ad-skill-2", "in-skill-3", "re-skill-2", "as-skill-1",
    ),
    CareerStage.RECENT_GRADUATE: (
        "in-day-1", "ad-path-1", "tr-hire-2", "re-hire-3", "as-hire-1",
        "in-hire-2", "in-skill-3", "ad-skill-2", "re-skill-2", "as-skill-1",
    ),
    CareerStage.CHANGING_CAREERS: (
        "in-path-1", "ad-path-2", "tr-skill-1", "re-skill-1", "as-path-1",
        "ad-skill-4", "ad-hire-4", "in-day-2", "tr-path-4", "as-skill-3",
    ),
    CareerStage.RETURNING: (
        "tr-day-1", "in-cult-1", "ad-skill-1", "re-day-1", "as-skill-3",
        "tr-hire-1", "in-day-1", "ad-hire-1", "tr-skill-2", "re-skill-1",
    ),
    CareerStage.OTHER: (
        "in-day-1", "ad-path-1", "tr-skill-1", "re-path-2", "as-path-1",
        "in-path-1", "in-cult-1", "ad-skill-1", "tr-day-1", "re-skill-1",
    ),
}
# fmt: on


def question(qid: str) -> Question | None:
    """The question with this id (the "who else" question included), or None for an unknown id."""
    return BY_ID.get(qid)


def questions_for(tiara: Tiara | None = None, topic: Topic | None = None) -> list[Question]:
    """The pickable questions of one TIARA kind and/or topic, in bank order."""
    return [q for q in QUESTIONS if (tiara is None or q.tiara is tiara) and (topic is None or q.topic is topic)]


def _slot_value(value: str | None) -> str:
    """The value as it goes into a sentence: whitespace collapsed, cut at a word if very long; "" if blank."""
    text = " ".join((value or "").split())
    if len(text) > SLOT_MAX_CHARS:
        cut = text[: SLOT_MAX_CHARS - 1]
        text = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:-") + "…"
    return text


def render(question: Question, field: str | None, company: str | None) -> str:
    """The question's text with its slots filled; a missing or blank value gets its fallback wording.

    The result is plain text: escape it before putting it into HTML.
    """
    values = {
        "field": _slot_value(field) or SLOT_FALLBACKS["field"],
        "company": _slot_value(company) or SLOT_FALLBACKS["company"],
    }
    # One pass, so a value that looks like a slot is never filled in turn.
    return _SLOT.sub(lambda match: values[match.group(1)], question.text)


def suggested_count(minutes: int) -> tuple[int, int]:
    """How many questions fit a meeting of ``minutes``: (at the slow pace, at the fast pace).

    A meeting has room for minutes // pace question-sized slots, at 4 minutes (slow) or 3 (fast) a question.
    Two of those slots go to the frame: small talk and thanks at the start, next steps (who else, may I stay
    in touch) at the end; the "who else" question belongs there, so it is not counted. For 30 minutes:
    30 // 4 - 2 = 5 and 30 // 3 - 2 = 8, so 5-8 questions; 20 minutes gives 3-4, 45 gives 9-13, 60 gives
    13-18. A very short call still gets one question.
    """
    if minutes <= 0:
        raise ValueError(f"a meeting needs a positive length, not {minutes} minutes")
    fast, slow = MINUTES_PER_QUESTION
    low = max(1, minutes // slow - FRAME_SLOTS)
    high = max(low, minutes // fast - FRAME_SLOTS)
    return low, high


def too_many(chosen: int, minutes: int) -> bool:
    """True when ``chosen`` questions (the user's own included, "who else" not) won't fit in ``minutes``."""
    return chosen > suggested_count(minutes)[1]


def _tiara_rank(q: Question) -> int:
    return TIARA_ORDER.index(q.tiara)


def starter_set(field: str | None, company: str | None, minutes: int, *, stage: str | None = None) -> list[Question]:
    """A default pick for a meeting of ``minutes``: the low end of suggested_count, leaving room for the user's own.

    The kinds come from STARTER_TIARA_CYCLE (all five from 30 minutes up). Within a kind, a question that
    needs an unknown company or field comes after the others, then the favourites of the user's career stage
    (a CareerStage value; unknown or None means the general list), then the least-used topic, then bank
    order. "Who else" is not in the result: order_for_meeting adds it. The result is in TIARA order.
    """
    size = min(suggested_count(minutes)[0], len(QUESTIONS))
    favourites = STAGE_FAVOURITES.get(stage or "", STAGE_FAVOURITES[CareerStage.OTHER])
    known = {"field": bool(_slot_value(field)), "company": bool(_slot_value(company))}
    bank_index = {q.id: i for i, q in enumerate(QUESTIONS)}
    remaining = {tiara: questions_for(tiara) for tiara in Tiara}
    picks: list[Question] = []
    topic_used: Counter[Topic] = Counter()

    def score(q: Question) -> tuple[int, int, int, int]:
        unknown_slot = int(any(not known[slot] for slot in q.slots))
        favourite = favourites.index(q.id) if q.id in favourites else len(favourites)
        return unknown_slot, favourite, topic_used[q.topic], bank_index[q.id]

    kinds = itertools.cycle(STARTER_TIARA_CYCLE)
    while len(picks) < size:  # ends: size <= len(QUESTIONS), and each round picks while any remain
        tiara = next(kinds)
        if remaining[tiara]:
            best = min(remaining[tiara], key=score)
            remaining[tiara].remove(best)
            picks.append(best)
            topic_used[best.topic] += 1
    return order_for_meeting(picks)[:-1]


def order_for_meeting(questions: Iterable[Question]) -> list[Question]:
    """The questions as the meeting asks them: TIARA order (stable within a kind), no repeats, "who else" last.

    Small talk opens the meeting and is not a question; the "who else" question leads into the next steps.
    """
    seen: set[str] = {WHO_ELSE.id}
    unique: list[Question] = []
    for q in questions:
        if q.id not in seen:
            seen.add(q.id)
            unique.append(q)
    return [*sorted(unique, key=_tiara_rank), WHO_ELSE]
