"""The settings rules with plain values: quiet hours to the minute, the pause, the menu's current and default
values, moving reminders to a new zone or out of new quiet hours, and releasing reminders after a pause."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from coaching import defaults
from coaching.answers import InvalidAnswer
from coaching.enums import NudgeKind
from coaching.nudges import UserClock, minute_time
from coaching.onboarding import Unclear
from coaching.reschedule import (
    Held,
    hold_until,
    is_paused,
    moved,
    paced,
    pause_ends,
    pause_over,
    release_plan,
    same_local_time,
)
from coaching.schedule import QuietHours
from coaching.settings import (
    SettingsView,
    check_cadence,
    describe_quiet,
    parse_pause,
    parse_quiet_hours,
    parse_zone,
    preset_quiet,
    render_settings,
    zone_from_choice,
)

BERLIN, NEW_YORK = "Europe/Berlin", "America/New_York"


def at(zone: str, year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


# Quiet hours to the minute ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("22:30-6:45", "22:30–06:45"),
        ("10pm-7am", "22:00–07:00"),
        ("22-7", "22:00–07:00"),
        ("22:00 to 07:00", "22:00–07:00"),
        ("10.30pm – 6am", "22:30–06:00"),
        ("22h30-6h45", "22:30–06:45"),
        ("2230-0645", "22:30–06:45"),
        ("from 10 p.m. to 7 a.m.", "22:00–07:00"),
        ("between 22 and 7", "22:00–07:00"),
        ("11pm—7:30am", "23:00–07:30"),
        ("10PM - 7AM", "22:00–07:00"),
        ("midnight-8", "00:00–08:00"),
        ("12am-8am", "00:00–08:00"),
        ("  21:15   until   07:05 ", "21:15–07:05"),
        ("0-8", "00:00–08:00"),
        ("20-6", "20:00–06:00"),
        ("1am-9am", "01:00–09:00"),
    ],
)
def test_quiet_hours_are_read_to_the_minute_in_the_forms_people_type(typed: str, shown: str) -> None:
    start, end = parse_quiet_hours(typed)
    assert describe_quiet(start, end) == shown
    assert (start, end) == tuple(int(h) * 60 + int(m) for h, m in re.findall(r"(\d\d):(\d\d)", shown))


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("22", "Please send two times"),
        ("", "Please send two times"),
        ("late evening", "Please send two times"),
        ("22-7-9", "Please send two times"),
        ("25-7", "isn't a time on the clock"),
        ("22:61-7", "isn't a time on the clock"),
        ("13pm-7am", "isn't a time on the clock"),
        ("7-7", "same time"),
        ("10pm-10pm", "same time"),
        ("8-1", "fewer than 8 hours"),
        ("12pm-8am", "fewer than 8 hours"),
        ("18:00-11:00", "fewer than 8 hours"),
    ],
)
def test_bad_quiet_hours_are_re_asked_kindly_with_an_example(typed: str, says: str) -> None:
    with pytest.raises(InvalidAnswer) as problem:
        parse_quiet_hours(typed)
    message = str(problem.value)
    assert says in message
    assert "<i>" in message, "every re-ask carries an example"
    assert "Traceback" not in message and "None" not in message


def test_an_evening_typed_without_pm_gets_a_suggestion() -> None:
    """ "10-7" on the 24-hour clock leaves 3 waking hours; the re-ask suggests the evening reading."""
    with pytest.raises(InvalidAnswer) as problem:
        parse_quiet_hours("10-7")
    assert "only 3 h" in str(problem.value) and "22:00–07:00" in str(problem.value)
    assert "<i>10pm-7am</i>" in str(problem.value)


def test_exactly_eight_waking_hours_is_allowed_and_one_minute_less_is_not() -> None:
    assert parse_quiet_hours("16:00-08:00") == (16 * 60, 8 * 60)
    with pytest.raises(InvalidAnswer):
        parse_quiet_hours("15:59-08:00")


def test_quiet_presets_are_checked_like_any_client_data() -> None:
    assert preset_quiet("22-7") == (1320, 420)
    assert preset_quiet("5-4") is None and preset_quiet("22-7; DROP") is None


def test_minutes_become_the_quiet_hours_the_time_rules_use() -> None:
    clock = UserClock.of(BERLIN, 22 * 60 + 30, 6 * 60 + 45)
    assert clock.quiet == QuietHours(time(22, 30), time(6, 45))
    assert clock.quiet.contains(time(22, 30)) and clock.quiet.contains(time(6, 44))
    assert not clock.quiet.contains(time(22, 29)) and not clock.quiet.contains(time(6, 45))
    assert minute_time(1439) == time(23, 59) and minute_time(1440) == time(0, 0)
    assert UserClock.of(BERLIN).quiet == QuietHours(time(21), time(8)), "the default stays 21:00-08:00"


# The time zone, read as onboarding reads it ------------------------------------------------------------------


def test_the_zone_is_read_like_onboarding_reads_it() -> None:
    assert parse_zone("New York") == NEW_YORK
    assert parse_zone("America/Chicago") == "America/Chicago"
    assert parse_zone("UTC+5:30") == "Asia/Kolkata"
    with pytest.raises(Unclear) as unclear:
        parse_zone("Berln")
    assert ("Europe/Berlin", "Europe/Berlin") in unclear.value.choices
    with pytest.raises(InvalidAnswer):
        parse_zone("Atlantis under the sea")
    assert zone_from_choice("Europe/Berlin") == "Europe/Berlin"
    assert zone_from_choice("Not/AZone") is None and zone_from_choice("berlin") is None


# The pause ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "days"),
    [("5 days", 5), ("5", 5), ("1 week", 7), ("2 weeks", 14), ("a week", 7), ("10d", 10), ("for 4 days", 4),
     ("four days", 4), ("a fortnight", 14), ("90 days", 90)],
)  # fmt: skip
def test_a_pause_can_be_typed(typed: str, days: int) -> None:
    assert parse_pause(typed) == days


@pytest.mark.parametrize(("typed", "says"), [("forever", "number of days"), ("", "number of days"),
                                             ("0", "1 to 90 days"), ("91 days", "1 to 90 days")])  # fmt: skip
def test_a_pause_out_of_range_or_unreadable_is_re_asked(typed: str, says: str) -> None:
    with pytest.raises(InvalidAnswer) as problem:
        parse_pause(typed)
    assert says in str(problem.value)


def test_a_pause_ends_on_the_morning_days_later_and_holds_until_then() -> None:
    start = at(BERLIN, 2026, 11, 30, 22, 15)  # Monday night
    end = pause_ends(start, 3, BERLIN)
    assert local(end, BERLIN) == datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo(BERLIN))
    assert is_paused(start, end, start + timedelta(days=2)) and not is_paused(start, end, end)
    assert not pause_over(start, end, end - timedelta(seconds=1)) and pause_over(start, end, end)
    assert is_paused(start, None, start + timedelta(days=400)), "until resumed has no end"
    assert not pause_over(start, None, start + timedelta(days=400))
    assert not is_paused(None, None, start)
    assert hold_until(end, start) == end
    assert hold_until(None, start) == start + defaults.PAUSE_HOLD_RECHECK


# Every setting shows its current value and its default --------------------------------------------------------


def test_every_setting_shows_its_current_value_and_its_default() -> None:
    now = at(BERLIN, 2026, 11, 30, 10)
    changed = SettingsView(
        zone=NEW_YORK,
        quiet_start=22 * 60 + 30,
        quiet_end=6 * 60 + 45,
        paused=True,
        paused_until=at(NEW_YORK, 2026, 12, 3, 9),
        country="DE",
        digest_weekday=3,
        muted_kinds=("digest",),
        strict=True,
        max_follow_ups=2,
        touch_ideal_days=56,
        touch_max_days=182,
        report_back_days=14,
        not_now_days=56,
    )
    text = render_settings(changed, now)
    lines = [line for line in text.splitlines()[1:] if line.strip()]
    assert len(lines) == 11, "one line per setting"
    assert all("(default " in line for line in lines), "a setting without its default"
    expected = [
        "Time zone:</b> America/New_York (UTC-05:00), where it is now 04:00 (default UTC)",
        "Quiet hours (no reminders):</b> 22:30–06:45 (default 21:00–08:00)",
        "Reminders:</b> ⏸ paused until Thu 3 Dec, 09:00 (default on)",
        "Public holidays skipped:</b> Germany (default none)",
        "Weekly digest:</b> Thursday mornings (default Monday)",
        "Muted reminders:</b> Weekly digest (default none)",
        "Strict drafting style:</b> on, 75 words (default off, 100 words)",
        "Follow-ups per request:</b> 2 (default 1)",
        "Keep in touch:</b> every 8 weeks, at most 6 months (default every 6 weeks, at most 3 months)",
        "Report back:</b> 2 weeks after the thank-you (default 4 weeks)",
        "“not now”:</b> 8 weeks later (default 4 weeks)",
    ]
    for line, want in zip(lines, expected, strict=True):
        assert want in line, f"{want!r} not in {line!r}"
    untouched = render_settings(SettingsView(zone=BERLIN), now)
    assert "Reminders:</b> on (default on)" in untouched
    assert "paused until you resume them" in render_settings(SettingsView(paused=True), now)


def test_the_keep_in_touch_maximum_is_never_below_the_ideal() -> None:
    check_cadence(42, 91)
    check_cadence(56, 56)
    with pytest.raises(InvalidAnswer) as problem:
        check_cadence(56, 28)
    assert "can't be shorter than the ideal" in str(problem.value)
    assert min(defaults.TOUCH_MAX_CHOICES) >= max(defaults.TOUCH_IDEAL_CHOICES), "no pair of buttons breaks it"


# Moving reminders: a new zone, new quiet hours -------------------------------------------------------------------

NOW = at(BERLIN, 2026, 11, 30, 10)  # Monday 30 November 2026, 10:00 in Berlin
NY_CLOCK = UserClock.of(NEW_YORK)


def test_the_same_local_time_in_another_zone() -> None:
    nine_berlin = at(BERLIN, 2026, 12, 3, 9)
    assert local(same_local_time(nine_berlin, BERLIN, NEW_YORK), NEW_YORK) == datetime(
        2026, 12, 3, 9, 0, tzinfo=ZoneInfo(NEW_YORK)
    )
    assert same_local_time(nine_berlin, BERLIN, BERLIN) == nine_berlin


@pytest.mark.parametrize(
    "kind",
    [NudgeKind.FOLLOW_UP, NudgeKind.SECOND_PERSON, NudgeKind.DIGEST, NudgeKind.FIRST_LIST, NudgeKind.KEEP_IN_TOUCH,
     NudgeKind.REPORT_BACK, NudgeKind.NOT_NOW, NudgeKind.CLOSE, NudgeKind.INTRO_FOLLOW_UP],
)  # fmt: skip
def test_reminders_planned_at_a_time_of_day_keep_their_local_time(kind: str) -> None:
    due = at(BERLIN, 2026, 12, 3, 9)  # Thursday 09:00 in Berlin
    assert local(moved(due, kind, old_zone=BERLIN, clock=NY_CLOCK, now=NOW), NEW_YORK) == datetime(
        2026, 12, 3, 9, 0, tzinfo=ZoneInfo(NEW_YORK)
    )


@pytest.mark.parametrize("kind", [NudgeKind.PREP_DAY_BEFORE, NudgeKind.PREP_HOUR_BEFORE, NudgeKind.REFLECT,
                                  NudgeKind.THANK_YOU])  # fmt: skip
def test_reminders_about_a_meeting_keep_their_instant(kind: str) -> None:
    """A meeting is at a fixed instant for both people: its reminders don't move with the user's zone."""
    due = at(BERLIN, 2026, 12, 3, 17)  # 11:00 in New York: allowed there too
    assert moved(due, kind, old_zone=BERLIN, clock=NY_CLOCK, now=NOW) == due


def test_a_moved_reminder_is_checked_against_quiet_hours_and_business_days() -> None:
    # Tokyo -> Berlin: a meeting's reflection at 16:30 Tokyo is 08:30 Berlin; with quiet hours to 09:00, 09:00.
    late_riser = UserClock.of(BERLIN, 21 * 60, 9 * 60)
    reflect = at("Asia/Tokyo", 2026, 12, 3, 16, 30)
    assert local(moved(reflect, NudgeKind.REFLECT, old_zone="Asia/Tokyo", clock=late_riser, now=NOW), BERLIN) == (
        datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo(BERLIN))
    )
    # Business days: a follow-up at 09:00 on Friday in Berlin, with Friday a holiday in the new country.
    friday = at(BERLIN, 2026, 12, 25, 9)  # Christmas Day
    german = UserClock.of(BERLIN, country="DE")
    assert local(moved(friday, NudgeKind.FOLLOW_UP, old_zone=BERLIN, clock=german, now=NOW), BERLIN) == datetime(
        2026, 12, 28, 8, 0, tzinfo=ZoneInfo(BERLIN)
    ), "the next business day, at the end of quiet hours"
    # The hour before a meeting is never held back, even inside quiet hours.
    hour_before = at(BERLIN, 2026, 12, 3, 7)
    assert moved(hour_before, NudgeKind.PREP_HOUR_BEFORE, old_zone=BERLIN, clock=german, now=NOW) == hour_before


def test_new_quiet_hours_move_only_what_falls_inside_them() -> None:
    quiet_mornings = UserClock.of(BERLIN, 21 * 60, 10 * 60 + 30)
    nine = at(BERLIN, 2026, 12, 3, 9)
    noon = at(BERLIN, 2026, 12, 3, 12)
    assert local(moved(nine, NudgeKind.FOLLOW_UP, old_zone=BERLIN, clock=quiet_mornings, now=NOW), BERLIN) == (
        datetime(2026, 12, 3, 10, 30, tzinfo=ZoneInfo(BERLIN))
    )
    assert moved(noon, NudgeKind.KEEP_IN_TOUCH, old_zone=BERLIN, clock=quiet_mornings, now=NOW) == noon


def test_nothing_is_moved_into_the_past() -> None:
    """New York -> Berlin at 10:00 Berlin: 09:00 Berlin today has passed, so it is due now."""
    nine_ny = at(NEW_YORK, 2026, 11, 30, 9)
    assert moved(nine_ny, NudgeKind.FOLLOW_UP, old_zone=NEW_YORK, clock=UserClock.of(BERLIN), now=NOW) == NOW


# Releasing what waited during a pause ---------------------------------------------------------------------------

RESUME = at(BERLIN, 2026, 12, 4, 11)  # Friday 4 December, 11:00 in Berlin
CLOCK = UserClock.of(BERLIN)


def test_obsolete_passed_and_superseded_reminders_are_dropped() -> None:
    past_meeting, future_meeting = RESUME - timedelta(days=2), RESUME + timedelta(days=3)
    held = [
        Held(1, NudgeKind.FIRST_LIST),
        Held(2, NudgeKind.DIGEST),
        Held(3, NudgeKind.SECOND_PERSON, "7"),
        Held(4, NudgeKind.FOLLOW_UP, "7"),  # supersedes 3: the same contact, later on the clock
        Held(5, NudgeKind.FOLLOW_UP, "8", obsolete=True),  # they replied meanwhile
        Held(6, NudgeKind.PREP_DAY_BEFORE, "m1", meeting_at=past_meeting),
        Held(7, NudgeKind.PREP_HOUR_BEFORE, "m1", meeting_at=past_meeting),
        Held(8, NudgeKind.REFLECT, "m1", meeting_at=past_meeting),  # still worth asking
        Held(9, NudgeKind.PREP_DAY_BEFORE, "m2", meeting_at=future_meeting),
        Held(10, NudgeKind.SECOND_PERSON, "9"),  # alone on its clock: kept
    ]
    plan = release_plan(held, RESUME, CLOCK)
    assert {i for i, due in plan.due.items() if due is None} == {1, 2, 3, 5, 6, 7}
    assert plan.dropped == 6 and plan.right_away + plan.later == 4
    assert plan.due[9] == RESUME, "a meeting still ahead gets its prep at once"


def test_a_release_sends_a_few_at_once_and_spreads_the_rest_over_the_next_mornings() -> None:
    held = [Held(100 + n, NudgeKind.KEEP_IN_TOUCH, str(n), RESUME - timedelta(days=n)) for n in range(8)]
    held += [Held(1, NudgeKind.THANK_YOU, "50"), Held(2, NudgeKind.FOLLOW_UP, "51")]
    plan = release_plan(held, RESUME, CLOCK)
    now_ids = [i for i, due in plan.due.items() if due == RESUME]
    assert len(now_ids) == defaults.RELEASE_RIGHT_AWAY == 3
    assert set(now_ids) == {1, 2, 107}, "the most urgent first, then the longest waiting"
    assert plan.right_away == 3 and plan.later == 7 and plan.dropped == 0
    per_day: dict = {}
    for due in plan.due.values():
        assert due is not None and due >= RESUME
        day = local(due, BERLIN).date()
        per_day[day] = per_day.get(day, 0) + 1
        if due != RESUME:
            assert local(due, BERLIN).time() >= time(9, 0) and local(due, BERLIN).hour == 9, "mornings"
    assert max(per_day.values()) <= defaults.RELEASE_PER_MORNING
    assert sorted(per_day) == [RESUME.date() + timedelta(days=d) for d in range(4)]


def test_business_day_reminders_wait_for_a_business_day_and_quiet_hours_are_kept() -> None:
    saturday_night = at(BERLIN, 2026, 12, 5, 23, 30)  # inside quiet hours, on a weekend
    held = [Held(1, NudgeKind.FOLLOW_UP, "1"), Held(2, NudgeKind.KEEP_IN_TOUCH, "2")]
    plan = release_plan(held, saturday_night, CLOCK)
    follow_up, touch = (local(plan.due[i], BERLIN) for i in (1, 2))  # type: ignore[arg-type]
    assert touch == datetime(2026, 12, 6, 8, 0, tzinfo=ZoneInfo(BERLIN)), "Sunday, when quiet hours end"
    assert follow_up.weekday() == 0 and follow_up.hour == 9, "Monday morning: the first business day"


def test_muted_reminders_are_released_silently_without_taking_a_place() -> None:
    held = [Held(n, NudgeKind.KEEP_IN_TOUCH, str(n)) for n in range(3)] + [Held(9, NudgeKind.CLOSE, "9", silent=True)]
    plan = release_plan(held, RESUME, CLOCK)
    assert plan.due[9] == RESUME and plan.right_away == 3 and plan.later == 0


def test_a_settings_change_that_makes_many_due_is_paced_too() -> None:
    overdue = [Held(n, NudgeKind.REPORT_BACK, str(n), RESUME - timedelta(days=n)) for n in range(5)]
    due = paced(overdue, RESUME, CLOCK)
    assert sorted(due) == list(range(5)), "nothing is dropped"
    assert sum(1 for moment in due.values() if moment == RESUME) == 3
    assert all(moment > RESUME for i, moment in due.items() if moment != RESUME)
