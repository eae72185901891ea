"""The built-in logs read from real stores: a hand-made deal store where each figure is known
(teams as of the day, amounts in USD, outcomes by the stage catalog), and a generated company
whose ticket map must be the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import Engine, insert

from attain.access.scope import Scope
from attain.data.schema import Deal, DealStage, DealStageEvent, FxRate, Person
from attain.data.store import get_engine
from attain.data.synth import SynthSpec, generate, write_store
from attain.process.discovery import ProcessMap, process_map
from attain.process.log import EventLog, visible
from attain.process.store_logs import UnknownLog, store_log, store_log_names
from attain.process.transitions import transitions
from attain.process.variants import variants

JAN = dt.datetime(2026, 1, 1)


def deal_store(engine: Engine) -> None:
    """Ana moves from team east to west on 1 February; Ben stays in east.

    D1 (Ana, 1,000 EUR, closes in February at 1.10): prospecting 20 Jan, proposal 3 Feb (Ben),
    won 15 Feb. D2 (Ben, 200 GBP, open, created January: no January rate, December's 1.25):
    prospecting and proposal at the same instant. D3 (Ana, 50 USD): prospecting, then
    "Closed Lost", a stage the catalog does not list. D4 (Ben, 10 JPY, no rate): no events.
    """
    day = dt.date
    with engine.begin() as conn:
        conn.execute(
            insert(Person),
            [
                {
                    "id": "ana",
                    "valid_from": day(2025, 1, 1),
                    "valid_to": day(2026, 1, 31),
                    "team": "east",
                },
                {"id": "ana", "valid_from": day(2026, 2, 1), "valid_to": None, "team": "west"},
                {"id": "ben", "valid_from": day(2025, 1, 1), "valid_to": None, "team": "east"},
            ],
        )
        conn.execute(
            insert(DealStage),
            [
                {"name": "prospecting", "position": 1, "category": "open"},
                {"name": "proposal", "position": 2, "category": "open"},
                {"name": "won", "position": 3, "category": "won"},
            ],
        )
        conn.execute(
            insert(FxRate),
            [
                {"currency": "EUR", "month": "2026-01", "rate": Decimal("1.05")},
                {"currency": "EUR", "month": "2026-02", "rate": Decimal("1.10")},
                {"currency": "GBP", "month": "2025-12", "rate": Decimal("1.25")},
                {"currency": "GBP", "month": "2026-03", "rate": Decimal("1.30")},
            ],
        )

        def deal(
            id_: str, owner: str, amount: str, cur: str, stage: str, **dates: object
        ) -> dict[str, object]:
            row: dict[str, object] = {
                "id": id_,
                "owner": owner,
                "amount": Decimal(amount),
                "currency": cur,
                "stage": stage,
                "created": day(2026, 1, 5),
                "close_date": None,
            }
            return {**row, **dates}

        conn.execute(
            insert(Deal),
            [
                deal("D1", "ana", "1000", "EUR", "won", close_date=day(2026, 2, 15)),
                deal("D2", "ben", "200", "GBP", "proposal", created=day(2026, 1, 10)),
                deal("D3", "ana", "50", "USD", "Closed Lost", close_date=day(2026, 1, 6)),
                deal("D4", "ben", "10", "JPY", "prospecting"),
            ],
        )

        def ev(id_: str, deal: str, to: str, at: dt.datetime, by: str) -> dict[str, object]:
            return {"id": id_, "deal": deal, "from_stage": None, "to_stage": to, "at": at, "by": by}

        conn.execute(
            insert(DealStageEvent),
            [
                ev("D1-1", "D1", "prospecting", JAN + dt.timedelta(days=19), "ana"),
                ev("D1-2", "D1", "proposal", JAN + dt.timedelta(days=33), "ben"),
                ev("D1-3", "D1", "won", JAN + dt.timedelta(days=45), "ana"),
                ev("D2-2", "D2", "proposal", JAN + dt.timedelta(days=9), "ben"),
                ev("D2-1", "D2", "prospecting", JAN + dt.timedelta(days=9), "ben"),
                ev("D3-1", "D3", "prospecting", JAN + dt.timedelta(days=4), "ana"),
                ev("D3-2", "D3", "Closed Lost", JAN + dt.timedelta(days=5), "ana"),
            ],
        )


def test_the_deal_log_from_a_hand_made_store(store_url: str) -> None:
    engine = get_engine(store_url)
    deal_store(engine)
    log = store_log(engine, "deals")
    assert (log.name, log.case_label, log.currency) == ("deals", "deal", "USD")
    cases = {r["case_id"]: r for r in log.cases.to_pyarrow().to_pylist()}
    assert {k: (r["amount"], r["outcome"], r["team"], r["owner"]) for k, r in cases.items()} == {
        "D1": (Decimal("1100.000000"), "won", "east", "ana"),
        "D2": (Decimal("250.000000"), "open", "east", "ben"),
        "D3": (Decimal("50.000000"), "lost", "east", "ana"),
        "D4": (None, "open", "east", "ben"),
    }
    assert cases["D1"]["calendar"] is None
    pairs = transitions(log).order_by("case_id", "step").to_pyarrow().to_pylist()
    assert [(p["case_id"], p["source"], p["target"]) for p in pairs] == [
        ("D1", "prospecting", "proposal"),
        ("D1", "proposal", "won"),
        ("D2", "prospecting", "proposal"),  # a tie: the event ids decide
        ("D3", "prospecting", "Closed Lost"),
    ]
    # Ana was in east when she opened D1 and in west when she won it
    assert [(p["source_team"], p["target_team"]) for p in pairs[:2]] == [
        ("east", "east"),
        ("east", "west"),
    ]
    assert pairs[1]["wait_s"] == 12 * 86400.0
    assert visible(log, Scope(frozenset({"ben"}))).cases.count().execute() == 2


@pytest.fixture(scope="module")
def company() -> object:
    return generate(SynthSpec(seed=11, b2b_reps=2, years=1, start=dt.date(2025, 1, 1)))


@pytest.fixture(scope="module")
def sqlite_company(company: object, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = get_engine(f"sqlite:///{tmp_path_factory.mktemp('process') / 'company.db'}")
    write_store(company, engine)  # type: ignore[arg-type]
    return engine


@pytest.fixture(scope="module")
def postgres_company(company: object, postgres_server: str) -> Iterator[Engine]:
    import psycopg

    name = f"attain_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    engine = get_engine(f"{postgres_server.rsplit('/', 1)[0]}/{name}")
    write_store(company, engine)  # type: ignore[arg-type]
    yield engine
    engine.dispose()
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def sqlite_tickets(sqlite_company: Engine) -> EventLog:
    return store_log(sqlite_company, "tickets")


def counts(m: ProcessMap) -> dict[str, object]:
    return {
        "totals": (m.cases, m.events, m.starts, m.ends),
        "activities": [(a.name, a.events, a.cases, a.starts, a.ends) for a in m.activities],
        "transitions": [(t.source, t.target, t.events, t.cases) for t in m.transitions],
    }


def waits(m: ProcessMap) -> list[float]:
    return [
        w
        for t in m.transitions
        for w in (t.wait_mean_s, t.wait_median_s, t.wait_p90_s, t.wait_total_s)
    ]


def test_every_built_in_log_opens_and_its_events_are_the_stores(sqlite_company: Engine) -> None:
    from sqlalchemy import text

    assert store_log_names(sqlite_company)[:3] == ["deals", "leads", "tickets"]
    for name, table in (
        ("deals", "deal_stage_events"),
        ("leads", "lead_events"),
        ("tickets", "ticket_events"),
    ):
        with sqlite_company.connect() as conn:
            stored = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
        assert process_map(store_log(sqlite_company, name)).events == stored > 0


@pytest.mark.postgres
def test_the_ticket_map_is_the_same_on_sqlite_and_postgresql(
    sqlite_tickets: EventLog, postgres_company: Engine
) -> None:
    postgres_tickets = store_log(postgres_company, "tickets")
    on_sqlite = process_map(sqlite_tickets)
    on_postgres = process_map(postgres_tickets)
    assert on_sqlite.cases > 50
    assert counts(on_postgres) == counts(on_sqlite)
    assert waits(on_postgres) == pytest.approx(waits(on_sqlite), rel=1e-12)
    paths = {v.activities: v.cases for v in variants(sqlite_tickets).variants}
    assert {v.activities: v.cases for v in variants(postgres_tickets).variants} == paths
    assert len(paths) > 1


def test_a_rep_sees_only_own_tickets(sqlite_tickets: EventLog) -> None:
    log = sqlite_tickets
    owners = log.cases.owner.value_counts().to_pyarrow().to_pylist()
    rep = max(owners, key=lambda r: r["owner_count"])["owner"]
    mine = visible(log, Scope(frozenset({rep})))
    assert set(mine.cases.owner.to_pyarrow().to_pylist()) == {rep}
    expected = log.cases.filter(log.cases.owner == rep).count().execute()
    assert process_map(mine).cases == expected < process_map(log).cases


def test_an_unknown_log_is_named(sqlite_company: Engine) -> None:
    with pytest.raises(UnknownLog, match="'orders'"):
        store_log(sqlite_company, "orders")


def test_a_lead_works_by_the_calendar_its_regions_territories_share(store_url: str) -> None:
    """A lead has a region, no territory: EU's territories all work by `eu`, so an EU lead
    does; US's differ and APAC's keep none, so those leads and one in a region without
    territories wait in elapsed time."""
    from attain.data.schema import Lead, LeadEvent, Territory, WorkCalendarRow

    engine = get_engine(store_url)
    hours = {"timezone": "UTC", "workdays": "mon-fri", "opens": "09:00", "closes": "17:00"}
    with engine.begin() as conn:
        conn.execute(insert(WorkCalendarRow), [{"id": "eu", **hours}, {"id": "us", **hours}])
        conn.execute(
            insert(Territory),
            [
                {"id": "t1", "region": "EU", "calendar": "eu"},
                {"id": "t2", "region": "EU", "calendar": "eu"},
                {"id": "t3", "region": "US", "calendar": "eu"},
                {"id": "t4", "region": "US", "calendar": "us"},
                {"id": "t5", "region": "APAC", "calendar": None},
                {"id": "t6", "region": "APAC", "calendar": "us"},
            ],
        )
        regions = {"l-eu": "EU", "l-us": "US", "l-apac": "APAC", "l-x": "LATAM"}
        conn.execute(
            insert(Lead),
            [{"id": i, "created": dt.date(2026, 1, 5), "region": r} for i, r in regions.items()],
        )
        conn.execute(
            insert(LeadEvent),
            [
                {"id": f"{i}-{k}", "lead": i, "at": JAN + dt.timedelta(days=k), "activity": a}
                for i in regions
                for k, a in enumerate(("created", "contacted"))
            ],
        )
    log = store_log(engine, "leads")
    rows = log.cases.select("case_id", "calendar").to_pyarrow().to_pylist()
    assert {r["case_id"]: r["calendar"] for r in rows} == {
        "l-eu": "eu",
        "l-us": None,
        "l-apac": None,
        "l-x": None,
    }
