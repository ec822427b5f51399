"""The exact arithmetic under gradcli's random numbers: fused multiply-adds rounded once, and the
claim that lets randn skip the float32 tie check (no tie anywhere in its input domain)."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradcli.engine import avx_mathfun
from gradcli.engine.exact_fma import fma32, fma64, two_sum_error

finite64 = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e150, max_value=1e150)
finite32 = st.floats(allow_nan=False, allow_infinity=False, width=32, min_value=-2.0 ** 50,
                     max_value=2.0 ** 50)


def exact_fma(a, b, c) -> Fraction:
    return Fraction(a) * Fraction(b) + Fraction(c)


def float64_of(exact: Fraction) -> float:
    try:
        return float(exact)
    except OverflowError:
        return float("inf") if exact > 0 else float("-inf")


@settings(max_examples=400, deadline=None)
@given(finite64, finite64, finite64)
def test_fma64_rounds_once(a, b, c):
    assert fma64(np.array([a]), b, c)[0] == float(exact_fma(a, b, c))


# The whole float64 range: subnormal products (where Dekker's low half underflows), operands
# near the largest float (where Veltkamp's split overflows) and results that overflow.
any_finite64 = st.floats(allow_nan=False, allow_infinity=False)
tiny64 = st.floats(min_value=-2.0 ** -960, max_value=2.0 ** -960)


@settings(max_examples=400, deadline=None)
@given(any_finite64 | tiny64, any_finite64 | tiny64, any_finite64 | tiny64)
def test_fma64_rounds_once_over_the_whole_range(a, b, c):
    assert fma64(np.array([a]), b, c)[0] == float64_of(exact_fma(a, b, c))


def test_fma64_subnormal_product():
    a, b, c = 3.5190604510879273e-07, 2.225073858507203e-309, 0.0   # found by hypothesis
    assert fma64(np.array([a]), b, c)[0] == float(exact_fma(a, b, c))


@pytest.mark.parametrize("a, b, c", [
    (z, w, c) for z in (1.5, -1.5, 0.0, -0.0) for w in (0.0, -0.0) for c in (0.0, -0.0)
] + [(3.0, 2.0, -6.0), (-3.0, 2.0, 6.0)])
def test_fma64_zero_has_ieee_sign(a, b, c):
    """An exact zero is -0.0 only for a negative-zero product plus -0.0 (normal_(-0.0, 0.0)
    keeps each draw's sign in PyTorch); a cancellation is +0.0. A zero product and a zero c add
    exactly in plain float arithmetic, which gives the expected sign."""
    expected = a * b + c if c == 0 else 0.0
    for got in (fma64(np.array([a]), b, c)[0], fma64(np.full(20, a), b, c)[-1]):
        assert got == 0 and np.signbit(got) == np.signbit(expected)


def float32_of(exact: Fraction) -> np.float32:
    """The float32 nearest to an exact value (ties to even), without a float64 step between."""
    guess = np.float32(float(exact))
    candidates = [np.nextafter(guess, np.float32(-np.inf)), guess,
                  np.nextafter(guess, np.float32(np.inf))]
    return min(candidates, key=lambda f: (abs(Fraction(float(f)) - exact),
                                          int(np.array(f).view(np.uint32)) & 1))


@settings(max_examples=400, deadline=None)
@given(finite32, finite32, finite32)
def test_fma32_rounds_once(a, b, c):
    got = fma32(np.array([a], np.float32), np.float32(b), np.float32(c))[0]
    assert got == float32_of(exact_fma(a, b, c))


def test_fma32_resolves_float64_ties():
    # a*b = -64 + 2^-40 and c = 2^30 + 128: the float64 sum is the float32 tie 2^30 + 64,
    # which would round to even (2^30); the exact sum is above it, so the answer is 2^30 + 128.
    a, b = np.float32(64 + 2.0 ** -17), np.float32(-(1 - 2.0 ** -23))
    c = np.float32(2.0 ** 30 + 128)
    assert np.float32(float(a) * float(b) + float(c)) == np.float32(2.0 ** 30)
    assert fma32(np.array([a]), b, c)[0] == np.float32(2.0 ** 30 + 128)


class TieWatch:
    """Stands in for `fma32_tie_free` and fails if an inexact float64 sum lands on a float32
    tie (an exact one rounds right anyway)."""

    def __init__(self, original):
        self.original, self.calls = original, 0

    def __call__(self, a, b, c):
        p = np.asarray(a).astype(np.float64) * b
        s = p + c
        tie = (s.view(np.uint64) << np.uint64(35)) == np.uint64(1 << 63)
        inexact = two_sum_error(p, np.broadcast_to(np.float64(c), p.shape), s) != 0
        assert not (tie & inexact).any()
        self.calls += 1
        return self.original(a, b, c)


def domain(start: int = 0, stop: int = 1 << 24, stride: int = 1) -> np.ndarray:
    """float32 uniforms k / 2^24 for k in range(start, stop, stride); all of them (k < 2^24)
    are the inputs the kernel can draw."""
    k = np.arange(start, stop, stride, dtype=np.uint32)
    return k.astype(np.float32) * np.float32(2.0 ** -24)


def assert_tie_free(u: np.ndarray) -> None:
    """Run log and sincos over the uniforms `u` with every tie-free fma watched."""
    watch = TieWatch(avx_mathfun.fma32_tie_free)
    avx_mathfun.fma32_tie_free = watch
    try:
        avx_mathfun.cephes_log(np.float32(1) - u)
        avx_mathfun.cephes_sincos(u * avx_mathfun.TWO_PI_FLOAT32)
    finally:
        avx_mathfun.fma32_tie_free = watch.original
    assert watch.calls == 9 + 7


def test_box_muller_polynomials_never_meet_a_tie():
    """A sixteenth of the domain here; `python bench/random_numbers.py --exhaustive` checks it
    all (about 15 s)."""
    assert_tie_free(domain(5, 1 << 24, 16))


@pytest.mark.parametrize("u", [1.0, 0.5, 2.0 ** -24, 0.75, 0.999999940395])
def test_cephes_log_is_close_to_log(u):
    got = avx_mathfun.cephes_log(np.array([u], np.float32))[0]
    assert abs(float(got) - np.log(np.float32(u))) <= 4e-7 * max(1.0, abs(np.log(u)))
