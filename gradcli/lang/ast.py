"""The language's abstract syntax: small classes with slots (a node's parts are its __slots__),
each with its source span; made by the parser, read by the interpreter. Plain classes, not
dataclasses: @dataclass would build each class's methods at start-up (~5 ms for these 40)."""

from __future__ import annotations

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


class Node:
    """A node: its parts (its class's __slots__, in order) and where it is in the source."""

    __slots__ = ("span",)

    def __init__(self, *, span: Span = NO_SPAN) -> None:
        self.span = span

    def __repr__(self) -> str:          # as a dataclass shows itself
        parts = [f"span={self.span!r}"] + [f"{name}={getattr(self, name)!r}"
                                           for name in self.__slots__]
        return f"{type(self).__name__}({', '.join(parts)})"


# ----- expressions ----------------------------------------------------------------------------

class Number(Node):
    __slots__ = ("value",)

    def __init__(self, value: int | float, *, span: Span = NO_SPAN) -> None:
        self.value = value
        self.span = span


class String(Node):
    __slots__ = ("value", "is_fstring")

    def __init__(self, value: str, is_fstring: bool = False, *, span: Span = NO_SPAN) -> None:
        self.value = value
        self.is_fstring = is_fstring
        self.span = span


class Constant(Node):
    __slots__ = ("value",)

    def __init__(self, value: object, *, span: Span = NO_SPAN) -> None:
        self.value = value      # True, False or None
        self.span = span


class Name(Node):
    __slots__ = ("id",)

    def __init__(self, id: str, *, span: Span = NO_SPAN) -> None:
        self.id = id
        self.span = span


class ListExpr(Node):
    __slots__ = ("items",)

    def __init__(self, items: tuple, *, span: Span = NO_SPAN) -> None:
        self.items = items
        self.span = span


class DictExpr(Node):
    __slots__ = ("items",)

    def __init__(self, items: tuple, *, span: Span = NO_SPAN) -> None:
        self.items = items      # of (key, value) expressions
        self.span = span


class Lambda(Node):
    __slots__ = ("definition",)

    def __init__(self, definition: FunctionDef, *, span: Span = NO_SPAN) -> None:
        self.definition = definition  # named "<lambda>", its body one `return` of the expression
        self.span = span


class TupleExpr(Node):
    __slots__ = ("items",)

    def __init__(self, items: tuple, *, span: Span = NO_SPAN) -> None:
        self.items = items
        self.span = span


class BinOp(Node):
    __slots__ = ("op", "left", "right")

    def __init__(self, op: str, left: Node, right: Node, *, span: Span = NO_SPAN) -> None:
        self.op = op            # add sub mul div floordiv mod matmul pow
        self.left = left
        self.right = right
        self.span = span


class UnaryOp(Node):
    __slots__ = ("op", "operand")

    def __init__(self, op: str, operand: Node, *, span: Span = NO_SPAN) -> None:
        self.op = op            # neg pos not
        self.operand = operand
        self.span = span


class BoolOp(Node):
    __slots__ = ("op", "left", "right")

    def __init__(self, op: str, left: Node, right: Node, *, span: Span = NO_SPAN) -> None:
        self.op = op            # and or
        self.left = left
        self.right = right
        self.span = span


class Compare(Node):
    __slots__ = ("ops", "operands")

    def __init__(self, ops: tuple, operands: tuple, *, span: Span = NO_SPAN) -> None:
        self.ops = ops          # "==", "<", "is not", ...
        self.operands = operands
        self.span = span


class Ternary(Node):
    __slots__ = ("condition", "then", "otherwise")

    def __init__(self, condition: Node, then: Node, otherwise: Node,
                 *, span: Span = NO_SPAN) -> None:
        self.condition = condition
        self.then = then
        self.otherwise = otherwise
        self.span = span


class Keyword(Node):
    __slots__ = ("name", "value")

    def __init__(self, name: str, value: Node, *, span: Span = NO_SPAN) -> None:
        self.name = name
        self.value = value
        self.span = span


class ComprehensionFor(Node):
    __slots__ = ("target", "iterable", "conditions")

    def __init__(self, target: Node, iterable: Node, conditions: tuple,
                 *, span: Span = NO_SPAN) -> None:
        self.target = target    # a Name or a TupleExpr of targets
        self.iterable = iterable
        self.conditions = conditions  # the `if` clauses
        self.span = span


class Comprehension(Node):
    __slots__ = ("kind", "element", "loops")

    def __init__(self, kind: str, element: Node, loops: tuple, *, span: Span = NO_SPAN) -> None:
        self.kind = kind        # "list": [e for ...]; "generator": (e for ...) and f(e for ...)
        self.element = element
        self.loops = loops      # of ComprehensionFor, outermost first
        self.span = span


class Starred(Node):
    __slots__ = ("value",)

    def __init__(self, value: Node, *, span: Span = NO_SPAN) -> None:
        self.value = value      # `*args` in a call
        self.span = span


class DoubleStarred(Node):
    __slots__ = ("value",)

    def __init__(self, value: Node, *, span: Span = NO_SPAN) -> None:
        self.value = value      # `**options` in a call: a dict of keyword arguments
        self.span = span


