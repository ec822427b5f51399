"""`gradcli eval --latex`: the run as a LaTeX fragment a student can paste into homework.

One `align*` environment (amsmath): the leaves and their values, each top-level assignment and
expression typeset from the syntax tree, each expression's value (one without a value, such as
`print(...)` or `y.backward()`, is left out), then each leaf's gradient as
`\\frac{\\partial F}{\\partial x}` (F the last expression, when it is the 0-d tensor eval
differentiated; otherwise the gradient is labelled `x.grad`, as the program made it).

Typesetting: `*` is `\\cdot` (a number in front is juxtaposed: `3 x`), `/` a `\\frac`, `**` a
superscript, `@` juxtaposition (the matrix product), `//` a floored fraction, indexing a
subscript, `.T` a superscript T; functions LaTeX knows (`\\exp`, `\\log`, `\\sin`, ...) by
their command, `sqrt` and `abs` by their signs, the rest as `\\operatorname{name}` (a module
prefix such as `torch.` or `F.` is dropped, a method's object is its first argument). Brackets
are kept where the program has them, so the typeset expression groups exactly as it computes.
Other syntax (lambdas, comprehensions, conditionals) is shown as typed, in `\\texttt`.

Numbers follow PyTorch's print decisions (gradcli/engine/printing.py: one mode for the whole
tensor, 4 decimals, scientific when the magnitudes demand it), with `1.2346 \\times 10^{8}` for
`1.2346e+08` and no trailing dot on whole numbers (`14` for PyTorch's `14.`). A tensor is a
`bmatrix` (a 1-d one a row, as PyTorch lays it out; an `array` past amsmath's 10 columns), a
large one summarised with `\\cdots`/`\\vdots` as PyTorch summarises it; 3 or more dims are named
by their shape instead. User names are escaped: `x_1` is `x_{1}`, `alpha` is `\\alpha`, any
other name with several letters `\\mathit{...}` with `_` escaped.

Every walk over the syntax tree uses an explicit stack: expressions thousands of levels deep
render without recursion.
"""

from __future__ import annotations

import re

import numpy as np

from gradcli.engine.printing import EDGEITEMS, THRESHOLD, _Formatter, _summarized
from gradcli.engine.tensor import Tensor
from gradcli.lang import ast

# ----- precedence of a typeset fragment (higher binds tighter) ---------------------------------

# a fraction groups itself next to + and *, but is bracketed as a power's base
OR, AND, NOT, COMPARE, ADD, MUL, UNARY, FRACTION, POWER, ATOM = range(1, 11)

BINARY = {"add": ADD, "sub": ADD, "mul": MUL, "matmul": MUL, "mod": MUL}
COMPARISONS = {"==": "=", "!=": r"\neq", "<": "<", "<=": r"\leq", ">": ">", ">=": r"\geq",
               "is": r"\mathrel{\text{is}}", "is not": r"\mathrel{\text{is not}}",
               "in": r"\in", "not in": r"\notin"}

# functions with a LaTeX command of their own
COMMANDS = {"exp": r"\exp", "log": r"\log", "sin": r"\sin", "cos": r"\cos", "tan": r"\tan",
            "sinh": r"\sinh", "cosh": r"\cosh", "tanh": r"\tanh", "asin": r"\arcsin",
            "arcsin": r"\arcsin", "acos": r"\arccos", "arccos": r"\arccos",
            "atan": r"\arctan", "arctan": r"\arctan", "max": r"\max", "min": r"\min",
            "det": r"\det", "log2": r"\log_{2}", "log10": r"\log_{10}"}
MODULES = {"torch", "F", "math", "nn", "functional", "linalg", "np"}
CONSTANTS = {"pi": r"\pi", "e": "e", "inf": r"\infty", "nan": r"\mathrm{nan}"}
TRANSPOSES = {"T": r"\mathsf{T}", "mT": r"\mathsf{T}", "H": r"\mathsf{H}", "mH": r"\mathsf{H}"}
GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
         "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
         "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi",
         "Omega", "varepsilon", "vartheta", "varphi"}
# a base, then a subscript after `_` or a number straight after it: x_1, x1, theta_hat
NAME_PARTS = re.compile(r"([A-Za-z]+?)(?:_([A-Za-z0-9]+)|([0-9]+))?")
TEXT_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
                "#": r"\#", "^": r"\textasciicircum{}", "_": r"\_", "%": r"\%",
                "~": r"\textasciitilde{}"}
MAX_MATRIX_COLUMNS = 10     # amsmath's MaxMatrixCols: a wider bmatrix is a LaTeX error


