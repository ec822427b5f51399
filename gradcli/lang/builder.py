"""From Lark's parse tree to the AST, without recursion (a 5,000-deep expression must work:
Lark's own Transformer recurses, reference/cli-ecosystem.md §1.6)."""

from __future__ import annotations

from lark import Token, Tree

from gradcli.lang import ast
from gradcli.lang.parser import SyntaxProblem

_BINARY = {"add", "sub", "mul", "div", "floordiv", "mod", "matmul", "pow"}
_AUGMENTED = {"+=": "add", "-=": "sub", "*=": "mul", "/=": "div", "@=": "matmul",
              "**=": "pow", "^=": "pow"}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", "'": "'", '"': '"',
            "a": "\a", "b": "\b", "f": "\f", "v": "\v", "\n": ""}


def _span(item) -> ast.Span:
    if isinstance(item, Token):
        return ast.Span(item.line, item.column, item.end_line, item.end_column,
                        item.start_pos, item.end_pos)
    meta = item.meta
    if getattr(meta, "empty", True):
        return ast.NO_SPAN
    return ast.Span(meta.line, meta.column, meta.end_line, meta.end_column,
                    meta.start_pos, meta.end_pos)


def build(tree: Tree, source: str) -> ast.Program:
    built: dict[int, object] = {}
    stack = [(tree, False)]
    while stack:
        node, expanded = stack.pop()
        if not isinstance(node, Tree):
            continue
        if not expanded:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.children)
                         if isinstance(child, Tree))
            continue
        children = [built.pop(id(c)) if isinstance(c, Tree) else c for c in node.children]
        built[id(node)] = _make(node.data, children, _span(node), source)
    return built[id(tree)]


def _statements(items) -> tuple:
    """Flatten `simple_stmts` (a tuple of statements) into one statement tuple."""
    out = []
    for item in items:
        if isinstance(item, tuple):
            out.extend(item)
        elif item is not None:
            out.append(item)
    return tuple(out)


def _number(text: str):
    if any(c in text for c in ".eE"):
        return float(text)
    return int(text)


def _string(token: Token):
    """The value of a string literal (escapes decoded here, never by Python's eval)."""
    text = str(token)
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
    if isinstance(node, ast.TupleExpr):
        for item in node.items:
            _check_target(item, span)
        return node
    raise SyntaxProblem("cannot assign to this expression", span.line, span.column, "")


def _make(kind: str, c: list, span: ast.Span, source: str):
    if kind == "start":
        return ast.Program(_statements(c), source, span=span)
    if kind == "simple_stmts":
        return tuple(c)
    if kind == "block":
        return _statements(c)
    if kind == "expr_stmt":
        return ast.ExprStmt(c[0], span=span)
    if kind == "assign":
        return ast.Assign(_check_target(c[0], span), c[1], span=span)
    if kind == "aug_assign":
        return ast.AugAssign(_check_target(c[0], span), _AUGMENTED[str(c[1])], c[2], span=span)
    if kind == "dotted_name":
        return ".".join(str(t) for t in c)
    if kind == "import_stmt":
        path, alias = c
        return ast.Import(((str(alias) if alias else path.split(".")[0],
                            path if alias else path.split(".")[0]),), span=span)
    if kind == "import_names":
        return tuple(c)
    if kind == "import_name":
        return (str(c[0]), str(c[1]) if c[1] is not None else str(c[0]))
    if kind == "from_import":
        path, names = c
        return ast.Import(tuple((alias, f"{path}.{name}") for name, alias in names), span=span)
    if kind == "pass_stmt":
        return ast.Pass(span=span)
    if kind == "break_stmt":
        return ast.Break(span=span)
    if kind == "continue_stmt":
        return ast.Continue(span=span)
    if kind == "return_stmt":
        return ast.Return(c[0], span=span)
    if kind == "if_stmt":
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
    if kind == "elif_clause":
        return ("elif", c[0], c[1])
    if kind == "else_clause":
        return ("else", c[0])
    if kind == "while_stmt":
        return ast.While(c[0], c[1], span=span)
    if kind == "for_target":
        return tuple(str(t) for t in c)
    if kind == "for_stmt":
        return ast.For(c[0], c[1], c[2], span=span)
    if kind == "with_stmt":
        return ast.With(c[0], str(c[1]) if c[1] is not None else None, c[2], span=span)
    if kind == "params":
        return tuple(str(t) for t in c)
    if kind == "def_stmt":
        return ast.FunctionDef(str(c[0]), c[1] or (), c[2], span=span)
    # ----- expressions
    if kind in _BINARY:
        return ast.BinOp(kind, c[0], c[1], span=span)
    if kind in ("neg", "pos"):
        return ast.UnaryOp(kind, c[0], span=span)
    if kind == "not_":
        return ast.UnaryOp("not", c[0], span=span)
    if kind in ("and_", "or_"):
        return ast.BoolOp(kind[:-1], c[0], c[1], span=span)
    if kind == "compare":
        operands = tuple(c[0::2])
        ops = tuple(" ".join(str(t).split()) for t in c[1::2])
        return ast.Compare(ops, operands, span=span)
    if kind == "ternary":
        return ast.Ternary(c[1], c[0], c[2], span=span)
    if kind == "tuple":
        return ast.TupleExpr(tuple(c), span=span)
    if kind == "empty_tuple":
        return ast.TupleExpr((), span=span)
    if kind == "list":
        return ast.ListExpr(c[0] or (), span=span)
    if kind in ("list_items", "subscripts"):
        return tuple(c)
    if kind == "arguments":
        return tuple(c)
    if kind == "keyword":
        return ast.Keyword(str(c[0]), c[1], span=span)
    if kind == "call":
        func, arguments = c
        arguments = arguments or ()
        args = tuple(a for a in arguments if not isinstance(a, ast.Keyword))
        keywords = tuple(a for a in arguments if isinstance(a, ast.Keyword))
        return ast.Call(func, args, keywords, span=span)
    if kind == "attr":
        return ast.Attribute(c[0], str(c[1]), span=span)
    if kind == "index":
        return ast.Index(c[0], c[1], span=span)
    if kind == "slice":
        return ast.Slice(c[0], c[1], c[2] if len(c) > 2 else None, span=span)
    if kind == "ellipsis":
        return ast.EllipsisExpr(span=span)
    if kind == "number":
        return ast.Number(_number(str(c[0])), span=span)
    if kind == "name":
        return ast.Name(str(c[0]), span=span)
    if kind == "string":
        parts = [_string(t) for t in c]
        return ast.String("".join(p[0] for p in parts), any(p[1] for p in parts), span=span)
    if kind in ("true", "false", "none"):
        return ast.Constant({"true": True, "false": False, "none": None}[kind], span=span)
    raise AssertionError(f"grammar rule without a builder: {kind}")
