"""Which elements of a unary float32 op ATen computes with its vector lambda and which with its
scalar one (`cpu_kernel_vec`, aten/src/ATen/native/cpu/Loops.h): the two round differently
when the vector lambda calls Sleef and the scalar one the C library.

TensorIterator walks the input in memory order (the output gets the input's strides), merges
the dimensions that are contiguous with each other into one run, and `vectorized_loop` takes
each run of the innermost, unit-stride dimension 32 floats at a time (two AVX-512 vectors),
leaving the last `run % 32` to the scalar lambda; a run whose innermost stride is not one
element goes to `basic_loop`, all scalar. Above GRAIN_SIZE elements PyTorch also splits the
work between its threads, each range with its own tail; that split depends on the thread count
and is not modelled.
"""

from __future__ import annotations

import numpy as np

VECTOR_STEP = 32            # 2 * Vectorized<float>::size() on AVX-512


def vector_lanes(a: np.ndarray) -> np.ndarray:
    """A boolean array of a's shape: True where ATen's vector lambda computes the element."""
    if a.ndim == 0:
        return np.zeros((), bool)
    order = sorted(range(a.ndim), key=lambda d: (-abs(a.strides[d]), d))
    view = a.transpose(order)                         # memory order, outermost first
    shape, strides = view.shape, view.strides
    if shape[-1] > 1 and strides[-1] != a.itemsize:
        return np.zeros(a.shape, bool)
    run, expected = 1, a.itemsize
    for size, stride in zip(reversed(shape), reversed(strides)):
        if size != 1 and stride != expected:
            break
        run *= size
        expected = stride * size if size != 1 else expected
    positions = np.arange(view.size).reshape(shape) % run
    lanes = positions < run - run % VECTOR_STEP
    return lanes.transpose(np.argsort(order))
