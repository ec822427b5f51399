"""Where torch is importable (not in CI): sums and means add up in ATen's order, so they agree
with PyTorch's bit for bit, over random shapes, dims and dtypes (summation.py)."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from gradcli.engine import dtypes, functions as F  # noqa: E402
from gradcli.engine.factories import tensor  # noqa: E402


def test_sums_and_means_are_bit_identical_to_pytorch():
    rng = np.random.default_rng(11)
    mismatches = []
    for trial in range(300):
        ndim = int(rng.integers(1, 5))
        shape = tuple(int(n) for n in rng.integers(1, 12, ndim))
        dtype = ("float32", "float64")[trial % 2]
        values = (rng.standard_normal(shape) * 10).astype(dtype)
        start = int(rng.integers(0, ndim))
        dims = tuple(range(start, int(rng.integers(start, ndim)) + 1))
        dim = None if trial % 5 == 0 else dims
        keepdim = bool(trial % 3 == 0) and dim is not None
        ours = tensor(values, dtype=dtypes.BY_NAME[dtype])
        theirs = torch.from_numpy(values)
        for name in ("sum", "mean"):
            if dim is None:
                got, want = getattr(F, name)(ours), getattr(theirs, name)()
            else:
                got = getattr(F, name)(ours, dim=dim, keepdim=keepdim)
                want = getattr(theirs, name)(dim=dim, keepdim=keepdim)
            if not np.array_equal(got._data, want.numpy()):
                mismatches.append((name, shape, dtype, dim, keepdim))
    assert mismatches == []
