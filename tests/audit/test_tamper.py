"""Editing the store file directly never goes unnoticed: for each way of changing the audit log,
a period's status, a ledger line or the head, `attain audit verify` or `attain comp verify`
exits non-zero and names what changed; with the store's triggers in place, plain SQL cannot
reopen a closed period, edit an approved or closed period's lines, or move the head.

On main, the chain was plain SHA-256 with no anchor outside the store and the reopen guard
trusted `audit_head`: truncation with the head moved back, a recomputed chain and an emptied log
passed, approved periods were not locked, and `comp verify` did not read the ledger.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from tamper_world import Store
from typer.testing import CliRunner

from attain.audit.keys import Key, signing_key
from attain.audit.log import GENESIS, _fields, entry_hash
from attain.cli import app
from attain.data.store import get_engine
from cli_users import as_user

runner = CliRunner()


def drop_guards(engine: Engine) -> None:
    """What an attacker with database access does first: remove every trigger attain set."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            for t, table in (
                ("audit_log_append_only", "audit_log"),
                ("audit_head_follows", "audit_head"),
                ("pay_ledger_closed", "pay_ledger"),
                ("pay_periods_closed", "pay_periods"),
            ):
                conn.execute(text(f"DROP TRIGGER {t} ON {table}"))
        else:
            names = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            for (name,) in list(names):
                conn.execute(text(f"DROP TRIGGER {name}"))


def audit_verify(url: str) -> tuple[int, str]:
    out = runner.invoke(app, ["audit", "verify", "--db", url])
    return out.exit_code, " ".join(out.output.split())  # as read, whatever the terminal width


def comp_verify(url: str) -> tuple[int, str]:
    out = runner.invoke(app, ["comp", "verify", "--db", url])
    return out.exit_code, " ".join(out.output.split())


def sql(engine: Engine, statement: str, **params: object) -> None:
    with engine.begin() as conn:
        conn.execute(text(statement), params)


def last_seq(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT max(seq) FROM audit_log")).scalar() or 0)


def line_of(engine: Engine, period: str, payee: str = "ana") -> tuple[int, str]:
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT id, amount FROM pay_ledger WHERE period = :p AND payee = :y"
                " AND kind = 'calculated'"
            ),
            {"p": period, "y": payee},
        ).one()
    return int(row[0]), str(row[1])


def test_the_untouched_store_verifies(closed_store: Store) -> None:
    code, out = audit_verify(closed_store.url)
    assert code == 0 and "audit log intact" in out and "newest checkpoint entry" in out, out
    code, out = comp_verify(closed_store.url)
    assert code == 0 and "1 approved or closed" not in out and "2 approved or closed" in out, out


