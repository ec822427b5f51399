"""Loading the grammar, building the LALR parser once (cached per user), and turning Lark's
parse errors into messages in words with a line, a column and a caret."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import re
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

GRAMMAR_FILE = "gradcli.lark"


def grammar_text() -> str:
    """The grammar from the installed package, or from the repository in a checkout."""
    packaged = resources.files("gradcli") / "grammar" / GRAMMAR_FILE
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    repository = Path(__file__).resolve().parents[2] / "grammar" / GRAMMAR_FILE
    return repository.read_text(encoding="utf-8")


@contextlib.contextmanager
def cyclic_gc_paused():
    """Pause Python's cycle collector while a parse or build allocates a tree node by node:
    the trees hold no reference cycles (reference counting frees them), yet the collector
    would rescan them over and over, a third of the time of parsing a long program."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class SyntaxProblem(Exception):
    """A syntax error: where, what was expected in words, and the offending line."""

    message: str
    line: int
    column: int
    source_line: str

    def __str__(self) -> str:
        return self.message


def _cache_dir() -> Path | None:
    """A per-user cache directory (mode 0700), never a shared temp directory (lark PR #1628)."""
    if os.environ.get("GRADCLI_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "gradcli"
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.stat()
        if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
            return None     # someone else could write our pickles: do not use it
    except OSError:
        return None
    return path


class KeywordMisplaced(Exception):
    """A keyword where the grammar has no place for it (raised while lexing)."""

    def __init__(self, token) -> None:
        super().__init__(str(token))
        self.token = token


_parser = None


def get_parser():
    global _parser
    if _parser is not None:
        return _parser
    from lark import Lark
    from lark.indenter import Indenter

    class GradcliIndenter(Indenter):
        NL_type = "_NL"
        OPEN_PAREN_types = ["LPAR", "LSQB", "LBRACE"]
        CLOSE_PAREN_types = ["RPAR", "RSQB", "RBRACE"]
        INDENT_type = "_INDENT"
        DEDENT_type = "_DEDENT"
        tab_len = 8

        def process(self, stream):
            # Lark's contextual lexer reads a keyword as a NAME where no keyword fits
            # (`else:` at the top, `x = if`): refuse it here, with the keyword's position.
            for token in super().process(stream):
                if token.type == "NAME" and token.value in _KEYWORD_SET:
                    raise KeywordMisplaced(token)
                yield token

    text = grammar_text()
    options = dict(parser="lalr", postlex=GradcliIndenter(), maybe_placeholders=True)
    cache = _cache_dir()
    if cache is not None:
        import lark

        key = hashlib.sha256(text.encode()).hexdigest()[:16]
        name = f"parser-{key}-lark{lark.__version__}-py{sys.version_info[0]}{sys.version_info[1]}.pickle"
        options["cache"] = str(cache / name)
    _parser = Lark(text, **options)
    return _parser


# ----- nesting -----------------------------------------------------------------------------

# How many brackets and indented blocks may sit inside each other. Deeper input would parse
# (neither parser nor builder recurses) but only costs time; a command line may change this.
max_nesting = 10_000

# Strings and comments (skipped), brackets, and line starts with their indentation.
_LEXICAL = re.compile(
    r"(?P<skip>[rRbBfFuU]{0,2}(?:" + '"""' + r"(?:[^\\]|\\.)*?" + '"""' + "|'''"
    + r"(?:[^\\]|\\.)*?" + "'''" + r"""|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|#[^\n]*)"""
    r"|(?P<open>[(\[{])|(?P<close>[)\]}])|(?P<line>\n[ \t]*)", re.S)


def _brackets(text: str, upto: int | None = None):
    """Yield (event, offset, blocks) up to offset `upto`, for each bracket outside strings and
    comments (event is the character) and each deeper indented block (event None); `blocks` is
    how many indented blocks are open there."""
    levels = [0]
    depth = 0
    for match in _LEXICAL.finditer(text, 0, len(text) if upto is None else upto):
        kind = match.lastgroup
        if kind == "open" or kind == "close":
            depth = depth + 1 if kind == "open" else max(depth - 1, 0)
            yield match.group(), match.start(), len(levels) - 1
        elif kind == "line" and depth == 0:
            if text[match.end():match.end() + 1] in ("", "\n", "\r", "#"):
                continue        # blank and comment lines open no block
            width = len(match.group()[1:].expandtabs(8))
            while width < levels[-1]:
                levels.pop()
            if width > levels[-1]:
                levels.append(width)
                yield None, match.end(), len(levels) - 1


def _check_nesting(text: str, limit: int) -> None:
    depth = 0
    for event, position, blocks in _brackets(text):
        if event is not None:
            depth += 1 if event in "([{" else -1
        if depth + blocks > limit:
            line = text.count("\n", 0, position) + 1
            column = position - (text.rfind("\n", 0, position) + 1) + 1
            raise SyntaxProblem(f"nesting too deep: more than {limit:,} brackets and blocks "
                                "inside each other (raise the limit with --max-nesting)",
                                line, column, text.split("\n")[line - 1])


def _unclosed_bracket(text: str, upto: int):
    """The innermost bracket still open at `upto`, as (char, line), ignoring strings/comments."""
    stack = []
    for event, position, _ in _brackets(text, upto):
        if event is None:
            continue
        if event in "([{":
            stack.append((event, position))
        elif stack:
            stack.pop()
    if not stack:
        return None
    char, position = stack[-1]
    return char, text.count("\n", 0, position) + 1


# ----- errors in words ------------------------------------------------------------------------

_WORDS = {
    "NAME": "a name", "NUMBER": "a number", "STRING": "a string", "_NL": "the end of the line",
    "$END": "the end of the input", "_INDENT": "an indented block", "_DEDENT": "the end of a block",
    "AUGOP": "an operator like '+='", "COMP_OP": "a comparison",
}
# Terminals that may follow a complete value: together they read as "an operator".
_OPERAND_STARTS = {"NAME", "NUMBER", "STRING", "TRUE", "FALSE", "NONE"}
_CLOSING = {"(": ")", "[": "]", "{": "}"}
_OPERATORS = {"COMP_OP", "AUGOP", "IF", "AND", "OR", "NOT", "IN"}
_PARTNERS = {"else": "'if', 'for', 'while' or 'try'", "elif": "'if'", "except": "'try'",
             "finally": "'try'"}
# Python keywords the language leaves out.
UNSUPPORTED = ("class", "global", "nonlocal", "del", "yield", "async", "await")
KEYWORDS = ("if", "elif", "else", "while", "for", "in", "with", "as", "def", "return", "try",
            "except", "finally", "raise", "assert", "import", "from", "pass", "break",
            "continue", "and", "or", "not", "is", "lambda", "True", "False", "None")
_KEYWORD_SET = frozenset(KEYWORDS)      # plain strings: a Token compares slowly


def _word(terminal: str) -> str:
    """A terminal's name in words: `RPAR` is "')'", `IF` is "'if'", `NAME` is "a name"."""
    if terminal in _WORDS:
        return _WORDS[terminal]
    try:
        pattern = get_parser().get_terminal(terminal).pattern
    except KeyError:
        return terminal.lower()
    return f"'{pattern.value}'" if pattern.type == "str" else terminal.lower()


def _describe_token(token) -> str:
    if token.type == "$END":
        return "the end of the input"
    if token.type == "_NL":
        return "the end of the line"
    if token.type in ("_INDENT", "_DEDENT"):
        return "an unexpected indent" if token.type == "_INDENT" else "an unexpected dedent"
    return repr(str(token))


def _wants_operand(expected: set) -> bool:
    return bool(expected & {"NAME", "NUMBER", "STRING"})


def _expected_words(expected: set) -> str:
    if "NUMBER" in expected:
        return "an expression"
    if "NAME" in expected:
        return "a name"
    words = sorted({"an operator" if name in _OPERATORS or _is_operator(name) else _word(name)
                    for name in expected})
    if "an operator" in words:           # list it last: "':' or an operator"
        words = [w for w in words if w != "an operator"] + ["an operator"]
    if len(words) > 4:
        return ", ".join(words[:4]) + " or another token"
    return " or ".join(words) if words else "something else"


def _is_operator(terminal: str) -> bool:
    word = _word(terminal)
    return word.startswith("'") and word.strip("'") in ("+", "-", "*", "/", "//", "%", "@",
                                                      "^", "**", ".", "(", "[", "=")


def _after_block_header(lines: list, line: int) -> bool:
    """Whether the last code line before `line` ends with ':' (its block must be indented)."""
    for number in range(line - 1, 0, -1):
        code = re.sub(r"#.*", "", lines[number - 1]).rstrip()
        if code:
            return code.endswith(":") and _starts_block(code)
    return False


def _starts_block(line_text: str) -> bool:
    return bool(re.match(r"\s*(if|elif|else|while|for|with|def|try|except|finally)\b", line_text))


def _misspelled_keyword(line_text: str) -> str | None:
    """`whlie x < 3:` -> 'while': the first word of a line when it is close to a keyword."""
    import difflib      # only on the error path: it costs start-up time

    match = re.match(r"\s*([^\W\d]\w*)", line_text)
    if not match or match.group(1) in KEYWORDS:
        return None
    close = difflib.get_close_matches(match.group(1), KEYWORDS, n=1, cutoff=0.75)
    return close[0] if close else None


def parse(text: str, nesting_limit: int | None = None):
    """Parse a program; raise SyntaxProblem with a message in words on bad input."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
    from lark.indenter import DedentError

    source = text if text.endswith("\n") else text + "\n"
    _check_nesting(source, nesting_limit or max_nesting)
    lines = source.split("\n")
    try:
        with cyclic_gc_paused():
            return get_parser().parse(source)
    except UnexpectedToken as e:
        raise _unexpected_token(e, source, lines) from None
    except KeywordMisplaced as e:
        token = e.token
        message = f"unexpected '{token}'"
        if str(token) in _PARTNERS:
            message += f" without a matching {_PARTNERS[str(token)]}"
        else:
            message += ": it is a keyword and cannot be used here"
        raise SyntaxProblem(message, token.line, token.column, _line(lines, token.line)) from None
    except UnexpectedCharacters as e:
        char = source[e.pos_in_stream] if e.pos_in_stream < len(source) else ""
        message = f"unexpected character {char!r}"
        if char in "\"'":
            message = "unterminated string literal"
        raise SyntaxProblem(message, e.line, e.column, _line(lines, e.line)) from None
    except DedentError:
        line = _dedent_line(source)
        raise SyntaxProblem("unindent does not match any outer indentation level", line, 1,
                            _line(lines, line)) from None
    except UnexpectedInput as e:  # any other positioned parse error
        raise SyntaxProblem("invalid syntax", e.line, e.column, _line(lines, e.line)) from None


def _unexpected_token(e, source: str, lines: list) -> SyntaxProblem:
    token = e.token
    line = token.line if token.line is not None else len(lines) - 1
    column = token.column if token.column is not None else 1
    previous = _previous_token_text(source, token)
    if token.type in ("$END", "_NL", "_DEDENT"):
        open_bracket = _unclosed_bracket(source, getattr(token, "start_pos", None) or len(source))
        if open_bracket:
            message = f"unclosed '{open_bracket[0]}' from line {open_bracket[1]}"
        elif previous:
            message = f"expected {_expected_words(e.expected)} after {previous}"
        else:
            message = f"expected {_expected_words(e.expected)}"
        if token.type == "$END":
            line, column = _end_position(lines)
    elif token.type == "_INDENT":
        message = "unexpected indent"
    elif "_INDENT" in e.expected or _after_block_header(lines, line):
        message = f"unexpected {_describe_token(token)}: expected an indented block"
    elif token.type in _OPERAND_STARTS and "PLUS" in e.expected:
        # Two values in a row (`print(1 2)`): name what could join or end the first one.
        open_bracket = _unclosed_bracket(source, token.start_pos)
        if open_bracket:
            ends = ["','", f"'{_CLOSING[open_bracket[0]]}'"]
        elif "COLON" in e.expected and _starts_block(_line(lines, line)):
            ends = ["':'"]
        else:
            ends = ["the end of the line"]
        message = (f"unexpected {_describe_token(token)}: expected "
                   + ", ".join(["an operator"] + ends[:-1]) + f" or {ends[-1]}")
    else:
        message = f"unexpected {_describe_token(token)}: expected {_expected_words(e.expected)}"
        if previous and _wants_operand(e.expected):
            message += f" after {previous}"
    word_before = re.search(r"([^\W\d]\w*)\W*$", source[:getattr(token, "start_pos", 0) or 0])
    if word_before and word_before.group(1) in UNSUPPORTED:
        message = f"'{word_before.group(1)}' is Python that gradcli's language does not have"
        offset = word_before.start(1)
        line = source.count("\n", 0, offset) + 1
        column = offset - (source.rfind("\n", 0, offset) + 1) + 1
    if re.match(r"\s*print\s+[^\s(=.\[]", _line(lines, line)):     # Python 2's print statement
        message = "missing parentheses in call to 'print'. Did you mean print(...)?"
    keyword = _misspelled_keyword(_line(lines, line))
    if keyword:
        message += f"; did you mean '{keyword}'?"
    return SyntaxProblem(message, line, column, _line(lines, line))


def _previous_token_text(source: str, token) -> str | None:
    """The operator or token just before the error, in quotes ("'+'"), if there is one."""
    pos = getattr(token, "start_pos", None)
    if pos is None:
        pos = len(source)
    before = source[:pos].rstrip()
    if not before:
        return None
    for operator in ("**=", "//=", "+=", "-=", "*=", "/=", "@=", "^=", "**", "//", "==", "!=",
                     "<=", ">="):
        if before.endswith(operator):
            return f"'{operator}'"
    return f"'{before[-1]}'" if before[-1] in "+-*/^@=<>,(:[%." else None


def _end_position(lines: list) -> tuple[int, int]:
    """The line and column just after the last non-blank character."""
    for number in range(len(lines), 0, -1):
        text = lines[number - 1]
        if text.strip():
            return number, len(text.rstrip()) + 1
    return 1, 1


def _dedent_line(source: str) -> int:
    """The first line whose indentation matches no enclosing block."""
    levels = [0]
    for number, text in enumerate(source.split("\n"), start=1):
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        width = len(text.expandtabs(8)) - len(text.expandtabs(8).lstrip())
        if width > levels[-1]:
            levels.append(width)
        else:
            while width < levels[-1]:
                levels.pop()
            if width != levels[-1]:
                return number
    return 1


def _line(lines: list, number: int) -> str:
    return lines[number - 1] if 1 <= number <= len(lines) else ""
