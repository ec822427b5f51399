"""Uniform floats and Bernoulli draws as PyTorch's CPU kernels make them from the raw stream
(aten/src/ATen/core/TransformationHelper.h, DistributionsHelper.h):
- a float32 uniform is the low 24 bits of one draw times 2^-24; a float64 one the low 53 bits of
  `random64()` times 2^-53; `uniform_(a, b)` is `fma(u, b - a, a)` (the kernels are compiled with
  FMA contraction, and the recorded numbers need the single rounding).
- a Bernoulli draw is `uniform < p`, in the precision of p.
"""

from __future__ import annotations

import numpy as np

from gradcli.engine import dtypes
from gradcli.engine.errors import TorchNotImplementedError, TorchRuntimeError
from gradcli.engine.exact_fma import fma32, fma64
from gradcli.engine.random_generator import Generator

f32, f64, u64 = np.float32, np.float64, np.uint64
MASK24, MASK53 = u64((1 << 24) - 1), u64((1 << 53) - 1)


def unit_float32(gen: Generator, n: int) -> np.ndarray:
    return (gen.random(n) & MASK24).astype(f32) * f32(2.0 ** -24)


def unit_float64(gen: Generator, n: int) -> np.ndarray:
    return (gen.random64(n) & MASK53).astype(f64) * 2.0 ** -53


def unit(gen: Generator, n: int, dtype: dtypes.DType) -> np.ndarray:
    return unit_float64(gen, n) if dtype is dtypes.float64 else unit_float32(gen, n)


def uniform(gen: Generator, n: int, dtype: dtypes.DType, low: float, high: float) -> np.ndarray:
    """`uniform_real_distribution`: `u * (to - from) + from`, contracted to one fma."""
    u = unit(gen, n, dtype)
    if low == 0 and high == 1:
        return u
    if dtype is dtypes.float64:
        return fma64(u, high - low, low)
    low32, high32 = f32(low), f32(high)
    return fma32(u, high32 - low32, low32)


BERNOULLI_RANGE_ERROR = (
    "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be "
    "improved?  If so, please report an enhancement request to PyTorch.)")


def bernoulli_draws(gen: Generator, p: np.ndarray) -> np.ndarray:
    """`bernoulli_distribution`: uniform < p, in the precision of p (53 bits for float64)."""
    if p.dtype.kind != "f":
        name = dtypes.from_numpy(p.dtype).scalar_name
        raise TorchNotImplementedError(f"\"bernoulli_tensor_cpu_p_\" not implemented for '{name}'")
    if p.size and not ((p >= 0) & (p <= 1)).all():
        raise TorchRuntimeError(BERNOULLI_RANGE_ERROR)
    flat = np.ascontiguousarray(p).ravel()
    if flat.dtype == f64:
        return (unit_float64(gen, flat.size) < flat).reshape(p.shape)
    return (unit_float32(gen, flat.size) < flat.astype(f32)).reshape(p.shape)
