"""A result as titled tables of cells written for people (see `report_rows`): the map's
activities and transitions, a conformance report's figures and lists. Shared by the CLI's
terminal tables, its `--html` page and the web pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from attain.money_format import money, percent
from attain.process.durations import humanised
from attain.process.report_html import Section
from attain.process.report_rows import cell

if TYPE_CHECKING:
    from attain.process.conformance import ConformanceReport


def map_sections(pm: Any, limit: int) -> list[Section]:
    """The map's two tables: activities, and the busiest transitions."""
    activities = Section(
        f"Activities of {pm.log} ({len(pm.activities)})",
        ["activity", "events", "cases", "starts", "ends", "service median"],
        [
            [
                a.name,
                f"{a.events:,}",
                f"{a.cases:,}",
                f"{a.starts:,}",
                f"{a.ends:,}",
                humanised(a.service_median_s),
            ]
            for a in sorted(pm.activities, key=lambda a: (-a.events, a.name))
        ],
        frozenset({1, 2, 3, 4, 5}),
    )
    busiest = sorted(pm.transitions, key=lambda t: (-t.events, t.source, t.target))
    transitions = Section(
        f"Transitions ({min(limit, len(busiest))} busiest of {len(busiest)})",
        ["from", "to", "events", "cases", "median wait", "mean wait", "p90 wait", "total wait"],
        [
            [
                t.source,
                t.target,
                f"{t.events:,}",
                f"{t.cases:,}",
                humanised(t.wait_median_s),
                humanised(t.wait_mean_s),
                humanised(t.wait_p90_s),
                humanised(t.wait_total_s),
            ]
            for t in busiest[:limit]
        ],
        frozenset({2, 3, 4, 5, 6, 7}),
    )
    return [activities, transitions]


def conformance_sections(
    report: ConformanceReport, cases_per_rule: int = 10
) -> tuple[str, list[str], list[Section]]:
    """A conformance report as a title, notes (its overall figures and warnings) and tables:
    the rules, the months, and the first violating cases of each rule."""
    currency = report.currency
    conforming = 1.0 if report.cases == 0 else (report.cases - report.violating) / report.cases
    title = f"Conformance of {report.log} to {report.process}"
    notes = [
        f"{report.cases:,} {report.case_label}s checked, {report.violating:,} break a rule; "
        f"{percent(conforming)} conform to every rule"
        + (
            f"; value at risk {money(report.value_at_risk, currency)}"
            if report.value_at_risk is not None
            else ""
        ),
        *(f"warning: {w}" for w in report.warnings),
    ]
    rules = Section(
        "Rules",
        ["rule", "meaning", "checked", "violating", "conforming", "value at risk"],
        [
            [
                r.name,
                r.meaning,
                f"{r.cases_checked:,}",
                f"{r.violating:,}",
                percent(r.share_conforming),
                cell("value", r.value_at_risk, currency),
            ]
            for r in report.rules
        ],
        frozenset({2, 3, 4, 5}),
    )
    months = Section(
        "By month of the first event",
        ["month", "cases", "violating", "conforming", "value at risk"],
        [
            [
                m.month,
                f"{m.cases:,}",
                f"{m.violating:,}",
                percent(m.share_conforming),
                cell("value", m.value_at_risk, currency),
            ]
            for m in report.by_month
        ],
        frozenset({1, 2, 3, 4}),
    )
    cases = Section(
        f"Violating {report.case_label}s (the first {cases_per_rule} of each rule)",
        ["rule", report.case_label, "at activity", "at", "amount"],
        [
            [
                r.name,
                c.case_id,
                c.activity,
                c.at.isoformat(sep=" "),
                cell("amount", c.amount, currency),
            ]
            for r in report.rules
            for c in r.cases[:cases_per_rule]
        ],
        frozenset({4}),
    )
    return title, notes, [rules, months, cases]
