"""ATen's CPU softmax and log_softmax kernels and their backwards
(aten/src/ATen/native/cpu/SoftMaxKernel.cpp, AVX-512 build), reproduced to the last bit.

Rounding depends on which path ATen takes:
- the softmax dim is the last one (`*_lastdim`): every element goes through the vector math
  (Sleef's exp and log, `Vectorized<T>`), sums are `vec::reduce_all` (see `_reduce_all`), and
  softmax multiplies by the sum's reciprocal;
- another dim: the inner elements are walked in blocks of one vector; the lanes of whole
  blocks use the vector exp, the remaining ones the scalar loop's std::exp (glibc); the sums
  run down the dim in order, and softmax divides by the sum.
The backward's `tmp += grad * output` and `grad - exp(out) * sum` are fused multiply-adds where
GCC contracts them (the scalar loops, compiled with -mfma), checked against PyTorch 2.13 on
thousands of shapes up to 5x5x5 for float32 and float64.
"""

from __future__ import annotations

import math

import numpy as np

from gradcli.engine import glibc_float_math, sleef_exp, sleef_expf, sleef_log
from gradcli.engine.exact_fma import fma32, fma64

# Vectorized<T>::size() on AVX-512
_LANES = {np.dtype(np.float32): 16, np.dtype(np.float64): 8}


def _vector_exp(a: np.ndarray) -> np.ndarray:
    if a.dtype == np.float32:
        return sleef_expf.expf(a)
    return sleef_exp.exp(a)


def _scalar_exp(a: np.ndarray) -> np.ndarray:
    """std::exp: glibc's expf and exp."""
    if a.dtype == np.float32:
        return glibc_float_math.expf(a).astype(np.float32)
    return np.asarray([_glibc_exp(v) for v in a.reshape(-1).tolist()],
                      np.float64).reshape(a.shape)


def _glibc_exp(x: float) -> float:
    try:
        return math.exp(x)          # Python's math.exp is the C library's exp
    except OverflowError:
        return math.inf


def _vector_log(a: np.ndarray) -> np.ndarray:
    return sleef_log.logf(a) if a.dtype == np.float32 else sleef_log.log(a)


def _fma(a, b, c):
    return fma32(a, b, c) if np.result_type(a, b, c) == np.float32 else fma64(a, b, c)


def _reduce_all(a: np.ndarray, factors=None) -> np.ndarray:
    """`vec::reduce_all` of + along the last axis (keeping it, size 1): shorter than a vector,
    the lanes in order; else whole vectors added lane by lane, the tail into its lanes, and
    the lanes reduced as `vec_reduce_all` does (float: a tree of shuffles, lane i with lane
    i^8, i^4, i^2, i^1; double: in order). `factors` (x, y) with a = x*y: the float32 build
    fuses the tail's product into its addition (observed; whole vectors are not fused)."""
    size = a.shape[-1]
    lanes = _LANES[a.dtype]
    if size < lanes:
        return _in_order(a, axis=-1)
    acc = a[..., :lanes].copy()
    whole = size - size % lanes
    for start in range(lanes, whole, lanes):
        acc = acc + a[..., start:start + lanes]
    if whole < size:
        tail = size - whole
        if factors is not None and a.dtype == np.float32:
            acc[..., :tail] = fma32(factors[0][..., whole:], factors[1][..., whole:],
                                    acc[..., :tail])
        else:
            acc[..., :tail] = acc[..., :tail] + a[..., whole:]
    if a.dtype == np.float32:
        for stride in (8, 4, 2, 1):
            acc = acc + acc[..., np.arange(lanes) ^ stride]
        return acc[..., :1]
    return _in_order(acc, axis=-1)


def _in_order(a: np.ndarray, axis: int) -> np.ndarray:
    """The sum along `axis` from its first element on, one addition at a time (keepdims)."""
    moved = np.moveaxis(a, axis, 0)
    total = moved[0].copy()
    for row in moved[1:]:
        total = total + row
    return np.expand_dims(total, axis)


def _from_zero(products, axis: int, fused=None) -> np.ndarray:
    """A sum down `axis` that starts from 0 (the vertical kernels' tmp_sum buffer); `fused`:
    (x, y) whose products are accumulated with one rounding each (tmp = fma(x, y, tmp))."""
    if fused is None:
        moved = np.moveaxis(products, axis, 0)
        total = np.zeros(moved.shape[1:], products.dtype)
        for row in moved:
            total = total + row
        return np.expand_dims(total, axis)
    x, y = (np.moveaxis(t, axis, 0) for t in fused)
    total = np.zeros(x.shape[1:], x.dtype)
    for row_x, row_y in zip(x, y):
        total = _fma(row_x, row_y, total)
    return np.expand_dims(total, axis)


def _lastdim(a: np.ndarray, dim: int) -> bool:
    return dim == a.ndim - 1


def _by_lane(a: np.ndarray, dim: int, vector, scalar) -> np.ndarray:
    """`vector` on the inner elements that fill whole vector blocks, `scalar` on the rest."""
    inner = int(np.prod(a.shape[dim + 1:], dtype=np.int64))
    whole = inner - inner % _LANES[a.dtype]
    if whole == 0:
        return scalar(a)
    if whole == inner:
        return vector(a)
    flat_inner = np.arange(inner).reshape(a.shape[dim + 1:])
    return np.where(flat_inner < whole, vector(a), scalar(a))


def _exp_by_lane(a: np.ndarray, dim: int) -> np.ndarray:
    return _by_lane(a, dim, _vector_exp, _scalar_exp)


def softmax(a: np.ndarray, dim: int) -> np.ndarray:
    if a.ndim == 0:
        return softmax(a.reshape(1), 0).reshape(())
    if a.size == 0:
        return a.copy()
    top = np.max(a, axis=dim, keepdims=True)
    if _lastdim(a, dim):
        shifted = _vector_exp(a - top)
        return shifted * (a.dtype.type(1) / _reduce_all(shifted))
    shifted = _exp_by_lane(a - top, dim)
    return shifted / _in_order(shifted, dim)


def log_softmax(a: np.ndarray, dim: int) -> np.ndarray:
    if a.ndim == 0:
        return log_softmax(a.reshape(1), 0).reshape(())
    if a.size == 0:
        return a.copy()
    top = np.max(a, axis=dim, keepdims=True)
    if _lastdim(a, dim):
        total = _reduce_all(_vector_exp(a - top))
    else:
        total = _from_zero(_exp_by_lane(a - top, dim), dim)
    # the order matters: x - max first (pytorch/pytorch#11752)
    return a - top - _vector_log(total)


def softmax_backward(grad: np.ndarray, out: np.ndarray, dim: int) -> np.ndarray:
    if out.ndim == 0:
        return softmax_backward(grad.reshape(1), out.reshape(1), 0).reshape(())
    if out.size == 0:
        return grad * out
    if _lastdim(out, dim):
        return (grad - _reduce_all(grad * out, factors=(grad, out))) * out
    return out * (grad - _from_zero(None, dim, fused=(grad, out)))


def log_softmax_backward(grad: np.ndarray, out: np.ndarray, dim: int) -> np.ndarray:
    if out.ndim == 0:
        return log_softmax_backward(grad.reshape(1), out.reshape(1), 0).reshape(())
    if out.size == 0:
        return grad * out
    if _lastdim(out, dim):
        total, exp_out = _reduce_all(grad), _vector_exp(out)
    else:
        total, exp_out = _from_zero(grad, dim), _exp_by_lane(out, dim)
    return _fma(-exp_out, np.broadcast_to(total, grad.shape), grad)
