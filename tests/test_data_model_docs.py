"""docs/data-model.md names every table of the store, with the module that defines it."""

from __future__ import annotations

import re
from pathlib import Path

import attain.schema
from attain.data.schema import Base

PAGE = Path(__file__).resolve().parents[1] / "docs" / "data-model.md"
ROW = re.compile(r"^\| `(?P<table>[a-z_]+)` \| `(?P<module>[a-z_.]+)` \|", re.M)


def _documented() -> dict[str, str]:
    return {m["table"]: m["module"] for m in ROW.finditer(PAGE.read_text(encoding="utf-8"))}


def _defined() -> dict[str, str]:
    return {m.local_table.name: m.class_.__module__ for m in Base.registry.mappers}


def test_every_table_of_the_store_is_on_the_data_model_page() -> None:
    missing = sorted(set(attain.schema.metadata.tables) - set(_documented()))
    assert not missing, f"docs/data-model.md names no row for: {', '.join(missing)}"


def test_the_page_names_the_module_that_defines_each_table_and_no_table_that_is_gone() -> None:
    documented, defined = _documented(), _defined()
    wrong = {t: (m, defined.get(t)) for t, m in documented.items() if defined.get(t) != m}
    assert not wrong, f"table: (page says, defined in): {wrong}"
    assert len(documented) >= 40
