"""`Tensor.__getitem__` as PyTorch decomposes it (torch/csrc/autograd/python_variable_indexing.cpp).

The index is read left to right: an integer is a `select` (SelectBackward0) on the current dim,
a slice a `slice` (SliceBackward0; the full `:` adds no node), `None` an `unsqueeze`, `...`
skips dims. Those are views of the input. Integer lists, integer tensors and bool masks
("advanced" indices) are applied last, all at once, as one `index` (IndexBackward0), which
copies; its backward adds into zeros, so a repeated index accumulates its gradients.
"""

from __future__ import annotations

import numbers

import numpy as np

from gradcli.engine import dtypes
from gradcli.engine.errors import TorchIndexError, TorchValueError
from gradcli.engine.ops import Op, apply
from gradcli.engine.shapes import as_view, select, slice_along, unsqueeze
from gradcli.engine.tensor import Tensor


def _index_put_forward(a, shape, key):
    out = np.zeros(shape, dtype=a.dtype)
    np.add.at(out, key, a)
    return out


ROWS = {op.name: op for op in [
    Op("index", "IndexBackward0", lambda a, key: a[key],
       grads=(lambda g, s: index_put_zeros(g, s.shapes[0], s.key),), saves=((),),
       dtype="same", elementwise=False, rules=("d(a[idx])/da = 1 at each idx (summed)",)),
    Op("index_put", "IndexPutBackward0", _index_put_forward,
       grads=(lambda g, s: apply(ROWS["index"], g, key=s.key),), saves=((),), dtype="same",
       elementwise=False, rules=("d(zeros.index_put(idx, a))/da = 1 at each idx",)),
    Op("alias", "AliasBackward0", lambda a: a.view(),
       grads=(lambda g, s: g,), saves=((),), dtype="same", elementwise=False,
       rules=("d(alias a)/da = 1",)),
]}


def index_put_zeros(g: Tensor, shape: tuple, key) -> Tensor:
    """Zeros of `shape` with `g` added at `key` (index_put with accumulate=True)."""
    return apply(ROWS["index_put"], g, shape=tuple(shape), key=key)


# ----- reading the index -------------------------------------------------------------------

def _is_advanced(item) -> bool:
    if isinstance(item, Tensor):
        return item.ndim > 0 or item.dtype is dtypes.bool_ or not _is_integral(item)
    return isinstance(item, (list, np.ndarray))


def _is_integral(t: Tensor) -> bool:
    return not t.dtype.is_floating_point and t.dtype is not dtypes.bool_


def _as_integer(item):
    """A Python int, an integer numpy scalar, or a 0-dim integer tensor as an int; else None."""
    if isinstance(item, bool):
        return None
    if isinstance(item, numbers.Integral):
        return int(item)
    if isinstance(item, Tensor) and item.ndim == 0 and _is_integral(item):
        return int(item.item())
    return None


def _consumed(item) -> int:
    """How many of the input's dims an index item uses up."""
    if item is None or item is Ellipsis:
        return 0
    if isinstance(item, Tensor) and item.dtype is dtypes.bool_:
        return item.ndim
    if isinstance(item, (list, np.ndarray)):
        array = np.asarray(item)
        return array.ndim if array.dtype == np.bool_ else 1
    return 1


def _index_array(item) -> np.ndarray:
    if isinstance(item, Tensor):
        if item.dtype.is_floating_point:
            raise TorchIndexError(
                "tensors used as indices must be long, int, byte or bool tensors")
        return item._data
    array = np.asarray(item)
    if array.dtype.kind == "f":
        raise TorchIndexError("tensors used as indices must be long, int, byte or bool tensors")
    return array.astype(np.int64) if array.dtype.kind in "iu" else array


def _expand_ellipsis(key: tuple, ndim: int) -> tuple:
    used = sum(_consumed(item) for item in key)
    if used > ndim:
        raise TorchIndexError(f"too many indices for tensor of dimension {ndim}")
    positions = [i for i, item in enumerate(key) if item is Ellipsis]
    if not positions:
        return key
    at = positions[0]
    return key[:at] + (slice(None),) * (ndim - used) + tuple(
        item for item in key[at + 1:] if item is not Ellipsis)


