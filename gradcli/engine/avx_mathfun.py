"""avx_mathfun.h's float32 log and sincos (aten/src/ATen/native/cpu/avx_mathfun.h), as
`normal_fill_16_AVX2` runs them: the Cephes polynomials, emulated with the same float32
operations and the same fused multiply-adds GCC contracts them into (the AVX2 kernel serves
AVX512 CPUs too).
"""

from __future__ import annotations

import math

import numpy as np

from gradcli.engine.exact_fma import fma32_tie_free

f32, f64 = np.float32, np.float64

LOG_POLY = tuple(f32(c) for c in (
    7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
    -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1))
LOG_Q1, LOG_Q2 = f32(-2.12194440e-4), f32(0.693359375)      # ln 2 split in two
SQRT_HALF = f32(0.707106781186547524)
DP1, DP2, DP3 = f32(-0.78515625), f32(-2.4187564849853515625e-4), f32(-3.77489497744594108e-8)
SIN_POLY = (f32(-1.9515295891e-4), f32(8.3321608736e-3), f32(-1.6666654611e-1))
COS_POLY = (f32(2.443315711809948e-5), f32(-1.388731625493765e-3), f32(4.166664568298827e-2))
FOUR_OVER_PI = f32(1.27323954473516)
TWO_PI_FLOAT32 = f32(2.0 * math.pi)        # _mm256_set1_ps(2.0f * c10::pi<double>)


def cephes_log(u: np.ndarray) -> np.ndarray:
    """log256_ps for 0 < u <= 1: u = m 2^e with m in [sqrt(1/2), sqrt(2)), then a degree-9
    polynomial in x = m - 1; every `y * x + c` below is one fused multiply-add."""
    bits = u.view(np.uint32)
    exponent = (bits >> 23).astype(np.int32).astype(f32)
    mantissa = ((bits & np.uint32(0x807FFFFF)) | np.uint32(0x3F000000)).view(f32)   # in [0.5, 1)
    below = (mantissa < SQRT_HALF).astype(f32)
    exponent -= f32(126)
    exponent -= below
    x = mantissa - f32(1)
    below *= mantissa
    x += below                           # x = 2m - 1 below sqrt(1/2), else m - 1 (both exact)
    z = x * x
    x64 = x.astype(f64)
    y = np.full(x.shape, LOG_POLY[0], f32)
    for coefficient in LOG_POLY[1:]:
        y = fma32_tie_free(y, x64, coefficient)
    y *= x
    y = fma32_tie_free(y, z, exponent * LOG_Q1)
    y -= z * f32(0.5)
    y += x
    y += exponent * LOG_Q2
    return y


def cephes_sincos(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sincos256_ps for 0 <= theta < 2 pi: reduce by octant j (Cody-Waite with three parts of
    pi/4), evaluate both polynomials, then swap and negate by the octant's bits."""
    j = (theta * FOUR_OVER_PI).astype(np.int32)
    j += 1
    j &= ~1
    octant = j.astype(f32)
    x = theta + octant * DP1             # these two products are exact, so fusing is moot
    x += octant * DP2
    x = fma32_tie_free(octant, DP3, x)
    z = x * x
    z64 = z.astype(f64)
    cos_poly = fma32_tie_free(np.full(z.shape, COS_POLY[0], f32), z64, COS_POLY[1])
    cos_poly = fma32_tie_free(cos_poly, z64, COS_POLY[2])
    cos_poly *= z
    cos_poly = fma32_tie_free(cos_poly, z, -(z * f32(0.5)))
    cos_poly += f32(1)
    sin_poly = fma32_tie_free(np.full(z.shape, SIN_POLY[0], f32), z64, SIN_POLY[1])
    sin_poly = fma32_tie_free(sin_poly, z64, SIN_POLY[2])
    sin_poly *= z
    sin_poly = fma32_tie_free(sin_poly, x, x)
    sin_bits, cos_bits = sin_poly.view(np.int32), cos_poly.view(np.int32)
    swap = ((j & 2) >> 1) - 1            # all ones where the sine polynomial gives the sine
    swap &= sin_bits ^ cos_bits
    sine, cosine = cos_bits ^ swap, sin_bits ^ swap
    sine ^= (j & 4) << 29
    cosine ^= (~(j - 2) & 4) << 29
    return sine.view(f32), cosine.view(f32)
