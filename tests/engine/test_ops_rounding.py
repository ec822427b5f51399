"""ops.rounded_once, the one helper every float32 math forward (exp, log, pow in ops.py; sin,
tanh, log1p, ... in pointwise.py) uses: evaluated in float64, it rounds once to the correctly
rounded float32, where numpy's own float32 loops are off in the last bit for many inputs."""

import math

import numpy as np

from gradcli.engine import ops, pointwise

SAMPLES = np.random.default_rng(7).uniform(-3.0, 3.0, 2000).astype(np.float32)


def correctly_rounded(function, values):
    return np.array([np.float32(function(float(v))) for v in values], dtype=np.float32)


def test_float32_is_evaluated_in_float64_and_rounds_once_to_the_nearest():
    for numpy_function, exact in ((np.tanh, math.tanh), (np.exp, math.exp),
                                  (np.sin, math.sin)):
        wide = ops.rounded_once(numpy_function)(SAMPLES)
        assert wide.dtype == np.float64
        np.testing.assert_array_equal(wide.astype(np.float32),
                                      correctly_rounded(exact, SAMPLES))


def test_numpy_float32_tanh_alone_is_not_correctly_rounded():
    # why the helper exists: tanh(0.5f) in numpy's float32 loop differs in the last bit
    assert np.tanh(np.float32(0.5)) != np.float32(math.tanh(0.5))
    assert ops.rounded_once(np.tanh)(np.array([0.5], np.float32)).astype(np.float32)[0] == \
        np.float32(math.tanh(0.5))


def test_extra_arguments_pass_through_and_float64_is_left_alone():
    a = np.array([1.5, 2.0], dtype=np.float64)
    np.testing.assert_array_equal(ops.rounded_once(np.power)(a, 3.0), np.power(a, 3.0))


def test_pointwise_uses_the_ops_helper():
    assert pointwise.rounded_once is ops.rounded_once
