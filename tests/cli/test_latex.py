"""`gradcli eval --latex`'s renderer (gradcli/render/latex.py), through its own API: typeset
expressions and whole documents checked by hand, PyTorch's number formats, name escaping,
5,000-deep expressions, balanced braces and no double scripts over many random expressions,
and, where a LaTeX compiler is installed, documents that compile."""

import random
import shutil
import sys

import numpy as np
import pytest

from cli_support import compile_latex
from gradcli.cli.evaluate import EvalOptions, run_eval
from gradcli.cli.session import Source, parse_bindings
from gradcli.engine import dtypes
from gradcli.engine.factories import tensor
from gradcli.lang import ast
from gradcli.lang.builder import build
from gradcli.lang.parser import parse
from gradcli.render import latex


def typeset(text: str) -> str:
    program = build(parse(text), text)
    return latex.typeset(program.body[-1].expr, text).text


def document(text: str, *at: str) -> str:
    program = build(parse(text), text)
    report, _ = run_eval(Source(text, "<expr>"), program, parse_bindings(list(at), []),
                         EvalOptions())
    return latex.render_latex(program, report)


# ----- expressions (each checked by hand against the Python it comes from) ----------------------

@pytest.mark.parametrize("text, expected", [
    ("mean(3*(x+2)**2)", r"\operatorname{mean}\left(3 \left(x + 2\right)^{2}\right)"),
    ("mean(3*(x+2)^2)", r"\operatorname{mean}\left(3 \left(x + 2\right)^{2}\right)"),
    ("x * y", r"x \cdot y"),
    ("2 * x", "2 x"),
    ("x * 2", r"x \cdot 2"),
    ("1e-05 * x", r"1 \times 10^{-5} \cdot x"),
    ("a / (b + c)", r"\frac{a}{b + c}"),
    ("(a / b) ** 2", r"\left(\frac{a}{b}\right)^{2}"),
    ("a ** b ** c", "a^{b^{c}}"),
    ("(a ** b) ** c", r"\left(a^{b}\right)^{c}"),
    ("-x ** 2", "-x^{2}"),
    ("(-x) ** 2", r"\left(-x\right)^{2}"),
    ("-(x * y)", r"-\left(x \cdot y\right)"),
    ("a - (b - c)", r"a - \left(b - c\right)"),
    ("a - b - c", "a - b - c"),
    ("a * (b * c)", r"a \cdot \left(b \cdot c\right)"),
    ("a - -b", r"a - \left(-b\right)"),
    ("x * -2", r"x \cdot \left(-2\right)"),
    ("(a + b) * c", r"\left(a + b\right) \cdot c"),
    ("A @ B @ C", "A B C"),
    ("A @ (B + C)", r"A \left(B + C\right)"),
    ("a // b", r"\left\lfloor\frac{a}{b}\right\rfloor"),
    ("a % b", r"a \bmod b"),
    ("x[0]", "x_{0}"),
    ("x[0, 1:3]", "x_{0,1:3}"),
    ("x[:, ::2]", "x_{:,::2}"),
    ("x[..., -1]", r"x_{\ldots,-1}"),
    ("x_1[0]", "{x_{1}}_{0}"),
    ("(a + b)[0]", r"\left(a + b\right)_{0}"),
    ("x.T", r"x^{\mathsf{T}}"),
    ("x.T ** 2", r"{x^{\mathsf{T}}}^{2}"),
    ("x[0] ** 2", "x_{0}^{2}"),
    ("b_hat.T[0].T", r"{b_{\mathrm{hat}}^{\mathsf{T}}}_{0}^{\mathsf{T}}"),
    ("x_1.T", r"x_{1}^{\mathsf{T}}"),
    ("W.t()", r"W^{\mathsf{T}}"),
    ("x.exp().sum()", r"\operatorname{sum}\left(\exp\left(x\right)\right)"),
    ("torch.exp(x)", r"\exp\left(x\right)"),
    ("torch.log10(x)", r"\log_{10}\left(x\right)"),
    ("torch.sqrt(x + 1)", r"\sqrt{x + 1}"),
    ("abs(x)", r"\left|x\right|"),
    ("x.norm()", r"\left\lVert x \right\rVert"),
    ("x.norm(p=1)", r"\operatorname{norm}\left(x, \mathrm{p}=1\right)"),
    ("torch.pow(x, 3)", "x^{3}"),
    ("x.square()", "x^{2}"),
    ("F.log_softmax(x, dim=1)", r"\operatorname{log\_softmax}\left(x, \mathrm{dim}=1\right)"),
    ("torch.nn.functional.relu(x)", r"\operatorname{relu}\left(x\right)"),
    ("x.sum(dim=1, keepdim=True)",
     r"\operatorname{sum}\left(x, \mathrm{dim}=1, \mathrm{keepdim}=\mathrm{True}\right)"),
    ("F.mse_loss(x, y, reduction='sum')",
     r"\operatorname{mse\_loss}\left(x, y, \mathrm{reduction}=\text{'sum'}\right)"),
    ("torch.pi * r ** 2", r"\pi \cdot r^{2}"),
    ("x.to(torch.float64)", r"\operatorname{to}\left(x, \mathrm{torch.float64}\right)"),
    ("x.grad", r"x.\mathrm{grad}"),
    ("torch.tensor([1.0, 2.5])", r"\operatorname{tensor}\left(\left[1.0, 2.5\right]\right)"),
    ("a < b <= c", r"a < b \leq c"),
    ("a != b", r"a \neq b"),
    ("not a and b", r"\lnot a \land b"),
    ("x if c else y", r"\texttt{x if c else y}"),
    ("(lambda t: t * 2)(x)", r"\texttt{(lambda t: t * 2)(x)}"),
    ("max(x)", r"\max\left(x\right)"),
    ("torch.sin(theta) * alpha_2", r"\sin\left(\theta\right) \cdot \alpha_{2}"),
])
def test_expressions_are_typeset(text, expected):
    assert typeset(text) == expected


