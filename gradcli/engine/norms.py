"""Vector and matrix norms: `Tensor.norm`, `torch.norm` and `torch.linalg.norm`, `vector_norm`
and `matrix_norm`. Every one is LinalgVectorNormBackward0 at heart (PyTorch 2.13 has no
NormBackward): the matrix ±1/±inf norms are an amax/amin over vector 1-norms, as ATen composes
them. At the zero vector the gradient is 0, not NaN (ATen's linalg_vector_norm_backward).
"""

from __future__ import annotations

import numpy as np

from gradcli.engine.errors import TorchRuntimeError
from gradcli.engine.exact_fma import fused
from gradcli.engine.ops import _expand_reduced, apply, keep_where
from gradcli.engine.reductions import (_axes, _nonzero, _reduce_dims, _reduction_row,
                                       _spread_mask, amax, amin)
from gradcli.engine.tensor import Tensor, _normalize_dim


def _norm_forward(a, p, dim, keepdim):
    axes = _axes(dim)
    per_output = a.size if axes is None else int(np.prod([a.shape[d] for d in axes]))
    if per_output == 1 and p != 0:
        # ATen's norm of one element is its magnitude, without the power and root that would
        # overflow first (float32 1e30 stays 1e30 at p=3)
        return np.abs(a).max(axis=axes, keepdims=keepdim)
    magnitude = np.abs(a.astype(np.float64) if a.dtype == np.float32 else a)
    if p == float("inf"):
        return magnitude.max(axis=axes, keepdims=keepdim, initial=0.0)
    if p == float("-inf"):
        return magnitude.min(axis=axes, keepdims=keepdim)
    if p == 0:
        return (magnitude != 0).sum(axis=axes, keepdims=keepdim).astype(magnitude.dtype)
    if p in (1, 2) and a.size and a.ndim:
        return _accumulated_norm(a, p, axes, keepdim)
    powers = magnitude * magnitude if p == 2 else magnitude ** p
    total = powers.sum(axis=axes, keepdims=keepdim)
    if a.dtype == np.float32:
        # ATen accumulates a float32 norm in float32: past float32's range it is inf
        total = np.where(total > np.finfo(np.float32).max, np.inf, total)
    return np.sqrt(total) if p == 2 else total ** (1.0 / p)


_LANES = {np.dtype(np.float32): 16, np.dtype(np.float64): 8}     # Vectorized<T>::size()


def _accumulated_norm(a, p, axes, keepdim):
    """The 1- and 2-norms as ATen's CPU kernel adds them up, in the input's dtype (so a float32
    norm overflows where PyTorch's does): one element at a time in order (NormOneOps,
    NormTwoOps), except the 2-norm over trailing dims that form one unit-stride run, which takes
    whole vectors lane by lane, adds the lanes in order, then the tail elements
    (ReduceOpsKernel.cpp, norm_kernel_tensor_iterator_impl's vectorized path)."""
    reduced = tuple(range(a.ndim)) if axes is None else tuple(sorted(axes))
    rows = np.moveaxis(a, reduced, tuple(range(a.ndim - len(reduced), a.ndim)))
    kept_shape = rows.shape[:a.ndim - len(reduced)]
    rows = rows.reshape(kept_shape + (-1,))
    size = rows.shape[-1]
    trailing = reduced == tuple(range(a.ndim - len(reduced), a.ndim))
    # ATen's is_reduce_lastdim: the reduced dims coalesce into one unit-stride run
    unit_run = trailing and all(
        a.strides[d] == (a.itemsize if d == a.ndim - 1 else a.strides[d + 1] * a.shape[d + 1])
        for d in reduced if a.shape[d] != 1)
    if p == 2 and unit_run:
        lanes = _LANES[a.dtype]
        whole = size - size % lanes
        acc = np.zeros(kept_shape + (lanes,), a.dtype)
        for start in range(0, whole, lanes):
            block = rows[..., start:start + lanes]
            acc = acc + block * block
        total = acc[..., 0]
        for lane in range(1, lanes):
            total = total + acc[..., lane]
        for k in range(whole, size):       # (GCC contracts the scalar tail into FMAs)
            total = fused(rows[..., k], rows[..., k], total)
    else:
        total = np.zeros(kept_shape, a.dtype)
        for k in range(size):
            total = total + (np.abs(rows[..., k]) if p == 1 else rows[..., k] * rows[..., k])
    result = total if p == 1 else np.sqrt(total)
    if keepdim:
        result = np.expand_dims(result, reduced)
    return result


