"""`Tensor.backward` and `torch.autograd.grad`: checking their arguments the way PyTorch does,
then running the engine's backward pass."""

from __future__ import annotations

import numpy as np

from gradcli.engine import autograd
from gradcli.engine.errors import TorchRuntimeError, TorchTypeError
from gradcli.engine.tensor import Tensor
from gradcli.engine.warnings import warn

CREATE_GRAPH_WARNING = (
    "Using backward() with create_graph=True will create a reference cycle between the parameter "
    "and its gradient which can cause a memory leak. We recommend using autograd.grad when "
    "creating the graph to avoid this. If you have to use this function, make sure to reset the "
    ".grad fields of your parameters to None after use to break the cycle and avoid the leak. "
    "(Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/engine.cpp:1307.)")


def _as_tuple(x) -> tuple:
    if x is None:
        return ()
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _make_grads(outputs: tuple, grad_outputs: tuple) -> list:
    """The seed gradient of each output: given, or an implicit 1 for a one-element output."""
    grads = []
    for i, out in enumerate(outputs):
        given = grad_outputs[i] if i < len(grad_outputs) else None
        if given is None:
            if not out.requires_grad:
                grads.append(None)
                continue
            if out.numel() != 1:
                raise TorchRuntimeError("grad can be implicitly created only for scalar outputs")
            grads.append(Tensor(np.ones(out.shape, dtype=out.dtype.numpy)))
        elif not isinstance(given, Tensor):
            raise TorchTypeError(
                f"gradients can be either Tensors or None, but got {type(given).__name__}")
        else:
            if given.shape != out.shape:
                raise TorchRuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of {given.shape} and "
                    f"output[{i}] has a shape of {out.shape}.")
            grads.append(given if given.dtype is out.dtype else given.detach().to(out.dtype))
    return grads


def _capture(edges) -> dict:
    """`execute`'s capture: the node of each edge, under the edge's key."""
    return {autograd.edge_key(node, output_nr): node for node, output_nr in edges}


def _roots(outputs: tuple) -> list:
    roots = []
    for i, out in enumerate(outputs):
        edge = autograd.output_edge(out)
        if edge[0] is None:
            raise TorchRuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn")
        roots.append(edge)
    return roots


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None,
             on_step=None) -> None:
    outputs = _as_tuple(tensors)
    if isinstance(grad_tensors, (list, tuple)) and grad_tensors and not isinstance(
            grad_tensors[0], Tensor) and not isinstance(tensors, (list, tuple)):
        # `y.backward([1.0, 1.0])`: PyTorch reports the first element's type
        raise TorchTypeError(
            f"gradients can be either Tensors or None, but got {type(grad_tensors[0]).__name__}")
    grads = _make_grads(outputs, _as_tuple(grad_tensors))
    roots = _roots(outputs)
    if retain_graph is None:
        retain_graph = create_graph
    if create_graph:
        warn(CREATE_GRAPH_WARNING)
    capture = None
    if inputs is not None:
        for t in _as_tuple(inputs):
            if not t.is_leaf:           # PyTorch fills a non-leaf input's .grad: it retains it
                t.retain_grad()
        capture = _capture(autograd.output_edge(t) for t in _as_tuple(inputs))
    autograd.execute(roots, grads, retain_graph=retain_graph, create_graph=create_graph,
                     capture=capture, accumulate=True, on_step=on_step)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False,
         on_step=None):
    outputs, inputs = _as_tuple(outputs), _as_tuple(inputs)
    if allow_unused is None:
        allow_unused = materialize_grads
    for t in inputs:
        if not t.requires_grad:
            raise TorchRuntimeError("One of the differentiated Tensors does not require grad")
    grads = _make_grads(outputs, _as_tuple(grad_outputs))
    roots = _roots(outputs)
    if retain_graph is None:
        retain_graph = create_graph
    edges = [autograd.output_edge(t) for t in inputs]
    captured = autograd.execute(roots, grads, retain_graph=retain_graph,
                                create_graph=create_graph, capture=_capture(edges),
                                accumulate=False, on_step=on_step)
    results = []
    for i, (t, edge) in enumerate(zip(inputs, edges)):
        g = captured.get(autograd.edge_key(*edge))
        if g is None:
            if not allow_unused:
                raise TorchRuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in the "
                    "graph. Set allow_unused=True if this is the desired behavior.")
            if materialize_grads:
                g = Tensor(np.zeros(t.shape, dtype=t.dtype.numpy))
        elif not create_graph:
            # an own, writable array: the pass may have produced a read-only constant broadcast
            g = Tensor(np.array(g._data)) if not g._data.flags.writeable else g.detach()
        results.append(g)
    return tuple(results)
