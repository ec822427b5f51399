"""Picking elements by index or position: `gather`, `index_select`, `masked_fill`, `topk`,
`sort`, the diagonal family (`diagonal`, `diag`, `trace`) and the triangles (`tril`, `triu`).
sort/topk return `torch.return_types` pairs like max(dim).

Each backward puts the gradient back where the element came from (into zeros, adding where an
index repeats), as ATen's scatter_add / index_add / diagonal_backward do.
"""

from __future__ import annotations

import numpy as np

from gradcli.engine import dtypes
from gradcli.engine.errors import TorchIndexError, TorchRuntimeError
from gradcli.engine.ops import Op, apply, broadcast_shapes, keep_where, unbroadcast
from gradcli.engine.reductions import ReturnTypes
from gradcli.engine.shapes import expand, view_of
from gradcli.engine.tensor import Tensor, _normalize_dim


def _scatter_add(a, shape, dim, index):
    out = np.zeros(shape, dtype=a.dtype)
    np.add.at(out, _positions(index, dim), a)
    return out


def _positions(index: np.ndarray, dim: int) -> tuple:
    """The full coordinates `index` addresses along `dim` (as take_along_axis reads them)."""
    grid = list(np.indices(index.shape, sparse=True))
    grid[dim] = index
    return tuple(grid)


def _masked_scatter(a, mask):
    out = np.zeros(mask.shape, dtype=a.dtype)
    out[mask] = a
    return out


def _index_add(a, shape, dim, index):
    out = np.zeros(shape, dtype=a.dtype)
    np.add.at(out, (slice(None),) * dim + (index,), a)
    return out


def _diagonal_embed(a, shape, offset, dim1, dim2):
    """Zeros of `shape` with `a` (laid out as np.diagonal gives it, diagonal last) on the
    diagonal of dims `dim1`, `dim2`."""
    out = np.zeros(shape, dtype=a.dtype)
    planes = np.moveaxis(out, (dim1, dim2), (-2, -1))      # a writable view of `out`
    steps = np.arange(a.shape[-1])
    rows, cols = (steps, steps + offset) if offset >= 0 else (steps - offset, steps)
    planes[..., rows, cols] = a
    return out


def _ordering(name: str, grad_fn: str) -> Op:
    """sort/topk: the values at already chosen indices; the gradient goes back to them."""
    return Op(name, grad_fn, lambda a, dim, indices: np.take_along_axis(a, indices, dim),
              grads=(lambda g, s: apply(ROWS["scatter_add"], g, shape=s.shapes[0], dim=s.dim,
                                        index=s.indices),), saves=((),), dtype="same",
              elementwise=False, rules=(f"d({name} a)/da = 1 at the source position",))


