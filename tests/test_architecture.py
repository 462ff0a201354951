"""Architecture: imports point one way, bot -> handlers -> services -> storage, coaching (DESIGN.md).

The sources are parsed with `ast`, never imported. Every import counts: `import x`, `from x import y`,
relative imports and imports inside functions.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("bot", "handlers", "services", "coaching", "storage")
DB_LIBRARIES = frozenset({"sqlalchemy", "alembic"})


@dataclass(frozen=True)
class Rule:
    """What one layer may import: of ours only ``allowed``; of third parties nothing in ``forbidden``."""

    text: str
    allowed: frozenset[str]
    forbidden: frozenset[str] = frozenset()


RULES = {
    "coaching": Rule(
        "coaching imports nothing of ours, nor telegram, sqlalchemy or alembic",
        frozenset({"coaching"}),
        frozenset({"telegram"}) | DB_LIBRARIES,
    ),
    "storage": Rule(
        "storage may import storage, and of coaching only coaching.enums and coaching.defaults; "
        "only storage/persistence.py may import telegram",
        frozenset({"storage", "coaching.enums", "coaching.defaults"}),
        frozenset({"telegram"}),
    ),
    "services": Rule(
        "services may import services, storage and coaching, never telegram",
        frozenset({"services", "storage", "coaching"}),
        frozenset({"telegram"}),
    ),
    # sqlalchemy and alembic belong to storage: a handler that needs them is reaching into storage.
    "handlers": Rule(
        "handlers may import handlers, services, coaching and telegram; never bot, storage, sqlalchemy or alembic",
        frozenset({"handlers", "services", "coaching"}),
        DB_LIBRARIES,
    ),
    "bot": Rule("bot may import anything", frozenset(LAYERS)),
}

# The PTB persistence is the one storage module that speaks Telegram's types.
EXCEPTIONS = {("storage/persistence.py", "telegram")}

# Today's violations, as (file, imported module). This list must only shrink: never add to it; fix the
# import instead. The test fails when an entry is no longer a violation, so delete it when you pay it.
KNOWN_DEBT: set[tuple[str, str]] = set()


def within(module: str, package: str) -> bool:
    """True when ``module`` is ``package`` or inside it."""
    return module == package or module.startswith(package + ".")


def module_name(path: str) -> str:
    """The dotted module of a repository path such as ``storage/migrations/env.py``."""
    parts = path.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_our_module(module: str) -> bool:
    """True when ``module`` is a file or package of this repository."""
    base = ROOT.joinpath(*module.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def base_of(node: ast.ImportFrom, path: str) -> str:
    """The absolute module a ``from ... import`` reads from, resolving relative imports."""
    if not node.level:
        return node.module or ""
    package = module_name(path).split(".")
    if not path.endswith("__init__.py"):
        package = package[:-1]
    package = package[: len(package) - node.level + 1]
    return ".".join(package + ([node.module] if node.module else []))


def imported_modules(path: str, source: str) -> set[str]:
    """Every module imported anywhere in ``source``; ``from m import n`` counts as ``m.n`` if that is ours."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source, filename=path)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            base = base_of(node, path)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if alias.name != "*" and is_our_module(candidate) else base)
    return found


def breaks(rule: Rule, path: str, module: str) -> bool:
    """True when ``path`` importing ``module`` breaks ``rule``."""
    top = module.split(".")[0]
    if (path, top) in EXCEPTIONS:
        return False
    if top in LAYERS:
        return not any(within(module, allowed) for allowed in rule.allowed)
    return top in rule.forbidden


def violations_in(path: str, source: str) -> set[tuple[str, str, str]]:
    """The (file, imported module, rule) triples by which ``source`` at ``path`` breaks its layer's rule."""
    rule = RULES.get(path.split("/")[0])
    if rule is None:
        return set()
    return {(path, module, rule.text) for module in imported_modules(path, source) if breaks(rule, path, module)}


def all_violations() -> set[tuple[str, str, str]]:
    """Every violation in the layers' sources; a layer that does not exist yet has none."""
    found: set[tuple[str, str, str]] = set()
    for layer in LAYERS:
        for file in sorted((ROOT / layer).rglob("*.py")):
            path = file.relative_to(ROOT).as_posix()
            found |= violations_in(path, file.read_text(encoding="utf-8"))
    return found


def report(violations: set[tuple[str, str, str]]) -> str:
    return "\n".join(f"{path}: imports {module} ({rule})" for path, module, rule in sorted(violations))


def test_imports_point_one_way() -> None:
    """Protects the layering: no new forbidden import, and the known debt only shrinks."""
    violations = all_violations()
    new = {v for v in violations if (v[0], v[1]) not in KNOWN_DEBT}
    assert not new, "forbidden imports:\n" + report(new)
    paid = KNOWN_DEBT - {(path, module) for path, module, _ in violations}
    assert not paid, "no longer violations; remove them from KNOWN_DEBT:\n" + "\n".join(map(str, sorted(paid)))


@pytest.mark.parametrize(
    ("path", "source", "module"),
    [
        ("coaching/fake.py", "import telegram", "telegram"),
        ("coaching/fake.py", "from sqlalchemy.orm import Session", "sqlalchemy.orm"),
        ("coaching/fake.py", "def later():\n    from storage import models\n", "storage.models"),
        ("storage/fake.py", "from ..handlers import common", "handlers.common"),
        ("storage/fake.py", "from coaching.nudges import UserClock", "coaching.nudges"),
        ("storage/fake.py", "from telegram.ext import BasePersistence", "telegram.ext"),
        ("services/fake.py", "import handlers.common", "handlers.common"),
        ("handlers/fake.py", "from storage.uow import UnitOfWork", "storage.uow"),
        ("handlers/fake.py", "from bot import app", "bot.app"),
    ],
)
def test_the_checker_catches_a_forbidden_import(path: str, source: str, module: str) -> None:
    """Protects the checker itself: each form of a forbidden import is caught."""
    assert {found for _, found, _ in violations_in(path, source)} == {module}


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("storage/fake.py", "from coaching import enums, defaults\nfrom . import types"),
        ("storage/persistence.py", "from telegram.ext import BasePersistence"),
        ("handlers/fake.py", "from coaching import copy\nfrom services import x\nimport telegram"),
        ("bot/fake.py", "from storage.db import create_engine\nfrom handlers import register"),
    ],
)
def test_the_checker_allows_what_the_design_allows(path: str, source: str) -> None:
    """Protects against a checker so strict that its findings would be ignored."""
    assert violations_in(path, source) == set()
