"""The question bank: enough questions in every TIARA kind and topic, slots that always fill, and counts that fit the time."""

from __future__ import annotations

import re
import string
from collections import Counter

import pytest

from coaching.profile import CareerStage
from coaching.questions import (
    BY_ID,
    ID_MAX_CHARS,
    QUESTION_MAX_CHARS,
    QUESTIONS,
    STAGE_FAVOURITES,
    STARTER_TIARA_CYCLE,
    TIARA_LABELS,
    TIARA_ORDER,
    TOPIC_LABELS,
    WHO_ELSE,
    Question,
    Tiara,
    Topic,
    order_for_meeting,
    question,
    questions_for,
    render,
    starter_set,
    suggested_count,
    too_many,
)

ALL = (*QUESTIONS, WHO_ELSE)
LONG_FIELD = ("Sustainable supply chain analytics for regional food cooperatives " * 3)[:120]
LONG_COMPANY = ("Northern Lights Renewable Energy Cooperative Holdings International " * 3)[:120]
assert len(LONG_FIELD) == len(LONG_COMPANY) == 120
SLOT_VALUES: tuple[tuple[str | None, str | None], ...] = (
    ("data science", "Acme"),
    (None, None),
    ("", ""),
    ("   ", "\t"),
    ("Gestión de proyectos", "L'Oréal"),
    (LONG_FIELD, LONG_COMPANY),
    ("marketing", None),
    (None, "Acme"),
    ("  user   experience\ndesign ", "  Acme   Corp "),
)
FORBIDDEN = re.compile(
    r"\b(jobs?|openings?|vacanc(y|ies)|r[ée]sum[ée]s?|cvs?|referrals?|hire me|positions?)\b", re.IGNORECASE
)
CLOSED_OPENERS = re.compile(r"^(do|does|did|is|are|was|were|have|has|will|can|should)\b", re.IGNORECASE)
STAGES: tuple[str | None, ...] = (*(s.value for s in CareerStage), None, "unknown-stage")
ID_PREFIX = {
    Tiara.TRENDS: "tr",
    Tiara.INSIGHTS: "in",
    Tiara.ADVICE: "ad",
    Tiara.RESOURCES: "re",
    Tiara.ASSIGNMENTS: "as",
}
ID_TOPIC = {
    Topic.CAREER_PATH: "path",
    Topic.DAY_TO_DAY: "day",
    Topic.CULTURE: "cult",
    Topic.SKILLS: "skill",
    Topic.HIRING_PROCESS: "hire",
}


def _normalized(text: str) -> str:
    return " ".join(text.lower().translate(str.maketrans("", "", string.punctuation)).split())


def test_bank_has_at_least_80_pickable_questions() -> None:
    """The bank holds at least 80 pickable questions, the "who else" question not among them."""
    assert len(QUESTIONS) >= 80
    assert WHO_ELSE not in QUESTIONS
    assert all(isinstance(q, Question) for q in QUESTIONS)


def test_ids_are_unique_short_and_safe_for_callback_data() -> None:
    """Every id is unique, at most 12 characters, and only lowercase letters, digits and hyphens."""
    ids = [q.id for q in ALL]
    assert len(ids) == len(set(ids))
    assert ID_MAX_CHARS <= 12
    for qid in ids:
        assert len(qid) <= ID_MAX_CHARS, qid
        assert re.fullmatch(r"[a-z0-9-]+", qid), qid
        assert qid.isascii()


def test_ids_name_their_kind_and_topic() -> None:
    """A pickable question's id starts with its TIARA kind and topic, so a misfiled question shows."""
    for q in QUESTIONS:
        assert re.fullmatch(rf"{ID_PREFIX[q.tiara]}-{ID_TOPIC[q.topic]}-\d+", q.id), q.id


def test_lookup_by_id_finds_every_question() -> None:
    """question() finds every question by id, "who else" included, and returns None for unknown ids."""
    for q in ALL:
        assert question(q.id) is q
        assert BY_ID[q.id] is q
    assert question("nope-1") is None
    assert question("") is None


