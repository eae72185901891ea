"""The rules a process must follow, as read from YAML: one small class per kind of rule.

Each rule keeps where it was written (`Place`) and where each activity it names was written, so a
warning about an activity the log never has points at the line and column to fix.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Place:
    """A line and column of the rules' YAML text (both 1-based)."""

    line: int
    column: int


@dataclass(frozen=True)
class Rule:
    """What every rule has: its name, an optional description, where it was written, and each
    activity it names with the place it was named at."""

    name: str
    place: Place
    named: tuple[tuple[str, Place], ...]
    description: str | None

    @property
    def kind(self) -> str:
        """The rule's key in the language: `order`, `require`, `never`, ..."""
        raise NotImplementedError

    @property
    def meaning(self) -> str:
        """The rule in a sentence, for reports."""
        raise NotImplementedError


@dataclass(frozen=True)
class OrderRule(Rule):
    """The listed activities happen in this order; a move back to an earlier one breaks it
    unless `allow_back` (then only reaching an activity for the first time out of order does)."""

    activities: tuple[str, ...]
    allow_back: bool

    @property
    def kind(self) -> str:
        return "order"

    @property
    def meaning(self) -> str:
        back = " (moving back allowed)" if self.allow_back else ""
        return " then ".join(self.activities) + back


@dataclass(frozen=True)
class RequireRule(Rule):
    """`before` is None: every case has `activity`. Otherwise: no `before` without `activity`
    earlier in the case."""

    activity: str
    before: str | None

    @property
    def kind(self) -> str:
        return "require"

    @property
    def meaning(self) -> str:
        if self.before is None:
            return f"every case has {self.activity}"
        return f"no {self.before} without {self.activity} earlier"


@dataclass(frozen=True)
class NeverRule(Rule):
    """No case has `activity`."""

    activity: str

    @property
    def kind(self) -> str:
        return "never"

    @property
    def meaning(self) -> str:
        return f"never {self.activity}"


@dataclass(frozen=True)
class AtMostRule(Rule):
    """No case has `activity` more than `times` times."""

    activity: str
    times: int

    @property
    def kind(self) -> str:
        return "at_most"

    @property
    def meaning(self) -> str:
        return f"{self.activity} at most {self.times} time{'s' if self.times != 1 else ''}"


@dataclass(frozen=True)
class WithinRule(Rule):
    """The first `target` after a case's first `source` comes at most `limit_s` seconds later
    (working seconds of the case's calendar when `business_hours`). A case without `target`
    after `source` is not judged by this rule (`require` demands a step)."""

    limit: str
    limit_s: int
    source: str
    target: str
    business_hours: bool

    @property
    def kind(self) -> str:
        return "within"

    @property
    def meaning(self) -> str:
        hours = " business hours" if self.business_hours else ""
        return f"{self.target} within {self.limit}{hours} of {self.source}"


@dataclass(frozen=True)
class StartsWithRule(Rule):
    """Every case's first event is one of `activities`."""

    activities: tuple[str, ...]

    @property
    def kind(self) -> str:
        return "starts_with"

    @property
    def meaning(self) -> str:
        return "starts with " + " or ".join(self.activities)


@dataclass(frozen=True)
class EndsWithRule(Rule):
    """Every case's last event is one of `activities`."""

    activities: tuple[str, ...]

    @property
    def kind(self) -> str:
        return "ends_with"

    @property
    def meaning(self) -> str:
        return "ends with " + " or ".join(self.activities)


@dataclass(frozen=True)
class ProcessRules:
    """A process's rules: the log they are written for (`process`), from which text (`source`)."""

    process: str
    process_place: Place
    rules: tuple[Rule, ...]
    source: str
    description: str | None = None

    def rule(self, name: str) -> Rule:
        """The rule of that name (KeyError when there is none)."""
        for r in self.rules:
            if r.name == name:
                return r
        raise KeyError(name)
