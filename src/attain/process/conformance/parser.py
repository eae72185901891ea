"""Read process rules from YAML, reporting every mistake at its line and column at once.

The YAML is walked as nodes (not loaded into plain values) so that each key, value and activity
keeps its place: an unknown key, a bad duration or a rule of two kinds is shown where it is
written, as plan errors are. Activity names are taken as written (`yes`, `007` stay strings).
"""

from __future__ import annotations

from collections.abc import Callable

import yaml

from attain.process.conformance.durations import DurationError, duration_seconds
from attain.process.conformance.nodes import NULL, Entries, Loader, Reader, Refused, place_of, shape
from attain.process.conformance.problems import Problem, RulesError
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


def load_rules(text: str, *, source: str = "rules.yaml") -> ProcessRules:
    """The process rules written in `text`; `RulesError` names every problem at its line.

    >>> rules = load_rules("process: deals\\nrules:\\n  - {name: proposal first, require: proposal, before: won}")
    >>> rules.rules[0].meaning
    'no won without proposal earlier'
    """
    if len(text.encode("utf-8")) > MAX_RULES_BYTES:
        raise RulesError(source, [Problem(1, 1, f"rules are at most {MAX_RULES_BYTES:,} bytes")])
    try:
        root = yaml.compose(text, Loader=Loader)
    except Refused as exc:
        raise RulesError(source, [exc.problem]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise RulesError(
            source, [Problem(line, column, f"malformed YAML: {exc.problem or exc}")]
        ) from None
    if root is None:
        raise RulesError(source, [Problem(1, 1, "empty; expected `process:` and `rules:`")])
    reader = Reader()
    top = reader.mapping(root, "rules file", TOP_KEYS)
    if top is None:
        raise RulesError(source, reader.problems)
    process, process_place = "", Place(1, 1)
    if "process" in top:
        process_place = place_of(top["process"][1])
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


def _rule(reader: Reader, node: yaml.Node, index: int) -> Rule | None:
    """One rule of the list, or None (its problems recorded)."""
    start = len(reader.problems)
    fields = reader.mapping(node, _label(node, index), RULE_KEYS)
    if fields is None:
        return None
    before = len(reader.problems)
    misspelt = before > start  # an unknown key is likely the kind, misspelt
    name = reader.text(fields["name"][1], "name") if "name" in fields else None
    if "name" not in fields:
        reader.problem(node, f"rule {index + 1}: missing `name:`")
    label = _label(node, index)
    kinds = sorted((k for k in KINDS if k in fields), key=lambda k: fields[k][0].start_mark.index)
    if not kinds:
        if not misspelt:
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
    return rule(name=name, place=place_of(node), description=description)


def _label(node: yaml.Node, index: int) -> str:
    """`rule 'name'` when the rule has a plain name, else `rule 3` (its place in the list)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            named = getattr(key, "value", None) == "name" and isinstance(value, yaml.ScalarNode)
            if named and str(value.value).strip():
                return f"rule {str(value.value).strip()!r}"
    return f"rule {index + 1}"


_Build = Callable[..., Rule]


def _order(reader: Reader, f: Entries, label: str) -> _Build | None:
    node = f["order"][1]
    if not isinstance(node, yaml.SequenceNode):
        reader.problem(node, f"{label}: order: expected a list of activities, e.g. [A, B, C]")
        return None
    named = reader.names(node, f"{label}: order")
    acts = [n for n, _ in named]
    for i, (n, place) in enumerate(named):
        if n in acts[:i]:
            reader.problems.append(_at(place, f"{label}: order: {n!r} is listed twice"))
            break
    if len(named) < 2:
        reader.problem(node, f"{label}: order: expected at least two activities")
    back = reader.flag(f["allow_back"][1], f"{label}: allow_back") if "allow_back" in f else False
    return lambda **kw: OrderRule(**kw, named=tuple(named), activities=tuple(acts), allow_back=back)


def _require(reader: Reader, f: Entries, label: str) -> _Build | None:
    named = reader.names(f["require"][1], f"{label}: require", single=True)
    if "before" in f:
        named += reader.names(f["before"][1], f"{label}: before", single=True)
    if len(named) == 2 and named[0][0] == named[1][0]:
        reader.problem(f["before"][1], f"{label}: require and before name the same activity")
    if not named:
        return None
    later = named[1][0] if len(named) > 1 else None
    return lambda **kw: RequireRule(**kw, named=tuple(named), activity=named[0][0], before=later)


def _never(reader: Reader, f: Entries, label: str) -> _Build | None:
    named = reader.names(f["never"][1], f"{label}: never", single=True)
    if not named:
        return None
    return lambda **kw: NeverRule(**kw, named=tuple(named), activity=named[0][0])


def _at_most(reader: Reader, f: Entries, label: str) -> _Build | None:
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


def _within(reader: Reader, f: Entries, label: str) -> _Build | None:
    node = f["within"][1]
    limit_s = None
    if isinstance(node, yaml.ScalarNode) and node.tag != NULL:
        try:
            limit_s = duration_seconds(str(node.value))
        except DurationError as exc:
            reader.problem(node, f"{label}: within: {exc}")
    else:
        reader.problem(node, f"{label}: within: expected a duration such as 4h, got {shape(node)}")
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
) -> Callable[[Reader, Entries, str], _Build | None]:
    def read(reader: Reader, f: Entries, label: str) -> _Build | None:
        named = reader.names(f[key][1], f"{label}: {key}")
        if not named:
            return None
        acts = tuple(n for n, _ in named)
        return lambda **kw: cls(**kw, named=tuple(named), activities=acts)

    return read


def _at(place: Place, message: str) -> Problem:
    return Problem(place.line, place.column, message)


_KIND_READERS: dict[str, Callable[[Reader, Entries, str], _Build | None]] = {
    "order": _order,
    "require": _require,
    "never": _never,
    "at_most": _at_most,
    "within": _within,
    "starts_with": _ends(StartsWithRule, "starts_with"),
    "ends_with": _ends(EndsWithRule, "ends_with"),
}
