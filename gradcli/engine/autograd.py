"""The autograd graph and the backward pass.

Nodes mirror PyTorch's: `name()`, `next_functions` as `((node_or_None, output_nr), ...)`, and
`AccumulateGrad` sinks whose `.variable` is the leaf. Most nodes have one output; split, chunk
and unbind make one `MultiOutputNode` for all their pieces, and an edge names the piece by its
output number, as in PyTorch. The backward pass is a loop over a ready queue (no recursion, so
a 1,000,000-node chain works); like PyTorch's CPU engine it runs the ready node with the
highest sequence number first, AccumulateGrad before anything else. A node runs once, when all
its incoming edges have delivered: a multi-output node then gets one gradient per output.
"""

from __future__ import annotations

import gc
import heapq
import itertools
import math

import numpy as np

from gradcli.engine import grad_mode
from gradcli.engine.errors import TorchRuntimeError

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)
# the end of ATen's messages for an in-place change of a view made by split/chunk/unbind
MULTI_OUTPUT_VIEW_ADVICE = (
    "This view is the output of a function that returns multiple views. Such functions do not "
    "allow the output views to be modified inplace. You should replace the inplace operation by "
    "an out-of-place one.")
_INPLACE_HINT = (
    "Hint: enable anomaly detection to find the operation that failed to compute its gradient, "
    "with torch.autograd.set_detect_anomaly(True, check_nan=False)."
)

_sequence = itertools.count()


class SavedTensor:
    """A tensor a node keeps for its backward, with the version it had when saved.

    A node's own output is kept as its parts (storage, version counter) and rebuilt on
    unpacking, with the node as its grad_fn (the node passes itself to `unpack`), as PyTorch's
    SavedVariable does: holding the output itself would make a reference cycle (output ->
    grad_fn -> saved output) that only the cyclic garbage collector frees, keeping large arrays
    alive long after the graph is gone.
    """

    __slots__ = ("tensor", "data", "counter", "kind", "version", "producer", "output_nr")

    def __init__(self, tensor, is_output: bool = False) -> None:
        if tensor._inference:
            raise TorchRuntimeError(
                "Inference tensors cannot be saved for backward. Please do not use Tensors "
                "created in inference mode in computation tracked by autograd. To work around "
                "this, you can make a clone to get a normal tensor and use it in autograd, or use "
                "`torch.no_grad()` instead of `torch.inference_mode()`.")
        self.output_nr = tensor._output_nr
        if is_output:
            self.tensor = self.producer = None       # the producer is the node keeping it
            self.data = tensor._data
            counter = self.counter = tensor._counter or tensor._version
            self.version = counter.value
            self.kind = type(tensor)
        else:
            self.tensor = tensor
            # a tensor not yet changed in place may have no counter yet (Tensor._version)
            self.version = tensor._counter.value if tensor._counter is not None else 0
            self.data = self.counter = self.kind = None
            # the node that made the input when it was saved; its name only an error needs
            self.producer = tensor._grad_fn if tensor._view_of is None else tensor.grad_fn

    def refers_to(self, tensor) -> bool:
        return self.tensor is tensor if self.tensor is not None else self.data is tensor._data

    def unpack(self, owner: "Node"):
        """The tensor, checked against in-place changes since it was saved; `owner`: the node
        that keeps it."""
        if self.tensor is not None:
            t = self.tensor
        else:
            t = self.kind(self.data, requires_grad=True, grad_fn=owner, version=self.counter)
        current = t._version.value
        if current != self.version and multi_output_piece(t) is not None:
            # a piece of split/unbind (or a view of one) whose base changed (ATen's
            # handle_view_on_rebase)
            made_by = owner if self.tensor is None else self.producer
            raise TorchRuntimeError(
                f"Output {self.output_nr} of {made_by.name().removesuffix('Backward0')} "
                "is a view and its base or another view of its base has been modified inplace. "
                + MULTI_OUTPUT_VIEW_ADVICE)
        if current != self.version:
            shape = "[" + ", ".join(str(n) for n in t.shape) + "]"
            origin = ""
            # ATen's SavedVariable::unpack names a saved input's grad_fn as it is now (after
            # `t.add_(1)`: Add), a saved output's its own node
            producer = owner if self.tensor is None else t.grad_fn
            if producer is not None:
                op = producer.name().rstrip("0123456789")
                op = op[: -len("Backward")] if op.endswith("Backward") else op
                origin = f", which is output {self.output_nr} of {op},"
            raise TorchRuntimeError(
                "one of the variables needed for gradient computation has been modified by an "
                f"inplace operation: [{t.type()} {shape}]{origin} is at version {current}; "
                f"expected version {self.version} instead. {_INPLACE_HINT}"
            )
        return t


