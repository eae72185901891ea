"""Import actions: a file written into a table, audited, then live recalculation and caches.

The web's import confirm, the API and `attain import` all call `import_rows`, so a CLI import
refreshes dashboards exactly as a web import does. The importer writes the rows in its own
transaction (all or nothing); the audit entry follows it, naming the file, the rows written and
the mapping.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Literal

from attain.actions.core import audit, require, transaction, user_action
from attain.audit.actor import Actor
from attain.comp import live
from attain.data.ingest import ImportOptions, ImportReport, import_file
from attain.data.ingest.progress import OnProgress
from attain.data.store import get_engine

Recalculate = Literal["now", "later"]


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
    if table in live.SOURCES and not options.dry_run:
        options = replace(options, keep_ids=True)
    report = import_file(
        table,
        path,
        db=db,
        options=options,
        label=label,
        on_progress=on_progress,
        on_warning=on_warning,
    )
    if report.dry_run:
        return report
    engine = get_engine(db)
    with transaction(engine) as conn:
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
    if table in live.SOURCES and report.written_ids:
        if recalculate == "later":
            live.rows_changed_later(engine, table, report.written_ids)
        else:
            live.rows_changed(engine, table, report.written_ids)
    if table == "people":
        from attain.access import forget_hierarchy
        from attain.pay.current import forget_cached_pay

        forget_hierarchy()
        forget_cached_pay()
    return report
