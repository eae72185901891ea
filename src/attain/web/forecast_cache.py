"""The pipeline forecast as pages and the API read it: computed once per (period, as-of day,
node, store watermark) and kept in this process.

A forecast fits the win score and simulates every open deal, which takes seconds on a large
store; a page must answer in milliseconds. What a forecast depends on is the store's data as of
a day, so a forecast is kept until that data changes:

- the watermark is the audit log's head (every write through `attain.actions`: imports, deals,
  calls) and the row counts of deals, deal history and forecast calls and the newest call
  (writes from outside the actions, such as the demo generator); it is read at most every
  `WATERMARK_SECONDS` (by one request: the others meanwhile use the last one), and at once
  after any action in this process;
- concurrent requests for the same forecast wait for one computation (no stampede);
- at most `CACHE_SIZE` forecasts are kept, the least recently used dropped first.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Engine, text

from attain.actions import Event, subscribe
from attain.web.kept_values import KeptValues

if TYPE_CHECKING:
    from attain.forecasts.pipeline import NodeForecast, PipelineForecast

UNSEEN_LEVELS = "Constructing a Categorical with a dtype and values containing non-null"
WATERMARK_SECONDS = 5.0
CACHE_SIZE = 64

Watermark = tuple[Any, ...]
Key = tuple[str, str, dt.date, str, Watermark]

_lock = threading.Lock()
_marks: dict[str, tuple[float, Watermark]] = {}
_kept: KeptValues[Key, Any] = KeptValues(CACHE_SIZE)
_reading: set[str] = set()

WATERMARK_PARTS = {
    "audit_head": "(SELECT MAX(seq) FROM audit_head)",
    "deals": "(SELECT COUNT(*) FROM deals)",
    "deal_history": "(SELECT COUNT(*) FROM deal_history)",  # rows are added, never changed
    "forecast_calls": "(SELECT COUNT(*) FROM forecast_calls),"
    " (SELECT MAX(submitted_at) FROM forecast_calls)",
}
"""What the watermark reads, by table (a store without a table reads nothing of it)."""


def _watermark_sql(engine: Engine) -> str:
    from sqlalchemy import inspect

    have = set(inspect(engine).get_table_names())
    return "SELECT " + ", ".join(sql for t, sql in WATERMARK_PARTS.items() if t in have)


def _drop_marks(_event: Event | None = None) -> None:
    with _lock:
        _marks.clear()


def _forget(_event: Event) -> None:
    forget_forecasts()


subscribe("*", _drop_marks)
subscribe("forecast.refresh", _forget)


def store_watermark(engine: Engine) -> Watermark:
    """What the store's forecasts depend on, read at most every `WATERMARK_SECONDS`."""
    url = str(engine.url)
    now = time.monotonic()
    with _lock:
        hit = _marks.get(url)
    if hit is not None and now - hit[0] < WATERMARK_SECONDS:
        return hit[1]
    if hit is not None:  # stale: one request reads it again, the others use the last one
        with _lock:
            if url in _reading:
                return hit[1]
            _reading.add(url)
    try:
        with engine.connect() as conn:
            row = conn.execute(text(_watermark_sql(engine))).one()
        mark = tuple(str(v) for v in row)
        with _lock:
            _marks[url] = (now, mark)
    finally:
        with _lock:
            _reading.discard(url)
    return mark


def kept(
    engine: Engine, kind: str, period: str, as_of: dt.date, node: str, make: Callable[[], Any]
) -> Any:
    """`make()` once per (kind, period, as-of day, node) and store watermark."""
    key: Key = (f"{engine.url}|{kind}", period, as_of, node, store_watermark(engine))
    return _kept.get(key, make)


def forget_forecasts() -> None:
    """Drop every kept forecast (a model refresh): the next page fits and simulates again."""
    with _lock:
        _kept.clear()
        _marks.clear()


def pipeline(engine: Engine, period: str, as_of: dt.date, node: str | None) -> PipelineForecast:
    """The forecast of `node` (None: the whole company), cut from the company's, which is
    fitted once for everyone who looks: every node's figures are in the company's tree (one
    set of simulations serves all nodes, and the commission is the company's run), and its
    deals are the company's under the node, by swing. "At risk" is judged against all the
    company's open deals, so a deal is at risk or not whoever looks at it. A node with nothing
    to forecast (no deal, no quota under it) gets a forecast of zeros."""
    whole = cast(
        "PipelineForecast",
        kept(engine, "pipeline", period, as_of, "", lambda: fit(engine, period, as_of)),
    )
    if node is None:
        return whole
    return cast(
        "PipelineForecast",
        kept(engine, "pipeline", period, as_of, node, lambda: cut(whole, node)),
    )


def cut(whole: PipelineForecast, node: str) -> PipelineForecast:
    """The part of the company's forecast under `node`."""
    found = next((n for n in whole.root.walk() if n.node == node), None)
    if found is None:
        return replace(whole, root=_nothing(whole.root, node), deals=())
    owners = {n.node for n in found.walk()}
    return replace(whole, root=found, deals=tuple(d for d in whole.deals if d.owner in owners))


class NodeUnknown(ValueError):
    """The node is not in the forecast's hierarchy on the day."""


def fit(engine: Engine, period: str, as_of: dt.date, node: str | None = None) -> PipelineForecast:
    """The engine's forecast, with the win score where it can be fitted (else stage rates);
    the fitted win score is kept too, so the forecasts of many nodes fit it once."""
    from attain.forecasts.pipeline import forecast_pipeline

    try:
        with warnings.catch_warnings():
            # A deal's owner, account or product the win score never saw is scored as unknown,
            # as intended; pandas 3 warns that the way LeadScorer reads it will change.
            warnings.filterwarnings("ignore", message=UNSEEN_LEVELS)
            return forecast_pipeline(engine, period, as_of, node, win_model=win_model(engine))
    except ValueError as exc:
        if node is not None and "not in the hierarchy" in str(exc):
            raise NodeUnknown(node) from exc
        raise


def win_model(engine: Engine) -> Callable[[dt.date], Any] | None:
    try:
        from attain.scores.wins import WinScorer
    except ImportError:
        return None

    def fitted(day: dt.date) -> Any:
        return kept(engine, "win score", "", day, "", lambda: WinScorer.fit(engine, day))

    return fitted


def _nothing(company: NodeForecast, node: str) -> NodeForecast:
    zero = Decimal("0.00")
    return replace(
        company,
        node=node,
        name=node,
        closed=zero,
        open_expected=zero,
        not_yet_created=zero,
        expected=zero,
        low=zero,
        high=zero,
        weighted_pipeline=zero,
        commit=None,
        best_case=None,
        quota=None,
        expected_attainment=None,
        expected_commission=None,
        children=(),
    )