class Unpacked:
    """A node's values for one run of its backward: plain attributes, nothing left to check."""

    def __init__(self, values: dict) -> None:
        self.__dict__ = values


# The nodes PyTorch writes by hand in C++ (torch/csrc/autograd/functions/) rather than
# generates from derivatives.yaml: their name() is the demangled C++ class name, namespace
# included, while Python shows the class it binds them to (`type(node).__name__`, and
# `grad_fn=<CopySlices>` in _tensor_str.py).
CPP_NAMESPACE = "torch::autograd::"
HANDWRITTEN_NODES = frozenset({"CopySlices", "CopyBackwards"})


class Node:
    """One backward function of the graph: what PyTorch shows as `t.grad_fn`. Like PyTorch's
    generated nodes, it holds what its backward reads: its op-table row (`op`), what it knows of
    its inputs (`needs`, `shapes`, `dtypes`: one entry per input), its parameters and its saved
    tensors. (One object per recorded op: each one more would cost every op its allocation and
    the cyclic garbage collector one more object to walk.)"""

    __slots__ = ("_name", "next_functions", "backward_fn", "op", "needs", "shapes", "dtypes",
                 "params", "_saved", "_freed", "seq_nr", "retained", "source", "hooks",
                 "__weakref__")

    def __init__(self, name: str, next_functions: tuple, backward_fn, op=None,
                 saved: dict | None = None, needs: tuple = (), shapes: tuple = (),
                 dtypes: tuple = (), params: dict | None = None) -> None:
        self._name = name
        self.next_functions = next_functions
        self.backward_fn = backward_fn    # (gradient, this node) -> a gradient per input
        self.op = op              # the op-table row, when the node came from one
        self.needs = needs
        self.shapes = shapes
        self.dtypes = dtypes
        self.params = params if params is not None else {}
        self._saved = saved if saved is not None else {}
        self._freed = False
        self.seq_nr = next(_sequence)
        self.retained = None      # weak references to the tensors whose .grad is kept here
                                  # (retain_grad); strong ones would make a reference cycle
        self.source = None        # where the language created it (for --trace and graph labels)
        self.hooks = None         # register_hook functions of the tensor this node made

    def name(self) -> str:
        return CPP_NAMESPACE + self._name if self._name in HANDWRITTEN_NODES else self._name

    @property
    def type_name(self) -> str:
        """The name of the node's class as Python shows it (`type(grad_fn).__name__`)."""
        return self._name

    def output_hooks(self, output_nr: int) -> list:
        """The register_hook functions of the tensor that is output `output_nr` of this node."""
        if self.hooks is None:
            self.hooks = []
        return self.hooks

    def apply(self, grad):
        """The gradients for each of `next_functions`, given the gradient of this node's output."""
        return self.backward_fn(grad, self)

    def unpacked(self) -> "Unpacked":
        """What a backward rule reads as plain attributes (`s.a`, `s.out`, `s.dim`,
        `s.shapes`): each saved tensor checked and unpacked once, before the rule runs, as
        PyTorch's generated nodes unpack theirs."""
        if self._freed:
            raise TorchRuntimeError(FREED_MESSAGE)
        values = {"needs": self.needs, "shapes": self.shapes, "dtypes": self.dtypes}
        values.update(self.params)
        for name, value in self._saved.items():
            values[name] = value.unpack(self) if type(value) is SavedTensor else value
        return Unpacked(values)

    def saved_value(self, name: str):
        """One saved value as a program reads it (`grad_fn._saved_self`, saved_attributes.py):
        checked and unpacked, or the freed-graph error once the graph is released."""
        if self._freed:
            raise TorchRuntimeError(FREED_MESSAGE)
        value = self._saved[name]
        return value.unpack(self) if type(value) is SavedTensor else value

    def replace_saved(self, name: str, new, is_output: bool = False) -> None:
        """Save `new` under `name` instead (used by in-place ops, see inplace.py)."""
        self._saved[name] = SavedTensor(new, is_output)

    def saved_names(self, tensor) -> tuple:
        """The names under which `tensor` is saved."""
        return tuple(name for name, value in self._saved.items()
                     if isinstance(value, SavedTensor) and value.refers_to(tensor))

    def release(self) -> None:
        # Python numbers an op saves count as saved tensors too (PyTorch wraps them), so
        # `x*3` cannot be backpropagated twice while `x+3`, which saves nothing, can.
        if self._saved:
            self._freed = True
            self._saved.clear()

    def __repr__(self) -> str:
        return f"<{self._name} object at {hex(id(self))}>"