ROWS = {op.name: op for op in [
    Op("gather", "GatherBackward0",
       lambda a, dim, index: a[_positions(index, dim)],
       grads=(lambda g, s: apply(ROWS["scatter_add"], g, shape=s.shapes[0], dim=s.dim,
                                 index=s.index),), saves=((),), dtype="same",
       elementwise=False, rules=("d(gather a)/da = 1 at each index (summed)",)),
    Op("scatter_add", "ScatterAddBackward0", _scatter_add,
       grads=(lambda g, s: apply(ROWS["gather"], g, dim=s.dim, index=s.index),), saves=((),),
       dtype="same", elementwise=False, rules=("d(scatter_add a)/da = gather back",)),
    Op("index_select", "IndexSelectBackward0", lambda a, dim, index: np.take(a, index, dim),
       grads=(lambda g, s: apply(ROWS["index_add"], g, shape=s.shapes[0], dim=s.dim,
                                 index=s.index),), saves=((),), dtype="same",
       elementwise=False, rules=("d(index_select a)/da = 1 at each index (summed)",)),
    Op("index_add", "IndexAddBackward0", _index_add,
       grads=(lambda g, s: apply(ROWS["index_select"], g, dim=s.dim, index=s.index),),
       saves=((),), dtype="same", elementwise=False, rules=("d(index_add a)/da = select back",)),
    Op("masked_select", "MaskedSelectBackward0",
       lambda a, mask: np.broadcast_to(a, mask.shape)[mask],
       grads=(lambda g, s: unbroadcast(apply(ROWS["masked_scatter"], g, mask=s.mask),
                                       s.shapes[0]),), saves=((),), dtype="same",
       elementwise=False, rules=("d(a[mask])/da = 1 where mask",)),
    Op("masked_scatter", "MaskedScatterBackward0", lambda a, mask: _masked_scatter(a, mask),
       grads=(lambda g, s: apply(ROWS["masked_select"], g, mask=s.mask),), saves=((),),
       dtype="same", elementwise=False, rules=("d(scatter a at mask)/da = select back",)),
    Op("masked_fill", "MaskedFillBackward0", lambda a, mask, value: np.where(mask, value, a),
       grads=(lambda g, s: keep_where(~s.mask, g),), saves=((),), dtype="same",
       elementwise=False, rules=("d(masked_fill a)/da = [not mask]",)),
    _ordering("sort", "SortBackward0"),
    _ordering("topk", "TopkBackward0"),
    Op("diagonal", "DiagonalBackward0", lambda a, offset, dim1, dim2: np.diagonal(
        a, offset, dim1, dim2),
       grads=(lambda g, s: apply(ROWS["diagonal_backward"], g, shape=s.shapes[0],
                                 offset=s.offset, dim1=s.dim1, dim2=s.dim2),), saves=((),),
       dtype="same", elementwise=False, rules=("d(diagonal a)/da = 1 on the diagonal",)),
    Op("diagonal_backward", "DiagonalBackwardBackward0", _diagonal_embed,
       grads=(lambda g, s: diagonal(g, s.offset, s.dim1, s.dim2),), saves=((),), dtype="same",
       elementwise=False, rules=("d(embed a)/da = diagonal back",)),
    Op("diag", "DiagonalBackward0_copy", lambda a, offset: np.diagonal(a, offset).copy(),
       grads=(lambda g, s: apply(ROWS["diagonal_backward"], g, shape=s.shapes[0],
                                 offset=s.offset, dim1=0, dim2=1),), saves=((),),
       dtype="same", elementwise=False, rules=("d(diag A)/dA = 1 on the diagonal",)),
    Op("diag_embed", "DiagEmbedBackward0", lambda a, offset: np.diag(a, offset),
       grads=(lambda g, s: diagonal(g, s.offset),), saves=((),), dtype="same",
       elementwise=False, rules=("d(diag v)/dv = the diagonal",)),
    Op("trace", "TraceBackward0", lambda a: np.trace(a),
       grads=(lambda g, s: g * Tensor(np.eye(*s.shapes[0], dtype=s.dtypes[0].numpy)),),
       saves=((),), dtype="sum", elementwise=False, rules=("d(trace a)/da = I",)),
    Op("tril", "TrilBackward0", lambda a, diagonal: np.tril(a, diagonal),
       grads=(lambda g, s: tril(g, s.diagonal),), saves=((),), dtype="same",
       elementwise=False, rules=("d(tril a)/da = [on or below the diagonal]",)),
    Op("triu", "TriuBackward0", lambda a, diagonal: np.triu(a, diagonal),
       grads=(lambda g, s: triu(g, s.diagonal),), saves=((),), dtype="same",
       elementwise=False, rules=("d(triu a)/da = [on or above the diagonal]",)),
]}


def _long_index(index: Tensor, name: str) -> np.ndarray:
    if index.dtype is not dtypes.int64:
        raise TorchRuntimeError(f"{name}(): Expected dtype int64 for index")
    return index._data


def gather(input, dim, index):
    dim = _normalize_dim(dim, input.ndim)
    positions = _long_index(index, "gather")
    if index.ndim != input.ndim:
        raise TorchRuntimeError(
            "Index tensor must have the same number of dimensions as input tensor")
    size = input.shape[dim]
    outside = (positions < -size) | (positions >= size)
    if outside.any():
        raise TorchRuntimeError(f"index {int(positions[outside][0])} is out of bounds for "
                                f"dimension {dim} with size {size}")
    return apply(ROWS["gather"], input, dim=dim, index=positions % max(size, 1))


def index_select(input, dim, index):
    dim = _normalize_dim(dim, input.ndim)
    if index.ndim > 1:
        raise TorchIndexError("index_select(): Index is supposed to be a vector")
    positions = _long_index(index, "index_select").reshape(-1)
    outside = (positions < 0) | (positions >= input.shape[dim])
    if outside.any():
        raise TorchRuntimeError(f"INDICES element is out of DATA bounds, id="
                                f"{int(positions[outside][0])} axis_dim={input.shape[dim]}")
    return apply(ROWS["index_select"], input, dim=dim, index=positions)


