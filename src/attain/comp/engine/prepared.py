"""Compiled SQL kept per plan and component, so a plan calculated again compiles nothing.

Ibis takes tens of milliseconds to turn a component's query into SQL, whatever the data: most of
a small calculation, and what live recalculation, what-if and simulations repeat for every
change. The SQL is written from the plan, the periods and the tables' schemas only, so it is
kept under a key of everything it is written from: the backend, the Ibis version, the plan (its
canonical JSON), the component, the periods and the first period paid, and, checked on every
use, the schema of every table the calculation read. The tables a calculation makes for itself
(assignments, periods, a plan's temporary credits) appear in the SQL under names of their own;
each use swaps in the current call's names. Anything else that changes the SQL changes the key.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.operations as ops
import pyarrow as pa

from attain.comp.engine.fetch import run_sql
from attain.comp.engine.tables import Catalog

LIMIT = 256
"""Queries kept (least recently used go first): a few per plan and span."""


@dataclass(frozen=True)
class Prepared:
    sql: str
    names: tuple[str, ...]  # the per-call table names as written in `sql`
    schemas: tuple[tuple[str, ibis.Schema], ...]  # every table read, as it was
    target: pa.Schema


_lock = threading.Lock()
_kept: OrderedDict[Hashable, list[Prepared]] = OrderedDict()
counts = {"compiled": 0, "reused": 0}
"""How many component queries were compiled, and how many reused, in this process."""


def memtable_name(expr: ibis.Table) -> str:
    """The name of the one in-memory table `expr` reads (assignments, periods)."""
    (name,) = {str(t.name) for t in expr.op().find(ops.InMemoryTable)}
    return name


def _fits(p: Prepared, catalog: Catalog) -> bool:
    return all(name in catalog and catalog.table(name).schema() == s for name, s in p.schemas)


def _swap(sql: str, old: Sequence[str], new: Sequence[str]) -> str:
    for a, b in zip(old, new, strict=True):
        sql = sql.replace(a, b)
    return sql


def fetch(
    con: ibis.BaseBackend,
    catalog: Catalog,
    key: Hashable,
    names: Sequence[str],
    build: Callable[[], ibis.Table],
) -> pa.Table:
    """The rows of the query `build` makes, compiled once per `key` (see the module docstring).

    `names` are this call's own tables, already in the backend, always in the same order of
    roles (assignments, periods, temporary credits), spelled as the SQL writes them. A query that
    reads an in-memory table not among them, or does not write each of them, is run but not
    kept."""
    full_key = (con.name, ibis.__version__, key)
    with _lock:
        kept = list(_kept.get(full_key, ()))
        if kept:
            _kept.move_to_end(full_key)
    for p in kept:
        if len(p.names) == len(names) and _fits(p, catalog):
            counts["reused"] += 1
            return run_sql(con, _swap(p.sql, p.names, names), p.target)
    expr = build()
    target = expr.schema().to_pyarrow()
    sql = con.compile(expr)
    counts["compiled"] += 1
    rows = run_sql(con, sql, target)
    own = {t.name for t in expr.op().find(ops.InMemoryTable)}
    if not own <= set(names) or not all(n in sql for n in names):
        return rows  # a table of this call's that the swap would miss: never reuse
    read = tuple((n, catalog.table(n).schema()) for n in sorted(catalog.read))
    with _lock:
        _kept.setdefault(full_key, []).insert(0, Prepared(sql, tuple(names), read, target))
        del _kept[full_key][4:]
        _kept.move_to_end(full_key)
        while len(_kept) > LIMIT:
            _kept.popitem(last=False)
    return rows


def forget() -> None:
    """Drop every kept query (tests; a process never needs to)."""
    with _lock:
        _kept.clear()
