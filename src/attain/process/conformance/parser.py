"""Read process rules from YAML, reporting every mistake at its line and column at once.

The YAML is walked as nodes (not loaded into plain values) so that each key, value and activity
keeps its place: an unknown key, a bad duration or a rule of two kinds is shown where it is
written, as plan errors are. Activity names are taken as written (`yes`, `007` stay strings).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from attain.process.conformance.durations import DurationError, duration_seconds
from attain.process.conformance.rules import (
    AtMostRule,
    EndsWithRule,
    NeverRule,
    OrderRule,
    Place,
    ProcessRules,
    RequireRule,
    Rule,
    StartsWithRule,
    WithinRule,
)

MAX_RULES_BYTES = 1_000_000
TOP_KEYS = ("process", "description", "rules")
KINDS = ("order", "require", "never", "at_most", "within", "starts_with", "ends_with")
COMPANIONS = {
    "allow_back": "order",
    "before": "require",
    "from": "within",
    "to": "within",
    "business_hours": "within",
}
RULE_KEYS = ("name", "description", *KINDS, *COMPANIONS)
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_NULL = "tag:yaml.org,2002:null"


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in the rules' text, at a line and column (both 1-based)."""

    line: int
    column: int
    message: str

    def at(self, source: str) -> str:
        """`file.yaml:3:5: message`, as compilers write it."""
        return f"{source}:{self.line}:{self.column}: {self.message}"


class RulesError(ValueError):
    """Rules that cannot be read: every problem found, each at its line and column. The
    message is the first problem in one line (with how many more there are)."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = tuple(sorted(problems))
        first = self.problems[0]
        more = len(self.problems) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        super().__init__(first.at(source) + tail)
        self.line = first.line
        self.column = first.column


class _Loader(yaml.SafeLoader):
    """SafeLoader refusing anchors and aliases: rules are short, and an alias could make a
    small text expand into a huge one."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            mark = event.start_mark
            raise _Refused(
                Problem(
                    mark.line + 1, mark.column + 1, "anchors and aliases are not allowed in rules"
                )
            )
        return super().compose_node(parent, index)


class _Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _place(node: yaml.Node) -> Place:
    return Place(node.start_mark.line + 1, node.start_mark.column + 1)


def _suggest(word: str, choices: tuple[str, ...]) -> str:
    near = difflib.get_close_matches(word, choices, n=1)
    return f"did you mean {near[0]!r}?" if near else "expected one of " + ", ".join(choices)


class _Reader:
    """Walks the nodes, collecting problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node, message: str) -> None:
        place = _place(node)
        self.problems.append(Problem(place.line, place.column, message))

    def mapping(
        self, node: yaml.Node, what: str, keys: tuple[str, ...]
    ) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        """The mapping's entries by key, each with its key node; unknown and repeated keys are
        problems (and left out)."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what}: expected a mapping of keys")
            return None
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
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
        if not isinstance(node, yaml.ScalarNode) or (node.tag == _NULL and node.style is None):
            self.problem(node, f"{what}: expected a name, got {_shape(node)}")
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
            items = [(self.text(item, what), _place(item)) for item in node.value]
            return [(name, place) for name, place in items if name is not None]
        name = self.text(node, what)
        return [] if name is None else [(name, _place(node))]

    def flag(self, node: yaml.Node, what: str) -> bool:
        if isinstance(node, yaml.ScalarNode) and node.tag == _BOOL and node.style is None:
            return str(node.value).lower() in ("true", "yes", "on")
        self.problem(node, f"{what}: expected true or false, got {_shape(node)}")
        return False

    def whole(self, node: yaml.Node, what: str, *, least: int) -> int | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _INT and node.style is None:
            digits = str(node.value).replace("_", "")
            if digits.isdigit() and int(digits) >= least:
                return int(digits)
        self.problem(
            node, f"{what}: expected a whole number of at least {least}, got {_shape(node)}"
        )
        return None


def _shape(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.ScalarNode) and node.tag == _NULL and node.style is None:
        return "nothing"
    return repr(str(node.value))


