"""Parsing a program: the hand-written lexer (lang/lexer.py) feeds an LALR(1) driver that
reads the tables generated from the grammar (lang/parse_tables.py) and builds the AST as it
reduces (lang/builder.py); no recursion, however deep the input. Parse errors become messages in
words with a line, a column and a caret, as Lark's contextual lexer and parser would raise them
(gradcli.lang.make_tables keeps Lark as the generator of the tables)."""

from __future__ import annotations

import contextlib
import gc
import re

from gradcli.lang.lexer import (BAD_CHARACTER, BAD_DEDENT, KEYWORD_TYPES, LexicalError,
                                NestingTooDeep, Token, alternatives, resynchronised, tokenize)
from gradcli.lang.parse_tables import (ACTIONS, END_STATE, KEPT_TERMINALS, LEXED_TERMINALS,
                                       RULES, START_STATE, STRING_TERMINALS)


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


class SyntaxProblem(Exception):
    """A syntax error: where, what was expected in words, and the offending line."""

    def __init__(self, message: str, line: int, column: int, source_line: str) -> None:
        super().__init__(message, line, column, source_line)
        self.message = message
        self.line = line
        self.column = column
        self.source_line = source_line

    def __str__(self) -> str:
        return self.message


class KeywordMisplaced(Exception):
    """A keyword where the grammar has no place for it, only for a name (`else:` at the top,
    `x = if`): Lark's contextual lexer would read it as a NAME there."""

    def __init__(self, token) -> None:
        super().__init__(str(token))
        self.token = token


class UnexpectedToken(Exception):
    """A token the grammar does not allow where it is, with the terminals it does allow."""

    def __init__(self, token, expected: set) -> None:
        super().__init__(str(token))
        self.token = token
        self.expected = expected


# ----- the LALR(1) driver -------------------------------------------------------------------

_KEPT = frozenset(KEPT_TERMINALS)
_LEXED = frozenset(LEXED_TERMINALS)
_KEYWORD_TYPES = frozenset(KEYWORD_TYPES.values())
_POSTLEXED = frozenset({"_NL", "_INDENT", "_DEDENT", "$END"})   # the Indenter's, and the end
# A `?rule: child` reduction hands its one child on unchanged.
_HANDS_ON = [size == 1 and builds[0] == "?" and keep is None
             for _, size, builds, keep, _, _ in RULES]


def _parse_tokens(tokens: list, source: str, build_node):
    """Run the LALR(1) automaton over the tokens; `build_node(name, children, popped)` makes
    each rule's node from its children (markers left out) and the span of what it reduced
    (`popped`: None in place of punctuation). Returns the start rule's value."""
    actions = ACTIONS
    rules = RULES
    hands_on = _HANDS_ON
    chains = _CHAINS
    kept = _KEPT
    states = [START_STATE]
    values = []
    index = 0
    while True:
        token = tokens[index]
        kind = token[0]
        action = actions[states[-1]].get(kind)
        if action is None:
            action = _contextual(tokens, index, actions[states[-1]], source)
            token = tokens[index]
            kind = token[0]
        while action < 0:
            number = ~action
            if hands_on[number] and kind != "$END":
                key = (states[-2], states[-1], kind)
                state = chains.get(key)
                if state is None:
                    state = chains[key] = _hand_on(states[-2], states[-1], kind)
                states[-1] = state
                action = actions[state].get(kind)
                if action is None:
                    raise UnexpectedToken(token, {s for s in actions[state] if s.isupper()})
                continue
            origin, size, builds, keep, append_none, spanned = rules[number]
            if hands_on[number]:
                del states[-1]
            else:
                if size:
                    popped = values[-size:]
                    del values[-size:]
                    del states[-size:]
                else:
                    popped = []
                if keep is None:
                    children = popped
                else:
                    children = []
                    for position, splice, nones in keep:
                        if nones:
                            children += [None] * nones
                        if not splice:
                            children.append(popped[position])
                        elif children:
                            children += popped[position]
                        else:
                            children = popped[position]
                    if append_none:
                        children += [None] * append_none
                if spanned is not None:
                    popped = [popped[position] for position in spanned]
                if builds == "splice":
                    value = children
                elif builds[0] != "?":
                    value = build_node(builds, children, popped)
                elif len(children) == 1:
                    value = children[0]
                else:
                    value = build_node(builds[1:], children, popped)
                values.append(value)
            state = actions[states[-1]][origin]
            if kind == "$END" and state == END_STATE:
                return values[-1]
            states.append(state)
            action = actions[state].get(kind)
            if action is None:
                raise UnexpectedToken(token, {s for s in actions[state] if s.isupper()})
        states.append(action)
        values.append(token if kind in kept else None)
        index += 1


# (state below, state on top, token type) -> the state on top after every `?rule: child`
# reduction the token sets off there (`x` reduces through atom, postfix, power, unary, ...,
# test: ten rules that hand `x` on unchanged), filled in as programs meet them.
_CHAINS: dict = {}


