"""`infocoach chat` as a person uses it: a real process in a pseudo-terminal."""

from __future__ import annotations

import sys
from pathlib import Path

import pexpect

from bot.chat import user_for
from bot.terminal import inert, render_html

INFOCOACH = Path(sys.executable).with_name("infocoach")


def spawn_chat(tmp_path: Path, database_url: str, user: str = "Ana") -> pexpect.spawn:
    child = pexpect.spawn(
        str(INFOCOACH),
        ["chat", "--user", user, "--database", database_url],
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=30,
        dimensions=(50, 200),
    )
    child.expect("local chat as")
    return child


def say(child: pexpect.spawn, line: str, expect: str) -> None:
    child.sendline(line)
    child.expect(expect)


def test_onboarding_in_the_terminal_and_back(tmp_path: Path, database_url: str) -> None:
    child = spawn_chat(tmp_path, database_url)
    say(child, "/start", "What should I call you")
    child.expect(r"\[1\] Call me Ana")
    say(child, "1", "Which field")
    say(child, "Data science", "Which roles")
    say(child, "analyst", r"\[1\] Student")
    say(child, "2", "Which time zone")
    say(child, "Berlin", "How many")
    say(child, "2", "finish the sentence")
    say(child, "I love data", r"\[1\] \S+ Use this pitch")
    say(child, "1", "Your profile is ready")
    say(child, "/quit", "Bye")
    child.expect(pexpect.EOF)

    again = spawn_chat(tmp_path, database_url)
    say(again, "/profile", "Data science")
    again.expect(r"Keep it")
    again.sendeof()
    again.expect("Bye")
    again.expect(pexpect.EOF)


def test_user_text_is_inert(tmp_path: Path, database_url: str) -> None:
    child = spawn_chat(tmp_path, database_url, user="Mallory")
    say(child, "/start", "What should I call you")
    say(child, "Mallory", "Which field")
    say(child, "Security", "Which roles")
    say(child, "red team", "Student")
    say(child, "1", "Which time zone")
    child.sendline("\x1b[31mZZ <i>x</i> \x1b]0;pwned\x07")
    child.expect("couldn't match")
    child.expect("How many|time zone")
    output = child.before + child.after
    assert "[31mZZ <i>x</i>" in output, "the text is shown, its escape character cleaned at the door"
    assert "\x1b[31m" not in output and "\x07" not in output
    child.sendline("/quit")
    child.expect(pexpect.EOF)


def test_render_html_styles_and_escapes() -> None:
    assert render_html("<b>Hi</b> &lt;b&gt;") == "\x1b[1mHi\x1b[0m <b>"
    assert render_html('<a href="https://example.org">site</a>', color=False) == "site (https://example.org)"
    assert inert("a\x1b[2Jb\u202e") == "a\\x1b[2Jb\\u202e"


def test_user_names_map_to_stable_distinct_ids() -> None:
    assert user_for("Ana").id == user_for(" ana ").id
    assert user_for("Ana").id != user_for("Ben").id
