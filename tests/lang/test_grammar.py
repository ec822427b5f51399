"""The grammar's shape: the precedence table as trees, every statement form, and the limits on
depth (5,000 levels work; past `max_nesting` a clear error)."""

from __future__ import annotations

import pytest

from helpers import run_program

from gradcli.lang import ast, parser
from gradcli.lang.builder import build
from gradcli.lang.parser import SyntaxProblem, parse


def tree(text: str):
    """The first statement's expression as nested tuples: ('add', 'a', ('mul', 'b', 'c'))."""
    program = build(parse(text), text)
    return _shape(program.body[0].expr)


def _shape(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, (ast.Number, ast.Constant)):
        return node.value
    if isinstance(node, ast.BinOp):
        return (node.op, _shape(node.left), _shape(node.right))
    if isinstance(node, ast.UnaryOp):
        return (node.op, _shape(node.operand))
    if isinstance(node, ast.BoolOp):
        return (node.op, _shape(node.left), _shape(node.right))
    if isinstance(node, ast.Compare):
        return ("compare", node.ops, tuple(_shape(o) for o in node.operands))
    if isinstance(node, ast.Call):
        return ("call", _shape(node.func), tuple(_shape(a) for a in node.args))
    if isinstance(node, ast.Attribute):
        return ("attr", _shape(node.obj), node.name)
    if isinstance(node, ast.Index):
        return ("index", _shape(node.obj), tuple(_shape(s) for s in node.subscripts))
    return type(node).__name__


@pytest.mark.parametrize("text, expected", [
    ("-x^2", ("neg", ("pow", "x", 2))),
    ("-x**2", ("neg", ("pow", "x", 2))),
    ("2^3^2", ("pow", 2, ("pow", 3, 2))),
    ("2^-1", ("pow", 2, ("neg", 1))),
    ("a@b+c", ("add", ("matmul", "a", "b"), "c")),
    ("a+b@c", ("add", "a", ("matmul", "b", "c"))),
    ("not a == b", ("not", ("compare", ("==",), ("a", "b")))),
    ("a or b and c", ("or", "a", ("and", "b", "c"))),
    ("not a and b", ("and", ("not", "a"), "b")),
    ("a - b - c", ("sub", ("sub", "a", "b"), "c")),
    ("a / b * c", ("mul", ("div", "a", "b"), "c")),
    ("a + b * c ^ d", ("add", "a", ("mul", "b", ("pow", "c", "d")))),
    ("-a * b", ("mul", ("neg", "a"), "b")),
    ("a < b <= c", ("compare", ("<", "<="), ("a", "b", "c"))),
    ("a + b < c * d", ("compare", ("<",), (("add", "a", "b"), ("mul", "c", "d")))),
    ("x.grad.data", ("attr", ("attr", "x", "grad"), "data")),
    ("f(x)[0].y", ("attr", ("index", ("call", "f", ("x",)), (0,)), "y")),
    ("-x.mean()", ("neg", ("call", ("attr", "x", "mean"), ()))),
    ("2^x.sum()", ("pow", 2, ("call", ("attr", "x", "sum"), ()))),
    ("a is not None", ("compare", ("is not",), ("a", None))),
    ("a not in b", ("compare", ("not in",), ("a", "b"))),
    ("a // b % c", ("mod", ("floordiv", "a", "b"), "c")),
])
def test_precedence_and_associativity(text, expected):
    assert tree(text) == expected


@pytest.mark.parametrize("text, value", [
    ("-2^2", -4), ("2^3^2", 512), ("2**-1", 0.5), ("not 1 == 2", True), ("1 < 2 < 3", True),
    ("3 > 2 > 2", False), ("True and 0 or 5", 5), ("2 * 3 + 4 ^ 2", 22),
])
def test_precedence_values(text, value):
    outcome = run_program(text)
    assert outcome.error is None and outcome.outputs[-1].value == value


STATEMENTS = {
    "x = 1": ast.Assign,
    "x += 1": ast.AugAssign,
    "x ^= 2": ast.AugAssign,
    "x.requires_grad = True": ast.Assign,
    "x[0] = 1": ast.Assign,
    "x[:, 1:] = 0": ast.Assign,
    "a, b = 1, 2": ast.Assign,
    "(a, b), c = (1, 2), 3": ast.Assign,
    "print(1)": ast.ExprStmt,
    "import torch": ast.Import,
    "import numpy as np": ast.Import,
    "import torch.nn.functional as F": ast.Import,
    "from torch.autograd import Variable": ast.Import,
    "from torch.autograd import Variable, grad as g": ast.Import,
    "pass": ast.Pass,
    "if x:\n    pass": ast.If,
    "if x:\n    pass\nelif y:\n    pass\nelse:\n    pass": ast.If,
    "if x: y = 1": ast.If,
    "while x: x -= 1": ast.While,
    "while x:\n    break": ast.While,
    "for i in range(3):\n    continue": ast.For,
    "for a, b in pairs: pass": ast.For,
    "with torch.no_grad():\n    y = x * 2": ast.With,
    "with torch.enable_grad(): y = x": ast.With,
    "with no_grad() as g: pass": ast.With,
    "def f(a, b=2):\n    return a * b": ast.FunctionDef,
    "def f(): return": ast.FunctionDef,
    "@torch.no_grad()\ndef f(x):\n    return x": ast.FunctionDef,
    "try:\n    x\nexcept RuntimeError as e:\n    pass": ast.Try,
    "try:\n    x\nexcept (TypeError, ValueError):\n    pass\nelse:\n    pass\nfinally:\n    pass": ast.Try,
    "try: x\nfinally: pass": ast.Try,
    "raise ValueError('x')": ast.Raise,
    "assert x > 0, 'positive'": ast.Assert,
    "x = 1; y = 2;": ast.Assign,
}