def _hand_on(below: int, top: int, kind: str) -> int:
    action = ACTIONS[top][kind]
    while action < 0 and _HANDS_ON[~action]:
        top = ACTIONS[below][RULES[~action][0]]
        action = ACTIONS[top].get(kind)
        if action is None:
            break
    return top


def _contextual(tokens: list, index: int, row: dict, source: str) -> int:
    """The action for a token the state does not take as it is: another reading of it that the
    state takes (which replaces it in `tokens`), as Lark's contextual lexer would find; else
    the error Lark would raise."""
    token = tokens[index]
    kind = token[0]
    if kind == BAD_CHARACTER or kind == BAD_DEDENT:
        raise LexicalError(token)
    if kind in _POSTLEXED:
        raise UnexpectedToken(token, {s for s in row if s.isupper()})
    for reading in alternatives(token, source):
        action = row.get(reading[0][0])
        if action is not None:
            if reading[0][0] == "NAME" and reading[0][1] in _KEYWORD_SET:
                raise KeywordMisplaced(reading[0])
            resynchronised(tokens, index, reading, source)
            return action
    if kind in _KEYWORD_TYPES or kind == "COMP_OP" and token[1][0].isalpha():
        word = token[1].split()[0]          # Lark's lexer reads one word, `is` as a name
        token = Token((KEYWORD_TYPES.get(word, "NAME"), word) + token[2:])
    # the terminals the state's lexer looked for, and `_NL` (always), as Lark reported them
    raise UnexpectedToken(token, {s for s in row if s in _LEXED} | {"_NL"})


# ----- nesting and brackets ---------------------------------------------------------------

# How many brackets and indented blocks may sit inside each other. Deeper input would parse
# (neither parser nor builder recurses) but only costs time; a command line may change this.
max_nesting = 10_000

# Strings and comments (skipped) and brackets; compiled on first use (by re's cache): only
# an error message needs it.
_LEXICAL = (
    r"(?P<skip>[rRbBfFuU]{0,2}(?:" + '"""' + r"(?:[^\\]|\\.)*?" + '"""' + "|'''"
    + r"(?:[^\\]|\\.)*?" + "'''" + r"""|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|#[^\n]*)"""
    r"|(?P<bracket>[(\[{)\]}])")


def _unclosed_bracket(text: str, upto: int):
    """The innermost bracket still open at `upto`, as (char, line), ignoring strings/comments."""
    stack = []
    for match in re.finditer(_LEXICAL, text[:upto], re.S):
        if match.lastgroup != "bracket":
            continue
        if match.group() in "([{":
            stack.append((match.group(), match.start()))
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
    if terminal in STRING_TERMINALS:
        return f"'{STRING_TERMINALS[terminal]}'"
    return terminal.lower()


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
    """`whlie x < 3:` -> 'while': the first word of a line when it is close to a keyword and
    stands where a keyword would, before a space and an operand (not `sin(x`, `fro = 1`)."""
    import difflib      # only on the error path: it costs start-up time

    match = re.match(r"\s*([^\W\d]\w*)\s+[\w\[(\"'-]", line_text)
    if not match or match.group(1) in KEYWORDS:
        return None
    close = difflib.get_close_matches(match.group(1), KEYWORDS, n=1, cutoff=0.75)
    return close[0] if close else None


def parse(text: str, nesting_limit: int | None = None):
    """The AST of a program (gradcli.lang.ast.Program); raises SyntaxProblem with a message in
    words on bad input, and for what the grammar lets through but Python rejects (`1 = x`, an
    integer literal of 5,000 digits), once the whole program has parsed."""
    from gradcli.lang.builder import NodeBuilder

    source = text if text.endswith("\n") else text + "\n"
    limit = nesting_limit or max_nesting
    try:
        tokens = tokenize(source, limit)
    except NestingTooDeep as e:
        raise SyntaxProblem(f"nesting too deep: more than {limit:,} brackets and blocks "
                            "inside each other (raise the limit with --max-nesting)",
                            e.line, e.column, source.split("\n")[e.line - 1]) from None
    builder = NodeBuilder(text)
    try:
        with cyclic_gc_paused():
            program = _parse_tokens(tokens, source, builder.node)
    except UnexpectedToken as e:
        raise _unexpected_token(e, source, source.split("\n")) from None
    except KeywordMisplaced as e:
        token = e.token
        message = f"unexpected '{token}'"
        if str(token) in _PARTNERS:
            message += f" without a matching {_PARTNERS[str(token)]}"
        else:
            message += ": it is a keyword and cannot be used here"
        raise SyntaxProblem(message, token.line, token.column,
                            _line(source.split("\n"), token.line)) from None
    except LexicalError as error:
        e = error.token
        lines = source.split("\n")
        if e.type == BAD_DEDENT:
            line = _dedent_line(source)
            raise SyntaxProblem("unindent does not match any outer indentation level", line, 1,
                                _line(lines, line)) from None
        message = f"unexpected character {e.value!r}"
        if e.value in "\"'":
            message = "unterminated string literal"
        raise SyntaxProblem(message, e.line, e.column, _line(lines, e.line)) from None
    builder.raise_first_problem()
    return program


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