@pytest.mark.parametrize("name, expected", [
    ("x", "x"), ("x_1", "x_{1}"), ("W_12", "W_{12}"), ("x_i", "x_{i}"),
    ("theta_hat", r"\theta_{\mathrm{hat}}"), ("alpha", r"\alpha"), ("sigma_x", r"\sigma_{x}"),
    ("x_alpha", r"x_{\alpha}"), ("lr", r"\mathit{lr}"), ("my_var", r"\mathit{my\_var}"),
    ("x_1_2", r"\mathit{x\_1\_2}"), ("_x", r"\mathit{\_x}"), ("x2", "x_{2}"),
    ("w12", "w_{12}"), ("theta0", r"\theta_{0}"), ("lr2", r"\mathit{lr2}"),
    ("x2a", r"\mathit{x2a}"),
])
def test_names_are_escaped(name, expected):
    assert latex.name_latex(name) == expected


def test_text_escapes_every_special_character():
    assert latex.text_escape(r"50% & $x_1$ #2 {a} ~ ^ \ ") == (
        r"50\% \& \$x\_1\$ \#2 \{a\} \textasciitilde{} \textasciicircum{} \textbackslash{} ")


# ----- values: PyTorch's print decisions ----------------------------------------------------

@pytest.mark.parametrize("values, dtype, expected", [
    (14.0, "float32", "14"),
    ([1.0, 2.0, 3.0], "float32", r"\begin{bmatrix} 1 & 2 & 3 \end{bmatrix}"),
    ([[1.5, -2.0], [0.25, 3.0]], "float32",
     r"\begin{bmatrix} 1.5000 & -2.0000 \\ 0.2500 & 3.0000 \end{bmatrix}"),
    ([1e-5, 1.0], "float64", r"\begin{bmatrix} 1.0000 \times 10^{-5} & 1.0000 \times 10^{0} "
                             r"\end{bmatrix}"),
    ([123456789.0], "float64", r"\begin{bmatrix} 1.2346 \times 10^{8} \end{bmatrix}"),
    ([float("nan"), float("-inf"), 1.0], "float32",
     r"\begin{bmatrix} \mathrm{nan} & -\infty & 1 \end{bmatrix}"),
    ([3, -4], "int64", r"\begin{bmatrix} 3 & -4 \end{bmatrix}"),
    ([True, False], "bool", r"\begin{bmatrix} \mathrm{True} & \mathrm{False} \end{bmatrix}"),
])
def test_tensor_values(values, dtype, expected):
    assert latex.tensor_latex(tensor(values, dtype=dtypes.BY_NAME[dtype])) == expected


