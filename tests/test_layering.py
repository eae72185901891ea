"""The layering, read from every module's imports (those inside functions too).

- `attain.data` imports nothing else of attain;
- the engines import no surface (`attain.web`, `attain.cli`);
- the store's migrations import only the table registry and the store's column types;
- `attain.schema` imports only table modules;
- `attain.scores` (probability scores and their measurement) is imported only by the surfaces.

`attain.clock` (today) and `attain.money_format` (amounts as people read them) are leaf utilities
that import nothing of attain: every layer may use them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
LEAVES = ("attain.clock", "attain.money_format")
SURFACES = ("attain.web", "attain.cli")
ENGINES = (
    "attain.comp",
    "attain.pay",
    "attain.quota",
    "attain.actions",
    "attain.accounts",
    "attain.access",
    "attain.audit",
    "attain.hierarchy",
    "attain.jobs",
    "attain.forecasts",
    "attain.scores",
    "attain.process",
)
MIGRATIONS_MAY = ("attain.schema", "attain.data.types", "attain.data.schema")


def _within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) for every import in the file."""
    yield from imports_in(path.read_text(), _module_name(path), path.name == "__init__.py")


def imports_in(text: str, module: str, is_package: bool) -> Iterator[tuple[int, str]]:
    """(line, module) for every import in `text` (of `module`), relative ones resolved."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                name = ".".join([*base, *([node.module] if node.module else [])])
            else:
                name = node.module or ""
            modules = [f"{name}.{a.name}" for a in node.names if _is_module(f"{name}.{a.name}")]
            for found in modules or [name]:  # `from attain.pay import schema` names a module
                yield node.lineno, found


def _is_module(name: str) -> bool:
    path = SRC.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _table_modules() -> set[str]:
    """Modules that declare tables (a class with `__tablename__`)."""
    out = set()
    for path in SRC.rglob("*.py"):
        if "__tablename__" in path.read_text():
            out.add(_module_name(path))
    return out


def _rule(module: str, imported: str, tables: set[str]) -> str | None:
    """Why importing `imported` from `module` breaks the layering, or None."""
    if not _within(imported, ("attain",)) or imported == "attain":
        return None
    if _within(imported, LEAVES):
        return None
    if module.startswith("attain.migrations"):
        if _within(imported, ("attain.migrations", *MIGRATIONS_MAY)):
            return None
        return "a migration imports only attain.schema and the store's column types"
    if module == "attain.schema":
        return None if imported in tables else "attain.schema imports only table modules"
    if _within(module, ("attain.data",)) and not _within(imported, ("attain.data",)):
        return "attain.data imports nothing else of attain"
    if _within(imported, ("attain.scores",)) and not _within(module, ("attain.scores", *SURFACES)):
        return "attain.scores is imported only by the surfaces (attain.web, attain.cli)"
    if _within(module, ENGINES) and _within(imported, SURFACES):
        return "an engine imports no surface (attain.web, attain.cli)"
    return None


def violations() -> list[str]:
    tables = _table_modules()
    found = []
    for path in sorted((SRC / "attain").rglob("*.py")):
        module = _module_name(path)
        for line, imported in imports(path):
            why = _rule(module, imported, tables)
            if why:
                found.append(f"{path.relative_to(SRC)}:{line}: imports {imported}: {why}")
    return found


def test_the_layering_holds() -> None:
    found = violations()
    assert not found, "\n".join(found)


def test_the_rule_catches_each_kind_of_violation() -> None:
    tables = {"attain.data.schema", "attain.pay.schema"}
    assert _rule("attain.pay.statements", "attain.web.app", tables)
    assert _rule("attain.hierarchy", "attain.cli._common", tables)
    assert _rule("attain.data.store", "attain.pay.schema", tables)
    assert _rule("attain.migrations.versions.0001_x", "attain.web.schema", tables)
    assert _rule("attain.schema", "attain.pay.ledger", tables)
    assert _rule("attain.pay.statements", "attain.scores.leads", tables)
    assert _rule("attain.scores.leads", "attain.cli._common", tables)
    assert _rule("attain.cli.score_commands", "attain.scores.leads", tables) is None
    assert _rule("attain.pay.statements", "attain.money_format", tables) is None
    assert _rule("attain.data.synth.org", "attain.clock", tables) is None
    assert _rule("attain.web.app", "attain.pay.ledger", tables) is None
    assert _rule("attain.schema", "attain.pay.schema", tables) is None


def test_imports_inside_functions_and_relative_ones_are_read() -> None:
    text = "def f():\n    from attain.web import app\n    from . import ledger\n    import attain.cli\n"
    names = {name for _line, name in imports_in(text, "attain.pay.probe", is_package=False)}
    assert {"attain.web.app", "attain.pay.ledger", "attain.cli"} <= names
    found = [
        _rule("attain.pay.probe", n, set())
        for _line, n in imports_in(text, "attain.pay.probe", False)
    ]
    assert sum(1 for why in found if why) == 2