class Fragment:
    """Typeset text with what its neighbours need to know: how tightly it binds, whether it
    ends in a sub- or superscript (another would be a "double script" error), whether it
    starts with a sign, and whether it is a number literal (which multiplies by
    juxtaposition). While an expression is built, `text` is a rope, nested lists of strings
    (sharing a child's text instead of copying it keeps a deep expression linear); `typeset`
    returns it joined into one string."""

    __slots__ = ("text", "precedence", "scripts", "signed", "number")

    def __init__(self, text, precedence: int = ATOM, scripts: str = "", signed: bool = False,
                 number: bool = False) -> None:
        self.text, self.precedence, self.scripts = text, precedence, scripts
        self.signed, self.number = signed, number


def _joined(rope) -> str:
    """A rope's strings in order, without recursion."""
    pieces, stack = [], [rope]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            pieces.append(item)
        else:
            stack.extend(reversed(item))
    return "".join(pieces)


def _separated(separator: str, ropes: list) -> list:
    joined = []
    for position, rope in enumerate(ropes):
        joined += [separator, rope] if position else [rope]
    return joined


# ----- escaping --------------------------------------------------------------------------------

def underscores(name: str) -> str:
    """A name inside `\\mathrm{}`, `\\mathit{}` or `\\operatorname{}`: only `_` needs escaping."""
    return name.replace("_", r"\_")


def text_escape(text: str) -> str:
    """Text for `\\text{}` / `\\texttt{}`: LaTeX's special characters made literal."""
    return "".join(TEXT_ESCAPES.get(c, c) for c in text)


def _letter(part: str) -> str:
    return "\\" + part if part in GREEK else part


def name_latex(name: str) -> str:
    """A user's name: `x`, `x_{1}` (for `x_1` or `x1`), `\\alpha`, `\\theta_{\\mathrm{hat}}`,
    `\\mathit{lr}`: a letter or Greek letter keeps a subscript, any other name is italic."""
    match = NAME_PARTS.fullmatch(name)
    if match and (len(match[1]) == 1 or match[1] in GREEK):
        base, sub = _letter(match[1]), match[2] or match[3]
        if sub is None:
            return base
        if sub in GREEK:
            sub = "\\" + sub
        elif len(sub) > 1 and not sub.isdigit():
            sub = rf"\mathrm{{{sub}}}"
        return f"{base}_{{{sub}}}"
    if re.fullmatch(r"[A-Za-z0-9_]+", name):
        return rf"\mathit{{{underscores(name)}}}"
    return rf"\text{{{text_escape(name)}}}"


def operator_name(name: str) -> str:
    return COMMANDS.get(name) or rf"\operatorname{{{underscores(name)}}}"


# ----- numbers ---------------------------------------------------------------------------------

def number_latex(text: str) -> str:
    """A number as PyTorch or Python wrote it, in math: `1.5e-05` is `1.5 \\times 10^{-5}`,
    a trailing dot goes, inf and nan get symbols."""
    negative = text.startswith("-")
    body = text[1:] if negative else text
    if body == "inf":
        body = r"\infty"
    elif body == "nan":
        body = r"\mathrm{nan}"
    elif body in ("True", "False"):
        body = rf"\mathrm{{{body}}}"
    elif "e" in body:
        mantissa, exponent = body.split("e")
        body = rf"{mantissa.rstrip('.')} \times 10^{{{int(exponent)}}}"
    elif body.endswith("."):              # PyTorch's mark of a whole float: `14.`
        body = body[:-1]
    return ("-" if negative else "") + body


PRINTED_NUMBER = re.compile(r"[^\s\[\](),]+")


def numbers_latex(printed: str) -> str:
    """What PyTorch printed for a tensor's elements (brackets, commas, numbers) in math, each
    number as `number_latex` writes it: `[[1.5000e-05, 3.]]` is `[[1.5000 \\times 10^{-5}, 3]]`,
    a summary's `...` is `\\ldots`."""
    return PRINTED_NUMBER.sub(
        lambda number: r"\ldots" if number[0] == "..." else number_latex(number[0]), printed)


def _rows(values: np.ndarray, texts, summarize: bool) -> list:
    """The rows of a 1-d or 2-d tensor as lists of cell texts, with PyTorch's summary: the
    first and last EDGEITEMS of a long dim, `\\cdots`/`\\vdots`/`\\ddots` in between."""
    matrix = values.reshape(1, -1) if values.ndim == 1 else values

    def kept(size):
        if summarize and size > 2 * EDGEITEMS:
            return list(range(EDGEITEMS)) + [None] + list(range(size - EDGEITEMS, size))
        return list(range(size))

    columns = kept(matrix.shape[1])
    rows = []
    for i in kept(matrix.shape[0]):
        if i is None:
            rows.append([r"\ddots" if j is None else r"\vdots" for j in columns])
        else:
            rows.append([r"\cdots" if j is None else texts(matrix[i, j]) for j in columns])
    return rows


