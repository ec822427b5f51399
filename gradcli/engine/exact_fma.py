"""Fused multiply-add rounded once, which numpy does not offer: PyTorch's CPU kernels are
compiled with FMA contraction, so `u * (to - from) + from` and the Box-Muller polynomials round
once, and the recorded numbers need that single rounding (random_uniform.py, random_normal.py).
"""

from __future__ import annotations

import math

import numpy as np

f32, f64, u64 = np.float32, np.float64, np.uint64


def two_sum_error(a, b, s):
    """The rounding error of `s = a + b` (Knuth's TwoSum): a + b == s + error exactly."""
    bb = s - a
    return (a - (s - bb)) + (b - bb)


def fma32(a, b, c) -> np.ndarray:
    """float32 `a*b + c` rounded once. The product is exact in float64; the float64 sum, rounded
    to float32, is right unless it landed exactly on a float32 tie, which is redone exactly."""
    p = np.asarray(a, f32).astype(f64) * f64(b)
    s = p + f64(c) if np.ndim(c) == 0 else p + np.asarray(c, f64)
    ties = (s.view(u64) << u64(35)) == u64(1 << 63)
    if ties.any():
        error = two_sum_error(p, np.broadcast_to(np.asarray(c, f64), p.shape), s)
        s = np.where(ties & (error != 0), np.nextafter(s, np.where(error > 0, np.inf, -np.inf)), s)
    return s.astype(f32)


def fma32_tie_free(a, b, c) -> np.ndarray:
    """`fma32` without the tie check, for the Box-Muller polynomials only: over every possible
    input (the 2^24 float32 uniforms) no inexact float64 sum there lands on a float32 tie
    (`bench/random_numbers.py --exhaustive` checks the whole domain, the tests a sixteenth), and
    the check would add about 40% to randn's time."""
    s = np.multiply(a, b, dtype=f64)     # float32 operands widened exactly, in one pass
    s += c
    return s.astype(f32)


def _split(x):
    """Veltkamp's split of a float64 into two halves of 26 bits (Dekker's TwoProduct needs it)."""
    t = x * 134217729.0
    high = t - (t - x)
    return high, x - high


# Dekker's product and Boldo and Melquiond's sum are exact only away from the ends of the
# float64 range: the low half of a product underflows below about 2^-969 (subnormal results lose
# bits), and Veltkamp's split and the partial products overflow above about 2^996. Elements
# (operands, product or result) near either end are redone exactly; ordinary ones never are.
_EXACT_BELOW, _SPLIT_ABOVE = 2.0 ** -900, 2.0 ** 995


def fma64(a, b, c) -> np.ndarray:
    """float64 `a*b + c` rounded once (Boldo and Melquiond's emulation: exact product and sum,
    the two low parts added with rounding to odd, then one rounding to nearest)."""
    a, b, c = np.broadcast_arrays(np.asarray(a, f64), np.asarray(b, f64), np.asarray(c, f64))
    out = _fma64_vectorised(a, b, c)
    finite = np.isfinite(a) & np.isfinite(b) & np.isfinite(c)
    out[~finite] = (a * b + c)[~finite]     # an infinity or NaN in, IEEE's answer out
    product = np.abs(a * b)
    risky = finite & (((product < _EXACT_BELOW) & (a != 0) & (b != 0))
                      | (product > _SPLIT_ABOVE) | ~(np.abs(out) >= _EXACT_BELOW)
                      | ~(np.abs(out) <= _SPLIT_ABOVE)
                      | (np.abs(a) > _SPLIT_ABOVE) | (np.abs(b) > _SPLIT_ABOVE))
    for i in zip(*np.nonzero(risky)):
        out[i] = fma64_scalar(float(a[i]), float(b[i]), float(c[i]))
    return out


def _fma64_vectorised(a, b, c) -> np.ndarray:
    product = a * b
    a_high, a_low = _split(a)
    b_high, b_low = _split(b)
    product_low = ((a_high * b_high - product) + a_high * b_low + a_low * b_high) + a_low * b_low
    high = c + product
    low = two_sum_error(c, product, high)
    odd_sum = low + product_low
    error = two_sum_error(low, product_low, odd_sum)
    bits = odd_sum.view(np.int64).copy()
    inexact_even = (error != 0) & ((bits & 1) == 0)
    away_from_zero = (error > 0) == (odd_sum > 0)
    bits += np.where(inexact_even, np.where(away_from_zero, 1, -1), 0)
    return high + bits.view(f64)


def fma64_scalar(a: float, b: float, c: float) -> float:
    from fractions import Fraction     # on first use: importing it costs ~1.4 ms of start-up

    exact = Fraction(a) * Fraction(b) + Fraction(c)
    if exact == 0:
        # IEEE's sign of an exact zero: -0.0 only when the product is a negative zero and c is
        # -0.0 too (normal_(-0.0, 0.0) keeps the draws' signs); any other zero sum is +0.0.
        negative_product = (a == 0 or b == 0) and math.copysign(1, a) != math.copysign(1, b)
        return -0.0 if negative_product and math.copysign(1, c) < 0 else 0.0
    try:
        return float(exact)
    except OverflowError:
        return math.inf if exact > 0 else -math.inf


def fused(a, b, c) -> np.ndarray:
    """`a*b + c` rounded once, broadcast, in `a`'s dtype (float32 or float64)."""
    a, b, c = np.broadcast_arrays(a, b, c)
    flat = [np.ravel(x) for x in (a, b, c)]       # (fma64 takes arrays of at least one dim)
    return (fma32 if a.dtype == np.float32 else fma64)(*flat).reshape(a.shape)
