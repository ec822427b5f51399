"""The autograd graph and the backward pass.

Nodes mirror PyTorch's: `name()`, `next_functions` as `((node_or_None, 0), ...)`, and
`AccumulateGrad` sinks whose `.variable` is the leaf. The backward pass is a loop over a ready
queue (no recursion, so a 1,000,000-node chain works); like PyTorch's CPU engine it runs the
ready node with the highest sequence number first, AccumulateGrad before anything else.
"""

from __future__ import annotations

import gc
import heapq
import itertools
import math
import weakref

import numpy as np

from gradcli.engine import grad_mode
from gradcli.engine.errors import TorchRuntimeError

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)
_INPLACE_HINT = (
    "Hint: enable anomaly detection to find the operation that failed to compute its gradient, "
    "with torch.autograd.set_detect_anomaly(True, check_nan=False)."
)

_sequence = itertools.count()


class SavedTensor:
    """A tensor a node keeps for its backward, with the version it had when saved.

    A node's own output is kept as its parts (storage, version counter, a weak reference to the
    node) and rebuilt on unpacking, as PyTorch's SavedVariable does: holding the output itself
    would make a reference cycle (output -> grad_fn -> saved output) that only the cyclic
    garbage collector frees, keeping large arrays alive long after the graph is gone.
    """

    __slots__ = ("tensor", "data", "counter", "node", "kind", "version", "producer")

    def __init__(self, tensor, is_output: bool = False) -> None:
        if tensor._inference:
            raise TorchRuntimeError(
                "Inference tensors cannot be saved for backward. Please do not use Tensors "
                "created in inference mode in computation tracked by autograd. To work around "
                "this, you can make a clone to get a normal tensor and use it in autograd, or use "
                "`torch.no_grad()` instead of `torch.inference_mode()`.")
        self.version = tensor._version.value
        # The message names the op that made the tensor at save time ("output 0 of Sigmoid").
        self.producer = tensor.grad_fn.name() if tensor.grad_fn is not None else None
        if is_output:
            self.tensor = None
            self.data = tensor._data
            self.counter = tensor._version
            self.node = weakref.ref(tensor.grad_fn)
            self.kind = type(tensor)
        else:
            self.tensor = tensor
            self.data = self.counter = self.node = self.kind = None

    def refers_to(self, tensor) -> bool:
        return self.tensor is tensor if self.tensor is not None else self.data is tensor._data

    def unpack(self):
        if self.tensor is not None:
            t = self.tensor
        else:
            t = self.kind(self.data, requires_grad=True, grad_fn=self.node(), version=self.counter)
        current = t._version.value
        if current != self.version:
            shape = "[" + ", ".join(str(n) for n in t.shape) + "]"
            origin = ""
            if self.producer is not None:
                op = self.producer.rstrip("0123456789")
                op = op[: -len("Backward")] if op.endswith("Backward") else op
                origin = f", which is output 0 of {op},"
            raise TorchRuntimeError(
                "one of the variables needed for gradient computation has been modified by an "
                f"inplace operation: [{t.type()} {shape}]{origin} is at version {current}; "
                f"expected version {self.version} instead. {_INPLACE_HINT}"
            )
        return t


class SavedContext:
    """What a node's backward reads: its op-table row, what it knows of its inputs (`needs`,
    `shapes`, `dtypes`: one entry per input), its parameters and its saved tensors."""

    __slots__ = ("op", "needs", "shapes", "dtypes", "params", "_saved", "_freed")

    def __init__(self, op, saved: dict, needs: tuple, shapes: tuple, dtypes: tuple,
                 params: dict) -> None:
        self.op = op
        self.needs = needs
        self.shapes = shapes
        self.dtypes = dtypes
        self.params = params
        self._saved = saved
        self._freed = False

    def unpacked(self) -> "Unpacked":
        """What a backward rule reads as plain attributes (`s.a`, `s.out`, `s.dim`,
        `s.shapes`): each saved tensor checked and unpacked once, before the rule runs, as
        PyTorch's generated nodes unpack theirs."""
        if self._freed:
            raise TorchRuntimeError(FREED_MESSAGE)
        values = {"needs": self.needs, "shapes": self.shapes, "dtypes": self.dtypes}
        values.update(self.params)
        for name, value in self._saved.items():
            values[name] = value.unpack() if type(value) is SavedTensor else value
        return Unpacked(values)

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