class MultiOutputNode(Node):
    """A node with one output per piece of its input (SplitBackward0, UnbindBackward0): the
    backward pass runs it once with every output's gradient, as a list. An output that
    received none is zeros (ATen's split_backward and unbind_backward fill them so), unless
    none did, in which case the node does not run. Hooks and retain_grad are per output, as
    they belong to the piece's tensor."""

    __slots__ = ("output_shapes", "dtype")

    def __init__(self, name: str, next_functions: tuple, backward_fn, output_shapes: tuple,
                 dtype, **context) -> None:
        super().__init__(name, next_functions, backward_fn, **context)
        self.output_shapes = output_shapes
        self.dtype = dtype

    def output_hooks(self, output_nr: int) -> list:
        if self.hooks is None:
            self.hooks = [[] for _ in self.output_shapes]
        return self.hooks[output_nr]

    def apply(self, grads):
        """The gradients for each of `next_functions`, given one (or None) per output."""
        from gradcli.engine.tensor import Tensor     # tensor.py imports this module

        filled = [Tensor(np.zeros(shape, self.dtype.numpy)) if g is None else g
                  for g, shape in zip(grads, self.output_shapes)]
        return self.backward_fn(filled, self)


class AccumulateGrad:
    """The sink for a leaf that requires grad: adds the incoming gradient into `variable.grad`.
    Shown as `AccumulateGrad` (its class name) everywhere but in `name()`."""

    __slots__ = ("variable", "seq_nr", "next_functions", "retained", "source", "__weakref__")
    type_name = "AccumulateGrad"

    def __init__(self, variable) -> None:
        self.variable = variable
        self.seq_nr = math.inf    # PyTorch gives AccumulateGrad the highest priority
        self.next_functions = ()
        self.retained = None
        self.source = None

    def name(self) -> str:
        return CPP_NAMESPACE + self.type_name     # hand-written in C++, as CopySlices

    def release(self) -> None:
        pass

    def __repr__(self) -> str:
        return f"<AccumulateGrad object at {hex(id(self))}>"


def gradient_edge(tensor):
    """The node a gradient for `tensor` flows into: its grad_fn, or its AccumulateGrad."""
    if tensor.grad_fn is not None:
        return tensor.grad_fn
    if tensor.requires_grad:
        return tensor._accumulator()
    return None


def multi_output_piece(view):
    """The split/chunk/unbind piece `view` is or is a view of, else None. The views of a
    piece keep it as their base (shapes.as_view), as PyTorch's views inherit their base's
    MULTI_OUTPUT_NODE creation meta, so the walk finds it."""
    while view._view_of is not None:
        if type(view._grad_fn) is MultiOutputNode:
            return view
        view = view._view_of
    return None


def output_edge(tensor) -> tuple:
    """The edge a gradient for `tensor` flows into: (its gradient_edge node, output number)."""
    node = gradient_edge(tensor)
    return (node, tensor._output_nr if tensor.grad_fn is not None else 0)


def edge_key(node, output_nr: int):
    """How `execute`'s `capture` names an edge: id(node), with the output number for a
    multi-output node."""
    return (id(node), output_nr) if type(node) is MultiOutputNode else id(node)


def _collect_dependencies(roots) -> dict:
    """Count, for every node reachable from the roots, how many edges lead into it."""
    dependencies: dict = {}
    starts = set(roots)
    stack = list(starts)
    while stack:
        for child, _ in stack.pop().next_functions:
            if child is None:
                continue
            count = dependencies.get(child)
            if count is None:
                dependencies[child] = 1
                if child not in starts:
                    stack.append(child)
            else:
                dependencies[child] = count + 1
    return dependencies


