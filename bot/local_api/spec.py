"""Checks a Bot API request against the machine-readable spec, as Telegram would reject it."""

from __future__ import annotations

import functools
import html
import json
import re
from importlib import resources
from typing import Any

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER = 200

_HTML_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "tg-emoji",
    "code",
    "pre",
    "blockquote",
    "tg-time",
}
_TOKEN = re.compile(
    r"<(?P<close>/?)(?P<tag>[a-zA-Z][\w-]*)(?P<attrs>(?:\s+[^<>]*)?)>"
    r"|&(?P<entity>#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);"
    r"|(?P<bad>[<>&])"
)
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")


@functools.cache
def load_spec() -> dict[str, Any]:
    return json.loads(resources.files("bot.local_api").joinpath("api.min.json").read_text("utf-8"))


@functools.cache
def _methods_by_lower_name() -> dict[str, dict[str, Any]]:
    return {name.lower(): method for name, method in load_spec()["methods"].items()}


def find_method(name: str) -> dict[str, Any] | None:
    return _methods_by_lower_name().get(name.lower())


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
_HREF = re.compile(r"""href\s*=\s*["']([^"']*)["']""")


def parse_html(text: str) -> str:
    """Return the plain text Telegram would show, or raise ValueError like "can't parse entities"."""
    return parse_html_entities(text)[0]


def parse_html_entities(text: str) -> tuple[str, list[dict[str, Any]]]:
    """The plain text and its MessageEntity list (UTF-16 offsets), as Telegram returns them."""
    stack: list[tuple[str, str, int]] = []
    plain: list[str] = []
    entities: list[dict[str, Any]] = []
    length = 0
    position = 0

    def add(chunk: str) -> None:
        nonlocal length
        plain.append(chunk)
        length += utf16_len(chunk)

    for match in _TOKEN.finditer(text):
        add(text[position : match.start()])
        position = match.end()
        if match.group("bad"):
            raise ValueError(f"can't parse entities: unescaped {match.group('bad')!r} at byte offset {match.start()}")
        if match.group("entity"):
            add(html.unescape(match.group()))
            continue
        tag = match.group("tag").lower()
        if tag not in _HTML_TAGS:
            raise ValueError(f'can\'t parse entities: unsupported start tag "{tag}" at byte offset {match.start()}')
        if not match.group("close"):
            if tag == "a" and not _HREF.search(match.group("attrs")):
                raise ValueError("can't parse entities: <a> without href")
            stack.append((tag, match.group("attrs"), length))
            continue
        if not stack or stack[-1][0] != tag:
            expected = stack[-1][0] if stack else ""
            raise ValueError(
                f"can't parse entities: unmatched end tag at byte offset {match.start()}, "
                f'expected "{expected}", found "{tag}"'
            )
        _, attrs, start = stack.pop()
        if length > start:
            entity = {"type": _ENTITY_TYPES[tag], "offset": start, "length": length - start}
            if tag == "a":
                entity["url"] = _HREF.search(attrs).group(1)
            entities.append(entity)
    add(text[position:])
    if stack:
        raise ValueError(f"can't parse entities: can't find end tag corresponding to start tag \"{stack[-1][0]}\"")
    return "".join(plain), sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def _check_value(value: Any, type_names: list[str], where: str) -> list[str]:
    """Errors for ``value`` against any of the spec types ``type_names`` (empty when it fits one)."""
    attempts = [_check_single(value, name, where) for name in type_names]
    return [] if any(not errors for errors in attempts) else attempts[0]


def _check_single(value: Any, type_name: str, where: str) -> list[str]:
    if type_name.startswith("Array of "):
        if not isinstance(value, list):
            return [f"{where}: expected an array"]
        return [e for i, item in enumerate(value) for e in _check_value(item, [type_name[9:]], f"{where}[{i}]")]
    simple = {
        "String": lambda v: isinstance(v, str),
        "Integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "Float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "Boolean": lambda v: isinstance(v, bool),
        "InputFile": lambda v: True,
    }
    if type_name in simple:
        return [] if simple[type_name](value) else [f"{where}: expected {type_name}"]
    spec_type = load_spec()["types"].get(type_name)
    if spec_type is None:
        return [f"{where}: unknown type {type_name}"]
    if spec_type.get("subtypes"):
        return _check_value(value, spec_type["subtypes"], where)
    return _check_object(value, spec_type, where)


