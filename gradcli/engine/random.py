"""Random numbers identical, bit for bit, to PyTorch 2.13's CPU generator (x86-64 build).

The generator (ATen's `CPUGeneratorImpl`, aten/src/ATen/CPUGeneratorImpl.cpp) is a Mersenne
Twister, mt19937, seeded the classic way from the low 32 bits of the seed
(`init_with_uint32` in aten/src/ATen/core/MT19937RNGEngine.h) while `initial_seed()` keeps all 64.
numpy's `MT19937` bit generator gives the same raw 32-bit stream once its state is set to that
initialisation, so the raw numbers come from numpy and the transforms are written here,
vectorised. `random64()` joins two draws as `hi << 32 | lo`.

The transforms follow the CPU kernels (aten/src/ATen/core/TransformationHelper.h,
DistributionsHelper.h, aten/src/ATen/native/cpu/DistributionTemplates.h), checked against
recorded torch output (tests/golden/random.json), not only against the reading:
- a float32 uniform is the low 24 bits of one draw times 2^-24; a float64 one the low 53 bits of
  `random64()` times 2^-53; `uniform_(a, b)` is `fma(u, b - a, a)` (the kernels are compiled with
  FMA contraction, and the recorded numbers need the single rounding).
- `normal_` on 16 or more contiguous elements (`normal_fill`): all uniforms are drawn first, then
  converted 16 at a time by Box-Muller over the pairs (j, j+8); if the size is not a multiple of
  16 the last 16 are drawn again and recomputed. float32 goes through `normal_fill_16_AVX2`, whose
  log and sincos are the Cephes polynomials of aten/src/ATen/native/cpu/avx_mathfun.h (the AVX2
  kernel serves AVX512 CPUs too), emulated below with the same float32 operations and the same
  fused multiply-adds GCC contracts them into. float64 uses the C library's log, cos and sin.
- fewer than 16 elements (or a non-contiguous target) take the scalar `normal_distribution<double>`:
  Box-Muller on two 53-bit uniforms with `log1p`, returning `r cos(theta)` and caching
  `r sin(theta)` in the generator for the next scalar normal (`manual_seed` drops the cache).
- integers: `random() % range + from`, with `random64()` once the range reaches 2^32;
  `randperm(n)` is Fisher-Yates swapping `i` with `i + random() % (n - i)`.

Covered, bit for bit: manual_seed / initial_seed / seed / Generator, rand, rand_like, randn,
randn_like, randint, randint_like, randperm, normal (numbers, or tensor mean and/or std),
bernoulli (tensor p) and the in-place uniform_, normal_, random_ (with PyTorch's bound checks,
nudges and warnings), bernoulli_ (tensor p); float32 and float64, any shape, views included.
Not reproduced: `bernoulli_(p)` with a number p and `bernoulli(t, p=number)` (PyTorch draws those
from MKL's own stream), exponential_, cauchy_, log_normal_, geometric_, multinomial, poisson,
get_rng_state / set_rng_state, and PyTorch builds whose kernel is not the x86-64 AVX2 one (on ARM
and pre-AVX2 CPUs PyTorch's own float32 randn of 16+ elements uses libm instead).
"""

from __future__ import annotations

import math
import os
from fractions import Fraction

import numpy as np

from gradcli.engine import dtypes, factories
from gradcli.engine.errors import (TorchNotImplementedError, TorchRuntimeError, TorchTypeError,
                                   TorchValueError)
from gradcli.engine.inplace import check_writable, commit
from gradcli.engine.ops import Op, apply
from gradcli.engine.tensor import Tensor
from gradcli.engine.warnings import warn

TORCH_FUNCTIONS = ("manual_seed", "initial_seed", "seed", "Generator", "rand", "rand_like",
                   "randn", "randn_like", "randint", "randint_like", "randperm", "normal",
                   "bernoulli")

f32, f64, u64 = np.float32, np.float64, np.uint64
MASK24, MASK53 = u64((1 << 24) - 1), u64((1 << 53) - 1)
UINT64 = 1 << 64


