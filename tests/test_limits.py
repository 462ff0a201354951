"""The flood throttle's rule (coaching.limits) with plain numbers: no clock, no Telegram, no timing.

The rule: at most 20 updates from one user in any 5 seconds; over it, dropped, and the first drop of a
spell says so. Times are seconds from an arbitrary start, as a monotonic clock would give them.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest
from telegram import Update

from bot.throttle import sender_of
from coaching import limits
from coaching.defaults import FLOOD_LIMIT, FLOOD_WINDOW_SECONDS
from coaching.limits import FloodGate, Verdict

ANA, BEN = 1001, 1002


def run(gate: FloodGate, user: int, times: list[float]) -> list[Verdict]:
    return [gate.check(user, t) for t in times]


def test_the_numbers_slow_thirty_in_five_seconds_and_not_a_fast_human() -> None:
    """The issue's example of a flood, 30 in 5 s, is over the limit; 3 a second, a fast tapper, is under it."""
    assert FLOOD_LIMIT == 20 and FLOOD_WINDOW_SECONDS == 5
    assert 30 > FLOOD_LIMIT and 3 * FLOOD_WINDOW_SECONDS < FLOOD_LIMIT


def test_a_burst_of_the_limit_passes_and_the_rest_is_dropped_with_one_notice() -> None:
    gate = FloodGate()
    verdicts = run(gate, ANA, [100.0] * 40)
    assert verdicts[:20] == [Verdict.ADMIT] * 20
    assert verdicts[20] is Verdict.TELL, "the first drop of a spell is told"
    assert verdicts[21:] == [Verdict.DROP] * 19, "the rest quietly: one notice, not one per update"


def test_another_user_is_not_affected_by_a_flood() -> None:
    gate = FloodGate()
    for step in range(200):
        gate.check(ANA, 100.0 + step * 0.01)  # Ana: 100 a second
        if step % 20 == 0:
            assert gate.check(BEN, 100.0 + step * 0.01) is Verdict.ADMIT


def test_thirty_in_five_seconds_evenly_is_slowed() -> None:
    gate = FloodGate()
    verdicts = run(gate, ANA, [i * 5 / 30 for i in range(30)])
    assert verdicts.count(Verdict.ADMIT) == 20
    assert verdicts.count(Verdict.TELL) == 1 and verdicts.count(Verdict.DROP) == 9


@pytest.mark.parametrize("per_second", [2, 3, 4])
def test_a_fast_human_is_never_slowed_even_for_ten_minutes(per_second: int) -> None:
    gate = FloodGate()
    times = [i / per_second for i in range(per_second * 600)]
    assert set(run(gate, ANA, times)) == {Verdict.ADMIT}


def test_quick_bursts_with_pauses_are_never_slowed() -> None:
    """Tapping through a flow: 8 taps in under a second, a pause to read, again, for two minutes."""
    gate = FloodGate()
    times = [burst * 3.0 + tap * 0.1 for burst in range(40) for tap in range(8)]
    assert set(run(gate, ANA, times)) == {Verdict.ADMIT}


def test_after_the_window_the_user_is_served_again_and_a_new_spell_is_told_again() -> None:
    gate = FloodGate()
    run(gate, ANA, [0.0] * 25)
    assert gate.check(ANA, 4.9) is Verdict.DROP, "still inside the window of the first 20"
    assert gate.check(ANA, 5.0) is Verdict.ADMIT, "the oldest of the 20 is a window old"
    run(gate, ANA, [20.0] * 20)
    assert gate.check(ANA, 20.0) is Verdict.TELL, "a new spell, after a quiet window: told again"


def test_a_steady_flood_is_served_at_the_limit_and_told_once() -> None:
    gate = FloodGate()
    verdicts = run(gate, ANA, [i / 100 for i in range(100 * 60)])  # 100 a second for a minute
    admitted = verdicts.count(Verdict.ADMIT)
    assert 20 * 12 <= admitted <= 20 * 12 + 20, "4 a second: 20 per 5-second window"
    assert verdicts.count(Verdict.TELL) == 1, "one notice for the whole spell"


def test_dropped_updates_do_not_count_against_the_user() -> None:
    """Only what is let through fills the window, so a flood is slowed, not shut out for good."""
    gate = FloodGate()
    run(gate, ANA, [0.0] * 20 + [1.0] * 500)
    assert gate.check(ANA, 5.0) is Verdict.ADMIT


def test_idle_users_are_forgotten() -> None:
    gate = FloodGate()
    for user in range(1000):
        gate.check(user, 0.0)
    assert gate.tracked() == 1000
    gate.check(ANA, 5.0)
    assert gate.tracked() == 1, "after a quiet window only the active user is remembered"


def test_a_forgotten_user_is_judged_as_before() -> None:
    """Forgetting after a quiet window changes no verdict: the state was that of a newcomer anyway."""
    keeping, forgetting = FloodGate(), FloodGate()
    times = [0.0] * 25 + [5.0] * 3 + [10.1] * 22 + [30.0] * 21
    for t in times:
        forgetting._sweep(t)
        assert keeping.check(ANA, t) is forgetting.check(ANA, t)


def test_memory_is_bounded_even_when_everyone_is_active() -> None:
    gate = FloodGate(max_users=100)
    for user in range(1000):
        assert gate.check(user, 1.0) is Verdict.ADMIT
        assert gate.tracked() <= 100


@pytest.mark.parametrize("kwargs", [{"limit": 0}, {"window": 0}, {"max_users": 0}])
def test_nonsense_numbers_are_refused(kwargs) -> None:
    with pytest.raises(ValueError):
        FloodGate(**kwargs)


def test_the_rule_is_pure() -> None:
    """No clock, no sleep, no I/O: the time is a parameter."""
    tree = ast.parse(Path(limits.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not imported & {"time", "asyncio", "datetime", "telegram", "threading"}


# Who an update counts for ---------------------------------------------------------------------------------

USER = {"id": ANA, "is_bot": False, "first_name": "Ana"}
PRIVATE = {"id": ANA, "type": "private", "first_name": "Ana"}
GROUP = {"id": -100, "type": "group", "title": "Study group"}
ids = itertools.count(1)


def update(**payload) -> Update:
    return Update.de_json({"update_id": next(ids), **payload}, None)


def message(chat: dict, sender: dict = USER) -> dict:
    return {"message_id": 1, "date": 0, "chat": chat, "from": sender, "text": "hi"}


def test_messages_and_buttons_count_for_their_sender_in_private_and_in_groups() -> None:
    assert sender_of(update(message=message(PRIVATE))) == ANA
    assert sender_of(update(message=message(GROUP))) == ANA
    assert sender_of(update(edited_message={**message(PRIVATE), "edit_date": 1})) == ANA
    query = {"id": "q1", "from": USER, "chat_instance": "c", "data": "x", "message": message(PRIVATE)}
    assert sender_of(update(callback_query=query)) == ANA


def test_block_and_unblock_are_never_throttled() -> None:
    bot = {"id": 1, "is_bot": True, "first_name": "InfoCoach"}
    member = {
        "chat": PRIVATE,
        "from": USER,
        "date": 0,
        "old_chat_member": {"status": "member", "user": bot},
        "new_chat_member": {"status": "kicked", "user": bot, "until_date": 0},
    }
    assert sender_of(update(my_chat_member=member)) is None
    anonymous_admin = {"id": 1087968824, "is_bot": True, "first_name": "Group"}
    assert sender_of(update(message=message(GROUP, anonymous_admin))) is None
    assert sender_of(object()) is None
