"""Each conversation's states and transitions as a Mermaid state diagram, drawn from the handlers.

    .venv/bin/python -m handlers.diagrams > docs/flows.md        # regenerate docs/flows.md
    .venv/bin/python -m handlers.diagrams --check docs/flows.md  # exit 1 when it is out of date

The conversations are built as the app builds them (``handlers.register`` with a recorder in place of
the Application, which is never started). A transition is drawn for each handler whose callback can
move the user on: from the callback's ``@leads_to(...)`` mark (handlers.flowgraph) if it has one, else
from its ``return`` statements, read with ``ast`` and resolved through the function's arguments, closure
and globals, following the calls it returns (``return await _ask(update, State.ROLE)``). What can't be
resolved is left out, never guessed; returning None (stay in the state) draws nothing. Fallbacks
(/cancel, ...) are drawn from one "any step" box, and onboarding's steps, a table
(coaching.profile.STEP_ORDER), each lead to the next.
"""

from __future__ import annotations

import argparse
import ast
import enum
import functools
import importlib
import inspect
import linecache
import operator
import re
import sys
import types
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import timedelta
from pathlib import Path

from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from handlers.common import FLOW_TIMEOUT

try:  # Python 3.11+: the regular expression parser, used to turn a button pattern into a readable label
    from re import _constants as _sre
    from re import _parser as _sre_parser
except ImportError:  # pragma: no cover
    _sre = _sre_parser = None

ROOT = Path(__file__).resolve().parent.parent
DOC = "docs/flows.md"
REGENERATE = f".venv/bin/python -m handlers.diagrams > {DOC}"
END = "[*]"  # Mermaid's start and end pseudo-state
ANY_STEP = "any_step"
MAX_DEPTH = 8  # how deep returned calls are followed
# Flows whose states are the rows of a step table: (module, attribute) of the table, in order.
STEP_TABLES = {"onboarding": ("coaching.profile", "STEP_ORDER")}
_SPECIAL_STATES = (ConversationHandler.TIMEOUT, ConversationHandler.WAITING)


# The conversations, as handlers.register builds them ------------------------------------------------------


class _Recorder:
    """Stands in for the Application in ``handlers.register``: keeps the handlers, starts nothing."""

    def __init__(self) -> None:
        self.handlers: list[BaseHandler] = []

    def add_handler(self, handler: BaseHandler, group: int = 0) -> None:
        self.handlers.append(handler)

    def add_handlers(self, handlers, group: int = 0) -> None:
        groups = handlers.values() if isinstance(handlers, dict) else [handlers]
        for batch in groups:
            self.handlers.extend(batch)

    def add_error_handler(self, callback, block: bool = True) -> None:
        pass


def build_conversations() -> list[ConversationHandler]:
    """Every ConversationHandler the app registers, in the order it registers them."""
    from handlers import register

    app = _Recorder()
    register(app)
    return [handler for handler in app.handlers if isinstance(handler, ConversationHandler)]


def step_table(name: str | None) -> tuple | None:
    """The step table a flow's states follow, if it has one (and it can still be found)."""
    where = STEP_TABLES.get(name or "")
    if where is None:
        return None
    try:
        return tuple(getattr(importlib.import_module(where[0]), where[1]))
    except (ImportError, AttributeError, TypeError):
        return None


# Reading a callback: where can it lead? ------------------------------------------------------------------


def _ours(func: Callable) -> bool:
    """True for functions of this project (not the standard library's or a dependency's)."""
    try:
        path = Path(inspect.getsourcefile(func) or "").resolve()
        parts = path.relative_to(ROOT).parts
    except (TypeError, ValueError, OSError):
        return False
    return bool(parts) and not parts[0].startswith(".") and "site-packages" not in parts


@functools.cache
def _definitions(filename: str) -> dict[tuple[int, str], list[ast.AST]]:
    """The functions and lambdas of a source file, by (first line, name); decorators count as the first line."""
    try:
        tree = ast.parse("".join(linecache.getlines(filename)))
    except (SyntaxError, ValueError):
        return {}
    found: dict[tuple[int, str], list[ast.AST]] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
            found.setdefault((first, node.name), []).append(node)
        elif isinstance(node, ast.Lambda):
            found.setdefault((node.lineno, "<lambda>"), []).append(node)
    return found


