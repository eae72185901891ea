"""An import's rows and its audit entry commit together: if the entry cannot be written, no row
is kept (before, the rows committed in one transaction and the entry followed in another, so a
failure between them left rows in the store that the audit log never mentioned)."""

from __future__ import annotations

from pathlib import Path

import pytest
from actions_world import ADMIN, World, build_world
from sqlalchemy import func, select

from attain.actions import imports
from attain.audit import entries
from attain.data.schema import Deal

ROWS = "id,owner,stage,amount,currency,close_date\nd7,ana,closed_won,3000,USD,2027-02-11\n"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> World:
    if request.param == "sqlite":
        world: World = request.getfixturevalue("world")
        return world
    return build_world(request.getfixturevalue("postgres_url"), tmp_path)


def _deals(w: World) -> int:
    with w.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Deal)).scalar_one())


def test_no_rows_are_kept_when_the_entry_fails(
    store: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = store.files / "deals.csv"
    path.write_text(ROWS, encoding="utf-8")
    before, logged = _deals(store), len(entries(store.engine, limit=10_000))

    def refuse(*args: object, **kwargs: object) -> int:
        raise RuntimeError("the audit log cannot be written")

    monkeypatch.setattr(imports, "audit", refuse)
    with pytest.raises(RuntimeError, match="audit log cannot be written"):
        imports.import_rows(store.url, ADMIN, "deals", path)
    assert _deals(store) == before
    assert len(entries(store.engine, limit=10_000)) == logged
    monkeypatch.undo()
    imports.import_rows(store.url, ADMIN, "deals", path)
    assert _deals(store) == before + 1
    assert entries(store.engine, limit=1)[0].action == "import.deals"
