"""Sleef's float32 pow (`Sleef_powf16_u10`), which ATen's vectorized float32 pow kernel calls
(`Vectorized<float>::pow`, aten/src/ATen/cpu/vec/vec512/vec512_float.h), emulated operation by
operation for the AVX-512 build (ENABLE_FMA_SP, getexp/getmant) of sleef/src/libm/sleefsimdsp.c:
`xpowf` = expkf(logkf(|x|) * y) in double-float arithmetic (pairs hi + lo of float32,
src/common/df.h, FMA variants), then IEEE's special cases.

Only elements that ATen's loop runs in whole vectors get this function (aten_loops.py); the
others go to the scalar `std::pow` (glibc's, whose results here are the correctly rounded ones
but for about 1 in 40,000 float exponents); `aten_pow` applies that split.
"""

from __future__ import annotations

import numpy as np

from gradcli.engine import aten_loops
from gradcli.engine.exact_fma import fma32

f32, i32 = np.float32, np.int32

R_LN2, L2U, L2L = f32(1.442695040888963407359924681001892137426645954152985934135449406931), \
    f32(0.693145751953125), f32(1.428606765330187045e-06)
LN2_HI, LN2_LO = f32(0.69314718246459960938), f32(-1.904654323148236017e-09)
LOG_C_HI, LOG_C_LO = f32(0.66666662693023681640625), f32(3.69183861259614332084311e-09)
LOG_POLY = (f32(0.240320354700088500976562), f32(0.285112679004669189453125),
            f32(0.400007992982864379882812))
EXP_POLY = (f32(0.00136324646882712841033936), f32(0.00836596917361021041870117),
            f32(0.0416710823774337768554688), f32(0.166665524244308471679688),
            f32(0.499999850988388061523438))
ONE = f32(1)


# ----- double-float arithmetic (df.h): a value is a pair (hi, lo) of float32 arrays ---------

def _fmsub(x, y, z):
    return fma32(x, y, -z)


def _add(x, y):                     # dfadd_vf2_vf2_vf2 (|x| >= |y|)
    s = x[0] + y[0]
    return s, (((x[0] - s) + y[0]) + x[1]) + y[1]


def _add2(x, y):                    # dfadd2_vf2_vf2_vf2, and (via lo = 0) its _vf_vf forms
    s = x[0] + y[0]
    v = s - x[0]
    t = (x[0] - (s - v)) + (y[0] - v)
    return s, t + (x[1] + y[1])


def _add2_scalar(x, y):             # dfadd2_vf2_vf2_vf
    s = x[0] + y
    v = s - x[0]
    t = (x[0] - (s - v)) + (y - v)
    return s, t + x[1]


def _add2_floats(x, y):             # dfadd2_vf2_vf_vf
    s = x + y
    v = s - x
    return s, (x - (s - v)) + (y - v)


def _add_float_pair(x, y):          # dfadd_vf2_vf_vf2
    s = x + y[0]
    return s, ((x - s) + y[0]) + y[1]


def _mul(x, y):                     # dfmul_vf2_vf2_vf2
    s = x[0] * y[0]
    return s, fma32(x[0], y[1], fma32(x[1], y[0], _fmsub(x[0], y[0], s)))


def _mul_float(x, y):               # dfmul_vf2_vf2_vf
    s = x[0] * y
    return s, fma32(x[1], y, _fmsub(x[0], y, s))


def _square(x):                     # dfsqu_vf2_vf2
    s = x[0] * x[0]
    return s, fma32(x[0] + x[0], x[1], _fmsub(x[0], x[0], s))


def _divide(n, d):                  # dfdiv_vf2_vf2_vf2
    t = ONE / d[0]
    s = n[0] * t
    u = _fmsub(t, n[0], s)
    v = fma32(-d[1], t, fma32(-d[0], t, ONE))
    return s, fma32(s, v, fma32(n[1], t, u))


def _normalize(x):                  # dfnormalize_vf2_vf2
    s = x[0] + x[1]
    return s, (x[0] - s) + x[1]


# ----- the kernel -----------------------------------------------------------------------

def _exponent_and_mantissa(d):
    """AVX-512's getexp(d * (1/0.75)) and getmant(d, [0.75, 1.5)) for positive d."""
    scaled = d * f32(1.0 / 0.75)
    exponent = (np.frexp(scaled)[1] - 1).astype(f32)
    exponent[np.isinf(scaled)] = f32(128)            # Sleef: getexp(inf) becomes 128
    fraction, power = np.frexp(d)                      # d = fraction 2^power, fraction in [1/2, 1)
    mantissa = np.where(fraction < f32(0.75), fraction * 2, fraction).astype(f32)
    return exponent, mantissa


