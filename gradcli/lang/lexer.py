"""A program's tokens in one pass over its text, with Python's indentation as tokens.

Each token is typed with the grammar's terminal names (grammar/gradcli.lark): a keyword as its
keyword (`if` is IF), `is not` and `not in` as one comparison, an operator as the longest one
that matches (`**=` before `**` before `*`). Where a word or an operator means something else
in its place (`in` as a comparison, a keyword where only a name fits, `**=` inside brackets),
the parser asks `alternatives` for the readings the grammar's contextual lexer would give.

At bracket level 0 a line break is an `_NL` token (blank lines and comments fold into it),
followed by `_INDENT` or `_DEDENTs` as Lark's Indenter makes them (a tab counts 8 columns).
The nesting limit (brackets and blocks inside each other) is checked on the way."""

from __future__ import annotations

import re
from operator import itemgetter

from gradcli.lang.parse_tables import (CHOICE_TERMINALS, PATTERNS, SKIPPED_PATTERNS,
                                       STRING_TERMINALS)


class Token(tuple):
    """(type, value, start_pos, line, column), read with Lark's Token attribute names; the end
    is worked out when asked (a long program has a hundred thousand tokens, spans need few)."""

    __slots__ = ()

    type = property(itemgetter(0))
    value = property(itemgetter(1))
    start_pos = property(itemgetter(2))
    line = property(itemgetter(3))
    column = property(itemgetter(4))

    @property
    def end_pos(self):
        return None if self[2] is None else self[2] + len(self[1])

    @property
    def end_line(self):
        return None if self[3] is None else self[3] + self[1].count("\n")

    @property
    def end_column(self):
        if self[4] is None:
            return None
        value = self[1]
        newline = value.rfind("\n")
        return self[4] + len(value) if newline < 0 else len(value) - newline

    def __str__(self) -> str:
        return self[1]

    def __repr__(self) -> str:
        return f"Token({self[0]!r}, {self[1]!r})"


# Tokens in place of a lexical error: a character no token starts with, a line whose
# indentation matches no open block. The parser raises them (LexicalError) when it gets there,
# so an earlier syntax error is reported first, as Python does.
BAD_CHARACTER = "$CHARACTER"
BAD_DEDENT = "$DEDENT"


class LexicalError(Exception):
    def __init__(self, token: Token) -> None:
        super().__init__(token[1])
        self.token = token


class NestingTooDeep(Exception):
    def __init__(self, position: int, line: int, column: int) -> None:
        super().__init__(position)
        self.position, self.line, self.column = position, line, column


# ----- the token table, from the grammar's terminals ---------------------------------------

KEYWORD_TYPES = {value: name for name, value in STRING_TERMINALS.items() if value.isidentifier()}
OPERATOR_TYPES = {value: name for name, value in STRING_TERMINALS.items()
                  if not value.isidentifier()}
for _terminal, _choices in CHOICE_TERMINALS.items():
    OPERATOR_TYPES.update((choice, _terminal) for choice in _choices if not choice[0].isalpha())
COMPARISON_WORDS = frozenset(choice for choice in CHOICE_TERMINALS["COMP_OP"]
                             if choice[0].isalpha())      # in, is, not in, is not
_OPENING = {"LPAR", "LSQB", "LBRACE"}
_CLOSING = {"RPAR", "RSQB", "RBRACE"}
TAB_WIDTH = 8

_OPERATORS = "|".join(re.escape(op) for op in sorted(OPERATOR_TYPES, key=len, reverse=True))
_WORD_PAIRS = "|".join(re.escape(words).replace(r"\ ", r"[ \t]+") + r"\b"
                       for words in sorted(COMPARISON_WORDS) if " " in words)   # is not, not in
_SPACES, _JOINED_LINES = SKIPPED_PATTERNS
# One pattern for every token, in the order they are tried: a string before a name (`f"..."`
# is a string, `f` alone a name), `is not` and `not in` before a name, then BAD for a character
# no token starts with. Spaces between tokens are skipped; `\` at a line's end joins the next.
_TOKEN = re.compile(
    f"(?:{_SPACES})?(?:(?P<STRING>{PATTERNS['STRING']})|(?P<COMP_OP>{_WORD_PAIRS})"
    f"|(?P<NAME>{PATTERNS['NAME']})|(?P<NUMBER>{PATTERNS['NUMBER']})|(?P<OP>{_OPERATORS})"
    f"|(?P<NL>{PATTERNS['_NL']})|(?P<JOIN>{_JOINED_LINES})|(?P<END>\\Z)|(?P<BAD>[\\s\\S]))")
_WORD_TYPES = {**KEYWORD_TYPES, "is": "COMP_OP"}      # `is` has no terminal of its own


