"""coaching/insights.py: themes, open questions, the field trend, progress in words and the /insights page."""

from __future__ import annotations

import ast
import re
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from coaching.insights import (
    MESSAGE_LIMIT,
    QUOTE_CHARS,
    Funnel,
    Note,
    Progress,
    Theme,
    WeekCount,
    enough_for_chart,
    interest_trend,
    open_questions,
    progress_words,
    render_insights,
    short_date,
    themes,
    trend_words,
    weekly_conversations,
)
from coaching.reflection import Answers, FieldFit

NOV = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)  # a Monday
NO_PROGRESS = Progress(Funnel(0, 0, 0, 0, 0), (), None)


def note(days: int, name: str = "Ana", **answers: object) -> Note:
    return Note(at=NOV + timedelta(days=days), contact_name=name, answers=Answers(**answers))  # type: ignore[arg-type]


# Purity --------------------------------------------------------------------------------------------------


def test_insights_imports_only_the_standard_library_and_coaching() -> None:
    """Protects the layering: the insights are pure rules, usable without Telegram, a database or Pillow."""
    source = (Path(__file__).resolve().parent.parent / "coaching" / "insights.py").read_text(encoding="utf-8")
    tops = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            tops |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            tops.add(node.module.split(".")[0])
    foreign = {top for top in tops if top not in sys.stdlib_module_names and top != "coaching"}
    assert not foreign


# Weeks ---------------------------------------------------------------------------------------------------


def test_weekly_conversations_zero_fills_the_last_weeks_oldest_first() -> None:
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)  # a Wednesday
    met = [
        datetime(2026, 11, 23, 9, tzinfo=UTC),
        datetime(2026, 11, 24, 9, tzinfo=UTC),
        datetime(2026, 11, 10, tzinfo=UTC),
    ]
    weeks = weekly_conversations(met, now, "UTC", weeks=3)
    assert weeks == (
        WeekCount(date(2026, 11, 9), 1),
        WeekCount(date(2026, 11, 16), 0),
        WeekCount(date(2026, 11, 23), 2),
    )


def test_a_sunday_night_meeting_in_new_york_counts_in_that_sundays_week() -> None:
    """Protects the zone: Sunday 23:30 in New York is Monday 04:30 UTC, but the user lived it on Sunday."""
    sunday_night = datetime(2026, 11, 22, 23, 30, tzinfo=ZoneInfo("America/New_York"))
    assert sunday_night.astimezone(UTC).weekday() == 0  # Monday in UTC
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    weeks = weekly_conversations([sunday_night], now, "America/New_York", weeks=2)
    assert weeks == (WeekCount(date(2026, 11, 16), 1), WeekCount(date(2026, 11, 23), 0))
    utc_weeks = weekly_conversations([sunday_night], now, "UTC", weeks=2)
    assert utc_weeks == (WeekCount(date(2026, 11, 16), 0), WeekCount(date(2026, 11, 23), 1))


def test_weekly_conversations_ignores_older_and_future_meetings_and_rejects_naive_times() -> None:
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    old = datetime(2026, 1, 5, tzinfo=UTC)
    tomorrow = now + timedelta(days=1)
    assert weekly_conversations([old, tomorrow], now, "UTC", weeks=2) == (
        WeekCount(date(2026, 11, 16), 0),
        WeekCount(date(2026, 11, 23), 0),
    )
    with pytest.raises(ValueError):
        weekly_conversations([datetime(2026, 11, 24, 9)], now, "UTC")


def test_the_current_week_starts_on_the_users_monday() -> None:
    """Sunday 22:00 UTC is already Monday in Tokyo: the current week is the new one there."""
    now = datetime(2026, 11, 29, 22, tzinfo=UTC)  # Sunday in UTC, Monday 07:00 in Tokyo
    assert weekly_conversations([], now, "UTC", weeks=1)[0].week_start == date(2026, 11, 23)
    assert weekly_conversations([], now, "Asia/Tokyo", weeks=1)[0].week_start == date(2026, 11, 30)


def test_enough_for_chart_boundary() -> None:
    assert not enough_for_chart(Progress(Funnel(2, 0, 0, 0, 0), (), None))
    assert enough_for_chart(Progress(Funnel(3, 0, 0, 0, 0), (), None))
    assert enough_for_chart(Progress(Funnel(2, 1, 0, 0, 0), (), None))
    assert enough_for_chart(Progress(Funnel(1, 0, 0, 0, 0), (WeekCount(date(2026, 11, 23), 1),), None))
    assert not enough_for_chart(Progress(Funnel(2, 0, 0, 0, 0), (WeekCount(date(2026, 11, 23), 0),), 2))


