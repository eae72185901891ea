"""Pay statements: per payee and period, every figure with how it was reached.

A statement is a rendering of the ledger and of the traces the run kept, never a separate
calculation: lines with their credits, measures, attainment, tiers, rates, caps and gates;
true-ups of closed periods; manual adjustments; held and released amounts; the draw balance
and the year to date. A rep sees a period's statement once its payouts are approved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, or_, select

from attain.access.scope import sees_in_period
from attain.audit.actor import Actor
from attain.comp.runs import run_credits
from attain.comp.runs.schema import PayoutLine
from attain.data.schema import Person
from attain.money_format import exact, money, number, percent
from attain.pay.actions import engine_of
from attain.pay.approvals import approvals
from attain.pay.credit_sources import SourceName, deal_names
from attain.pay.errors import NotAllowed
from attain.pay.line_units import LineUnits, payee_currencies, units_of_run
from attain.pay.periods import kind_of, parse_period, period_state
from attain.pay.schema import LedgerLine
from attain.pay.statement_subject import check_statement_subject

VISIBLE_TO_REPS = ("approved", "closed")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class CreditRow:
    source: str
    date: date
    value: Decimal
    kind: str
    rule: str
    name: str = ""
    """The source row's name and account (a deal's), blank when it has none."""
    account: str = ""
    currency: str = ""

    @property
    def label(self) -> str:
        """`Acme renewal (Acme Corp), deals D000123`: what a person recognises first."""
        named = self.name + (f" ({self.account})" if self.account else "")
        return f"{named}, {self.source}" if named else self.source


@dataclass(frozen=True)
class StatementLine:
    id: int
    plan: str
    component: str
    kind: str
    amount: Decimal
    how: list[str] = field(default_factory=list)
    credits: list[CreditRow] = field(default_factory=list)
    note: str | None = None
    currency: str = ""


@dataclass(frozen=True)
class Statement:
    payee: str
    name: str
    period: str
    start: date
    end: date
    status: str
    approvals: list[str]
    lines: list[StatementLine]
    total: Decimal
    earned: Decimal
    adjustments: Decimal
    held: Decimal
    released: Decimal
    held_outstanding: Decimal
    draw_balance: Decimal | None
    year_to_date: Decimal
    currency: str = ""
    """The currency of the statement's totals (its plans'; blank when they differ)."""

    def of_kind(self, *kinds: str) -> list[StatementLine]:
        return [ln for ln in self.lines if ln.kind in kinds]


class _Words:
    """How one explanation writes its figures: for people (cents, currency, percentages) or
    exactly as kept (the same words, every digit)."""

    def __init__(self, units: LineUnits, exact: bool) -> None:
        self.units = units
        self.exact = exact

    def money(self, x: Any) -> str:
        if self.exact:
            return exact(x)
        return money(x, self.units.currency)

    def measure(self, x: Any) -> str:
        if self.exact:
            return exact(x)
        if self.units.measure_currency:
            return money(x, self.units.measure_currency)
        return number(x)

    def share(self, x: Any) -> str:
        return exact(x) if self.exact else percent(x)

    def rate(self, x: Any) -> str:
        return exact(x) if self.exact else number(x)


def explain(
    t: dict[str, Any], units: LineUnits | None = None, *, exact_values: bool = False
) -> list[str]:
    """The trace of a line in words, one step per item: money to cents with its currency,
    attainment as a percentage (`exact_values`: the same steps with every digit kept)."""
    w = _Words(units or LineUnits(), exact_values)
    out: list[str] = []
    if t.get("kind") == "draw":
        out.append(
            f"draw {w.money(t.get('draw_amount', 0))} "
            f"({'recoverable' if t.get('draw_recoverable') else 'non-recoverable'}); earnings this "
            f"period {w.money(t.get('draw_earnings', 0))}; draw balance "
            f"{w.money(t.get('draw_balance_before', 0))} -> {w.money(t.get('draw_balance_after', 0))}"
        )
        return out
    if "measure" in t:
        window = " (year to date)" if t.get("window") == "year" else ""
        step = f"measure {t['measure']}{window} = {w.measure(t.get('measure_value', '0'))}"
        if "quota" in t:
            step += f"; quota {w.measure(t['quota'])}; attainment {w.share(t.get('attainment'))}"
        out.append(step)
    if "rate" in t:
        out.append(f"rate {w.rate(t['rate'])}")
    for s in t.get("tiers", []):
        start = (
            f"{w.share(s['from_'])} of quota (= {w.measure(s['lower'])})"
            if w.units.tier_basis == "attainment"
            else w.measure(s["lower"] if s.get("lower") is not None else s["from_"])
        )
        piece = f"tier {s['index'] + 1} from {start} at rate {w.rate(s['rate'])}"
        if s.get("quantity") is not None:
            piece += (
                f": {w.measure(s['quantity'])} x {w.rate(s['rate'])} = {w.money(s.get('amount'))}"
            )
        out.append(piece)
    if t.get("tier_mode") == "retroactive" and "tier_reached" in t:
        out.append(
            f"retroactive: tier {int(t['tier_reached']) + 1} reached, its rate on the whole measure"
        )
    if "curve_multiple" in t:
        out.append(f"curve: {w.rate(t['curve_multiple'])} x target {w.money(t.get('target'))}")
    if "bonus" in t:
        out.append(f"bonus {w.money(t['bonus'])}")
    if "earned" in t:
        out.append(f"earned {w.money(t['earned'])}")
    if "gate" in t:
        inputs = ", ".join(
            f"{k} = {w.rate(v)}" for k, v in t.get("gate_inputs", []) if v is not None
        )
        out.append(
            f"gate {t['gate']}: {'passed' if t.get('gate_passed', True) else 'not met'} ({inputs})"
        )
    if "cap" in t:
        out.append(
            f"cap {w.money(t['cap'])}{' applied' if t.get('cap_applied') else ' not reached'}"
        )
    if "paid_before" in t:
        out.append(
            f"paid earlier this year {w.money(t['paid_before'])}; this period pays the increment"
        )
    return out


def explained(t: dict[str, Any], units: LineUnits | None = None) -> list[tuple[str, str]]:
    """Each step for people beside the same step with its exact values (for a page's title)."""
    return list(zip(explain(t, units), explain(t, units, exact_values=True), strict=True))


def _may_see(engine: Engine, viewer: Actor, payee: str, period: str, status: str) -> None:
    """The one rule (attain.access): a manager reads the statements of the periods in which the
    payee reported to them; a rep reads their own, once approved."""
    if not sees_in_period(engine, viewer.role, viewer.name, payee, period):
        raise NotAllowed(f"{viewer.name} may not see {payee}'s statement for {period}")
    if viewer.role == "rep" and status not in VISIBLE_TO_REPS:
        raise NotAllowed(f"the statement for this period is not approved yet ({status})")


def _true_up_story(engine: Engine, r: dict[str, Any], currency: str) -> str:
    """How a true-up was reached: what the closed period paid, and what it should have paid."""
    if r["comment"]:
        return f"{r['comment']} ({r['corrects_period']})"
    with engine.connect() as conn:
        before = conn.execute(
            select(LedgerLine.id, LedgerLine.kind, LedgerLine.amount, LedgerLine.period).where(
                LedgerLine.payee == r["payee"],
                LedgerLine.plan == r["plan"],
                LedgerLine.component == r["component"],
                or_(
                    (LedgerLine.period == r["corrects_period"]) & (LedgerLine.kind != "true_up"),
                    (LedgerLine.kind == "true_up")
                    & (LedgerLine.corrects_period == r["corrects_period"])
                    & (LedgerLine.id < r["id"]),
                ),
            )
        ).all()
    paid = sum((Decimal(x.amount) for x in before if x.kind not in ("true_up", "manual")), ZERO)
    corrected = sum((Decimal(x.amount) for x in before if x.kind == "true_up"), ZERO)
    line = f" (line {r['corrects_line']})" if r["corrects_line"] else ""
    story = f"{r['corrects_period']} already paid {money(paid, currency)}{line}"
    if corrected:
        story += f", corrected by {money(corrected, currency)} since"
    should = paid + corrected + Decimal(r["amount"])
    return (
        f"{story}; recalculated with later data it pays {money(should, currency)}:"
        " the difference is paid here"
    )


def statement(url: str | Engine | None, payee: str, period: str, viewer: Actor) -> Statement:
    """The statement of `payee` for `period`, as `viewer` may see it."""
    engine = engine_of(url)
    p = parse_period(period)
    state = period_state(engine, period)
    _may_see(engine, viewer, payee, period, state.status)
    check_statement_subject(engine, payee, period)
    with engine.connect() as conn:
        rows = [
            dict(r)
            for r in conn.execute(
                select(LedgerLine)
                .where(LedgerLine.payee == payee, LedgerLine.period == period)
                .order_by(LedgerLine.plan, LedgerLine.component, LedgerLine.id)
            ).mappings()
        ]
        name = (
            conn.execute(select(Person.name).where(Person.id == payee).limit(1)).scalar() or payee
        )
        traces: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        for r in rows:
            if r["run_id"] and r["kind"] == "calculated":
                t = conn.execute(
                    select(PayoutLine.trace).where(
                        PayoutLine.run_id == r["run_id"],
                        PayoutLine.plan == r["plan"],
                        PayoutLine.payee == payee,
                        PayoutLine.period == r["for_period"],
                        PayoutLine.component == r["component"],
                    )
                ).scalar()
                traces[(r["run_id"], r["plan"], r["for_period"], r["component"])] = json.loads(
                    t or "{}"
                )
        year_periods = [
            x
            for x in conn.execute(
                select(LedgerLine.period, LedgerLine.amount).where(LedgerLine.payee == payee)
            ).all()
            if kind_of(x.period) == kind_of(period)
            and parse_period(x.period).year == p.year
            and parse_period(x.period).start <= p.start
        ]
        drawn = conn.execute(
            select(PayoutLine.period, PayoutLine.trace, PayoutLine.run_id).where(
                PayoutLine.payee == payee,
                PayoutLine.component == "draw",
                PayoutLine.run_id.in_({r["run_id"] for r in rows if r["run_id"]} or {""}),
            )
        ).all()
        outstanding = conn.execute(
            select(
                LedgerLine.kind, LedgerLine.amount, LedgerLine.for_period, LedgerLine.period
            ).where(
                LedgerLine.payee == payee,
                or_(LedgerLine.kind == "held", LedgerLine.kind == "release"),
            )
        ).all()
    units = {run_id: units_of_run(engine, run_id) for run_id in {r["run_id"] for r in rows}}
    currencies = {u.currency(r["plan"]) for r in rows for u in [units[r["run_id"]]]}
    currencies.discard("")
    if not currencies:
        currencies = set(payee_currencies(engine, payee))
    shared = next(iter(currencies)) if len(currencies) == 1 else ""
    lines = []
    for r in rows:
        how: list[str] = []
        credits: list[CreditRow] = []
        run_units = units[r["run_id"]]
        currency = run_units.currency(r["plan"]) or shared
        if r["kind"] == "calculated":
            trace = traces.get((r["run_id"], r["plan"], r["for_period"], r["component"]), {})
            line_units = run_units.of(r["plan"], r["component"])
            how = explain(trace, line_units)
            ids = trace.get("credit_ids", [])
            found = run_credits(engine, r["run_id"], ids) if ids else {}
            kept = [c for c in (found.get(i) for i in ids) if c is not None]
            names = deal_names(engine, (c.source_id for c in kept if c.source_table == "deals"))
            credits = [
                CreditRow(
                    f"{c.source_table} {c.source_id}",
                    c.date,
                    c.value,
                    c.kind,
                    c.rule,
                    *_named(names, c.source_table, c.source_id),
                    line_units.measure_currency,
                )
                for c in kept
            ]
        elif r["kind"] == "true_up":
            how = [_true_up_story(engine, r, currency)]
        elif r["kind"] == "manual":
            how = [f"adjustment ({r['reason_code']}) by {r['created_by']}: {r['comment']}"]
        elif r["kind"] in ("held", "release"):
            how = [f"{r['comment']} (earned in {r['for_period']})"]
        lines.append(
            StatementLine(
                r["id"],
                r["plan"],
                r["component"],
                r["kind"],
                Decimal(r["amount"]),
                how,
                credits,
                r["comment"],
                currency,
            )
        )

    def total(*kinds: str) -> Decimal:
        return sum((ln.amount for ln in lines if ln.kind in kinds), ZERO)

    draw_balance = None
    for row in sorted(drawn, key=lambda x: x.period):
        if parse_period(row.period).start <= p.start:
            draw_balance = Decimal(str(json.loads(row.trace).get("draw_balance_after", "0")))
    held_total = sum(
        (
            -Decimal(a)
            for k, a, fp, _ in outstanding
            if k == "held" and parse_period(fp).start <= p.start
        ),
        ZERO,
    )
    released_total = sum(
        (
            Decimal(a)
            for k, a, fp, per in outstanding
            if k == "release" and parse_period(per).start <= p.start
        ),
        ZERO,
    )
    return Statement(
        payee=payee,
        name=name,
        period=period,
        start=p.start,
        end=p.end,
        status=state.status,
        approvals=[
            f"{a.level}: {a.approved_by} {a.approved_at:%Y-%m-%d}"
            for a in approvals(engine, period, payee=payee)
        ],
        lines=lines,
        total=total("calculated", "true_up", "manual", "held", "release"),
        earned=total("calculated"),
        adjustments=total("true_up", "manual"),
        held=-total("held"),
        released=total("release"),
        held_outstanding=held_total - released_total,
        draw_balance=draw_balance,
        year_to_date=sum((Decimal(x.amount) for x in year_periods), ZERO),
        currency=shared,
    )


def _named(names: dict[str, SourceName], table: str, source_id: str | None) -> tuple[str, str]:
    found = names.get(source_id or "") if table == "deals" else None
    return (found.name, found.account) if found is not None else ("", "")