class Unpacked:
    """A context's values for one run of its backward: plain attributes, nothing left to check."""

    def __init__(self, values: dict) -> None:
        self.__dict__ = values


class Node:
    """One backward function of the graph: what PyTorch shows as `t.grad_fn`."""

    __slots__ = ("_name", "next_functions", "ctx", "backward_fn", "seq_nr", "retained", "source",
                 "op", "hooks", "__weakref__")

    def __init__(self, name: str, next_functions: tuple, backward_fn, ctx: SavedContext) -> None:
        self._name = name
        self.next_functions = next_functions
        self.backward_fn = backward_fn
        self.ctx = ctx
        self.seq_nr = next(_sequence)
        self.retained = None      # weak references to the tensors whose .grad is kept here
                                  # (retain_grad); strong ones would make a reference cycle
        self.source = None        # where the language created it (for --trace and graph labels)
        self.op = None            # the op-table row, when the node came from one
        self.hooks = None         # register_hook functions of the tensor this node made

    def name(self) -> str:
        return self._name

    def apply(self, grad):
        """The gradients for each of `next_functions`, given the gradient of this node's output."""
        return self.backward_fn(grad, self.ctx)

    def release(self) -> None:
        self.ctx.release()

    def __repr__(self) -> str:
        return f"<{self._name} object at {hex(id(self))}>"


class AccumulateGrad:
    """The sink for a leaf that requires grad: adds the incoming gradient into `variable.grad`.
    Shown as `AccumulateGrad` (its class name) everywhere but in `name()`."""

    __slots__ = ("variable", "seq_nr", "next_functions", "retained", "source", "__weakref__")

    def __init__(self, variable) -> None:
        self.variable = variable
        self.seq_nr = math.inf    # PyTorch gives AccumulateGrad the highest priority
        self.next_functions = ()
        self.retained = None
        self.source = None

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"     # what PyTorch's name() returns for it

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
    """Run the backward pass from `roots` (nodes) seeded with `root_grads` (tensors).

    `capture`: nodes whose total incoming gradient is returned (for `grad()`), keyed by id.
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


def _run(roots, root_grads, retain_graph, create_graph, capture, accumulate, on_step) -> dict:
    dependencies = _collect_dependencies(roots)
    needed = None
    if capture is not None or not accumulate:
        needed = _nodes_leading_to(capture.values() if capture else (), dependencies, roots)
    buffers: dict = {}          # node -> the sum of the gradients it has received so far
    # The caller's gradient objects are never stolen by AccumulateGrad; every other gradient is
    # made by this pass and read once by its one consumer (the summed buffer of a node that
    # receives several), so a leaf may keep its array as `.grad` without a copy. A gradient a
    # node passes to two children (x + y) is stolen by the first only (`stolen`).
    owned_ids = {id(g) for g in root_grads}
    for node, grad in zip(roots, root_grads):
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
                if accumulate and grad is not None and (capture is None or id(node) in capture):
                    _accumulate(node.variable, grad, create_graph, owned_ids, stolen)
                continue
            run = grad is not None and (needed is None or id(node) in needed)
            grads_out = node.apply(grad) if run else (None,) * len(node.next_functions)
            if on_step is not None and run:
                on_step(node, grad, grads_out)
            if not retain_graph:
                node.release()
            for (child, _), child_grad in zip(node.next_functions, grads_out):
                if child is None:
                    continue
                if child_grad is not None:
                    existing = buffers.get(child)
                    buffers[child] = child_grad if existing is None else existing + child_grad
                remaining = dependencies[child] - 1
                dependencies[child] = remaining
                if remaining == 0:
                    push(ready, (-child.seq_nr, next(counter), child))
    return captured


def _run_hooks(hooks: list, grad):
    """Tensor hooks, in registration order; a hook returning a tensor replaces the gradient."""
    for hook in list(hooks):
        replaced = hook(grad)
        if replaced is not None:
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
        if tensor is None:
            continue
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