def tensor_latex(tensor: Tensor) -> str:
    """A tensor's value: a number if 0-d, a bmatrix if 1-d or 2-d, else its shape in words."""
    values = tensor._data
    shape = r" \times ".join(str(n) for n in values.shape)
    if values.size == 0:
        return rf"\text{{empty, shape }} ({', '.join(str(n) for n in values.shape)})"
    if values.ndim > 2:
        return rf"\text{{a }} {shape} \text{{ tensor (LaTeX output shows up to 2 dims)}}"
    summarize = values.size > THRESHOLD
    formatter = _Formatter(_summarized(values) if summarize else values)

    def texts(value) -> str:
        return number_latex(formatter._text(value.item()))

    if values.ndim == 0:
        return texts(values)
    rows = _rows(values, texts, summarize)
    body = r" \\ ".join(" & ".join(row) for row in rows)
    if len(rows[0]) <= MAX_MATRIX_COLUMNS:
        return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"
    return rf"\left[\begin{{array}}{{{'r' * len(rows[0])}}} {body} \end{{array}}\right]"


def value_latex(value) -> str:
    """Any output value: tensors, numbers, tuples (max(dim)'s values and indices), else text."""
    stack, parts = [(value, False)], []
    while stack:                          # a tuple of tuples, flattened without recursion
        item, closing = stack.pop()
        if closing:
            parts.append(item)
        elif isinstance(item, Tensor):
            parts.append(tensor_latex(item))
        elif isinstance(item, bool) or item is None:
            parts.append(rf"\mathrm{{{item}}}")
        elif isinstance(item, (int, float)):
            parts.append(number_latex(repr(item)))
        elif isinstance(item, tuple):
            stack.append((r"\right)", True))
            for position, element in enumerate(reversed(item)):
                stack.append((element, False))
                if position < len(item) - 1:
                    stack.append((", ", True))
            stack.append((r"\left(", True))
        else:
            parts.append(rf"\text{{{text_escape(str(item))}}}")
    return "".join(parts)


# ----- expressions -----------------------------------------------------------------------------

def _module_path(node) -> str | None:
    """`torch.nn.functional` for an attribute chain rooted at a module name, else None."""
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.name)
        node = node.obj
    if isinstance(node, ast.Name) and node.id in MODULES:
        return ".".join([node.id] + names[::-1])
    return None


def _call_parts(node: ast.Call):
    """(function name, argument nodes) of a call: `torch.exp(x)` and `exp(x)` are ("exp", [x]),
    the method `x.sum(1)` is ("sum", [x, 1]); keywords follow as Keyword nodes. None when the
    callee is an expression (a lambda's result, ...)."""
    func = node.func
    if any(isinstance(a, (ast.Starred, ast.DoubleStarred)) for a in node.args):
        return None
    if isinstance(func, ast.Name):
        return func.id, list(node.args) + list(node.keywords)
    if isinstance(func, ast.Attribute):
        if _module_path(func.obj) is not None or (isinstance(func.obj, ast.Name)
                                                  and func.obj.id in MODULES):
            return func.name, list(node.args) + list(node.keywords)
        return func.name, [func.obj] + list(node.args) + list(node.keywords)
    return None


def _children(node) -> list:
    """The sub-expressions a node's typesetting is made of, in order."""
    kind = type(node)
    if kind is ast.BinOp or kind is ast.BoolOp:
        return [node.left, node.right]
    if kind is ast.UnaryOp:
        return [node.operand]
    if kind is ast.Compare:
        return list(node.operands)
    if kind is ast.Call:
        parts = _call_parts(node)
        return [] if parts is None else parts[1]
    if kind is ast.Keyword:
        return [node.value]
    if kind is ast.Attribute:
        return [] if _module_path(node) is not None else [node.obj]
    if kind is ast.Index:
        return [node.obj, *node.subscripts]
    if kind is ast.Slice:
        return [part for part in (node.lower, node.upper, node.step) if part is not None]
    if kind is ast.ListExpr or kind is ast.TupleExpr:
        return list(node.items)
    return []


def typeset(expression, source: str) -> Fragment:
    """The expression's LaTeX, built bottom-up with an explicit stack."""
    done: dict = {}
    stack = [(expression, False)]
    while stack:
        node, ready = stack.pop()
        if ready:
            done[id(node)] = _render(node, [done.pop(id(c)) for c in _children(node)], source)
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(_children(node)))
    result = done[id(expression)]
    result.text = _joined(result.text)
    return result


