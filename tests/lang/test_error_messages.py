"""Every form of error message, exactly as `gradcli run` prints it on stderr: syntax errors in
words with the line and a caret (exit 3), runtime errors as `FILE:LINE:COL: Type: message`
(exit 1), warnings as Python shows them, once per line."""

from __future__ import annotations

import pytest

from gradcli.cli.script import run_script
from gradcli.cli.session import Source

SYNTAX_ERRORS = {
    "1 +": "p.py:1:4: SyntaxError: expected an expression after '+'\n    1 +\n       ^\n",
    "x = (1, 2": "p.py:1:10: SyntaxError: unclosed '(' from line 1\n    x = (1, 2\n             ^\n",
    "y = [1,\n 2": "p.py:2:3: SyntaxError: unclosed '[' from line 1\n     2\n      ^\n",
    "print(1 2)": "p.py:1:9: SyntaxError: unexpected '2': expected an operator, ',' or ')'\n"
                  "    print(1 2)\n            ^\n",
    "whlie x < 3:\n    x += 1": "p.py:1:7: SyntaxError: unexpected 'x': expected an operator or the "
                               "end of the line; did you mean 'while'?\n    whlie x < 3:\n"
                               "          ^\n",
    "improt torch": "p.py:1:8: SyntaxError: unexpected 'torch': expected an operator or the end "
                    "of the line; did you mean 'import'?\n    improt torch\n           ^\n",
    "sin(x": "p.py:1:6: SyntaxError: unclosed '(' from line 1\n    sin(x\n         ^\n",
    "fro = (1": "p.py:1:9: SyntaxError: unclosed '(' from line 1\n    fro = (1\n            ^\n",
    "if x > 1\n    y = 2": "p.py:1:9: SyntaxError: expected ':'\n    if x > 1\n            ^\n",
    "for i in range(3) print(i)": "p.py:1:19: SyntaxError: unexpected 'print': expected an "
                                  "operator or ':'\n    for i in range(3) print(i)\n"
                                  "                      ^\n",
    "x = 1\n  y = 2": "p.py:1:6: SyntaxError: unexpected indent\n    x = 1\n         ^\n",
    "if x:\ny = 1": "p.py:2:1: SyntaxError: unexpected 'y': expected an indented block\n"
                    "    y = 1\n    ^\n",
    "for i in range(3):\n        a = 1\n    b = 2":
        "p.py:3:1: SyntaxError: unindent does not match any outer indentation level\n"
        "        b = 2\n    ^\n",
    "x = 3 $ 4": "p.py:1:7: SyntaxError: unexpected character '$'\n    x = 3 $ 4\n          ^\n",
    'print("abc)': "p.py:1:7: SyntaxError: unterminated string literal\n    print(\"abc)\n"
                   "          ^\n",
    "x.=3": "p.py:1:3: SyntaxError: unexpected '=': expected a name after '.'\n    x.=3\n"
            "      ^\n",
    "x +=": "p.py:1:5: SyntaxError: expected an expression after '+='\n    x +=\n        ^\n",
    "else:\n    pass": "p.py:1:1: SyntaxError: unexpected 'else' without a matching 'if', 'for', "
                       "'while' or 'try'\n    else:\n    ^\n",
    "x = if": "p.py:1:5: SyntaxError: unexpected 'if': it is a keyword and cannot be used here\n"
              "    x = if\n        ^\n",
    "class A:\n    pass": "p.py:1:1: SyntaxError: 'class' is Python that gradcli's language does "
                           "not have\n    class A:\n    ^\n",
    "1 = x": "p.py:1:1: SyntaxError: cannot assign to literal\n    1 = x\n    ^\n",
    "f(x) = 3": "p.py:1:1: SyntaxError: cannot assign to function call\n    f(x) = 3\n    ^\n",
    "break": "p.py:1:1: SyntaxError: 'break' outside loop\n    break\n    ^\n",
    "def f():\n    pass\ncontinue": "p.py:3:1: SyntaxError: 'continue' outside loop\n"
                                   "    continue\n    ^\n",
    "return 5": "p.py:1:1: SyntaxError: 'return' outside function\n    return 5\n    ^\n",
    "try:\n    x = 1\ny = 2": "p.py:1:1: SyntaxError: expected 'except' or 'finally' block\n"
                             "    try:\n    ^\n",
    "f(a=1, 2)": "p.py:1:8: SyntaxError: positional argument follows keyword argument\n"
                 "    f(a=1, 2)\n           ^\n",
    "def f(a=1, b):\n    pass": "p.py:1:12: SyntaxError: parameter without a default follows "
                                "parameter with a default\n    def f(a=1, b):\n               ^\n",
    "print x.grad": "p.py:1:7: SyntaxError: missing parentheses in call to 'print'. Did you mean "
                    "print(...)?\n    print x.grad\n          ^\n",
    "x = 0777": "p.py:1:5: SyntaxError: leading zeros in decimal integer literals are not "
                "permitted; use an 0o prefix for octal integers\n    x = 0777\n        ^\n",
}


