"""What a finished run hands to the renderers: plain data, nothing computed here.

Plain classes with `__slots__`, not dataclasses: a @dataclass compiles its generated methods
when the module is imported, about 0.2 ms per class on every start of the command."""

from __future__ import annotations


class ErrorInfo:
    __slots__ = ("type", "message", "line", "column")

    def __init__(self, type: str, message: str, line: int | None = None,
                 column: int | None = None) -> None:
        self.type, self.message, self.line, self.column = type, message, line, column


class TraceStep:
    """One node of the backward pass as it ran: `--trace`."""

    __slots__ = ("node", "produces", "source", "location", "rules", "grad_in", "grads_out",
                 "node_ref")

    def __init__(self, node: str, produces: str | None, source: str | None,
                 location: tuple | None, rules: tuple, grad_in, grads_out: list,
                 node_ref=None) -> None:
        self.node = node                  # grad_fn name
        self.produces = produces          # the program's name for the node's output, if any
        self.source = source              # the expression that created the node, if recorded
        self.location = location          # (line, column) of that expression
        self.rules = rules                # the local rule per input, textbook notation
        self.grad_in = grad_in            # Tensor: the gradient flowing into the node
        self.grads_out = grads_out        # per input: (target label, Tensor or None)
        self.node_ref = node_ref          # the engine node itself


class Mismatch:
    __slots__ = ("index", "expected", "computed")

    def __init__(self, index: tuple, expected: float, computed: float) -> None:
        self.index, self.expected, self.computed = index, expected, computed


class ExpectResult:
    """`--expect NAME=VALUE` (or `--expect-value`) against what gradcli computed."""

    __slots__ = ("name", "ok", "mismatches", "problem", "node", "order")

    def __init__(self, name: str, ok: bool, problem: str | None = None,
                 node: str | None = None, order: float = 0.0) -> None:
        self.name = name
        self.ok = ok
        self.mismatches: list = []        # Mismatch, in index order
        self.problem = problem            # a shape mismatch, a missing gradient ...
        self.node = node                  # the grad_fn whose output NAME is
        self.order = order                # backward execution order (lower first)


class LeafCheck:
    """Autograd against central finite differences for one leaf."""

    __slots__ = ("name", "max_abs", "max_rel", "ok")

    def __init__(self, name: str, max_abs: float, max_rel: float, ok: bool) -> None:
        self.name, self.max_abs, self.max_rel, self.ok = name, max_abs, max_rel, ok


class CheckResult:
    __slots__ = ("leaves", "expect", "notes", "rtol", "atol")

    def __init__(self, rtol: float = 0.0, atol: float = 0.0) -> None:
        self.leaves: list = []            # LeafCheck
        self.expect: list = []            # ExpectResult, in backward order
        self.notes: list = []             # leaves that could not be checked
        self.rtol, self.atol = rtol, atol

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.leaves) and all(e.ok for e in self.expect)

    @property
    def first_divergence(self) -> ExpectResult | None:
        return next((e for e in self.expect if not e.ok), None)


class Report:
    __slots__ = ("outputs", "prints", "root", "grads", "leaf_names", "produced_by", "namespace",
                 "trace", "check", "error")

    def __init__(self, outputs: list | None = None, prints: list | None = None,
                 error: ErrorInfo | None = None) -> None:
        self.outputs = [] if outputs is None else outputs   # (source text, value) per statement
        self.prints = [] if prints is None else prints      # what print() wrote, in order
        self.root = None                                    # the output tensor whose graph is shown
        self.grads: dict = {}                               # leaf name -> leaf tensor
        self.leaf_names: dict = {}                          # id(leaf) -> name
        self.produced_by: dict = {}                         # id(grad_fn) -> a non-leaf's name
        self.namespace: dict = {}                           # the program's tensors at the end
        self.trace: list | None = None                      # TraceStep, when --trace asked for it
        self.check: CheckResult | None = None
        self.error = error
