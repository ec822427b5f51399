"""Normal draws as PyTorch's CPU `normal_` makes them (aten/src/ATen/native/cpu/
DistributionTemplates.h, DistributionsHelper.h):
- on 16 or more contiguous elements (`normal_fill`): all uniforms are drawn first, then
  converted 16 at a time by Box-Muller over the pairs (j, j+8); if the size is not a multiple of
  16 the last 16 are drawn again and recomputed. float32 goes through `normal_fill_16_AVX2`, whose
  log and sincos are avx_mathfun.py's. float64 uses the C library's log, cos and sin.
- fewer than 16 elements (or a non-contiguous target) take the scalar `normal_distribution<double>`:
  Box-Muller on two 53-bit uniforms with `log1p`, returning `r cos(theta)` and caching
  `r sin(theta)` in the generator for the next scalar normal (`manual_seed` drops the cache).
"""

from __future__ import annotations

import math

import numpy as np

from gradcli.engine import dtypes
from gradcli.engine.avx_mathfun import TWO_PI_FLOAT32, cephes_log, cephes_sincos
from gradcli.engine.exact_fma import fma32, fma64, fma64_scalar
from gradcli.engine.random_generator import Generator
from gradcli.engine.random_uniform import unit, unit_float64

f32, f64 = np.float32, np.float64
BLOCK = 16            # normal_fill's unit: 8 pairs (j, j + 8)
CHUNK = 1 << 14       # uniforms converted per numpy pass: small enough to stay in cache


# ----- the scalar Box-Muller ------------------------------------------------------------------

def _scalar_normals(gen: Generator, n: int, mean: float, std: float) -> np.ndarray:
    """`normal_distribution<double>`, one value at a time, sharing the generator's cache."""
    values = np.empty(n, f64)
    for i in range(n):
        if gen._next_normal is not None:
            z, gen._next_normal = gen._next_normal, None
        else:
            u1, u2 = unit_float64(gen, 2)
            radius = math.sqrt(-2.0 * math.log1p(-u2))
            theta = 2.0 * math.pi * u1
            gen._next_normal = radius * math.sin(theta)
            z = radius * math.cos(theta)
        values[i] = fma64_scalar(z, std, mean)
    return values


# ----- normal_fill, float32 (avx_mathfun.py's log and sincos) ---------------------------------

def _box_muller_float32(blocks: np.ndarray, mean: float, std: float) -> np.ndarray:
    """normal_fill_16_AVX2 over rows of 16 uniforms: (j, j+8) -> (r cos, r sin)."""
    radius = np.sqrt(f32(-2) * cephes_log(f32(1) - blocks[:, :8]))
    sine, cosine = cephes_sincos(blocks[:, 8:] * TWO_PI_FLOAT32)
    out = np.empty_like(blocks)
    np.multiply(radius, cosine, out=out[:, :8])
    np.multiply(radius, sine, out=out[:, 8:])
    if mean != 0 or std != 1:
        out = fma32(out, f32(std), f32(mean))
    return out


# ----- normal_fill, float64 (the C library's log, cos, sin) ----------------------------------

def _libm(function, values: np.ndarray) -> np.ndarray:
    """A C-library function over an array: Python's math module is that library, and numpy's
    own float64 log differs from it in the last bit for about 1 value in 300."""
    flat = np.fromiter(map(function, values.ravel().tolist()), f64, values.size)
    return flat.reshape(values.shape)


def _box_muller_float64(blocks: np.ndarray, mean: float, std: float) -> np.ndarray:
    radius = np.sqrt(-2.0 * _libm(math.log, 1.0 - blocks[:, :8]))
    theta = (2.0 * math.pi) * blocks[:, 8:]
    out = np.concatenate([radius * _libm(math.cos, theta), radius * _libm(math.sin, theta)], 1)
    if mean != 0 or std != 1:
        out = fma64(out, std, mean)
    return out


def _normal_fill(gen: Generator, n: int, dtype: dtypes.DType, mean: float, std: float):
    box_muller = _box_muller_float64 if dtype is dtypes.float64 else _box_muller_float32
    out = np.empty(n, dtype.numpy)
    whole = n - n % BLOCK
    for start in range(0, whole, CHUNK):
        stop = min(whole, start + CHUNK)
        blocks = unit(gen, stop - start, dtype).reshape(-1, BLOCK)
        out[start:stop] = box_muller(blocks, mean, std).ravel()
    if n % BLOCK:
        unit(gen, n % BLOCK, dtype)                   # the tail's first draws, then discarded
        tail = unit(gen, BLOCK, dtype).reshape(1, BLOCK)
        out[n - BLOCK:] = box_muller(tail, mean, std).ravel()
    return out


def normal_values(gen: Generator, n: int, dtype: dtypes.DType, mean: float, std: float,
                  contiguous: bool = True) -> np.ndarray:
    """What `normal_(mean, std)` writes, flat, in the order PyTorch's kernel fills memory."""
    if n >= BLOCK and contiguous:
        return _normal_fill(gen, n, dtype, mean, std)
    return _scalar_normals(gen, n, mean, std).astype(dtype.numpy)
