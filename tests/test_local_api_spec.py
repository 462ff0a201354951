"""The local Bot API refuses what Telegram refuses."""

from __future__ import annotations

import json

import httpx
import pytest

from bot.local_api import LocalBotApi, TelegramUser
from bot.local_api.spec import check_request, parse_html
from tests.conftest import TOKEN


def markup(*buttons: dict) -> str:
    return json.dumps({"inline_keyboard": [list(buttons)]})


@pytest.mark.parametrize(
    ("method", "params", "problem"),
    [
        ("sendMessage", {"chat_id": "1", "text": "hi", "colour": "red"}, "unknown parameter"),
        ("sendMessage", {"chat_id": "1"}, "missing required"),
        ("sendMessage", {"chat_id": "1", "text": "x" * 4097}, "too long"),
        ("sendMessage", {"chat_id": "1", "text": ""}, "empty"),
        ("sendMessage", {"chat_id": "1", "text": "<b>bold", "parse_mode": "HTML"}, "end tag"),
        ("sendMessage", {"chat_id": "1", "text": "a < b", "parse_mode": "HTML"}, "unescaped"),
        ("sendMessage", {"chat_id": "1", "text": "<div>x</div>", "parse_mode": "HTML"}, "unsupported"),
        (
            "sendMessage",
            {"chat_id": "1", "text": "hi", "reply_markup": markup({"text": "a", "callback_data": "x" * 65})},
            "BUTTON_DATA_INVALID",
        ),
        (
            "sendMessage",
            {"chat_id": "1", "text": "hi", "reply_markup": markup({"text": "a", "callbak": "x"})},
            "unknown field",
        ),
        ("setMyCommands", {"commands": json.dumps([{"command": "Start", "description": "go"}])}, "BOT_COMMAND_INVALID"),
        ("sendTelepathy", {"chat_id": "1"}, "does not exist"),
    ],
)
def test_rejections(method: str, params: dict, problem: str) -> None:
    _, errors = check_request(method, params)
    assert any(problem in error for error in errors), errors


def test_valid_request_passes() -> None:
    params, errors = check_request(
        "sendMessage",
        {
            "chat_id": "1",
            "text": "<b>Hi</b> &amp; 👋",
            "parse_mode": "HTML",
            "reply_markup": markup({"text": "Go", "callback_data": "x" * 64}),
        },
    )
    assert errors == []
    assert params["chat_id"] == 1 and params["reply_markup"]["inline_keyboard"][0][0]["text"] == "Go"


def test_length_counts_after_entities() -> None:
    text = "<b>" + "x" * 4096 + "</b>"
    assert check_request("sendMessage", {"chat_id": "1", "text": text, "parse_mode": "HTML"})[1] == []
    assert parse_html("&lt;b&gt; &quot;q&quot;") == '<b> "q"'


def test_server_answers_like_telegram() -> None:
    user = TelegramUser(5, "Eve")
    with LocalBotApi(TOKEN) as api:
        api.send_from(user, "hello")
        url = f"{api.base_url}{TOKEN}"
        bad = httpx.post(f"{url}/sendMessage", data={"chat_id": "5", "text": "x" * 5000}).json()
        assert bad["ok"] is False and bad["error_code"] == 400
        assert api.violations, "the violation is recorded so the test using it fails"
        assert httpx.post(f"{api.base_url}0:wrong/getMe").json()["error_code"] == 401
        ok = httpx.post(f"{url}/sendMessage", data={"chat_id": "5", "text": "<i>hi</i>", "parse_mode": "HTML"}).json()
        assert ok["ok"] and ok["result"]["entities"] == [{"type": "italic", "offset": 0, "length": 2}]
        updates = httpx.post(f"{url}/getUpdates", data={"timeout": "0"}).json()["result"]
        assert updates[0]["message"]["text"] == "hello"
        again = httpx.post(f"{url}/getUpdates", data={"offset": str(updates[0]["update_id"] + 1)}).json()
        assert again["result"] == []
        api.violations.clear()