def test_wide_rows_use_an_array_and_large_tensors_are_summarised():
    wide = latex.tensor_latex(tensor([float(i) for i in range(12)]))
    assert wide.startswith(r"\left[\begin{array}{rrrrrrrrrrrr} 0 & 1 & ")
    assert wide.endswith(r"& 11 \end{array}\right]")
    # 1 to 900 (PyTorch's whole-number mode; a range past 1000x would be scientific)
    big = latex.tensor_latex(tensor((np.arange(2000.0) % 900 + 1).reshape(40, 50).tolist()))
    assert big == (r"\begin{bmatrix} 1 & 2 & 3 & \cdots & 48 & 49 & 50 \\ "
                   r"51 & 52 & 53 & \cdots & 98 & 99 & 100 \\ "
                   r"101 & 102 & 103 & \cdots & 148 & 149 & 150 \\ "
                   r"\vdots & \vdots & \vdots & \ddots & \vdots & \vdots & \vdots \\ "
                   r"51 & 52 & 53 & \cdots & 98 & 99 & 100 \\ "
                   r"101 & 102 & 103 & \cdots & 148 & 149 & 150 \\ "
                   r"151 & 152 & 153 & \cdots & 198 & 199 & 200 \end{bmatrix}")
    science = latex.tensor_latex(tensor(np.arange(2000.0).reshape(40, 50).tolist()))
    assert science.startswith(r"\begin{bmatrix} 0.0000 \times 10^{0} & 1.0000 \times 10^{0}")


def test_empty_and_many_dimensional_tensors_are_described():
    assert latex.tensor_latex(tensor(np.zeros((0, 3)))) == r"\text{empty, shape } (0, 3)"
    assert latex.tensor_latex(tensor(np.zeros((2, 3, 4)))) == (
        r"\text{a } 2 \times 3 \times 4 \text{ tensor (LaTeX output shows up to 2 dims)}")


def test_printed_numbers_become_math():
    assert latex.numbers_latex("[[1.5000e-05, 3.], [-inf, nan]]") == (
        r"[[1.5000 \times 10^{-5}, 3], [-\infty, \mathrm{nan}]]")
    assert latex.numbers_latex("[True, False, 7, ...]") == (
        r"[\mathrm{True}, \mathrm{False}, 7, \ldots]")


def test_other_values():
    assert latex.value_latex(2.5) == "2.5"
    assert latex.value_latex(None) == r"\mathrm{None}"
    assert latex.value_latex((tensor(3.0), tensor(2))) == r"\left(3, 2\right)"
    assert latex.value_latex("a_b") == r"\text{a\_b}"


# ----- whole documents ----------------------------------------------------------------------

def test_document_of_the_spec_example():
    assert document("mean(3*(x+2)**2)", "x=[1,2,3]") == (
        "% gradcli eval --latex (needs \\usepackage{amsmath})\n"
        "\\begin{align*}\n"
        "x &= \\begin{bmatrix} 1 & 2 & 3 \\end{bmatrix} \\\\\n"
        "\\operatorname{mean}\\left(3 \\left(x + 2\\right)^{2}\\right) &= 50 \\\\\n"
        "\\frac{\\partial \\operatorname{mean}\\left(3 \\left(x + 2\\right)^{2}\\right)}"
        "{\\partial x} &= \\begin{bmatrix} 6 & 8 & 10 \\end{bmatrix}\n"
        "\\end{align*}\n")


