"""The stage catalog: whether a deal stage is open, won or lost.

CRMs spell stages their own way ("Won", "Closed Won", "closed_won"), so no module compares a
stage with a spelling: each asks `stage_catalog` for the names of a category. The catalog is the
`deal_stages` table; a stage the deals use that the table does not list is read by
`default_category`, so a store whose catalog is empty still knows won from lost.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa
from sqlalchemy import Connection, Engine, select

from attain.data.schema import Deal, DealStage

CATEGORIES = ("open", "won", "lost")
DEFAULT_WON = frozenset({"won", "closed won"})
DEFAULT_LOST = frozenset({"lost", "closed lost"})


def default_category(name: str) -> str:
    """The reading of a stage the catalog does not list: won / closed won / closed_won -> won,
    lost / closed lost -> lost (any case, spaces, `_` or `-`), anything else open."""
    key = " ".join(name.lower().replace("_", " ").replace("-", " ").split())
    if key in DEFAULT_WON:
        return "won"
    if key in DEFAULT_LOST:
        return "lost"
    return "open"


@dataclass(frozen=True)
class StageCatalog:
    """Every stage name known to the store (listed or used by a deal), in funnel order."""

    stages: tuple[tuple[str, str], ...]
    """(name, category), the listed stages by position, then unlisted ones by name."""
    unlisted: tuple[str, ...] = ()
    """Stage names deals use that `deal_stages` does not list (read by `default_category`)."""

    def category(self, name: str | None) -> str:
        """The category of a stage; an unknown name is read by `default_category`."""
        if name is None:
            return "open"
        return dict(self.stages).get(name) or default_category(name)

    def names(self, category: str) -> tuple[str, ...]:
        """The stage names of one category, in funnel order."""
        return tuple(n for n, c in self.stages if c == category)

    @property
    def won(self) -> tuple[str, ...]:
        return self.names("won")

    @property
    def lost(self) -> tuple[str, ...]:
        return self.names("lost")

    @property
    def closed(self) -> tuple[str, ...]:
        return self.won + self.lost

    @property
    def won_stage(self) -> str:
        """The stage a deal is given when it is taken as won (the first won stage)."""
        return self.won[0] if self.won else "won"

    def table(self) -> pa.Table:
        """stage, category, listed (false: read by default), as an Arrow table (to join on)."""
        return pa.table(
            {
                "stage": pa.array([n for n, _ in self.stages], pa.string()),
                "category": pa.array([c for _, c in self.stages], pa.string()),
                "listed": pa.array([n not in self.unlisted for n, _ in self.stages], pa.bool_()),
            }
        )


def stage_catalog(source: Engine | Connection) -> StageCatalog:
    """The store's stage catalog: `deal_stages`, plus every stage the deals use that it lacks."""
    if isinstance(source, Engine):
        with source.connect() as conn:
            return stage_catalog(conn)
    listed = source.execute(
        select(DealStage.name, DealStage.category).order_by(DealStage.position, DealStage.name)
    ).all()
    used = source.execute(select(Deal.stage).distinct()).scalars().all()
    known = {r.name for r in listed}
    unlisted = tuple(sorted({s for s in used if s is not None and s not in known}))
    stages = tuple((r.name, r.category) for r in listed)
    return StageCatalog(
        stages + tuple((n, default_category(n)) for n in unlisted),
        unlisted if listed else (),
    )


def register_stages(con: duckdb.DuckDBPyConnection, catalog: StageCatalog) -> None:
    """The catalog as table `stage_categories` (stage, category, listed) in a DuckDB connection."""
    rows = catalog.table()
    con.register("stage_categories_rows", rows)
    con.execute("CREATE OR REPLACE TABLE stage_categories AS SELECT * FROM stage_categories_rows")
    con.unregister("stage_categories_rows")


def sql_names(names: tuple[str, ...]) -> str:
    """Stage names as a quoted SQL list: ('Won', 'closed_won'); an empty one matches nothing."""
    if not names:
        return "('')"
    return "(" + ", ".join("'" + n.replace("'", "''") + "'" for n in names) + ")"
