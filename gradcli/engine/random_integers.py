"""Random integers as PyTorch's CPU kernels draw them (aten/src/ATen/native/
DistributionTemplates.h, aten/src/ATen/native/TensorFactories.cpp): `random() % range + from`,
with `random64()` once the range reaches 2^32; `random_()` without bounds; and `randperm(n)`,
Fisher-Yates swapping `i` with `i + random() % (n - i)`. The bounds are checked and moved to
representable values as random_from_to_impl does.
"""

from __future__ import annotations

import numpy as np

from gradcli.engine import dtypes
from gradcli.engine.errors import TorchRuntimeError
from gradcli.engine.random_generator import UINT64, Generator
from gradcli.engine.warnings import warn

f32, f64, u64 = np.float32, np.float64, np.uint64


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


def checked_bounds(low: int, high: int, dtype: dtypes.DType) -> tuple[int, int]:
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


def random_from_to(gen: Generator, n: int, low: int, high: int) -> np.ndarray:
    """`uniform_int_from_to_distribution`: `(random() % range) + from` as int64 (wrapping)."""
    span = high - low
    raw = gen.random64(n) if span >= 1 << 32 else gen.random(n)
    return ((raw % u64(span)) + u64(low % UINT64)).view(np.int64)


def random_full(gen: Generator, n: int, dtype: dtypes.DType) -> np.ndarray:
    """`random_()` without bounds: [0, 2^mantissa] for floats, [0, 2^63) for int64, one bit
    for bool."""
    if dtype is dtypes.bool_:
        return (gen.random(n) & u64(1)).astype(bool)
    if dtype is dtypes.float32:
        return (gen.random(n) % u64((1 << 24) + 1)).astype(f32)
    if dtype is dtypes.float64:
        return (gen.random64(n) % u64((1 << 53) + 1)).astype(f64)
    return (gen.random64(n) % u64(1 << 63)).astype(np.int64)


def fisher_yates(gen: Generator, n: int) -> np.ndarray:
    """randperm_cpu: identity, then swap i with i + random() % (n - i) for i < n - 1."""
    perm = list(range(n))
    if n > 1:
        offsets = (gen.random(n - 1) % np.arange(n, 1, -1, dtype=u64)).tolist()
        for i, offset in enumerate(offsets):
            j = i + offset
            perm[i], perm[j] = perm[j], perm[i]
    return np.array(perm, dtype=np.int64)
