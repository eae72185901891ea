"""Process maps: how work flows through a case's events, where it waits, loops and depends on
one person, computed in the database over any event log.

- `log`: `EventLog`, `from_arrow`, `visible` (what a viewer may see);
- `transitions`: `transitions` (directly-follows pairs with their waits), `event_steps`.
"""

from __future__ import annotations

from attain.process.log import EventLog, from_arrow, visible
from attain.process.transitions import event_steps, transitions

__all__ = ["EventLog", "event_steps", "from_arrow", "transitions", "visible"]