def _source_node(func: types.FunctionType) -> ast.AST | None:
    code = func.__code__
    try:
        filename = inspect.getsourcefile(func)
    except TypeError:
        return None
    if not filename:
        return None
    candidates = _definitions(filename).get((code.co_firstlineno, code.co_name), [])
    if len(candidates) > 1 and code.co_name == "<lambda>":  # several lambdas on one line: match by column
        positions = {(line, column) for line, _, column, _ in code.co_positions()}
        candidates = [c for c in candidates if (c.body.lineno, c.body.col_offset) in positions] or candidates
    return candidates[0] if candidates else None


def _marked(func: object) -> tuple | None:
    marked = getattr(func, "leads_to", None)
    return tuple(marked) if isinstance(marked, (tuple, list)) else None


def _dedupe(values: Iterable[object]) -> list[object]:
    out: list[object] = []
    for value in values:
        if not any(value is seen or (type(value) is type(seen) and _equal(value, seen)) for seen in out):
            out.append(value)
    return out


def _equal(a: object, b: object) -> bool:
    try:
        return bool(a == b)
    except Exception:
        return False


class _Scope:
    """What names mean inside one function: its bound arguments, then its closure, then its module."""

    def __init__(self, func: types.FunctionType, node: ast.AST, bindings: dict[str, list[object]]) -> None:
        code = func.__code__
        self.locals = set(code.co_varnames) | set(code.co_cellvars)
        reassigned = _stored_names(node)
        self.bindings = {name: values for name, values in bindings.items() if name not in reassigned}
        self.closure: dict[str, object] = {}
        for name, cell in zip(code.co_freevars, func.__closure__ or (), strict=False):
            try:
                self.closure[name] = cell.cell_contents
            except ValueError:  # an empty cell: not assigned yet
                pass
        self.globals = func.__globals__

    def lookup(self, name: str) -> list[object]:
        if name in self.locals:
            return list(self.bindings.get(name, ()))
        if name in self.closure:
            return [self.closure[name]]
        if name in self.globals:
            return [self.globals[name]]
        return []


def _stored_names(node: ast.AST) -> set[str]:
    """Names assigned in a function's own body (not in the functions nested in it)."""
    names: set[str] = set()
    body = node.body if isinstance(node.body, list) else [node.body]
    pending = list(body)
    while pending:
        current = pending.pop()
        if isinstance(current, ast.Name) and isinstance(current.ctx, (ast.Store, ast.Del)):
            names.add(current.id)
        for child in ast.iter_child_nodes(current):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                pending.append(child)
    return names


def returns_of(func: object, bindings: dict[str, list[object]] | None = None, stack: tuple = ()) -> list[object]:
    """The values ``func`` may return that can be worked out (None included); unknown ones are left out."""
    marked = _marked(func)
    if marked is not None:
        return list(marked)
    func = inspect.unwrap(func) if callable(func) else func
    marked = _marked(func)
    if marked is not None:
        return list(marked)
    if not isinstance(func, types.FunctionType) or not _ours(func):
        return []
    if func.__code__ in stack or len(stack) >= MAX_DEPTH:
        return []
    node = _source_node(func)
    if node is None:
        return []
    scope = _Scope(func, node, bindings or {})
    stack = (*stack, func.__code__)
    if isinstance(node, ast.Lambda):
        return _values(node.body, scope, stack)
    return _dedupe(_returns(node.body, scope, stack))


def _returns(statements: Iterable[ast.AST], scope: _Scope, stack: tuple) -> Iterator[object]:
    for statement in statements:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(statement, ast.Return):
            yield from [None] if statement.value is None else _values(statement.value, scope, stack)
        elif isinstance(statement, ast.If):
            truth = _truth(statement.test, scope, stack)
            if truth is not False:
                yield from _returns(statement.body, scope, stack)
            if truth is not True:
                yield from _returns(statement.orelse, scope, stack)
        else:
            yield from _returns(
                (
                    child
                    for child in ast.iter_child_nodes(statement)
                    if isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case))
                ),
                scope,
                stack,
            )


def _values(node: ast.AST, scope: _Scope, stack: tuple) -> list[object]:
    """The values an expression may have, as far as they can be known without running it."""
    try:
        return _dedupe(_evaluate(node, scope, stack))
    except Exception:  # an expression this reader doesn't understand is skipped, never fatal
        return []