def masked_select(input, mask):
    if mask.dtype is not dtypes.bool_:
        raise TorchRuntimeError("masked_select: expected BoolTensor for mask")
    shape = broadcast_shapes(input.shape, mask.shape)     # both broadcast, as in ATen
    return apply(ROWS["masked_select"], input, mask=np.broadcast_to(mask._data, shape))


def masked_fill(input, mask, value):
    if mask.dtype is not dtypes.bool_:
        raise TorchRuntimeError("masked_fill_ only supports boolean masks, but got mask with "
                                f"dtype {mask.dtype.scalar_name.lower()}")
    value = value.item() if isinstance(value, Tensor) else value
    expand(mask, *input.shape)          # the mask broadcasts to the input, not back (checked)
    # the row takes the mask as given, which PyTorch's node saves (grad_fn._saved_mask)
    return apply(ROWS["masked_fill"], input, mask=mask._data, value=value)


def _ordered(name: str, input: Tensor, dim: int, order: np.ndarray):
    indices = order.astype(np.int64)
    values = apply(ROWS[name], input, dim=dim, indices=indices)
    return ReturnTypes(name, values, Tensor(indices))


def sort(input, dim=-1, descending=False, stable=False):
    dim = _normalize_dim(dim, max(input.ndim, 1))
    data = input._data if input.ndim else input._data.reshape(1)
    order = np.argsort(-data if descending else data, axis=dim, kind="stable")
    return _ordered("sort", input, dim, order.reshape(input.shape))


def topk(input, k, dim=-1, largest=True, sorted=True):
    dim = _normalize_dim(dim, max(input.ndim, 1))
    if not 0 <= k <= (input.shape[dim] if input.ndim else 1):
        raise TorchRuntimeError("selected index k out of range")
    data = input._data if input.ndim else input._data.reshape(1)
    order = np.argsort(-data if largest else data, axis=dim, kind="stable")
    order = np.take(order, np.arange(k), axis=dim)
    return _ordered("topk", input, dim, order if input.ndim else order.reshape(()))


def nonzero(input, *, as_tuple=False):
    """The int64 coordinates of the nonzero elements: one row each, or one tensor per dim."""
    coordinates = np.nonzero(input._data if input.ndim else input._data.reshape(1))
    if as_tuple:
        return tuple(Tensor(c.astype(np.int64)) for c in coordinates)
    stacked = np.stack(coordinates, axis=1) if input.ndim else np.zeros(
        (len(coordinates[0]), 0), dtype=np.int64)
    return Tensor(stacked.astype(np.int64))


def where_condition(condition):
    """`torch.where(condition)` with one argument: PyTorch documents it as identical to
    `torch.nonzero(condition, as_tuple=True)`, one int64 tensor of coordinates per dim."""
    return nonzero(condition, as_tuple=True)


def diagonal(input, offset=0, dim1=0, dim2=1):
    dim1, dim2 = _normalize_dim(dim1, input.ndim), _normalize_dim(dim2, input.ndim)
    return view_of(ROWS["diagonal"], input, offset=offset, dim1=dim1, dim2=dim2)


def diag(input, diagonal=0):
    if input.ndim == 1:
        return apply(ROWS["diag_embed"], input, offset=int(diagonal))
    if input.ndim != 2:
        raise TorchRuntimeError("diag(): Supports 1D or 2D tensors. Got " f"{input.ndim}D")
    return apply(ROWS["diag"], input, offset=int(diagonal))


def trace(input):
    if input.ndim != 2:
        raise TorchRuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim}")
    return apply(ROWS["trace"], input)


def tril(input, diagonal=0):
    return apply(ROWS["tril"], input, diagonal=int(diagonal))


def triu(input, diagonal=0):
    return apply(ROWS["triu"], input, diagonal=int(diagonal))


# The functions the language offers as `torch.NAME` (and without prefix).
TORCH_FUNCTIONS = ("gather", "index_select", "masked_select", "masked_fill", "sort", "topk",
                   "nonzero", "diagonal", "diag", "trace", "tril", "triu")

_METHODS = {name: globals()[name] for name in TORCH_FUNCTIONS}

for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
