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