def test_progress_words_give_the_funnel_and_this_week_against_the_goal() -> None:
    weeks = (WeekCount(date(2026, 11, 16), 3), WeekCount(date(2026, 11, 23), 1))
    words = progress_words(Progress(Funnel(12, 5, 1, 2, 1), weeks, 2))
    assert "12 contacts" in words and "5 requests" in words and "1 reply " in words
    assert "2 meetings" in words and "1 referral." in words
    assert "This week: 1 of your 2 conversations, 1 to go." in words
    assert "met" in progress_words(Progress(Funnel(12, 5, 1, 2, 1), weeks, 1))
    no_goal = progress_words(Progress(Funnel(12, 5, 1, 2, 1), weeks, None))
    assert "This week: 1 conversation." in no_goal and "goal" not in no_goal
    assert "This week: 0 conversations." in progress_words(NO_PROGRESS)
    assert "<" not in words and ">" not in words.replace("→", "")


# Themes --------------------------------------------------------------------------------------------------

THREE = [
    note(
        0,
        "Ana",
        learned="Product Management is mostly about the stakeholders. And the roadmap.",
        matters="A team that does user interviews",
    ),
    note(
        7,
        "Ben",
        looking_for="They want product management people who can run user interviews with customers.",
        resume="Lead with the roadmap work.",
    ),
    note(
        14,
        "Cleo",
        learned="In product management the stakeholders decide a lot. The user interviews are weekly.",
    ),
]


def test_themes_are_words_and_phrases_in_two_or_more_reflections() -> None:
    found = themes(THREE)
    by_words = {theme.words.lower(): theme for theme in found}
    assert by_words["product management"].count == 3
    assert by_words["user interviews"].count == 3
    assert by_words["stakeholders"].count == 2
    assert by_words["roadmap"].count == 2
    assert [theme.count for theme in found] == sorted((theme.count for theme in found), reverse=True)


def test_themes_keep_the_first_casing_and_skip_stop_and_generic_words() -> None:
    found = themes(THREE, limit=20)
    assert found[0] == Theme(
        "Product Management",
        3,
        (
            "In product management the stakeholders decide a lot.",
            "They want product management people who can run user interviews with customers.",
        ),
    )
    words = {theme.words.lower() for theme in found}
    assert not words & {"the", "a", "and", "that", "mostly", "lot", "people", "want"}


def test_a_phrase_beats_its_own_words_when_they_share_a_count() -> None:
    words = [theme.words.lower() for theme in themes(THREE, limit=20)]
    assert "product management" in words
    assert "product" not in words and "management" not in words
    assert "user" not in words and "interviews" not in words


def test_a_word_more_frequent_than_its_phrase_is_listed_too() -> None:
    notes = [
        note(0, learned="Product design is hard."),
        note(1, learned="Product design again."),
        note(2, learned="The product roadmap."),
    ]
    found = {theme.words.lower(): theme.count for theme in themes(notes)}
    assert found["product design"] == 2
    assert found["product"] == 3


def test_themes_need_two_reflections_and_respect_the_limit() -> None:
    one = [note(0, learned="Kubernetes Kubernetes Kubernetes. Kubernetes everywhere.")]
    assert themes(one) == []
    assert len(themes(THREE, limit=2)) == 2


def test_theme_quotes_are_short_fragments_of_the_users_words() -> None:
    long = "word " * 60
    notes = [note(0, learned=f"{long} accessibility audits {long}"), note(1, matters=f"{long}accessibility matters")]
    theme = next(t for t in themes(notes) if t.words == "accessibility")
    assert len(theme.quotes) == 2
    assert all(len(quote) <= QUOTE_CHARS and "accessibility" in quote for quote in theme.quotes)
    assert any(quote.startswith("…") and quote.endswith("…") for quote in theme.quotes)


def test_acronyms_count_but_plurals_fold() -> None:
    notes = [note(0, learned="UX matters, and stakeholders."), note(1, learned="More UX; one stakeholder.")]
    found = {theme.words: theme.count for theme in themes(notes)}
    assert found["UX"] == 2
    assert found["stakeholders"] == 2


# Open questions ------------------------------------------------------------------------------------------


def test_a_question_answered_by_a_later_reflection_is_no_longer_open() -> None:
    notes = [
        note(0, "Ana", open_questions="How do they hire juniors?\nWhat salary range; is remote common"),
        note(7, "Ben", learned="They hire juniors mostly through referrals."),
    ]
    assert open_questions(notes) == [("What salary range", "Ana"), ("Is remote common", "Ana")]


def test_an_answer_must_come_later_and_hold_most_of_the_words() -> None:
    notes = [
        note(7, "Ben", learned="They hire juniors through referrals."),  # earlier than the question
        note(14, "Cleo", open_questions="How do they hire juniors?"),
        note(21, "Dan", learned="Juniors are welcome."),  # one of two words: not enough
    ]
    assert open_questions(notes) == [("How do they hire juniors?", "Cleo")]


