"""glibc's float32 expm1 (sysdeps/ieee754/flt-32/s_expm1f.c, fdlibm's algorithm in float
arithmetic, no FMA variant), which ATen's scalar loops call through std::expm1 (ELU's negative
branch below a whole vector step); numpy's expm1 differs from it in about a quarter of the
last bits. Every operation below rounds to float32 as the C code's do.

expm1(x) = x - (x e - x^2/2) after reducing x by k ln 2 (k = 0 in |x| <= ln2 / 2), with a
rational correction e from a degree-5 polynomial in x^2/2, then the 2^k scaling.
"""

from __future__ import annotations

import numpy as np

f32, i32 = np.float32, np.int32
ONE, HALF, TWO, THREE, SIX = f32(1), f32(0.5), f32(2), f32(3), f32(6)
LN2_HI, LN2_LO, INVLN2 = f32(6.9313812256e-01), f32(9.0580006145e-06), f32(1.4426950216e+00)
Q = tuple(f32(c) for c in (-3.3333335072e-02, 1.5873016091e-03, -7.9365076090e-05,
                           4.0082177293e-06, -2.0109921195e-07))


def _add_exponent(y: np.ndarray, k: np.ndarray) -> np.ndarray:
    """SET_FLOAT_WORD(y, i + (k << 23)): k added to y's exponent field."""
    return (y.view(i32) + (k << 23).astype(i32)).view(f32)


def expm1f(x) -> np.ndarray:
    x = np.asarray(x, f32)
    bits = x.view(i32) & 0x7fffffff
    negative = np.signbit(x)
    # argument reduction: k = 0, +-1 (|x| < 1.5 ln2) or round(x / ln2)
    near = (bits > 0x3eb17218) & (bits < 0x3F851592)
    far = bits >= 0x3F851592
    k = np.where(near, np.where(negative, -1, 1),
                 np.where(far, (INVLN2 * x + np.where(negative, -HALF, HALF)).astype(i32), 0))
    k = np.where(bits > 0x3eb17218, k, 0).astype(i32)
    t = k.astype(f32)
    hi = np.where(near, np.where(negative, x + LN2_HI, x - LN2_HI), x - t * LN2_HI)
    lo = np.where(near, np.where(negative, -LN2_LO, LN2_LO), t * LN2_LO)
    reduced = bits > 0x3eb17218
    r = np.where(reduced, hi - lo, x)
    c = np.where(reduced, (hi - r) - lo, f32(0))
    # x is now in the primary range
    hfx = HALF * r
    hxs = r * hfx
    r1 = ONE + hxs * (Q[0] + hxs * (Q[1] + hxs * (Q[2] + hxs * (Q[3] + hxs * Q[4]))))
    t3 = THREE - r1 * hfx
    e = hxs * ((r1 - t3) / (SIX - r * t3))
    result = r - (r * e - hxs)                                     # k == 0
    e = (r * (e - c) - c) - hxs
    minus_one = HALF * (r - e) - HALF                               # k == -1
    plus_one = np.where(r < f32(-0.25), -TWO * (e - (r + HALF)), ONE + TWO * (r - e))
    wide = _add_exponent(ONE - (e - r), k) - ONE                    # k <= -2 or k > 56
    small_k = np.clip(k, 0, 22)
    t_small = (i32(0x3f800000) - (i32(0x1000000) >> small_k)).astype(i32).view(f32)
    mid = _add_exponent(t_small - (e - r), k)                       # 2 <= k < 23
    t_big = ((i32(0x7f) - np.clip(k, 23, 56)) << 23).astype(i32).view(f32)
    big = _add_exponent((r - (e + t_big)) + ONE, k)                 # 23 <= k <= 56
    scaled = np.where((k <= -2) | (k > 56), wide, np.where(k < 23, mid, big))
    result = np.where(k == 0, result, np.where(k == -1, minus_one,
                                              np.where(k == 1, plus_one, scaled)))
    # |x| < 2^-25: x itself; |x| >= 27 ln 2: -1 below, exp's overflow above; inf and NaN
    result = np.where(bits < 0x33000000, x, result)
    huge = bits >= 0x4195b844
    result = np.where(huge & negative, f32(-1), result)
    result = np.where(huge & ~negative & (x > f32(8.8721679688e+01)), f32(np.inf), result)
    return np.where(np.isnan(x), x, result).astype(f32)