# ----- the generator ---------------------------------------------------------------------------

def _mt19937_key(seed: int) -> np.ndarray:
    """The state `init_with_uint32(seed)` builds (Matsumoto and Nishimura's init_genrand)."""
    key = [seed & 0xFFFFFFFF]
    for i in range(1, 624):
        previous = key[-1]
        key.append((1812433253 * (previous ^ (previous >> 30)) + i) & 0xFFFFFFFF)
    return np.array(key, dtype=np.uint32)


def _nondeterministic_seed() -> int:
    """c10's getNonDeterministicRandom for CPU: two random_device words folded into 53 bits."""
    first, second = np.frombuffer(os.urandom(8), dtype=np.uint32).tolist()
    return ((first << 1) ^ second) & ((1 << 53) - 1)


def _as_seed(seed) -> int:
    """`torch.manual_seed` takes `int(seed)`; a negative one is read as its two's complement."""
    seed = int(seed)
    if not -(1 << 63) <= seed < UINT64:
        raise TorchValueError("Overflow when unpacking long long")
    return seed % UINT64


class Generator:
    """A CPU `torch.Generator`: the mt19937 stream plus the scalar normal's cached value."""

    def __init__(self, device: str = "cpu") -> None:
        self.manual_seed(_nondeterministic_seed())

    def manual_seed(self, seed) -> "Generator":
        self._initial_seed = _as_seed(seed)
        self._stream = None       # made on the first draw: importing numpy.random costs ~10 ms
        self._next_normal = None
        return self

    @property
    def _bits(self):
        """numpy's mt19937 at this generator's position in the stream."""
        if self._stream is None:
            self._stream = np.random.MT19937(0)
            # pos 624 = ATen's `left_ = 1`: the first draw regenerates the whole state
            self._stream.state = {"bit_generator": "MT19937",
                                  "state": {"key": _mt19937_key(self._initial_seed), "pos": 624}}
        return self._stream

    def initial_seed(self) -> int:
        return self._initial_seed

    def seed(self) -> int:
        new_seed = _nondeterministic_seed()
        self.manual_seed(new_seed)
        return new_seed

    def random(self, n: int) -> np.ndarray:
        """n raw 32-bit outputs (as uint64)."""
        return self._bits.random_raw(n)

    def random64(self, n: int) -> np.ndarray:
        pairs = self._bits.random_raw(2 * n).reshape(n, 2)
        return (pairs[:, 0] << u64(32)) | pairs[:, 1]

    def __repr__(self) -> str:
        return f"<torch._C.Generator object at {id(self):#x}>"


default_generator = Generator()


def manual_seed(seed) -> Generator:
    return default_generator.manual_seed(seed)


def initial_seed() -> int:
    return default_generator.initial_seed()


def seed() -> int:
    return default_generator.seed()


# ----- exact roundings numpy does not offer -----------------------------------------------------

def _two_sum_error(a, b, s):
    """The rounding error of `s = a + b` (Knuth's TwoSum): a + b == s + error exactly."""
    bb = s - a
    return (a - (s - bb)) + (b - bb)


def _fma32(a, b, c) -> np.ndarray:
    """float32 `a*b + c` rounded once. The product is exact in float64; the float64 sum, rounded
    to float32, is right unless it landed exactly on a float32 tie, which is redone exactly."""
    p = np.asarray(a, f32).astype(f64) * f64(b)
    s = p + f64(c) if np.ndim(c) == 0 else p + np.asarray(c, f64)
    ties = (s.view(u64) << u64(35)) == u64(1 << 63)
    if ties.any():
        error = _two_sum_error(p, np.broadcast_to(np.asarray(c, f64), p.shape), s)
        s = np.where(ties & (error != 0), np.nextafter(s, np.where(error > 0, np.inf, -np.inf)), s)
    return s.astype(f32)


