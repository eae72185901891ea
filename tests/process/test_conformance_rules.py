"""Reading process rules: each kind into its model, and every mistake at its line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from attain.process.conformance import (
    EXAMPLES,
    AtMostRule,
    EndsWithRule,
    NeverRule,
    OrderRule,
    Place,
    RequireRule,
    RulesError,
    StartsWithRule,
    WithinRule,
    duration_seconds,
    example_rules,
    load_rules,
)
from attain.process.conformance.durations import DurationError

EVERY_KIND = """\
process: deals
description: every kind of rule
rules:
  - name: in order
    order: [prospecting, qualification, proposal]
    allow_back: true
  - name: proposal before won
    require: proposal
    before: won
  - name: has a proposal
    require: proposal
  - name: never lost
    never: lost
  - name: proposal at most twice
    at_most: {activity: proposal, times: 2}
  - name: quick response
    description: the first call within a working day
    within: 1d 4h
    from: prospecting
    to: qualification
    business_hours: true
  - name: starts right
    starts_with: [prospecting, qualification]
  - name: ends decided
    ends_with: [won, lost]
"""


def test_every_kind_of_rule_reads_into_its_model() -> None:
    rules = load_rules(EVERY_KIND, source="deals.yaml")
    assert rules.process == "deals"
    assert rules.description == "every kind of rule"
    assert rules.source == "deals.yaml"
    order, before, has, never, at_most, within, starts, ends = rules.rules
    assert isinstance(order, OrderRule)
    assert order.activities == ("prospecting", "qualification", "proposal")
    assert order.allow_back is True
    assert order.place == Place(4, 5)
    assert isinstance(before, RequireRule)
    assert (before.activity, before.before) == ("proposal", "won")
    assert before.meaning == "no won without proposal earlier"
    assert isinstance(has, RequireRule) and has.before is None
    assert isinstance(never, NeverRule) and never.activity == "lost"
    assert isinstance(at_most, AtMostRule) and (at_most.activity, at_most.times) == ("proposal", 2)
    assert isinstance(within, WithinRule)
    assert (within.source, within.target, within.limit_s) == (
        "prospecting",
        "qualification",
        100_800,
    )
    assert within.business_hours is True
    assert within.description == "the first call within a working day"
    assert isinstance(starts, StartsWithRule)
    assert starts.activities == ("prospecting", "qualification")
    assert isinstance(ends, EndsWithRule) and ends.activities == ("won", "lost")
    assert [r.kind for r in rules.rules] == [
        "order",
        "require",
        "require",
        "never",
        "at_most",
        "within",
        "starts_with",
        "ends_with",
    ]


def test_each_activity_keeps_the_place_it_is_written_at() -> None:
    rules = load_rules(EVERY_KIND)
    assert rules.rules[0].named == (
        ("prospecting", Place(5, 13)),
        ("qualification", Place(5, 26)),
        ("proposal", Place(5, 41)),
    )
    assert rules.rules[1].named == (("proposal", Place(8, 14)), ("won", Place(9, 13)))


def test_activity_names_are_taken_as_written() -> None:
    text = "process: p\nrules:\n  - {name: odd names, order: [yes, 007, 1.50, 'null']}\n"
    (rule,) = load_rules(text).rules
    assert isinstance(rule, OrderRule)
    assert rule.activities == ("yes", "007", "1.50", "null")


def _problems(text: str, source: str = "r.yaml") -> list[str]:
    with pytest.raises(RulesError) as caught:
        load_rules(text, source=source)
    return [p.at(source) for p in caught.value.problems]


RULES_HEAD = "process: deals\nrules:\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "  - name: a\n    withn: 4h\n",
            "r.yaml:4:5: rule 'a': unknown key 'withn'; did you mean 'within'?",
        ),
        (
            "  - name: a\n    within: 4\n    from: x\n    to: y\n",
            "r.yaml:4:13: rule 'a': within: a duration needs a unit: '4' (e.g. 4h or 4d)",
        ),
        (
            "  - name: a\n    within: 3 fortnights\n    from: x\n    to: y\n",
            "r.yaml:4:13: rule 'a': within: unknown unit 'fortnights' in '3 fortnights';"
            " units are s, m, h, d, w",
        ),
        (
            "  - name: a\n    within: 4h\n    from: x\n",
            "r.yaml:4:5: rule 'a': within needs `to:` (an activity)",
        ),
        (
            "  - name: a\n    never: x\n    require: y\n",
            "r.yaml:5:5: rule 'a': one rule checks one thing; 'never' and 'require' are two rules",
        ),
        (
            "  - name: a\n    at_most: {activity: x, times: 0}\n",
            "r.yaml:4:35: rule 'a': at_most: times: expected a whole number of at least 1, got '0'",
        ),
        (
            "  - name: a\n    at_most: {activity: x}\n",
            "r.yaml:4:14: rule 'a': at_most: missing 'times', e.g. {activity: A, times: 2}",
        ),
        (
            "  - name: a\n    order: [x, y]\n    before: z\n",
            "r.yaml:5:5: rule 'a': 'before' goes with 'require', not 'order'",
        ),
        (
            "  - name: a\n    order: [x, y, x]\n",
            "r.yaml:4:19: rule 'a': order: 'x' is listed twice",
        ),
        (
            "  - name: a\n    order: x\n",
            "r.yaml:4:12: rule 'a': order: expected a list of activities, e.g. [A, B, C]",
        ),
        (
            "  - name: a\n    never: x\n    allow_back: yes please\n",
            "r.yaml:5:5: rule 'a': 'allow_back' goes with 'order', not 'never'",
        ),
        (
            "  - name: a\n    order: [x, y]\n    allow_back: maybe\n",
            "r.yaml:5:17: rule 'a': allow_back: expected true or false, got 'maybe'",
        ),
        (
            "  - name: a\n    require: x\n    before: x\n",
            "r.yaml:5:13: rule 'a': require and before name the same activity",
        ),
        (
            "  - name: a\n    never:\n",
            "r.yaml:4:11: rule 'a': never: expected a name, got nothing",
        ),
        (
            "  - name: a\n",
            "r.yaml:3:5: rule 'a': says nothing to check; give one of order,"
            " require, never, at_most, within, starts_with, ends_with",
        ),
        ("  - never: x\n", "r.yaml:3:5: rule 1: missing `name:`"),
        (
            "  - {name: a, never: x}\n  - {name: a, never: y}\n",
            "r.yaml:4:5: rule 'a': the name is already used on line 3",
        ),
        (
            "  - {name: a, never: x, never: y}\n",
            "r.yaml:3:25: rule 'a': key 'never' is given twice",
        ),
        ("  - just a word\n", "r.yaml:3:5: rule 1: expected a mapping of keys"),
    ],
)
def test_a_mistake_is_reported_at_its_line_and_column(body: str, expected: str) -> None:
    assert expected in _problems(RULES_HEAD + body)


def test_every_mistake_is_reported_at_once_in_order_of_the_text() -> None:
    text = (
        RULES_HEAD
        + "  - name: a\n    withn: 4h\n  - name: b\n    never:\n  - name: c\n    never: x\n"
    )
    with pytest.raises(RulesError) as caught:
        load_rules(text, source="r.yaml")
    lines = [(p.line, p.column) for p in caught.value.problems]
    assert lines == sorted(lines)
    assert lines == [(4, 5), (6, 11)]  # the unknown key (not "nothing to check"), the empty name
    assert str(caught.value).startswith("r.yaml:4:5: rule 'a': unknown key 'withn'")
    assert str(caught.value).endswith("(and 1 more problem)")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "r.yaml:1:1: empty; expected `process:` and `rules:`"),
        ("- a\n- b\n", "r.yaml:1:1: rules file: expected a mapping of keys"),
        ("process: deals\nrules: [\n", "r.yaml:3:1: malformed YAML"),
        ("rules:\n  - {name: a, never: x}\n", "r.yaml:1:1: missing `process:`"),
        ("process: deals\n", "r.yaml:1:1: missing `rules:` (a list of rules)"),
        ("process: deals\nrules: []\n", "r.yaml:2:8: rules: expected a list of at least one rule"),
        (
            "process: deals\nrulez: []\n",
            "r.yaml:2:1: rules file: unknown key 'rulez'; did you mean 'rules'?",
        ),
        ("process: deals\nrules: " + "[" * 10_000, "r.yaml:2:15: nested more than 8 levels deep"),
        (
            "process: deals\nrules:\n  - &r {name: a, never: x}\n  - *r\n",
            "r.yaml:3:5: anchors and aliases are not allowed in rules",
        ),
    ],
)
def test_a_file_that_is_not_rules_says_where(text: str, expected: str) -> None:
    assert any(p.startswith(expected) for p in _problems(text)), _problems(text)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("4h", 14_400),
        ("30m", 1_800),
        ("2d", 172_800),
        ("1w", 604_800),
        ("1d 12h", 129_600),
        ("1.5h", 5_400),
        ("90 minutes", 5_400),
        ("45s", 45),
        ("2 Days", 172_800),
    ],
)
def test_durations_read_as_written(text: str, seconds: int) -> None:
    assert duration_seconds(text) == seconds


@pytest.mark.parametrize("text", ["", "4", "h", "0h", "1.0001s", "4h and more", "-2d"])
def test_a_duration_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(DurationError):
        duration_seconds(text)


@pytest.mark.parametrize("name", ["deals", "tickets", "bpic2012"])
def test_the_shipped_examples_read(name: str) -> None:
    rules = example_rules(name)
    assert rules.process == name
    assert len(rules.rules) >= 5
    assert (EXAMPLES / f"{name}.yaml").is_file()


def _docs_blocks() -> list[tuple[str, str]]:
    """(language, text) of each fenced block in the Conformance section of docs/process.md."""
    docs = Path(__file__).resolve().parents[2] / "docs" / "process.md"
    section = docs.read_text(encoding="utf-8").split("\n## Conformance\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    blocks = section.split("```")[1::2]
    return [(b.split("\n", 1)[0], b.split("\n", 1)[1]) for b in blocks]


def test_the_docs_examples_read_and_their_errors_are_the_ones_shown() -> None:
    blocks = _docs_blocks()
    texts = [text for lang, text in blocks if lang == "yaml"]
    shown = [text for lang, text in blocks if lang == "text"]
    assert len(texts) == 3 and len(shown) == 1
    for text in texts[:2]:
        assert load_rules(text).rules
    assert "\n".join(_problems(texts[2], "deals.yaml")) == shown[0].strip()
