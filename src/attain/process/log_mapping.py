"""How a CSV or Parquet file's columns become an event log: which column is the case, the
activity, the timestamp, and which are the resource, lifecycle, amount and case attributes.

Written in YAML (or given as options on the command line):

    case: Case ID
    activity: Activity
    timestamp: Complete Timestamp
    timestamp_format: "%Y/%m/%d %H:%M:%S"   # optional; ISO 8601 (with or without offset) by default
    resource: Resource
    amount: Amount                          # optional; a number per case
    currency: EUR
    attributes: {region: Region, owner: Sales Agent}   # or a list of columns kept as they are
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

REQUIRED = ("case", "activity", "timestamp")
OPTIONAL = ("resource", "lifecycle", "amount", "currency", "timestamp_format")


class MappingError(ValueError):
    """A log mapping that cannot be used: the message names the YAML file and line."""


@dataclass(frozen=True)
class LogMapping:
    """File columns for each part of an event log; `attributes` maps case column -> file column."""

    case: str
    activity: str
    timestamp: str
    resource: str | None = None
    lifecycle: str | None = None
    amount: str | None = None
    currency: str | None = None
    timestamp_format: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)

    def columns(self) -> dict[str, str]:
        """Each part of the log that is mapped -> the file column it comes from."""
        named = {
            "case": self.case,
            "activity": self.activity,
            "timestamp": self.timestamp,
            "resource": self.resource,
            "lifecycle": self.lifecycle,
            "amount": self.amount,
        }
        return {k: v for k, v in named.items() if v is not None}


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def load_mapping(text: str, *, source: str = "mapping.yaml") -> LogMapping:
    """Parse a mapping written in YAML; every error names `source` and the line."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        raise MappingError(f"{source}{where}: not YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(root, yaml.MappingNode):
        raise MappingError(f"{source}, line 1: a mapping is `case: column`, `activity: ...` lines")
    values: dict[str, Any] = {}
    for key, value in root.value:
        name = str(key.value)
        if name == "attributes":
            values[name] = _attributes(value, source)
        elif name in REQUIRED or name in OPTIONAL:
            if not isinstance(value, yaml.ScalarNode) or not str(value.value).strip():
                raise MappingError(f"{source}, line {_line(value)}: {name} names one column")
            values[name] = str(value.value)
        else:
            known = ", ".join((*REQUIRED, *OPTIONAL, "attributes"))
            raise MappingError(f"{source}, line {_line(key)}: unknown key {name!r} ({known})")
    missing = [k for k in REQUIRED if k not in values]
    if missing:
        raise MappingError(f"{source}, line {_line(root)}: name the {', '.join(missing)} column")
    return LogMapping(**values)


def _attributes(node: yaml.Node, source: str) -> dict[str, str]:
    if isinstance(node, yaml.SequenceNode):
        pairs = [(str(n.value), str(n.value)) for n in node.value]
    elif isinstance(node, yaml.MappingNode):
        pairs = [(str(k.value), str(v.value)) for k, v in node.value]
    else:
        raise MappingError(
            f"{source}, line {_line(node)}: attributes are a list of columns or `name: column`"
        )
    return dict(pairs)