def _fma32_tie_free(a, b, c) -> np.ndarray:
    """`_fma32` without the tie check, for the Box-Muller polynomials only: over every possible
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


def _fma64(a, b, c) -> np.ndarray:
    """float64 `a*b + c` rounded once (Boldo and Melquiond's emulation: exact product and sum,
    the two low parts added with rounding to odd, then one rounding to nearest)."""
    a, b, c = np.broadcast_arrays(np.asarray(a, f64), np.asarray(b, f64), np.asarray(c, f64))
    with np.errstate(over="ignore", invalid="ignore"):
        out = _fma64_vectorised(a, b, c)
        finite = np.isfinite(a) & np.isfinite(b) & np.isfinite(c)
        out[~finite] = (a * b + c)[~finite]     # an infinity or NaN in, IEEE's answer out
        product = np.abs(a * b)
        risky = finite & (((product < _EXACT_BELOW) & (a != 0) & (b != 0))
                          | (product > _SPLIT_ABOVE) | ~(np.abs(out) >= _EXACT_BELOW)
                          | ~(np.abs(out) <= _SPLIT_ABOVE)
                          | (np.abs(a) > _SPLIT_ABOVE) | (np.abs(b) > _SPLIT_ABOVE))
    for i in zip(*np.nonzero(risky)):
        out[i] = _fma64_scalar(float(a[i]), float(b[i]), float(c[i]))
    return out


def _fma64_vectorised(a, b, c) -> np.ndarray:
    product = a * b
    a_high, a_low = _split(a)
    b_high, b_low = _split(b)
    product_low = ((a_high * b_high - product) + a_high * b_low + a_low * b_high) + a_low * b_low
    high = c + product
    low = _two_sum_error(c, product, high)
    odd_sum = low + product_low
    error = _two_sum_error(low, product_low, odd_sum)
    bits = odd_sum.view(np.int64).copy()
    inexact_even = (error != 0) & ((bits & 1) == 0)
    away_from_zero = (error > 0) == (odd_sum > 0)
    bits += np.where(inexact_even, np.where(away_from_zero, 1, -1), 0)
    return high + bits.view(f64)


def _fma64_scalar(a: float, b: float, c: float) -> float:
    exact = Fraction(a) * Fraction(b) + Fraction(c)
    try:
        return float(exact)
    except OverflowError:
        return math.inf if exact > 0 else -math.inf


# ----- uniform -------------------------------------------------------------------------------

def _unit_float32(gen: Generator, n: int) -> np.ndarray:
    return (gen.random(n) & MASK24).astype(f32) * f32(2.0 ** -24)


def _unit_float64(gen: Generator, n: int) -> np.ndarray:
    return (gen.random64(n) & MASK53).astype(f64) * 2.0 ** -53


def _unit(gen: Generator, n: int, dtype: dtypes.DType) -> np.ndarray:
    return _unit_float64(gen, n) if dtype is dtypes.float64 else _unit_float32(gen, n)


def _uniform(gen: Generator, n: int, dtype: dtypes.DType, low: float, high: float) -> np.ndarray:
    """`uniform_real_distribution`: `u * (to - from) + from`, contracted to one fma."""
    u = _unit(gen, n, dtype)
    if low == 0 and high == 1:
        return u
    if dtype is dtypes.float64:
        return _fma64(u, high - low, low)
    low32, high32 = f32(low), f32(high)
    return _fma32(u, high32 - low32, low32)


# ----- normal: the scalar Box-Muller ---------------------------------------------------------

def _scalar_normals(gen: Generator, n: int, mean: float, std: float) -> np.ndarray:
    """`normal_distribution<double>`, one value at a time, sharing the generator's cache."""
    values = np.empty(n, f64)
    for i in range(n):
        if gen._next_normal is not None:
            z, gen._next_normal = gen._next_normal, None
        else:
            u1, u2 = _unit_float64(gen, 2)
            radius = math.sqrt(-2.0 * math.log1p(-u2))
            theta = 2.0 * math.pi * u1
            gen._next_normal = radius * math.sin(theta)
            z = radius * math.cos(theta)
        values[i] = _fma64_scalar(z, std, mean)
    return values


