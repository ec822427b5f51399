"""Rearranging a tensor's elements: `repeat`, `flip`, `roll` (copies) and `split` / `chunk`,
`tensor_split` / `hsplit` / `vsplit` / `dsplit` (views along one dim).

PyTorch's split is one node with an output per piece (shapes.pieces_of); its backward, like
ATen's split_backward, concatenates the pieces' gradients (CatBackward0 under create_graph).
tensor_split is not: ATen builds it (and h/v/dsplit on it) from one `slice` per piece, so each
piece is an ordinary slice view with its own SliceBackward0, changeable in place.
"""

from __future__ import annotations

import numpy as np

from gradcli.engine import limits
from gradcli.engine import dtypes
from gradcli.engine.errors import TorchRuntimeError
from gradcli.engine.functions import check_overloads
from gradcli.engine.joining import cat
from gradcli.engine.ops import Op, apply
from gradcli.engine.shapes import _along, pieces_of, shape_arg, slice_along
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


def _index_list(value):
    """A 0-dim integer tensor as an int, a 1-dim one as a list of ints (the parser reads a
    tensor argument of an `int` or `tuple of ints` parameter so), anything else unchanged."""
    if isinstance(value, Tensor) and not value.dtype.is_floating_point \
            and value.dtype is not dtypes.bool_ and value.ndim <= 1:
        return value._data.tolist()
    return value


def _parsed(name: str, split):
    """`torch.NAME(input, ...)` and `x.NAME(...)`: the arguments checked against the function's
    or the method's signatures (functions.OVERLOADS, whose errors differ by `input`), then
    `split(input, indices_or_sections, dim)`. h/v/dsplit read an integer tensor as an int or
    a tuple of ints; tensor_split has a Tensor signature of its own."""
    def parse(input, arguments: tuple, keywords: dict, method: bool):
        if name != "tensor_split":
            arguments = tuple(map(_index_list, arguments))
            keywords = {k: _index_list(v) for k, v in keywords.items()}
        check_overloads(name, arguments if method else (input, *arguments), method=method,
                        keywords=keywords)
        given = arguments[0] if arguments else next(v for k, v in keywords.items()
                                                    if k != "dim")
        dim = arguments[1] if len(arguments) > 1 else keywords.get("dim", 0)
        return split(input, given, dim)

    def function(input, *arguments, **keywords):
        return parse(input, arguments, keywords, method=False)

    def method(self, *arguments, **keywords):
        return parse(self, arguments, keywords, method=True)

    function.__name__ = method.__name__ = name
    return function, method


def _tensor_split(input: Tensor, given, dim: int) -> tuple:
    """ATen's tensor_split: `sections` pieces (the first size % sections one longer), or
    pieces cut at `indices`, each `slice(input, dim, start, end)` with slice's clamping (an
    index past the end or before the previous one gives an empty piece)."""
    if input.ndim == 0:
        raise TorchRuntimeError("tensor_split expected at least a 1-dimensional tensor, but got "
                                f"a tensor with {input.ndim} dims")
    if isinstance(given, Tensor):
        if given.ndim > 1:
            raise TorchRuntimeError(
                "tensor_split expected tensor_indices_or_sections to be a zero-dimensional or "
                f"one-dimensional tensor, but got a tensor with {given.ndim} dims")
        if given.dtype is not dtypes.int64:
            raise TorchRuntimeError("tensor_split expected tensor_indices_or_sections to have "
                                    f"dtype of long, but got {given.dtype.scalar_name}")
        given = given._data.tolist()
    dim = _normalize_dim(dim, input.ndim)
    length = input.shape[dim]
    if isinstance(given, (tuple, list)):
        starts = [0] + [_slice_bound(int(i), length) for i in given]
        ends = starts[1:] + [length]
        return tuple(slice_along(input, dim, start, max(start, end), 1)
                     for start, end in zip(starts, ends))
    if given <= 0:
        raise TorchRuntimeError(f"number of sections must be larger than 0, got {given}")
    size, extra = divmod(length, given)
    sizes = [size + 1] * extra + [size] * (given - extra)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int)
    return tuple(slice_along(input, dim, int(start), int(start + n), 1)
                 for start, n in zip(starts, sizes))


def _slice_bound(index: int, length: int) -> int:
    """at::slice's reading of an index: negative counts from the end, clamped to [0, length]."""
    return min(max(index + length if index < 0 else index, 0), length)


def _split_along(name: str, least_dims: int, dim_of):
    """hsplit, vsplit or dsplit: tensor_split along `dim_of(ndim)`, with ATen's checks (at least
    `least_dims` dims; a number of sections that divides the dim)."""
    def split(input: Tensor, given, _dim) -> tuple:
        if input.ndim < least_dims:
            raise TorchRuntimeError(
                f"torch.{name} requires a tensor with at least {least_dims} dimension, but got "
                f"a tensor with {input.ndim} dimensions!")
        dim = dim_of(input.ndim)
        if not isinstance(given, (tuple, list)) and (given == 0
                                                     or input.shape[dim] % given):
            raise TorchRuntimeError(
                f"torch.{name} attempted to split along dimension {dim}, but the size of the "
                f"dimension {input.shape[dim]} is not divisible by the split_size {given}!")
        return _tensor_split(input, given, dim)
    return _parsed(name, split)


tensor_split, _tensor_split_method = _parsed("tensor_split", _tensor_split)
hsplit, _hsplit_method = _split_along("hsplit", 1, lambda ndim: 1 if ndim > 1 else 0)
vsplit, _vsplit_method = _split_along("vsplit", 2, lambda ndim: 0)
dsplit, _dsplit_method = _split_along("dsplit", 3, lambda ndim: 2)


# The functions the language offers as `torch.NAME` (and without prefix).
TORCH_FUNCTIONS = ("flip", "roll", "split", "chunk", "tensor_split", "hsplit", "vsplit", "dsplit")

_METHODS = {"repeat": repeat, "flip": flip, "roll": roll, "split": split, "chunk": chunk,
            "tensor_split": _tensor_split_method, "hsplit": _hsplit_method,
            "vsplit": _vsplit_method, "dsplit": _dsplit_method}

for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