def _evaluate(node: ast.AST, scope: _Scope, stack: tuple) -> list[object]:
    if isinstance(node, ast.Constant):
        return [node.value]
    if isinstance(node, ast.Name):
        return scope.lookup(node.id)
    if isinstance(node, ast.Attribute):
        out = []
        for base in _values(node.value, scope, stack):
            if isinstance(base, (types.ModuleType, type, enum.Enum)) and hasattr(base, node.attr):
                out.append(getattr(base, node.attr))
        return out
    if isinstance(node, ast.Await):
        return _values(node.value, scope, stack)
    if isinstance(node, ast.NamedExpr):
        return _values(node.value, scope, stack)
    if isinstance(node, ast.IfExp):
        truth = _truth(node.test, scope, stack)
        return (_values(node.body, scope, stack) if truth is not False else []) + (
            _values(node.orelse, scope, stack) if truth is not True else []
        )
    if isinstance(node, ast.BoolOp):  # `a or b` is a when a is truthy, else b (and the other way for `and`)
        keep = bool if isinstance(node.op, ast.Or) else (lambda value: not value)
        out = []
        for index, operand in enumerate(node.values):
            last = index == len(node.values) - 1
            out += [value for value in _values(operand, scope, stack) if last or keep(value)]
        return out
    if isinstance(node, ast.Subscript):
        out = []
        for base in _values(node.value, scope, stack):
            if isinstance(base, (tuple, list, dict, str)):
                for key in _values(node.slice, scope, stack):
                    try:
                        out.append(base[key])
                    except (LookupError, TypeError):
                        pass
        return out
    if isinstance(node, ast.Call):
        return _call(node, scope, stack)
    return []


def _call(node: ast.Call, scope: _Scope, stack: tuple) -> list[object]:
    out: list[object] = []
    for callee in _values(node.func, scope, stack):
        if isinstance(callee, type) and issubclass(callee, enum.Enum):
            # State(raw): the member named, or any member when the argument is only known at run time
            arguments = _values(node.args[0], scope, stack) if len(node.args) == 1 and not node.keywords else []
            if len(node.args) == 1 and not node.keywords and not arguments:
                out += list(callee)
            for argument in arguments:
                try:
                    out.append(callee(argument))
                except (ValueError, TypeError):
                    pass
        elif callable(callee):
            out += returns_of(callee, _bind(callee, node, scope, stack), stack)
    return out


def _bind(callee: Callable, node: ast.Call, scope: _Scope, stack: tuple) -> dict[str, list[object]]:
    """The callee's parameters that this call sets to known values, defaults included."""
    func = inspect.unwrap(callee)
    code = getattr(func, "__code__", None)
    if code is None:
        return {}
    positional = list(code.co_varnames[: code.co_argcount])
    keyword_only = list(code.co_varnames[code.co_argcount : code.co_argcount + code.co_kwonlyargcount])
    if inspect.ismethod(callee):
        positional = positional[1:]
    bound: dict[str, list[object]] = {}
    given: set[str] = set()
    for index, argument in enumerate(node.args):
        if isinstance(argument, ast.Starred):  # *args: the rest of the positions can't be told apart
            given.update(positional[index:])
            break
        if index < len(positional):
            given.add(positional[index])
            if values := _values(argument, scope, stack):
                bound[positional[index]] = values
    for keyword in node.keywords:
        if keyword.arg is None:  # **kwargs
            given.update(positional + keyword_only)
            continue
        given.add(keyword.arg)
        if values := _values(keyword.value, scope, stack):
            bound[keyword.arg] = values
    defaults = dict(
        zip(positional[len(positional) - len(func.__defaults__ or ()) :], func.__defaults__ or (), strict=True)
    )
    defaults.update(func.__kwdefaults__ or {})
    for name, default in defaults.items():
        if name not in given:
            bound[name] = [default]
    return bound


_COMPARISONS = {
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}


def _truth(test: ast.AST, scope: _Scope, stack: tuple) -> bool | None:
    """Whether a condition holds, when that can be known without running (else None: both branches)."""
    try:
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            truth = _truth(test.operand, scope, stack)
            return None if truth is None else not truth
        if isinstance(test, ast.BoolOp):
            truths = [_truth(value, scope, stack) for value in test.values]
            decisive = isinstance(test.op, ast.Or)  # True decides an `or`, False decides an `and`
            if decisive in truths:
                return decisive
            return (not decisive) if all(truth is not None for truth in truths) else None
        if isinstance(test, ast.Compare):
            if len(test.ops) != 1 or type(test.ops[0]) not in _COMPARISONS:
                return None
            compare = _COMPARISONS[type(test.ops[0])]
            left, right = _values(test.left, scope, stack), _values(test.comparators[0], scope, stack)
            outcomes = {bool(compare(a, b)) for a in left for b in right}
        else:
            outcomes = {bool(value) for value in _values(test, scope, stack)}
    except Exception:
        return None
    return outcomes.pop() if len(outcomes) == 1 else None


