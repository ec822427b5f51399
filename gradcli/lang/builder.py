"""The AST nodes of the grammar's rules, made as the parser reduces them (lang/parser.py), so
no tree is built twice and nothing recurses (a 5,000-deep expression must work); then the
checks that need the whole program (`break` outside a loop)."""

from __future__ import annotations

from gradcli.lang import ast
from gradcli.lang.lexer import Token
from gradcli.lang.parser import SyntaxProblem

_AUGMENTED = {"+=": "add", "-=": "sub", "*=": "mul", "/=": "div", "//=": "floordiv", "%=": "mod",
              "@=": "matmul", "**=": "pow", "^=": "pow"}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", "'": "'", '"': '"',
            "a": "\a", "b": "\b", "f": "\f", "v": "\v", "\n": ""}


def _first(item):
    """The first positioned thing in a child (a Token, or a Span), or None."""
    kind = type(item)
    if kind is Token:
        return item
    if kind is tuple or kind is list:
        for element in item:
            found = _first(element)
            if found is not None:
                return found
        return None
    span = getattr(item, "span", None)
    return span if span is not None and span[0] else None      # NO_SPAN has line 0


def _last(item):
    kind = type(item)
    if kind is Token:
        return item
    if kind is tuple or kind is list:
        for element in reversed(item):
            found = _last(element)
            if found is not None:
                return found
        return None
    span = getattr(item, "span", None)
    return span if span is not None and span[0] else None


_new_span = tuple.__new__       # Span(...) without the named tuple's Python-level __new__


def _span(children: list) -> ast.Span:
    """The span from the first to the last positioned child (kept tokens always have one)."""
    for child in children:
        if child is not None:
            kind = type(child)
            if kind is Token:
                first = child
                line, column, start = child[3], child[4], child[2]
                break
            first = (_first(child) if kind is tuple or kind is list
                     else getattr(child, "span", None))      # a node, or a dotted name
            if first is not None and first[0]:
                if type(first) is Token:
                    line, column, start = first[3], first[4], first[2]
                else:
                    line, column, _, _, start, _ = first
                break
    else:
        return ast.NO_SPAN
    for child in reversed(children):
        if child is not None:
            kind = type(child)
            last = child if kind is Token else (
                _last(child) if kind is tuple or kind is list else getattr(child, "span", None))
            if last is not None and last[0]:
                break
    if type(last) is not Token:
        return _new_span(ast.Span, (line, column, last[2], last[3], start, last[5]))
    value = last[1]
    if "\n" in value:                   # a string over several lines
        return _new_span(ast.Span, (line, column, last.end_line, last.end_column, start,
                                    last.end_pos))
    return _new_span(ast.Span, (line, column, last[3], last[4] + len(value), start,
                                last[2] + len(value)))


