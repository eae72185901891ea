"""Writing a company: into each store (exact money, one transaction, --replace), into CSV, by CLI."""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from attain.cli import app
from attain.data import bulk
from attain.data.schema import DATA_TABLES, Base, Deal, Order
from attain.data.store import get_engine, session
from attain.data.synth import StoreNotEmpty, SynthSpec, generate, truth, truths, write_store
from attain.data.synth.write import write_csv

SMALL = SynthSpec(seed=3, b2b_reps=6, b2c_associates=12, years=1, start=dt.date(2025, 1, 1))


def _counts(url: str) -> dict[str, int]:
    with get_engine(url).connect() as conn:
        return {
            t: conn.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one() for t in DATA_TABLES
        }


def test_write_store_round_trips_rows_and_exact_money(store_url: str) -> None:
    company = generate(SMALL)
    written = write_store(company, get_engine(store_url))
    counts = _counts(store_url)
    for name, rows in company.tables.items():
        assert counts[name] == rows.num_rows == written.get(name, 0), name
    expected = sum(company.tables["orders"]["amount"].to_pylist(), Decimal(0))
    with session(store_url) as s:
        amounts = s.scalars(select(Order.amount)).all()
        deal = s.scalars(select(Deal).where(Deal.stage == "won").limit(1)).one()
    assert all(isinstance(a, Decimal) for a in amounts)
    assert sum(amounts, Decimal(0)) == expected
    generated = dict(
        zip(
            company.tables["deals"]["id"].to_pylist(),
            company.tables["deals"]["amount"].to_pylist(),
            strict=True,
        )
    )
    assert deal.amount == generated[deal.id]
    assert isinstance(deal.close_date, dt.date)
    with get_engine(store_url).connect() as conn:
        raw = conn.execute(text("SELECT amount FROM orders LIMIT 1")).scalar_one()
    assert not isinstance(raw, float)


def test_truths_read_back(store_url: str) -> None:
    company = generate(SMALL)
    write_store(company, get_engine(store_url))
    found = truths(store_url)
    assert found == json.loads(json.dumps(company.truths))
    assert truth(store_url, "ticket_bottleneck")["step"] in {
        "assigned",
        "investigating",
        "resolved",
    }
    assert set(found) >= {
        "territory_potential",
        "rep_skill",
        "lead_conversion_model",
        "ticket_bottleneck",
        "seasonality",
    }
    with pytest.raises(KeyError, match="no synth truth"):
        truth(store_url, "nothing")


def test_refuses_a_store_with_data_unless_replace(store_url: str) -> None:
    engine = get_engine(store_url)
    write_store(generate(SMALL), engine)
    before = _counts(store_url)
    with pytest.raises(StoreNotEmpty, match="--replace"):
        write_store(generate(SMALL), engine)
    assert _counts(store_url) == before
    other = generate(
        SynthSpec(seed=4, b2b_reps=5, b2c_associates=10, years=1, start=dt.date(2025, 1, 1))
    )
    write_store(other, engine, replace=True)
    assert _counts(store_url) == {
        t: other.tables[t].num_rows if t in other.tables else 0 for t in DATA_TABLES
    }
    assert truths(store_url)["spec"]["seed"] == 4


