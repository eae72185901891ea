"""`attain comp verify` recalculates a stored run to the cent and notices an altered line;
`attain audit verify` notices an edited or a deleted audit entry.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pay_helpers import approve_and_close, run_and_publish, seed
from sqlalchemy import text
from typer.testing import CliRunner

from attain.audit import verify_log
from attain.cli import app
from attain.data.store import get_engine

runner = CliRunner()


def _drop_guards(url: str) -> None:
    """What an attacker with database access would do first: remove the append-only triggers."""
    with get_engine(url).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("DROP TRIGGER audit_log_append_only ON audit_log"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
            conn.execute(text("DROP TRIGGER audit_log_no_delete"))


def test_verify_passes_on_a_stored_run_and_fails_when_a_line_is_altered(
    store_url: str, plans_dir: Path
) -> None:
    seed(store_url)
    run_id = run_and_publish(store_url, plans_dir)
    ok = runner.invoke(app, ["comp", "verify", run_id, "--db", store_url])
    assert ok.exit_code == 0, ok.output
    assert "all 3 lines recalculated to the cent" in ok.output
    with get_engine(store_url).begin() as conn:
        conn.execute(
            text(
                "UPDATE comp_payout_lines SET amount = '1500.01' WHERE run_id = :r AND payee = 'ana' "
                "AND period = '2027-01'"
            ),
            {"r": run_id},
        )
    bad = runner.invoke(app, ["comp", "verify", run_id, "--db", store_url])
    assert bad.exit_code == 1
    assert "ana 2027-01 ae/commission: stored 1500.01, recalculated 1500.00" in bad.output


def test_verify_refuses_a_run_of_another_engine_version(sqlite_url: str, plans_dir: Path) -> None:
    seed(sqlite_url)
    run_id = run_and_publish(sqlite_url, plans_dir)
    with get_engine(sqlite_url).begin() as conn:
        conn.execute(text("UPDATE comp_runs SET engine_version = 'attain-0.0.1'"))
    out = runner.invoke(app, ["comp", "verify", run_id, "--db", sqlite_url])
    assert out.exit_code == 2 and "attain-0.0.1" in out.output


def test_the_audit_log_refuses_edits_and_its_chain_exposes_them(
    store_url: str, plans_dir: Path
) -> None:
    seed(store_url)
    run_and_publish(store_url, plans_dir)
    approve_and_close(store_url, "2027-01")
    engine = get_engine(store_url)
    count, problems = verify_log(engine)
    assert count == 5 and problems == []
    assert runner.invoke(app, ["audit", "verify", "--db", store_url]).exit_code == 0
    with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"))
    _drop_guards(store_url)

    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"))
    out = runner.invoke(app, ["audit", "verify", "--db", store_url])
    assert out.exit_code == 1 and "entry 2: its content was altered" in out.output
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'pat' WHERE seq = 2"))
    assert all("store guard" in p for p in verify_log(engine)[1])

    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 3"))
    assert any("missing" in p for p in verify_log(engine)[1])


def test_deleting_the_newest_audit_entry_is_noticed(sqlite_url: str, plans_dir: Path) -> None:
    seed(sqlite_url)
    run_and_publish(sqlite_url, plans_dir)
    approve_and_close(sqlite_url, "2027-01")
    _drop_guards(sqlite_url)
    with get_engine(sqlite_url).begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)"))
    out = runner.invoke(app, ["audit", "verify", "--db", sqlite_url])
    assert out.exit_code == 1 and "head names entry 5" in out.output


def test_a_publish_logs_what_changed_in_plans_assignments_and_quotas(
    sqlite_url: str, plans_dir: Path
) -> None:
    import datetime as dt

    from attain.audit import entries
    from attain.data.schema import PlanAssignment
    from attain.data.store import session

    seed(sqlite_url)
    run_and_publish(sqlite_url, plans_dir)
    with session(sqlite_url) as s:  # ben leaves the plan at the end of January; the rate goes up
        s.get(PlanAssignment, ("ben", "ae", dt.date(2027, 1, 1))).valid_to = dt.date(2027, 1, 31)  # type: ignore[union-attr]
    plan = plans_dir / "ae.yaml"
    plan.write_text(plan.read_text().replace("rate: 0.10", "rate: 0.11"))
    run_and_publish(sqlite_url, plans_dir)
    log = {e.action: e for e in entries(get_engine(sqlite_url))}
    assert "rate: 0.10" in log["plan.change"].before["text"]
    assert "rate: 0.11" in log["plan.change"].after["text"]
    changed = log["assignments.change"]
    assert changed.before["rows"][0]["valid_to"] is None
    assert changed.after["rows"][0]["valid_to"] == "2027-01-31"
    assert "quotas.change" not in log
    assert verify_log(get_engine(sqlite_url))[1] == []


def _legacy_log(url: str, n: int, *, head: bool = True, actor_of_2: str = "fay") -> None:
    """A log as attain wrote it before entries were signed: plain SHA-256, no key id."""
    import datetime as dt

    from attain.audit.log import GENESIS, _fields, entry_hash

    prev = GENESIS
    with get_engine(url).begin() as conn:
        for seq in range(1, n + 1):
            row = {
                "seq": seq,
                "at": dt.datetime(2026, 11, seq),
                "actor": actor_of_2 if seq == 2 else "fay",
                "role": "finance",
                "action": "period.prepare",
                "entity": "period",
                "entity_id": f"2026-{seq:02d}",
                "before": None,
                "after": None,
                "reason": None,
                "key_id": None,
            }
            digest = entry_hash(prev, _fields(row))
            conn.execute(
                text(
                    "INSERT INTO audit_log (seq, at, actor, role, action, entity, entity_id,"
                    " prev_hash, hash) VALUES (:seq, :at, :actor, :role, :action, :entity,"
                    " :entity_id, :p, :h)"
                ),
                {**row, "p": prev, "h": digest},
            )
            prev = digest
        if head:
            conn.execute(
                text("INSERT INTO audit_head (id, seq, hash) VALUES (1, :s, :h)"),
                {"s": n, "h": prev},
            )


def test_an_unsigned_log_is_signed_as_it_was_and_stays_checked(sqlite_url: str) -> None:
    """Guards the migration of logs written before signing: verify says they are unsigned until
    `attain audit checkpoint` signs them; an edit of an old entry is caught after that."""
    _legacy_log(sqlite_url, 3)
    out = runner.invoke(app, ["audit", "verify", "--db", sqlite_url])
    assert out.exit_code == 1 and "entries 1..3 are not signed with the audit key" in out.output
    done = runner.invoke(app, ["audit", "checkpoint", "--db", sqlite_url])
    assert done.exit_code == 0 and "checkpoint: entry 5" in done.output, done.output
    assert runner.invoke(app, ["audit", "verify", "--db", sqlite_url]).exit_code == 0
    _drop_guards(sqlite_url)
    with get_engine(sqlite_url).begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq <= 3"))
    _legacy_log(sqlite_url, 3, head=False, actor_of_2="mallory")  # its chain recomputed
    out = runner.invoke(app, ["audit", "verify", "--db", sqlite_url])
    assert out.exit_code == 1
    assert "entry 4: does not follow the entry before it" in out.output, out.output


def test_a_rotated_key_signs_new_entries_and_old_ones_still_verify(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards key rotation: entries name their key; old keys stay in the keyring; a keyring
    without the old key cannot vouch for the old entries, and says which key is missing."""
    import json

    from attain.audit import entries, log_change
    from attain.audit.actor import SYSTEM

    monkeypatch.setenv("ATTAIN_AUDIT_HOME", str(tmp_path / "home"))
    engine = get_engine(sqlite_url)
    log_change(engine, SYSTEM, "plan.change", "plan", "ae", after={"n": 1})
    out = runner.invoke(app, ["audit", "rotate-key", "--db", sqlite_url])
    assert out.exit_code == 0 and "audit key k" in out.output, out.output
    log_change(engine, SYSTEM, "plan.change", "plan", "ae", after={"n": 2})
    assert runner.invoke(app, ["audit", "verify", "--db", sqlite_url]).exit_code == 0
    rotation = next(e for e in entries(engine) if e.action == "audit.rotate-key")
    old, new = rotation.before["key"], rotation.after["key"]
    assert old != new
    ring = tmp_path / "home" / "audit-keys.json"
    assert ring.stat().st_mode & 0o777 == 0o600
    data = json.loads(ring.read_text())
    del data["keys"][old]
    ring.write_text(json.dumps(data))
    bad = runner.invoke(app, ["audit", "verify", "--db", sqlite_url])
    assert (
        bad.exit_code == 1 and f"signed with key {old}, which is not in the keyring" in bad.output
    )
    monkeypatch.setenv("ATTAIN_AUDIT_KEY", "a deployment's shared secret")
    refused = runner.invoke(app, ["audit", "rotate-key", "--db", sqlite_url])
    assert refused.exit_code == 2 and "ATTAIN_AUDIT_KEY" in refused.output
