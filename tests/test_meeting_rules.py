"""Meeting rules: reading typed dates across zones, the confirmation words, reminders and the .ics file."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from coaching.meetings import (
    CANNOT_READ,
    ONE_AT_A_TIME,
    TOO_LONG,
    MeetingFormat,
    WhenCheck,
    check_moment,
    describe,
    meeting_ics,
    parse_when,
    reflection_due,
    reminder_plan,
)
from coaching.schedule import QuietHours

BERLIN = "Europe/Berlin"
# Friday 27 November 2026, 10:17 in Berlin (UTC+1).
FRIDAY = datetime(2026, 11, 27, 9, 17, tzinfo=UTC)
QUIET = QuietHours()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "now", "text", "expected"),
    [
        # Berlin, Friday 10:17 (UTC+1): the coming Tuesday at 15:00 is 14:00 UTC.
        (BERLIN, FRIDAY, "next Tue 3pm", utc(2026, 12, 1, 14, 0)),
        # Auckland is UTC+13 in December: Wed 2 Dec 09:00 local is Tue 1 Dec 20:00 UTC.
        ("Pacific/Auckland", utc(2026, 12, 1, 20, 0), "tomorrow at noon", utc(2026, 12, 2, 23, 0)),
        # Honolulu is UTC-10: Tue 1 Dec 20:00 local is Wed 2 Dec 06:00 UTC; Friday 14:00 local is Sat 00:00 UTC.
        ("Pacific/Honolulu", utc(2026, 12, 2, 6, 0), "Friday 14:00", utc(2026, 12, 5, 0, 0)),
        # Kolkata is UTC+5:30: Fri 27 Nov 09:30 local; Sunday 10:00 local is 04:30 UTC.
        ("Asia/Kolkata", utc(2026, 11, 27, 4, 0), "in 2 days at 10", utc(2026, 11, 29, 4, 30)),
        ("Asia/Kolkata", utc(2026, 11, 27, 4, 0), "3 Dec 15:30", utc(2026, 12, 3, 10, 0)),
    ],
)
def test_parsing_across_zones(zone: str, now: datetime, text: str, expected: datetime) -> None:
    """Typed text is read as the user's local wall time and comes back as the exact UTC moment."""
    result = parse_when(text, now, zone)
    assert result.at == expected
    assert result.at.tzinfo is UTC
    assert result.settled and result.problem is None and result.choices == ()


def test_day_first_follows_the_locale() -> None:
    """With the user's locale known, "12/03 09:30" has one reading: 12 March or 3 December."""
    now = utc(2026, 11, 27, 4, 0)
    assert parse_when("12/03 09:30", now, "Asia/Kolkata", day_first=True).at == utc(2027, 3, 12, 4, 0)
    assert parse_when("12/03 09:30", now, "Asia/Kolkata", day_first=False).at == utc(2026, 12, 3, 4, 0)


@pytest.mark.parametrize(
    "text",
    [
        "whenever",
        "whenever works for you",
        "asdf",
        "a",
        "123",
        "",
        "   ",
        "x" * 500,
        "qwrt zxcv ;;; ,,, ??? !!! plmn " * 3,
        "🙂📅🕒",
        "🦄" * 500,
    ],
)
def test_text_it_cannot_read(text: str) -> None:
    """Text that isn't a date gives a friendly re-ask with an example, never an exception."""
    result = parse_when(text, FRIDAY, BERLIN)
    assert result.at is None and result.choices == () and result.questions == ()
    assert result.problem == (TOO_LONG if len(text) > 120 else CANNOT_READ)


def test_ambiguous_day_month_offers_both_readings() -> None:
    """With an unknown locale "04/05 10:00" offers 4 May and 5 April; a known locale picks one."""
    result = parse_when("04/05 10:00", FRIDAY, BERLIN)
    assert result.at is None and result.checks == (WhenCheck.AMBIGUOUS,)
    assert result.choices == (utc(2027, 5, 4, 8, 0), utc(2027, 4, 5, 8, 0))  # both in summer time (UTC+2)
    assert "4 May" in result.questions[0] and "5 April" in result.questions[0]
    assert parse_when("04/05 10:00", FRIDAY, BERLIN, day_first=True).at == utc(2027, 5, 4, 8, 0)
    assert parse_when("04/05 10:00", FRIDAY, BERLIN, day_first=False).at == utc(2027, 4, 5, 8, 0)
    # Without a time the choice can't be a moment yet: a re-ask naming both readings.
    assert "4 May" in (parse_when("04/05", FRIDAY, BERLIN).problem or "")