@pytest.mark.parametrize("text", sorted(STATEMENTS))
def test_statement_forms(text):
    program = build(parse(text), text)
    assert isinstance(program.body[0], STATEMENTS[text])


def test_semicolons_separate_statements():
    program = build(parse("a = 1; b = 2; print(a + b)"), "")
    assert [type(s) for s in program.body] == [ast.Assign, ast.Assign, ast.ExprStmt]


@pytest.mark.parametrize("text", [
    "x[0]", "x[:, 1:]", "x[..., 0]", "x[None]", "x[x > 0]", "x[::2]", "x[1:-1, ::-1]",
    "x[[0, 1]]", "f(a, b=2, *rest)", "[[1, 2], [3, 4]]", "(-1, 3)", "()", "(1,)", "[]",
    "'single' \"double\" '''triple''' \"\"\"triple\"\"\"", "f'{x:.4f} {y!r}'", "r'\\n'",
    "'{} {}'.format(1, 2)", "'%.3f' % x", "1e-3 + 2. + .5 + 0x1f + 1_000", "True, False, None",
    "a if b else c", "x.T @ y", "F.relu(x)", "torch.nn.functional.softmax(x, dim=1)",
    "变量 + 1", "[x * 2 for x in xs if x]", "sum(x for x in xs)", "(a for a, b in pairs)",
    "[[i * j for j in range(3)] for i in range(3)]", "lambda x, y=2: x * y", "{}",
    "{'a': 1, 'b': [1, 2],}", "{\n  'multi': 1,\n  'line': 2\n}",
])
def test_expression_forms_parse(text):
    program = build(parse(text), text)
    assert isinstance(program.body[0], ast.ExprStmt)


# ----- depth ---------------------------------------------------------------------------------

DEPTH = 5_000


def test_5000_nested_parentheses_evaluate():
    outcome = run_program("(" * DEPTH + "1" + "+1)" * DEPTH)
    assert outcome.error is None and outcome.outputs[-1].value == DEPTH + 1


def test_5000_nested_lists_build_and_print():
    text = "x = " + "[" * DEPTH + "1" + "]" * DEPTH + "\nprint(x)"
    outcome = run_program(text)
    assert outcome.error is None
    assert outcome.printed == "[" * DEPTH + "1" + "]" * DEPTH + "\n"


def test_5000_nested_blocks_run():
    lines = [" " * i + "if True:" for i in range(DEPTH)] + [" " * DEPTH + "x = 42"]
    outcome = run_program("\n".join(lines) + "\nprint(x)")
    assert outcome.error is None and outcome.printed == "42\n"


def test_5000_chained_operators_and_calls():
    outcome = run_program("-" * DEPTH + "1")
    assert outcome.outputs[-1].value == 1
    outcome = run_program("abs(" * DEPTH + "-2" + ")" * DEPTH)
    assert outcome.outputs[-1].value == 2
    outcome = run_program("2" + "^1" * DEPTH)
    assert outcome.outputs[-1].value == 2


def test_nesting_past_the_limit_is_a_clear_syntax_error(monkeypatch):
    monkeypatch.setattr(parser, "max_nesting", 500)
    with pytest.raises(SyntaxProblem) as caught:
        parse("(" * 501 + "1" + ")" * 501)
    assert caught.value.message.startswith("nesting too deep: more than 500 brackets and blocks")
    assert (caught.value.line, caught.value.column) == (1, 501)
    lines = [" " * i + "if True:" for i in range(600)] + [" " * 600 + "pass"]
    with pytest.raises(SyntaxProblem) as caught:
        parse("\n".join(lines))
    assert caught.value.line == 502
    parse("(" * 500 + "1" + ")" * 500)      # at the limit: fine


def test_brackets_in_strings_and_comments_do_not_count(monkeypatch):
    monkeypatch.setattr(parser, "max_nesting", 3)
    parse("x = '(((((' # [[[[[\ny = \"\"\"\n((((\n\"\"\"")


def test_long_programs_parse():
    """Speed is bench/parse_speed.py's business; this checks that length alone is no problem."""
    text = "\n".join(f"x{i} = {i} * 2 + 1" for i in range(2_000))
    assert len(build(parse(text), text).body) == 2_000
