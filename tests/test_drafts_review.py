"""The draft review on a table of sample drafts, the templates against it, and the 3B7 clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coaching.drafts import DraftKind, Recipient, Sender, compose, review, word_count
from coaching.followup import (
    ClockNudge,
    after_follow_up,
    clock_nudge_obsolete,
    is_booster,
    may_follow_up,
    request_clock,
)
from coaching.nudges import UserClock

GOOD = (
    "Hi Maya, Tom Berg suggested I get in touch with you. Your path to UX research at City Hospital is "
    "exactly what I'd love to hear about. Would you be open to a 20-minute call in the next few weeks? "
    "Any time that suits you works, even outside working hours. Thank you for considering it. Ana"
)

# (name, draft, kind, strict, checks that must fail; every other check must pass)
SAMPLES = [
    ("good email", GOOD, DraftKind.EMAIL, False, set()),
    ("good, strict", GOOD, DraftKind.EMAIL, True, set()),
    ("asks for a job", GOOD.replace("Your path", "I'm looking for a job. Your path"), None, False, {"no_job"}),
    ("mentions résumé", GOOD + " I've attached my résumé.", None, False, {"no_job"}),
    ("mentions resume", GOOD + " My resume is attached.", None, False, {"no_job"}),
    ("mentions CV", GOOD + " Please find my CV.", None, False, {"no_job"}),
    ("asks for referral", GOOD + " A referral would be great.", None, False, {"no_job"}),
    ("openings", GOOD + " Are there openings on your team?", None, False, {"no_job"}),
    ("hiring", GOOD + " Is your team hiring?", None, False, {"no_job"}),
    (
        "no question",
        GOOD.replace(
            "Would you be open to a 20-minute call in the next few weeks?",
            "Let's have a 20-minute call in the next few weeks.",
        ),
        None,
        False,
        {"question"},
    ),
    ("no time named", GOOD.replace("20-minute ", ""), None, False, {"time"}),
    ("too much time", GOOD.replace("20-minute call", "2 hour call"), None, False, {"time"}),
    ("90 minutes", GOOD.replace("20-minute", "90-minute"), None, False, {"time"}),
    ("hour in person", GOOD.replace("a 20-minute call", "an hour over coffee"), None, False, set()),
    ("no thanks", GOOD.replace(" Thank you for considering it.", ""), None, False, {"thanks"}),
    ("appreciates instead", GOOD.replace("Thank you for considering it.", "I'd appreciate it."), None, False, set()),
    (
        "not flexible",
        GOOD.replace(" Any time that suits you works, even outside working hours.", ""),
        None,
        False,
        {"flexible"},
    ),
    (
        "evenings ok",
        GOOD.replace("Any time that suits you works, even outside working hours.", "Evenings are fine too."),
        None,
        False,
        set(),
    ),
    (
        "connection late",
        "Hi Maya, would you be open to a 20-minute call in the next few weeks? Any time that suits "
        "you works. Thank you! " + "Word " * 20 + "Tom suggested I write.",
        None,
        False,
        {"connection"},
    ),
    (
        "fellow alum first",
        GOOD.replace("Tom Berg suggested I get in touch with you.", "As a fellow alum of yours,"),
        None,
        False,
        set(),
    ),
    (
        "all about me",
        "Hi Maya, Tom suggested I write. I am a designer and I have ten years of experience and I "
        "want to move and I think I would be good. Would you have 20 minutes for me? Any time that "
        "suits you. Thank you!",
        None,
        False,
        {"about_them"},
    ),
    ("placeholder name", GOOD.replace("Maya", "[Name]"), None, False, {"placeholders"}),
    ("placeholder braces", GOOD.replace("City Hospital", "{company}"), None, False, {"placeholders"}),
    ("XX placeholder", GOOD.replace("20-minute", "XX-minute"), None, False, {"placeholders", "time"}),
    ("too long", GOOD + " " + "Really " * 60, None, False, {"length"}),
    ("strict too long", GOOD + " " + "Really " * 25, None, True, {"length"}),
    ("80 words ok loose", GOOD + " " + "Really " * 25, None, False, set()),
    ("linkedin note ok", GOOD[:280].rsplit(" ", 1)[0] + "? suits you. Thanks", DraftKind.LINKEDIN_NOTE, False, set()),
    ("linkedin note long", GOOD + " Many thanks again, Ana.", DraftKind.LINKEDIN_NOTE, False, {"linkedin_limit"}),
    ("5000 words", GOOD + " word" * 5000, None, False, {"length"}),
    ("empty", "", None, False, {"connection", "question", "time", "thanks", "flexible"}),
    ("html pasted", GOOD.replace("Maya", "<b>Maya</b>"), None, False, set()),
]


@pytest.mark.parametrize(("name", "draft", "kind", "strict", "failing"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_review_samples(name, draft, kind, strict, failing) -> None:
    checks = review(draft, kind, strict=strict)
    assert {c.key for c in checks if not c.ok} == failing
    assert all(c.fix for c in checks if not c.ok), "every warning comes with a concrete fix"


def test_sample_table_is_big_enough() -> None:
    assert len(SAMPLES) >= 30


# Every template against the review: tests/test_template_sweep.py (every relation, stage, channel, variant).


def test_phrasings_rotate_and_subjects_exist() -> None:
    sender = Sender("Ana", "data science", "student")
    to = Recipient("Maya Chen", "Acme", "analyst", "cold")
    bodies = {compose(DraftKind.EMAIL, sender, to, variant=v).body for v in range(3)}
    assert len(bodies) == 3
    assert compose(DraftKind.EMAIL, sender, to).subject
    assert len(compose(DraftKind.LINKEDIN_NOTE, sender, to).body) <= 300
    assert word_count(compose(DraftKind.EMAIL, sender, to, short=True).body) <= 75
    closing = compose(DraftKind.CLOSING, sender, to).body
    assert "busy" in closing and "down the road" in closing


def test_clock_days_and_closing() -> None:
    clock = UserClock.of("Europe/Berlin")
    monday_morning = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 Berlin
    nudges = request_clock(monday_morning, clock, max_follow_ups=1)
    assert [(k, d.date().isoformat()) for k, d in nudges] == [
        (ClockNudge.SECOND_PERSON, "2026-11-26"),
        (ClockNudge.FOLLOW_UP, "2026-12-02"),
    ]
    assert request_clock(monday_morning, clock, max_follow_ups=0)[-1][0] is ClockNudge.CLOSE
    kind, due = after_follow_up(monday_morning, clock, follow_ups_sent=1, max_follow_ups=1)
    assert kind is ClockNudge.CLOSE and due.date().isoformat() == "2026-12-02"
    assert after_follow_up(monday_morning, clock, follow_ups_sent=1, max_follow_ups=2)[0] is ClockNudge.FOLLOW_UP
    assert may_follow_up(0, 1) and not may_follow_up(1, 1) and not may_follow_up(3, 9)


def test_booster_and_obsolete_rules() -> None:
    clock = UserClock.of("Europe/Berlin")
    sent = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)  # Friday 15:00: counting starts Monday
    assert is_booster(sent, datetime(2026, 12, 2, 20, 0, tzinfo=UTC), clock)  # Wednesday evening
    assert not is_booster(sent, datetime(2026, 12, 3, 23, 30, tzinfo=UTC), clock)
    facts = dict(closed=False, archived=False, follow_ups_sent=0, max_follow_ups=1)
    assert clock_nudge_obsolete("follow_up", replied=True, **facts)
    assert not clock_nudge_obsolete("follow_up", replied=False, **facts)
    assert clock_nudge_obsolete("follow_up", replied=False, **{**facts, "follow_ups_sent": 1})
    assert clock_nudge_obsolete("close_silent", replied=False, **{**facts, "closed": True})