def _bracketed(fragment: Fragment) -> list:
    return [r"\left(", fragment.text, r"\right)"]


def _wrap(fragment: Fragment, below: int):
    """The fragment's text, in brackets when it binds less tightly than `below`."""
    return _bracketed(fragment) if fragment.precedence < below else fragment.text


def _operand(fragment: Fragment, below: int):
    """A right operand: bracketed when looser than `below`, and a leading sign always."""
    return _bracketed(fragment) if fragment.signed else _wrap(fragment, below)


def _attach(base: Fragment, script: str, argument, precedence: int = ATOM) -> Fragment:
    """`base` with a sub- or superscript (`script` is "_" or "^"): the base is bracketed below
    an atom, and braced when it already ends in that kind of script (`x_{1}^{2}` is fine,
    `x_{1}_{0}` is LaTeX's "double subscript" error)."""
    text = _wrap(base, ATOM)
    inside = base.precedence >= ATOM
    scripts = base.scripts if inside else ""
    if script in scripts:
        text, scripts = ["{", text, "}"], ""
    return Fragment([text, script, "{", argument, "}"], precedence, scripts + script,
                    signed=inside and base.signed)


def _render(node, parts: list, source: str) -> Fragment:
    kind = type(node)
    if kind is ast.Name:
        text = name_latex(node.id)
        return Fragment(text, scripts="_" if "_{" in text else "")
    if kind is ast.Number:
        text = number_latex(repr(node.value))
        if r"\times" in text:            # 1 \times 10^{-5}: a product, multiplied by \cdot
            return Fragment(text, MUL)
        return Fragment(text, number=True)
    if kind is ast.Constant:
        return Fragment(rf"\mathrm{{{node.value}}}")
    if kind is ast.String and not node.is_fstring:
        return Fragment(rf"\text{{'{text_escape(node.value)}'}}")
    if kind is ast.BinOp:
        return _binary(node.op, *parts)
    if kind is ast.UnaryOp:
        operand = parts[0]
        if node.op == "not":
            return Fragment([r"\lnot ", _wrap(operand, NOT + 1)], NOT)
        text = _bracketed(operand) if operand.precedence <= UNARY else operand.text
        return Fragment(["-" if node.op == "neg" else "+", text], UNARY, signed=True)
    if kind is ast.BoolOp:
        symbol, level = (r" \land ", AND) if node.op == "and" else (r" \lor ", OR)
        return Fragment([_wrap(parts[0], level), symbol, _operand(parts[1], level + 1)], level,
                        signed=parts[0].signed and parts[0].precedence >= level)
    if kind is ast.Compare:
        text = [_wrap(parts[0], COMPARE + 1)]
        for op, right in zip(node.ops, parts[1:]):
            text += [f" {COMPARISONS[op]} ", _operand(right, COMPARE + 1)]
        return Fragment(text, COMPARE, signed=parts[0].signed and parts[0].precedence > COMPARE)
    if kind is ast.Keyword:
        return Fragment([rf"\mathrm{{{underscores(node.name)}}}=", parts[0].text], COMPARE)
    if kind is ast.Call and _call_parts(node) is not None:
        return _function(_call_parts(node)[0], parts)
    if kind is ast.Attribute:
        return _attribute(node, parts)
    if kind is ast.Index:
        return _attach(parts[0], "_", _separated(",", [p.text for p in parts[1:]]))
    if kind is ast.Slice:
        texts = iter(p.text for p in parts)
        pieces = [next(texts) if part is not None else ""
                  for part in (node.lower, node.upper, node.step)]
        return Fragment(_separated(":", pieces[:2] if node.step is None else pieces))
    if kind is ast.EllipsisExpr:
        return Fragment(r"\ldots")
    if kind is ast.ListExpr:
        return Fragment([r"\left[", _separated(", ", [p.text for p in parts]), r"\right]"])
    if kind is ast.TupleExpr:
        return Fragment([r"\left(", _separated(", ", [p.text for p in parts]), r"\right)"])
    # anything else (a lambda, a comprehension, a conditional): as typed
    return Fragment(rf"\texttt{{{text_escape(source[node.span.start:node.span.end])}}}")


SYMBOLS = {"add": " + ", "sub": " - ", "mul": r" \cdot ", "matmul": " ", "mod": r" \bmod "}


