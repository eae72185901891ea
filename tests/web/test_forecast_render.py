"""Rendering of a forecast, on a hand-made one shaped as attain.forecasts.pipeline returns it:
the chart places each figure where its value says, the JSON keeps money as strings to cents."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace

from attain.web.api.forecast_models import deal_out, node_out
from attain.web.forecast_chart import forecast_chart

D = Decimal


def _node(
    node: str, expected: str, low: str, high: str, commit: str | None, children=()
) -> SimpleNamespace:
    return SimpleNamespace(
        node=node,
        name=node.upper() or "Company",
        currency="USD",
        closed=D("100.00"),
        open_expected=D(expected) - D(100),
        not_yet_created=D(0),
        expected=D(expected),
        low=D(low),
        high=D(high),
        weighted_pipeline=D("900.00"),
        commit=None if commit is None else D(commit),
        best_case=None,
        quota=D("2000.00"),
        expected_attainment=D(expected) / D(2000),
        expected_commission=D("12.345"),
        children=tuple(children),
    )


def test_the_chart_draws_band_expected_and_calls_at_their_values() -> None:
    rep = _node("ana", "500", "400", "600", "450")
    root = _node("mia", "1000", "800", "1200", None, [rep])
    svg = forecast_chart([root, rep], "USD")
    assert svg.count('class="band"') == 2
    assert "80% band USD 800.00 to USD 1,200.00" in svg
    assert "commit USD 450.00" in svg and "quota USD 2,000.00" in svg
    # positions follow the values: the root's expected dot is right of the rep's
    xs = [float(x) for x in re.findall(r'class="expected" cx="([0-9.]+)"', svg)]
    assert xs[0] > xs[1]
    assert "No forecast" in forecast_chart([], "USD")


def test_the_api_shapes_keep_money_as_strings_to_cents() -> None:
    rep = _node("ana", "500", "400", "600", "450")
    out = node_out(_node("mia", "1000", "800", "1200", None, [rep])).model_dump(mode="json")
    assert out["expected"] == "1000.00" and out["commit"] is None
    assert out["expected_commission"] == "12.35"
    assert out["children"][0]["commit"] == "450.00"
    deal = SimpleNamespace(
        deal="d1",
        name="Big one",
        owner="ana",
        stage="negotiation",
        close_date=dt.date(2026, 12, 1),
        amount=D("1000"),
        currency="USD",
        p_win=0.61234567,
        p_close_in_period=0.5,
        expected=D("500"),
        swing=D("500"),
        reasons=("slipped twice",),
        at_risk=True,
    )
    shaped = deal_out(deal).model_dump(mode="json")
    assert shaped["amount"] == "1000.00" and shaped["p_win"] == 0.612346
    assert shaped["reasons"] == ["slipped twice"]