def test_no_duplicate_texts_even_ignoring_case_and_punctuation() -> None:
    """No two questions share a text, even once case, punctuation and spacing are ignored."""
    texts = [_normalized(q.text) for q in ALL]
    duplicates = [text for text, n in Counter(texts).items() if n > 1]
    assert not duplicates


def test_every_tiara_kind_and_topic_has_at_least_12_questions() -> None:
    """Each TIARA kind and each topic holds at least 12 pickable questions."""
    per_tiara = Counter(q.tiara for q in QUESTIONS)
    per_topic = Counter(q.topic for q in QUESTIONS)
    assert all(per_tiara[t] >= 12 for t in Tiara), per_tiara
    assert all(per_topic[t] >= 12 for t in Topic), per_topic


def test_every_kind_and_topic_pair_has_questions() -> None:
    """Every (TIARA kind, topic) pair has at least two questions to choose from."""
    pairs = Counter((q.tiara, q.topic) for q in QUESTIONS)
    for tiara in Tiara:
        for topic in Topic:
            assert pairs[(tiara, topic)] >= 2, (tiara, topic)


def test_questions_for_filters_by_kind_and_topic() -> None:
    """questions_for returns exactly the questions of the asked kind and topic, in bank order."""
    assert questions_for() == list(QUESTIONS)
    advice = questions_for(Tiara.ADVICE)
    assert advice and all(q.tiara is Tiara.ADVICE for q in advice)
    pair = questions_for(Tiara.TRENDS, Topic.SKILLS)
    assert pair == [q for q in QUESTIONS if q.tiara is Tiara.TRENDS and q.topic is Topic.SKILLS]


def test_labels_cover_every_kind_and_topic() -> None:
    """Every TIARA kind and topic has a label, and TIARA_ORDER is Trends to Assignments."""
    assert set(TIARA_LABELS) == set(Tiara)
    assert set(TOPIC_LABELS) == set(Topic)
    assert TIARA_ORDER == (Tiara.TRENDS, Tiara.INSIGHTS, Tiara.ADVICE, Tiara.RESOURCES, Tiara.ASSIGNMENTS)
    assert set(STARTER_TIARA_CYCLE) == set(Tiara) and len(STARTER_TIARA_CYCLE) == len(Tiara)


def test_texts_use_only_known_slots_and_never_start_with_one() -> None:
    """A text's only placeholders are {field} and {company}, and no sentence starts with a slot."""
    for q in ALL:
        names = {name for _, name, _, _ in string.Formatter().parse(q.text) if name is not None}
        assert names <= {"field", "company"}, q.id
        assert not q.text.startswith("{"), q.id


def test_texts_are_short_enough_for_a_button() -> None:
    """Each question's own text is at most 200 characters, and its first 60 characters end on a word."""
    for q in ALL:
        assert len(q.text) <= QUESTION_MAX_CHARS, q.id
        assert " " in q.text[:60], q.id


def test_questions_are_open_and_about_the_other_person() -> None:
    """Each question is open (not a yes/no opener) and speaks to the other person ("you", "your")."""
    for q in ALL:
        assert not CLOSED_OPENERS.match(q.text), q.id
        assert re.search(r"\byou(r|rs|'ve|'d)?\b", q.text, re.IGNORECASE), q.id


def test_no_question_asks_for_a_job() -> None:
    """No question mentions a job, opening, vacancy, résumé/CV, referral, "hire me" or a position."""
    for q in ALL:
        assert not FORBIDDEN.search(q.text), (q.id, q.text)
        for field, company in SLOT_VALUES[:2]:
            assert not FORBIDDEN.search(render(q, field, company)), q.id


@pytest.mark.parametrize(("field", "company"), SLOT_VALUES)
def test_rendered_questions_are_clean(field: str | None, company: str | None) -> None:
    """Rendered with any value, present or missing, a question has no slot, "None", double space or " ?"."""
    for q in ALL:
        text = render(q, field, company)
        assert "{" not in text and "}" not in text, (q.id, text)
        assert "None" not in text, (q.id, text)
        assert "  " not in text, (q.id, text)
        assert " ?" not in text, (q.id, text)
        assert "\n" not in text and "\t" not in text, (q.id, text)
        assert text.endswith("?"), (q.id, text)
        assert text[0].isupper(), (q.id, text)
        assert len(text) <= QUESTION_MAX_CHARS + 2 * 120 < 4096, (q.id, len(text))