def _log(d):
    """logkf: log(d) as a double-float."""
    e, m = _exponent_and_mantissa(d)
    x = _divide(_add2_floats(-ONE, m), _add2_floats(ONE, m))
    x2 = _square(x)
    t = fma32(fma32(np.full(d.shape, LOG_POLY[0]), x2[0], LOG_POLY[1]), x2[0], LOG_POLY[2])
    s = _mul_float((LN2_HI, LN2_LO), e)
    s = _add(s, (x[0] * 2, x[1] * 2))
    return _add(s, _mul(_mul(x2, x), _add2(_mul_float(x2, t), (LOG_C_HI, LOG_C_LO))))


def _ldexp(x, q):
    """vldexp_vf_vf_vi2: x 2^q in five exact-ish steps (integer ops as Sleef writes them)."""
    m = q >> 31
    m = (((m + q) >> 6) - m) << 4
    q = q - (m << 2)
    m = m + 0x7f
    m = np.where(m > 0, m, 0)
    m = np.where(m > 0xff, 0xff, m)
    u = (m << 23).astype(i32).view(f32)
    x = (((x * u) * u) * u) * u
    return x * ((q + 0x7f) << 23).astype(i32).view(f32)


def _exp(d):
    """expkf: exp of a double-float."""
    q = np.rint(np.clip((d[0] + d[1]) * R_LN2, -2e9, 2e9)).astype(i32)
    qf = q.astype(f32)
    s = _add2_scalar(d, qf * -L2U)
    s = _add2_scalar(s, qf * -L2L)
    s = _normalize(s)
    u = np.full(s[0].shape, EXP_POLY[0])
    for coefficient in EXP_POLY[1:]:
        u = fma32(u, s[0], coefficient)
    t = _add(s, _mul_float(_square(s), u))
    t = _add_float_pair(ONE, t)
    u = _ldexp(t[0] + t[1], q)
    return np.where(d[0] < f32(-104), f32(0), u)


def powf(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """xpowf (Sleef_powf_u10) elementwise on float32 arrays of one shape."""
    x, y = np.asarray(x, f32), np.asarray(y, f32)
    y_is_int = (np.trunc(y) == y) | (np.abs(y) > f32(1 << 24))
    y_is_odd = (((np.trunc(np.clip(y, -2e9, 2e9)).astype(i32) & 1) == 1) & y_is_int
                & (np.abs(y) < f32(1 << 24)))
    result = _exp(_mul_float(_log(np.abs(x)), y))
    result = np.where(np.isnan(result), f32(np.inf), result)
    sign = np.where(x > 0, ONE, np.where(y_is_int, np.where(y_is_odd, -ONE, ONE), f32(np.nan)))
    result = result * sign
    efx = np.where(np.signbit(y), ONE - np.abs(x), np.abs(x) - ONE)   # vmulsign: xor signs
    at_infinite_y = np.where(efx < 0, f32(0), np.where(efx == 0, ONE, f32(np.inf)))
    result = np.where(np.isinf(y), at_infinite_y, result)
    at_zero_or_infinite_x = np.copysign(
        np.where(np.signbit(y) ^ (x == 0), f32(0), f32(np.inf)),
        np.where(y_is_odd, x, ONE)).astype(f32)
    result = np.where(np.isinf(x) | (x == 0), at_zero_or_infinite_x, result)
    result = np.where(np.isnan(x) | np.isnan(y), f32(np.nan), result)
    return np.where((y == 0) | (x == 1), ONE, result).astype(f32)


def aten_pow(base: np.ndarray, exponent) -> np.ndarray:
    """ATen's float32 pow: pow_tensor_tensor_kernel for a float32 tensor exponent, or the
    general branch of pow_tensor_scalar_optimized_kernel for a Python number (whose scalar
    lambda keeps the exponent a double: `std::pow(base, double exp)`, rounded to float32).
    Sleef where the loop takes whole vectors (aten_loops.vector_lanes), the correctly rounded
    power elsewhere."""
    base = np.asarray(base, f32)
    number = np.ndim(exponent) == 0 and not isinstance(exponent, np.ndarray)
    tail_exponent = np.asarray(exponent, np.float64 if number else f32)
    result = np.array(np.power(base.astype(np.float64), tail_exponent.astype(np.float64)),
                      dtype=f32)
    if number:                       # a Scalar parameter, not an operand of the loop
        lanes = aten_loops.vector_lanes(base)
        vector_base, vector_exponent = base, np.broadcast_to(f32(exponent), base.shape)
    else:
        vector_base, vector_exponent = np.broadcast_arrays(base, tail_exponent)
        lanes = aten_loops.vector_lanes(vector_base, vector_exponent)
    if lanes.any():                  # (a short tensor is all tail)
        result[lanes] = powf(vector_base[lanes], vector_exponent[lanes])
    return result