def _nodes_leading_to(targets, dependencies, roots) -> set:
    """Nodes from which some target is reachable by an edge: the only ones `grad(inputs=...)`
    must run (a target itself runs only when another target lies below it)."""
    parents = {}
    for node in itertools.chain(roots, dependencies):
        for child, _ in node.next_functions:
            if child is not None:
                parents.setdefault(id(child), []).append(node)
    needed: set = set()
    stack = list(targets)
    while stack:
        node = stack.pop()
        for parent in parents.get(id(node), ()):
            if id(parent) not in needed:
                needed.add(id(parent))
                stack.append(parent)
    return needed


def execute(roots, root_grads, *, retain_graph: bool, create_graph: bool,
            capture=None, accumulate: bool = True, on_step=None) -> dict:
    """Run the backward pass from `roots` (edges: (node, output number)) seeded with
    `root_grads` (tensors).

    `capture`: edge_key -> node of the edges whose total incoming gradient is returned (for
    `grad()`), under the same keys.
    `accumulate`: whether AccumulateGrad nodes write `.grad` (False for `grad()`).
    `on_step(node, grad_in, grads_out)` observes each executed node (for `--trace`).
    """
    # The pass makes and drops a gradient per node; left on, the cyclic garbage collector
    # would rescan the whole graph (a million nodes, for a deep one) again and again, making
    # the pass superlinear in its depth. Nothing here makes cycles for it to find.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(roots, root_grads, retain_graph, create_graph, capture, accumulate, on_step)
    finally:
        if collecting:
            gc.enable()


def _run(root_edges, root_grads, retain_graph, create_graph, capture, accumulate,
         on_step) -> dict:
    roots = [node for node, _ in root_edges]
    dependencies = _collect_dependencies(roots)
    needed = None
    if capture is not None or not accumulate:
        needed = _nodes_leading_to(capture.values() if capture else (), dependencies, roots)
    buffers: dict = {}          # node -> the sum of the gradients it has received so far
    later_outputs: dict = {}    # multi-output node -> {output number >= 1: summed gradient}
    # The caller's gradient objects are never stolen by AccumulateGrad; every other gradient is
    # made by this pass and read once by its one consumer (the summed buffer of a node that
    # receives several), so a leaf may keep its array as `.grad` without a copy. A gradient a
    # node passes to two children (x + y) is stolen by the first only (`stolen`).
    owned_ids = {id(g) for g in root_grads}
    for (node, output_nr), grad in zip(root_edges, root_grads):
        if output_nr:
            _add_later(later_outputs, node, output_nr, grad)
        else:
            buffers[node] = _add(buffers.get(node), grad)

    captured = {}
    ready: list = []
    counter = itertools.count()
    push, pop = heapq.heappush, heapq.heappop
    for node in dict.fromkeys(roots):
        if dependencies.get(node, 0) == 0:
            push(ready, (-node.seq_nr, next(counter), node))

    stolen: set = set()
    with grad_mode.set_grad_enabled(create_graph), grad_mode.folding_constants(not create_graph):
        while ready:
            node = pop(ready)[2]
            grad = buffers.pop(node, None)
            if type(node) is MultiOutputNode:
                grad = _output_grads(node, grad, later_outputs.pop(node, None), capture,
                                     captured, owned_ids, create_graph)
            else:
                hooks = node.variable._hooks if type(node) is AccumulateGrad else node.hooks
                if hooks and grad is not None:
                    owned_ids.add(id(grad))            # a hook may keep it: never stolen
                    grad = _run_hooks(hooks, grad)
                    owned_ids.add(id(grad))
                if capture is not None and id(node) in capture:
                    captured[id(node)] = grad
                if node.retained is not None and grad is not None:
                    _retain(node, grad, create_graph)
                if type(node) is AccumulateGrad:
                    if accumulate and grad is not None and (capture is None
                                                            or id(node) in capture):
                        _accumulate(node.variable, grad, create_graph, owned_ids, stolen)
                    continue
            executes = needed is None or id(node) in needed
            run = grad is not None and executes
            grads_out = node.apply(grad) if run else (None,) * len(node.next_functions)
            if on_step is not None and run:
                on_step(node, grad, grads_out)
            # PyTorch's engine frees what it executes: a node grad() skips (no input below it)
            # keeps its saved tensors for a later backward
            if not retain_graph and executes:
                node.release()
            for (child, output_nr), child_grad in zip(node.next_functions, grads_out):
                if child is None:
                    continue
                if output_nr and child_grad is not None:
                    _add_later(later_outputs, child, output_nr, child_grad)
                elif child_grad is not None:
                    existing = buffers.get(child)
                    buffers[child] = child_grad if existing is None else existing + child_grad
                remaining = dependencies[child] - 1
                dependencies[child] = remaining
                if remaining == 0:
                    push(ready, (-child.seq_nr, next(counter), child))
    return captured