def test_missing_values_get_their_fallback_wording() -> None:
    """A missing field or company reads as "your field" or "your company"."""
    slotted = [q for q in ALL if q.slots]
    assert slotted
    for q in slotted:
        for field, company in SLOT_VALUES[1:4]:
            text = render(q, field, company)
            if "field" in q.slots:
                assert "your field" in text, q.id
            if "company" in q.slots:
                assert "your company" in text, q.id


def test_present_values_are_kept_verbatim() -> None:
    """Accented and punctuated values are inserted as typed, with spacing tidied."""
    field_q = question("in-path-1")
    company_q = question("in-cult-1")
    assert field_q is not None and company_q is not None
    assert "Gestión de proyectos" in render(field_q, "Gestión de proyectos", "L'Oréal")
    assert "L'Oréal" in render(company_q, "Gestión de proyectos", "L'Oréal")
    assert "at Acme Corp to" in render(company_q, None, "  Acme   Corp ")
    assert render(field_q, LONG_FIELD, None).count(LONG_FIELD) == 1


def test_a_value_that_looks_like_a_slot_is_not_filled_again() -> None:
    """A company literally named "{field}" is printed as is, never expanded."""
    q = question("re-path-4")
    assert q is not None and q.slots == {"field", "company"}
    assert render(q, "design", "{field}") == (
        "Which organizations besides {field} do you think are doing interesting work in design?"
    )


def test_very_long_values_are_cut_at_a_word() -> None:
    """A value far longer than any real name is cut at a word, so the question stays short."""
    q = question("in-path-1")
    assert q is not None
    text = render(q, "word " * 200, None)
    assert "…" in text and len(text) < 400


def test_suggested_count_for_30_minutes_is_5_to_8() -> None:
    """Thirty minutes at 3-4 minutes a question, less the small talk and next steps, is 5-8 questions."""
    assert suggested_count(30) == (5, 8)


@pytest.mark.parametrize(("minutes", "expected"), [(20, (3, 4)), (45, (9, 13)), (60, (13, 18)), (10, (1, 1))])
def test_suggested_count_for_other_lengths(minutes: int, expected: tuple[int, int]) -> None:
    """Other lengths follow the same arithmetic, and even a short call gets one question."""
    assert suggested_count(minutes) == expected


def test_suggested_count_grows_with_time() -> None:
    """Longer meetings never suggest fewer questions, and the low end never passes the high end."""
    previous = (0, 0)
    for minutes in range(1, 181):
        low, high = suggested_count(minutes)
        assert 1 <= low <= high
        assert low >= previous[0] and high >= previous[1]
        previous = (low, high)


def test_suggested_count_rejects_a_meeting_without_time() -> None:
    """A zero or negative length is a mistake, not a meeting."""
    with pytest.raises(ValueError):
        suggested_count(0)
    with pytest.raises(ValueError):
        suggested_count(-30)


def test_too_many_warns_above_the_upper_bound() -> None:
    """Nine questions are too many for 30 minutes; eight are not."""
    assert too_many(9, 30)
    assert not too_many(8, 30)
    assert not too_many(5, 30)
    assert too_many(5, 20)


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("minutes", [10, 15, 20, 30, 45, 60, 90])
def test_starter_set_fits_the_time(stage: str | None, minutes: int) -> None:
    """A starter set's size is within suggested_count, with no repeats and no "who else"."""
    low, high = suggested_count(minutes)
    picks = starter_set("marketing", "Acme", minutes, stage=stage)
    assert low <= len(picks) <= high
    assert len({q.id for q in picks}) == len(picks)
    assert WHO_ELSE not in picks
    assert all(q in QUESTIONS for q in picks)


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize(("field", "company"), SLOT_VALUES[:3])
def test_starter_set_covers_tiara_in_order(stage: str | None, field: str | None, company: str | None) -> None:
    """From 30 minutes up, a starter set has every TIARA kind, ordered Trends to Assignments."""
    picks = starter_set(field, company, 30, stage=stage)
    assert [q.tiara for q in picks] == list(TIARA_ORDER)
    longer = starter_set(field, company, 60, stage=stage)
    ranks = [TIARA_ORDER.index(q.tiara) for q in longer]
    assert ranks == sorted(ranks)
    assert set(ranks) == set(range(5))


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize(("field", "company"), SLOT_VALUES[:3])
def test_starter_set_for_a_short_call_has_trends_insights_and_advice(
    stage: str | None, field: str | None, company: str | None
) -> None:
    """A 20-minute call gets one Trends, one Insights and one Advice question, whatever the stage."""
    picks = starter_set(field, company, 20, stage=stage)
    assert [q.tiara for q in picks] == [Tiara.TRENDS, Tiara.INSIGHTS, Tiara.ADVICE]


