"""Joining tensors: `cat` (CatBackward0) and `stack` (StackBackward0) with one gradient slot
per tensor in the list, and the hstack/vstack/dstack/column_stack family ATen builds on cat.
"""

from __future__ import annotations

import functools

import numpy as np

from gradcli.engine import limits
from gradcli.engine.errors import TorchRuntimeError, TorchValueError
from gradcli.engine.ops import Op, apply
from gradcli.engine.shapes import reshape, select, slice_along, unsqueeze
from gradcli.engine.tensor import Tensor, _normalize_dim


@functools.lru_cache(maxsize=None)
def _join_row(kind: str, count: int) -> Op:
    """The cat/stack row for `count` inputs: input i's gradient is its part of the result."""
    if kind == "cat":
        def part(i):
            return lambda g, s: slice_along(g, s.dim, s.offsets[i], s.offsets[i + 1])
        forward = lambda *arrays, dim, offsets: np.concatenate(arrays, axis=dim)  # noqa: E731
        return Op("cat", "CatBackward0", forward, grads=tuple(part(i) for i in range(count)),
                  saves=((),) * count, elementwise=False,
                  rules=("d(cat)/da_i = the slice of a_i",) * count)
    forward = lambda *arrays, dim: np.stack(arrays, axis=dim)  # noqa: E731
    return Op("stack", "StackBackward0", forward,
              grads=tuple((lambda i: lambda g, s: select(g, s.dim, i))(i) for i in range(count)),
              saves=((),) * count, elementwise=False,
              rules=("d(stack)/da_i = entry i",) * count)


def _dims_text(shape) -> str:
    return "[" + ", ".join(map(str, shape)) + "]"


def cat(tensors, dim=0):
    tensors = list(tensors)
    if not tensors:
        raise TorchValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, x in enumerate(tensors):
        if x.ndim == 0:
            raise TorchRuntimeError(
                f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    first = tensors[0]
    dim = _normalize_dim(dim, first.ndim)
    for i, x in enumerate(tensors[1:], start=1):
        if x.ndim != first.ndim:
            raise TorchRuntimeError(
                f"Tensors must have same number of dimensions: got {first.ndim} and {x.ndim}")
        for d in range(first.ndim):
            if d != dim and x.shape[d] != first.shape[d]:
                raise TorchRuntimeError(
                    f"Sizes of tensors must match except in dimension {dim}. Expected size "
                    f"{first.shape[d]} but got size {x.shape[d]} for tensor number {i} in the "
                    "list.")
    # where each input starts along `dim`, for its part of the gradient
    offsets = tuple(int(n) for n in np.cumsum([0] + [x.shape[dim] for x in tensors]))
    limits.check_elements(first.shape[:dim] + (offsets[-1],) + first.shape[dim + 1:])
    return apply(_join_row("cat", len(tensors)), *tensors, dim=dim, offsets=offsets)


def stack(tensors, dim=0):
    tensors = list(tensors)
    if not tensors:
        raise TorchRuntimeError("stack expects a non-empty TensorList")
    first = tensors[0]
    for i, x in enumerate(tensors[1:], start=1):
        if x.shape != first.shape:
            raise TorchRuntimeError(
                f"stack expects each tensor to be equal size, but got {_dims_text(first.shape)} "
                f"at entry 0 and {_dims_text(x.shape)} at entry {i}")
    dim = _normalize_dim(dim, first.ndim + 1)
    limits.check_elements(first.shape[:dim] + (len(tensors),) + first.shape[dim:])
    return apply(_join_row("stack", len(tensors)), *tensors, dim=dim)


def _at_least(input: Tensor, ndim: int) -> Tensor:
    """ATen's atleast_1d/2d/3d: a 0-d tensor is reshaped; a vector becomes a row (and a 3-D
    (1, n, 1)); a matrix gains a last dim for 3-D."""
    if input.ndim >= ndim:
        return input
    if input.ndim == 0:
        return reshape(input, *(1,) * ndim)
    if input.ndim == 1 and ndim == 3:
        return unsqueeze(unsqueeze(input, 0), -1)
    return unsqueeze(input, 0) if input.ndim == 1 else unsqueeze(input, -1)


def hstack(tensors):
    tensors = [_at_least(t, 1) for t in tensors]
    return cat(tensors, 0 if tensors and tensors[0].ndim == 1 else 1)


def vstack(tensors):
    return cat([_at_least(t, 2) for t in tensors], 0)


def dstack(tensors):
    return cat([_at_least(t, 3) for t in tensors], 2)


def column_stack(tensors):
    """Vectors (and scalars) become columns; wider tensors are joined as they are."""
    return hstack([reshape(t, t.numel(), 1) if t.ndim <= 1 else t for t in tensors])


# The functions the language offers as `torch.NAME` (and without prefix).
TORCH_FUNCTIONS = ("cat", "concat", "concatenate", "stack", "hstack", "vstack", "dstack",
                   "column_stack")
concat = concatenate = cat
