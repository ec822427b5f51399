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


def vector_lanes(*operands: np.ndarray) -> np.ndarray:
    """A boolean array of the operands' common shape: True where ATen's vector lambda computes
    the element. The operands come in ATen's order (e.g. grad, self). In the innermost dimension each operand must have unit stride,
    except at most one of stride 0 (a broadcast value, vectorized_loop's scalar operand). The
    walking order is the memory order of the first operand that is not a broadcast value."""
    first = operands[0]
    if first.size < VECTOR_STEP:        # no run can hold a whole vector step: all tail
        return np.zeros(first.shape, bool)
    # TensorIterator's reorder_dimensions skips stride-0 (broadcast) operands
    guide = next((o for o in operands if any(np.asarray(o).strides)), first)
    order = sorted(range(first.ndim), key=lambda d: (-abs(guide.strides[d]), d))
    views = [np.asarray(o).transpose(order) for o in operands]
    shape = views[0].shape
    inner = [v.strides[-1] for v in views]
    vectorizable = shape[-1] == 1 or (
        all(stride in (0, v.itemsize) for stride, v in zip(inner, views))
        and sum(stride == 0 for stride in inner) <= 1)
    if not vectorizable:
        return np.zeros(first.shape, bool)
    run, expected = 1, [None] * len(views)        # None: the first dimension of the run
    for k in reversed(range(len(shape))):
        if shape[k] == 1:
            continue
        strides = [v.strides[k] for v in views]
        if any(e is not None and s != e for s, e in zip(strides, expected)):
            break
        run *= shape[k]
        expected = [s * shape[k] for s in strides]
    positions = np.arange(first.size).reshape(shape) % run
    lanes = positions < run - run % VECTOR_STEP
    return lanes.transpose(np.argsort(order))
