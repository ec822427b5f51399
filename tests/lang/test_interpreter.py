"""What the interpreter hands to the CLI: `Node.source` (where each autograd node came from,
for --trace and graph labels) and `Outcome.namespace` (the names the program bound)."""

from __future__ import annotations

from helpers import run_program

from gradcli.engine.factories import tensor
from gradcli.lang.interpreter import SourceOrigin

PROGRAM = """import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x + 2) * 3
def square(t):
    return t ** 2
z = square(y).mean()
w = x * 1
w += 1
v = x * 1
with torch.no_grad():
    pass
v[0] = 5
"""


def test_each_node_records_the_expression_that_made_it():
    outcome = run_program(PROGRAM)
    assert outcome.error is None
    y = outcome.namespace["y"]
    origin = y.grad_fn.source
    assert isinstance(origin, SourceOrigin)
    assert origin.text == "(x + 2) * 3"
    assert (origin.span.line, origin.span.column, origin.span.end_line, origin.span.end_column) \
        == (3, 5, 3, 16)
    add = y.grad_fn.next_functions[0][0]
    assert add.name() == "AddBackward0" and add.source.text == "(x + 2)"


def test_a_node_made_inside_a_function_keeps_its_own_place():
    z = run_program(PROGRAM).namespace["z"]
    assert z.grad_fn.source.text == "square(y).mean()"
    power = z.grad_fn.next_functions[0][0]
    assert power.name() == "PowBackward0"
    assert power.source.text == "t ** 2" and power.source.span.line == 5


def test_in_place_statements_label_their_nodes():
    namespace = run_program(PROGRAM).namespace
    assert namespace["w"].grad_fn.name() == "AddBackward0"
    assert namespace["w"].grad_fn.source.text == "w += 1"
    assert namespace["v"].grad_fn.name() == "torch::autograd::CopySlices"
    assert namespace["v"].grad_fn.source.text == "v[0] = 5"


def test_fstring_nodes_point_at_the_string():
    outcome = run_program("import torch\nx = torch.ones(2, requires_grad=True)\n"
                          "s = f'{(x * 2).grad_fn.name()}'\nprint(s)")
    assert outcome.printed == "MulBackward0\n"


def test_nodes_of_leaves_stay_unlabelled():
    x = run_program(PROGRAM).namespace["x"]
    assert x.grad_fn is None


def test_namespace_holds_the_names_the_program_bound_in_order():
    outcome = run_program(PROGRAM)
    assert list(outcome.namespace) == ["torch", "x", "y", "square", "z", "w", "v"]
    assert outcome.namespace["w"] is not outcome.namespace["v"]


def test_namespace_includes_bindings_and_final_values():
    leaf = tensor([1.0, 2.0])
    outcome = run_program("a = 1\na = a + 1\nfor i in range(3):\n    pass", {"x": leaf})
    assert outcome.namespace == {"x": leaf, "a": 2, "i": 2}


def test_namespace_is_kept_when_the_program_fails():
    outcome = run_program("a = 1\nb = undefined\nc = 3")
    assert outcome.error.kind == "NameError"
    assert outcome.namespace == {"a": 1}


def test_expression_statements_are_outputs_with_their_source():
    outcome = run_program("x = 2\nx * 3\nif True:\n    x + 1\n(x -\n 1)")
    assert [(o.source, o.value) for o in outcome.outputs] == [("x * 3", 6), ("(x -\n 1)", 1)]


def test_a_matrix_product_is_not_mistaken_for_a_huge_broadcast():
    outcome = run_program("import torch\nx = torch.ones(1, 10000) @ torch.ones(10000, 1)")
    assert outcome.error is None and outcome.namespace["x"].tolist() == [[10000.0]]


def test_math_names_need_no_prefix():
    outcome = run_program("x = ones(2, requires_grad=True)\n"
                          "a = mean(x)\nb = mse_loss(x, zeros(2))\nc = F.relu(x)\nd = relu(x)")
    assert outcome.error is None
    names = {k: v.grad_fn.name() for k, v in outcome.namespace.items() if k != "x"}
    assert names == {"a": "MeanBackward0", "b": "MseLossBackward0", "c": "ReluBackward0",
                     "d": "ReluBackward0"}


def test_calculator_reads_lists_in_arithmetic_as_tensor_literals():
    outcome = run_program("a = [1, 2] * 2\nb = -[1.5, 2]\nc = [[1, 2], [3, 4]] + [10, 20]")
    assert outcome.error is None
    values = outcome.namespace
    assert values["a"].tolist() == [2, 4] and values["a"].dtype.name == "int64"
    assert values["b"].tolist() == [-1.5, -2.0]
    assert values["c"].tolist() == [[11, 22], [13, 24]]
    ragged = run_program("x = [[1], [2, 3]] * 2")
    assert ragged.error.kind == "ValueError"


def test_script_mode_keeps_python_lists():
    from test_python_semantics import run_gradcli

    printed, error = run_gradcli("print([1, 2] * 2, [1] + [2], -(3))")
    assert error is None and printed == "[1, 2, 1, 2] [1, 2] -3\n"


def _observed(program: str, bindings: dict) -> list:
    from gradcli.lang.builder import build
    from gradcli.lang.parser import parse
    from gradcli.lang.interpreter import Interpreter

    steps = []
    interpreter = Interpreter(on_backward_step=lambda node, g, gs: steps.append(
        (node.name(), g.tolist(), [None if t is None else t.tolist() for t in gs])))
    outcome = interpreter.run(build(parse(program), program), bindings)
    assert outcome.error is None, outcome.error
    return steps


def test_the_programs_own_backward_calls_are_observed():
    """`t.backward(...)` (also with `gradient=`) and `torch.autograd.backward(...)` run with
    the Interpreter's `on_backward_step` watching every node, and still do what they did."""
    program = ("y = x * x\ny.backward(gradient=tensor([1.0, 0.5]), retain_graph=True)\n"
               "torch.autograd.backward(y.sum())\n")
    x = tensor([1.0, 3.0], requires_grad=True)
    steps = _observed(program, {"x": x})
    assert steps == [("MulBackward0", [1.0, 0.5], [[1.0, 1.5], [1.0, 1.5]]),
                     ("SumBackward0", 1.0, [[1.0, 1.0]]),
                     ("MulBackward0", [1.0, 1.0], [[1.0, 3.0], [1.0, 3.0]])]
    assert x.grad.tolist() == [2.0 + 2.0, 3.0 + 6.0]     # 2x*g, twice
    assert _observed("y = (x * 2).sum()\ny.backward()\n", {"x": x})[0][0] == "SumBackward0"


def test_the_programs_own_autograd_grad_calls_are_observed():
    """`torch.autograd.grad(...)` is observed like backward, returns its tuple, and leaves
    `.grad` alone."""
    x = tensor([1.0, 3.0], requires_grad=True)
    steps = _observed("y = (x * x).sum()\ng = torch.autograd.grad(y, x)\n", {"x": x})
    assert [name for name, _, _ in steps] == ["SumBackward0", "MulBackward0"]
    assert steps[-1][2] == [[1.0, 3.0], [1.0, 3.0]]
    assert x.grad is None
