"""Rework, resources and a side-by-side comparison as titled tables written for people, for
the CLI's terminal tables and its `--html` page."""

from __future__ import annotations

from collections.abc import Sequence

from attain.money_format import percent
from attain.process.compare import TransitionDelta
from attain.process.discovery import ProcessMap
from attain.process.durations import humanised
from attain.process.log import EventLog
from attain.process.report_html import Section
from attain.process.resources import ActivityResource, Concentration, Handoff
from attain.process.rework import ActivityRework, ReworkRow


def _n(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def rework_sections(
    log: EventLog, by: str, rows: Sequence[ReworkRow], activities: Sequence[ActivityRework]
) -> list[Section]:
    """Rework per case, owner or team, then the activities most often done again."""
    key = {"case": log.case_label, "owner": "owner", "team": "team"}[by]
    counted = [
        [
            r.key or "(none)",
            _n(r.cases),
            _n(r.cases_with_rework),
            percent(r.share),
            _n(r.repeated_activities),
            _n(r.loops),
            _n(r.regressions),
        ]
        for r in rows
    ]
    per = Section(
        f"Rework per {key} ({len(rows)})",
        [key, "cases", "with rework", "share", "repeated activities", "loops", "regressions"],
        counted,
        frozenset({1, 2, 3, 4, 5, 6}),
    )
    again = Section(
        "Activities done again",
        ["activity", "cases", "cases repeating", "repeats", "share"],
        [
            [a.activity, _n(a.cases), _n(a.cases_repeating), _n(a.repeats), percent(a.share)]
            for a in activities
        ],
        frozenset({1, 2, 3, 4}),
    )
    return [per, again]


def resources_sections(
    by: str,
    concentrated: Sequence[Concentration],
    passed: Sequence[Handoff],
    performers: Sequence[ActivityResource],
    limit: int,
) -> list[Section]:
    """Dependence on one resource, hand-offs, and the top performers of each activity."""
    many = {"person": "people", "team": "teams"}.get(by, f"{by}s")
    depends = Section(
        f"Activities that depend on one {by} ({len(concentrated)})",
        ["activity", by, "share", "events", "activity events", f"{many} doing it"],
        [
            [
                c.activity,
                c.resource,
                percent(c.share),
                _n(c.events),
                _n(c.activity_events),
                _n(c.resources),
            ]
            for c in concentrated
        ],
        frozenset({2, 3, 4, 5}),
    )
    handed = Section(
        f"Hand-offs between {many} ({len(passed)} busiest)",
        ["from", "to", "hand-offs", "cases", "median wait", "mean wait"],
        [
            [
                h.source,
                h.target,
                _n(h.handoffs),
                _n(h.cases),
                humanised(h.wait_median_s),
                humanised(h.wait_mean_s),
            ]
            for h in passed
        ],
        frozenset({2, 3, 4, 5}),
    )
    top = sorted(performers, key=lambda r: (-r.events, r.activity, r.resource))[:limit]
    who = Section(
        f"Who does what ({len(top)} busiest)",
        ["activity", by, "events", "cases", "share of activity"],
        [[r.activity, r.resource, _n(r.events), _n(r.cases), percent(r.share)] for r in top],
        frozenset({2, 3, 4}),
    )
    return [depends, handed, who]


def compare_sections(
    a: ProcessMap,
    b: ProcessMap,
    deltas: Sequence[TransitionDelta],
    label_a: str,
    label_b: str,
    limit: int,
) -> list[Section]:
    """Each transition in both slices: share of cases taking it and median wait, a then b."""

    def median(t: object | None) -> str:
        return humanised(getattr(t, "wait_median_s", None)) if t is not None else "–"

    rows = [
        [
            d.source,
            d.target,
            percent(d.a_case_share),
            percent(d.b_case_share),
            median(d.a),
            median(d.b),
            "–" if d.median_change_s is None else _signed(d.median_change_s),
        ]
        for d in deltas[:limit]
    ]
    return [
        Section(
            f"Transitions, a = {label_a} ({a.cases:,}) / b = {label_b} ({b.cases:,})",
            ["from", "to", "cases a", "cases b", "median a", "median b", "median b - a"],
            rows,
            frozenset({2, 3, 4, 5, 6}),
        )
    ]


def _signed(seconds: float) -> str:
    return ("+" if seconds > 0 else "-" if seconds < 0 else "") + humanised(abs(seconds))