class NodeBuilder:
    """Makes each rule's node from its children and the span of the tokens and nodes it
    reduced (brackets and keywords included, though not among the children). The first
    construct the grammar accepts but the language does not (`1 = x`) is kept, and the parse
    goes on without building, so a later syntax error is still the one reported, as before."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problem = None

    def node(self, name: str, children: list, popped: list):
        if self.problem is not None:
            return None
        span = _span(popped)
        try:
            if name == "start":
                return ast.Program(_statements(children), self.source, span=span)
            return _BUILDERS[name](children, span)
        except _Misplaced as problem:
            self.problem = problem
            return None

    def raise_first_problem(self) -> None:
        if self.problem is not None:
            raise _syntax_problem(self.problem.message, self.problem.span, self.source)


def build(program: ast.Program, source: str) -> ast.Program:
    """The parsed program, checked as Python checks it before running anything: `break` and
    `continue` in a loop, `return` in a function."""
    program.source = source
    _check_jumps(program, source)
    return program


class _Misplaced(Exception):
    """A construct the grammar accepts but the language does not, found while building."""

    def __init__(self, message: str, span: ast.Span) -> None:
        super().__init__(message)
        self.message = message
        self.span = span


def _syntax_problem(message: str, span: ast.Span, source: str) -> SyntaxProblem:
    lines = source.split("\n")
    line = lines[span.line - 1] if 1 <= span.line <= len(lines) else ""
    return SyntaxProblem(message, span.line, span.column, line)


def _check_jumps(program: ast.Program, source: str) -> None:
    """`break`/`continue` belong in a loop and `return` in a function, as Python checks before
    running anything. Walks the statements with an explicit stack."""
    stack = [(statement, False, False) for statement in program.body]
    while stack:
        statement, in_loop, in_function = stack.pop()
        kind = type(statement)
        if kind in (ast.Break, ast.Continue) and not in_loop:
            word = "break" if kind is ast.Break else "continue"
            raise _syntax_problem(f"'{word}' outside loop", statement.span, source)
        if kind is ast.Return and not in_function:
            raise _syntax_problem("'return' outside function", statement.span, source)
        for body, loop in _bodies(statement):
            if kind is ast.FunctionDef:
                stack.extend((child, False, True) for child in body)
            else:
                stack.extend((child, in_loop or loop, in_function) for child in body)


def _bodies(statement) -> list:
    """The blocks nested in a compound statement, each with whether it is a loop body."""
    kind = type(statement)
    if kind is ast.If:
        return [(body, False) for _, body in statement.branches] + [(statement.orelse, False)]
    if kind in (ast.While, ast.For):
        return [(statement.body, True)]
    if kind in (ast.With, ast.FunctionDef):
        return [(statement.body, False)]
    if kind is ast.Try:
        return ([(statement.body, False), (statement.orelse, False), (statement.finalbody, False)]
                + [(handler.body, False) for handler in statement.handlers])
    return []


def _statements(items) -> tuple:
    """Flatten `simple_stmts` (a tuple of statements) into one statement tuple."""
    out = []
    for item in items:
        if isinstance(item, tuple):
            out.extend(item)
        elif item is not None:
            out.append(item)
    return tuple(out)


# Python refuses to convert longer decimal integers (sys.get_int_max_str_digits()).
MAX_INTEGER_DIGITS = 4300


def _number(text: str, span: ast.Span):
    text = text.replace("_", "")
    if text[:2].lower() in ("0x", "0b", "0o"):
        return int(text, 0)
    if "." in text or "e" in text or "E" in text:
        return float(text)
    if len(text) > MAX_INTEGER_DIGITS:
        raise _Misplaced(f"integer literal too long ({len(text):,} digits; the limit is "
                         f"{MAX_INTEGER_DIGITS:,})", span)
    if len(text) > 1 and text[0] == "0" and text.strip("0"):
        raise _Misplaced("leading zeros in decimal integer literals are not permitted; use an "
                         "0o prefix for octal integers", span)
    return int(text)


def _string(token: Token):
    """The value of a string literal (escapes decoded here, never by Python's eval)."""
    text = token.value
    prefix = ""
    while text[0] not in "\"'":
        prefix += text[0].lower()
        text = text[1:]
    quote = text[:3] if text[:3] in ('"""', "'''") else text[0]
    body = text[len(quote):-len(quote)]
    if "r" not in prefix:
        body = _unescape(body)
    return body, "f" in prefix


def _unescape(body: str) -> str:
    out = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch != "\\" or i + 1 == len(body):
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[nxt]
            digits = body[i + 2:i + 2 + width]
            try:
                out.append(chr(int(digits, 16)))
                i += 2 + width
            except ValueError:
                out.append(ch)
                i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _check_target(node, span: ast.Span):
    if isinstance(node, (ast.Name, ast.Attribute, ast.Index)):
        return node
    if isinstance(node, (ast.TupleExpr, ast.ListExpr)) and node.items:
        for item in node.items:
            _check_target(item, span)
        return node
    what = {ast.Call: "function call", ast.Number: "literal", ast.String: "literal",
            ast.Constant: "literal"}.get(type(node), "expression")
    raise _Misplaced(f"cannot assign to {what}", node.span if node.span.line else span)


def _import(c: list, span: ast.Span) -> ast.Import:
    """`import a.b` binds `a`; `import a.b as m` binds `a.b` to `m`."""
    path, alias = c
    root = path.split(".")[0]
    binding = (alias.value, path) if alias is not None else (root, root)
    return ast.Import(path, (binding,), span=span)


def _from_import(c: list, span: ast.Span) -> ast.Import:
    path, names = c
    return ast.Import(path, tuple((alias, f"{path}.{name}") for name, alias in names), span=span)


def _if(c: list, span: ast.Span) -> ast.If:
    condition, body, *rest = c
    branches = [(condition, body)]
    orelse = ()
    for clause in rest:
        if clause is None:
            continue
        if clause[0] == "elif":
            branches.append(clause[1:])
        else:
            orelse = clause[1]
    return ast.If(tuple(branches), orelse, span=span)


def _params(c: list, span: ast.Span) -> tuple:
    _check_defaults(c)
    return tuple((name, default) for name, default, _ in c)


def _call(c: list, span: ast.Span) -> ast.Call:
    func, arguments = c
    if not arguments:
        return ast.Call(func, (), (), span=span)
    # `**options` travels with the keywords: Keyword nodes and DoubleStarred ones.
    args = []
    keywords = []
    for argument in arguments:
        (keywords if type(argument) in _NAMED_ARGUMENTS else args).append(argument)
    if keywords:
        _check_argument_order(arguments)
    return ast.Call(func, tuple(args), tuple(keywords), span=span)


_NAMED_ARGUMENTS = (ast.Keyword, ast.DoubleStarred)


def _compare(c: list, span: ast.Span) -> ast.Compare:
    ops = tuple(" ".join(t.value.split()) for t in c[1::2])      # "is  not" -> "is not"
    return ast.Compare(ops, tuple(c[0::2]), span=span)


def _string_node(c: list, span: ast.Span) -> ast.String:
    parts = [_string(t) for t in c]       # adjacent literals concatenate: 'a' "b"
    return ast.String("".join(p[0] for p in parts), any(p[1] for p in parts), span=span)


def _binary(op: str):
    return lambda c, span: ast.BinOp(op, c[0], c[1], span=span)


def _optional_name(token) -> str | None:
    return token.value if token is not None else None


# One builder per grammar rule (or alias): children (markers removed) and span -> AST.
_BUILDERS = {
    # statements
    "simple_stmts": lambda c, span: tuple(c),
    "block": lambda c, span: _statements(c),
    "expr_stmt": lambda c, span: ast.ExprStmt(c[0], span=span),
    "assign": lambda c, span: ast.Assign(tuple(_check_target(t, span) for t in c[:-1]), c[-1],
                                         span=span),
    "aug_assign": lambda c, span: ast.AugAssign(_check_target(c[0], span),
                                                _AUGMENTED[c[1].value], c[2], span=span),
    "dotted_name": lambda c, span: ".".join(t.value for t in c),
    "import_stmt": _import,
    "import_names": lambda c, span: tuple(c),
    "import_name": lambda c, span: (c[0].value, c[1].value if c[1] is not None else c[0].value),
    "from_import": _from_import,
    "pass_stmt": lambda c, span: ast.Pass(span=span),
    "break_stmt": lambda c, span: ast.Break(span=span),
    "continue_stmt": lambda c, span: ast.Continue(span=span),
    "return_stmt": lambda c, span: ast.Return(c[0], span=span),
    "raise_stmt": lambda c, span: ast.Raise(c[0], span=span),
    "assert_stmt": lambda c, span: ast.Assert(c[0], c[1], span=span),
    "if_stmt": _if,
    "elif_clause": lambda c, span: ("elif", c[0], c[1]),
    "else_clause": lambda c, span: ("else", c[0]),
    "while_stmt": lambda c, span: ast.While(c[0], c[1], span=span),
    "target_tuple": lambda c, span: ast.TupleExpr(tuple(c), span=span),
    "for_stmt": lambda c, span: ast.For(c[0], c[1], c[2], span=span),
    "with_stmt": lambda c, span: ast.With(c[0], _optional_name(c[1]), c[2], span=span),
    "params": _params,
    "param": lambda c, span: (c[0].value, c[1], _span([c[0]])),
    "def_stmt": lambda c, span: ast.FunctionDef(c[0].value, c[1] or (), c[2], span=span),
    "decorator": lambda c, span: c[0],
    "decorated": lambda c, span: _decorated(c[-1], tuple(c[:-1]), span),
    "except_clause": lambda c, span: ast.Handler(c[0], _optional_name(c[1]), c[2], span=span),
    "finally_clause": lambda c, span: ("finally", c[0]),
    "try_stmt": lambda c, span: _try(c, span),
    # expressions
    **{op: _binary(op) for op in ("add", "sub", "mul", "div", "floordiv", "mod", "matmul",
                                  "pow")},
    "neg": lambda c, span: ast.UnaryOp("neg", c[0], span=span),
    "pos": lambda c, span: ast.UnaryOp("pos", c[0], span=span),
    "not_": lambda c, span: ast.UnaryOp("not", c[0], span=span),
    "and_": lambda c, span: ast.BoolOp("and", c[0], c[1], span=span),
    "or_": lambda c, span: ast.BoolOp("or", c[0], c[1], span=span),
    "compare": _compare,
    "ternary": lambda c, span: ast.Ternary(c[1], c[0], c[2], span=span),
    "tuple": lambda c, span: ast.TupleExpr(tuple(c), span=span),
    "empty_tuple": lambda c, span: ast.TupleExpr((), span=span),
    "list": lambda c, span: ast.ListExpr(c[0] or (), span=span),
    "list_items": lambda c, span: tuple(c),
    "dict": lambda c, span: ast.DictExpr(c[0] or (), span=span),
    "dict_items": lambda c, span: tuple(c),
    "dict_item": lambda c, span: (c[0], c[1]),
    "lambda_": lambda c, span: ast.Lambda(ast.FunctionDef(
        "<lambda>", c[0] or (), (ast.Return(c[1], span=c[1].span),), span=span), span=span),
    "subscripts": lambda c, span: tuple(c),
    "arguments": lambda c, span: tuple(c),
    "keyword": lambda c, span: ast.Keyword(c[0].value, c[1], span=span),
    "starred": lambda c, span: ast.Starred(c[0], span=span),
    "double_starred": lambda c, span: ast.DoubleStarred(c[0], span=span),
    "list_comp": lambda c, span: ast.Comprehension("list", c[0], tuple(c[1:]), span=span),
    "generator": lambda c, span: ast.Comprehension("generator", c[0], tuple(c[1:]), span=span),
    "comp_for": lambda c, span: ast.ComprehensionFor(c[0], c[1], tuple(c[2:]), span=span),
    "comp_if": lambda c, span: c[0],
    "call": _call,
    "attr": lambda c, span: ast.Attribute(c[0], c[1].value, span=span),
    "index": lambda c, span: ast.Index(c[0], c[1], span=span),
    "slice": lambda c, span: ast.Slice(c[0], c[1], c[2] if len(c) > 2 else None, span=span),
    "parenthesized": lambda c, span: _respanned(c[0], span),
    "ellipsis": lambda c, span: ast.EllipsisExpr(span=span),
    "number": lambda c, span: ast.Number(_number(c[0].value, span), span=span),
    "name": lambda c, span: ast.Name(c[0].value, span=span),
    "string": _string_node,
    "true": lambda c, span: ast.Constant(True, span=span),
    "false": lambda c, span: ast.Constant(False, span=span),
    "none": lambda c, span: ast.Constant(None, span=span),
}


def _decorated(definition: ast.FunctionDef, decorators: tuple, span: ast.Span):
    """`@d def f(): ...` is f with its decorators, spanning them too."""
    definition.decorators = decorators
    definition.span = span
    return definition


def _respanned(node, span: ast.Span):
    """`(x)` is x with the brackets' span (the parser made x just now: no one else holds it)."""
    node.span = span
    return node


def _try(c: list, span: ast.Span) -> ast.Try:
    body, *clauses = c
    handlers = tuple(clause for clause in clauses if isinstance(clause, ast.Handler))
    orelse = finalbody = ()
    for clause in clauses:
        if isinstance(clause, tuple) and clause[0] == "else":
            orelse = clause[1]
        elif isinstance(clause, tuple) and clause[0] == "finally":
            finalbody = clause[1]
    if not handlers and not finalbody:
        raise _Misplaced("expected 'except' or 'finally' block", span)
    if orelse and not handlers:
        raise _Misplaced("an 'else' block needs an 'except' block before it", span)
    for handler in handlers[:-1]:
        if handler.kind is None:
            raise _Misplaced("default 'except:' must be last", handler.span)
    return ast.Try(body, handlers, orelse, finalbody, span=span)


def _check_defaults(params: list) -> None:
    names = set()
    seen_default = False
    for name, default, span in params:
        if name in names:
            raise _Misplaced(f"duplicate argument '{name}' in function definition", span)
        names.add(name)
        if default is None and seen_default:
            raise _Misplaced("parameter without a default follows parameter with a default",
                             span)
        seen_default = seen_default or default is not None


def _check_argument_order(arguments: tuple) -> None:
    seen_keyword = set()
    for argument in arguments:
        if isinstance(argument, ast.DoubleStarred):
            seen_keyword.add(None)
        elif isinstance(argument, ast.Keyword):
            if argument.name in seen_keyword:
                raise _Misplaced(f"keyword argument repeated: {argument.name}", argument.span)
            seen_keyword.add(argument.name)
        elif seen_keyword and not isinstance(argument, ast.Starred):
            raise _Misplaced("positional argument follows keyword argument", argument.span)
