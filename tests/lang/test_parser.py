"""The grammar: precedence, associativity, and syntax errors in words with a caret."""

import logging

import pytest

from helpers import run_program

from gradcli.lang.make_tables import grammar_text, lark_parser
from gradcli.lang.parser import SyntaxProblem, parse


def value_of(text: str):
    outcome = run_program(text)
    assert outcome.error is None, outcome.error
    return outcome.outputs[-1].value


@pytest.mark.parametrize("text, expected", [
    ("-2^2", -4),            # -x^2 == -(x^2)
    ("2^3^2", 512),          # right-associative
    ("2**3**2", 512),
    ("2^-1", 0.5),
    ("10-4-3", 3),           # left-associative
    ("2*3+4", 10),
    ("2+3*4", 14),
    ("(2+3)*4", 20),
    ("-(2+3)", -5),
    ("8/2/2", 2.0),
    ("1 == 1 == 1", True),
    ("not 1 == 2", True),
])
def test_precedence(text, expected):
    assert value_of(text) == expected


def test_grammar_has_no_lalr_conflicts(caplog):
    with caplog.at_level(logging.DEBUG, logger="lark"):
        lark_parser(grammar_text(), debug=True)
    assert "conflict" not in caplog.text.lower()


@pytest.mark.parametrize("text, line, column, message", [
    ("1 +", 1, 4, "expected an expression after '+'"),
    ("x = ", 1, 5, "expected an expression after '='"),
    ("(1+2", 1, 5, "unclosed '(' from line 1"),
    ("y = [1,\n 2", 2, 3, "unclosed '[' from line 1"),
    ("3 $ 4", 1, 3, "unexpected character '$'"),
    # read in context, as Lark's contextual lexer read them (the messages gradcli had then)
    ("x.5", 1, 3, "unexpected '5': expected a name after '.'"),
    ("f(**=3)", 1, 5, "unexpected '=': expected an expression after '**'"),
    ("x = is not", 1, 5, "unexpected 'is': it is a keyword and cannot be used here"),
    ("y = not in", 1, 9, "unexpected 'in': it is a keyword and cannot be used here"),
    ('def f"x"(): pass', 1, 6,
     "unexpected '\"x\"': expected the end of the line or an operator"),
    ("for x not in y: pass", 1, 7,
     "unexpected 'not': expected ')', ',', ']', the end of the line or another token"),
    ("if x:\n    pass\n  y", 3, 1, "unindent does not match any outer indentation level"),
    # a keyword is a whole word: Lark read `a orc` as `a or c` and `empty input` as `empty in put`
    ("b = a orc", 1, 7, "unexpected 'orc': expected an operator or the end of the line"),
    ("empty input", 1, 7, "unexpected 'input': expected an operator or the end of the line"),
])
def test_syntax_errors_in_words(text, line, column, message):
    with pytest.raises(SyntaxProblem) as caught:
        parse(text)
    assert (caught.value.line, caught.value.column, caught.value.message) == (line, column, message)


def test_deep_nesting_parses_and_evaluates():
    depth = 5_000
    assert value_of("(" * depth + "1" + "+1)" * depth) == depth + 1


def test_is_not_may_have_several_spaces():
    assert value_of("1 is  not None") is True