def _check_advanced(array: np.ndarray, shape: tuple, dim: int) -> None:
    if array.dtype == np.bool_:
        mask_shape = shape[dim:dim + array.ndim]
        for i, (m, n) in enumerate(zip(array.shape, mask_shape)):
            if m != n:
                raise TorchIndexError(
                    f"The shape of the mask [{', '.join(map(str, array.shape))}] at index {i} "
                    f"does not match the shape of the indexed tensor "
                    f"[{', '.join(map(str, shape))}] at index {dim + i}")
        return
    size = shape[dim]
    bad = array[(array >= size) | (array < -size)]
    if bad.size:
        first = int(bad.reshape(-1)[0])
        raise TorchIndexError(
            f"index {first} is out of bounds for dimension {dim} with size {size}")


def getitem(input: Tensor, key):
    if isinstance(key, slice) and input.ndim:
        # a lone slice always records a node, even `x[:]` (ATen's disable_slice_optimization)
        return _slice(input, 0, key, keep_full=True)
    key = key if isinstance(key, tuple) else (key,)
    if input.ndim == 0 and any(_as_integer(item) is not None for item in key):
        raise TorchIndexError(
            "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
            "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
    key = _expand_ellipsis(key, input.ndim)
    result, dim, advanced = input, 0, []
    for item in key:
        integer = _as_integer(item)
        if item is None:
            result = unsqueeze(result, dim)
            dim += 1
        elif integer is not None:
            size = result.shape[dim]
            if not -size <= integer < size:
                raise TorchIndexError(
                    f"index {integer} is out of bounds for dimension {dim} with size {size}")
            result = select(result, dim, integer)
        elif isinstance(item, slice):
            result = _slice(result, dim, item)
            dim += 1
        elif _is_advanced(item):
            array = _index_array(item)
            _check_advanced(array, result.shape, dim)
            advanced.append((dim, array))
            dim += _consumed(item)
        else:
            raise TorchIndexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                "Variables are valid indices (got " + type(item).__name__ + ")")
    if advanced:
        full = [slice(None)] * result.ndim
        for at, array in advanced:
            full[at] = array
        # numpy's rule for where the indexed dims go (together, or first when separated by
        # a slice) is PyTorch's too; bool masks over several dims are kept as one entry.
        numpy_key = tuple(_drop_covered(full, advanced))
        return apply(ROWS["index"], result, key=numpy_key)
    if result is input:
        # `x[...]` and `x[:, :]` still return a new tensor object, an alias of x
        return as_view(apply(ROWS["alias"], input), input)
    return result


def _drop_covered(full: list, advanced: list) -> list:
    """Remove the placeholder slices for dims a multi-dim bool mask already covers."""
    covered = {at + k for at, array in advanced if array.dtype == np.bool_
               for k in range(1, array.ndim)}
    return [item for i, item in enumerate(full) if i not in covered]


def _slice(input: Tensor, dim: int, item: slice, keep_full: bool = False) -> Tensor:
    # bounds may be 0-dim integer tensors, as in `x[n:]` with `n = torch.tensor(1)`
    item = slice(*(_as_integer(b) if isinstance(b, Tensor) else b
                   for b in (item.start, item.stop, item.step)))
    if item.step is not None and item.step <= 0:
        raise TorchValueError("step must be greater than zero")
    size = input.shape[dim]
    # ATen skips a slice that covers the dim as written: start 0 or none, stop none or past
    # the end, step 1 (so `x[:, -3:]` on 3 columns still records a SliceBackward0)
    covers = (item.start in (None, 0) and (item.stop is None or item.stop >= size)
              and item.step in (None, 1))
    if covers and not keep_full:
        return input
    start, stop, step = item.indices(size)
    return slice_along(input, dim, start, max(stop, start), step)


def contains(input: Tensor, element) -> bool:
    """`element in x`: whether any element of x equals it (PyTorch's Tensor.__contains__)."""
    return bool((input == element).any())


Tensor.__getitem__ = getitem
Tensor.__contains__ = contains