def _targets(callback: object, ids: dict[object, str]) -> list[str]:
    """The diagram ids ``callback`` can lead to: states of the flow, or END. Never raises."""
    try:
        values = returns_of(callback)
    except Exception:  # the handlers are edited while this runs: a callback it can't read draws no edge
        return []
    out: list[str] = []
    for value in values:
        if value is None or isinstance(value, bool):
            continue
        if isinstance(value, int) and not isinstance(value, enum.Enum) and value == ConversationHandler.END:
            target = END
        else:
            target = next((ident for state, ident in ids.items() if _equal(state, value)), None)
        if target is not None and target not in out:
            out.append(target)
    return out


# Labels: what the user does ------------------------------------------------------------------------------


def handler_label(handler: BaseHandler) -> str:
    """What the user does to trigger ``handler``: a command, a button's data, typed text, a location..."""
    if isinstance(handler, CommandHandler):
        return ", ".join(f"/{command}" for command in sorted(handler.commands))
    if isinstance(handler, CallbackQueryHandler):
        pattern = handler.pattern
        if isinstance(pattern, re.Pattern):
            pattern = pattern.pattern
        return f"tap {pattern_label(pattern)}" if isinstance(pattern, str) else "tap a button"
    if isinstance(handler, MessageHandler):
        return filter_label(handler.filters)
    return type(handler).__name__.removesuffix("Handler").lower() or "update"


def pattern_label(pattern: str) -> str:
    """A button pattern as its readable prefix: ``^st:q:\\d{1,2}-\\d{1,2}$`` -> ``st:q:...``."""
    try:
        text, state = _render_pattern(list(_sre_parser.parse(pattern)))
    except Exception:
        return pattern.strip("^$")[:40]
    return text if state == "end" else text + "..."


def _render_pattern(items: list) -> tuple[str, str]:
    """(text, how it ended): "end" at ``$``, "open" at the first part that isn't plain text, else "more"."""
    text = ""
    for op, argument in items:
        if op is _sre.AT and argument in (_sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING):
            continue
        if op is _sre.AT and argument in (_sre.AT_END, _sre.AT_END_STRING):
            return text, "end"
        if op is _sre.LITERAL:
            text += chr(argument)
        elif op is _sre.SUBPATTERN:
            inner, state = _render_pattern(list(argument[-1]))
            text += inner
            if state != "more":
                return text, state
        elif op is _sre.BRANCH:
            rendered = [_render_pattern(list(branch)) for branch in argument[1]]
            text += "(" + "|".join(part + ("..." if state == "open" else "") for part, state in rendered) + ")"
        elif op is _sre.IN and all(kind is _sre.LITERAL for kind, _ in argument):
            text += "(" + "|".join(chr(code) for _, code in argument) + ")"
        else:
            return text, "open"
    return text, "more"


_FILTER_WORDS = {
    "filters.TEXT": "type text",
    "filters.LOCATION": "share a location",
    "filters.COMMAND": "send a command",
    "filters.CONTACT": "share a contact",
}


def _is_not_command(message_filter: object) -> bool:
    return getattr(message_filter, "inv_filter", None) is filters.COMMAND


def filter_label(message_filter: object) -> str:
    """A message filter as what the user sends (``TEXT & ~COMMAND`` -> "type text")."""
    if _is_not_command(message_filter):
        return "send anything"
    base, also = getattr(message_filter, "base_filter", None), getattr(message_filter, "and_filter", None)
    if base is not None and also is not None:
        parts = [part for part in (base, also) if not _is_not_command(part)]
        return " and ".join(filter_label(part) for part in parts)
    either = getattr(message_filter, "or_filter", None)
    if base is not None and either is not None:
        return f"{filter_label(base)} or {filter_label(either)}"
    name = str(getattr(message_filter, "name", None) or type(message_filter).__name__)
    if name in _FILTER_WORDS:
        return _FILTER_WORDS[name]
    return "send " + name.removeprefix("filters.").split("(")[0].replace("_", " ").replace(".", " ").lower()


