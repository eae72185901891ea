"""What a run over the store reads: plan files, assignments, and the tables the plans name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import ibis
from sqlalchemy import Engine, select

from attain.comp.engine.tables import schemas_of
from attain.comp.errors import PlanError
from attain.comp.language import Assignment, Plan, load_plans
from attain.data.columnar import column_types
from attain.data.ingest.user_tables import user_table_names
from attain.data.schema import DATA_TABLES, PlanAssignment
from attain.data.store import table_names

ALWAYS_READ = ("people", "quotas", "fx_rates")
"""Tables every calculation may consult: the hierarchy, quotas and exchange rates."""

READABLE = "plans read the revenue data model and imported tables only"


class Readable(dict[str, dict[str, str]]):
    """Schemas of the tables a plan may read, and the names of store tables it may not."""

    def __init__(self, schemas: dict[str, dict[str, str]], refused: set[str]) -> None:
        super().__init__(schemas)
        self.refused = frozenset(refused)


def readable_tables(engine: Engine) -> set[str]:
    """What a plan may read from the store: the revenue data model and registered user tables.

    Everything else of the store (logins, sessions, tokens, the audit log, runs, the ledger) is
    out of a plan's reach, or a simulation's totals would answer questions about it."""
    with engine.connect() as conn:
        return set(DATA_TABLES) | set(user_table_names(conn))


def refused_tables(engine: Engine, plans: list[Plan]) -> list[str]:
    """The store tables `plans` name that a plan may not read."""
    present = set(table_names(engine))
    allowed = readable_tables(engine)
    return [t for t in tables_read(plans) if t in present and t not in allowed]


def store_tables_read(engine: Engine, plans: list[Plan]) -> list[str]:
    """`tables_read(plans)`, refusing (a `PlanError` naming it) a table a plan may not read."""
    refused = refused_tables(engine, plans)
    if refused:
        names = ", ".join(f"`{t}`" for t in refused)
        raise PlanError(f"the plans read {names}: {READABLE}")
    return tables_read(plans)


@dataclass(frozen=True)
class PlanVersion:
    """A plan as it was when a run used it: its id, the file text, and that text's hash."""

    id: str
    source: str
    sha256: str
    text: str


def read_plans(path: Path) -> tuple[list[Plan], list[PlanVersion]]:
    """Every plan in a YAML file or in the *.yaml files of a folder, with the text each came from."""
    files = sorted([*path.glob("*.yaml"), *path.glob("*.yml")]) if path.is_dir() else [path]
    if not files:
        raise PlanError(f"{path}: no plan files (*.yaml) found")
    plans: list[Plan] = []
    versions: list[PlanVersion] = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        digest = hashlib.sha256(text.encode()).hexdigest()
        for plan in load_plans(f):
            plans.append(plan)
            versions.append(PlanVersion(plan.id, f.name, digest, text))
    seen: set[str] = set()
    for v in versions:
        if v.id in seen:
            raise PlanError(f"plan {v.id}: defined twice (second time in {v.source})")
        seen.add(v.id)
    return plans, versions


def store_assignments(engine: Engine, plan_ids: set[str]) -> list[Assignment]:
    """Assignments of the store's `plan_assignments` table to the given plans."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(PlanAssignment).where(PlanAssignment.plan.in_(sorted(plan_ids)))
        ).all()
    return [
        Assignment.model_validate(
            {"payee": r.payee, "plan": r.plan, "from": r.valid_from, "to": r.valid_to}
        )
        for r in rows
    ]


def store_schemas(engine: Engine, plans: list[Plan]) -> Readable:
    """The plan-language types of the store tables the plans read and may read (no rows are
    read); the tables they may not read are named in `refused`."""
    con = duckdb.connect()
    try:
        present = set(table_names(engine))
        refused = set(refused_tables(engine, plans))
        for table in tables_read(plans):
            if table not in present or table in refused:
                continue
            cols = ", ".join(f'"{c}" {t}' for c, t in column_types(engine, table).items())
            con.execute(f'CREATE TABLE "{table}" ({cols})')
        schemas = schemas_of(ibis.duckdb.from_connection(con))
        return Readable({t: dict(cols) for t, cols in schemas.items()}, refused)
    finally:
        con.close()


def tables_read(plans: list[Plan]) -> list[str]:
    """The store tables a calculation of `plans` reads."""
    names: list[str] = []
    for plan in plans:
        for rule in plan.credits:
            names.append(rule.from_)
            if rule.splits is not None:
                names.append(rule.splits.from_)
    return sorted(set(names) | set(ALWAYS_READ))
