"""The YAML of rules as nodes, each with its place: a safe loader that refuses anchors and
aliases, and a reader that turns nodes into names, flags and numbers, collecting every problem
instead of stopping at the first. Names are taken as written (`yes`, `007` stay text)."""

from __future__ import annotations

import difflib

import yaml

from attain.process.conformance.problems import Problem
from attain.process.conformance.rules import Place

BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
NULL = "tag:yaml.org,2002:null"
MAX_NESTING = 8
Entries = dict[str, tuple[yaml.Node, yaml.Node]]
"""A mapping's entries by key: (key node, value node)."""


class Loader(yaml.SafeLoader):
    """SafeLoader refusing anchors and aliases (an alias can make a small text expand into a
    huge one) and nesting deeper than any rules need (before Python's recursion gives out)."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise Refused(event.start_mark, "anchors and aliases are not allowed in rules")
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                raise Refused(event.start_mark, f"nested more than {MAX_NESTING} levels deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class Refused(Exception):
    """What the loader refuses, at its place."""

    def __init__(self, mark: yaml.Mark, message: str) -> None:
        self.problem = Problem(mark.line + 1, mark.column + 1, message)


def place_of(node: yaml.Node) -> Place:
    return Place(node.start_mark.line + 1, node.start_mark.column + 1)


def _suggest(word: str, choices: tuple[str, ...]) -> str:
    near = difflib.get_close_matches(word, choices, n=1)
    return f"did you mean {near[0]!r}?" if near else "expected one of " + ", ".join(choices)


class Reader:
    """Walks the nodes, collecting problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node, message: str) -> None:
        place = place_of(node)
        self.problems.append(Problem(place.line, place.column, message))

    def mapping(self, node: yaml.Node, what: str, keys: tuple[str, ...]) -> Entries | None:
        """The mapping's entries by key, each with its key node; unknown and repeated keys are
        problems (and left out)."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what}: expected a mapping of keys")
            return None
        out: Entries = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if not isinstance(name, str):
                self.problem(key, f"{what}: a key must be a word")
            elif name in out:
                self.problem(key, f"{what}: key {name!r} is given twice")
            elif name not in keys:
                self.problem(key, f"{what}: unknown key {name!r}; {_suggest(name, keys)}")
            else:
                out[name] = (key, value)
        return out

    def text(self, node: yaml.Node, what: str) -> str | None:
        """A scalar as written (an activity name, a rule name); None (and a problem) otherwise."""
        if not isinstance(node, yaml.ScalarNode) or (node.tag == NULL and node.style is None):
            self.problem(node, f"{what}: expected a name, got {shape(node)}")
            return None
        value = str(node.value).strip()
        if not value:
            self.problem(node, f"{what}: expected a name, got an empty text")
            return None
        return value

    def names(self, node: yaml.Node, what: str, *, single: bool = False) -> list[tuple[str, Place]]:
        """One name, or a list of names (when not `single`), each with its place."""
        if isinstance(node, yaml.SequenceNode) and not single:
            if not node.value:
                self.problem(node, f"{what}: expected at least one activity")
            items = [(self.text(item, what), place_of(item)) for item in node.value]
            return [(name, place) for name, place in items if name is not None]
        name = self.text(node, what)
        return [] if name is None else [(name, place_of(node))]

    def flag(self, node: yaml.Node, what: str) -> bool:
        if isinstance(node, yaml.ScalarNode) and node.tag == BOOL and node.style is None:
            return str(node.value).lower() in ("true", "yes", "on")
        self.problem(node, f"{what}: expected true or false, got {shape(node)}")
        return False

    def whole(self, node: yaml.Node, what: str, *, least: int) -> int | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == INT and node.style is None:
            digits = str(node.value).replace("_", "")
            if digits.isdigit() and int(digits) >= least:
                return int(digits)
        self.problem(
            node, f"{what}: expected a whole number of at least {least}, got {shape(node)}"
        )
        return None


def shape(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.ScalarNode) and node.tag == NULL and node.style is None:
        return "nothing"
    return repr(str(node.value))