@pytest.mark.parametrize("text", sorted(SYNTAX_ERRORS))
def test_syntax_error_text(text, capsys):
    assert run_script(Source(text, "p.py")) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == SYNTAX_ERRORS[text]


RUNTIME_ERRORS = {
    "import torch\nx = torch.ones(2)\nprint(x)\nprint(v_out)\n":
        ("tensor([1., 1.])\n",
         "p.py:4:7: NameError: name 'v_out' is not defined\n    print(v_out)\n          ^\n"),
    "import torch\ny = torch.ones(2, 2, requires_grad=True) * 2\ny.backward()\n":
        ("", "p.py:3:1: RuntimeError: grad can be implicitly created only for scalar outputs\n"
             "    y.backward()\n    ^\n"),
    "def f(t):\n    return t.creator\nimport torch\nf(torch.ones(1))\n":
        ("", "p.py:2:12: AttributeError: 'Tensor' object has no attribute 'creator'\n"
             "        return t.creator\n               ^\n"),
    "x = 1\nx = x / 0\n":
        ("", "p.py:2:5: ZeroDivisionError: division by zero\n    x = x / 0\n        ^\n"),
    "raise ValueError('bad value')\n":
        ("", "p.py:1:1: ValueError: bad value\n    raise ValueError('bad value')\n    ^\n"),
    "assert 1 > 2\n": ("", "p.py:1:1: AssertionError\n    assert 1 > 2\n    ^\n"),
}


@pytest.mark.parametrize("text", sorted(RUNTIME_ERRORS))
def test_runtime_error_text(text, capsys):
    assert run_script(Source(text, "p.py")) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == RUNTIME_ERRORS[text]


def test_warnings_show_the_line_once_per_line(capsys):
    text = ("import torch\nx = torch.ones(2, requires_grad=True)\ny = x * 2\n"
            "for i in range(3):\n    g = y.grad\nprint(g)\n")
    assert run_script(Source(text, "p.py")) == 0
    captured = capsys.readouterr()
    assert captured.out == "None\n"
    lines = captured.err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("p.py:5: UserWarning: The .grad attribute of a Tensor that is not "
                               "a leaf Tensor is being accessed.")
    assert lines[1] == "  g = y.grad"


def test_calculator_mode_divides_python_numbers_as_ieee():
    from helpers import run_program

    outcome = run_program("a = 1/0\nb = -1/0\nc = 0/0\nd = 1//0\ne = 5 % 0\nf = 10.0 ** 400\n"
                          "g = 0 ** -1")
    assert outcome.error is None
    values = outcome.namespace
    assert (values["a"], values["b"], values["d"], values["f"], values["g"]) == (
        float("inf"), float("-inf"), float("inf"), float("inf"), float("inf"))
    assert values["c"] != values["c"] and values["e"] != values["e"]     # nan


def test_script_mode_suggests_as_python_and_calculator_mode_from_math_names():
    from helpers import run_program

    assert run_program("meen(1)").error.message == (
        "name 'meen' is not defined. Did you mean: 'mean'?")
    from test_python_semantics import run_gradcli

    _, error = run_gradcli("prnit(1)")
    assert error.message == "name 'prnit' is not defined. Did you mean: 'print'?"
    _, error = run_gradcli("meen(1)")
    assert error.message == "name 'meen' is not defined"
