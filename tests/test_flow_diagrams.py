"""docs/flows.md: every conversation drawn as a Mermaid state diagram from its handlers (handlers.diagrams).

The committed file must match what the generator prints, and each diagram must make sense: every state
drawn, a way in and a way out. A tiny flow built here shows that the diagrams follow the code.
"""

from __future__ import annotations

import re
import warnings
from enum import StrEnum
from pathlib import Path

import pytest
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters
from telegram.warnings import PTBUserWarning

from handlers import diagrams
from handlers.flowgraph import leads_to

DOC = Path(__file__).resolve().parent.parent / diagrams.DOC
TRANSITION = re.compile(r"^    (?P<source>\[\*\]|\w+) --> (?P<target>\[\*\]|\w+) : (?P<label>.+)$")
DECLARATION = re.compile(r'^    (?:(?P<plain>\w+)|state "(?P<shown>[^"\n]*)" as (?P<ident>\w+))$')


def parse(diagram: str) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """The declared states (shown name -> id) and the transitions (source, target, label) of a diagram."""
    lines = diagram.splitlines()
    assert lines[0] == "stateDiagram-v2"
    declared: dict[str, str] = {}
    transitions: list[tuple[str, str, str]] = []
    for line in lines[1:]:
        if match := TRANSITION.match(line):
            label = match["label"]
            assert not re.search(r"[:;#%<>]", re.sub(r"#\d+;", "", label)), f"unescaped label: {line!r}"
            transitions.append((match["source"], match["target"], label))
        elif match := DECLARATION.match(line):
            shown = re.sub(r"#(\d+);", lambda code: chr(int(code[1])), match["shown"] or match["plain"])
            declared[shown] = match["ident"] or match["plain"]
        else:
            pytest.fail(f"not a line of a Mermaid state diagram: {line!r}")
    return declared, transitions


@pytest.fixture(scope="module")
def conversations() -> list[ConversationHandler]:
    return diagrams.build_conversations()


def test_docs_flows_md_is_up_to_date(conversations: list[ConversationHandler]) -> None:
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    assert current == diagrams.markdown(conversations), (
        f"{diagrams.DOC} is out of date with the handlers: regenerate it with `{diagrams.REGENERATE}`"
    )


def test_every_conversation_has_its_diagram(conversations: list[ConversationHandler]) -> None:
    names = [conversation.name for conversation in conversations]
    assert {"settings", "onboarding", "find", "add_contact", "contact_edit", "drafts"} <= set(names)
    headings = re.findall(r"^## (.+)$", diagrams.markdown(conversations), flags=re.MULTILINE)
    assert headings == names
    assert diagrams.markdown(conversations).count("```mermaid\nstateDiagram-v2\n") == len(names)


def test_each_diagram_draws_every_state_with_a_way_in_and_a_way_out(conversations: list[ConversationHandler]) -> None:
    problems = []
    for conversation in conversations:
        declared, transitions = parse(diagrams.flow_diagram(conversation, diagrams.step_table(conversation.name)))
        problems += [f"{conversation.name}: {problem}" for problem in _problems(conversation, declared, transitions)]
    assert not problems, (
        "\n".join(problems) + "\nReturn the next state from the callback, or mark the callback "
        "with @leads_to(...) from handlers/flowgraph.py where it can't be read."
    )


def _problems(
    conversation: ConversationHandler, declared: dict[str, str], transitions: list[tuple[str, str, str]]
) -> list[str]:
    states = [
        str(getattr(state, "value", state))
        for state in conversation.states
        if state not in (ConversationHandler.TIMEOUT, ConversationHandler.WAITING)
    ]
    problems = [f"state {state!r} is not in the diagram" for state in states if state not in declared]
    drawn = {end for source, target, _ in transitions for end in (source, target)}
    problems += [f"state {state!r} has no transition" for state in states if declared.get(state) not in drawn]
    if not any(source == "[*]" for source, _, _ in transitions):
        problems.append("no way in ([*] --> a state)")
    reached = _reachable(transitions)
    if "[*]" not in reached:
        problems.append("no way from a way in to the end ([*])")
    problems += [
        f"state {state!r} can't be reached from a way in"
        for state in states
        if state in declared and declared[state] not in reached
    ]
    return problems


def _reachable(transitions: list[tuple[str, str, str]]) -> set[str]:
    """What can be reached from the entry points; fallbacks (any step) leave from every state reached."""
    following: dict[str, set[str]] = {}
    for source, target, _ in transitions:
        following.setdefault(source, set()).add(target)
    reached: set[str] = set()
    pending = list(following.get("[*]", ()))
    while pending:
        state = pending.pop()
        if state in reached:
            continue
        reached.add(state)
        if state != "[*]":
            pending += following.get(state, set()) | following.get(diagrams.ANY_STEP, set())
    return reached


# A tiny flow: the diagram follows its code ------------------------------------------------------------


class Tiny(StrEnum):
    ASK = "tiny_ask"
    CONFIRM = "tiny_confirm"


async def begin(update, context) -> str:
    return Tiny.ASK


async def on_answer(update, context) -> str | None:
    if not update.message.text.strip():
        return None  # stays: asks again
    return Tiny.CONFIRM


