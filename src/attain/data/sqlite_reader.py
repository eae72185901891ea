"""Read SQLite tables into Arrow files in a child process, through ADBC.

ADBC's SQLite driver carries its own copy of SQLite. Two copies of SQLite in one process break
SQLite's file locking (POSIX locks belong to the process, so one copy closing the file drops the
other's locks), which can corrupt a store in WAL mode or crash the process. So the fast Arrow
reader runs in its own process, where it is just another reader of the file.

Run as `python -m attain.data.sqlite_reader DB OUTDIR` with a JSON list of
`{"name": ..., "sql": ...}` on standard input; writes OUTDIR/<name>.arrow for each.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> None:
    import adbc_driver_sqlite.dbapi as adbc_sqlite
    import pyarrow as pa

    database, out = sys.argv[1], Path(sys.argv[2])
    queries = json.load(sys.stdin)
    uri = f"file:{database}?mode=ro"
    with adbc_sqlite.connect(uri) as conn, conn.cursor() as cur:
        for q in queries:
            cur.execute(typed_as_text(q["sql"], q.get("columns")))
            table = cur.fetch_arrow_table()
            if q.get("columns"):
                table = table.slice(1)
            with (
                pa.OSFile(str(out / f"{q['name']}.arrow"), "wb") as sink,
                pa.ipc.new_file(sink, table.schema) as writer,
            ):
                writer.write_table(table)


def typed_as_text(sql: str, columns: list[str] | None) -> str:
    """The query behind one row of empty text, so every column is typed as text.

    The driver types each column by the first rows it reads: a column whose first rows are all
    null (a cancelled date most deals lack) would be typed as integer and the first text value
    after them would fail the read. `main` drops the leading row again.
    """
    if not columns:
        return sql
    first = ", ".join(f"'' AS \"{c}\"" for c in columns)
    return f"SELECT {first} UNION ALL SELECT * FROM ({sql})"


if __name__ == "__main__":
    main()
