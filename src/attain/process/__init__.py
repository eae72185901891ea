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

Each name is loaded from its module when first used, so that importing one module of the
package (the map of an XES file needs `discovery` and `log`) does not load the others' engines
(the store's stages, SQLAlchemy).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from attain.process.bottlenecks import Bottleneck, bottlenecks, cases_of_bottleneck
    from attain.process.compare import TransitionDelta, compare_maps
    from attain.process.discovery import ProcessMap, cases_of_transition, process_map
    from attain.process.filters import Filter
    from attain.process.log import EventLog, from_arrow, visible
    from attain.process.resources import (
        Concentration,
        Handoff,
        concentration,
        handoffs,
        resources,
    )
    from attain.process.rework import ActivityRework, ReworkRow, rework, rework_by_activity
    from attain.process.transitions import event_steps, transitions
    from attain.process.variants import VariantSet, cases_of_variant, variants

_HOME = {
    "bottlenecks": ("Bottleneck", "bottlenecks", "cases_of_bottleneck"),
    "compare": ("TransitionDelta", "compare_maps"),
    "discovery": ("ProcessMap", "cases_of_transition", "process_map"),
    "filters": ("Filter",),
    "log": ("EventLog", "from_arrow", "visible"),
    "resources": ("Concentration", "Handoff", "concentration", "handoffs", "resources"),
    "rework": ("ActivityRework", "ReworkRow", "rework", "rework_by_activity"),
    "transitions": ("event_steps", "transitions"),
    "variants": ("VariantSet", "cases_of_variant", "variants"),
}
_MODULE_OF = {name: module for module, names in _HOME.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)


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
