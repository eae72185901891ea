"""What an approval of a period covers, and how far each level has got.

A manager approves their team's part of a period: the lines of every payee who reported to
them (at any depth, on any day of the period: the rule of `attain.access.sees_in_period`). A
period passes the manager level once every one of its lines has been approved there. Nobody
approves a line of their own, nor an adjustment they entered; a payee with no manager above
them in the period (the top of the hierarchy, or nobody's report) is approved at the manager
level by finance or an admin. An admin may approve any part at the manager level, except their
own lines. A team is a manager's direct reports in the period; payees with no manager form one
team of their own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Connection, select

from attain.audit.actor import Actor
from attain.hierarchy import Tree, closure, trees_over
from attain.money_format import money_totals
from attain.pay.periods import parse_period
from attain.pay.run_states import plan_currencies
from attain.pay.schema import ApprovalLine, LedgerLine

NO_MANAGER = ""
"""The team of payees with no manager in the period (finance or an admin approves them)."""


@dataclass(frozen=True)
class Line:
    id: int
    payee: str
    amount: Decimal
    currency: str
    kind: str
    created_by: str


@dataclass(frozen=True)
class Cover:
    """The lines one approval covers (or would), with their payees and totals per currency."""

    lines: tuple[Line, ...] = ()

    @property
    def ids(self) -> frozenset[int]:
        return frozenset(ln.id for ln in self.lines)

    @property
    def payees(self) -> tuple[str, ...]:
        return tuple(sorted({ln.payee for ln in self.lines}))

    @property
    def totals(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = defaultdict(Decimal)
        for ln in self.lines:
            out[ln.currency] += ln.amount
        return dict(out)

    def __str__(self) -> str:
        n, p = len(self.lines), len(self.payees)
        return (
            f"{p} payee{'s' if p != 1 else ''}, {n} line{'s' if n != 1 else ''}, "
            f"{money_totals(self.totals)}"
        )


@dataclass(frozen=True)
class Progress:
    """How far the manager level of a period has got: teams, payees and amounts approved."""

    teams: int = 0
    teams_approved: int = 0
    payees: int = 0
    payees_approved: int = 0
    total: dict[str, Decimal] = field(default_factory=dict)
    approved: dict[str, Decimal] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.payees_approved == self.payees

    def __str__(self) -> str:
        return (
            f"manager approvals: {self.teams_approved} of {self.teams} teams, "
            f"{self.payees_approved} of {self.payees} payees, "
            f"{money_totals(self.approved)} of {money_totals(self.total)}"
        )


@dataclass(frozen=True)
class ManagerLevel:
    """A period's lines, the hierarchy over it, and which lines the manager level has approved."""

    lines: tuple[Line, ...]
    above: dict[str, set[str]]
    team: dict[str, str]
    approved: frozenset[int]

    def may_approve(self, actor: Actor, line: Line) -> bool:
        """Whether `actor` may approve `line` at the manager level."""
        if line.payee == actor.name:
            return False
        if line.kind == "manual" and line.created_by == actor.name:
            return False
        above = self.above.get(line.payee, set())
        if actor.role == "admin":
            return True
        if actor.role == "finance":
            return not above
        return actor.role == "manager" and actor.name in above

    def cover(self, actor: Actor) -> Cover:
        """What `actor`'s approval at the manager level would cover now: the lines they may
        approve that nobody has approved yet."""
        return Cover(
            tuple(
                ln
                for ln in self.lines
                if ln.id not in self.approved and self.may_approve(actor, ln)
            )
        )

    def progress(self) -> Progress:
        waiting = {ln.payee for ln in self.lines if ln.id not in self.approved}
        payees = {ln.payee for ln in self.lines}
        teams: dict[str, set[str]] = defaultdict(set)
        for p in payees:
            teams[self.team.get(p, NO_MANAGER)].add(p)
        total: dict[str, Decimal] = defaultdict(Decimal)
        approved: dict[str, Decimal] = defaultdict(Decimal)
        for ln in self.lines:
            total[ln.currency] += ln.amount
            if ln.id in self.approved:
                approved[ln.currency] += ln.amount
        return Progress(
            len(teams),
            sum(1 for members in teams.values() if not members & waiting),
            len(payees),
            len(payees - waiting),
            dict(total),
            dict(approved),
        )


def _direct_and_above(trees: list[Tree]) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Each payee's direct manager (on the last day they had one) and everyone above them on
    any day of the period."""
    team: dict[str, str] = {}
    above: dict[str, set[str]] = defaultdict(set)
    for tree in trees:
        up: dict[str, set[str]] = defaultdict(set)
        for manager, reports in tree.items():
            for pid in reports:
                up[pid].add(manager)
                team[pid] = manager
        for pid in up:
            above[pid] |= closure([pid], up) - {pid}
    return team, dict(above)


def period_cover(conn: Connection, period: str, cycle: int) -> ManagerLevel:
    """The period's lines and the manager level's approvals of them in `cycle`."""
    p = parse_period(period)
    currency_of = plan_currencies(conn)
    lines = tuple(
        Line(r.id, r.payee, Decimal(r.amount), currency_of.get(r.plan, ""), r.kind, r.created_by)
        for r in conn.execute(
            select(
                LedgerLine.id,
                LedgerLine.payee,
                LedgerLine.plan,
                LedgerLine.amount,
                LedgerLine.kind,
                LedgerLine.created_by,
            )
            .where(LedgerLine.period == period)
            .order_by(LedgerLine.id)
        )
    )
    approved = frozenset(
        conn.execute(
            select(ApprovalLine.ledger_line).where(
                ApprovalLine.period == period,
                ApprovalLine.cycle == cycle,
                ApprovalLine.level == "manager",
            )
        ).scalars()
    )
    engine = conn.engine
    team, above = _direct_and_above(trees_over(engine, p.start, p.end))
    return ManagerLevel(lines, above, team, approved)