def load_rules(text: str, *, source: str = "rules.yaml") -> ProcessRules:
    """The process rules written in `text`; `RulesError` names every problem at its line.

    >>> rules = load_rules("process: deals\\nrules:\\n  - {name: proposal first, require: proposal, before: won}")
    >>> rules.rules[0].meaning
    'no won without proposal earlier'
    """
    if len(text.encode("utf-8")) > MAX_RULES_BYTES:
        raise RulesError(source, [Problem(1, 1, f"rules are at most {MAX_RULES_BYTES:,} bytes")])
    try:
        root = yaml.compose(text, Loader=_Loader)
    except _Refused as exc:
        raise RulesError(source, [exc.problem]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise RulesError(
            source, [Problem(line, column, f"malformed YAML: {exc.problem or exc}")]
        ) from None
    if root is None:
        raise RulesError(source, [Problem(1, 1, "empty; expected `process:` and `rules:`")])
    reader = _Reader()
    top = reader.mapping(root, "rules file", TOP_KEYS)
    if top is None:
        raise RulesError(source, reader.problems)
    process, process_place = "", Place(1, 1)
    if "process" in top:
        process_place = _place(top["process"][1])
        process = reader.text(top["process"][1], "process") or ""
    else:
        reader.problem(root, "missing `process:` (the log the rules are for, e.g. deals)")
    description = (
        reader.text(top["description"][1], "description") if "description" in top else None
    )
    rules: list[Rule] = []
    if "rules" not in top:
        reader.problem(root, "missing `rules:` (a list of rules)")
    elif not isinstance(top["rules"][1], yaml.SequenceNode) or not top["rules"][1].value:
        reader.problem(top["rules"][1], "rules: expected a list of at least one rule")
    else:
        seen: dict[str, Place] = {}
        for i, node in enumerate(top["rules"][1].value):
            rule = _rule(reader, node, i)
            if rule is None:
                continue
            if rule.name in seen:
                reader.problem(
                    node,
                    f"rule {rule.name!r}: the name is already used on line {seen[rule.name].line}",
                )
            seen.setdefault(rule.name, rule.place)
            rules.append(rule)
    if reader.problems:
        raise RulesError(source, reader.problems)
    return ProcessRules(process, process_place, tuple(rules), source, description)


def _rule(reader: _Reader, node: yaml.Node, index: int) -> Rule | None:
    """One rule of the list, or None (its problems recorded)."""
    fields = reader.mapping(node, _label(node, index), RULE_KEYS)
    if fields is None:
        return None
    before = len(reader.problems)
    name = reader.text(fields["name"][1], "name") if "name" in fields else None
    if "name" not in fields:
        reader.problem(node, f"rule {index + 1}: missing `name:`")
    label = _label(node, index)
    kinds = [k for k in KINDS if k in fields]
    if not kinds:
        reader.problem(node, f"{label}: says nothing to check; give one of " + ", ".join(KINDS))
        return None
    if len(kinds) > 1:
        reader.problem(
            fields[kinds[1]][0],
            f"{label}: one rule checks one thing; {kinds[0]!r} and {kinds[1]!r} are two rules",
        )
        return None
    kind = kinds[0]
    for key, owner in COMPANIONS.items():
        if key in fields and owner != kind:
            reader.problem(fields[key][0], f"{label}: {key!r} goes with {owner!r}, not {kind!r}")
    description = (
        reader.text(fields["description"][1], "description") if "description" in fields else None
    )
    rule = _KIND_READERS[kind](reader, fields, label)
    if rule is None or name is None or len(reader.problems) > before:
        return None
    return rule(name=name, place=_place(node), description=description)


def _label(node: yaml.Node, index: int) -> str:
    """`rule 'name'` when the rule has a plain name, else `rule 3` (its place in the list)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            named = getattr(key, "value", None) == "name" and isinstance(value, yaml.ScalarNode)
            if named and str(value.value).strip():
                return f"rule {str(value.value).strip()!r}"
    return f"rule {index + 1}"


_Build = Callable[..., Rule]


def _order(reader: _Reader, f: dict[str, tuple[yaml.Node, yaml.Node]], label: str) -> _Build | None:
    node = f["order"][1]
    if not isinstance(node, yaml.SequenceNode):
        reader.problem(node, f"{label}: order: expected a list of activities, e.g. [A, B, C]")
        return None
    named = reader.names(node, f"{label}: order")
    acts = [n for n, _ in named]
    for n, place in named:
        if acts.count(n) > 1:
            reader.problems.append(_at(place, f"{label}: order: {n!r} is listed twice"))
            break
    if len(named) < 2:
        reader.problem(node, f"{label}: order: expected at least two activities")
    back = reader.flag(f["allow_back"][1], f"{label}: allow_back") if "allow_back" in f else False
    return lambda **kw: OrderRule(**kw, named=tuple(named), activities=tuple(acts), allow_back=back)


def _require(
    reader: _Reader, f: dict[str, tuple[yaml.Node, yaml.Node]], label: str
) -> _Build | None:
    named = reader.names(f["require"][1], f"{label}: require", single=True)
    if "before" in f:
        named += reader.names(f["before"][1], f"{label}: before", single=True)
    if len(named) == 2 and named[0][0] == named[1][0]:
        reader.problem(f["before"][1], f"{label}: require and before name the same activity")
    if not named:
        return None
    later = named[1][0] if len(named) > 1 else None
    return lambda **kw: RequireRule(**kw, named=tuple(named), activity=named[0][0], before=later)


def _never(reader: _Reader, f: dict[str, tuple[yaml.Node, yaml.Node]], label: str) -> _Build | None:
    named = reader.names(f["never"][1], f"{label}: never", single=True)
    if not named:
        return None
    return lambda **kw: NeverRule(**kw, named=tuple(named), activity=named[0][0])


def _at_most(
    reader: _Reader, f: dict[str, tuple[yaml.Node, yaml.Node]], label: str
) -> _Build | None:
    what = f"{label}: at_most"
    inner = reader.mapping(f["at_most"][1], what, ("activity", "times"))
    if inner is None:
        return None
    for key in ("activity", "times"):
        if key not in inner:
            reader.problem(
                f["at_most"][1], f"{what}: missing {key!r}, e.g. {{activity: A, times: 2}}"
            )
    if "activity" not in inner or "times" not in inner:
        return None
    named = reader.names(inner["activity"][1], f"{what}: activity", single=True)
    times = reader.whole(inner["times"][1], f"{what}: times", least=1)
    if not named or times is None:
        return None
    return lambda **kw: AtMostRule(**kw, named=tuple(named), activity=named[0][0], times=times)


def _within(
    reader: _Reader, f: dict[str, tuple[yaml.Node, yaml.Node]], label: str
) -> _Build | None:
    node = f["within"][1]
    limit_s = None
    if isinstance(node, yaml.ScalarNode) and node.tag != _NULL:
        try:
            limit_s = duration_seconds(str(node.value))
        except DurationError as exc:
            reader.problem(node, f"{label}: within: {exc}")
    else:
        reader.problem(node, f"{label}: within: expected a duration such as 4h, got {_shape(node)}")
    named: list[tuple[str, Place]] = []
    for key in ("from", "to"):
        if key in f:
            named += reader.names(f[key][1], f"{label}: {key}", single=True)
        else:
            reader.problem(f["within"][0], f"{label}: within needs `{key}:` (an activity)")
    if len(named) == 2 and named[0][0] == named[1][0]:
        reader.problem(f["to"][1], f"{label}: from and to name the same activity")
    hours = (
        reader.flag(f["business_hours"][1], f"{label}: business_hours")
        if "business_hours" in f
        else False
    )
    if limit_s is None or len(named) != 2:
        return None
    limit = str(node.value).strip()
    return lambda **kw: WithinRule(
        **kw,
        named=tuple(named),
        limit=limit,
        limit_s=limit_s,
        source=named[0][0],
        target=named[1][0],
        business_hours=hours,
    )


def _ends(
    cls: type[StartsWithRule] | type[EndsWithRule], key: str
) -> Callable[[_Reader, dict[str, tuple[yaml.Node, yaml.Node]], str], _Build | None]:
    def read(
        reader: _Reader, f: dict[str, tuple[yaml.Node, yaml.Node]], label: str
    ) -> _Build | None:
        named = reader.names(f[key][1], f"{label}: {key}")
        if not named:
            return None
        acts = tuple(n for n, _ in named)
        return lambda **kw: cls(**kw, named=tuple(named), activities=acts)

    return read


def _at(place: Place, message: str) -> Problem:
    return Problem(place.line, place.column, message)


_KIND_READERS: dict[
    str, Callable[[_Reader, dict[str, tuple[yaml.Node, yaml.Node]], str], _Build | None]
] = {
    "order": _order,
    "require": _require,
    "never": _never,
    "at_most": _at_most,
    "within": _within,
    "starts_with": _ends(StartsWithRule, "starts_with"),
    "ends_with": _ends(EndsWithRule, "ends_with"),
}