def test_an_edited_entry(closed_store: Store) -> None:
    engine = get_engine(closed_store.url)
    drop_guards(engine)
    sql(engine, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
    code, out = audit_verify(closed_store.url)
    assert code == 1 and "entry 2: its content was altered (signature mismatch)" in out, out


def test_a_deleted_entry(closed_store: Store) -> None:
    engine = get_engine(closed_store.url)
    drop_guards(engine)
    sql(engine, "DELETE FROM audit_log WHERE seq = 3")
    code, out = audit_verify(closed_store.url)
    assert code == 1 and "entries 3..3 are missing (deleted)" in out, out
    assert "the store guard audit_log_no_delete is missing" in out


def test_reordered_entries(closed_store: Store) -> None:
    engine = get_engine(closed_store.url)
    drop_guards(engine)
    sql(engine, "UPDATE audit_log SET seq = -1 WHERE seq = 2")
    sql(engine, "UPDATE audit_log SET seq = 2 WHERE seq = 3")
    sql(engine, "UPDATE audit_log SET seq = 3 WHERE seq = -1")
    code, out = audit_verify(closed_store.url)
    assert code == 1 and "entry 2: does not follow the entry before it" in out, out
    rewrite_chain(engine, key_id=signing_key().id, edit=False)  # and the chain made to follow
    code, out = audit_verify(closed_store.url)
    assert code == 1 and "entry 2: its content was altered (signature mismatch)" in out, out


def test_truncated_without_moving_the_head(closed_store: Store) -> None:
    engine = get_engine(closed_store.url)
    n = last_seq(engine)
    drop_guards(engine)
    sql(engine, "DELETE FROM audit_log WHERE seq > :n", n=n - 2)
    code, out = audit_verify(closed_store.url)
    assert code == 1 and f"the log ends at entry {n - 2} but its head names entry {n}" in out
    assert f"entries {n - 1}..{n} were deleted" in out  # the checkpoint says so too


def test_truncated_with_the_head_moved_back(closed_store: Store) -> None:
    engine = get_engine(closed_store.url)
    n = last_seq(engine)
    drop_guards(engine)
    sql(engine, "DELETE FROM audit_log WHERE seq > :n", n=n - 2)
    sql(
        engine,
        "UPDATE audit_head SET seq = :n, hash = (SELECT hash FROM audit_log WHERE seq = :n)",
        n=n - 2,
    )
    code, out = audit_verify(closed_store.url)
    assert code == 1, out
    assert f"the log ends at entry {n - 2} but the checkpoint of" in out
    assert f"names entry {n} (period.approve 2027-02): entries {n - 1}..{n} were deleted" in out


def rewrite_chain(
    engine: Engine, key: object = None, key_id: str | None = None, *, edit: bool = True
) -> None:
    """Recompute every entry's hash after editing one, as someone without attain's key can."""
    with engine.begin() as conn:
        rows = [
            dict(r) for r in conn.execute(text("SELECT * FROM audit_log ORDER BY seq")).mappings()
        ]
        prev = GENESIS
        for row in rows:
            if edit and row["seq"] == 2:
                row["actor"] = "mallory"
            row["key_id"] = key_id
            if isinstance(row["at"], str):
                import datetime as dt

                row["at"] = dt.datetime.fromisoformat(row["at"])
            digest = entry_hash(prev, _fields(row), key)  # type: ignore[arg-type]
            conn.execute(
                text(
                    "UPDATE audit_log SET actor = :a, key_id = :k, prev_hash = :p, hash = :h"
                    " WHERE seq = :s"
                ),
                {"a": row["actor"], "k": key_id, "p": prev, "h": digest, "s": row["seq"]},
            )
            prev = digest
        conn.execute(
            text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": rows[-1]["seq"], "h": prev}
        )


def test_a_chain_recomputed_with_plain_sha256(closed_store: Store) -> None:
    engine = get_engine(closed_store.url)
    drop_guards(engine)
    rewrite_chain(engine)
    code, out = audit_verify(closed_store.url)
    assert code == 1, out
    assert "are not signed with the audit key" in out
    assert "is not the entry checkpointed at" in out and "the log was rewritten" in out


def test_a_chain_recomputed_with_another_key(closed_store: Store) -> None:
    engine = get_engine(closed_store.url)
    drop_guards(engine)
    rewrite_chain(engine, Key(signing_key().id, b"a guess"), signing_key().id)
    code, out = audit_verify(closed_store.url)
    assert code == 1 and "entry 1: its content was altered (signature mismatch)" in out, out


def test_an_emptied_log(closed_store: Store) -> None:
    engine = get_engine(closed_store.url)
    n = last_seq(engine)
    drop_guards(engine)
    sql(engine, "DELETE FROM audit_log")
    sql(engine, "UPDATE audit_head SET seq = 0, hash = :h", h=GENESIS)
    code, out = audit_verify(closed_store.url)
    assert code == 1 and "the log is empty but the checkpoint of" in out, out
    assert f"entries 1..{n} were deleted" in out


def test_an_edited_head_is_refused_and_noticed(closed_store: Store) -> None:
    engine = get_engine(closed_store.url)
    with pytest.raises(Exception, match="the audit head names only the newest entry"):
        sql(
            engine,
            "UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_log WHERE seq = 3)",
        )
    drop_guards(engine)
    sql(engine, "UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_log WHERE seq = 3)")
    code, out = audit_verify(closed_store.url)
    assert code == 1 and "but its head names entry 3" in out, out


def test_a_flipped_period_status(closed_store: Store) -> None:
    engine = get_engine(closed_store.url)
    with pytest.raises(Exception, match="only attain period reopen"):
        sql(engine, "UPDATE pay_periods SET status = 'open' WHERE period = '2027-01'")
    drop_guards(engine)
    sql(engine, "UPDATE pay_periods SET status = 'open' WHERE period = '2027-01'")
    sql(engine, "UPDATE pay_periods SET status = 'closed' WHERE period = '2027-02'")
    code, out = comp_verify(closed_store.url)
    assert code == 1, out
    assert "period 2027-01 is open in the store but closed in the audit log" in out
    assert "period 2027-02 is closed in the store but approved in the audit log" in out


@pytest.mark.parametrize("period", ["2027-01", "2027-02"])  # closed, approved
def test_an_edited_ledger_line_of_a_frozen_period(closed_store: Store, period: str) -> None:
    engine = get_engine(closed_store.url)
    line, amount = line_of(engine, period)
    with pytest.raises(Exception, match="period is closed or approved"):
        sql(engine, "UPDATE pay_ledger SET amount = amount + 5000 WHERE id = :i", i=line)
    drop_guards(engine)
    sql(engine, "UPDATE pay_ledger SET amount = amount + 5000 WHERE id = :i", i=line)
    sql(engine, "UPDATE comp_payout_lines SET amount = amount + 5000")  # the run "agrees" too
    code, out = comp_verify(closed_store.url)
    assert code == 1, out
    before = f"{float(amount):,.2f}"
    after = f"{float(amount) + 5000:,.2f}"
    assert f"ledger line {line}: {before} USD -> {after} USD" in out


def test_a_ledger_line_raised_in_an_open_period_is_traced_to_its_run(closed_store: Store) -> None:
    from pay_helpers import FINANCE

    from attain.pay import add_adjustment

    engine = get_engine(closed_store.url)
    adj = add_adjustment(
        closed_store.url,
        FINANCE,
        payee="ben",
        period="2027-03",
        amount="100",
        reason_code="spiff",
        comment="march spiff",
    )
    sql(engine, "UPDATE pay_ledger SET amount = amount + 5000 WHERE id = :i", i=adj)
    code, out = comp_verify(closed_store.url)
    assert (
        code == 1
        and f"ledger line {adj} (ben 2027-03 -/adjustment): 100.00 USD -> 5,100.00 USD" in out
    ), out


def test_the_reopen_guard_does_not_trust_the_head(closed_store: Store) -> None:
    """The attack of the issue: with the triggers in place, the head cannot be pointed at an old
    reopen entry, and a forged reopen entry lets the period open but is caught by verify."""
    engine = get_engine(closed_store.url)
    line, amount = line_of(engine, "2027-01")
    n = last_seq(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_log (seq, at, actor, role, action, entity, entity_id, prev_hash,"
                " hash, key_id) SELECT :s, at, 'ada', 'admin', 'period.reopen', 'period', '2027-01',"
                " hash, hash, key_id FROM audit_log WHERE seq = :n"
            ),
            {"s": n + 1, "n": n},
        )
        conn.execute(text("UPDATE pay_periods SET status = 'open' WHERE period = '2027-01'"))
        conn.execute(text("UPDATE pay_ledger SET amount = '23925.60' WHERE id = :i"), {"i": line})
        conn.execute(text("UPDATE pay_periods SET status = 'closed' WHERE period = '2027-01'"))
    code, out = audit_verify(closed_store.url)
    assert code == 1 and f"entry {n + 1}: its content was altered" in out, out
    code, out = comp_verify(closed_store.url)
    assert code == 1 and f"ledger line {line}: {float(amount):,.2f} USD -> 23,925.60 USD" in out


@pytest.mark.postgres
def test_on_postgres_a_closed_ledger_edit_and_a_cut_log_are_caught(closed_pg_store: Store) -> None:
    engine = get_engine(closed_pg_store.url)
    line, amount = line_of(engine, "2027-01")
    with pytest.raises(Exception, match="period is closed or approved"):
        sql(engine, "UPDATE pay_ledger SET amount = amount + 5000 WHERE id = :i", i=line)
    n = last_seq(engine)
    sql(  # a reopen entry of an earlier transaction does not open the period
        engine,
        "INSERT INTO audit_log (seq, at, actor, role, action, entity, entity_id, prev_hash, hash)"
        " VALUES (:s, now(), 'ada', 'admin', 'period.reopen', 'period', '2027-01', 'x', 'x')",
        s=n + 1,
    )
    with pytest.raises(Exception, match="only attain period reopen"):
        sql(engine, "UPDATE pay_periods SET status = 'open' WHERE period = '2027-01'")
    drop_guards(engine)
    sql(engine, "UPDATE pay_ledger SET amount = amount + 5000 WHERE id = :i", i=line)
    sql(engine, "DELETE FROM audit_log WHERE seq > :n", n=n - 2)
    sql(
        engine,
        "UPDATE audit_head SET seq = :n, hash = (SELECT hash FROM audit_log WHERE seq = :n)",
        n=n - 2,
    )
    code, out = audit_verify(closed_pg_store.url)
    assert code == 1 and f"entries {n - 1}..{n} were deleted" in out, out
    code, out = comp_verify(closed_pg_store.url)
    assert code == 1, out
    assert f"ledger line {line}: {float(amount):,.2f} USD -> {float(amount) + 5000:,.2f} USD" in out


@pytest.mark.postgres
def test_on_postgres_a_recomputed_chain_is_caught(closed_pg_store: Store) -> None:
    engine = get_engine(closed_pg_store.url)
    drop_guards(engine)
    rewrite_chain(engine)
    code, out = audit_verify(closed_pg_store.url)
    assert code == 1 and "are not signed with the audit key" in out, out


def test_close_and_payroll_export_show_the_checkpoint(closed_store: Store, tmp_path: Path) -> None:
    """The head kept outside the store is printed on close and put beside each payroll file."""
    url = closed_store.url
    actor = ("--db", url)
    fay = as_user(url, "fay", "finance")
    closed = runner.invoke(app, ["period", "close", "2027-02", *actor], env=fay)
    assert closed.exit_code == 0 and "audit checkpoint: entry" in closed.output, closed.output
    target = tmp_path / "p.csv"
    out = runner.invoke(
        app, ["export", "payroll", "2027-02", "--out", str(target), *actor], env=fay
    )
    assert out.exit_code == 0, out.output
    n = last_seq(get_engine(url))
    sidecar = (tmp_path / "p.csv.audit").read_text()
    assert f" seq={n} " in sidecar and "action=payroll.export id=2027-02" in sidecar
    code, text = audit_verify(url)
    assert code == 0 and f"newest checkpoint entry {n}" in text, text


def test_an_old_reopen_entry_under_the_head_does_not_open_a_period(
    closed_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's attack: the head pointed at an earlier reopen entry of the period let plain
    SQL reopen it; the guard now reads the log's newest entry, which the head cannot move."""
    import datetime as dt

    from pay_helpers import ADMIN, approve_and_close

    from attain.pay import periods, reopen_period

    monkeypatch.setattr(periods, "current_day", lambda: dt.date(2028, 6, 30))
    url = closed_store.url
    reopen_period(url, "2027-01", ADMIN, "a late deal")
    approve_and_close(url, "2027-01")
    engine = get_engine(url)
    with engine.connect() as conn:
        reopen = conn.execute(
            text("SELECT seq FROM audit_log WHERE action = 'period.reopen'")
        ).scalar_one()
    sql(engine, "DROP TRIGGER IF EXISTS audit_head_follows_update")
    sql(engine, "UPDATE audit_head SET seq = :s, hash = 'x'", s=reopen)
    with pytest.raises(Exception, match="only attain period reopen"):
        sql(engine, "UPDATE pay_periods SET status = 'open' WHERE period = '2027-01'")