class Call(Node):
    __slots__ = ("func", "args", "keywords")

    def __init__(self, func: Node, args: tuple, keywords: tuple, *, span: Span = NO_SPAN) -> None:
        self.func = func
        self.args = args
        self.keywords = keywords  # of Keyword
        self.span = span


class Attribute(Node):
    __slots__ = ("obj", "name")

    def __init__(self, obj: Node, name: str, *, span: Span = NO_SPAN) -> None:
        self.obj = obj
        self.name = name
        self.span = span


class Slice(Node):
    __slots__ = ("lower", "upper", "step")

    def __init__(self, lower: Node | None, upper: Node | None, step: Node | None,
                 *, span: Span = NO_SPAN) -> None:
        self.lower = lower
        self.upper = upper
        self.step = step
        self.span = span


class EllipsisExpr(Node):
    __slots__ = ()


class Index(Node):
    __slots__ = ("obj", "subscripts")

    def __init__(self, obj: Node, subscripts: tuple, *, span: Span = NO_SPAN) -> None:
        self.obj = obj
        self.subscripts = subscripts
        self.span = span


# ----- statements -----------------------------------------------------------------------------


class ExprStmt(Node):
    __slots__ = ("expr",)

    def __init__(self, expr: Node, *, span: Span = NO_SPAN) -> None:
        self.expr = expr
        self.span = span


class Assign(Node):
    __slots__ = ("targets", "value")

    def __init__(self, targets: tuple, value: Node, *, span: Span = NO_SPAN) -> None:
        self.targets = targets  # `a = b = 0` has two, assigned left to right as in Python
        self.value = value
        self.span = span


class AugAssign(Node):
    __slots__ = ("target", "op", "value")

    def __init__(self, target: Node, op: str, value: Node, *, span: Span = NO_SPAN) -> None:
        self.target = target
        self.op = op            # the binary op name: add sub mul div matmul pow
        self.value = value
        self.span = span


class Import(Node):
    __slots__ = ("module", "bindings")

    def __init__(self, module: str, bindings: tuple, *, span: Span = NO_SPAN) -> None:
        self.module = module    # the module that must exist: `from torch.autograd import ...`
        self.bindings = bindings  # (local name, dotted path it binds): ("F", "torch.nn.functional")
        self.span = span


class Pass(Node):
    __slots__ = ()


class Break(Node):
    __slots__ = ()


class Continue(Node):
    __slots__ = ()


class Return(Node):
    __slots__ = ("value",)

    def __init__(self, value: Node | None, *, span: Span = NO_SPAN) -> None:
        self.value = value
        self.span = span


class Raise(Node):
    __slots__ = ("exception",)

    def __init__(self, exception: Node | None, *, span: Span = NO_SPAN) -> None:
        self.exception = exception  # None: re-raise the exception being handled
        self.span = span


class Assert(Node):
    __slots__ = ("test", "message")

    def __init__(self, test: Node, message: Node | None, *, span: Span = NO_SPAN) -> None:
        self.test = test
        self.message = message
        self.span = span


class Handler(Node):
    __slots__ = ("kind", "name", "body")

    def __init__(self, kind: Node | None, name: str | None, body: tuple,
                 *, span: Span = NO_SPAN) -> None:
        self.kind = kind        # the exception class expression; None for a bare `except:`
        self.name = name
        self.body = body
        self.span = span


class Try(Node):
    __slots__ = ("body", "handlers", "orelse", "finalbody")

    def __init__(self, body: tuple, handlers: tuple, orelse: tuple, finalbody: tuple,
                 *, span: Span = NO_SPAN) -> None:
        self.body = body
        self.handlers = handlers  # of Handler
        self.orelse = orelse
        self.finalbody = finalbody
        self.span = span


class If(Node):
    __slots__ = ("branches", "orelse")

    def __init__(self, branches: tuple, orelse: tuple, *, span: Span = NO_SPAN) -> None:
        self.branches = branches  # of (condition, body)
        self.orelse = orelse
        self.span = span


class While(Node):
    __slots__ = ("condition", "body")

    def __init__(self, condition: Node, body: tuple, *, span: Span = NO_SPAN) -> None:
        self.condition = condition
        self.body = body
        self.span = span


class For(Node):
    __slots__ = ("target", "iterable", "body")

    def __init__(self, target: Node, iterable: Node, body: tuple, *, span: Span = NO_SPAN) -> None:
        self.target = target    # a Name, or a TupleExpr of targets: `for i, (a, b) in ...`
        self.iterable = iterable
        self.body = body
        self.span = span


class With(Node):
    __slots__ = ("context", "name", "body")

    def __init__(self, context: Node, name: str | None, body: tuple,
                 *, span: Span = NO_SPAN) -> None:
        self.context = context
        self.name = name
        self.body = body
        self.span = span


class FunctionDef(Node):
    __slots__ = ("name", "params", "body", "decorators")

    def __init__(self, name: str, params: tuple, body: tuple, decorators: tuple = (),
                 *, span: Span = NO_SPAN) -> None:
        self.name = name
        self.params = params    # of (name, default expression or None)
        self.body = body
        self.decorators = decorators  # expressions: only grad modes, `@torch.no_grad()`
        self.span = span


class Program(Node):
    __slots__ = ("body", "source")

    def __init__(self, body: tuple, source: str, *, span: Span = NO_SPAN) -> None:
        self.body = body
        self.source = source
        self.span = span