def _binary(op: str, left: Fragment, right: Fragment) -> Fragment:
    if op == "div":
        return Fragment([r"\frac{", left.text, "}{", right.text, "}"], FRACTION)
    if op == "floordiv":
        return Fragment([r"\left\lfloor\frac{", left.text, "}{", right.text, r"}\right\rfloor"])
    if op == "pow":
        return _attach(left, "^", right.text, POWER)
    level = BINARY[op]
    left_text = _wrap(left, level)
    signed = left.signed and left.precedence >= level
    if right.precedence == level or right.signed:
        right_text = _operand(right, level + 1)
    else:
        right_text = _wrap(right, level)
    if op == "mul" and left.number and not right.number and right.precedence > ADD:
        return Fragment([left_text, " ", right_text], level)   # 3 x, 2 \left(-x\right)
    return Fragment([left_text, SYMBOLS[op], right_text], level, signed=signed)


def _function(name: str, parts: list) -> Fragment:
    only = parts[0] if len(parts) == 1 else None
    if name == "sqrt" and only is not None:
        return Fragment([r"\sqrt{", only.text, "}"])
    if name == "abs" and only is not None:
        return Fragment([r"\left|", only.text, r"\right|"])
    if name == "norm" and only is not None:
        return Fragment([r"\left\lVert ", only.text, r" \right\rVert"])
    if name in ("pow", "float_power") and len(parts) == 2 and parts[1].precedence != COMPARE:
        return _binary("pow", parts[0], parts[1])
    if name in ("t", "transpose") and only is not None:
        return _attach(only, "^", TRANSPOSES["T"])
    if name == "square" and only is not None:
        return _binary("pow", only, Fragment("2"))
    arguments = _separated(", ", [p.text for p in parts])
    return Fragment([operator_name(name), r"\left(", arguments, r"\right)"])


def _attribute(node: ast.Attribute, parts: list) -> Fragment:
    path = _module_path(node)
    if path is not None:                  # torch.pi, math.inf, torch.float64
        constant = CONSTANTS.get(node.name)
        return Fragment(constant or rf"\mathrm{{{text_escape(path)}}}")
    base = parts[0]
    if node.name in TRANSPOSES:
        return _attach(base, "^", TRANSPOSES[node.name])
    return Fragment([_wrap(base, ATOM), rf".\mathrm{{{underscores(node.name)}}}"],
                    signed=base.signed and base.precedence >= ATOM)


# ----- the document ----------------------------------------------------------------------------

def _assigned_names(program) -> set:
    return {target.id for stmt in program.body if type(stmt) is ast.Assign
            for target in stmt.targets if type(target) is ast.Name}


def render_latex(program, report) -> str:
    """The LaTeX fragment for a finished eval: leaves, statements, values, gradients."""
    source = program.source
    lines, skipped = [], False
    assigned = _assigned_names(program)
    for name, leaf in report.grads.items():
        if name not in assigned:
            lines.append(f"{name_latex(name)} &= {value_latex(leaf.detach())}")
    outputs = iter(report.outputs)
    last_expression = last_value = None
    for stmt in program.body:
        if type(stmt) is ast.Assign and all(type(t) is ast.Name for t in stmt.targets):
            targets = " = ".join(name_latex(t.id) for t in stmt.targets)
            lines.append(f"{targets} &= {typeset(stmt.value, source).text}")
        elif type(stmt) is ast.ExprStmt:
            output = next(outputs, None)
            if output is None:            # the run stopped before this statement
                break
            last_expression = typeset(stmt.expr, source)
            last_value = output[1]
            if last_value is not None:        # print(...), y.backward(): actions, not values
                lines.append(f"{last_expression.text} &= {value_latex(last_value)}")
        else:
            skipped = True
    differentiated = (last_value is not None and last_value is report.root
                      and report.root.ndim == 0)
    for name, leaf in report.grads.items():
        if differentiated:
            label = (rf"\frac{{\partial {_joined(_wrap(last_expression, POWER))}}}"
                     rf"{{\partial {name_latex(name)}}}")
        else:
            label = rf"\texttt{{{text_escape(name)}.grad}}"
        grad = leaf.grad
        lines.append(f"{label} &= {value_latex(grad)}")
    header = [r"% gradcli eval --latex (needs \usepackage{amsmath})"]
    if skipped:
        header.append("% statements other than assignments and expressions are not typeset")
    if report.error is not None:
        header.append(f"% {report.error.type}: {report.error.message}".replace("\n", " "))
    if not lines:
        return "\n".join(header) + "\n"
    body = " \\\\\n".join(lines)
    return "\n".join(header) + "\n\\begin{align*}\n" + body + "\n\\end{align*}\n"

