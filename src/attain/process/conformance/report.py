"""What a conformance check found, as plain frozen values for the surfaces.

Shares are fractions (0..1). Value at risk is the exact sum of the violating cases' amounts in the
log's currency (`None` when the log has no amounts); surfaces show it to cents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ViolatingCase:
    """A case that breaks a rule, at the first event where it does (`step`: 0-based index of
    that event in the case, `at` its time)."""

    case_id: str
    activity: str
    at: dt.datetime
    step: int
    amount: Decimal | None


@dataclass(frozen=True)
class MonthFigures:
    """The cases that started in one month (`2012-01`), checked and violating."""

    month: str
    cases: int
    violating: int
    value_at_risk: Decimal | None

    @property
    def share_conforming(self) -> float:
        return 1.0 if self.cases == 0 else (self.cases - self.violating) / self.cases


@dataclass(frozen=True)
class RuleResult:
    """One rule over the log. `cases_checked` are the cases the rule speaks of (with `before:`
    the cases that have that activity; with `within:` those where `to` follows `from`; else
    every case); `cases` lists the violating ones, earliest violation first, up to a limit."""

    name: str
    kind: str
    meaning: str
    description: str | None
    cases_checked: int
    violating: int
    value_at_risk: Decimal | None
    currency: str | None
    by_month: tuple[MonthFigures, ...]
    cases: tuple[ViolatingCase, ...]

    @property
    def share_conforming(self) -> float:
        if self.cases_checked == 0:
            return 1.0
        return (self.cases_checked - self.violating) / self.cases_checked


@dataclass(frozen=True)
class ConformanceReport:
    """Every rule of a process over one log, and the cases that follow all of them.

    `warnings` are problems that do not stop the check, each `file:line:column: message`
    (an activity the log never has, rules written for another process)."""

    log: str
    case_label: str
    process: str
    cases: int
    violating: int
    value_at_risk: Decimal | None
    currency: str | None
    rules: tuple[RuleResult, ...]
    by_month: tuple[MonthFigures, ...]
    warnings: tuple[str, ...]

    @property
    def conforming(self) -> int:
        return self.cases - self.violating

    @property
    def share_conforming(self) -> float:
        return 1.0 if self.cases == 0 else self.conforming / self.cases

    def rule(self, name: str) -> RuleResult:
        """The result of the rule of that name (KeyError when there is none)."""
        for r in self.rules:
            if r.name == name:
                return r
        raise KeyError(name)