def test_stage_favourites_name_real_questions_of_every_kind() -> None:
    """Every career stage has favourites, all real pickable questions, with at least one of each kind."""
    assert set(STAGE_FAVOURITES) == {s.value for s in CareerStage}
    for stage, ids in STAGE_FAVOURITES.items():
        assert len(ids) == len(set(ids)), stage
        favourites = [question(qid) for qid in ids]
        assert all(q is not None and q in QUESTIONS for q in favourites), stage
        assert {q.tiara for q in favourites if q is not None} == set(Tiara), stage


def test_starter_set_takes_the_stage_favourites_first() -> None:
    """With the field and company known, a 30-minute set is each kind's first favourite for the stage."""
    for stage, ids in STAGE_FAVOURITES.items():
        picks = starter_set("design", "Acme", 30, stage=stage)
        for q in picks:
            first_of_kind = next(qid for qid in ids if BY_ID[qid].tiara is q.tiara)
            assert q.id == first_of_kind, (stage, q.id)


def test_starter_set_avoids_company_questions_when_the_company_is_unknown() -> None:
    """Without a company, the starter set picks questions that need none."""
    for stage in STAGES:
        for minutes in (20, 30, 45, 60):
            picks = starter_set("design", None, minutes, stage=stage)
            assert all("company" not in q.slots for q in picks), (stage, minutes)


def test_starter_set_depends_on_the_stage() -> None:
    """Different career stages get different starter sets, and the same input always gives the same set."""
    sets = {stage: tuple(q.id for q in starter_set("design", "Acme", 30, stage=stage)) for stage in STAGES}
    assert len(set(sets.values())) >= 4
    assert sets["unknown-stage"] == sets[None] == sets[CareerStage.OTHER.value]
    assert starter_set("design", "Acme", 30, stage="changer") == starter_set("design", "Acme", 30, stage="changer")


def test_starter_set_never_exceeds_the_bank() -> None:
    """Even a marathon meeting gets at most every pickable question once."""
    picks = starter_set("design", "Acme", 10_000)
    assert len(picks) == len(QUESTIONS)
    assert set(picks) == set(QUESTIONS)


def test_order_for_meeting_sorts_by_tiara_and_ends_with_who_else() -> None:
    """The meeting asks questions in TIARA order, keeps the user's order within a kind, and ends with "who else"."""
    by_id = {q.id: q for q in QUESTIONS}
    chosen = [by_id[i] for i in ("as-path-1", "in-day-2", "tr-skill-1", "in-path-1", "re-path-1", "ad-cult-1")]
    ordered = order_for_meeting(chosen)
    assert [q.id for q in ordered] == [
        "tr-skill-1",
        "in-day-2",
        "in-path-1",
        "ad-cult-1",
        "re-path-1",
        "as-path-1",
        "who-else",
    ]


def test_order_for_meeting_drops_repeats_and_keeps_who_else_once() -> None:
    """Repeated questions and a "who else" passed in appear once, with "who else" still last."""
    q = QUESTIONS[0]
    ordered = order_for_meeting([WHO_ELSE, q, q, WHO_ELSE])
    assert ordered == [q, WHO_ELSE]
    assert order_for_meeting([]) == [WHO_ELSE]


def test_starter_set_in_meeting_order_ends_with_who_else() -> None:
    """A starter set, ordered for the meeting, is itself followed by "who else"."""
    picks = starter_set("design", "Acme", 30)
    assert order_for_meeting(picks) == [*picks, WHO_ELSE]
