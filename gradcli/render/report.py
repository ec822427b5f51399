"""What a finished run hands to the renderers: plain data, nothing computed here."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ErrorInfo:
    type: str
    message: str
    line: int | None = None
    column: int | None = None


@dataclass
class TraceStep:
    """One node of the backward pass as it ran: `--trace`."""

    node: str                        # grad_fn name
    produces: str | None             # the program's name for the node's output, if any
    source: str | None               # the expression that created the node, if recorded
    location: tuple | None           # (line, column) of that expression
    rules: tuple                     # the local rule per input, textbook notation
    grad_in: object                  # Tensor: the gradient flowing into the node
    grads_out: list                  # per input: (target label, Tensor or None)
    node_ref: object = None          # the engine node itself


@dataclass
class Mismatch:
    index: tuple
    expected: float
    computed: float


@dataclass
class ExpectResult:
    """`--expect NAME=VALUE` (or `--expect-value`) against what gradcli computed."""

    name: str
    ok: bool
    mismatches: list = field(default_factory=list)     # Mismatch, in index order
    problem: str | None = None                        # a shape mismatch, a missing gradient ...
    node: str | None = None                           # the grad_fn whose output NAME is
    order: float = 0.0                                # backward execution order (lower first)


@dataclass
class LeafCheck:
    """Autograd against central finite differences for one leaf."""

    name: str
    max_abs: float
    max_rel: float
    ok: bool


@dataclass
class CheckResult:
    leaves: list = field(default_factory=list)         # LeafCheck
    expect: list = field(default_factory=list)         # ExpectResult, in backward order
    notes: list = field(default_factory=list)          # leaves that could not be checked
    rtol: float = 0.0
    atol: float = 0.0

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.leaves) and all(e.ok for e in self.expect)

    @property
    def first_divergence(self) -> ExpectResult | None:
        return next((e for e in self.expect if not e.ok), None)


@dataclass
class Report:
    outputs: list = field(default_factory=list)      # (source text, value) per expression stmt
    prints: list = field(default_factory=list)       # what print() wrote, in order
    root: object = None                              # the output tensor whose graph is shown
    grads: dict = field(default_factory=dict)        # leaf name -> leaf tensor
    leaf_names: dict = field(default_factory=dict)   # id(leaf) -> name
    produced_by: dict = field(default_factory=dict)  # id(grad_fn) -> name of a non-leaf variable
    namespace: dict = field(default_factory=dict)    # the program's tensors by name, at the end
    trace: list | None = None                        # TraceStep, when --trace asked for it
    check: CheckResult | None = None
    error: ErrorInfo | None = None
