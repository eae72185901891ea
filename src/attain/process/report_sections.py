"""A result as titled tables of cells written for people (see `report_rows`): the map's
activities and transitions, a conformance report's figures and lists. Shared by the CLI's
terminal tables, its `--html` page and the web pages."""

from __future__ import annotations

import dataclasses
from typing import Any

from attain.process.durations import humanised
from attain.process.report_html import Section
from attain.process.report_rows import cell, heading, table


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



def conformance_sections(report: Any, chosen: Any) -> tuple[str, list[str], list[Section]]:
    """A conformance report as a title, notes (its plain figures) and tables (its lists)."""
    title = f"Conformance of {chosen.name}"
    notes: list[str] = []
    sections: list[Section] = []
    for f in dataclasses.fields(report):
        value = getattr(report, f.name)
        if isinstance(value, tuple | list) and value and dataclasses.is_dataclass(value[0]):
            headings, rows = table(list(value), chosen.currency)
            sections.append(Section(heading(f.name).capitalize(), headings, rows))
        else:
            notes.append(f"{heading(f.name)}: {cell(f.name, value, chosen.currency)}")
    return title, notes, sections
