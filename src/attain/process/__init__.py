"""Process maps: how work flows through a case's events, where it waits, loops and depends on
one person, computed in the database over any event log.

- `log`: `EventLog`, `from_arrow`, `visible` (what a viewer may see);
- `transitions`: `transitions` (directly-follows pairs with their waits), `event_steps`;
- `discovery`: `process_map`, `cases_of_transition`;
- `variants`: `variants`, `cases_of_variant`;
- `filters`: `Filter` (a log's `filtered`); `compare`: `compare_maps`;
- `rework`: `rework` (repeats, loops, stage regressions per case, owner or team),
  `rework_by_activity`;
- `bottlenecks`: `bottlenecks` (ranked by time added), `cases_of_bottleneck`;
- `resources`: `resources`, `handoffs`, `concentration`.
"""

from __future__ import annotations

from attain.process.bottlenecks import Bottleneck, bottlenecks, cases_of_bottleneck
from attain.process.compare import TransitionDelta, compare_maps
from attain.process.discovery import ProcessMap, cases_of_transition, process_map
from attain.process.filters import Filter
from attain.process.log import EventLog, from_arrow, visible
from attain.process.resources import Concentration, Handoff, concentration, handoffs, resources
from attain.process.rework import ActivityRework, ReworkRow, rework, rework_by_activity
from attain.process.transitions import event_steps, transitions
from attain.process.variants import VariantSet, cases_of_variant, variants

__all__ = [
    "ActivityRework",
    "Bottleneck",
    "Concentration",
    "EventLog",
    "Filter",
    "Handoff",
    "ProcessMap",
    "ReworkRow",
    "TransitionDelta",
    "VariantSet",
    "bottlenecks",
    "cases_of_bottleneck",
    "cases_of_transition",
    "cases_of_variant",
    "compare_maps",
    "concentration",
    "event_steps",
    "from_arrow",
    "handoffs",
    "process_map",
    "resources",
    "rework",
    "rework_by_activity",
    "transitions",
    "variants",
    "visible",
]