def test_document_with_assignments_and_a_sum_in_the_numerator():
    text = "y = x_1 ** 2\nz = y * w + w\nz"
    assert document(text, "x_1=3", "w=0.5") == (
        "% gradcli eval --latex (needs \\usepackage{amsmath})\n"
        "\\begin{align*}\n"
        "x_{1} &= 3 \\\\\n"
        "w &= 0.5000 \\\\\n"
        "y &= x_{1}^{2} \\\\\n"
        "z &= y \\cdot w + w \\\\\n"
        "z &= 5 \\\\\n"
        "\\frac{\\partial z}{\\partial x_{1}} &= 3 \\\\\n"
        "\\frac{\\partial z}{\\partial w} &= 10\n"
        "\\end{align*}\n")
    assert r"\frac{\partial \left(x + y\right)}{\partial x} &= 1" in document(
        "x + y", "x=1", "y=2")


def test_gradients_the_program_made_are_labelled_as_grad():
    out = document("y = (x * x).sum()\ny.backward()\nprint(y)\nx.grad", "x=[1,2]")
    assert "% statements other than assignments and expressions are not typeset" not in out
    assert "backward" not in out and "print" not in out      # actions, without a value
    assert r"x.\mathrm{grad} &= \begin{bmatrix} 2 & 4 \end{bmatrix}" in out
    assert r"\texttt{x.grad} &= \begin{bmatrix} 2 & 4 \end{bmatrix}" in out


def test_errors_and_other_statements_become_comments():
    out = document("for i in range(2):\n    y = x * 2\nx.sum() / 0 + torch.ones(2, 3) @ x",
                   "x=[1,2]")
    assert "% statements other than assignments and expressions are not typeset" in out
    assert "% RuntimeError: " in out
    assert r"\texttt{x.grad} &= \mathrm{None}" in out


# ----- structure ------------------------------------------------------------------------------

def deep_chain(depth: int):
    """exp(-(x + 1)) nested `depth` times, built directly (the parser has its own limit)."""
    node = ast.Name("x")
    for _ in range(depth):
        inner = ast.UnaryOp("neg", ast.BinOp("add", node, ast.Number(1)))
        node = ast.Call(ast.Attribute(ast.Name("torch"), "exp"), (inner,), ())
    return node


def test_deep_expressions_render_without_recursion():
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)            # any recursion over the tree would fail at once
    try:
        text = latex.typeset(deep_chain(5000), "").text
    finally:
        sys.setrecursionlimit(limit)
    assert text.count(r"\exp\left(-\left(") == 5000 and text.count("x + 1") == 1
    assert text.endswith(r" + 1\right)\right)" * 5000)
    assert balanced(text)


def balanced(text: str) -> bool:
    """Braces balance (escaped ones aside), every \\left has its \\right inside the same group,
    and no group gets two superscripts or two subscripts in a row (LaTeX's "double script")."""
    depth, lefts, scripts = 0, [0], [set()]
    i = 0
    while i < len(text):
        if text.startswith(("\\{", "\\}"), i):
            scripts[-1].clear()
            i += 2
            continue
        if text.startswith("\\left", i):
            lefts[-1] += 1
        elif text.startswith("\\right", i):
            lefts[-1] -= 1
            if lefts[-1] < 0:
                return False
        c = text[i]
        if c == "{":
            if not (i > 0 and text[i - 1] in "^_"):
                scripts[-1].clear()       # a braced group is a new base, not a script's argument
            depth += 1
            lefts.append(0)
            scripts.append(set())
        elif c == "}":
            depth -= 1
            if depth < 0 or lefts.pop() != 0:
                return False
            scripts.pop()
        elif c in "^_":
            if c in scripts[-1]:
                return False
            scripts[-1].add(c)
        elif not c.isspace() and not (i > 0 and text[i - 1] in "^_"):
            # a script's argument ends at its closing brace, which resets nothing; any other
            # symbol starts a new base
            scripts[-1].clear()
        i += 1
    return depth == 0 and lefts == [0]


NAMES = ["x", "y", "x_1", "W", "theta", "lr", "b_hat"]
BINARY_OPS = ["add", "sub", "mul", "div", "floordiv", "mod", "matmul", "pow"]