# ----- normal: normal_fill, float32 (avx_mathfun.h's Cephes polynomials) -----------------------

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
BLOCK = 16            # normal_fill's unit: 8 pairs (j, j + 8)
CHUNK = 1 << 14       # uniforms converted per numpy pass: small enough to stay in cache


def _cephes_log(u: np.ndarray) -> np.ndarray:
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
        y = _fma32_tie_free(y, x64, coefficient)
    y *= x
    y = _fma32_tie_free(y, z, exponent * LOG_Q1)
    y -= z * f32(0.5)
    y += x
    y += exponent * LOG_Q2
    return y


def _cephes_sincos(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sincos256_ps for 0 <= theta < 2 pi: reduce by octant j (Cody-Waite with three parts of
    pi/4), evaluate both polynomials, then swap and negate by the octant's bits."""
    j = (theta * FOUR_OVER_PI).astype(np.int32)
    j += 1
    j &= ~1
    octant = j.astype(f32)
    x = theta + octant * DP1             # these two products are exact, so fusing is moot
    x += octant * DP2
    x = _fma32_tie_free(octant, DP3, x)
    z = x * x
    z64 = z.astype(f64)
    cos_poly = _fma32_tie_free(np.full(z.shape, COS_POLY[0], f32), z64, COS_POLY[1])
    cos_poly = _fma32_tie_free(cos_poly, z64, COS_POLY[2])
    cos_poly *= z
    cos_poly = _fma32_tie_free(cos_poly, z, -(z * f32(0.5)))
    cos_poly += f32(1)
    sin_poly = _fma32_tie_free(np.full(z.shape, SIN_POLY[0], f32), z64, SIN_POLY[1])
    sin_poly = _fma32_tie_free(sin_poly, z64, SIN_POLY[2])
    sin_poly *= z
    sin_poly = _fma32_tie_free(sin_poly, x, x)
    sin_bits, cos_bits = sin_poly.view(np.int32), cos_poly.view(np.int32)
    swap = ((j & 2) >> 1) - 1            # all ones where the sine polynomial gives the sine
    swap &= sin_bits ^ cos_bits
    sine, cosine = cos_bits ^ swap, sin_bits ^ swap
    sine ^= (j & 4) << 29
    cosine ^= (~(j - 2) & 4) << 29
    return sine.view(f32), cosine.view(f32)


def _box_muller_float32(blocks: np.ndarray, mean: float, std: float) -> np.ndarray:
    """normal_fill_16_AVX2 over rows of 16 uniforms: (j, j+8) -> (r cos, r sin)."""
    radius = np.sqrt(f32(-2) * _cephes_log(f32(1) - blocks[:, :8]))
    sine, cosine = _cephes_sincos(blocks[:, 8:] * TWO_PI_FLOAT32)
    out = np.empty_like(blocks)
    np.multiply(radius, cosine, out=out[:, :8])
    np.multiply(radius, sine, out=out[:, 8:])
    if mean != 0 or std != 1:
        out = _fma32(out, f32(std), f32(mean))
    return out


# ----- normal: normal_fill, float64 (the C library's log, cos, sin) ---------------------------

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
        out = _fma64(out, std, mean)
    return out


def _normal_fill(gen: Generator, n: int, dtype: dtypes.DType, mean: float, std: float):
    box_muller = _box_muller_float64 if dtype is dtypes.float64 else _box_muller_float32
    out = np.empty(n, dtype.numpy)
    whole = n - n % BLOCK
    for start in range(0, whole, CHUNK):
        stop = min(whole, start + CHUNK)
        blocks = _unit(gen, stop - start, dtype).reshape(-1, BLOCK)
        out[start:stop] = box_muller(blocks, mean, std).ravel()
    if n % BLOCK:
        _unit(gen, n % BLOCK, dtype)                  # the tail's first draws, then discarded
        tail = _unit(gen, BLOCK, dtype).reshape(1, BLOCK)
        out[n - BLOCK:] = box_muller(tail, mean, std).ravel()
    return out


def _normal(gen: Generator, n: int, dtype: dtypes.DType, mean: float, std: float, contiguous=True):
    """What `normal_(mean, std)` writes, flat, in the order PyTorch's kernel fills memory."""
    if std < 0:
        raise TorchRuntimeError(f"normal expects std >= 0.0, but found std {_c_number(std)}")
    if n >= BLOCK and contiguous:
        return _normal_fill(gen, n, dtype, mean, std)
    return _scalar_normals(gen, n, mean, std).astype(dtype.numpy)


# ----- integers -------------------------------------------------------------------------------

OUT_OF_BOUNDS_WARNING = (
    "{name} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision limitations {type} can "
    "support discrete uniform distribution only within this range. This warning will become an "
    "error in version 1.7 release, please fix the code in advance (Triggered internally at "
    "/__w/pytorch/pytorch/aten/src/ATen/native/DistributionTemplates.h:{line}.)")
MANTISSA_DIGITS = {"float32": 24, "float64": 53}
_FLOAT_OF_DIGITS = {24: f32, 53: f64}


def _representable_from(low: int, digits: int) -> int:
    """ATen's update_from: raise `from` past what the float type rounds it down to."""
    rounded = int(np.array(low + 1, np.int64).astype(_FLOAT_OF_DIGITS[digits]).astype(np.int64))
    if rounded < low:
        return rounded + (1 << (abs(low + 1).bit_length() - 1 - digits + 1))
    return low


def _representable_to(high: int, digits: int) -> int:
    """ATen's update_to: lower `to` below what the float type rounds `to - 1` up to."""
    rounded = int(np.array(high - 1, np.int64).astype(_FLOAT_OF_DIGITS[digits]).astype(np.int64))
    if rounded >= high:
        return rounded - (1 << (abs(high - 1).bit_length() - 1 - digits + 1))
    return high


def _checked_bounds(low: int, high: int, dtype: dtypes.DType) -> tuple[int, int]:
    """random_from_to_impl's checks (aten/src/ATen/native/DistributionTemplates.h): from < to;
    for floats, bounds moved to representable values and a warning past 2^mantissa; for bool,
    both ends in [0, 1]."""
    if low >= high:
        raise TorchRuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    if dtype.is_floating_point:
        digits = MANTISSA_DIGITS[dtype.name]
        low, high = _representable_from(low, digits), _representable_to(high, digits)
        if low >= high:
            raise TorchRuntimeError(
                "random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, but "
                f"got from={low} >= to={high}")
        for name, value, line in (("from", low, 110), ("to - 1", high - 1, 111)):
            if abs(value) > 1 << digits:
                warn(OUT_OF_BOUNDS_WARNING.format(name=name, digits=digits, line=line,
                                                  type=dtype.scalar_name.lower()))
    elif dtype is dtypes.bool_:
        for name, value in (("from", low), ("to - 1", high - 1)):
            if not 0 <= value <= 1:
                raise TorchRuntimeError(f"{name} is out of bounds for bool")
    return low, high


def _random_from_to(gen: Generator, n: int, low: int, high: int) -> np.ndarray:
    """`uniform_int_from_to_distribution`: `(random() % range) + from` as int64 (wrapping)."""
    span = high - low
    raw = gen.random64(n) if span >= 1 << 32 else gen.random(n)
    return ((raw % u64(span)) + u64(low % UINT64)).view(np.int64)


def _random_full(gen: Generator, n: int, dtype: dtypes.DType) -> np.ndarray:
    """`random_()` without bounds: [0, 2^mantissa] for floats, [0, 2^63) for int64, one bit
    for bool."""
    if dtype is dtypes.bool_:
        return (gen.random(n) & u64(1)).astype(bool)
    if dtype is dtypes.float32:
        return (gen.random(n) % u64((1 << 24) + 1)).astype(f32)
    if dtype is dtypes.float64:
        return (gen.random64(n) % u64((1 << 53) + 1)).astype(f64)
    return (gen.random64(n) % u64(1 << 63)).astype(np.int64)


def _fisher_yates(gen: Generator, n: int) -> np.ndarray:
    """randperm_cpu: identity, then swap i with i + random() % (n - i) for i < n - 1."""
    perm = list(range(n))
    if n > 1:
        offsets = (gen.random(n - 1) % np.arange(n, 1, -1, dtype=u64)).tolist()
        for i, offset in enumerate(offsets):
            j = i + offset
            perm[i], perm[j] = perm[j], perm[i]
    return np.array(perm, dtype=np.int64)


# ----- bernoulli --------------------------------------------------------------------------------

BERNOULLI_RANGE_ERROR = (
    "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be "
    "improved?  If so, please report an enhancement request to PyTorch.)")


def _bernoulli(gen: Generator, p: np.ndarray) -> np.ndarray:
    """`bernoulli_distribution`: uniform < p, in the precision of p (53 bits for float64)."""
    if p.dtype.kind != "f":
        name = dtypes.from_numpy(p.dtype).scalar_name
        raise TorchNotImplementedError(f"\"bernoulli_tensor_cpu_p_\" not implemented for '{name}'")
    if p.size and not ((p >= 0) & (p <= 1)).all():
        raise TorchRuntimeError(BERNOULLI_RANGE_ERROR)
    flat = np.ascontiguousarray(p).ravel()
    if flat.dtype == f64:
        return (_unit_float64(gen, flat.size) < flat).reshape(p.shape)
    return (_unit_float32(gen, flat.size) < flat.astype(f32)).reshape(p.shape)


# ----- argument handling ----------------------------------------------------------------------

def _c_number(x) -> str:
    """A number as C++'s ostream prints a double (`3`, `0.5`, `1e-07`), as ATen's messages do."""
    return f"{x:g}"


def _float_dtype(dtype, kernel: str) -> dtypes.DType:
    dtype = factories._resolve(dtype) or dtypes.get_default_dtype()
    if not dtype.is_floating_point:
        raise TorchNotImplementedError(
            f"\"{kernel}\" not implemented for '{dtype.scalar_name}'")
    return dtype


def _generator(generator) -> Generator:
    return default_generator if generator is None else generator


def _new(values: np.ndarray, shape, dtype: dtypes.DType, requires_grad: bool) -> Tensor:
    result = Tensor(values.astype(dtype.numpy, copy=False).reshape(shape))
    return factories._check_requires_grad(result, requires_grad)


def _memory_axes(like: np.ndarray) -> np.ndarray:
    """`like`'s axes from the outermost in memory to the innermost: the order TensorIterator's
    serial kernels visit a (possibly transposed) target in."""
    return np.argsort([-abs(s) for s in like.strides], kind="stable")


def _memory_order(like: np.ndarray, flat: np.ndarray) -> np.ndarray:
    """An array shaped like `like` holding `flat` in `like`'s memory order."""
    axes = _memory_axes(like)
    in_memory = flat.reshape([like.shape[a] for a in axes])
    return in_memory.transpose(np.argsort(axes))


# ----- factories ----------------------------------------------------------------------------------

def rand(*shape, size=None, dtype=None, requires_grad=False, generator=None) -> Tensor:
    dtype = _float_dtype(dtype, "check_uniform_bounds")
    shape = factories._size(shape if size is None else (size,))
    values = _uniform(_generator(generator), math.prod(shape), dtype, 0.0, 1.0)
    return _new(values, shape, dtype, requires_grad)


def randn(*shape, size=None, dtype=None, requires_grad=False, generator=None) -> Tensor:
    dtype = _float_dtype(dtype, "normal_kernel_cpu")
    shape = factories._size(shape if size is None else (size,))
    values = _normal(_generator(generator), math.prod(shape), dtype, 0.0, 1.0)
    return _new(values, shape, dtype, requires_grad)


def rand_like(input: Tensor, dtype=None, requires_grad=False, generator=None) -> Tensor:
    return rand(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad,
                generator=generator)


def randn_like(input: Tensor, dtype=None, requires_grad=False, generator=None) -> Tensor:
    return randn(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad,
                 generator=generator)


def randint(*args, low=None, high=None, size=None, dtype=None, requires_grad=False,
            generator=None) -> Tensor:
    """`randint(high, size)` or `randint(low, high, size)` (positional or by keyword): int64
    unless `dtype` says otherwise."""
    positional = list(args)
    try:
        size = positional.pop() if size is None else size
        high = positional.pop() if high is None else high
        low = (positional.pop() if positional else 0) if low is None else low
    except IndexError:
        raise TorchTypeError("randint() received an invalid combination of arguments: expected "
                             "(high, size) or (low, high, size)") from None
    if positional:
        raise TorchTypeError("randint() takes at most 3 positional arguments (low, high, size)")
    dtype = factories._resolve(dtype) or dtypes.int64
    low, high = _checked_bounds(int(low), int(high), dtype)
    shape = factories._size((size,))
    values = _random_from_to(_generator(generator), math.prod(shape), low, high)
    return _new(values, shape, dtype, requires_grad)


def randint_like(input: Tensor, *bounds, low=None, high=None, dtype=None, requires_grad=False,
                 generator=None) -> Tensor:
    """`randint_like(input, high)` or `randint_like(input, low, high)`, input's shape and dtype."""
    return randint(*bounds, low=low, high=high, size=input.shape, dtype=dtype or input.dtype,
                   requires_grad=requires_grad, generator=generator)


def randperm(n, dtype=None, requires_grad=False, generator=None) -> Tensor:
    dtype = factories._resolve(dtype) or dtypes.int64
    if dtype is dtypes.bool_:
        raise TorchNotImplementedError("\"randperm\" not implemented for 'Bool'")
    (n,) = factories._size((n,))
    return _new(_fisher_yates(_generator(generator), n), (n,), dtype, requires_grad)


def normal(mean=0.0, std=1.0, size=None, dtype=None, requires_grad=False, generator=None):
    """`normal(mean, std, size)` for numbers, or elementwise for tensor `mean`/`std`
    (PyTorch draws N(0, 1), or N(0, std) for a number std, then scales and shifts)."""
    gen = _generator(generator)
    if not isinstance(mean, Tensor) and not isinstance(std, Tensor):
        if size is None:
            raise TorchRuntimeError("normal() needs a size when mean and std are numbers")
        dtype = _float_dtype(dtype, "normal_kernel_cpu")
        shape = factories._size((size,) if isinstance(size, int) else tuple(size))
        return _new(_normal(gen, math.prod(shape), dtype, float(mean), float(std)), shape, dtype,
                    requires_grad)
    tensors = [t for t in (mean, std) if isinstance(t, Tensor)]
    dtype = _float_dtype(dtypes.result_type(*tensors), "normal_kernel_cpu")
    shape = np.broadcast_shapes(*(t.shape for t in tensors))
    count = math.prod(shape)
    if isinstance(std, Tensor):
        if std._data.size and (std._data < 0).any():
            raise TorchRuntimeError("normal expects all elements of std >= 0.0")
        z = _normal(gen, count, dtype, 0.0, 1.0).reshape(shape)
        values = z * std._data.astype(dtype.numpy)
    else:
        values = _normal(gen, count, dtype, 0.0, float(std)).reshape(shape)
    values = values + (mean._data.astype(dtype.numpy) if isinstance(mean, Tensor)
                       else dtype.numpy.type(mean))
    row = ("normal_tensor_tensor" if len(tensors) == 2 else
           "normal_tensor_float" if isinstance(mean, Tensor) else "normal_float_tensor")
    return apply(ROWS[row], *tensors, values=values.astype(dtype.numpy))


NUMBER_P_ABSENT = ("gradcli does not reproduce bernoulli with a number p (PyTorch draws it from "
                   "MKL's stream); pass the probabilities as a tensor")


def bernoulli(input: Tensor, p=None, generator=None) -> Tensor:
    """0 or 1 with probability `input`, one uniform per element (BernoulliBackward0 if tracked)."""
    if p is not None:
        raise TorchRuntimeError(NUMBER_P_ABSENT)
    values = _bernoulli(_generator(generator), input._data)
    return apply(ROWS["bernoulli"], input, values=values)


# ----- in-place Tensor methods ------------------------------------------------------------------

def _fill(self: Tensor, row: str, draw) -> Tensor:
    """Write `draw(count, contiguous)`'s values into `self` in place, recording `row`'s node."""
    check_writable(self)
    data = self._data
    flat = draw(data.size, data.flags.c_contiguous)
    return commit(self, apply(ROWS[row], self, values=_memory_order(data, flat)))


def uniform_(self: Tensor, from_=0.0, to=1.0, generator=None) -> Tensor:
    dtype = _float_dtype(self.dtype, "check_uniform_bounds")
    if from_ > to:
        raise TorchRuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={_c_number(from_)} > "
            f"to={_c_number(to)}")
    gen = _generator(generator)
    return _fill(self, "uniform", lambda n, _: _uniform(gen, n, dtype, float(from_), float(to)))


