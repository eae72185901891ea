"""Every write a user can cause leaves exactly its audit entries, naming the actor.

(a) Each registered action (`attain.actions.catalog`) has a scenario in a `scenarios_*.py` file
here, which runs it on a real store and checks the entries it wrote; an action without one
fails. (b) Outside the modules listed in `ALLOWED`, no code in `src/attain` writes to a store,
so a new write cannot bypass the actions layer unnoticed.
"""

from __future__ import annotations

import ast
import fnmatch
import importlib
from pathlib import Path

import pytest
from actions_world import Scenario, World, build_world

from attain.actions.catalog import all_actions
from attain.audit import verify_log

HERE = Path(__file__).resolve().parent
SRC = HERE.parents[1] / "src"


def scenarios() -> dict[str, Scenario]:
    found: dict[str, Scenario] = {}
    for path in sorted(HERE.glob("scenarios_*.py")):
        module = importlib.import_module(path.stem)
        for name, scenario in module.SCENARIOS.items():
            assert name not in found, f"{name} has two scenarios"
            found[name] = scenario
    return found


SCENARIOS = scenarios()
ACTIONS = all_actions()


def test_every_registered_action_has_a_scenario() -> None:
    missing = sorted(set(ACTIONS) - set(SCENARIOS))
    assert not missing, f"actions without an audit scenario in tests/actions: {missing}"
    unknown = sorted(set(SCENARIOS) - set(ACTIONS))
    assert not unknown, f"scenarios for actions nobody registered: {unknown}"


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_the_action_leaves_its_audit_entry(name: str, world: World) -> None:
    SCENARIOS[name](world)
    assert any(fnmatch.fnmatchcase(a, name) for a in world.checked), (
        f"the scenario for {name} never checked its entry"
    )
    assert verify_log(world.engine)[1] == []


@pytest.mark.postgres
@pytest.mark.parametrize("name", ["plan.publish", "deal.upsert", "quota.adjust", "period.close"])
def test_the_action_leaves_its_audit_entry_on_postgres(
    name: str, postgres_url: str, tmp_path: Path
) -> None:
    world = build_world(postgres_url, tmp_path)
    SCENARIOS[name](world)
    assert name in world.checked
    assert verify_log(world.engine)[1] == []


# -- (b) no write outside the actions layer --------------------------------------------------

ALLOWED: dict[str, str] = {
    "attain/actions/": "the actions themselves",
    "attain/audit/log.py": "appends the audit entry an action asks for",
    "attain/pay/actions.py": "the pay lifecycle's transaction helpers (period lock)",
    "attain/pay/adjustments.py": "pay action adjustment.add",
    "attain/pay/approvals.py": "pay actions period.prepare, period.approve, period.revoke",
    "attain/pay/disputes.py": "pay actions dispute.*",
    "attain/pay/ledger.py": "pay action ledger.publish",
    "attain/pay/periods.py": "pay actions period.close, period.reopen",
    "attain/pay/snapshot.py": "the data snapshot ledger.publish keeps with a run",
    "attain/quota/drafts.py": "quota actions quota.*",
    "attain/data/ingest/upsert.py": "the importer's writes, called by the action import.*",
    "attain/data/ingest/user_tables.py": "tables an import creates, called by import.*",
    "attain/data/ingest/saved.py": "the mapping row, written inside the action mapping.save",
    "attain/data/staging.py": "uploads waiting for confirmation (the import writes nothing yet)",
    "attain/comp/runs/record.py": "a run's lines and traces, kept by the action run.start",
    "attain/comp/live/": "live lines: derived from the store, rewritten after an action",
    "attain/comp/whatif.py": "scratch tables in an in-process DuckDB, never the store",
    "attain/forecasts/pipeline_commission.py": "expected deals in an in-process DuckDB copy, never the store",
    "attain/migrations/": "schema and data migrations",
    "attain/web/auth/sessions.py": "login sessions (not a change anyone sees)",
    "attain/web/api/idempotency.py": "stored replies to repeated API requests",
    "attain/web/auth/ratelimit.py": "login attempts counted to limit guessing",
    "attain/comp/demo.py": "the demo company's plan assignments, on a new store (attain demo)",
    "attain/web/demo_users.py": "the demo logins, on a new store (attain demo)",
}
"""Modules that may write to a store, each with why."""

WRITE_CALLS = {"insert", "update", "delete"}
RAW_WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE")
SESSION_WRITES = {"add", "add_all", "merge", "bulk_save_objects", "bulk_insert_mappings"}


def _sql_head(node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        text = first.value if isinstance(first, ast.Constant) else ""
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
        return _sql_head(node.args[0])  # text("INSERT ...")
    else:
        return ""
    words = str(text).split(None, 1)
    return words[0].upper() if words else ""


def writes_in(tree: ast.AST) -> list[tuple[int, str]]:
    """Lines that write: SQLAlchemy insert/update/delete, raw INSERT/UPDATE/DELETE, session adds."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Name) and f.id in WRITE_CALLS:
            found.append((node.lineno, f.id))
        elif isinstance(f, ast.Attribute):
            owner = f.value.id if isinstance(f.value, ast.Name) else ""
            if f.attr in WRITE_CALLS and owner in ("sa", "sqlalchemy"):
                found.append((node.lineno, f.attr))
            elif f.attr in ("execute", "exec_driver_sql", "executescript") and node.args:
                head = _sql_head(node.args[0])
                if head in RAW_WRITES:
                    found.append((node.lineno, head))
            elif f.attr in SESSION_WRITES and owner in ("s", "session", "db"):
                found.append((node.lineno, f"session.{f.attr}"))
    return found


def _allowed(relative: str) -> bool:
    return any(relative == m or (m.endswith("/") and relative.startswith(m)) for m in ALLOWED)


def test_no_write_outside_the_actions_layer() -> None:
    offenders = []
    for path in sorted((SRC / "attain").rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if _allowed(relative):
            continue
        for line, what in writes_in(ast.parse(path.read_text(encoding="utf-8"))):
            offenders.append(f"{relative}:{line}: {what}")
    assert not offenders, "writes outside the actions layer:\n" + "\n".join(offenders)


def test_the_write_check_sees_each_kind_of_write() -> None:
    code = """
conn.execute(insert(Deal).values(id="x"))
conn.execute(sa.update(Deal))
conn.exec_driver_sql("DELETE FROM deals")
conn.execute(text("UPDATE deals SET amount = 0"))
s.add(Deal(id="y"))
conn.execute(select(Deal))
seen.add("z")
"""
    kinds = [what for _line, what in sorted(writes_in(ast.parse(code)))]
    assert kinds == ["insert", "update", "DELETE", "UPDATE", "session.add"]


def test_every_allowed_module_exists() -> None:
    for module in ALLOWED:
        assert (SRC / module).exists(), f"ALLOWED names {module}, which is gone"
