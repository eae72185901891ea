"""One way of writing a figure for people: cents with the currency, percentages with one
decimal, the exact value as kept."""

from __future__ import annotations

from decimal import Decimal

from attain.money_format import cents, exact, money, number, percent


def test_money_is_to_cents_with_its_currency_rounded_as_a_line_is() -> None:
    assert money(Decimal("5019.9161"), "USD") == "USD 5,019.92"
    assert money("24838.35538995", "EUR") == "EUR 24,838.36"
    assert (
        money(Decimal("0.125"), "USD") == "USD 0.13"
    )  # half away from zero, like the engine's lines
    assert money(Decimal("-0.125"), "USD") == "USD -0.13"
    assert money(Decimal("-25.5"), "GBP") == "GBP -25.50"
    assert money(Decimal(0), "USD") == "USD 0.00"
    assert money(None, "USD") == "" and cents(None) == ""
    assert money(Decimal("1234.5"), "") == "1,234.50"  # no currency known: still two decimals


def test_attainment_is_a_percentage_and_the_exact_value_keeps_every_digit() -> None:
    assert percent("1.391823634706") == "139.2%"
    assert percent(Decimal("0.0005")) == "0.1%" and percent(Decimal("0.00049")) == "0.0%"
    assert percent(None) == ""
    assert exact("837981.726555000000") == "837981.726555"
    assert exact(Decimal("100000.000")) == "100000"
    assert number("0.090") == "0.09" and number("1250") == "1,250"
    assert number("-0.5") == "-0.5" and number("12345.5") == "12,345.5"
