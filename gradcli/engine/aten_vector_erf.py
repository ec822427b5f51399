"""ATen's own float32 erf for its vector loops (`Vectorized<float>::erf`,
aten/src/ATen/cpu/vec/vec512/vec512_float.h): Abramowitz and Stegun's formula 7.1.26,
erf(x) = sign(x) (1 - t (a1 + a2 t + ... + a5 t^4) exp(-x^2)), t = 1 / (1 + p |x|), with the
kernel's explicit fused multiply-adds and Sleef's expf. ATen's vectorized GELU uses it where
oneDNN does not take the op (a float32 input that is dense but not contiguous, e.g. transposed).
"""

from __future__ import annotations

import numpy as np

from gradcli.engine import sleef_expf
from gradcli.engine.exact_fma import fma32

f32 = np.float32
P = f32(0.3275911)
A5_TO_A1 = tuple(f32(c) for c in (1.061405429, -1.453152027, 1.421413741, -0.284496736,
                                   0.254829592))
ONE = f32(1)


def erf(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, f32)
    t = ONE / fma32(P, np.abs(x), ONE)                        # _mm512_fmadd_ps(p, |x|, 1)
    r = np.full(x.shape, A5_TO_A1[0], f32)
    for coefficient in A5_TO_A1[1:]:
        r = fma32(r, t, coefficient)
    minus_gaussian = -sleef_expf.expf(-(x * x))
    magnitude = fma32(minus_gaussian * t, r, ONE)
    sign = x.view(np.uint32) & np.uint32(0x80000000)         # xor with x's sign bit
    return (magnitude.view(np.uint32) ^ sign).view(f32)
