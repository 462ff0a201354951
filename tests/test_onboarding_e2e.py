"""Onboarding end to end: the real application, polling the strict local Bot API, on a real database."""

from __future__ import annotations

from tests.driver import ChatDriver


async def onboard(chat: ChatDriver) -> None:
    await chat.send("/start")
    await chat.press("Call me Ana")
    await chat.send("UX design in healthcare")
    await chat.send("product designer, UX researcher")
    await chat.press("Changing careers")
    await chat.send("Berlin")
    await chat.press("2 a week")
    await chat.send("I want to see how research shapes real product decisions")
    await chat.press("Use this pitch")


async def test_start_to_summary(ana: ChatDriver) -> None:
    replies = await ana.send("/start")
    assert "Welcome to InfoCoach" in replies[0].text
    assert "What should I call you?" in ana.last_text()
    await ana.press("Call me Ana")
    assert "Which field" in ana.last_text()
    await ana.send("UX design in healthcare")
    await ana.send("product designer, UX researcher")
    assert ana.last().button_labels()[:2] == ["Student", "Recent graduate"]
    await ana.press("Changing careers")
    assert ana.last().reply_keyboard, "time zone question offers location sharing"
    replies = await ana.send("Berlin")
    assert "Europe/Berlin" in replies[0].text
    await ana.press("2 a week")
    await ana.send("I want to see how research shapes real product decisions")
    assert "Hi, I'm Ana. I'm changing careers" in ana.last_text()
    await ana.press("Use this pitch")
    done = ana.last_text()
    assert "Your profile is ready" in done
    for expected in ("UX design in healthcare", "Changing careers", "Europe/Berlin", "2 conversations a week"):
        assert expected in done
    ana.print_transcript()


async def test_commands_menu_is_set(api, bot_app) -> None:
    names = [command["command"] for command in api.commands]
    assert names == [
        "start",
        "profile",
        "find",
        "add",
        "contacts",
        "employers",
        "draft",
        "review",
        "meeting",
        "prep",
        "reflect",
        "insights",
        "today",
        "settings",
        "export",
        "delete_me",
        "privacy",
        "help",
        "cancel",
    ]
