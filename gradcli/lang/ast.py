"""The language's abstract syntax: small dataclasses with slots (a node's parts are its
__slots__), each with its source span; made once by the parser and never changed after."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Span(NamedTuple):
    """Where a node is in the source: 1-based line and column of its first character,
    end_line/end_column just past its last; start/end are offsets into the source text.
    (A named tuple: a program has one per node, and tuples are the cheapest to build.)"""

    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int


NO_SPAN = Span(0, 0, 0, 0, 0, 0)


@dataclass(eq=False, slots=True)
class Node:
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


# ----- expressions ----------------------------------------------------------------------------

@dataclass(eq=False, slots=True)
class Number(Node):
    value: int | float


@dataclass(eq=False, slots=True)
class String(Node):
    value: str
    is_fstring: bool = False


@dataclass(eq=False, slots=True)
class Constant(Node):
    value: object        # True, False or None


@dataclass(eq=False, slots=True)
class Name(Node):
    id: str


@dataclass(eq=False, slots=True)
class ListExpr(Node):
    items: tuple


@dataclass(eq=False, slots=True)
class DictExpr(Node):
    items: tuple         # of (key, value) expressions


@dataclass(eq=False, slots=True)
class Lambda(Node):
    definition: "FunctionDef"    # named "<lambda>", its body one `return` of the expression


@dataclass(eq=False, slots=True)
class TupleExpr(Node):
    items: tuple


@dataclass(eq=False, slots=True)
class BinOp(Node):
    op: str              # add sub mul div floordiv mod matmul pow
    left: Node
    right: Node


@dataclass(eq=False, slots=True)
class UnaryOp(Node):
    op: str              # neg pos not
    operand: Node


@dataclass(eq=False, slots=True)
class BoolOp(Node):
    op: str              # and or
    left: Node
    right: Node


@dataclass(eq=False, slots=True)
class Compare(Node):
    ops: tuple           # "==", "<", "is not", ...
    operands: tuple


@dataclass(eq=False, slots=True)
class Ternary(Node):
    condition: Node
    then: Node
    otherwise: Node


@dataclass(eq=False, slots=True)
class Keyword(Node):
    name: str
    value: Node


@dataclass(eq=False, slots=True)
class ComprehensionFor(Node):
    target: Node         # a Name or a TupleExpr of targets
    iterable: Node
    conditions: tuple    # the `if` clauses


@dataclass(eq=False, slots=True)
class Comprehension(Node):
    kind: str            # "list" for [e for ...], "generator" for (e for ...) and f(e for ...)
    element: Node
    loops: tuple         # of ComprehensionFor, outermost first


@dataclass(eq=False, slots=True)
class Starred(Node):
    value: Node          # `*args` in a call


@dataclass(eq=False, slots=True)
class DoubleStarred(Node):
    value: Node          # `**options` in a call: a dict of keyword arguments


@dataclass(eq=False, slots=True)
class Call(Node):
    func: Node
    args: tuple
    keywords: tuple      # of Keyword


@dataclass(eq=False, slots=True)
class Attribute(Node):
    obj: Node
    name: str


@dataclass(eq=False, slots=True)
class Slice(Node):
    lower: Node | None
    upper: Node | None
    step: Node | None


@dataclass(eq=False, slots=True)
class EllipsisExpr(Node):
    pass


@dataclass(eq=False, slots=True)
class Index(Node):
    obj: Node
    subscripts: tuple


# ----- statements -----------------------------------------------------------------------------

@dataclass(eq=False, slots=True)
class ExprStmt(Node):
    expr: Node


@dataclass(eq=False, slots=True)
class Assign(Node):
    targets: tuple       # `a = b = 0` has two, assigned left to right as in Python
    value: Node


@dataclass(eq=False, slots=True)
class AugAssign(Node):
    target: Node
    op: str              # the binary op name: add sub mul div matmul pow
    value: Node


@dataclass(eq=False, slots=True)
class Import(Node):
    module: str          # the module that must exist: `torch.autograd` in `from torch.autograd ...`
    bindings: tuple      # (local name, dotted path of what it binds): ("F", "torch.nn.functional")


@dataclass(eq=False, slots=True)
class Pass(Node):
    pass


@dataclass(eq=False, slots=True)
class Break(Node):
    pass


@dataclass(eq=False, slots=True)
class Continue(Node):
    pass


@dataclass(eq=False, slots=True)
class Return(Node):
    value: Node | None


@dataclass(eq=False, slots=True)
class Raise(Node):
    exception: Node | None   # None: re-raise the exception being handled


@dataclass(eq=False, slots=True)
class Assert(Node):
    test: Node
    message: Node | None


@dataclass(eq=False, slots=True)
class Handler(Node):
    kind: Node | None        # the exception class expression; None for a bare `except:`
    name: str | None
    body: tuple


@dataclass(eq=False, slots=True)
class Try(Node):
    body: tuple
    handlers: tuple          # of Handler
    orelse: tuple
    finalbody: tuple


@dataclass(eq=False, slots=True)
class If(Node):
    branches: tuple      # of (condition, body)
    orelse: tuple


@dataclass(eq=False, slots=True)
class While(Node):
    condition: Node
    body: tuple


@dataclass(eq=False, slots=True)
class For(Node):
    target: Node         # a Name, or a TupleExpr of targets: `for i, (a, b) in ...`
    iterable: Node
    body: tuple


@dataclass(eq=False, slots=True)
class With(Node):
    context: Node
    name: str | None
    body: tuple


@dataclass(eq=False, slots=True)
class FunctionDef(Node):
    name: str
    params: tuple        # of (name, default expression or None)
    body: tuple
    decorators: tuple = ()   # expressions: only grad modes, `@torch.no_grad()`


@dataclass(eq=False, slots=True)
class Program(Node):
    body: tuple
    source: str
