"""Plan expressions parsed with a Lark LALR grammar into `ast` nodes that keep their columns."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from attain.comp.errors import PlanError, caret
from attain.comp.language import ast
from attain.comp.limits import MAX_EXPRESSION, excerpt

GRAMMAR = r"""
?start: or_expr
?or_expr: and_expr | or_expr OR and_expr -> binary
?and_expr: not_expr | and_expr AND not_expr -> binary
?not_expr: NOT not_expr -> unary | comparison
?comparison: sum
    | sum COMPARE sum -> binary
    | sum IN "(" items ")" -> in_
    | sum NOT IN "(" items ")" -> not_in
    | sum IS NULL -> is_null
    | sum IS NOT NULL -> is_not_null
items: or_expr ("," or_expr)*
?sum: product | sum ADD product -> binary
?product: unary | product MUL unary -> binary
?unary: SUB unary -> unary | atom
?atom: NUMBER -> number
    | STRING -> string
    | TRUE -> true
    | FALSE -> false
    | NULL -> null
    | NAME "(" [items] ")" -> call
    | NAME -> name
    | "(" or_expr ")"

OR.2: /or\b/
AND.2: /and\b/
NOT.2: /not\b/
IN.2: /in\b/
IS.2: /is\b/
NULL.2: /null\b/
TRUE.2: /true\b/
FALSE.2: /false\b/
COMPARE: "==" | "!=" | "<=" | ">=" | "<" | ">"
ADD: "+" | "-"
SUB.0: "-"
MUL: "*" | "/"
NUMBER: /\d+(\.\d*)?|\.\d+/
STRING: /"([^"\\]|\\.)*"/
NAME: /[A-Za-z_][A-Za-z_0-9]*/
%ignore /[ \t]+/
"""


@lru_cache(maxsize=1)
def _lark() -> Lark:
    return Lark(GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=False)


def _span(meta_or_token: object) -> tuple[int, int]:
    if isinstance(meta_or_token, Token):
        return meta_or_token.column or 1, meta_or_token.end_column or (
            meta_or_token.column or 1
        ) + 1
    col = getattr(meta_or_token, "column", 1)
    return col, getattr(meta_or_token, "end_column", col + 1)


@v_args(meta=True)
class _ToAst(Transformer[Token, ast.Node]):
    def number(self, meta: object, children: list[Token]) -> ast.Node:
        return ast.Number(*_span(children[0]), value=Decimal(str(children[0])))

    def string(self, meta: object, children: list[Token]) -> ast.Node:
        raw = str(children[0])[1:-1]
        return ast.String(*_span(children[0]), value=raw.replace('\\"', '"').replace("\\\\", "\\"))

    def true(self, meta: object, children: list[Token]) -> ast.Node:
        return ast.Boolean(*_span(children[0]), value=True)

    def false(self, meta: object, children: list[Token]) -> ast.Node:
        return ast.Boolean(*_span(children[0]), value=False)

    def null(self, meta: object, children: list[Token]) -> ast.Node:
        return ast.Null(*_span(children[0]))

    def name(self, meta: object, children: list[Token]) -> ast.Node:
        return ast.Name(*_span(children[0]), name=str(children[0]))

    def items(self, meta: object, children: list[ast.Node]) -> tuple[ast.Node, ...]:
        return tuple(children)

    def call(self, meta: object, children: list[object]) -> ast.Node:
        token = children[0]
        assert isinstance(token, Token)
        args = children[1] if len(children) > 1 and children[1] is not None else ()
        return ast.Call(*_span(meta), name=str(token), args=tuple(args))  # type: ignore[arg-type]

    def binary(self, meta: object, children: list[object]) -> ast.Node:
        left, op, right = children
        return ast.Binary(*_span(meta), op=str(op), left=left, right=right)  # type: ignore[arg-type]

    def unary(self, meta: object, children: list[object]) -> ast.Node:
        op, operand = children
        return ast.Unary(*_span(meta), op=str(op), operand=operand)  # type: ignore[arg-type]

    def in_(self, meta: object, children: list[object]) -> ast.Node:
        operand, _in, items = children
        return ast.In(*_span(meta), operand=operand, items=items, negated=False)  # type: ignore[arg-type]

    def not_in(self, meta: object, children: list[object]) -> ast.Node:
        operand, _not, _in, items = children
        return ast.In(*_span(meta), operand=operand, items=items, negated=True)  # type: ignore[arg-type]

    def is_null(self, meta: object, children: list[object]) -> ast.Node:
        return ast.IsNull(*_span(meta), operand=children[0], negated=False)  # type: ignore[arg-type]

    def is_not_null(self, meta: object, children: list[object]) -> ast.Node:
        return ast.IsNull(*_span(meta), operand=children[0], negated=True)  # type: ignore[arg-type]


def parse_expression(text: str, place: str) -> ast.Node:
    """Parse `text`; a syntax error is a `PlanError` naming `place` and the column, with a caret."""
    text = str(text)
    if not text.strip():
        raise PlanError(f"{place}: empty expression")
    if len(text) > MAX_EXPRESSION:
        raise PlanError(
            f"{place}: an expression is at most {MAX_EXPRESSION:,} characters "
            f"(this one is {len(text):,}: `{excerpt(text, 40)}`)"
        )
    try:
        tree = _lark().parse(text)
    except UnexpectedInput as exc:
        col = getattr(exc, "column", None)
        if not isinstance(col, int) or col < 1:
            col = len(text) + 1
        if isinstance(exc, UnexpectedEOF):
            what = "the expression ends too soon"
        elif isinstance(exc, UnexpectedCharacters):
            what = (
                f"unexpected character {text[col - 1]!r}" if col <= len(text) else "unexpected end"
            )
        elif isinstance(exc, UnexpectedToken):
            tok = exc.token
            what = "the expression ends too soon" if tok.type == "$END" else f"unexpected {tok!s}"
        else:
            what = "syntax error"
        raise PlanError(
            f"{place}: syntax error at column {col}: {what} in `{text}`\n{caret(text, col)}",
            column=col,
        ) from None
    node = _ToAst().transform(tree) if isinstance(tree, Tree) else tree
    if isinstance(node, Token):  # a lone token is not transformed by Lark's rule callbacks
        raise PlanError(f"{place}: cannot read `{text}`")
    return node
