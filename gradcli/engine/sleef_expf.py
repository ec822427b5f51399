"""Sleef's float32 exp (`Sleef_expf16_u10`, sleef/src/libm/sleefsimdsp.c `xexpf`), which ATen's
vectorized float32 kernels call through `Vectorized<float>::exp`
(aten/src/ATen/cpu/vec/vec512/vec512_float.h), emulated for the AVX-512 build (ENABLE_FMA_SP:
every `vmla` is one fused multiply-add): exp(d) = 2^q exp(s), q = rint(d / ln 2), s reduced
with ln 2 in two parts, exp(s) a degree-7 polynomial.
"""

from __future__ import annotations

import numpy as np

from gradcli.engine.exact_fma import fma32

f32 = np.float32
R_LN2 = f32(1.442695040888963407359924681001892137426645954152985934135449406931)
L2U, L2L = f32(0.693145751953125), f32(1.428606765330187045e-06)     # ln 2 = L2U + L2L
POLY = tuple(f32(c) for c in (
    0.000198527617612853646278381, 0.00139304355252534151077271, 0.00833336077630519866943359,
    0.0416664853692054748535156, 0.166666671633720397949219, 0.5))


def _pow2(q: np.ndarray) -> np.ndarray:
    """vpow2i_vf_vi2: 2^q built in the exponent field."""
    return ((q + 127) << 23).astype(np.int32).view(f32)


def expf(d) -> np.ndarray:
    d = np.asarray(d, f32)
    # q only matters inside (-104, 100); clipping keeps the integer conversion defined
    q = np.rint(np.nan_to_num(np.clip(d * R_LN2, f32(-200), f32(200)))).astype(np.int32)
    qf = q.astype(f32)
    s = fma32(qf, -L2U, d)
    s = fma32(qf, -L2L, s)
    u = np.full(d.shape, POLY[0], f32)
    for coefficient in POLY[1:]:
        u = fma32(u, s, coefficient)
    u = f32(1) + fma32(s * s, u, s)
    half = q >> 1                                     # vldexp2: 2^q in two factors
    u = (u * _pow2(half)) * _pow2(q - half)
    u = np.where(d < f32(-104), f32(0), u)
    return np.where(f32(100) < d, f32(np.inf), u).astype(f32)
