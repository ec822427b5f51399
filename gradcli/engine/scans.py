"""Scans: `cumsum` and `cumprod` (CumsumBackward0, CumprodBackward0).

cumsum's gradient is the reversed cumulative sum of the incoming gradient. cumprod's is
reverse_cumsum(grad * out) / input where no input is 0; with zeros that is 0/0, so the exact
Jacobian is contracted instead (first order only: it is built from the data, not from ops).
"""

from __future__ import annotations

import numpy as np

from gradcli.engine.ops import apply
from gradcli.engine.reductions import _reduction_row
from gradcli.engine.tensor import Tensor, _normalize_dim


def _scan(accumulate, a, dim):
    """cumsum/cumprod along `dim` (a 0-d tensor is its own scan); integers give int64, float32
    accumulates in double as ATen's CPU scans do, then rounds."""
    if a.ndim == 0:
        return a.copy()
    if a.dtype.kind in "biu":
        return accumulate(a, axis=dim, dtype=np.int64)
    return accumulate(a.astype(np.float64) if a.dtype == np.float32 else a, axis=dim)


def _cumprod_others(a: np.ndarray, dim: int) -> np.ndarray:
    """d out_j / d a_k = prod(a_i, i <= j, i != k) for j >= k, summed against the gradient
    later; built term by term so zeros in `a` need no division."""
    moved = np.moveaxis(a, dim, -1)
    n = moved.shape[-1]
    jacobian = np.zeros(moved.shape + (n,), dtype=a.dtype)      # [..., k, j]
    for k in range(n):
        others = moved.copy()
        others[..., k] = 1
        products = np.cumprod(others, axis=-1)
        jacobian[..., k, k:] = products[..., k:]
    return jacobian


def _reverse_cumsum(g: Tensor, dim: int) -> Tensor:
    if g.ndim == 0:
        return g
    return cumsum(g.flip(dim), dim).flip(dim)


def _cumprod_grad(g: Tensor, s) -> Tensor:
    a = s.a
    if a.numel() <= 1:      # out is a itself (ATen's cumprod_backward returns grad first thing)
        return g
    if not (a._data == 0).any():
        return _reverse_cumsum(g * s.out, s.dim) / a
    # with zeros, out/a is 0/0: contract the gradient with the exact Jacobian instead
    jacobian = _cumprod_others(a._data, s.dim)
    moved = np.moveaxis(g._data, s.dim, -1)
    return Tensor(np.moveaxis(np.einsum("...kj,...j->...k", jacobian, moved), -1, s.dim))


ROWS = {op.name: op for op in [
    _reduction_row("cumsum", "CumsumBackward0", lambda a, dim: _scan(np.cumsum, a, dim),
                   lambda g, s: _reverse_cumsum(g, s.dim), saves=(), dtype="sum",
                   rule="d(cumsum a)_j/da_k = [k <= j]"),
    _reduction_row("cumprod", "CumprodBackward0", lambda a, dim: _scan(np.cumprod, a, dim),
                   _cumprod_grad, dtype="sum",
                   rule="d(cumprod a)_j/da_k = prod(a_i for i <= j, i != k)"),
]}


def _scan_op(name: str, input, dim, dtype):
    if dtype is not None:
        input = input.to(dtype)
    return apply(ROWS[name], input, dim=_normalize_dim(dim, input.ndim))


def cumsum(input, dim, dtype=None):
    return _scan_op("cumsum", input, dim, dtype)


def cumprod(input, dim, dtype=None):
    return _scan_op("cumprod", input, dim, dtype)


# The functions the language offers as `torch.NAME` (and without prefix).
TORCH_FUNCTIONS = ("cumsum", "cumprod")

Tensor.cumsum = cumsum
Tensor.cumprod = cumprod
