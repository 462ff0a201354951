"""Keeping in touch: the cadence clock, the report back, the not-now re-ask, the thank-you nudge, and their notes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from coaching.enums import DraftKind
from coaching.keep_in_touch import (
    Cadence,
    TouchDue,
    keep_in_touch_note,
    next_touch,
    not_now_due,
    not_now_note,
    period_words,
    report_back_due,
    report_back_note,
    thank_you_due,
)
from coaching.schedule import QuietHours

QUIET = QuietHours(time(21), time(8))
BERLIN = "Europe/Berlin"
CADENCE = Cadence(timedelta(days=42), timedelta(days=91))


def local(zone: str, year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A local wall time in ``zone``, as a UTC instant (computed with zoneinfo, independently of the module)."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def wall(moment: datetime, zone: str) -> tuple[int, int, int, int, int]:
    here = moment.astimezone(ZoneInfo(zone))
    return (here.year, here.month, here.day, here.hour, here.minute)


# Cadence.of ------------------------------------------------------------------------------------------------


def test_default_cadence_is_six_weeks_and_ninety_one_days() -> None:
    assert Cadence() == Cadence(timedelta(days=42), timedelta(days=91))


def test_cadence_from_the_user_settings() -> None:
    assert Cadence.of(None, 42, 91) == Cadence(timedelta(days=42), timedelta(days=91))


def test_contact_days_override_the_ideal_but_not_the_maximum() -> None:
    assert Cadence.of(28, 42, 91) == Cadence(timedelta(days=28), timedelta(days=91))


def test_a_long_contact_period_lifts_the_maximum_to_it() -> None:
    assert Cadence.of(120, 42, 91) == Cadence(timedelta(days=120), timedelta(days=120))


def test_the_maximum_is_never_shorter_than_the_ideal() -> None:
    assert Cadence.of(None, 100, 60) == Cadence(timedelta(days=100), timedelta(days=100))


def test_equal_ideal_and_maximum() -> None:
    assert Cadence.of(91, 42, 91) == Cadence(timedelta(days=91), timedelta(days=91))


@pytest.mark.parametrize("contact_days", [None, 28, 120])
def test_stopped_keeping_in_touch_has_no_cadence(contact_days: int | None) -> None:
    assert Cadence.of(contact_days, 42, 91, stopped=True) is None


# next_touch ------------------------------------------------------------------------------------------------

LAST = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)  # Mon 5 Jan 2026, 16:00 in Berlin
IDEAL_MORNING = local(BERLIN, 2026, 2, 16)  # 5 Jan + 42 days, 09:00 CET
MAX_MORNING = local(BERLIN, 2026, 4, 6)  # 5 Jan + 91 days, 09:00 CEST (after the DST change)


def test_the_expected_mornings_are_what_they_say() -> None:
    assert IDEAL_MORNING == datetime(2026, 2, 16, 8, 0, tzinfo=UTC)
    assert MAX_MORNING == datetime(2026, 4, 6, 7, 0, tzinfo=UTC)


def test_fresh_interaction_is_due_at_the_ideal_period_in_the_morning() -> None:
    due = next_touch(LAST, CADENCE, LAST + timedelta(hours=1), BERLIN, QUIET)
    assert due == TouchDue(IDEAL_MORNING, False)
    assert due.due.tzinfo is not None
    assert wall(due.due, BERLIN) == (2026, 2, 16, 9, 0)


def test_just_before_the_ideal_morning_it_is_still_the_ideal() -> None:
    due = next_touch(LAST, CADENCE, IDEAL_MORNING - timedelta(seconds=1), BERLIN, QUIET)
    assert due == TouchDue(IDEAL_MORNING, False)


@pytest.mark.parametrize("now", [IDEAL_MORNING, IDEAL_MORNING + timedelta(hours=3), MAX_MORNING - timedelta(days=1)])
def test_past_the_ideal_the_maximum_is_next_and_overdue(now: datetime) -> None:
    assert next_touch(LAST, CADENCE, now, BERLIN, QUIET) == TouchDue(MAX_MORNING, True)


def test_past_the_maximum_the_clock_starts_again_from_now() -> None:
    now = local(BERLIN, 2026, 4, 6, 12, 0)
    due = next_touch(LAST, CADENCE, now, BERLIN, QUIET)
    assert due == TouchDue(local(BERLIN, 2026, 5, 18), False)  # 6 Apr + 42 days
    assert due.due == datetime(2026, 5, 18, 7, 0, tzinfo=UTC)


def test_long_after_the_maximum_the_clock_still_starts_from_now() -> None:
    now = datetime(2027, 1, 10, 20, 0, tzinfo=UTC)  # 21:00 in Berlin, Sun 10 Jan 2027
    due = next_touch(LAST, CADENCE, now, BERLIN, QUIET)
    assert due == TouchDue(local(BERLIN, 2027, 2, 21), False)  # 10 Jan + 42 days
    assert due.due > now


def test_a_later_interaction_resets_the_clock() -> None:
    now = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
    before = next_touch(LAST, CADENCE, now, BERLIN, QUIET)
    after = next_touch(now, CADENCE, now, BERLIN, QUIET)
    assert before.due == IDEAL_MORNING
    assert after == TouchDue(local(BERLIN, 2026, 3, 15), False)  # 1 Feb + 42 days
    assert after.due > before.due


def test_a_reset_clears_overdue() -> None:
    now = IDEAL_MORNING + timedelta(days=1)
    assert next_touch(LAST, CADENCE, now, BERLIN, QUIET).overdue is True
    assert next_touch(now, CADENCE, now, BERLIN, QUIET).overdue is False


def test_a_contact_cadence_is_used() -> None:
    cadence = Cadence.of(28, 42, 91)
    assert cadence is not None
    due = next_touch(LAST, cadence, LAST, BERLIN, QUIET)
    assert due == TouchDue(local(BERLIN, 2026, 2, 2), False)  # 5 Jan + 28 days


def test_the_day_is_the_users_local_day() -> None:
    # 23:30 UTC on 5 Jan is already 08:30 on 6 Jan in Tokyo: the period counts from the local day.
    last = datetime(2026, 1, 5, 23, 30, tzinfo=UTC)
    due = next_touch(last, CADENCE, last, "Asia/Tokyo", QUIET)
    assert due == TouchDue(local("Asia/Tokyo", 2026, 2, 17), False)
    assert due.due == datetime(2026, 2, 17, 0, 0, tzinfo=UTC)


def test_quiet_hours_push_the_morning_to_their_end() -> None:
    late_risers = QuietHours(time(7), time(10))
    due = next_touch(LAST, CADENCE, LAST, BERLIN, late_risers)
    assert due == TouchDue(local(BERLIN, 2026, 2, 16, 10, 0), False)
    assert wall(due.due, BERLIN) == (2026, 2, 16, 10, 0)


def test_quiet_hours_wrapping_midnight_push_the_morning() -> None:
    quiet = QuietHours(time(22), time(9, 30))
    due = next_touch(LAST, CADENCE, LAST, BERLIN, quiet)
    assert wall(due.due, BERLIN) == (2026, 2, 16, 9, 30)


def test_quiet_hours_that_end_before_nine_leave_the_morning_alone() -> None:
    due = next_touch(LAST, CADENCE, LAST, BERLIN, QuietHours(time(20), time(6)))
    assert due.due == IDEAL_MORNING


def test_the_overdue_morning_also_respects_quiet_hours() -> None:
    late_risers = QuietHours(time(7), time(10))
    due = next_touch(LAST, CADENCE, IDEAL_MORNING + timedelta(days=2), BERLIN, late_risers)
    assert due == TouchDue(local(BERLIN, 2026, 4, 6, 10, 0), True)


def test_the_same_local_morning_in_new_york_and_tokyo_is_a_different_instant() -> None:
    last = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)  # 07:00 in New York, 21:00 in Tokyo: both 10 Jan
    new_york = next_touch(last, CADENCE, last, "America/New_York", QUIET).due
    tokyo = next_touch(last, CADENCE, last, "Asia/Tokyo", QUIET).due
    assert new_york == local("America/New_York", 2026, 2, 21) == datetime(2026, 2, 21, 14, 0, tzinfo=UTC)
    assert tokyo == local("Asia/Tokyo", 2026, 2, 21) == datetime(2026, 2, 21, 0, 0, tzinfo=UTC)
    assert new_york != tokyo
    assert wall(new_york, "America/New_York")[3:] == (9, 0)
    assert wall(tokyo, "Asia/Tokyo")[3:] == (9, 0)


@pytest.mark.parametrize(
    ("last", "expected_utc"),
    [
        # 1 Mar (CET) + 42 days = 12 Apr (CEST, the clocks went forward on 29 Mar): 09:00 CEST = 07:00 UTC.
        (datetime(2026, 3, 1, 10, 0, tzinfo=UTC), datetime(2026, 4, 12, 7, 0, tzinfo=UTC)),
        # 20 Sep (CEST) + 42 days = 1 Nov (CET, the clocks went back on 25 Oct): 09:00 CET = 08:00 UTC.
        (datetime(2026, 9, 20, 10, 0, tzinfo=UTC), datetime(2026, 11, 1, 8, 0, tzinfo=UTC)),
        # No change in between: 1 Feb + 42 days = 15 Mar, 09:00 CET = 08:00 UTC.
        (datetime(2026, 2, 1, 10, 0, tzinfo=UTC), datetime(2026, 3, 15, 8, 0, tzinfo=UTC)),
    ],
)
def test_a_due_date_across_a_dst_change_is_still_nine_local(last: datetime, expected_utc: datetime) -> None:
    due = next_touch(last, CADENCE, last, BERLIN, QUIET)
    assert due == TouchDue(expected_utc, False)
    assert wall(due.due, BERLIN)[3:] == (9, 0)


def test_the_default_quiet_hours_are_twenty_one_to_eight() -> None:
    assert next_touch(LAST, CADENCE, LAST, BERLIN) == next_touch(LAST, CADENCE, LAST, BERLIN, QUIET)


# report_back_due, not_now_due ------------------------------------------------------------------------------


def test_report_back_is_four_weeks_later_in_the_morning() -> None:
    thanked = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)  # 19:00 Mon 2 Mar in Berlin
    due = report_back_due(thanked, timedelta(weeks=4), BERLIN, QUIET)
    assert due == local(BERLIN, 2026, 3, 30)  # after the DST change
    assert due == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)


def test_report_back_counts_from_the_local_day() -> None:
    thanked = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)  # already 00:30 on 3 Mar in Berlin
    assert report_back_due(thanked, timedelta(weeks=4), BERLIN, QUIET) == local(BERLIN, 2026, 3, 31)


def test_report_back_in_new_york() -> None:
    thanked = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)  # 22:00 Sun 31 May in New York
    due = report_back_due(thanked, timedelta(weeks=4), "America/New_York", QUIET)
    assert due == local("America/New_York", 2026, 6, 28)
    assert due == datetime(2026, 6, 28, 13, 0, tzinfo=UTC)


def test_report_back_respects_quiet_hours() -> None:
    thanked = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
    due = report_back_due(thanked, timedelta(weeks=4), BERLIN, QuietHours(time(7), time(10)))
    assert due == local(BERLIN, 2026, 3, 30, 10, 0)


def test_not_now_reask_is_the_morning_after_the_period() -> None:
    replied = datetime(2026, 5, 4, 15, 45, tzinfo=UTC)
    assert not_now_due(replied, timedelta(weeks=4), BERLIN, QUIET) == local(BERLIN, 2026, 6, 1)
    assert not_now_due(replied, timedelta(days=10), "Asia/Tokyo", QUIET) == local("Asia/Tokyo", 2026, 5, 15)


def test_not_now_reask_respects_quiet_hours() -> None:
    replied = datetime(2026, 5, 4, 15, 45, tzinfo=UTC)
    due = not_now_due(replied, timedelta(weeks=4), BERLIN, QuietHours(time(7), time(10)))
    assert due == local(BERLIN, 2026, 6, 1, 10, 0)


# thank_you_due ---------------------------------------------------------------------------------------------


def test_thank_you_nudge_is_24_hours_after_the_meeting_by_day() -> None:
    end = local(BERLIN, 2026, 5, 4, 14, 30)
    assert thank_you_due(end, BERLIN, QUIET) == local(BERLIN, 2026, 5, 5, 14, 30)
    assert thank_you_due(end, BERLIN, QUIET) == end + timedelta(hours=24)


def test_thank_you_nudge_in_the_evening_waits_for_the_end_of_quiet_hours() -> None:
    end = local(BERLIN, 2026, 5, 4, 22, 0)  # +24 h = 22:00 on the 5th, inside 21:00-08:00
    assert thank_you_due(end, BERLIN, QUIET) == local(BERLIN, 2026, 5, 6, 8, 0)
    assert thank_you_due(end, BERLIN, QUIET) == datetime(2026, 5, 6, 6, 0, tzinfo=UTC)


def test_thank_you_nudge_after_midnight_waits_until_eight_the_same_day() -> None:
    end = local(BERLIN, 2026, 5, 4, 6, 30)  # +24 h = 06:30 on the 5th
    assert thank_you_due(end, BERLIN, QUIET) == local(BERLIN, 2026, 5, 5, 8, 0)


def test_thank_you_nudge_at_the_edges_of_quiet_hours() -> None:
    assert thank_you_due(local(BERLIN, 2026, 5, 4, 8, 0), BERLIN, QUIET) == local(BERLIN, 2026, 5, 5, 8, 0)
    assert thank_you_due(local(BERLIN, 2026, 5, 4, 20, 59), BERLIN, QUIET) == local(BERLIN, 2026, 5, 5, 20, 59)
    assert thank_you_due(local(BERLIN, 2026, 5, 4, 21, 0), BERLIN, QUIET) == local(BERLIN, 2026, 5, 6, 8, 0)


def test_thank_you_nudge_uses_the_users_quiet_hours_and_zone() -> None:
    end = datetime(2026, 5, 4, 0, 0, tzinfo=UTC)  # 09:00 in Tokyo; +24 h = 09:00 on the 5th
    assert thank_you_due(end, "Asia/Tokyo", QuietHours(time(7), time(10))) == local("Asia/Tokyo", 2026, 5, 5, 10, 0)
    assert thank_you_due(end, "Asia/Tokyo", QUIET) == local("Asia/Tokyo", 2026, 5, 5, 9, 0)


# period_words ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (28, "4 weeks"),
        (42, "6 weeks"),
        (14, "2 weeks"),
        (56, "8 weeks"),
        (91, "3 months"),
        (10, "10 days"),
        (30, "30 days"),
        (45, "45 days"),
        (60, "2 months"),
        (63, "2 months"),
        (120, "4 months"),
        (182, "6 months"),
        (365, "12 months"),
    ],
)
def test_period_words(days: int, words: str) -> None:
    assert period_words(days) == words


def test_period_words_one_week_is_singular() -> None:
    # BUG: period_words(7) returns "1 weeks" (and period_words(1) "1 days"): no singular for a period of one.
    assert period_words(7) == "1 week"


# Notes -----------------------------------------------------------------------------------------------------


def body_lines(text: str) -> list[str]:
    return text.splitlines()


def test_report_back_note_without_done_clauses() -> None:
    draft = report_back_note("Ben Cole", "Dr. Petra Wolff", [], None)
    assert draft.kind is DraftKind.REPORT_BACK
    assert draft.subject
    lines = body_lines(draft.body)
    assert lines[0] == "Hi Dr. Wolff,"
    assert lines[-1] == "Ben Cole"
    assert "putting your advice into practice" in draft.body
    assert "might interest you" not in draft.body


def test_report_back_note_with_one_done_clause() -> None:
    draft = report_back_note("Ben Cole", "Ana Lee", ["Reworked my résumé"], None)
    assert draft.body.splitlines()[0] == "Hi Ana,"
    assert "reworked my résumé." in draft.body
    assert "Your advice made the difference." in draft.body
    assert "putting your advice into practice" not in draft.body


def test_report_back_note_joins_done_clauses() -> None:
    done = ["reworked my résumé", "talked to Sam Park", "applied to two teams at Globex"]
    body = report_back_note("Ben Cole", "Ana Lee", done, None).body
    assert "reworked my résumé, talked to Sam Park and applied to two teams at Globex." in body


def test_report_back_note_keeps_the_pronoun_i_capital() -> None:
    # BUG: the docstring's own example clauses start with "I" ("I reworked my résumé", "I talked to Sam
    # Park"), but _sentence lower-cases the first letter: "A quick update since we spoke: i reworked my résumé
    # and I talked to Sam Park."
    body = report_back_note("Ben Cole", "Ana Lee", ["I reworked my résumé", "I talked to Sam Park"], None).body
    assert "I reworked my résumé and I talked to Sam Park." in body, body


def test_report_back_note_with_an_offer() -> None:
    body = report_back_note("Ben Cole", "Ana Lee", ["reworked my pitch"], "an article on hiring in fintech. ").body
    assert "an article on hiring in fintech." in body
    assert "fintech.." not in body
    assert "reworked my pitch" in body


@pytest.mark.parametrize("done", [[], ["reworked my résumé"], ["reworked my résumé", "met Sam"]])
@pytest.mark.parametrize("offer", [None, "", "a podcast episode about data teams"])
@pytest.mark.parametrize("contact", ["Ana Lee", "Dr. Petra Wolff", ""])
def test_report_back_note_never_asks_and_has_no_placeholders(done: list[str], offer: str | None, contact: str) -> None:
    draft = report_back_note("Ben Cole", contact, done, offer)
    assert "?" not in draft.body
    assert "[" not in draft.body and "]" not in draft.body
    assert "None" not in draft.body
    assert draft.body.splitlines()[-1] == "Ben Cole"
    if not offer:
        assert "interest you" not in draft.body


def test_keep_in_touch_note_shares_the_offer() -> None:
    draft = keep_in_touch_note("Ben Cole", "Ana Lee", "a meetup on data jobs next month.")
    assert draft.kind is DraftKind.KEEP_IN_TOUCH
    assert draft.subject
    assert draft.body.splitlines()[0] == "Hi Ana,"
    assert "a meetup on data jobs next month." in draft.body
    assert "month.." not in draft.body
    assert draft.body.splitlines()[-1] == "Ben Cole"


def test_keep_in_touch_note_without_an_offer_just_says_hello() -> None:
    with_offer = keep_in_touch_note("Ben Cole", "Ana Lee", "a meetup on data jobs")
    without = keep_in_touch_note("Ben Cole", "Ana Lee", None)
    assert "meetup" not in without.body
    assert without.body != with_offer.body
    assert "hello" in without.body.lower()


@pytest.mark.parametrize("offer", [None, "", "a meetup on data jobs"])
@pytest.mark.parametrize("contact", ["Ana Lee", "Dr. Petra Wolff"])
def test_keep_in_touch_note_never_asks(offer: str | None, contact: str) -> None:
    draft = keep_in_touch_note("Ben Cole", contact, offer)
    assert "?" not in draft.body
    assert "?" not in (draft.subject or "")
    assert "[" not in draft.body
    assert "None" not in draft.body


def test_not_now_note_names_the_month_in_the_users_zone() -> None:
    replied = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)  # 08:30 on 1 April in Tokyo, 19:30 on 31 March in New York
    tokyo = not_now_note("Ben Cole", "Ana Lee", replied, "Asia/Tokyo")
    new_york = not_now_note("Ben Cole", "Ana Lee", replied, "America/New_York")
    assert "April" in tokyo.body and "March" not in tokyo.body
    assert "March" in new_york.body and "April" not in new_york.body


def test_not_now_note_refers_back_and_asks_again() -> None:
    draft = not_now_note("Ben Cole", "Dr. Petra Wolff", datetime(2026, 7, 15, 12, 0, tzinfo=UTC), BERLIN)
    assert draft.kind is DraftKind.NOT_NOW
    assert draft.subject
    lines = draft.body.splitlines()
    assert lines[0] == "Hi Dr. Wolff,"
    assert lines[-1] == "Ben Cole"
    assert "July" in draft.body
    assert "?" in draft.body  # the re-ask is its purpose
    assert "[" not in draft.body
