"""Scans: `cumsum` and `cumprod` (CumsumBackward0, CumprodBackward0).

cumsum's gradient is the reversed cumulative sum of the incoming gradient. cumprod's is
reverse_cumsum(grad * out) / input where no input is 0; with zeros that is 0/0, so the products
are taken around each row's first zero instead (in O(n) from the data; under create_graph with
ops, position by position, as ATen does).
"""

from __future__ import annotations

import numpy as np

from gradcli.engine import grad_mode
from gradcli.engine.joining import cat
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


def _cumprod_grad_with_zeros(a: np.ndarray, out: np.ndarray, g: np.ndarray) -> np.ndarray:
    """grad_k = sum over j >= k of g_j * prod(a_i, i <= j, i != k), along the last axis, in
    O(n) as ATen's cumprod_backward does outside grad mode. With z the first zero of a row:
    before z the usual reverse_cumsum(g * out) / a (no division by 0 there); at z, out_{z-1}
    times the sum of g_j times the product of a over (z, j]; after z every term holds a_z = 0."""
    n = a.shape[-1]
    position = np.arange(n)
    first_zero = np.where((a == 0).any(-1), (a == 0).argmax(-1), n)[..., None]
    before = position < first_zero
    suffix = np.flip(np.cumsum(np.flip(g * out, -1), -1), -1)
    grad = np.where(before, suffix / np.where(before, a, 1), 0)
    after_products = np.cumprod(np.where(position > first_zero, a, 1), -1)
    at_zero_sum = np.where(position >= first_zero, g * after_products, 0).sum(-1, keepdims=True)
    previous = np.take_along_axis(out, np.maximum(first_zero - 1, 0), -1)
    prefix = np.where(first_zero > 0, previous, 1)
    return np.where(position == first_zero, prefix * at_zero_sum, grad)


def _cumprod_grad_differentiable(a: Tensor, g: Tensor, dim: int) -> Tensor:
    """The same sum written with ops, one position k at a time (O(n^2), as ATen's
    cumprod_backward does under create_graph): prod(a before k) times [1, cumprod(a after k)],
    contracted with g from k on. A gradient after a zero still depends on that zero, which the
    O(n) form's constant 0 would hide from the second derivative."""
    n = a.shape[dim]
    pieces = []
    for k in range(n):
        shape = list(a.shape)
        shape[dim] = 1
        omitted = Tensor(np.ones(shape, dtype=a._data.dtype))
        if k + 1 < n:
            omitted = cat([omitted, cumprod(a.narrow(dim, k + 1, n - k - 1), dim)], dim)
        if k > 0:
            omitted = a.narrow(dim, 0, k).prod(dim, keepdim=True) * omitted
        pieces.append((g.narrow(dim, k, n - k) * omitted).sum(dim, keepdim=True))
    return cat(pieces, dim)


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
    # with zeros, out/a is 0/0 there: the products are taken around the zeros instead
    if grad_mode.is_grad_enabled():         # create_graph: the gradient is differentiated again
        return _cumprod_grad_differentiable(a, g, s.dim)
    moved = (np.moveaxis(t._data, s.dim, -1) for t in (a, s.out, g))
    return Tensor(np.moveaxis(_cumprod_grad_with_zeros(*moved), -1, s.dim))


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
