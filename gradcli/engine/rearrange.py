"""Rearranging a tensor's elements: `repeat`, `flip`, `roll` (copies) and `split` / `chunk`
(views along one dim).

PyTorch's split is one node with an output per piece (shapes.pieces_of); its backward, like
ATen's split_backward, concatenates the pieces' gradients (CatBackward0 under create_graph).
"""

from __future__ import annotations

import numpy as np

from gradcli.engine import limits
from gradcli.engine.errors import TorchRuntimeError
from gradcli.engine.joining import cat
from gradcli.engine.ops import Op, apply
from gradcli.engine.shapes import _along, pieces_of, shape_arg
from gradcli.engine.tensor import Tensor, _normalize_dim


def _repeat_grad(g: Tensor, s) -> Tensor:
    """Sum the copies: view the gradient as (copies, size) pairs per dim and sum the copies."""
    shape = s.shapes[0]
    lead = len(s.repeats) - len(shape)
    sizes = (1,) * lead + tuple(shape)
    paired = [n for pair in zip(s.repeats, sizes) for n in pair]
    summed = g.reshape(*paired).sum(dim=tuple(range(0, 2 * len(sizes), 2)))
    return summed.reshape(shape)


def _cut(a: np.ndarray, dim: int, sizes: tuple) -> list:
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int)
    return [a[_along(dim, int(start), int(start + size), 1)]
            for start, size in zip(starts, sizes)]


def _pieces_row(kind: str):
    """A multi-output row (shapes.pieces_of): the rule concatenates the pieces' gradients."""
    return Op(kind, {"split": "SplitBackward0", "split_sizes": "SplitWithSizesBackward0"}[kind],
              _cut, grads=(lambda grads, s: cat(grads, s.dim),), saves=((),), dtype="same",
              elementwise=False, rules=("d(piece of a)/da = 1 on the piece",))


ROWS = {op.name: op for op in [
    Op("repeat", "RepeatBackward0", lambda a, repeats: np.tile(a, repeats),
       grads=(_repeat_grad,), saves=((),), dtype="same", elementwise=False,
       rules=("d(repeat a)/da = sum over the copies",)),
    Op("flip", "FlipBackward0", lambda a, dims: np.flip(a, dims).copy(),
       grads=(lambda g, s: flip(g, s.dims),), saves=((),), dtype="same", elementwise=False,
       rules=("d(flip a)/da = flip back",)),
    Op("roll", "RollBackward0", lambda a, shifts, dims: np.roll(a, shifts, dims),
       grads=(lambda g, s: roll(g, tuple(-n for n in s.shifts), s.dims),), saves=((),),
       dtype="same", elementwise=False, rules=("d(roll a)/da = roll back",)),
    _pieces_row("split"),
    _pieces_row("split_sizes"),
]}


def repeat(input, *repeats):
    repeats = shape_arg(repeats)
    if len(repeats) < input.ndim:
        raise TorchRuntimeError("Number of dimensions of repeat dims can not be smaller than "
                                "number of dimensions of tensor")
    sizes = (1,) * (len(repeats) - input.ndim) + tuple(input.shape)
    limits.check_elements(tuple(n * r for n, r in zip(sizes, repeats)))
    return apply(ROWS["repeat"], input, repeats=repeats)


def _dim_tuple(dims, ndim: int) -> tuple:
    dims = dims if isinstance(dims, (tuple, list)) else (dims,)
    return tuple(_normalize_dim(d, ndim) for d in dims)


def flip(input, *dims):
    dims = dims[0] if len(dims) == 1 else dims
    return apply(ROWS["flip"], input, dims=_dim_tuple(dims, input.ndim))


def roll(input, shifts, dims=None):
    shifts = tuple(shifts) if isinstance(shifts, (tuple, list)) else (int(shifts),)
    if dims is None:        # numpy and ATen alike roll the flattened tensor, keeping its shape
        return apply(ROWS["roll"], input, shifts=shifts, dims=None)
    dims = _dim_tuple(dims, input.ndim)
    if len(shifts) != len(dims):
        raise TorchRuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                                f"dims:{len(dims)}")
    return apply(ROWS["roll"], input, shifts=shifts, dims=dims)


def split(input, split_size_or_sections, dim=0):
    dim = _normalize_dim(dim, input.ndim)
    length = input.shape[dim]
    if isinstance(split_size_or_sections, (tuple, list)):
        sizes = [int(n) for n in split_size_or_sections]
        if sum(sizes) != length:
            raise TorchRuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {length} (input tensor's "
                f"size at dimension {dim}), but got split_sizes={sizes}")
        return pieces_of(ROWS["split_sizes"], input, dim=dim, sizes=tuple(sizes))
    size = int(split_size_or_sections)
    if size <= 0 and length:
        raise TorchRuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                                f"dimension size of {length}")
    count = max(-(-length // size), 1) if size else 1
    sizes = [min(size, length - i * size) for i in range(count)]
    return pieces_of(ROWS["split"], input, dim=dim, sizes=tuple(sizes))


def chunk(input, chunks, dim=0):
    if chunks <= 0:
        raise TorchRuntimeError("chunk expects `chunks` to be greater than 0, got: "
                                f"{chunks}")
    length = input.shape[_normalize_dim(dim, input.ndim)]
    return split(input, max(-(-length // chunks), 1), dim)


# The functions the language offers as `torch.NAME` (and without prefix).
TORCH_FUNCTIONS = ("flip", "roll", "split", "chunk")

_METHODS = {"repeat": repeat, "flip": flip, "roll": roll, "split": split, "chunk": chunk}

for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