def test_next_friday_said_on_a_friday() -> None:
    """Said on a Friday, "next Friday" is in 7 days, before or after that hour; "this Friday" is today."""
    assert parse_when("next Friday 10am", FRIDAY, BERLIN).at == utc(2026, 12, 4, 9, 0)
    friday_early = utc(2026, 11, 27, 6, 0)  # 07:00 Berlin, before 10am
    assert parse_when("next Friday 10am", friday_early, BERLIN).at == utc(2026, 12, 4, 9, 0)
    assert parse_when("this Friday 10am", friday_early, BERLIN).at == utc(2026, 11, 27, 9, 0)


def test_a_time_in_the_past_is_questioned() -> None:
    """A past time like "yesterday 3pm" is read, and asked about, not silently saved."""
    result = parse_when("yesterday 3pm", FRIDAY, BERLIN)
    assert result.at == utc(2026, 11, 26, 14, 0)
    assert result.checks == (WhenCheck.PAST,) and not result.settled


def test_more_than_a_year_ahead_is_questioned() -> None:
    """More than a year ahead ("in 2 years") is questioned, with or without a time."""
    assert WhenCheck.TOO_FAR in parse_when("in 2 years", FRIDAY, BERLIN).checks
    result = parse_when("in 2 years at 10:00", FRIDAY, BERLIN)
    assert result.at == utc(2028, 11, 27, 9, 0) and result.checks == (WhenCheck.TOO_FAR,)


def test_a_day_without_a_time_asks_for_the_time() -> None:
    """A date alone isn't enough: "tomorrow" or "tomorrow morning" asks what time, keeping the day."""
    for text in ("tomorrow", "tomorrow morning"):
        result = parse_when(text, FRIDAY, BERLIN)
        assert result.at is None and result.day == date(2026, 11, 28)
        assert result.checks == (WhenCheck.NO_TIME,)
        assert result.questions[0].startswith("What time tomorrow (Saturday 28 November)?")


def test_quiet_hours_are_allowed_but_confirmed() -> None:
    """22:30 is inside quiet hours: kept, with a question; the same with the user's own quiet hours."""
    result = parse_when("22:30", FRIDAY, BERLIN)
    assert result.at == utc(2026, 11, 27, 21, 30) and result.checks == (WhenCheck.QUIET,)
    late_owl = QuietHours(time(23, 0), time(7, 0))
    assert parse_when("22:30", FRIDAY, BERLIN, quiet=late_owl).settled


def test_dst_gap_and_overlap() -> None:
    """A wall time skipped by spring-forward moves just after the gap; a repeated one takes the first."""
    gap = parse_when("28 March 2027 02:30", FRIDAY, BERLIN)
    assert gap.at == utc(2027, 3, 28, 1, 30)  # 03:30 CEST
    assert WhenCheck.DST_GAP in gap.checks and "03:30" in gap.questions[-1]
    overlap = parse_when("31 Oct 2027 02:30", FRIDAY, BERLIN)
    assert overlap.at == utc(2027, 10, 31, 0, 30)  # the first 02:30, still CEST
    assert WhenCheck.DST_FOLD in overlap.checks


def test_phrasings_dateparser_misreads_are_corrected() -> None:
    """A bare hour after "at", "15h", an ordinal day without a month and "midday" read as meant."""
    assert parse_when("friday at 2", FRIDAY, BERLIN).at == utc(2026, 12, 4, 13, 0)  # the afternoon
    assert parse_when("tomorrow at 9", FRIDAY, BERLIN).at == utc(2026, 11, 28, 8, 0)
    assert parse_when("Tue 15h", FRIDAY, BERLIN).at == utc(2026, 12, 1, 14, 0)
    assert parse_when("the 3rd at 4pm", FRIDAY, BERLIN).at == utc(2026, 12, 3, 15, 0)
    assert parse_when("tomorrow at midday", FRIDAY, BERLIN).at == utc(2026, 11, 28, 11, 0)
    assert parse_when("4.5. 10:00", FRIDAY, BERLIN).at == utc(2027, 5, 4, 8, 0)  # dotted dates are day-first
    assert parse_when("12.03 09:30", FRIDAY, BERLIN).at == utc(2027, 3, 12, 8, 30)
    assert parse_when("3pm UTC", FRIDAY, BERLIN).at == utc(2026, 11, 27, 15, 0)  # a named zone wins
    assert parse_when("tomorrow 14:00-15:00", FRIDAY, BERLIN).at == utc(2026, 11, 28, 13, 0)  # a range's start
    assert parse_when("Tuesday 10-11am", FRIDAY, BERLIN).at == utc(2026, 12, 1, 9, 0)
    assert parse_when("in 2h", FRIDAY, BERLIN).at == FRIDAY + timedelta(hours=2)
    assert parse_when("tomorrow 9.30h", FRIDAY, BERLIN).at == utc(2026, 11, 28, 8, 30)
    assert parse_when("tomorrow 14.00", FRIDAY, BERLIN).at == utc(2026, 11, 28, 13, 0)
    # A time it silently drops comes back as the current time of day: noticed, and the time asked for.
    assert parse_when("25:00 tomorrow", FRIDAY, BERLIN).checks == (WhenCheck.NO_TIME,)


