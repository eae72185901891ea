"""Import actions: a file written into a table, audited, then live recalculation and caches.

The web's import confirm, the API and `attain import` all call `import_rows`, so a CLI import
refreshes dashboards exactly as a web import does. The importer writes the rows in one
transaction (all or nothing), and the audit entry, naming the file, the rows written and the
mapping, is written in that same transaction: no rows without their record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Literal

from sqlalchemy import Connection, Engine

from attain.actions.core import PENDING, audit, require, user_action
from attain.actions.events import Event, publish
from attain.audit.actor import Actor
from attain.comp import live
from attain.data.ingest import ImportOptions, ImportReport, import_file
from attain.data.ingest.progress import OnProgress
from attain.data.store import get_engine

Recalculate = Literal["now", "later"]
KEYS = {"quotas": ("payee", "period"), "fx_rates": ("currency", "month")}
"""Tables keyed otherwise than by `id` whose changes are recalculated live, and their keys."""


def _mapping(options: ImportOptions) -> dict[str, object]:
    """The mapping an import used, as its audit entry names it."""
    return {
        "spec": options.spec_label if options.spec is not None else None,
        "map": [list(pair) for pair in options.mapping],
    }


@user_action("import.*", capability="imports")
def import_rows(
    db: str | None,
    actor: Actor,
    table: str,
    path: Path | str,
    options: ImportOptions | None = None,
    *,
    label: str | None = None,
    recalculate: Recalculate = "now",
    on_progress: OnProgress | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import `path` into `table` as `actor` (audit name `import.<table>`); a dry run writes
    nothing and leaves no entry. `recalculate="later"` recalculates in the background."""
    require(actor, "imports")
    options = options or ImportOptions()
    if not options.dry_run:
        if table in live.SOURCES or table == "people":
            options = replace(options, keep_ids=True)
        elif table in KEYS:
            options = replace(options, keep_keys=KEYS[table])
    told: list[Event] = []

    def record(conn: Connection, report: ImportReport) -> None:
        conn.info[PENDING] = []
        audit(
            conn,
            actor,
            f"import.{table}",
            "table",
            table,
            after={
                "file": report.file,
                "rows": report.rows,
                "written": report.inserted + report.updated,
                "inserted": report.inserted,
                "updated": report.updated,
                "rejected": report.rejected,
                "mapping": _mapping(options),
            },
        )
        told.extend(conn.info.pop(PENDING))

    report = import_file(
        table,
        path,
        db=db,
        options=options,
        label=label,
        on_progress=on_progress,
        on_warning=on_warning,
        before_commit=record,
    )
    if report.dry_run:
        return report
    publish(told)
    engine = get_engine(db)
    if table == "people":
        from attain.access import forget_hierarchy
        from attain.pay.current import forget_cached_pay

        forget_hierarchy()
        forget_cached_pay()
    _recalculate(engine, table, report, recalculate)
    return report


def _recalculate(engine: Engine, table: str, report: ImportReport, when: Recalculate) -> None:
    """Pay again, live, whoever the written rows can change: deals and orders, people (a
    manager change), quotas, exchange rates."""
    work: Callable[[], object] | None = None
    if table in live.SOURCES and report.written_ids:
        ids = report.written_ids
        work = lambda: live.rows_changed(engine, table, ids)  # noqa: E731
    elif table == "people" and report.written_ids:
        people = sorted(set(report.written_ids))
        work = lambda: live.people_changed(engine, people)  # noqa: E731
    elif table == "quotas" and report.written_keys:
        quotas = sorted({(k[0], k[1]) for k in report.written_keys})
        work = lambda: live.quotas_changed(engine, quotas)  # noqa: E731
    elif table == "fx_rates" and report.written_keys:
        rates = sorted({(k[0], k[1]) for k in report.written_keys})
        work = lambda: live.fx_changed(engine, rates)  # noqa: E731
    if work is None:
        return
    if when == "later":
        live.in_background(work, f"{table} changed")
    else:
        work()