def normal_(self: Tensor, mean=0.0, std=1.0, generator=None) -> Tensor:
    dtype = _float_dtype(self.dtype, "normal_kernel_cpu")
    gen = _generator(generator)
    return _fill(self, "normal",
                 lambda n, contiguous: _normal(gen, n, dtype, float(mean), float(std), contiguous))


def random_(self: Tensor, *bounds, generator=None, **named) -> Tensor:
    """`random_()`, `random_(to)` or `random_(from, to)` (also as `from_=`/`to=` keywords)."""
    if "from_" in named or "to" in named:
        bounds = (named.get("from_", 0), named["to"]) if "to" in named else (named["from_"],)
    gen = _generator(generator)
    dtype = self.dtype
    if not bounds:
        return _fill(self, "random_full", lambda n, _: _random_full(gen, n, dtype))
    low, high = (0, bounds[0]) if len(bounds) == 1 else bounds
    low, high = _checked_bounds(int(low), int(high), dtype)
    row = "random_to" if len(bounds) == 1 else "random_from_to"
    return _fill(self, row, lambda n, _: _random_from_to(gen, n, low, high))


def bernoulli_(self: Tensor, p, generator=None) -> Tensor:
    if not isinstance(p, Tensor):
        raise TorchRuntimeError(NUMBER_P_ABSENT)
    in_memory_order = np.broadcast_to(p._data, self.shape).transpose(_memory_axes(self._data))
    gen = _generator(generator)
    return _fill(self, "bernoulli_tensor",
                 lambda n, _: _bernoulli(gen, np.ascontiguousarray(in_memory_order)).ravel())


