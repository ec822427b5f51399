"""glibc's float32 erf and exp (`erff`, `expf`), which ATen's scalar float32 loops call through
`std::erf` and `std::exp`, reproduced bit for bit for glibc 2.36 on x86-64:
- erff: sysdeps/ieee754/flt-32/s_erff.c (Sun's fdlibm erf in float32 arithmetic: rational
  approximations on four intervals, exp(-z^2 - 0.5625) exp((z - x)(z + x) + R/S) beyond 1.25);
- expf: sysdeps/ieee754/flt-32/e_expf.c (computed in double: 2^(k/32) from a 32-entry table
  times a cubic in the remainder, rounded once to float32).
Each float32 operation below is one float32 rounding, as the C code's are (FLT_EVAL_METHOD 0).
"""

from __future__ import annotations

import functools

import numpy as np

f32, f64, u64 = np.float32, np.float64, np.uint64


def _floats(*bits: int) -> tuple:
    return tuple(np.array(bits, dtype=np.uint32).view(f32))


# ----- expf (e_expf.c with e_exp2f_data.c) ------------------------------------------------

TABLE_BITS = 5
N = 1 << TABLE_BITS


@functools.cache          # made on first use: Decimal's import and the powers cost ~2 ms start-up
def _exp2_table() -> np.ndarray:
    """__exp2f_data.tab: asuint64(2^(i/N)) - (i << 52)/N, 2^(i/N) correctly rounded."""
    from decimal import Decimal, localcontext

    with localcontext() as context:
        context.prec = 40
        powers = [float(Decimal(2) ** (Decimal(i) / N)) for i in range(N)]
    return np.array(powers, f64).view(u64) - np.arange(N, dtype=u64) * u64((1 << 52) // N)


INV_LN2_N = float.fromhex("0x1.71547652b82fep+0") * N
EXP_POLY = (float.fromhex("0x1.c6af84b912394p-5") / N / N / N,
            float.fromhex("0x1.ebfce50fac4f3p-3") / N / N,
            float.fromhex("0x1.62e42ff0c52d6p-1") / N)
SHIFT = float.fromhex("0x1.8p+52")          # adding it rounds to an integer in the low bits
OVERFLOW_ABOVE, UNDERFLOW_BELOW = f32(float.fromhex("0x1.62e42ep6")), f32(
    float.fromhex("-0x1.9fe368p6"))


def expf(x) -> np.ndarray:
    x = np.asarray(x, f32)
    xd = x.astype(f64)
    z = INV_LN2_N * xd
    kd = z + SHIFT
    k = kd.view(u64)
    kd = kd - SHIFT
    r = z - kd
    scale = (_exp2_table()[k % u64(N)] + (k << u64(52 - TABLE_BITS))).view(f64)
    y = (EXP_POLY[0] * r + EXP_POLY[1]) * (r * r) + (EXP_POLY[2] * r + 1.0)
    result = (y * scale).astype(f32)
    result = np.where(x > OVERFLOW_ABOVE, f32(np.inf), result)
    result = np.where(x < UNDERFLOW_BELOW, f32(0), result)
    return np.where(np.isnan(x), x, result)


# ----- erff (s_erff.c) ---------------------------------------------------------------------

EFX = _floats(0x3e0375d4)[0]
ERX = _floats(0x3f58560b)[0]
PP = _floats(0x3e0375d4, 0xbea66beb, 0xbce9528f, 0xbbbd1489, 0xb7c756b1)
QQ = _floats(0x3ecbbbce, 0x3d852a63, 0x3ba68116, 0x390aee49, 0xb684e21a)
PA = _floats(0xbb1acdc6, 0x3ed46805, 0xbebe9208, 0x3ea2fe54, 0xbde31cc2, 0x3d1151b3, 0xbb0df9c0)
QA = _floats(0x3dd9f331, 0x3f0a5785, 0x3d931ae7, 0x3e013307, 0x3c5f6e13, 0x3c445aa3)
RA = _floats(0xbc21a093, 0xbf31a0b7, 0xc128f022, 0xc2798057, 0xc322658c, 0xc3389ae7,
             0xc2a2932b, 0xc11d077e)
SA = _floats(0x419d35ce, 0x4309a863, 0x43d9486f, 0x442158c9, 0x43d6810b, 0x42d9451f,
             0x40d23f7c, 0xbd777f97)
RB = _floats(0xbc21a092, 0xbf4c9dd4, 0xc18e104b, 0xc320a2ea, 0xc41f6441, 0xc480230b, 0xc3f1c275)
SB = _floats(0x41f2b459, 0x43a2e571, 0x44c01759, 0x4547fdbb, 0x451f90ce, 0x43ed43a7, 0xc1b38712)
ONE = f32(1)


def _polynomial(coefficients, s):
    """c0 + s (c1 + s (c2 + ...)), the C code's nesting."""
    total = np.full(s.shape, coefficients[-1], f32)
    for c in coefficients[-2::-1]:
        total = c + s * total
    return total


def _one_plus(coefficients, s):
    """one + s (q1 + s (q2 + ...))."""
    return ONE + s * _polynomial(coefficients, s)


def erff(x) -> np.ndarray:
    x = np.asarray(x, f32)
    magnitude_bits = x.view(np.int32) & 0x7fffffff
    a = np.abs(x)
    positive = ~np.signbit(x)
    z = x * x                                                   # |x| < 0.84375
    near_zero = np.where(
        magnitude_bits < 0x31800000,                            # |x| < 2^-28
        np.where(magnitude_bits < 0x04000000, f32(0.0625) * (f32(16) * x + (f32(16) * EFX) * x),
                 x + EFX * x),
        x + x * (_polynomial(PP, z) / _one_plus(QQ, z)))
    s = a - ONE                                                 # 0.84375 <= |x| < 1.25
    ratio = _polynomial(PA, s) / _one_plus(QA, s)
    middle = np.where(positive, ERX + ratio, -ERX - ratio)
    s = ONE / (a * a)                                           # 1.25 <= |x| < 6
    inner = magnitude_bits < 0x4036DB6E                         # |x| < 1/0.35
    ratio = np.where(inner, _polynomial(RA, s) / _one_plus(SA, s),
                     _polynomial(RB, s) / _one_plus(SB, s))
    head = (a.view(np.uint32) & np.uint32(0xfffff000)).view(f32)
    r = expf(-head * head - f32(0.5625)) * expf((head - a) * (head + a) + ratio)
    tail = np.where(positive, ONE - r / a, r / a - ONE)
    result = np.where(magnitude_bits < 0x3f580000, near_zero,
                      np.where(magnitude_bits < 0x3fa00000, middle,
                               np.where(magnitude_bits < 0x40c00000, tail,
                                        np.where(positive, ONE, -ONE))))
    return np.where(np.isnan(x), x, result).astype(f32)
