"""Two process maps side by side (this quarter against last, team against team, won against
lost): every transition of either, with its figures in each and the change between them.

Frequencies are compared as shares of each map's cases too, since two periods rarely hold the
same number of cases.

>>> import pyarrow as pa, datetime as dt
>>> from attain.process.log import from_arrow
>>> from attain.process.discovery import process_map
>>> log = from_arrow("demo", pa.table({"case_id": ["c1", "c1"], "activity": ["Open", "Close"],
...     "at": [dt.datetime(2026, 1, 5, 9), dt.datetime(2026, 1, 5, 10)]}))
>>> compare_maps(process_map(log), process_map(log))[0].median_change_s
0.0
"""

from __future__ import annotations

from dataclasses import dataclass

from attain.process.discovery import ProcessMap, TransitionStats


@dataclass(frozen=True)
class TransitionDelta:
    """One transition in map `a` and map `b` (None where it does not occur)."""

    source: str
    target: str
    a: TransitionStats | None
    b: TransitionStats | None
    a_case_share: float
    """Share of map a's cases that take the transition (0 when absent)."""
    b_case_share: float

    @property
    def events_change(self) -> int:
        """Occurrences in b minus occurrences in a."""
        return (self.b.events if self.b else 0) - (self.a.events if self.a else 0)

    @property
    def case_share_change(self) -> float:
        return self.b_case_share - self.a_case_share

    @property
    def median_change_s(self) -> float | None:
        """Median wait in b minus in a; None unless the transition occurs in both."""
        if self.a is None or self.b is None:
            return None
        return self.b.wait_median_s - self.a.wait_median_s

    @property
    def only_in(self) -> str | None:
        """ "a" or "b" when the transition occurs in one map only."""
        if self.b is None:
            return "a"
        if self.a is None:
            return "b"
        return None


def compare_maps(a: ProcessMap, b: ProcessMap) -> list[TransitionDelta]:
    """Every transition of `a` or `b`, busiest (both maps' occurrences together) first."""
    in_a = {(t.source, t.target): t for t in a.transitions}
    in_b = {(t.source, t.target): t for t in b.transitions}

    def share(t: TransitionStats | None, m: ProcessMap) -> float:
        return t.cases / m.cases if t is not None and m.cases else 0.0

    deltas = [
        TransitionDelta(
            source=key[0],
            target=key[1],
            a=in_a.get(key),
            b=in_b.get(key),
            a_case_share=share(in_a.get(key), a),
            b_case_share=share(in_b.get(key), b),
        )
        for key in in_a.keys() | in_b.keys()
    ]

    def volume(d: TransitionDelta) -> int:
        return (d.a.events if d.a else 0) + (d.b.events if d.b else 0)

    return sorted(deltas, key=lambda d: (-volume(d), d.source, d.target))
