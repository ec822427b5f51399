"""`gradcli check`: autograd against central finite differences (the idea of
`torch.autograd.gradcheck`), and against the gradients a student worked out by hand (`--expect`).

Everything runs in float64 (the command sets the default dtype). Finite differences re-run the
whole program with one element of one `--at` leaf moved by ±eps, so they work for any program,
loops included; leaves a program creates itself cannot be moved that way and are named in a note.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

import numpy as np

from gradcli.cli import exits
from gradcli.cli.evaluate import (EvalOptions, for_each_input, gradient_value, note_unused,
                                  run_eval, show)
from gradcli.cli.exits import UsageError
from gradcli.cli.session import NAME_PATTERN, Source, evaluate_value

FD_MAX_ELEMENTS = 10_000      # per leaf: each element costs two runs of the program
# A number as written in a literal; its last written digit sets the SPEC §3.3 tolerance.
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
LITERAL = re.compile(r"[\s\[\](),+\-.0-9eE]*")
VALUE = "--expect-value"      # the name --expect-value is reported under


# Plain classes, not dataclasses, for start-up: see render/report.py.

class Expectation:
    __slots__ = ("name", "values", "half_units", "written")

    def __init__(self, name: str, values: np.ndarray, half_units: list | None,
                 written: list | None) -> None:
        self.name = name                  # a variable, or VALUE for --expect-value
        self.values = values              # float64
        self.half_units = half_units      # per element: Decimal half unit of its last digit
        self.written = written            # per element: the number as written (Decimal)


class Tolerance:
    __slots__ = ("rtol", "atol", "eps")

    def __init__(self, rtol: float | None = None, atol: float | None = None,
                 eps: float = 1e-6) -> None:
        self.rtol = rtol                  # None: the SPEC §3.3 rule for --expect
        self.atol = atol
        self.eps = eps

    @property
    def fd_rtol(self) -> float:
        return 1e-5 if self.rtol is None else self.rtol

    @property
    def fd_atol(self) -> float:
        return 1e-8 if self.atol is None else self.atol


def parse_expectation(name: str, text: str, what: str) -> Expectation:
    from gradcli.engine.tensor import Tensor

    value = evaluate_value(text, what)
    try:
        values = np.asarray(value._data if isinstance(value, Tensor) else value,
                            dtype=np.float64)
    except (TypeError, ValueError):
        raise UsageError(f"{what}: not a tensor value") from None
    tokens = NUMBER.findall(text)
    if LITERAL.fullmatch(text) and len(tokens) == values.size:
        written = [Decimal(t) for t in tokens]
        half = [Decimal(5).scaleb(w.as_tuple().exponent - 1) if "." in t else None
                for t, w in zip(tokens, written)]
        return Expectation(name, values, half, written)
    return Expectation(name, values, None, None)


def parse_expectations(expects: list, expect_value: str | None) -> list:
    result = []
    if expect_value is not None:
        result.append(parse_expectation(VALUE, expect_value, f"--expect-value {expect_value}"))
    for item in expects:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not NAME_PATTERN.match(name) or not text.strip():
            raise UsageError(f"--expect {item}: expected NAME=VALUE, e.g. --expect x=[[3,4],[5,6]]")
        result.append(parse_expectation(name, text, f"--expect {item}"))
    return result


def agrees(computed: float, expected: float, half_unit, written, tolerance: Tolerance) -> bool:
    if math.isnan(expected) or math.isnan(computed):
        return math.isnan(expected) and math.isnan(computed)
    if math.isinf(expected) or math.isinf(computed):
        return expected == computed
    difference = abs(computed - expected)
    if tolerance.rtol is not None or tolerance.atol is not None:
        return difference <= (tolerance.atol or 0.0) + (tolerance.rtol or 0.0) * abs(expected)
    if difference <= max(1e-6 * abs(expected), 1e-9):
        return True
    # In decimal arithmetic on the number as it prints (its shortest round-trip form), so
    # 0.19665 sits exactly on the edge of 0.1966's half unit, and inside it.
    return half_unit is not None and abs(Decimal(repr(computed)) - written) <= half_unit


def compare(expectation: Expectation, computed, tolerance: Tolerance):
    """An ExpectResult for `computed` (ndarray or None) against the expectation."""
    from gradcli.render.report import ExpectResult, Mismatch

    result = ExpectResult(expectation.name, ok=True)
    if computed is None:
        result.ok, result.problem = False, f"{expectation.name} has no gradient (it does not " \
                                           "lead to the output)"
        return result
    expected = expectation.values
    if expected.shape != computed.shape and expected.size != 1:
        result.ok = False
        result.problem = (f"expected shape {list(expected.shape)}, but the computed one is "
                          f"{list(computed.shape)}")
        return result
    expected = np.broadcast_to(expected.reshape(()) if expected.size == 1 else expected,
                               computed.shape)
    per_element = expectation.half_units is not None and expectation.values.size == computed.size
    for flat, (e, c) in enumerate(zip(expected.reshape(-1).tolist(),
                                      computed.reshape(-1).tolist())):
        k = flat if per_element else 0
        half = expectation.half_units[k] if expectation.half_units else None
        written = expectation.written[k] if expectation.written else None
        if not agrees(c, e, half, written, tolerance):
            index = tuple(int(i) for i in np.unravel_index(flat, computed.shape)) \
                if computed.shape else ()
            result.mismatches.append(Mismatch(index, e, c))
    result.ok = not result.mismatches
    return result


def _scalar_of(report, gradient):
    """The number finite differences differentiate: the output, or sum(output * grad_output)."""
    if report.root is None:
        return None
    data = report.root._data.astype(np.float64)
    if gradient is not None:
        return float(np.sum(data * gradient._data.astype(np.float64)))
    return float(data.reshape(-1)[0]) if data.size == 1 else None


def finite_differences(source, program, make_bindings, leaf: str, shape: tuple, options,
                       gradient, eps: float):
    """Central differences of the output with respect to each element of the `--at` leaf."""
    numeric = np.zeros(shape, dtype=np.float64).reshape(-1)
    quiet = EvalOptions(backward=False, max_iterations=options.max_iterations)
    for flat in range(numeric.size):
        values = []
        for step in (eps, -eps):
            bindings = make_bindings()
            data = bindings[leaf]._data.reshape(-1)
            data[flat] += step
            report, message = run_eval(source, program, bindings, quiet)
            value = _scalar_of(report, gradient) if message is None else None
            if value is None:
                return None
            values.append(value)
        numeric[flat] = (values[0] - values[1]) / (2 * eps)
    return numeric.reshape(shape)


def gradcheck(source, program, report, make_bindings, options, gradient, tolerance):
    """A LeafCheck per `--at` leaf that requires grad; notes for those that cannot be checked."""
    from gradcli.render.report import LeafCheck

    leaves, notes = [], []
    bound = make_bindings()
    for name, leaf in report.grads.items():
        if name not in bound or not bound[name].requires_grad:
            notes.append(f"note: {name} is created inside the program; finite differences only "
                         "move leaves bound with --at")
            continue
        if leaf.numel() > FD_MAX_ELEMENTS:
            notes.append(f"note: {name} has {leaf.numel():,} elements; finite differences stop "
                         f"at {FD_MAX_ELEMENTS:,}")
            continue
        numeric = finite_differences(source, program, make_bindings, name, leaf.shape, options,
                                     gradient, tolerance.eps)
        if numeric is None:
            notes.append(f"note: {name}: the output is not a single number (give --grad-output),"
                         " or not a tensor, or a perturbed run failed; no finite differences")
            continue
        analytic = (np.zeros(leaf.shape) if leaf._grad is None
                    else leaf._grad._data.astype(np.float64))
        difference = np.abs(analytic - numeric)
        scale = np.abs(numeric)
        relative = np.where(scale > 0, difference / scale,
                            np.where(difference > 0, np.inf, 0.0))
        ok = bool(np.all(difference <= tolerance.fd_atol + tolerance.fd_rtol * scale))
        leaves.append(LeafCheck(name, float(difference.max(initial=0.0)),
                                float(relative.max(initial=0.0)), ok))
    return leaves, notes


def expect_results(report, expectations: list, tolerance: Tolerance) -> list:
    """Each --expect compared, sorted in the order the backward pass reaches the names: the
    forward value first, then intermediates from the output down, then the leaves."""
    from gradcli.engine.printing import shown_grad_fn

    results = []
    for expectation in expectations:
        if expectation.name == VALUE:
            computed = None if report.root is None else report.root._data.astype(np.float64)
            result = compare(expectation, computed, tolerance)
            result.order = -math.inf
            results.append(result)
            continue
        tensor = report.namespace.get(expectation.name)
        if tensor is None:
            from gradcli.render.report import ExpectResult

            results.append(ExpectResult(expectation.name, ok=False, order=math.inf,
                                        problem=f"the program has no tensor named "
                                                f"{expectation.name}"))
            continue
        grad = tensor._grad
        result = compare(expectation, None if grad is None else grad._data.astype(np.float64),
                         tolerance)
        node = shown_grad_fn(tensor)
        if node is None:
            result.node, result.order = "AccumulateGrad", math.inf
        else:
            result.node, result.order = node.type_name, -node.seq_nr
        results.append(result)
    return sorted(results, key=lambda r: r.order)


def check_command(sources: list, make_bindings, options: EvalOptions, expects: list,
                  expect_value: str | None, tolerance: Tolerance) -> int:
    from gradcli.cli.session import parse_source
    from gradcli.render.report import CheckResult

    expectations = parse_expectations(expects, expect_value)
    gradient = gradient_value(options)
    options.retain = tuple(e.name for e in expectations)
    options.show_graph = False

    def handle(source: Source) -> int:
        program = parse_source(source)
        bindings = make_bindings()
        note_unused(program, bindings)
        report, message = run_eval(source, program, bindings, options, gradient)
        if message is None:
            check = CheckResult(rtol=tolerance.fd_rtol, atol=tolerance.fd_atol)
            check.leaves, check.notes = gradcheck(source, program, report, make_bindings,
                                                  options, gradient, tolerance)
            check.expect = expect_results(report, expectations, tolerance)
            report.check = check
        code = show(report, message, options)
        return code if code != exits.OK or report.check.ok else exits.FAILED

    return for_each_input(sources, handle, options)
