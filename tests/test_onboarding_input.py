"""Bad input, /help, /cancel, /start on a known user, and things the bot doesn't understand."""

from __future__ import annotations

import pytest

from tests.driver import ChatDriver
from tests.test_onboarding_e2e import onboard


async def reach_time_zone_question(chat: ChatDriver) -> None:
    await chat.send_all("/start", "Ana", "Data science", "analyst")
    await chat.press("Student")


async def test_bad_names_are_reasked(ana: ChatDriver) -> None:
    await ana.send("/start")
    for bad in ("<b>Ana</b>", "🙂🙂🙂", "x" * 5000):
        replies = await ana.send(bad)
        assert len(replies) == 1
        assert "What should I call you?" not in replies[0].text
        assert "Which field" not in ana.last_text()
    assert "plain text" in (await ana.send("<b>Ana</b>"))[0].text
    await ana.send("Ana-María")
    assert "Which field" in ana.last_text()


@pytest.mark.parametrize("bad", ["-5", "a million", "0", "lots"])
async def test_bad_goals_are_reasked(ana: ChatDriver, bad: str) -> None:
    await reach_time_zone_question(ana)
    await ana.send("UTC+2")
    replies = await ana.send(bad)
    assert "Pick at most" in replies[0].text or "at least 1" in replies[0].text or "number" in replies[0].text
    await ana.send("6 per month")
    assert "finish the sentence" in ana.last_text()


async def test_time_zone_forgiving_and_reask(ana: ChatDriver, api) -> None:
    await reach_time_zone_question(ana)
    unknown = (await ana.send("Qwxzy"))[0]
    assert "couldn't match" in unknown.text and not unknown.buttons
    suggestion = (await ana.send("Berln"))[0]
    assert suggestion.button_labels() == ["Europe/Berlin"]
    await ana.press("Europe/Berlin")
    assert "Europe/Berlin" in ana.messages()[-2].text
    assert "How many" in ana.last_text()


async def test_time_zone_from_shared_location(ana: ChatDriver) -> None:
    await reach_time_zone_question(ana)
    replies = await ana.send_content("location", location={"latitude": 19.43, "longitude": -99.13})
    assert "America/Mexico_City" in replies[0].text


async def test_sticker_where_text_expected(ana: ChatDriver) -> None:
    await ana.send("/start")
    sticker = {
        "file_id": "s1",
        "file_unique_id": "u1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
    replies = await ana.send_content("sticker", sticker=sticker)
    assert "only read text" in replies[0].text
    assert "What should I call you?" in ana.last_text()


async def test_html_in_answers_is_shown_escaped(ana: ChatDriver) -> None:
    await ana.send("/start")
    await ana.send("Ana")
    assert "plain text" in (await ana.send("<i>R&D</i>"))[0].text
    await ana.send("R&D at Acme & co <3")
    await ana.send("engineer")
    await ana.press("Something else")
    await ana.send("UTC")
    await ana.press("1 a week")
    await ana.send("I like tinkering & building")
    assert "R&D at Acme & co <3" in ana.last_text()
    assert "R&amp;D at Acme &amp; co &lt;3" in ana.last().html
    await ana.press("Use this pitch")
    assert "R&D at Acme & co <3" in ana.last_text()


async def test_cancel_from_a_step_says_what_was_kept(ana: ChatDriver) -> None:
    replies = await ana.send_all("/start", "Ana", "Data science", "/cancel")
    assert "name, field" in replies[-1].text
    assert "Which roles" not in ana.last_text()
    replies = await ana.send("hello?")
    assert "/start" in replies[0].text
    replies = await ana.send("/cancel")
    assert "nothing to cancel" in replies[0].text.lower()


async def test_cancel_before_any_answer(ana: ChatDriver) -> None:
    await ana.send("/start")
    assert "Nothing was saved yet" in (await ana.send("/cancel"))[0].text


async def test_help_inside_and_outside_the_flow(ana: ChatDriver) -> None:
    outside = await ana.send("/help")
    assert "/profile" in outside[0].text and "/cancel" in outside[0].text
    await ana.send("/start")
    inside = await ana.send("/help")
    assert "middle of setting up" in inside[0].text
    await ana.send("Ana")
    assert "Which field" in ana.last_text()


async def test_unknown_command_and_text(ana: ChatDriver) -> None:
    assert "don't know that command" in (await ana.send("/frobnicate"))[0].text
    await onboard(ana)
    assert "/profile" in (await ana.send("what now?"))[0].text


async def test_start_again_never_wipes_the_profile(ana: ChatDriver) -> None:
    await onboard(ana)
    replies = await ana.send("/start")
    assert "Europe/Berlin" in replies[0].text
    await ana.press("Keep it")
    assert "stays as it is" in ana.last_text()
    await ana.send("/profile")
    await ana.press("Edit a detail")
    await ana.press("Time zone")
    await ana.send("Asia/Kolkata")
    assert "Asia/Kolkata" in ana.last_text() and "UX design in healthcare" in ana.last_text()


async def test_redo_offers_keep_buttons(ana: ChatDriver) -> None:
    await onboard(ana)
    await ana.send("/start")
    await ana.press("Go through all questions")
    await ana.press("Keep: Ana")
    await ana.send("Product management")
    await ana.press("Keep: product designer")
    await ana.press("Keep: Changing careers")
    await ana.send("Europe/Berlin")
    await ana.press("Keep: 2 conversations")
    await ana.press("Keep: I want to see")
    await ana.press("Keep my current pitch")
    assert "Product management" in ana.last_text()
    assert "I'm changing careers and looking closely at UX design" in ana.last_text()


async def test_partial_profile_offers_to_continue(ana: ChatDriver) -> None:
    replies = await ana.send_all("/start", "Ana", "/cancel", "/start")
    assert "1 of 8" in replies[0].text
    await ana.press("Continue")
    assert "Which field" in ana.last_text()


async def test_old_buttons_answer_politely(ana: ChatDriver) -> None:
    await ana.send_all("/start", "Ana", "Data", "analyst")
    stage_question = ana.last()
    await ana.press("Student")
    replies = await ana.press_data("ob:v:stage:student", stage_question)
    assert "time zone" in ana.last_text().lower()
    assert all("Where are you" not in m.text for m in replies if m.edits == 0)


async def test_two_users_are_separate(ana: ChatDriver, ben: ChatDriver) -> None:
    await ana.send("/start")
    await ana.send("Ana")
    await ben.send("/start")
    assert "What should I call you?" in ben.last_text()
    await ana.send("Biology")
    assert "Which roles" in ana.last_text()
