"""The shared rate limiter (bot/limiter.py): one budget for replies and reminders, replies first, and a
429 that pauses every send. The rules run on virtual time (a fake clock that sleeping moves), so nothing
here waits or depends on the machine's speed; the last tests go through the real bot and fake Bot API."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.dispatcher import Dispatcher
from bot.limiter import BULK, REPLY, SendRules, SharedLimiter, Window
from tests.conftest import ANA, BEN
from tests.driver import ChatDriver
from tests.test_data_e2e import onboard_as
from tests.test_nudges_e2e import factory_of, make_due


class VirtualTime:
    """A clock that only sleeping moves: asyncio.sleep(s) lets the others run, then sets the clock forward."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        target = self.now + seconds
        await asyncio.sleep(0)
        self.now = max(self.now, target)


@pytest.fixture
def vtime() -> VirtualTime:
    return VirtualTime()


def limiter_on(vtime: VirtualTime, **rates: Any) -> SharedLimiter:
    return SharedLimiter(clock=vtime, sleep=vtime.sleep, **rates)


class Recorder:
    """Stands in for the HTTP call: records (virtual time, label), raises the 429s it is told to."""

    def __init__(self, clock: VirtualTime) -> None:
        self.clock = clock
        self.calls: list[tuple[float, str]] = []
        self.refuse: dict[str, int] = {}  # label -> retry_after for its next call

    async def call(self, label: str) -> dict[str, Any]:
        self.calls.append((self.clock(), label))
        retry_after = self.refuse.pop(label, None)
        if retry_after is not None:
            raise RetryAfter(retry_after)
        return {"ok": label}


async def send(
    limiter: SharedLimiter, recorder: Recorder, label: str, chat_id: int | None = 1, rules: SendRules | None = None
) -> Any:
    data = {"chat_id": chat_id} if chat_id is not None else {}
    return await limiter.process_request(recorder.call, (label,), {}, "sendMessage", data, rules)


def most_in_any_window(times: list[float], period: float) -> int:
    return max(sum(1 for t in times if start <= t < start + period) for start in times)


def test_a_window_admits_its_limit_then_waits_for_the_oldest_to_leave() -> None:
    window = Window(3, 1.0)
    for moment in (0.0, 0.1, 0.2):
        assert window.wait(moment) == 0.0
        window.add(moment)
    assert window.wait(0.5) == pytest.approx(0.5)
    assert window.wait(1.0) == 0.0


async def test_no_second_holds_more_than_the_limit_even_the_first(vtime: VirtualTime) -> None:
    limiter = limiter_on(vtime, per_second=30)
    recorder = Recorder(vtime)
    await asyncio.gather(*(send(limiter, recorder, f"m{i}", chat_id=i + 1) for i in range(100)))
    times = [t for t, _ in recorder.calls]
    assert len(times) == 100
    assert most_in_any_window(times, 1.0) == 30, "at most 30 in any second, from a cold start"
    assert max(times) >= 3.0, "100 messages take at least three more seconds"


async def test_requests_without_a_chat_are_not_counted(vtime: VirtualTime) -> None:
    limiter = limiter_on(vtime, per_second=2)
    recorder = Recorder(vtime)
    await asyncio.gather(*(send(limiter, recorder, f"answer{i}", chat_id=None) for i in range(10)))
    assert {t for t, _ in recorder.calls} == {0.0}, "answering buttons is never held back"


async def test_a_group_gets_at_most_its_per_minute_limit(vtime: VirtualTime) -> None:
    limiter = limiter_on(vtime, per_second=30, per_group_minute=20)
    recorder = Recorder(vtime)
    await asyncio.gather(*(send(limiter, recorder, f"g{i}", chat_id=-100123) for i in range(25)))
    times = [t for t, _ in recorder.calls]
    assert most_in_any_window(times, 60.0) == 20
    assert max(times) >= 60.0


async def test_replies_go_before_waiting_reminders(vtime: VirtualTime) -> None:
    limiter = limiter_on(vtime, per_second=5)
    recorder = Recorder(vtime)
    reminders = [send(limiter, recorder, f"reminder{i}", chat_id=100 + i, rules=BULK) for i in range(20)]
    replies = [send(limiter, recorder, f"reply{i}", chat_id=200 + i) for i in range(5)]
    await asyncio.gather(*reminders, *replies)
    order = [label for _, label in recorder.calls]
    last_reply = max(i for i, label in enumerate(order) if label.startswith("reply"))
    assert last_reply <= 9, f"replies are not queued behind 20 reminders: {order}"


async def test_reminders_are_spread_evenly_and_leave_places_for_replies(vtime: VirtualTime) -> None:
    limiter = limiter_on(vtime, per_second=30)
    recorder = Recorder(vtime)
    await asyncio.gather(*(send(limiter, recorder, f"r{i}", chat_id=i + 1, rules=BULK) for i in range(90)))
    times = [t for t, _ in recorder.calls]
    assert most_in_any_window(times, 1.05) <= 28, "two places of every window stay free for replies"
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert min(gaps) == pytest.approx(1.05 / 28), "one at a time, evenly, not a window's worth at once"
    assert 90 / max(times) >= 25, "still Telegram's pace for a burst of reminders: 25-29 a second"


