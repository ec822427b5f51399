"""The order in which ATen adds up a full float reduction (`x.sum()`, `x.mean()`), so that
gradcli's sums round exactly as PyTorch's do (aten/src/ATen/native/cpu/SumKernel.cpp).

ATen splits a contiguous run into SIMD vectors (8 float32 or 4 float64 lanes), sums the vectors
with 4 interleaved accumulators (`row_sum`), each a cascade of 4 levels that flushes every
`2**max(4, ceil(log2 n) / 4)` additions (`multi_row_sum`), then adds the tail elements and
finally the lanes one by one. Runs shorter than one vector take the scalar path (the same
accumulators over single elements). Every addition happens in the tensor's own dtype, so the
result differs from a float64-accumulated or pairwise (numpy) sum in the last bits.

Above `GRAIN_SIZE` elements ATen splits the work between threads, which changes the order with
the thread count; there gradcli keeps numpy's sum (accumulated in float64 for float32), which is
at least as accurate.
"""

from __future__ import annotations

import numpy as np

GRAIN_SIZE = 32768        # at::internal::GRAIN_SIZE: below it a reduction runs on one thread
_LANES = {np.dtype(np.float32): 8, np.dtype(np.float64): 4}
_ILP = 4                  # row_sum's interleaved accumulators
_LEVELS = 4               # multi_row_sum's cascade levels


def follows_aten(values: np.ndarray) -> bool:
    """Whether `aten_sum` / `aten_row_sums` reproduce PyTorch's result for this reduction."""
    return values.dtype in _LANES and values.size <= GRAIN_SIZE


def aten_sum(values: np.ndarray):
    """The sum of all elements, added in ATen's order (memory order, as TensorIterator walks)."""
    return aten_row_sums(np.ravel(values, order="K")[None, :])[0]


def aten_row_sums(rows: np.ndarray) -> np.ndarray:
    """The sum of each row of a 2-D array (a reduction over the last, contiguous dim), every
    row added in ATen's order; the rows are independent, so they are summed side by side."""
    columns = rows.T                      # the reduced dim first; each row is now a column
    lanes = _LANES[rows.dtype]
    size = columns.shape[0]
    if size < lanes:
        return _row_sum(columns)
    count = size // lanes
    lane_sums = _row_sum(columns[:count * lanes].reshape((count, lanes) + columns.shape[1:]))
    total = np.zeros(columns.shape[1:], rows.dtype)
    for value in columns[count * lanes:]:
        total = total + value
    for value in lane_sums:
        total = total + value
    return total


def aten_column_sums(rows: np.ndarray) -> np.ndarray:
    """The sums over axis 0 of a (reduced, batch..., columns) array, each column added in
    ATen's order: vectorized_outer_sum (columns in blocks of 4 vectors through the cascade,
    then single vectors through row_sum, then the remaining columns alone) when there are at
    least a vector's worth of columns, else scalar_outer_sum (blocks of 4 columns, then single
    columns). The batch axes (the kept dims before the reduced ones) are summed side by side."""
    lanes = _LANES[rows.dtype]
    columns = rows.shape[-1]
    if columns == 1:                 # one column is contiguous: an inner reduction after all
        return aten_row_sums(rows[..., 0].reshape(rows.shape[0], -1).T).reshape(
            rows.shape[1:])
    block = _ILP * lanes if columns >= lanes else _ILP
    single = lanes if columns >= lanes else 1
    blocked = columns // block * block
    vectored = blocked + (columns - blocked) // single * single
    parts = []
    if blocked:
        parts.append(_multi_row_sum(rows[..., :blocked]))
    if vectored > blocked:
        parts.append(_row_sum(rows[..., blocked:vectored]))
    if columns > vectored:
        parts.append(_row_sum(rows[..., vectored:]))
    return np.concatenate(parts, axis=-1)


def _row_sum(rows: np.ndarray) -> np.ndarray:
    """ATen's row_sum: 4 interleaved accumulators; leftover rows go into the first."""
    count = rows.shape[0] // _ILP
    partial = _multi_row_sum(rows[:count * _ILP].reshape((count, _ILP) + rows.shape[1:]))
    first = partial[0]
    for row in rows[count * _ILP:]:
        first = first + row
    for k in range(1, _ILP):
        first = first + partial[k]
    return first


def _multi_row_sum(rows: np.ndarray) -> np.ndarray:
    """ATen's multi_row_sum: sums over axis 0 in a cascade of accumulators; level 0 takes
    `level_step` rows in sequence, then is added into level 1, and so on up while the row count
    is a multiple of the next level's span."""
    size = rows.shape[0]
    level_power = max(4, (size - 1).bit_length() // _LEVELS if size > 1 else 0)
    level_step = 1 << level_power
    level_mask = level_step - 1
    acc = [np.zeros(rows.shape[1:], rows.dtype) for _ in range(_LEVELS)]
    i = 0
    while i + level_step <= size:
        acc[0] = _sequential_sum(acc[0], rows[i:i + level_step])
        i += level_step
        for j in range(1, _LEVELS):
            acc[j] = acc[j] + acc[j - 1]
            acc[j - 1] = np.zeros_like(acc[j - 1])
            if i & (level_mask << (j * level_power)):
                break
    if i < size:
        acc[0] = _sequential_sum(acc[0], rows[i:])
    for j in range(1, _LEVELS):
        acc[0] = acc[0] + acc[j]
    return acc[0]


def _sequential_sum(start: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """start + rows[0] + rows[1] + ..., left to right in the rows' dtype (add.accumulate is
    sequential, unlike numpy's pairwise sum)."""
    return np.add.accumulate(np.concatenate([start[None], rows]), axis=0)[-1]
