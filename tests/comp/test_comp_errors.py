"""Every bad plan or missing datum is one clear `PlanError` saying where, never a stack trace."""

from __future__ import annotations

from pathlib import Path

import pytest
from backends import Backend
from comp_helpers import TABLES, Run, plan_text

from attain.comp import PlanError, load_plans


def error_of(run: Run, text: str, **kw: object) -> str:
    with pytest.raises(PlanError) as info:
        run(text, **kw)
    return str(info.value)


def test_unknown_column_names_plan_rule_position_and_hint(run: Run) -> None:
    msg = error_of(run, plan_text(**{"value: amount": "value: amount * 2 + amont"}))
    assert "plan ae, credit rule owner, value" in msg
    assert "unknown column `amont` in table deals" in msg
    assert "at column 14" in msg
    assert "    amount * 2 + amont\n                 ^^^^^" in msg
    assert "did you mean `amount`?" in msg


def test_unknown_function(run: Run) -> None:
    msg = error_of(run, plan_text(**{"to: owner": "to: manger_of(owner)"}))
    assert "credit rule owner, to: unknown function `manger_of`" in msg
    assert "did you mean `manager_of`?" in msg


def test_unknown_measure_in_component_and_gate(run: Run) -> None:
    msg = error_of(run, plan_text(**{"measure: bookings, rate": "measure: booking, rate"}))
    assert "plan ae, component commission" in msg and "unknown measure `booking`" in msg
    gate = plan_text(**{"rate: 0.10}": "rate: 0.10, gate: attainment(bookngs) >= 1}"})
    msg = error_of(run, gate)
    assert "component commission, gate: unknown measure `bookngs` at column 12" in msg
    msg = error_of(run, plan_text(**{"rate: 0.10}": "rate: 0.10, gate: bookngs >= 1}"}))
    assert "unknown measure `bookngs`" in msg and "did you mean `bookings`?" in msg


def test_unknown_credit_rule_in_measure(run: Run) -> None:
    msg = error_of(run, plan_text(**{"{sum: value}": "{sum: value, credit: team}"}))
    assert "plan ae, measure bookings: unknown credit rule `team`" in msg


def test_unknown_column_in_measure_filter(run: Run) -> None:
    msg = error_of(run, plan_text(**{"{sum: value}": '{sum: value, where: typ == "new"}'}))
    assert "plan ae, measure bookings, where: unknown credit column `typ`" in msg
    assert "did you mean `type`?" in msg


@pytest.mark.parametrize(
    ("where", "words"),
    [
        ("stage > 5", "cannot compare `stage` (a string) with `5` (a number)"),
        ("amount", "expected a condition, got a number"),
        ('stage == "x" and amount', "`and` needs conditions, got a number"),
        ("close_date + 1 > 2", "`+` needs numbers, got a date"),
        ('stage in ("a", 3)', "a number in a list compared with a string"),
    ],
)
def test_wrong_type(run: Run, where: str, words: str) -> None:
    msg = error_of(run, plan_text(**{"where: 'stage == \"closed_won\"'": f"where: '{where}'"}))
    assert "plan ae, credit rule owner, where: wrong type" in msg
    assert words in msg


def test_syntax_error_has_caret(run: Run) -> None:
    msg = error_of(run, plan_text(**{"value: amount": "value: amount *"}))
    assert "credit rule owner, value: syntax error at column" in msg
    assert "^" in msg


@pytest.mark.parametrize(
    ("tiers", "words"),
    [
        ("[{from: 0, rate: 0.08}, {from: 2, rate: 0.1}, {from: 1, rate: 0.12}]", "sorted"),
        ("[{from: 0, rate: 0.08}, {from: 0, rate: 0.1}]", "strictly increasing"),
        ("[{from: -1, rate: 0.08}]", "must not be negative"),
        ("[{from: 0, rate: -0.08}]", "rate must not be negative"),
        ("[]", "at least one tier"),
    ],
)
def test_malformed_tiers(tiers: str, words: str) -> None:
    text = plan_text(**{"rate: 0.10}": f"tiers: {tiers}}}"})
    with pytest.raises(PlanError) as info:
        load_plans(text)
    assert "plan ae, component commission" in str(info.value)
    assert words in str(info.value)


def test_unknown_key_and_missing_field() -> None:
    with pytest.raises(PlanError, match=r"plan ae, component commission, rte: unknown key `rte`"):
        load_plans(plan_text(**{"rate: 0.10": "rte: 0.10"}))
    with pytest.raises(PlanError, match=r"plan ae, credit rule owner, date: missing `date`"):
        load_plans(plan_text(**{", date: close_date": ""}))


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "plans.yaml"
    path.write_text("id: ae\ncurrency: USD\nperiod: [month\n", encoding="utf-8")
    with pytest.raises(PlanError) as info:
        load_plans(path)
    assert str(path) in str(info.value)
    assert "malformed YAML at line 4" in str(info.value)


def test_missing_quota_names_payee_measure_period(run: Run) -> None:
    text = plan_text(**{"rate: 0.10}": "rate: 0.10, gate: attainment(bookings) >= 0.5}"})
    msg = error_of(run, text)
    assert "no quota for payee ben, measure bookings, period 2027-Q1" in msg
    assert "component commission" in msg


def test_missing_fx_rate_names_currency_and_month(run: Run) -> None:
    msg = error_of(run, plan_text(**{"date: close_date}": "date: close_date, currency: currency}"}))
    assert "no FX rate" in msg and "EUR in 2027-02" in msg and "d2" in msg


def test_zero_quota(backend: Backend) -> None:
    tables = dict(TABLES)
    tables["quotas"] = [{"payee": "ana", "measure": "bookings", "period": "2027-Q1", "amount": 0}]
    con = backend.load(tables)
    from datetime import date

    from attain.comp import calculate

    text = plan_text(**{"rate: 0.10}": "tiers: [{from: 0, rate: 0.1}], tier_basis: attainment}"})
    with pytest.raises(PlanError, match="a quota of zero for payee ana, measure bookings"):
        calculate(con, load_plans(text), [{"payee": "ana", "plan": "ae", "from": date(2027, 1, 1), "to": None}],
                  date(2027, 1, 1), date(2027, 3, 31))  # fmt: skip


def test_unknown_table(run: Run) -> None:
    msg = error_of(run, plan_text(**{"from: deals": "from: dels"}))
    assert "plan ae, credit rule owner: unknown table `dels`" in msg and "`deals`" in msg


def test_more_places_than_the_engine_carries_is_an_error(run: Run) -> None:
    with pytest.raises(PlanError, match=r"component commission: `rate` has more than 12 decimal"):
        load_plans(plan_text(**{"rate: 0.10": "rate: 0.1000000000001"}))
    msg = error_of(run, plan_text(**{"value: amount": "value: amount * 0.1000000000001"}))
    assert "credit rule owner, value: more than 12 decimal places at column 10" in msg