def idle_label(timeout: object) -> str | None:
    """``conversation_timeout`` as "idle for 2 days"."""
    if timeout is None:
        return None
    seconds = timeout.total_seconds() if isinstance(timeout, timedelta) else float(timeout)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = int(seconds // size)
            return f"idle for {count} {unit}{'s' if count != 1 else ''}"
    return f"idle for {seconds:g} seconds"


# Mermaid --------------------------------------------------------------------------------------------------

# Mermaid's state diagrams end a label at ":" or ";", and read "#", "%%" and "<" as markup: write codes.
_ESCAPES = {"#": "#35;", ":": "#58;", ";": "#59;", "%": "#37;", "<": "#60;", ">": "#62;", '"': "#34;"}
_RESERVED = ("default",)  # a word Mermaid's lexer takes wherever it starts an id
_KEYWORDS = frozenset({"state", "note", "class", "classdef", "scale", "direction", "hide", "end", "style", "click"})


def mermaid_text(text: str) -> str:
    return "".join(_ESCAPES.get(char, char) for char in " ".join(str(text).split()))


def _identifiers(states: Iterable[object], taken: Iterable[str] = ()) -> dict[object, str]:
    """A valid, unique Mermaid id for each state (StrEnum values read as they are where they can)."""
    ids: dict[object, str] = {}
    used = set(taken)
    for state in states:
        base = re.sub(r"[^A-Za-z0-9_]", "_", _shown(state)) or "state"
        if base[0].isdigit() or base.lower().startswith(_RESERVED) or base.lower() in _KEYWORDS:
            base = f"s_{base}"
        ident, number = base, 2
        while ident in used:
            ident, number = f"{base}_{number}", number + 1
        ids[state] = ident
        used.add(ident)
    return ids


def _shown(state: object) -> str:
    return str(state.value if isinstance(state, enum.Enum) else state)


def flow_diagram(conversation: ConversationHandler, steps: Sequence | None = None) -> str:
    """The Mermaid ``stateDiagram-v2`` of one conversation; ``steps``: the table its steps follow, if any."""
    states = {state: handlers for state, handlers in conversation.states.items() if state not in _SPECIAL_STATES}
    ids = _identifiers(states, taken=[ANY_STEP])
    edges: dict[tuple[str, str], list[str]] = {}

    def add(source: str, target: str, label: str) -> None:
        if source == target or (source == END and target == END):  # staying put, or an entry that never starts
            return
        labels = edges.setdefault((source, target), [])
        if label not in labels:
            labels.append(label)

    def lead(source: str, handlers: Iterable[BaseHandler]) -> None:
        for handler in handlers:
            for target in _targets(getattr(handler, "callback", None), ids):
                add(source, target, handler_label(handler))

    lead(END, conversation.entry_points)
    table = [ids[state] for step in steps or () for state in states if _equal(state, step)]
    for state, handlers in states.items():
        ident = ids[state]
        if ident in table:  # a step of the table: the next step follows, the last ends the flow
            position = table.index(ident)
            add(ident, table[position + 1] if position + 1 < len(table) else END, "answer")
        else:
            lead(ident, handlers)
    lead(ANY_STEP, conversation.fallbacks)
    # Persistent flows end after FLOW_TIMEOUT idle (swept, not PTB's conversation_timeout).
    if idle := idle_label(conversation.conversation_timeout or (FLOW_TIMEOUT if conversation.persistent else None)):
        add(ANY_STEP, END, idle)

    lines = ["stateDiagram-v2"]
    for state, ident in ids.items():  # in the order of the states table, so the layout follows it
        shown = _shown(state)
        lines.append(f"    {ident}" if ident == shown else f'    state "{mermaid_text(shown)}" as {ident}')
    if any(source == ANY_STEP for source, _ in edges):
        lines.append(f'    state "any step" as {ANY_STEP}')
    for (source, target), labels in edges.items():
        lines.append(f"    {source} --> {target} : {mermaid_text(' or '.join(labels))}")
    return "\n".join(lines)


def markdown(conversations: Iterable[ConversationHandler]) -> str:
    """docs/flows.md: a title, how it is made, then each flow's diagram."""
    parts = [
        "# Conversation flows",
        "",
        f"Drawn from the handlers by `handlers/diagrams.py`; after changing a flow, regenerate with "
        f"`{REGENERATE}` (tests/test_flow_diagrams.py fails until you do).",
        "",
    ]
    for conversation in conversations:
        diagram = flow_diagram(conversation, step_table(conversation.name))
        parts += [f"## {conversation.name or 'unnamed'}", "", "```mermaid", diagram, "```", ""]
    return "\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m handlers.diagrams", description="Print docs/flows.md: every conversation as a Mermaid diagram."
    )
    parser.add_argument("--check", metavar="PATH", help="exit 1 when PATH differs from what would be printed")
    arguments = parser.parse_args(argv)
    text = markdown(build_conversations())
    if arguments.check:
        path = Path(arguments.check)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            print(f"{arguments.check} is out of date: regenerate it with `{REGENERATE}`", file=sys.stderr)
            return 1
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
