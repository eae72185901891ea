"""`attain audit verify` on a long log: 100,000 signed entries (10,000 with --quick), entries/s.

The log is written straight into a fresh SQLite store (signed as attain signs it), then checked
the way the command checks it: every signature, the head, the checkpoints, the guards. The
baseline, measured in the same run, is reading the same rows without checking them; the whole
command (`attain audit verify` in a new process, what the user waits for) is timed too.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select, update


def main(quick: bool) -> None:
    n = 10_000 if quick else 100_000
    with tempfile.TemporaryDirectory(prefix="attain-bench-audit-") as tmp:
        os.environ["ATTAIN_AUDIT_HOME"] = str(Path(tmp) / "home")
        from attain.audit import check_log
        from attain.audit.keys import signing_key
        from attain.audit.log import GENESIS, _fields, entry_hash
        from attain.audit.schema import AuditEntry, AuditHead
        from attain.data.store import get_engine

        engine = get_engine(f"sqlite:///{Path(tmp) / 'attain.db'}")
        key = signing_key()
        start = dt.datetime(2027, 1, 1)
        rows, prev = [], GENESIS
        for seq in range(1, n + 1):
            row = {
                "seq": seq,
                "at": start + dt.timedelta(seconds=seq),
                "actor": "fay",
                "role": "finance",
                "action": "adjustment.add",
                "entity": "adjustment",
                "entity_id": str(seq),
                "before": None,
                "after": json.dumps({"amount": f"{seq % 997}.50", "payee": f"p{seq % 321}"}),
                "reason": "bench",
                "key_id": key.id,
            }
            digest = entry_hash(prev, _fields(row), key)
            rows.append({**row, "prev_hash": prev, "hash": digest})
            prev = digest
        with engine.begin() as conn:
            conn.execute(insert(AuditEntry), rows)
            conn.execute(insert(AuditHead).values(id=1, seq=0, hash=GENESIS))
            conn.execute(update(AuditHead).values(seq=n, hash=prev))
        began = time.perf_counter()
        with engine.connect() as conn:
            read = len(conn.execute(select(AuditEntry).order_by(AuditEntry.seq)).all())
        baseline = time.perf_counter() - began
        began = time.perf_counter()
        check = check_log(engine)
        took = time.perf_counter() - began
        assert not check.problems, check.problems[:3]
        engine.dispose()
        began = time.perf_counter()
        cli = [sys.executable, "-m", "attain", "audit", "verify", "--db", str(engine.url)]
        done = subprocess.run(cli, capture_output=True, text=True, check=False)
        command = time.perf_counter() - began
        assert done.returncode == 0, done.stdout + done.stderr
        print(f"read the log (baseline): {read:,} entries in {baseline:.2f} s")
        print(
            f"audit verify: {check.entries:,} entries in {took:.2f} s = {n / took:,.0f} entries/s"
            f" ({took / baseline:.1f}x reading them)"
        )
        print(f"`attain audit verify` command, start to exit: {command:.2f} s")


if __name__ == "__main__":
    main(quick=False)