def random_expression(rng: random.Random, size: int):
    """A random tree of every construct the renderer handles, built bottom-up."""
    pool = [ast.Name(rng.choice(NAMES)) if rng.random() < 0.7 else ast.Number(
        rng.choice([1, 2, 0.5, 1e-5, 3e20])) for _ in range(size)]
    while len(pool) > 1:
        a = pool.pop(rng.randrange(len(pool)))
        kind = rng.randrange(9)
        if kind < 4:
            b = pool.pop(rng.randrange(len(pool)))
            node = ast.BinOp(rng.choice(BINARY_OPS), a, b)
        elif kind == 4:
            node = ast.UnaryOp(rng.choice(["neg", "pos"]), a)
        elif kind == 5:
            func = rng.choice(["exp", "sqrt", "abs", "sum", "log_softmax", "norm", "t", "pow"])
            args = (a, ast.Number(2)) if func == "pow" else (a,)
            keywords = (ast.Keyword("dim", ast.Number(1)),) if func == "sum" else ()
            node = ast.Call(ast.Attribute(ast.Name("torch"), func), args, keywords)
        elif kind == 6:
            node = ast.Call(ast.Attribute(a, rng.choice(["mean", "exp", "t"])), (), ())
        elif kind == 7:
            node = ast.Index(a, (ast.Number(0), ast.Slice(ast.Number(1), None, None)))
        else:
            node = ast.Attribute(a, rng.choice(["T", "grad"]))
        pool.append(node)
    return pool[0]


def test_random_expressions_have_balanced_braces_and_no_double_scripts():
    rng = random.Random(2026)
    for _ in range(500):
        text = latex.typeset(random_expression(rng, rng.randrange(1, 25)), "").text
        assert balanced(text), text


def test_the_checker_finds_what_it_looks_for():
    assert balanced(r"x_{1}^{2} + \left(a\right)")
    assert not balanced("x_{1}_{0}")
    assert not balanced("x^{T}^{2}")
    assert balanced("{x_{1}}_{0}") and balanced("x^{T}_{0}")
    assert not balanced("x^{T}_{0}_{1}")
    assert not balanced(r"\left(a}")
    assert not balanced("{a")


# ----- compiling --------------------------------------------------------------------------------

COMPILER = shutil.which("pdflatex") or shutil.which("latex")


@pytest.mark.skipif(COMPILER is None, reason="no pdflatex or latex installed")
def test_documents_compile(tmp_path):
    rng = random.Random(7)
    fragments = [document("mean(3*(x+2)**2)", "x=[1,2,3]"),
                 document("y = x_1 ** 2\nz = y * w + w\nz", "x_1=3", "w=0.5"),
                 document("(x @ W.T).relu().sum() / theta", "x=[1,2]", "W=[[1,2],[3,4]]",
                          "theta=2"),
                 document("x.sum() + x.norm()", "x=[[float(i) for i in range(12)]]"),
                 document("y = alpha * x_1 ** 2 / lr\ny.T[0] + F.mse_loss(y, y * 2, "
                          "reduction='sum') + (y if True else x_1).sum()",
                          "x_1=[[1e-5,2e9]]", "alpha=2", "lr=0.1"),
                 document("x.reshape(40, 50) * 1", "x=arange(2000.0)"),
                 document("torch.log(x) / 0", "x=[0.0, 1.0, -1.0]"),
                 document("x.max(0)", "x=[[1,2],[3,4]]"),
                 document("x.sum() @ missing", "x=[1,2]"),
                 "\\begin{align*}\n" + latex.value_latex("50% & $x_1$ #2 {a} ~ ^ \\")
                 + " &= " + latex.tensor_latex(tensor(np.zeros((2, 3, 4))))
                 + "\n\\end{align*}\n"]
    for _ in range(20):
        expression = latex.typeset(random_expression(rng, 12), "").text
        fragments.append(f"\\begin{{align*}}\n{expression} &= 1\n\\end{{align*}}\n")
    compile_latex(COMPILER, tmp_path, "\\usepackage{amsmath}\n", "\n".join(fragments))
