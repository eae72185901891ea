"""Activities a rule names that the log never has: a warning at the place they are written.

Not an error: a rule about a rare step is still a rule when this month's log lacks it. But a
misspelt activity would silently conform forever, so the warning offers the nearest name.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection

from attain.process.conformance.rules import ProcessRules


def unknown_activities(rules: ProcessRules, present: Collection[str], log: str) -> list[str]:
    """`file:line:column: ...` for each activity named by a rule that `present` lacks.

    >>> from attain.process.conformance import load_rules
    >>> rules = load_rules("process: deals\\nrules:\\n  - {name: n, never: propsal}", source="d.yaml")
    >>> unknown_activities(rules, {"proposal", "won"}, "deals")
    ["d.yaml:3:29: activity 'propsal' does not occur in log 'deals' (did you mean 'proposal'?)"]
    """
    known = sorted(present)
    out = []
    for rule in rules.rules:
        for name, place in rule.named:
            if name in present:
                continue
            near = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            out.append(
                f"{rules.source}:{place.line}:{place.column}: activity {name!r} does not occur"
                f" in log {log!r}{hint}"
            )
    return out