async def test_a_reply_in_the_middle_of_a_burst_goes_at_once(vtime: VirtualTime) -> None:
    limiter = limiter_on(vtime, per_second=30)
    recorder = Recorder(vtime)

    async def reply_later(at: float) -> float:
        while vtime() < at:
            await vtime.sleep(0.005)
        asked = vtime()
        await send(limiter, recorder, f"reply@{at}", chat_id=500)
        return asked

    burst = [send(limiter, recorder, f"r{i}", chat_id=i + 1, rules=BULK) for i in range(120)]
    *_, asked_first, asked_second = await asyncio.gather(*burst, reply_later(1.5), reply_later(2.53))
    sent = dict((label, t) for t, label in recorder.calls)
    assert sent["reply@1.5"] - asked_first < 0.01
    assert sent["reply@2.53"] - asked_second < 0.01


async def test_a_429_pauses_every_send_for_its_retry_after_and_the_reply_retries(vtime: VirtualTime) -> None:
    limiter = limiter_on(vtime, per_second=30)
    recorder = Recorder(vtime)
    recorder.refuse["first"] = 30
    first = asyncio.ensure_future(send(limiter, recorder, "first", chat_id=1))
    await asyncio.sleep(0)
    others = [send(limiter, recorder, f"other{i}", chat_id=10 + i) for i in range(5)]
    reminder = send(limiter, recorder, "reminder", chat_id=99, rules=BULK)
    results = await asyncio.gather(first, *others, reminder)
    assert results[0] == {"ok": "first"}, "the refused reply was tried again and went through"
    refused_at = next(t for t, label in recorder.calls if label == "first")
    after = [(t, label) for t, label in recorder.calls if t > refused_at or label != "first"]
    assert all(t >= refused_at + 30 for t, _ in after), f"nothing was sent during the pause: {recorder.calls}"
    assert [label for _, label in recorder.calls].count("first") == 2
    assert limiter.pauses == 1


async def test_a_reminder_refused_with_429_is_not_retried_here(vtime: VirtualTime) -> None:
    limiter = limiter_on(vtime)
    recorder = Recorder(vtime)
    recorder.refuse["reminder"] = 5
    with pytest.raises(RetryAfter):
        await send(limiter, recorder, "reminder", rules=BULK)
    await send(limiter, recorder, "reply", rules=REPLY)
    assert recorder.calls == [(0.0, "reminder"), (5.0, "reply")], "the next send still waits out the pause"


async def test_a_reply_gives_up_after_its_retries(vtime: VirtualTime) -> None:
    limiter = limiter_on(vtime)
    recorder = Recorder(vtime)

    async def always_429(label: str) -> dict[str, Any]:
        recorder.calls.append((vtime(), label))
        raise RetryAfter(2)

    with pytest.raises(RetryAfter):
        await limiter.process_request(always_429, ("reply",), {}, "sendMessage", {"chat_id": 1}, None)
    assert [t for t, _ in recorder.calls] == [0.0, 2.0, 4.0], "three tries, each after the pause: no hammering"


async def test_a_429_on_a_reply_holds_the_reminders_too(api, bot_app, ana: ChatDriver, ben: ChatDriver) -> None:
    """Through the real bot: Telegram refuses a reply to Ana with retry_after 1; Ben's reminder, due meanwhile,
    waits for the pause to end and goes after Ana's retried reply, never during the pause."""
    await onboard_as(ana, "Ana")
    await onboard_as(ben, "Ben")
    await make_due(bot_app, user_id=BEN.id)
    sends: list[tuple[float, int]] = []  # when each sendMessage reached the fake Bot API, and for whom
    handle = api.handle

    def stamped(token: str, method: str, raw: dict[str, Any], files: dict[str, Any]) -> Any:
        if method == "sendMessage":
            sends.append((time.monotonic(), int(raw["chat_id"])))
        return handle(token, method, raw, files)

    api.handle = stamped
    api.fail_next("sendMessage", error_code=429, description="Too Many Requests: retry after 1", retry_after=1)
    reply = asyncio.create_task(ana.send("/today"))
    while not sends:
        await asyncio.sleep(0.01)
    sent = await Dispatcher(factory_of(bot_app), per_chat_interval=0).run_once(bot_app.bot)
    await reply
    assert sent == 1
    # Both wait out the pause; the reply takes its place first, though the two requests may then cross on the wire.
    assert sorted(chat for _, chat in sends) == [ANA.id, ANA.id, BEN.id], sends
    refused_at = sends[0][0]
    assert all(at >= refused_at + 1 for at, _ in sends[1:]), "nothing, the reminder included, went during the pause"
    assert bot_app.bot.rate_limiter.pauses == 1


async def test_after_a_429_the_rate_is_cut_then_grows_back(vtime: VirtualTime) -> None:
    """Telegram allows less than the settings say: after its 429 the bot sends fewer a second, and only
    slowly climbs back to the configured rate while no 429 comes."""
    limiter = limiter_on(vtime, per_second=20)
    recorder = Recorder(vtime)
    recorder.refuse["m0"] = 1
    await asyncio.gather(
        *(send(limiter, recorder, f"m{i}", chat_id=i + 1, rules=BULK) for i in range(1)), return_exceptions=True
    )
    assert vtime() == 0.0 and limiter.pauses == 1
    await asyncio.gather(*(send(limiter, recorder, f"a{i}", chat_id=100 + i) for i in range(60)))
    after = [t for t, label in recorder.calls if label.startswith("a")]
    assert min(after) >= 1.0, "nothing before the pause ends"
    assert most_in_any_window(after, 1.0) == 15, "a quarter fewer a second than the configured 20"
    vtime.now += 60  # a calm minute: six steps back up
    start = vtime.now
    await asyncio.gather(*(send(limiter, recorder, f"b{i}", chat_id=200 + i) for i in range(40)))
    later = [t for t, label in recorder.calls if label.startswith("b") and t < start + 1]
    assert len(later) == 20, "six steps of one a second: back to the configured 20, never above it"
