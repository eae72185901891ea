"""The filter of every process page and endpoint, read from the query string once: one
FastAPI dependency, so the pages and the API take the same fields with the same limits."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from attain.web.process_access import Asked

Since = Annotated[str, Query(max_length=64, description="Cases whose first event is on or after.")]
Until = Annotated[str, Query(max_length=64, description="Cases whose first event is on or before.")]
Attribute = Annotated[str, Query(max_length=64, description="A case attribute to filter on.")]
Value = Annotated[str, Query(max_length=64, description="The value the attribute must have.")]
Variant = Annotated[
    list[str] | None, Query(max_length=200, description="Only cases that took this path.")
]
MinDays = Annotated[str, Query(max_length=64, description="Only cases that took this long.")]


def cases_asked(
    since: Since = "", until: Until = "", attribute: Attribute = "", value: Value = "",
    min_days: MinDays = "",
) -> Asked:  # fmt: skip
    """The filter by time frame, case attribute and duration."""
    return Asked(since, until, attribute, value, (), min_days)


def path_asked(cases: Annotated[Asked, Depends(cases_asked)], variant: Variant = None) -> Asked:
    """The same, and by variant (the path the cases took)."""
    return Asked(cases.since, cases.until, cases.attribute, cases.value, tuple(variant or ()),
                 cases.min_days)  # fmt: skip


CasesAsked = Annotated[Asked, Depends(cases_asked)]
PathAsked = Annotated[Asked, Depends(path_asked)]
