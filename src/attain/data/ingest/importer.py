"""`attain import TABLE FILE`: read the file in batches, map its columns, check every row, and
upsert the rows by primary key, all in one transaction: an import either completes or leaves
the store exactly as it was, so an import that was stopped can simply be run again.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from attain.data.ingest.check import CheckedBatch, check_batch
from attain.data.ingest.keys import PrimaryKeys, show_key
from attain.data.ingest.mapping import (
    ColumnPlan,
    Pair,
    merge_mappings,
    missing_required,
    plan_columns,
)
from attain.data.ingest.problems import ImportFailed, InvalidRows, Problem
from attain.data.ingest.progress import OnProgress
from attain.data.ingest.references import References
from attain.data.ingest.rejects import Rejects
from attain.data.ingest.report import ImportReport
from attain.data.ingest.rules import Rules
from attain.data.ingest.source import DEFAULT_BATCH_ROWS, RawBatch, Source, open_source
from attain.data.ingest.spec import MappingSpec, check_against
from attain.data.ingest.target import Target, TargetColumn, data_model_target
from attain.data.ingest.upsert import Upsert, count_rows, hold_write_lock
from attain.data.ingest.user_tables import (
    RESERVED,
    check_new_name,
    create_user_table,
    infer_columns,
    registered_target,
    user_table_names,
)
from attain.data.ingest.values import Formats
from attain.data.schema import DATA_TABLES
from attain.data.store import get_engine

SHOWN_PROBLEMS = 50
BATCH_ROWS_ENV = "ATTAIN_IMPORT_BATCH_ROWS"
"""Environment variable that sets the batch size when no option does (for tuning and tests)."""


@dataclass(frozen=True)
class ImportOptions:
    """How to read the file and what to do with bad rows."""

    mapping: tuple[Pair, ...] = ()
    """`--map` pairs; they replace the spec's lines for the same file column."""
    spec: MappingSpec | None = None
    """A saved or written mapping: columns, value replacements, date formats, derived columns."""
    spec_label: str = "the mapping"
    formats: Formats = field(default_factory=Formats)
    skip_invalid: bool = False
    rejects: Path | None = None
    """Where --skip-invalid writes rejected rows (default: `<file>.rejects.csv`)."""
    new_table: bool = False
    sheet: str | None = None
    delimiter: str | None = None
    batch_rows: int | None = None
    dry_run: bool = False
    preview: int = 0
    """How many of the first valid rows to keep in the report, as they would be written."""
    keep_ids: bool = False
    """Whether the report lists the `id` of every row written (to recalculate what changed)."""
    keep_keys: tuple[str, ...] = ()
    """Columns whose values the report lists for every row written (a table keyed otherwise,
    as quotas by payee and period)."""
    on_page: bool = False
    """Whether errors are read on the import page (which has no `--map` flag to suggest)."""


def batch_rows(options: ImportOptions) -> int:
    if options.batch_rows:
        return options.batch_rows
    from_env = os.environ.get(BATCH_ROWS_ENV, "")
    return int(from_env) if from_env.isdigit() and int(from_env) > 0 else DEFAULT_BATCH_ROWS


def import_file(
    table: str,
    path: Path | str,
    *,
    db: str | None = None,
    options: ImportOptions | None = None,
    label: str | None = None,
    on_progress: OnProgress | None = None,
    on_warning: Callable[[str], None] | None = None,
    before_commit: Callable[[Connection, ImportReport], None] | None = None,
) -> ImportReport:
    """Import `path` into `table` of the store at `db`; nothing is written unless all of it is.
    `before_commit` writes on the import's own transaction once the rows are in (the audit
    entry, so the rows and their record commit together or not at all).

    Raises ImportFailed (the file, table or mapping is unusable) or InvalidRows (some rows are
    bad and --skip-invalid is off). Example::

        import_file("deals", "pipeline.csv", options=ImportOptions(mapping=(("Owner", "owner"),)))
    """
    options = options or ImportOptions()
    path = Path(path)
    label = label or str(path)
    source = open_source(
        path,
        label=label,
        batch_rows=batch_rows(options),
        sheet=options.sheet,
        delimiter=options.delimiter,
    )
    engine = get_engine(db)
    rejects = (
        Rejects(options.rejects or path.with_name(path.name + ".rejects.csv"), source.header)
        if options.skip_invalid and not options.dry_run
        else None
    )
    try:
        with engine.connect() as conn, conn.begin() as transaction:
            hold_write_lock(conn)
            run = _Import(conn, table, source, options, label, rejects)
            report = run.execute(on_progress or _no_progress, on_warning or _no_warning)
            if options.dry_run:
                transaction.rollback()
            elif before_commit is not None:
                before_commit(conn, report)
    except BaseException:
        if rejects is not None:
            rejects.discard()
        raise
    if rejects is not None:
        report.rejects_path = rejects.finish()
    return report


def _no_progress(done: int, total: int | None, unit: str, rows: int) -> None:
    return None


def _no_warning(message: str) -> None:
    return None


