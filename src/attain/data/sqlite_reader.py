"""Read SQLite tables into Arrow files in a child process, through ADBC.

ADBC's SQLite driver carries its own copy of SQLite. Two copies of SQLite in one process break
SQLite's file locking (POSIX locks belong to the process, so one copy closing the file drops the
other's locks), which can corrupt a store in WAL mode or crash the process. So the fast Arrow
reader runs in its own process, where it is just another reader of the file.

The process serves one request per line on standard input (JSON: `database`, `out`, and
`queries`, a list of `{"name", "sql", "columns"}`), writes `out/<name>.arrow` for each query and
answers one JSON line (`{}`, or `{"error": ...}`); it ends when its input closes. It is started
once and reused (`attain.data.reader_process`): starting Python with Arrow and the driver costs
more than most reads.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def main() -> None:
    for line in sys.stdin:
        try:
            read(json.loads(line))
            answer: dict[str, str] = {}
        except Exception as exc:  # the parent raises it, named
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


def read(request: dict[str, Any]) -> None:
    """Run each query of the request against its database, read-only, into an Arrow file."""
    import adbc_driver_sqlite.dbapi as adbc_sqlite
    import pyarrow as pa

    out = Path(request["out"])
    uri = f"file:{request['database']}?mode=ro"
    with adbc_sqlite.connect(uri) as conn, conn.cursor() as cur:
        for q in request["queries"]:
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
    after them would fail the read. `read` drops the leading row again.
    """
    if not columns:
        return sql
    first = ", ".join(f"'' AS \"{c}\"" for c in columns)
    return f"SELECT {first} UNION ALL SELECT * FROM ({sql})"


if __name__ == "__main__":
    main()