def test_a_failed_replace_leaves_the_store_as_it_was(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = get_engine(sqlite_url)
    write_store(generate(SMALL), engine)
    before = _counts(sqlite_url)
    real = bulk.bulk_insert

    def failing(target: object, name: str, rows: object) -> int:
        if name == "orders":
            raise RuntimeError("disk full")
        return real(target, name, rows)  # type: ignore[arg-type]

    monkeypatch.setattr("attain.data.synth.write.bulk_insert", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        write_store(
            generate(SynthSpec(seed=9, b2c_associates=12, years=1, start=dt.date(2025, 1, 1))),
            engine,
            replace=True,
        )
    assert _counts(sqlite_url) == before
    assert truths(engine)["spec"]["seed"] == 3


def test_csv_folder_has_the_schema_headers(tmp_path: Path) -> None:
    company = generate(SMALL)
    write_csv(company, tmp_path)
    for name in DATA_TABLES:
        with (tmp_path / f"{name}.csv").open(newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            rows = sum(1 for _ in reader)
        assert header == list(Base.metadata.tables[name].columns.keys()), name
        assert rows == (company.tables[name].num_rows if name in company.tables else 0)
    assert json.loads((tmp_path / "truths.json").read_text()) == json.loads(
        json.dumps(company.truths)
    )
    with (tmp_path / "orders.csv").open(newline="") as f:
        first = next(csv.DictReader(f))
    Decimal(first["amount"])
    dt.date.fromisoformat(first["date"])


def test_cli_synth_into_a_store_and_replace(sqlite_url: str) -> None:
    runner = CliRunner()
    args = [
        "synth",
        "--kind",
        "b2c",
        "--reps",
        "12",
        "--years",
        "1",
        "--seed",
        "2",
        "--start",
        "2025-01-01",
        "--db",
        sqlite_url,
    ]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "orders" in first.output
    again = runner.invoke(app, args)
    assert again.exit_code == 2
    assert "--replace" in again.output
    replaced = runner.invoke(app, [*args, "--replace"])
    assert replaced.exit_code == 0, replaced.output
    with get_engine(sqlite_url).connect() as conn:
        assert conn.execute(select(func.count()).select_from(Deal)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(Order)).scalar_one() > 1000


def test_cli_synth_to_csv(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "synth",
            "--kind",
            "both",
            "--reps",
            "6",
            "--years",
            "1",
            "--seed",
            "2",
            "--start",
            "2025-01-01",
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "deals.csv").exists()
    assert (tmp_path / "out" / "truths.json").exists()


def test_cli_synth_rejects_a_bad_start(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["synth", "--start", "2025-01-15", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "first day of a month" in result.output


def test_demo_no_serve_in_a_fresh_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from attain.data.store import _MIGRATED, _engine, database_url

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ATTAIN_DATABASE_URL", raising=False)
    url = database_url(None)

    def forget() -> None:  # the default URL is relative: do not reuse another folder's engine
        _engine(url).dispose()
        _engine.cache_clear()
        _MIGRATED.discard(url)

    forget()
    try:
        result = CliRunner().invoke(app, ["demo", "--no-serve", "--reps", "12"])
        assert result.exit_code == 0, result.output
        assert (tmp_path / "attain.db").exists()
        for words in (
            "orders",
            "deals",
            "hidden truths",
            "ticket_bottleneck",
            "currencies EUR, GBP, USD",
            "total USD ",  # every amount shown carries its currency
        ):
            assert words in " ".join(result.output.split())  # as Rich wraps it or not
        again = CliRunner().invoke(app, ["demo", "--no-serve", "--reps", "12"])
        assert again.exit_code == 0, again.output  # replaces the earlier demo
        today = dt.date.today()
        last_month_end = dt.date(today.year, today.month, 1) - dt.timedelta(days=1)
        assert str(last_month_end) in result.output
    finally:
        forget()


def test_csv_files_reimport_unchanged_over_the_same_company(tmp_path: Path) -> None:
    """`attain import` of the CSV onto the bulk-loaded store finds every row already there."""
    import typer.main

    if "import" not in {c.name for c in typer.main.get_command(app).commands.values()}:  # type: ignore[attr-defined]
        pytest.skip("`attain import` is not available yet")
    url = f"sqlite:///{tmp_path / 'attain.db'}"
    company = generate(SMALL)
    write_store(company, get_engine(url))
    write_csv(company, tmp_path / "csv")
    for name in ("people", "deals", "deal_stage_events", "orders", "quotas", "fx_rates", "tickets"):
        result = CliRunner().invoke(
            app, ["import", name, str(tmp_path / "csv" / f"{name}.csv"), "--db", url]
        )
        assert result.exit_code == 0, result.output
        rows = company.tables[name].num_rows
        assert f"0 inserted, 0 updated, {rows:,} unchanged" in result.output, result.output


def test_demo_refuses_a_store_with_someone_elses_data(sqlite_url: str) -> None:
    with session(sqlite_url) as s:
        s.add(Deal(id="mine", owner="ana", stage="won", amount=Decimal("10.00")))
    result = CliRunner().invoke(app, ["demo", "--no-serve", "--db", sqlite_url])
    assert result.exit_code == 2
    assert "not generated by attain" in result.output
    with session(sqlite_url) as s:
        assert s.get(Deal, "mine") is not None


def test_bulk_insert_joins_the_callers_transaction(store_url: str) -> None:
    """After an ORM write in the same transaction, and rolled back with it."""
    import numpy as np
    import pyarrow as pa
    from sqlalchemy import insert

    from attain.data.bulk import bulk_insert
    from attain.data.schema import FxRate
    from attain.data.synth._arrow import money

    engine = get_engine(store_url)
    rows = pa.table(
        {"currency": ["EUR"], "month": ["2026-01"], "rate": money(np.array([1_080_000]), 6)}
    )
    with engine.begin() as conn:
        conn.execute(insert(FxRate).values(currency="USD", month="2026-01", rate=Decimal(1)))
        assert bulk_insert(conn, "fx_rates", rows) == 1
    with session(store_url) as s:
        assert {r.currency: r.rate for r in s.scalars(select(FxRate))} == {
            "USD": Decimal(1),
            "EUR": Decimal("1.08"),
        }
    later = pa.table(
        {"currency": ["GBP"], "month": ["2026-01"], "rate": money(np.array([1_270_000]), 6)}
    )
    with pytest.raises(RuntimeError), engine.begin() as conn:
        bulk_insert(conn, "fx_rates", later)
        raise RuntimeError("something after the load failed")
    with session(store_url) as s:
        assert s.get(FxRate, ("GBP", "2026-01")) is None
