"""Where torch is importable (not in CI), the random goldens' calls are re-run live through
PyTorch, with seeds and sizes the recording did not use, and compared bit for bit."""

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

torch = pytest.importorskip("torch")

sys.path.insert(0, str(Path(__file__).parents[1] / "golden"))
import record_random  # noqa: E402  (tests/golden/record_random.py)

from test_random_golden import run  # noqa: E402

SEEDS = (3, 2**32 + 5, -7, 123456789)


@pytest.mark.parametrize("seed", SEEDS)
def test_mixed_calls_live(seed):
    assert run(seed, record_random.MIXED) == record_random.run(seed, record_random.MIXED)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("dtype", record_random.DTYPES)
def test_streams_live(seed, dtype):
    calls = [f"{fn}({n}, dtype={dtype})" for n in (1, 15, 16, 17, 33, 47, 5000) for fn in
             ("randn", "rand", "randn")]
    calls += [f"zeros({n}, dtype={dtype}).normal_(0.75, 1.5)" for n in (7, 16, 100, 4099)]
    calls += [f"zeros({n}, dtype={dtype}).uniform_(-0.5, 0.25)" for n in (3, 1001)]
    assert run(seed, calls) == record_random.run(seed, calls)


def test_errors_live():
    assert run(0, record_random.ERRORS) == record_random.run(0, record_random.ERRORS)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(-2**63, 2**64 - 1), sizes=st.lists(st.integers(0, 300), min_size=1,
                                                          max_size=4),
       dtype=st.sampled_from(record_random.DTYPES), mean=st.floats(-5, 5),
       std=st.floats(0, 5))
def test_any_seed_and_sizes_live(seed, sizes, dtype, mean, std):
    calls = [f"randn({n}, dtype={dtype})" for n in sizes]
    calls += [f"zeros({n}, dtype={dtype}).normal_({mean!r}, {std!r})" for n in sizes]
    calls += [f"rand({n}, dtype={dtype})" for n in sizes]
    calls += [f"randint(-3, {n + 1}, ({n},))" for n in sizes]
    assert run(seed, calls) == record_random.run(seed, calls)