def _add_later(later_outputs: dict, node, output_nr: int, grad) -> None:
    outputs = later_outputs.get(node)
    if outputs is None:
        later_outputs[node] = outputs = {}
    outputs[output_nr] = _add(outputs.get(output_nr), grad)


def _output_grads(node, first, later: dict | None, capture, captured: dict, owned_ids: set,
                  create_graph: bool):
    """A multi-output node's gradient per output (output 0's came in `first`), each through
    its piece's hooks, captured and retained per output; None if no output received one (the
    node does not run). When it runs, the hooks of a piece that got no gradient see None, as
    PyTorch's do."""
    grads = [first] + [None] * (len(node.output_shapes) - 1)
    for output_nr, grad in (later or {}).items():
        grads[output_nr] = grad
    if all(g is None for g in grads):
        return None
    for output_nr, grad in enumerate(grads):
        if node.hooks and node.hooks[output_nr]:
            owned_ids.add(id(grad))
            grad = grads[output_nr] = _run_hooks(node.hooks[output_nr], grad)
            owned_ids.add(id(grad))
        if grad is not None and capture is not None and (id(node), output_nr) in capture:
            captured[(id(node), output_nr)] = grad
    if node.retained is not None:
        for ref in node.retained:
            tensor = ref()
            if tensor is not None and grads[tensor._output_nr] is not None:
                _retain_into(tensor, grads[tensor._output_nr], create_graph)
    return grads


def _run_hooks(hooks: list, grad):
    """Tensor hooks, in registration order; a hook returning a tensor replaces the gradient."""
    for hook in list(hooks):
        replaced = hook(grad)
        if replaced is not None:
            if grad is None:          # an unused piece's hook (see _output_grads)
                raise TorchRuntimeError("can't replace a None gradient with a non-None value")
            grad = replaced
    return grad


class RemovableHandle:
    """What `register_hook` returns: `.remove()` unregisters the hook."""

    def __init__(self, hooks: list, hook) -> None:
        self._hooks = hooks
        self._hook = hook

    def remove(self) -> None:
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


def _retain(node, grad, create_graph: bool) -> None:
    """Fill `.grad` of the tensors that called retain_grad() on this node's output."""
    for ref in node.retained:
        tensor = ref()
        if tensor is not None:
            _retain_into(tensor, grad, create_graph)


def _retain_into(tensor, grad, create_graph: bool) -> None:
    if tensor._grad is not None:       # retained grads accumulate too
        tensor._grad = tensor._grad + grad
    else:
        tensor._grad = grad if create_graph else grad.detach().clone()


def _add(existing, grad):
    return grad if existing is None else existing + grad


def _accumulate(variable, grad, create_graph: bool, owned_ids: set, stolen: set) -> None:
    """AccumulateGrad: the first gradient becomes `.grad`, later ones are added into it."""
    if grad.dtype is not variable.dtype:
        grad = grad.to(variable.dtype)
    if create_graph:
        # PyTorch's AccumulateGrad builds `.grad` as a graph too: a CopyBackwards node over the
        # new gradient (and over the previous `.grad` when there is one) -- reference §3.6
        from gradcli.engine.inplace import accumulate_with_graph

        variable._grad = accumulate_with_graph(variable._grad, grad)
    elif variable._grad is None:
        data = grad._data
        stealable = (id(grad) not in owned_ids and data.flags.owndata
                     and data.flags.writeable and data.flags.c_contiguous
                     and id(data) not in stolen)
        if stealable:
            stolen.add(id(data))
            variable._grad = grad.detach()
        else:
            variable._grad = grad.detach().clone()
    else:
        existing = variable._grad
        np.add(existing._data, grad._data, out=existing._data, casting="unsafe")
        existing._version.bump()