def _check_object(value: Any, spec_type: dict[str, Any], where: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where}: expected an object {spec_type['name']}"]
    fields = {f["name"]: f for f in spec_type.get("fields", [])}
    errors = [f"{where}: unknown field {key!r} in {spec_type['name']}" for key in value if key not in fields]
    errors += [
        f"{where}: missing required field {name!r}" for name, f in fields.items() if f["required"] and name not in value
    ]
    for key, item in value.items():
        if key in fields:
            errors += _check_value(item, fields[key]["types"], f"{where}.{key}")
    errors += _type_rules(spec_type["name"], value, where)
    return errors


def _type_rules(type_name: str, value: dict[str, Any], where: str) -> list[str]:
    """Limits the spec states only in prose."""
    errors = []
    if type_name == "InlineKeyboardButton":
        data = value.get("callback_data")
        if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
            errors.append(f"{where}: BUTTON_DATA_INVALID (callback_data must be 1-64 bytes)")
        actions = [k for k in value if k not in {"text", "icon_custom_emoji_id", "style"}]
        if len(actions) != 1:
            errors.append(f"{where}: a button needs exactly one action field, got {actions}")
        if not value.get("text"):
            errors.append(f"{where}: button text is empty")
    if type_name == "BotCommand":
        if not _COMMAND.match(str(value.get("command", ""))):
            errors.append(f"{where}: BOT_COMMAND_INVALID {value.get('command')!r}")
        if not 1 <= len(str(value.get("description", ""))) <= 256:
            errors.append(f"{where}: command description must be 1-256 characters")
    return errors


def _decode(raw: Any, type_names: list[str]) -> Any:
    """Form fields arrive as strings; JSON-typed ones are JSON text, like Telegram reads them."""
    if not isinstance(raw, str) or type_names == ["String"]:
        return raw
    if "Integer" in type_names:
        try:
            return int(raw)
        except ValueError:
            return raw
    if type_names == ["Float"]:
        try:
            return float(raw)
        except ValueError:
            return raw
    if type_names == ["Boolean"]:
        return {"true": True, "false": False}.get(raw.lower(), raw)
    if "String" in type_names or "InputFile" in type_names:
        return raw
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def check_request(method_name: str, raw_params: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Decode ``raw_params`` for ``method_name`` and list every reason Telegram would refuse it."""
    method = find_method(method_name)
    if method is None:
        return raw_params, [f"Not Found: method {method_name!r} does not exist"]
    fields = {f["name"]: f for f in method.get("fields", [])}
    params = {k: _decode(v, fields[k]["types"]) if k in fields else v for k, v in raw_params.items()}
    errors = [f"unknown parameter {k!r} for {method['name']}" for k in params if k not in fields]
    errors += [
        f"missing required parameter {k!r} for {method['name']}"
        for k, f in fields.items()
        if f["required"] and k not in params
    ]
    for key, value in params.items():
        if key in fields:
            errors += _check_value(value, fields[key]["types"], key)
    errors += _text_rules(method["name"], params)
    return params, errors


def _text_rules(method: str, params: dict[str, Any]) -> list[str]:
    errors = []
    for key, limit in (("text", MAX_TEXT), ("caption", MAX_CAPTION)):
        if key not in params or not isinstance(params[key], str):
            continue
        text = params[key]
        if params.get("parse_mode") not in (None, "HTML"):
            errors.append(f"parse_mode {params['parse_mode']!r}: this emulator checks HTML only")
        if params.get("parse_mode") == "HTML":
            try:
                text = parse_html(text)
            except ValueError as error:
                errors.append(f"Bad Request: {error}")
                continue
        if key == "text" and not text.strip():
            errors.append("Bad Request: message text is empty")
        if utf16_len(text) > limit:
            errors.append(f"Bad Request: {key} is too long ({utf16_len(text)} > {limit})")
    if method == "answerCallbackQuery" and len(str(params.get("text", ""))) > MAX_CALLBACK_ANSWER:
        errors.append("Bad Request: callback answer text is longer than 200 characters")
    return errors
