"""The stage catalog: imported like any table, a default reading when it is empty, written by the
demo generator, and the only place in the code that knows how a stage is spelled."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from attain.data.ingest import import_file
from attain.data.schema import Deal, Person
from attain.data.stages import default_category, stage_catalog
from attain.data.store import get_engine, session
from attain.data.synth import SynthSpec, generate, write_store
from attain.quota.history import load_history, open_store

SRC = Path(__file__).resolve().parents[2] / "src" / "attain"
SPELLINGS = Path("data/stages.py"), Path("data/synth/deals.py"), Path("scores/crm_maven.py")
"""The default reading, the demo CRM's own catalog and the reader of one public CRM export (its
four stage names are the file's format): the only files that spell a stage."""
STAGE_LITERAL = re.compile(
    r"closed[_ ]?(won|lost)"  # a CRM's spelling
    r"|stage\w*\s*(==|!=|\bin\b|\bIN\b|\.in_\(|\.not_in\()\s*[(\[]?\s*['\"]"  # stage vs. a literal
    r"|(?:[(,=]|(?<!\w)\[)\s*['\"](won|lost)['\"]\s*[,)\]]",  # a tuple or list of names
    re.IGNORECASE,
)


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("Won", "won"),
        ("closed_won", "won"),
        ("Closed Won", "won"),
        ("CLOSED-WON", "won"),
        ("lost", "lost"),
        ("Closed Lost", "lost"),
        ("Prospecting", "open"),
        ("won back", "open"),
    ],
)
def test_default_reading(name: str, category: str) -> None:
    assert default_category(name) == category


def test_no_module_spells_a_stage() -> None:
    found = [
        f"{path.relative_to(SRC)}:{i}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        if path.relative_to(SRC) not in SPELLINGS
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if STAGE_LITERAL.search(line) and "category" not in line
    ]
    assert found == []


def test_the_pattern_finds_the_spellings_it_forbids() -> None:
    for line in (
        'CLOSED_STAGES = ("won", "lost")',
        "WHERE lower(replace(d.stage, ' ', '_')) IN ('closed_won', 'won')",
        'where: stage in ("won", "closed_won", "Closed Won")',
        "Deal.stage.not_in(('won', 'lost'))",
        "d.stage == 'won'",
        'LOST = ["lost"]',
    ):
        assert STAGE_LITERAL.search(line), line
    assert not STAGE_LITERAL.search('closed = float(row["won"] + row["lost"])')


def test_an_imported_catalog_is_read_in_order_and_unlisted_stages_are_said(
    store_url: str, tmp_path: Path
) -> None:
    catalog_csv = tmp_path / "deal_stages.csv"
    catalog_csv.write_text(
        "name,position,category,probability\n"
        "Booked,3,won,1\nDiscovery,1,open,0.1\nDead,4,lost,0\nProposal,2,open,0.5\n"
    )
    report = import_file("deal_stages", catalog_csv, db=store_url)
    assert report.inserted == 4
    with session(store_url) as s:
        s.add(Person(id="ana", name="Ana", territory="T1", role="ae"))
        s.add_all(
            Deal(id=f"d{i}", owner="ana", stage=stage, amount=Decimal(100), close_date=None)
            for i, stage in enumerate(["Booked", "Proposal", "Won", "On hold"])
        )
    catalog = stage_catalog(get_engine(store_url))
    assert catalog.stages == (
        ("Discovery", "open"),
        ("Proposal", "open"),
        ("Booked", "won"),
        ("Dead", "lost"),
        ("On hold", "open"),
        ("Won", "won"),
    )
    assert (catalog.won, catalog.won_stage, catalog.unlisted) == (
        ("Booked", "Won"),
        "Booked",
        ("On hold", "Won"),
    )
    history = load_history(open_store(get_engine(store_url)), 2027)
    assert [w for w in history.warnings if "stage catalog" in w] == [
        "deal stage 'On hold' is not in the stage catalog (deal_stages) and was read as open",
        "deal stage 'Won' is not in the stage catalog (deal_stages) and was read as won",
    ]


def test_the_demo_company_writes_its_catalog(sqlite_url: str) -> None:
    company = generate(SynthSpec(seed=1, b2b_reps=8, years=1))
    write_store(company, get_engine(sqlite_url))
    catalog = stage_catalog(get_engine(sqlite_url))
    assert catalog.unlisted == ()
    assert [c for _, c in catalog.stages] == ["open"] * 4 + ["won", "lost"]
    used = set(company.tables["deals"].column("stage").to_pylist())
    assert used <= {n for n, _ in catalog.stages} and catalog.won in {("won",)}
