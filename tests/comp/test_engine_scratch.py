"""The settings a calculation runs under are restored after it, and scratch cursors are private."""

from __future__ import annotations

import gc

import ibis
import pyarrow as pa
import pytest

from attain.comp.engine.scratch import calculating, scratch


def test_a_calculation_restores_the_collector_and_select_fusion_even_when_it_fails() -> None:
    assert gc.isenabled() and ibis.options.sql.fuse_selects
    with pytest.raises(RuntimeError), calculating():
        assert not gc.isenabled() and not ibis.options.sql.fuse_selects
        with calculating():  # nested: the inner exit restores nothing yet
            pass
        assert not gc.isenabled() and not ibis.options.sql.fuse_selects
        raise RuntimeError("plan error")
    assert gc.isenabled() and ibis.options.sql.fuse_selects


def test_a_collector_disabled_before_stays_disabled() -> None:
    gc.disable()
    try:
        with calculating():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_views_registered_on_one_scratch_cursor_are_not_seen_by_another() -> None:
    one, two = scratch(), scratch()
    try:
        one.register("_rows", pa.table({"x": [1, 2]}))
        two.register("_rows", pa.table({"x": [7]}))
        assert one.sql("SELECT sum(x) FROM _rows").fetchall() == [(3,)]
        assert two.sql("SELECT sum(x) FROM _rows").fetchall() == [(7,)]
    finally:
        one.close()
        two.close()