class _Import:
    """One import's state while it runs: counts, problems, keys seen, references known."""

    def __init__(
        self,
        conn: Connection,
        table: str,
        source: Source,
        options: ImportOptions,
        label: str,
        rejects: Rejects | None,
    ) -> None:
        self.conn = conn
        self.table = table
        self.source = source
        self.options = options
        self.label = label
        self.rejects = rejects
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.bad_rows = 0
        self.rules: Rules | None = None

    def execute(self, on_progress: OnProgress, on_warning: Callable[[str], None]) -> ImportReport:
        target, plan, created = self._target_and_plan()
        report = ImportReport(table=target.name, file=self.label, created_table=created)
        report.dry_run = self.options.dry_run
        if plan.ignored:
            report.ignored_columns = plan.ignored
            names = ", ".join(repr(n) for n in plan.ignored)
            on_warning(
                f"{self.label}: ignoring columns that fill nothing in {target.name}: {names} "
                "(map them with --map 'Column=column', or to nothing with --map 'Column=')"
            )
        self._refuse_unusable(target, plan)
        if self.rules is not None and self.rules.unused(plan.targets):
            names = ", ".join(repr(n) for n in self.rules.unused(plan.targets))
            on_warning(
                f"{self.options.spec_label}: no file column fills {names}, so its values and "
                "date formats are not used"
            )

        ref_columns = _unique_refs(target, plan)
        references = References(self.conn, target, ref_columns)
        keys = PrimaryKeys(target.primary_key)
        written_columns = [
            c
            for c in target.columns
            if c in plan.targets
            or (target.columns[c].primary_key and target.columns[c].default is not None)
        ]
        upsert = Upsert(self.conn, target, written_columns)
        before = count_rows(self.conn, target.table)
        changed = written = 0

        for raw in self.source.batches():
            checked = check_batch(raw, plan, target, self.options.formats, self.rules)
            self._check_keys(checked, target, plan, keys)
            self._check_references(checked, target, plan, references, ref_columns)
            good = self._note_problems(raw, checked)
            if len(report.preview) < self.options.preview:
                _keep_preview(report, checked, good, written_columns, self.options.preview)
            report.rows += checked.num_rows + len(raw.broken)
            for column in ref_columns:
                if references.refers_to_itself(column):
                    assert column.ref is not None
                    key = column.ref.split(".", 1)[1]
                    references.remember(column.ref, checked.values[key].filter(good))
            if self.options.skip_invalid or self.problem_count == 0:
                accepted = {c: checked.values[c].filter(good) for c in written_columns}
                changed += upsert.write(accepted)
                if self.options.keep_ids and "id" in accepted:
                    report.written_ids += [str(v) for v in accepted["id"].to_pylist()]
                if self.options.keep_keys:
                    columns = [accepted[c].to_pylist() for c in self.options.keep_keys]
                    rows = zip(*columns, strict=True)
                    report.written_keys += [tuple(str(v) for v in row) for row in rows]
                written += len(accepted[written_columns[0]])
            on_progress(raw.done, self.source.total, self.source.unit, report.rows)

        if report.rows == 0:
            raise ImportFailed(f"{self.label}: the file names its columns but has no rows")
        if self.problem_count and not self.options.skip_invalid:
            raise InvalidRows(self.label, self.problems, self.problem_count, self.bad_rows)
        report.inserted = count_rows(self.conn, target.table) - before
        report.updated = changed - report.inserted
        report.unchanged = written - changed
        report.rejected = self.bad_rows
        report.problems = self.problems
        return report

    def _target_and_plan(self) -> tuple[Target, ColumnPlan, bool]:
        header, pairs = self.source.header, list(self.options.mapping)
        spec = self.options.spec
        if spec is not None:
            pairs = merge_mappings(list(spec.columns), pairs)
            self.rules = Rules.bind(spec, header, self.label)
            header = self.rules.header(header)
            pairs += self.rules.pairs()
        if self.table in RESERVED:
            raise ImportFailed(
                f"{self.table!r} is kept by attain itself; it cannot be imported into"
            )
        target = data_model_target(self.table) or registered_target(self.conn, self.table)
        if target is not None:
            if spec is not None:
                check_against(spec, self.options.spec_label, target.name, list(target.columns))
            plan = plan_columns(
                header, list(target.columns), pairs, label=self.label, table=target.name
            )
            return target, plan, False
        if not self.options.new_table:
            known = [*DATA_TABLES, *user_table_names(self.conn)]
            close = difflib.get_close_matches(self.table, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ImportFailed(
                f"unknown table {self.table!r}{hint}; the tables are: {', '.join(known)}; "
                "to create a table of your own from the file, add --new-table"
            )
        if spec is not None and (spec.derive or spec.values or spec.dates):
            raise ImportFailed(
                f"{self.options.spec_label}: a new table takes the file's columns as they are; "
                "create it first, then import with values, dates or derived columns"
            )
        check_new_name(self.table)
        if sa.inspect(self.conn).has_table(self.table):
            raise ImportFailed(
                f"{self.table!r} is kept by attain itself; it cannot be imported into"
            )
        plan = plan_columns(header, None, pairs, label=self.label, table=self.table)
        if "id" not in plan.targets:
            raise ImportFailed(
                f"{self.label}: a new table needs an 'id' column as its primary key; "
                "the file has none (map one with --map 'Column=id')"
            )
        columns = infer_columns(self.source, plan, self.options.formats.date)
        return create_user_table(self.conn, self.table, columns), plan, True

    def _refuse_unusable(self, target: Target, plan: ColumnPlan) -> None:
        missing = [c.name for c in target.required if c.name not in plan.targets]
        if missing:
            raise missing_required(
                self.label, target.name, missing, plan, on_page=self.options.on_page
            )
        for m in plan.columns:
            if target.columns[m.target].kind == "money" and m.index in self.source.float_columns:
                raise ImportFailed(
                    f"{self.label}: column {m.source!r} holds binary floating-point numbers, "
                    f"which cannot hold money exactly; store {m.target} as decimal or text"
                )

    def _check_keys(
        self, checked: CheckedBatch, target: Target, plan: ColumnPlan, keys: PrimaryKeys
    ) -> None:
        key_columns = target.primary_key
        arrays = [checked.values[c] for c in key_columns]
        from_file = [plan.source_of(c).source for c in key_columns if c in plan.targets]
        where = "+".join(from_file or key_columns)
        what = "key" if len(key_columns) > 1 else key_columns[0]
        for index, first_row, key in keys.duplicates(arrays, checked.rows):
            checked.add(index, where, f"duplicate {what} {show_key(key)}: also on row {first_row}")

    def _check_references(
        self,
        checked: CheckedBatch,
        target: Target,
        plan: ColumnPlan,
        references: References,
        ref_columns: list[TargetColumn],
    ) -> None:
        flagged: set[tuple[int, str]] = set()
        while True:
            found = False
            for column in ref_columns:
                values = checked.values[column.name]
                batch_keys = None
                if references.refers_to_itself(column):
                    assert column.ref is not None
                    key = checked.values[column.ref.split(".", 1)[1]]
                    bad = _rows_with_problems(checked)
                    batch_keys = pc.if_else(bad, pa.nulls(len(key), key.type), key)
                unknown = references.unknown(column, values, batch_keys)
                source = plan.source_of(column.name).source
                for index in pc.indices_nonzero(unknown).to_pylist():
                    if (index, column.name) in flagged:
                        continue
                    flagged.add((index, column.name))
                    found = True
                    checked.add(index, source, references.reason(column, values[index].as_py()))
            if not found or not any(references.refers_to_itself(c) for c in ref_columns):
                return

    def _note_problems(self, raw: RawBatch, checked: CheckedBatch) -> pa.Array:
        """Count and keep the batch's problems, write its rejects; the mask of rows to write."""
        found: list[tuple[int, str, str, list[str] | None]] = []
        for broken in raw.broken:
            found.append((broken.row, "*", broken.reason, broken.fields))
        rows = checked.rows.to_pylist() if checked.problems else []
        for index, problems in checked.problems.items():
            fields = [c[index].as_py() for c in checked.original] if self.rejects else None
            for column, reason in problems:
                found.append((rows[index], column, reason, fields))
                fields = None
        found.sort(key=lambda p: p[0])
        reasons_by_row: dict[int, list[str]] = {}
        fields_by_row: dict[int, list[str]] = {}
        for row, column, reason, fields in found:
            self.problem_count += 1
            if len(self.problems) < SHOWN_PROBLEMS:
                self.problems.append(Problem(self.label, row, column, reason))
            reasons_by_row.setdefault(row, []).append(f"{column}: {reason}")
            if fields is not None:
                fields_by_row[row] = fields
        self.bad_rows += len(reasons_by_row)
        if self.rejects is not None:
            for row, reasons in reasons_by_row.items():
                self.rejects.add(fields_by_row.get(row, []), "; ".join(reasons))
        return pc.invert(_rows_with_problems(checked))


def _keep_preview(
    report: ImportReport, checked: CheckedBatch, good: pa.Array, columns: list[str], limit: int
) -> None:
    """The first valid rows of the file as they would be written (for a preview)."""
    wanted = limit - len(report.preview)
    indices = pc.indices_nonzero(good).slice(0, wanted)
    rows = checked.rows.take(indices).to_pylist()
    values = {c: checked.values[c].take(indices).to_pylist() for c in columns}
    for i, row in enumerate(rows):
        report.preview.append((row, {c: values[c][i] for c in columns}))


def _rows_with_problems(checked: CheckedBatch) -> pa.Array:
    return pa.array([i in checked.problems for i in range(checked.num_rows)], pa.bool_())


def _unique_refs(target: Target, plan: ColumnPlan) -> list[TargetColumn]:
    return [
        target.columns[c] for c in target.columns if c in plan.targets and target.columns[c].ref
    ]