def test_a_date_inside_a_sentence() -> None:
    """The date phrase is found inside a sentence; two different dates are a re-ask."""
    assert parse_when("let's say Tuesday at 3pm", FRIDAY, BERLIN).at == utc(2026, 12, 1, 14, 0)
    assert parse_when("I may be free on Friday 14:00", FRIDAY, BERLIN).at == utc(2026, 12, 4, 13, 0)
    assert parse_when("Tuesday 10:00 or Wednesday 11:00", FRIDAY, BERLIN).problem == ONE_AT_A_TIME


def test_describe_in_words() -> None:
    """The confirmation names the weekday, day, month, local time and zone, and says today/tomorrow."""
    assert describe(utc(2026, 12, 1, 14, 0), BERLIN, FRIDAY) == "Tuesday 1 December, 15:00 (Europe/Berlin)"
    assert describe(utc(2026, 11, 27, 17, 0), BERLIN, FRIDAY) == "today, Friday 27 November, 18:00 (Europe/Berlin)"
    assert describe(utc(2026, 11, 28, 11, 0), BERLIN, FRIDAY) == (
        "tomorrow, Saturday 28 November, 12:00 (Europe/Berlin)"
    )
    assert describe(utc(2027, 5, 4, 8, 0), BERLIN, FRIDAY) == "Tuesday 4 May 2027, 10:00 (Europe/Berlin)"
    # Local days, not UTC days: Tue 20:00 UTC is already Wednesday in Auckland.
    assert describe(utc(2026, 12, 2, 23, 0), "Pacific/Auckland", utc(2026, 12, 1, 20, 0)) == (
        "tomorrow, Thursday 3 December, 12:00 (Pacific/Auckland)"
    )


def test_check_moment_for_a_chosen_reading() -> None:
    """Once the user picks one of the choices, the same checks apply to it."""
    assert check_moment(utc(2027, 5, 4, 8, 0), FRIDAY, BERLIN).settled
    assert check_moment(utc(2026, 11, 20, 8, 0), FRIDAY, BERLIN).checks == (WhenCheck.PAST,)
    with pytest.raises(ValueError):
        parse_when("tomorrow 15:00", datetime(2026, 11, 27, 10, 0), BERLIN)


def test_meeting_formats() -> None:
    """Each format has its default length and a label."""
    assert [(f.value, f.minutes) for f in MeetingFormat] == [("phone", 30), ("video", 30), ("in_person", 60)]
    assert all(f.label for f in MeetingFormat)


def test_reminders_for_a_meeting_next_week() -> None:
    """The prep pack goes at 18:00 local the evening before, the last reminder an hour before."""
    start = utc(2026, 12, 1, 14, 0)  # Tue 15:00 Berlin
    assert reminder_plan(start, 30, BERLIN, FRIDAY, QUIET) == [
        ("prep_day_before", utc(2026, 11, 30, 17, 0)),
        ("prep_hour_before", utc(2026, 12, 1, 13, 0)),
    ]
    # Quiet hours from 17:00: the prep moves earlier that day, to 16:00.
    early = QuietHours(time(17, 0), time(8, 0))
    assert reminder_plan(start, 30, BERLIN, FRIDAY, early)[0] == ("prep_day_before", utc(2026, 11, 30, 15, 0))


@pytest.mark.parametrize(
    ("zone", "start", "prep", "hour_before"),
    [
        # Auckland (UTC+13): Thu 3 Dec 12:00 local; Wed 18:00 local is Wed 05:00 UTC.
        ("Pacific/Auckland", utc(2026, 12, 2, 23, 0), utc(2026, 12, 2, 5, 0), utc(2026, 12, 2, 22, 0)),
        # Honolulu (UTC-10): Fri 4 Dec 14:00 local; Thu 18:00 local is Fri 04:00 UTC.
        ("Pacific/Honolulu", utc(2026, 12, 5, 0, 0), utc(2026, 12, 4, 4, 0), utc(2026, 12, 4, 23, 0)),
    ],
)
def test_reminders_far_from_utc(zone: str, start: datetime, prep: datetime, hour_before: datetime) -> None:
    """The evening before is the user's evening, however far their zone is from UTC."""
    assert reminder_plan(start, 30, zone, FRIDAY, QUIET) == [
        ("prep_day_before", prep),
        ("prep_hour_before", hour_before),
    ]