def test_a_question_asked_again_counts_once_from_its_latest_conversation() -> None:
    notes = [
        note(0, "Ana", open_questions="- What does a typical week look like?"),
        note(7, "Ben", open_questions="what does a typical week look like"),
        note(14, "Cleo", open_questions="Is there on-call?"),
    ]
    assert open_questions(notes) == [("What does a typical week look like", "Ben"), ("Is there on-call?", "Cleo")]


def test_question_order_follows_time_not_the_input_order() -> None:
    notes = [note(7, "Ben", open_questions="Which tools?"), note(0, "Ana", open_questions="Which certifications?")]
    assert [name for _, name in open_questions(notes)] == ["Ana", "Ben"]


# The field ---------------------------------------------------------------------------------------------


def test_interest_trend_is_oldest_first_and_skips_unanswered() -> None:
    notes = [
        note(14, still_field=FieldFit.UNSURE),
        note(0, still_field=FieldFit.YES),
        note(7),
    ]
    assert interest_trend(notes) == [(date(2026, 11, 2), FieldFit.YES), (date(2026, 11, 16), FieldFit.UNSURE)]


@pytest.mark.parametrize(
    ("fits", "words"),
    [
        ([], ""),
        ([FieldFit.YES], "After one conversation: yes."),
        ([FieldFit.UNSURE] * 2, "Steady: unsure in both conversations."),
        ([FieldFit.YES] * 4, "Steady: yes in all 4 conversations."),
        ([FieldFit.YES, FieldFit.UNSURE, FieldFit.UNSURE], "Sure at first, unsure since 3 Nov."),
        ([FieldFit.NO, FieldFit.YES], "Not for you at first, sure since 3 Nov."),
        (
            [FieldFit.YES, FieldFit.UNSURE, FieldFit.YES],
            "Back and forth: sure → unsure → sure; sure since 4 Nov.",
        ),
        ([FieldFit.YES, FieldFit.NO] * 3, "It changed 5 times; not for you since 7 Nov."),
    ],
)
def test_trend_words(fits: list[FieldFit], words: str) -> None:
    trend = [(date(2026, 11, 2) + timedelta(days=i), fit) for i, fit in enumerate(fits)]
    assert trend_words(trend) == words


def test_short_date_is_day_and_month() -> None:
    assert short_date(date(2026, 11, 3)) == "3 Nov"
    assert short_date(date(2027, 1, 25)) == "25 Jan"


# The page ----------------------------------------------------------------------------------------------

PROGRESS = Progress(Funnel(12, 5, 3, 2, 1), (WeekCount(date(2026, 11, 16), 1),), 2)


def test_render_insights_has_every_section() -> None:
    notes = [*THREE, note(20, "Dan", open_questions="Is there on-call?", still_field=FieldFit.UNSURE)]
    page = render_insights(notes, PROGRESS)
    assert "Themes in your own words" in page and "<i>“In product management" in page
    assert "Still open" in page and "Is there on-call? <i>(from your talk with Dan)</i>" in page
    assert "Is it still your field?</b>\nAfter one conversation: unsure." in page
    assert progress_words(PROGRESS) in page


def test_render_insights_escapes_every_piece_of_user_text() -> None:
    notes = [
        note(0, "<b>Ana & Co</b>", learned="<b>Design systems</b> & tokens", open_questions="<b>What & why?"),
        note(1, "Ben", learned="Design systems & <i>tokens</i>"),
    ]
    page = render_insights(notes, PROGRESS)
    assert "&lt;b&gt;Ana &amp; Co&lt;/b&gt;" in page
    assert "&lt;b&gt;What &amp; why?" in page
    assert "&lt;i&gt;tokens&lt;/i&gt;" in page
    tags = set(re.findall(r"</?([a-z]+)>", page))
    assert tags <= {"b", "i"}
    assert "&amp;lt;" not in page  # escaped once, not twice


def test_render_insights_fits_one_message_with_huge_inputs() -> None:
    huge = " ".join(f"topic{i} &&&& <b>" for i in range(400))
    questions = "\n".join(f"question{j} {'&' * 900}?" for j in range(30))
    notes = [note(i, "N" * 500, learned=huge, matters=huge, open_questions=questions) for i in range(6)]
    page = render_insights(notes, PROGRESS)
    assert len(page.encode("utf-16-le")) // 2 <= MESSAGE_LIMIT
    assert "<b>Themes in your own words</b>" in page and "<b>Progress</b>" in page
    assert "• <b>topic" in page  # lists shrink before sections go
    assert "…and" in page  # something was trimmed, and the page says so


def test_render_insights_without_notes_invites_a_reflection() -> None:
    page = render_insights([], PROGRESS)
    assert "/reflect" in page
    assert progress_words(PROGRESS) in page
    assert "Still open" not in page


def test_render_insights_with_notes_but_nothing_recurring_says_so() -> None:
    page = render_insights([note(0, learned="Pottery.")], NO_PROGRESS)
    assert "Nothing repeats yet" in page and "Nothing open" in page and "Not answered yet" in page