def tokenize(text: str, nesting_limit: int) -> list:
    """The tokens of `text` (which ends with a newline), then `$END`. Raises NestingTooDeep."""
    tokens = []
    append = tokens.append
    word_types = _WORD_TYPES
    operator_types = OPERATOR_TYPES
    line, line_start = 1, 0
    brackets = 0
    levels = [0]
    swallowed, swallowed_after = None, -1
    for found in _TOKEN.finditer(text):
        kind = found.lastgroup
        start = found.start(kind)
        value = found.group(kind)
        if kind == "NAME":
            append(Token((word_types.get(value, "NAME"), value, start, line,
                          start - line_start + 1)))
        elif kind == "OP":
            kind = operator_types[value]
            if kind in _OPENING:
                brackets += 1
                if brackets + len(levels) - 1 > nesting_limit:
                    raise NestingTooDeep(start, line, start - line_start + 1)
            elif kind in _CLOSING and brackets:
                brackets -= 1
            append(Token((kind, value, start, line, start - line_start + 1)))
        elif kind == "NL":
            column = start - line_start + 1
            newlines = value.count("\n")
            if newlines:
                line += newlines
                line_start = start + value.rfind("\n") + 1
            if brackets:                        # inside brackets a line break is a space
                swallowed, swallowed_after = (value, start, line - newlines, column), len(tokens)
                continue
            token = Token(("_NL", value, start, line - newlines, column))
            append(token)
            indentation = value[value.rfind("\n") + 1:]
            indent = indentation.count(" ") + indentation.count("\t") * TAB_WIDTH
            if indent > levels[-1]:
                levels.append(indent)
                append(Token(("_INDENT",) + token[1:]))
                if len(levels) - 1 > nesting_limit:
                    position = found.end()
                    raise NestingTooDeep(position, line, position - line_start + 1)
            else:
                while indent < levels[-1]:
                    levels.pop()
                    append(Token(("_DEDENT",) + token[1:]))
                if indent != levels[-1]:
                    append(Token((BAD_DEDENT,) + token[1:]))
                    levels.append(indent)
        elif kind == "NUMBER" or kind == "COMP_OP":
            append(Token((kind, value, start, line, start - line_start + 1)))
        elif kind == "STRING":
            append(Token((kind, value, start, line, start - line_start + 1)))
            if "\n" in value:
                line += value.count("\n")
                line_start = start + value.rfind("\n") + 1
        elif kind == "JOIN":
            line += 1
            line_start = found.end()
        elif kind == "BAD":
            append(Token((BAD_CHARACTER, value, start, line, start - line_start + 1)))
        else:                                   # END
            break
    if len(levels) > 1:     # blocks still open: the last line break was inside brackets
        last = swallowed if swallowed_after == len(tokens) else tokens[-1][1:]
        tokens += [Token(("_DEDENT",) + last)] * (len(levels) - 1)
    # `$END` takes the position of the last token (Lark's new_borrow_pos)
    append(Token(("$END",) + tokens[-1][1:]) if tokens else Token(("$END", "", 0, 1, 1)))
    return tokens


def alternatives(token: Token, text: str) -> list:
    """Other readings of a token, each a list of tokens starting where it starts: a keyword as
    a comparison or a name, `is not` as `is` + `not`, an operator as a shorter operator and the
    rest, `.5` as `.` + `5`, `f"x"` as the name `f` + a string. Later tokens the last one
    overlaps must be read again (`resynchronised`)."""
    kind, value, start, line, column = token
    if kind in _WORD_KINDS and value[0].isalpha():
        first = value.split()[0]
        rest = _tokens_from(text, start + len(first), start + len(value), line, column - start)
        # first the word as the lexer typed it alone (the token itself, unless `is not`)
        readings = [[Token((KEYWORD_TYPES.get(first, "COMP_OP"), first, start, line, column))]]
        if first in COMPARISON_WORDS and readings[0][0][0] != "COMP_OP":
            readings.append([Token(("COMP_OP", first, start, line, column))])
        readings.append([Token(("NAME", first, start, line, column))])
        if rest:                                    # `is not`: the words one by one
            return [reading + rest for reading in readings]
        return readings[1:]
    if kind in _OPERATOR_TYPES and len(value) > 1:
        return [[Token((OPERATOR_TYPES[value[:size]], value[:size], start, line, column))]
                + _tokens_from(text, start + size, start + len(value), line, column - start)
                for size in range(len(value) - 1, 0, -1) if value[:size] in OPERATOR_TYPES]
    if kind == "NUMBER" and value[0] == ".":
        return [[Token(("DOT", ".", start, line, column))]
                + _tokens_from(text, start + 1, start + len(value), line, column - start)]
    if kind == "STRING" and value[0] not in "\"'":
        prefix = len(value) - len(value.lstrip("rRbBfFuU"))
        return [[Token(("NAME", value[:prefix], start, line, column))]
                + _tokens_from(text, start + prefix, start + len(value), line, column - start)]
    return []


_WORD_KINDS = frozenset(KEYWORD_TYPES.values()) | {"COMP_OP"}
_OPERATOR_TYPES = frozenset(OPERATOR_TYPES.values())


def _tokens_from(text: str, position: int, end: int, line: int, column_offset: int) -> list:
    """The tokens from `position` on (one line), typed without context, up to the first that
    reaches `end` (it may go past it: `5.` in `x.5.y`)."""
    tokens = []
    while position < end:
        found = _TOKEN.match(text, position)
        kind = found.lastgroup
        value = found.group(kind)
        start = found.start(kind)
        if kind == "NAME":
            kind = _WORD_TYPES.get(value, "NAME")
        elif kind == "OP":
            kind = OPERATOR_TYPES[value]
        tokens.append(Token((kind, value, start, line, start + column_offset)))
        position = found.end()
    return tokens


def resynchronised(tokens: list, index: int, reading: list, text: str) -> None:
    """Put `reading` in place of tokens[index], and read again the tokens it overlaps."""
    after = index + 1
    end = reading[-1].end_pos
    while tokens[after][0] != "$END" and tokens[after][2] < end:
        if tokens[after].end_pos > end:     # partly covered: the rest of it, read afresh
            last = reading[-1]
            reading = reading + _tokens_from(text, end, tokens[after].end_pos, last[3],
                                             last[4] - last[2])
            end = reading[-1].end_pos
        after += 1
    if tokens[after][0] == "$END":
        tokens[after] = Token(("$END",) + reading[-1][1:])
    tokens[index:after] = reading