async def on_confirm(update, context) -> int:
    return ConversationHandler.END


async def back_to_ask(update, context) -> str:
    return Tiny.ASK


async def cancel(update, context) -> int:
    return ConversationHandler.END


def tiny_flow(confirm=on_confirm) -> ConversationHandler:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=PTBUserWarning)
        return ConversationHandler(
            name="tiny",
            entry_points=[CommandHandler("tiny", begin)],
            states={
                Tiny.ASK: [MessageHandler(filters.TEXT & ~filters.COMMAND, on_answer)],
                Tiny.CONFIRM: [CallbackQueryHandler(confirm, pattern=r"^tn:(yes|no)$")],
            },
            fallbacks=[CommandHandler("cancel", cancel)],
        )


def test_a_tiny_flow_is_drawn_from_its_callbacks() -> None:
    declared, transitions = parse(diagrams.flow_diagram(tiny_flow()))
    assert declared == {"tiny_ask": "tiny_ask", "tiny_confirm": "tiny_confirm", "any step": "any_step"}
    assert transitions == [
        ("[*]", "tiny_ask", "/tiny"),
        ("tiny_ask", "tiny_confirm", "type text"),
        ("tiny_confirm", "[*]", "tap tn#58;(yes|no)"),
        ("any_step", "[*]", "/cancel"),
    ]


def test_the_diagram_changes_with_the_flow(tmp_path: Path) -> None:
    before, after = diagrams.flow_diagram(tiny_flow()), diagrams.flow_diagram(tiny_flow(confirm=back_to_ask))
    assert "tiny_confirm --> [*] : tap tn#58;(yes|no)" in before
    assert "tiny_confirm --> [*]" not in after
    assert "tiny_confirm --> tiny_ask : tap tn#58;(yes|no)" in after
    assert diagrams.markdown([tiny_flow()]) != diagrams.markdown([tiny_flow(confirm=back_to_ask)])


def test_check_exits_1_when_the_file_is_out_of_date(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    flows = tmp_path / "flows.md"
    flows.write_text(diagrams.markdown(diagrams.build_conversations()), encoding="utf-8")
    assert diagrams.main(["--check", str(flows)]) == 0
    flows.write_text(flows.read_text(encoding="utf-8").replace(" --> [*]", " --> somewhere_else", 1), encoding="utf-8")
    assert diagrams.main(["--check", str(flows)]) == 1
    assert diagrams.REGENERATE in capsys.readouterr().err
    assert diagrams.main(["--check", str(tmp_path / "missing.md")]) == 1


# Reading callbacks: marks, helpers, closures, and what can't be read ------------------------------------


def _ask(state: Tiny, note: str = "") -> str:
    return state.value


def _then(following: Tiny | None):
    async def callback(update, context) -> str | int:
        if following is None:
            return ConversationHandler.END
        return _ask(following)

    return callback


@leads_to(Tiny.CONFIRM)
async def marked(update, context) -> str:
    return context.user_data["next"]


async def any_member(update, context) -> str:
    return Tiny(update.callback_query.data)


async def unreadable(update, context) -> str:
    return context.user_data.get("next") + "?"


class Handle:
    async def __call__(self, update, context) -> str:
        return Tiny.ASK


def test_returns_are_read_through_helpers_closures_and_marks() -> None:
    assert diagrams.returns_of(_then(Tiny.CONFIRM)) == ["tiny_confirm"]  # the helper's argument, bound
    assert diagrams.returns_of(_then(None)) == [ConversationHandler.END]  # the branch that can't run is skipped
    assert diagrams.returns_of(marked) == [Tiny.CONFIRM]  # the mark wins over the code
    assert diagrams.returns_of(any_member) == list(Tiny)  # Tiny(data): any of its members
    assert diagrams.returns_of(on_answer) == [None, Tiny.CONFIRM]


@pytest.mark.parametrize("callback", [unreadable, Handle(), print, len, lambda update, context: 1 / 0, None])
def test_what_cant_be_read_is_skipped_not_fatal(callback) -> None:
    assert diagrams.returns_of(callback) in ([], [None])
    assert diagrams._targets(callback, {Tiny.ASK: "tiny_ask"}) == []


@pytest.mark.parametrize(
    ("pattern", "label"),
    [
        (r"^st:back$", "st:back"),
        (r"^st:q:\d{1,2}-\d{1,2}$", "st:q:..."),
        (r"^fd:(next|emp)$", "fd:(next|emp)"),
        (r"^ad:(keep|drop:\d{1,12})$", "ad:(keep|drop:...)"),
        (r"^ob:rev:", "ob:rev:..."),
    ],
)
def test_button_patterns_read_as_their_prefix(pattern: str, label: str) -> None:
    assert diagrams.pattern_label(pattern) == label


def test_message_filters_read_as_what_the_user_sends() -> None:
    assert diagrams.filter_label(filters.TEXT & ~filters.COMMAND) == "type text"
    assert diagrams.filter_label(filters.LOCATION) == "share a location"
    assert diagrams.filter_label(~filters.COMMAND) == "send anything"
