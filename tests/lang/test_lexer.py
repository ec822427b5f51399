"""The hand-written lexer and the generated tables: tokens typed as the grammar names them,
readings that depend on the place (`in`, keywords, `**=`), indentation, and tables that match
what Lark makes from the grammar today."""

import subprocess
import sys
from pathlib import Path

import pytest

from gradcli.lang import parse_tables
from gradcli.lang.lexer import Token, alternatives, tokenize
from gradcli.lang.make_tables import grammar_text, module_text


def kinds(text: str) -> list:
    return [(token.type, token.value) for token in tokenize(text, 100)]


def test_tables_are_generated_from_the_grammar():
    import lark

    if lark.__version__ != parse_tables.LARK_VERSION:
        pytest.skip(f"the tables were made with Lark {parse_tables.LARK_VERSION}, this is "
                    f"{lark.__version__}: `python -m gradcli.lang.make_tables` remakes them")
    assert Path(parse_tables.__file__).read_text(encoding="utf-8") == module_text(grammar_text())


def test_words_operators_and_literals():
    assert kinds("x = f'a' ** 2.5e3 if y is not None else 0x1F\n") == [
        ("NAME", "x"), ("EQUAL", "="), ("STRING", "f'a'"), ("__ANON_1", "**"),
        ("NUMBER", "2.5e3"), ("IF", "if"), ("NAME", "y"), ("COMP_OP", "is not"), ("NONE", "None"),
        ("ELSE", "else"), ("NUMBER", "0x1F"), ("_NL", "\n"), ("$END", "\n")]


def test_keywords_only_as_whole_words():
    assert kinds("format or input\n")[:3] == [("NAME", "format"), ("OR", "or"), ("NAME", "input")]


def test_positions_and_ends():
    tokens = tokenize("a = '''x\ny'''  # c\n", 100)
    string = tokens[2]
    assert (string.line, string.column, string.start_pos) == (1, 5, 4)
    assert (string.end_line, string.end_column, string.end_pos) == (2, 5, 13)
    assert tokens[3].type == "_NL" and (tokens[3].line, tokens[3].column) == (2, 7)


def test_indentation_and_brackets():
    text = "if x:\n    y = (1,\n  2)\n\n    # note\n    z\nw\n"
    assert [kind for kind, _ in kinds(text)] == [
        "IF", "NAME", "COLON", "_NL", "_INDENT", "NAME", "EQUAL", "LPAR", "NUMBER", "COMMA",
        "NUMBER", "RPAR", "_NL", "NAME", "_NL", "_DEDENT", "NAME", "_NL", "$END"]


def test_tabs_count_eight_columns_and_bad_dedents_are_tokens():
    assert "_INDENT" in [kind for kind, _ in kinds("if x:\n\ty\n")]
    assert "$DEDENT" in [kind for kind, _ in kinds("if x:\n    y\n  z\n")]
    assert ("$CHARACTER", "$") in kinds("a $ b\n")


@pytest.mark.parametrize("text, readings", [
    ("in", [["COMP_OP"], ["NAME"]]),
    ("else", [["NAME"]]),
    ("is not", [["COMP_OP", "NOT"], ["NAME", "NOT"]]),
    ("**=", [["__ANON_1", "EQUAL"], ["STAR", "AUGOP"]]),
    (".5", [["DOT", "NUMBER"]]),
    ("f'x'", [["NAME", "STRING"]]),
])
def test_alternative_readings(text, readings):
    token = tokenize(text + "\n", 100)[0]
    assert [[t.type for t in reading] for reading in alternatives(token, text + "\n")] == readings


def test_token_reads_like_larks():
    token = Token(("NAME", "x", 3, 1, 4))
    assert (str(token), token.type, token.value, token.end_pos, token.end_column) == (
        "x", "NAME", "x", 4, 5)


def test_parsing_never_imports_lark():
    """The tables are data: a run parses without Lark (and without any parser cache)."""
    code = ("import sys; from gradcli.lang.parser import parse; parse('x = [1, 2]\\nif x:\\n"
            "    y = x'); assert 'lark' not in sys.modules, 'lark imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
