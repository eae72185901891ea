"""Who sees what: the ONE place that decides it, for pages, API, exports, CLI, statements and
disputes alike (the rule is written in docs/access.md).

A whole feature a role does not have (plans, imports, users) answers "forbidden"
(`require(viewer, capability)`); another payee's object answers "not found" (`scope.check`, or
`scope.check_in` for what belongs to a period).
"""

from attain.access.capabilities import CAPABILITIES, Forbidden
from attain.access.scope import (
    SEES_EVERYONE,
    NotVisible,
    Scope,
    scope_of,
    sees_in_period,
)
from attain.access.viewer import Viewer, actor_of, allows, require
from attain.hierarchy import forget_hierarchy, reports_as_of, team_of

__all__ = [
    "CAPABILITIES",
    "SEES_EVERYONE",
    "Forbidden",
    "NotVisible",
    "Scope",
    "Viewer",
    "actor_of",
    "allows",
    "forget_hierarchy",
    "reports_as_of",
    "require",
    "scope_of",
    "sees_in_period",
    "team_of",
]