# ----- autograd: every random op has a zero gradient (derivatives.yaml) --------------------------

def _zero_grad(grad: Tensor, saved) -> Tensor:
    return Tensor(np.zeros(grad.shape, dtype=grad.dtype.numpy))


def _drawn(*inputs, values):
    return values


def _row(name: str, grad_fn: str, inputs: int = 1) -> Op:
    return Op(name, grad_fn, _drawn, grads=(_zero_grad,) * inputs, saves=((),) * inputs,
              rules=("d(random)/dx = 0",) * inputs)


ROWS = {row.name: row for row in [
    _row("uniform", "UniformBackward0"),
    _row("normal", "NormalBackward0"),
    _row("random_from_to", "RandomBackward0"),
    _row("random_to", "RandomBackward1"),
    _row("random_full", "RandomBackward2"),
    _row("bernoulli", "BernoulliBackward0"),
    _row("bernoulli_tensor", "BernoulliBackward1"),
    _row("normal_tensor_float", "NormalBackward1"),
    _row("normal_float_tensor", "NormalBackward2"),
    _row("normal_tensor_tensor", "NormalBackward3", inputs=2),
]}

for _name, _method in {"uniform_": uniform_, "normal_": normal_, "random_": random_,
                       "bernoulli_": bernoulli_, "bernoulli": bernoulli}.items():
    setattr(Tensor, _name, _method)
