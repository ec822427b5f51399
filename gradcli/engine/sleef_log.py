"""Sleef's 1-ulp logarithms (`Sleef_logf16_u10` / `Sleef_logd8_u10`, sleef/src/libm/
sleefsimdsp.c `xlogf_u1` and sleefsimddp.c `xlog_u1`), which ATen's vectorized kernels call
through `Vectorized<T>::log` (log_softmax's log of the sum of exponentials), emulated for the
AVX-512 build (getexp/getmant, every `vmla` one fused multiply-add):
log(d) = e ln 2 + 2 atanh(x), x = (m - 1)/(m + 1) for d = m 2^e with m in [0.75, 1.5), in
double-float (double-double) arithmetic with an odd polynomial for the tail.
The float32 pair arithmetic is sleef_powf's (the same df.h functions).
"""

from __future__ import annotations

import numpy as np

from gradcli.engine.exact_fma import fma32, fma64
from gradcli.engine.sleef_powf import _add, _add2_floats, _divide, _exponent_and_mantissa, \
    _mul_float

f32, f64 = np.float32, np.float64
LN2_F32 = (f32(0.69314718246459960938), f32(-1.904654323148236017e-09))
LN2_F64 = (0.693147180559945286226764, 2.319046813846299558417771e-17)
POLY_F32 = (f32(+0.3027294874e+0), f32(+0.3996108174e+0), f32(+0.6666694880e+0))
# c6 .. c0 of POLY7
POLY_F64 = (0.1532076988502701353e+0, 0.1525629051003428716e+0, 0.1818605932937785996e+0,
            0.2222214519839380009e+0, 0.2857142932794299317e+0, 0.3999999999635251990e+0,
            0.6666666666667333541e+0)


def _ieee_special_cases(r: np.ndarray, d: np.ndarray) -> np.ndarray:
    """vfixup: log(+inf) = inf, log(0) = -inf, log(negative or -inf) = NaN (NaN stays NaN)."""
    r = np.where(np.isposinf(d), d.dtype.type(np.inf), r)
    r = np.where(d == 0, d.dtype.type(-np.inf), r)
    return np.where((d < 0) | np.isnan(d), d.dtype.type(np.nan), r).astype(d.dtype)


def logf(d) -> np.ndarray:
    d = np.asarray(d, f32)
    positive = np.where(np.isfinite(d) & (d > 0), d, f32(1))
    e, m = _exponent_and_mantissa(positive)
    s = _mul_float(LN2_F32, e)
    x = _divide(_add2_floats(-f32(1), m), _add2_floats(f32(1), m))
    x2 = x[0] * x[0]
    t = fma32(fma32(np.full(d.shape, POLY_F32[0]), x2, POLY_F32[1]), x2, POLY_F32[2])
    s = _add(s, (x[0] * 2, x[1] * 2))
    tail = (x2 * x[0]) * t
    high = s[0] + tail                                   # dfadd_vf2_vf2_vf
    s = high, ((s[0] - high) + tail) + s[1]
    return _ieee_special_cases(s[0] + s[1], d)


# ----- double-double arithmetic (dd.h, FMA variants): a value is a pair (hi, lo) -------------

def _dd_add2_doubles(x, y):         # ddadd2_vd2_vd_vd
    s = x + y
    v = s - x
    return s, (x - (s - v)) + (y - v)


def _dd_divide(n, d):               # dddiv_vd2_vd2_vd2
    t = 1.0 / d[0]
    s = n[0] * t
    u = fma64(t, n[0], -s)
    v = fma64(-d[1], t, fma64(-d[0], t, 1.0))
    return s, fma64(s, v, fma64(n[1], t, u))


def _dd_mul_double(x, y):           # ddmul_vd2_vd2_vd
    s = x[0] * y
    return s, fma64(x[1], y, fma64(x[0], y, -s))


def _dd_add(x, y):                  # ddadd_vd2_vd2_vd2 (|x| >= |y|)
    s = x[0] + y[0]
    return s, (((x[0] - s) + y[0]) + x[1]) + y[1]


def _dd_add_double(x, y):           # ddadd_vd2_vd2_vd
    s = x[0] + y
    return s, ((x[0] - s) + y) + x[1]


def _poly7(x, x2, x4):
    """Sleef's POLY7 (Estrin's scheme)."""
    c6, c5, c4, c3, c2, c1, c0 = POLY_F64
    poly3 = fma64(x2, c6, fma64(x, c5, c4))
    poly4 = fma64(x2, fma64(x, c3, c2), fma64(x, c1, c0))
    return fma64(x4, poly3, poly4)


def log(d) -> np.ndarray:
    d = np.asarray(d, f64)
    positive = np.where(np.isfinite(d) & (d > 0), d, 1.0)
    scaled = positive * (1.0 / 0.75)
    e = (np.frexp(scaled)[1] - 1).astype(f64)          # getexp
    fraction, _ = np.frexp(positive)                    # getmant in [0.75, 1.5)
    m = np.where(fraction < 0.75, fraction * 2, fraction)
    x = _dd_divide(_dd_add2_doubles(-np.ones_like(m), m), _dd_add2_doubles(np.ones_like(m), m))
    x2 = x[0] * x[0]
    x4 = x2 * x2
    t = _poly7(x2, x4, x4 * x4)
    s = _dd_mul_double(LN2_F64, e)
    s = _dd_add(s, (x[0] * 2, x[1] * 2))
    s = _dd_add_double(s, (x2 * x[0]) * t)
    return _ieee_special_cases(s[0] + s[1], d)