def _norm_grad(g: Tensor, s) -> Tensor:
    a, norm, p = s.a, s.out, s.p
    if p == 0:
        return None           # ATen's norm_backward gives an undefined gradient for p = 0
    # sgn(x) as ATen's sign kernel computes it, (0 < x) - (x < 0): 0 at NaN; a constant
    sign = Tensor(((a._data > 0).astype(a._data.dtype) - (a._data < 0)).astype(a._data.dtype))
    if p == 1:
        return sign * _expand_reduced(g, s)
    if p == 2:                             # ATen: grad * (self / norm), 0 where norm is 0
        ratio = keep_where(_expand_reduced(norm, s)._data != 0, a / _expand_reduced(_nonzero(norm), s))
        return _expand_reduced(g, s) * ratio
    if np.isinf(p):
        # ATen: sgn(x) * ((g / count) * mask), mask = |x| == norm or |x| is NaN: a product,
        # so the zeros off the mask carry the signs of g and x
        out = norm._data
        if s.dim is not None and not s.keepdim:
            out = np.expand_dims(out, tuple(sorted(s.dim)))
        magnitude = np.abs(a._data)
        mask = (magnitude == out) | np.isnan(magnitude)
        counts = mask.sum(axis=_axes(s.dim), keepdims=s.keepdim).astype(g.dtype.numpy)
        share = _expand_reduced(g / Tensor(counts), s) * Tensor(mask.astype(g.dtype.numpy))
        return sign * share
    # ATen's linalg_vector_norm_backward, by the order's range (its sgn and abs, no x/|x|)
    if p < 1:
        scaled = sign * keep_where(a._data != 0, a.abs() ** (p - 1))
        return scaled * _expand_reduced(g, s) * _expand_reduced(norm ** (1 - p), s)
    scale = _expand_reduced(keep_where(norm._data != 0, g / _nonzero(norm) ** (p - 1)), s)
    if p < 2:
        return sign * a.abs() ** (p - 1) * scale
    return a * a.abs() ** (p - 2) * scale


ROWS = {op.name: op for op in [
    _reduction_row("norm", "LinalgVectorNormBackward0", _norm_forward, _norm_grad,
                   rule="d||a||_p/da = sgn(a)|a|^(p-1)/||a||^(p-1)"),
]}


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    if p in ("fro", None):
        p = 2
    if isinstance(p, str):
        raise TorchRuntimeError(f"norm(): unsupported norm type {p!r}")
    if not input.dtype.is_floating_point:
        raise TorchRuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
            f"{input.dtype.scalar_name}")
    dims = _reduce_dims(input, dim)
    if np.isinf(p) and input.numel() == 0:
        _refuse_empty_extreme(input, float(p), dims, dim)
    return apply(ROWS["norm"], input, p=float(p), dim=dims, keepdim=bool(keepdim))


def _refuse_empty_extreme(input: Tensor, p: float, dims, dim) -> None:
    """The ±inf norms are a max/min, which has no identity: ATen refuses to reduce an empty
    dim (linalg_vector_norm's checks; the message names the dim as given, without a space)."""
    order = "inf" if p > 0 else "-inf"
    if dims is None:
        raise TorchRuntimeError(
            f"linalg.vector_norm cannot compute the {order} norm on an empty tensor because the "
            "operation does not have an identity")
    for axis, spelled in zip(dims, dim if isinstance(dim, (tuple, list)) else (dim,)):
        if input.shape[axis] == 0:
            raise TorchRuntimeError(
                f"linalg.vector_norm cannot compute the {order} norm on the dimension "
                f"{spelled}because this dimension is empty and the operation does not have an "
                "identity")


def vector_norm(x, ord=2, dim=None, keepdim=False, dtype=None):
    """`torch.linalg.vector_norm`."""
    return norm(x if dtype is None else x.to(dtype), p=ord, dim=dim, keepdim=keepdim)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False):
    """`torch.linalg.matrix_norm` for 'fro' and the ±1/±inf norms (ATen composes them from
    vector norms and amax/amin); the SVD-based 'nuc' and ±2 are not in gradcli."""
    if A.ndim < 2:
        raise TorchRuntimeError(
            "linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
    rows, cols = (_normalize_dim(d, A.ndim) for d in dim)
    if ord == "fro":
        return vector_norm(A, 2, (rows, cols), keepdim)
    if ord in ("nuc", 2, -2):
        raise TorchRuntimeError(f"gradcli: linalg.matrix_norm with ord={ord!r} (an SVD) is not "
                                "supported")
    if ord not in (1, -1, float("inf"), float("-inf")):
        raise TorchRuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    summed, kept = (cols, rows) if abs(ord) == float("inf") else (rows, cols)
    sums = vector_norm(A, 1, summed, keepdim)
    if not keepdim and summed < kept:
        kept -= 1
    if ord > 0 and sums.shape[kept] == 0:
        # PyTorch 2.13 gives zeros, outside autograd, for a max over no columns (or rows): the
        # largest of no non-negative sums. The min keeps amin's error.
        shape = list(sums.shape)
        shape[kept:kept + 1] = [1] if keepdim else []
        return Tensor(np.zeros(shape, dtype=sums._data.dtype))
    return (amax if ord > 0 else amin)(sums, kept, keepdim)


def linalg_norm(A, ord=None, dim=None, keepdim=False):
    """`torch.linalg.norm`: a vector norm, or a matrix norm for a given `ord` over two dims."""
    dims = dim if isinstance(dim, (tuple, list)) or dim is None else (dim,)
    if ord is None:
        return vector_norm(A, 2, dims, keepdim)
    if dims is None and A.ndim not in (1, 2):
        raise TorchRuntimeError("linalg.norm: If dim is not specified but ord is, the input must "
                                f"be 1D or 2D. Got {A.ndim}D.")
    if (dims is not None and len(dims) == 1) or (dims is None and A.ndim == 1):
        if isinstance(ord, str):
            raise TorchRuntimeError(
                "linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
        return vector_norm(A, ord, dims, keepdim)
    return matrix_norm(A, ord, dims if dims is not None else (-2, -1), keepdim)


# The functions the language offers as `torch.NAME`, and as `torch.linalg.NAME`.
TORCH_FUNCTIONS = ("norm",)
LINALG = {"norm": linalg_norm, "vector_norm": vector_norm, "matrix_norm": matrix_norm}

Tensor.norm = norm
