"""Pure rules for onboarding answers: plain values in, plain values out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coaching.answers import Goal, InvalidAnswer, Period, clean_name, clean_text, parse_goal
from coaching.profile import ProfileView, Step, draft_pitch, first_missing_step
from coaching.timezones import ZoneMatch, describe_zone, match_timezone, zone_at


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        ("3", Goal(3, Period.WEEK)),
        ("2 per month", Goal(2, Period.MONTH)),
        ("one a week", Goal(1, Period.WEEK)),
        ("5/month", Goal(5, Period.MONTH)),
        ("twice a week", Goal(2, Period.WEEK)),
        ("14", Goal(14, Period.WEEK)),
    ],
)
def test_parse_goal(text: str, goal: Goal) -> None:
    assert parse_goal(text) == goal


@pytest.mark.parametrize("text", ["-5", "0", "a million", "15", "61 per month", "", "soon", "🙂"])
def test_parse_goal_rejects(text: str) -> None:
    with pytest.raises(InvalidAnswer):
        parse_goal(text)


@pytest.mark.parametrize("text", ["Ana", "Jean-Luc", "O'Brien", "María José", "Dr. Li"])
def test_clean_name_accepts(text: str) -> None:
    assert clean_name(f"  {text} ") == text


@pytest.mark.parametrize("text", ["", "   ", "<b>Ana</b>", "🙂", "x" * 65, "Ana\nBen", "a_b", "Ana 🙂"])
def test_clean_name_rejects(text: str) -> None:
    with pytest.raises(InvalidAnswer):
        clean_name(text)


def test_clean_text_limits_and_markup() -> None:
    assert clean_text("R&D <3", max_chars=20, what="x") == "R&D <3"
    with pytest.raises(InvalidAnswer, match="5000 characters"):
        clean_text("a" * 5000, max_chars=200, what="your field")
    with pytest.raises(InvalidAnswer, match="plain text"):
        clean_text("<script>alert(1)</script>", max_chars=200, what="x")


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("berlin", "Europe/Berlin"),
        ("Berlin, Germany", "Europe/Berlin"),
        ("UTC+2", "Etc/GMT-2"),
        ("utc-10", "Etc/GMT+10"),
        ("GMT+5:30", "Asia/Kolkata"),
        ("UTC+13", "Etc/GMT-13"),
        ("São Paulo", "America/Sao_Paulo"),
        ("new york", "America/New_York"),
        ("San Francisco", "America/Los_Angeles"),
        ("utc", "UTC"),
        ("PST", "America/Los_Angeles"),
    ],
)
def test_match_timezone(text: str, zone: str) -> None:
    assert match_timezone(text).zone == zone


def test_match_timezone_suggests_or_gives_up() -> None:
    assert match_timezone("Berln").suggestions == ("Europe/Berlin",)
    assert match_timezone("Qwxzy") == ZoneMatch(None, ())
    assert match_timezone("UTC+15").zone is None
    assert match_timezone("x" * 500).zone is None


def test_zone_at_coordinates() -> None:
    assert zone_at(52.52, 13.40) == "Europe/Berlin"
    assert zone_at(-33.87, 151.21) == "Australia/Sydney"
    assert zone_at(200, 0) is None


def test_describe_zone_uses_given_now() -> None:
    now = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert describe_zone("Asia/Kolkata", now) == "Asia/Kolkata (UTC+05:30), where it is now 17:30"


def test_first_missing_step_and_pitch() -> None:
    profile = ProfileView(name="Ana", field="Biology", roles="lab manager", stage="student")
    assert first_missing_step(profile) is Step.TIMEZONE
    pitch = draft_pitch(
        ProfileView(
            name="Ana",
            field="biology",
            roles="lab manager",
            stage="returning",
            motivation="Because I want to know what changed since 2015.",
        )
    )
    assert pitch.startswith("Hi, I'm Ana. I'm returning to work and exploring biology")
    assert pitch.endswith("because I want to know what changed since 2015.")