def test_reminders_for_a_meeting_tomorrow_morning() -> None:
    """When the evening before has passed, or the meeting is under 12 hours away, the prep goes now."""
    start = utc(2026, 11, 28, 8, 0)  # Sat 09:00 Berlin
    evening = utc(2026, 11, 27, 19, 30)  # Fri 20:30: 18:00 has passed, 12.5 hours to go
    assert reminder_plan(start, 30, BERLIN, evening, QUIET) == [
        ("prep_day_before", evening),
        ("prep_hour_before", utc(2026, 11, 28, 7, 0)),
    ]
    afternoon = utc(2026, 11, 27, 12, 0)  # Fri 13:00: 18:00 is still ahead
    assert reminder_plan(start, 30, BERLIN, afternoon, QUIET)[0] == ("prep_day_before", utc(2026, 11, 27, 17, 0))
    late = utc(2026, 11, 27, 22, 30)  # under 12 hours to go
    assert reminder_plan(utc(2026, 11, 28, 9, 0), 30, BERLIN, late, QUIET)[0] == ("prep_day_before", late)


def test_reminders_for_a_meeting_in_30_minutes() -> None:
    """Only the prep, right away: the hour-before moment has passed; a past meeting gets nothing."""
    assert reminder_plan(FRIDAY + timedelta(minutes=30), 30, BERLIN, FRIDAY, QUIET) == [("prep_day_before", FRIDAY)]
    assert reminder_plan(FRIDAY - timedelta(minutes=1), 30, BERLIN, FRIDAY, QUIET) == []


def test_reflection_avoids_quiet_hours() -> None:
    """The reflection comes an hour after the end, or at 08:00 when that falls in quiet hours."""
    assert reflection_due(utc(2026, 12, 1, 14, 0), 30, BERLIN, QUIET) == utc(2026, 12, 1, 15, 30)
    # 19:30-20:30 local, +1 h = 21:30: quiet, so 08:00 the next morning.
    assert reflection_due(utc(2026, 12, 1, 18, 30), 60, BERLIN, QUIET) == utc(2026, 12, 2, 7, 0)


USER_TEXT = 'Ask Ana, Acme; "data" team\nSecond line has a literal \\n, a backslash \\ and ; , too\r\nThird'


def test_ics_parses_back() -> None:
    """The .ics opens with icalendar: UTC start and end, the user's text intact, a link as URL, an alarm."""
    start = datetime(2026, 12, 1, 15, 0, tzinfo=ZoneInfo(BERLIN))
    raw = meeting_ics(
        "meeting-42@infocoach", start, 30, "Coffee, chat; Ana", USER_TEXT, "https://meet.example.com/a?x=1;y=2", FRIDAY
    )
    assert b"DTSTART:20261201T140000Z" in raw and b"\r\n" in raw
    calendar = Calendar.from_ical(raw)
    assert str(calendar["prodid"]) == "-//InfoCoach//EN"
    assert str(calendar["version"]) == "2.0" and str(calendar["method"]) == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]) == "meeting-42@infocoach"
    assert event.decoded("dtstamp") == FRIDAY
    assert event.decoded("dtstart") == utc(2026, 12, 1, 14, 0)
    assert event.decoded("dtend") == utc(2026, 12, 1, 14, 30)
    assert str(event["summary"]) == "Coffee, chat; Ana"
    assert str(event["description"]) == USER_TEXT.replace("\r\n", "\n")
    assert str(event["location"]) == "https://meet.example.com/a?x=1;y=2"
    assert str(event["url"]) == "https://meet.example.com/a?x=1;y=2"
    (alarm,) = event.walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY" and alarm.decoded("trigger") == timedelta(minutes=-60)


def test_ics_place_without_link() -> None:
    """A street address is a LOCATION only; no location means no LOCATION at all."""
    place = "Café Central, Herrengasse 14; 2nd floor\nby the window"
    event = Calendar.from_ical(meeting_ics("m1", utc(2026, 12, 1, 14, 0), 60, "Coffee", USER_TEXT, place, FRIDAY))
    (vevent,) = event.walk("VEVENT")
    assert str(vevent["location"]) == place and "url" not in vevent
    assert vevent.decoded("dtend") == utc(2026, 12, 1, 15, 0)
    (bare,) = Calendar.from_ical(meeting_ics("m2", utc(2026, 12, 1, 14, 0), 30, "Call", "", None, FRIDAY)).walk(
        "VEVENT"
    )
    assert "location" not in bare and len(bare.walk("VALARM")) == 1


def test_slots_proposed_after_a_yes_skip_tomorrow_weekends_and_holidays() -> None:
    """The times offered in the answer to a yes are business days from the day after tomorrow."""
    from coaching.templates import propose_slots

    thursday = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    assert propose_slots(thursday, "Europe/Berlin") == "Monday or Tuesday afternoon, or Wednesday morning"
    monday = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    holiday = {date(2026, 12, 9)}
    assert propose_slots(monday, "Europe/Berlin", holiday) == "Thursday or Friday afternoon, or Monday morning"
