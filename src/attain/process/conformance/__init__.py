"""Conformance: a process written as YAML rules, checked over every case of an event log.

`load_rules(text, source=...)` reads the rules (a `RulesError` names each mistake's line and
column); `check(log, rules)` gives a `ConformanceReport`: the share of cases that follow every
rule, and per rule its violating cases, value at risk and months. `EXAMPLES` holds the shipped
rules (deals, tickets, bpic2012).
"""

from __future__ import annotations

from pathlib import Path

from attain.process.conformance.checker import check
from attain.process.conformance.durations import DurationError, duration_seconds
from attain.process.conformance.parser import load_rules
from attain.process.conformance.problems import Problem, RulesError
from attain.process.conformance.report import (
    ConformanceReport,
    MonthFigures,
    RuleResult,
    ViolatingCase,
)
from attain.process.conformance.rules import (
    AtMostRule,
    EndsWithRule,
    NeverRule,
    OrderRule,
    Place,
    ProcessRules,
    RequireRule,
    Rule,
    StartsWithRule,
    WithinRule,
)

EXAMPLES = Path(__file__).resolve().parent / "examples"
"""The shipped example rules: `deals.yaml`, `tickets.yaml`, `bpic2012.yaml`."""


def example_rules(name: str) -> ProcessRules:
    """The shipped example rules for `deals`, `tickets` or `bpic2012`."""
    path = EXAMPLES / f"{name}.yaml"
    return load_rules(path.read_text(encoding="utf-8"), source=path.name)


__all__ = [
    "EXAMPLES",
    "AtMostRule",
    "ConformanceReport",
    "DurationError",
    "EndsWithRule",
    "MonthFigures",
    "NeverRule",
    "OrderRule",
    "Place",
    "Problem",
    "ProcessRules",
    "RequireRule",
    "Rule",
    "RuleResult",
    "RulesError",
    "StartsWithRule",
    "ViolatingCase",
    "WithinRule",
    "check",
    "duration_seconds",
    "example_rules",
    "load_rules",
]
