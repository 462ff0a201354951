"""The local Bot API's benchmark knobs: Telegram's flood limits (429 with retry_after) and a round-trip delay."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from telegram import Bot
from telegram.error import RetryAfter

from bot.limiter import retry_after_seconds
from bot.local_api import Limits, LocalBotApi, TelegramUser
from tests.conftest import TOKEN

USERS = [TelegramUser(id=i, first_name=f"U{i}") for i in range(1, 11)]


def started(**options) -> LocalBotApi:
    api = LocalBotApi(TOKEN, **options).start()
    for user in USERS:
        api.chats[user.id] = user
    return api


def call(api: LocalBotApi, method: str, **params) -> dict:
    return httpx.post(f"{api.base_url}{TOKEN}/{method}", json=params).json()


def send(api: LocalBotApi, chat_id: int, text: str = "hi") -> dict:
    return call(api, "sendMessage", chat_id=chat_id, text=text)


@pytest.fixture
def limited():
    api = started(limits=Limits(per_second=5, per_chat=1, chat_period=1.0))
    yield api
    api.stop()


def test_a_burst_over_the_bots_limit_gets_429_with_retry_after(limited: LocalBotApi) -> None:
    answers = [send(limited, chat_id) for chat_id in range(1, 7)]  # six chats, a limit of five a second
    assert [a["ok"] for a in answers] == [True] * 5 + [False]
    refused = answers[-1]
    assert refused["error_code"] == 429 and refused["description"].startswith("Too Many Requests: retry after")
    assert refused["parameters"]["retry_after"] == 1, "whole seconds, at least one"
    assert limited.chat_messages(6) == [], "a refused call has no effect"
    assert (limited.sends_attempted, limited.sends_refused, limited.sends_refused_in_chat) == (6, 1, 0)


def test_one_chat_gets_one_message_a_second_edits_included(limited: LocalBotApi) -> None:
    first = send(limited, 1)
    assert first["ok"]
    edit = call(limited, "editMessageText", chat_id=1, message_id=first["result"]["message_id"], text="edited")
    assert edit["error_code"] == 429 and edit["parameters"]["retry_after"] >= 1
    assert send(limited, 2)["ok"], "another chat is not held back"
    assert call(limited, "sendChatAction", chat_id=1, action="typing")["ok"], "only sending methods count"
    assert (limited.sends_attempted, limited.sends_refused, limited.sends_refused_in_chat) == (3, 1, 1)


def test_retry_after_rounds_the_wait_up_to_whole_seconds() -> None:
    api = started(limits=Limits(per_second=30, per_chat=1, chat_period=2.5))
    try:
        assert send(api, 1)["ok"]
        assert send(api, 1)["parameters"]["retry_after"] == 3
    finally:
        api.stop()


def test_without_limits_nothing_is_refused_but_sends_are_counted() -> None:
    api = started()
    try:
        assert all(send(api, 1)["ok"] for _ in range(40))
        assert (api.sends_attempted, api.sends_refused) == (40, 0)
        assert api.cpu_seconds > 0, "the server's own CPU time is measured"
    finally:
        api.stop()


async def test_python_telegram_bot_sees_retry_after(limited: LocalBotApi) -> None:
    async with Bot(TOKEN, base_url=limited.base_url) as bot:
        await bot.send_message(1, "first")
        with pytest.raises(RetryAfter) as refused:
            await bot.send_message(1, "second")
    assert retry_after_seconds(refused.value) == 1


async def test_with_latency_overlapping_calls_take_one_delay_not_two() -> None:
    delay = 0.4
    api = started(latency=delay)
    try:
        async with httpx.AsyncClient() as client:

            async def timed_send(chat_id: int) -> tuple[float, float]:
                start = time.monotonic()
                answer = await client.post(f"{api.base_url}{TOKEN}/sendMessage", json={"chat_id": chat_id, "text": "x"})
                assert answer.json()["ok"]
                return start, time.monotonic()

            began = time.monotonic()
            (start_a, end_a), (start_b, end_b) = await asyncio.gather(timed_send(1), timed_send(2))
            both = time.monotonic() - began
        effects = [event.at for event in api.events]
        assert len(effects) == 2
        # Each call took effect after it was sent and before either answer came back: they overlapped.
        assert max(start_a, start_b) < min(effects) and max(effects) < min(end_a, end_b)
        assert end_a - start_a >= delay and end_b - start_b >= delay, "the delay applies to every call"
        assert both < 1.8 * delay, "two concurrent calls take about one delay, not two"
    finally:
        api.stop()


def test_get_updates_is_not_delayed_and_latency_can_be_set_later() -> None:
    api = started()
    try:
        api.latency = 0.5
        api.send_from(USERS[0], "hello")
        start = time.monotonic()
        updates = call(api, "getUpdates", timeout=0)["result"]
        assert [u["message"]["text"] for u in updates] == ["hello"]
        assert time.monotonic() - start < 0.5, "long polling is not a round trip to delay"
        start = time.monotonic()
        assert call(api, "getMe")["ok"]
        assert time.monotonic() - start >= 0.5
    finally:
        api.stop()


def test_forget_drops_the_record_but_not_the_chats() -> None:
    api = started()
    try:
        send(api, 1)
        api.forget()
        assert (api.requests, api.events, api.chat_messages(1)) == ([], [], [])
        assert send(api, 1)["ok"] and len(api.chat_messages(1)) == 1
    finally:
        api.stop()
