"""Reductions beyond sum/mean: max/min (whole, per dim, and two-tensor), amax/amin, argmax/argmin,
any/all/count_nonzero, prod, var/std, logsumexp and softmax/log_softmax (norms are in norms.py,
scans in scans.py, the losses built on softmax in classification.py).

Where PyTorch's gradient at a special point is a choice, it is ATen's (FunctionsManual.cpp):
ties of a full max/amax share the gradient evenly (`evenly_distribute_backward`), max(dim) sends
it all to the returned index, prod handles zeros by the product of the other elements, std gives
0 where the result is 0.
"""

from __future__ import annotations

import builtins

import numpy as np

from gradcli.engine import grad_mode, limits, softmax_kernels
from gradcli.engine.errors import (TorchIndexError, TorchNotImplementedError, TorchRuntimeError,
                                   TorchTypeError)
from gradcli.engine.functions import _dims
from gradcli.engine.ops import (OPS, Op, _expand_reduced, _mean_forward, _sum_forward, apply,
                                keep_where)
from gradcli.engine.tensor import Tensor, _normalize_dim
from gradcli.engine.warnings import warn


# ----- forwards ----------------------------------------------------------------------------

def _axes(dim):
    return None if dim is None else tuple(dim)


def _spread_mask(a: np.ndarray, out: np.ndarray, dim, keepdim) -> np.ndarray:
    """Where `a` equals its reduced extreme `out` (NaN counts as equal to NaN)."""
    if dim is not None and not keepdim:
        out = np.expand_dims(out, tuple(sorted(dim)))
    return (a == out) | (np.isnan(a) & np.isnan(out))


def _others_product(a: np.ndarray, axes) -> np.ndarray:
    """For each element, the product of the others in its reduction: exclusive cumulative
    products from both ends, which stays exact when some elements are 0."""
    flat = a.reshape(-1) if axes is None else np.moveaxis(a, axes[0], -1)
    ones = np.ones_like(flat[..., :1])
    before = np.cumprod(np.concatenate([ones, flat[..., :-1]], axis=-1), axis=-1)
    after = np.flip(np.cumprod(np.concatenate([ones, np.flip(flat[..., 1:], -1)], -1), -1), -1)
    result = before * after
    return result.reshape(a.shape) if axes is None else np.moveaxis(result, -1, axes[0])


def _selected_forward(a, dim, keepdim, indices):
    """max(dim)/min(dim) values: the elements at the already chosen indices."""
    along = indices if keepdim else np.expand_dims(indices, dim[0])
    return np.take_along_axis(a, along, dim[0]).reshape(indices.shape)


def _prod_forward(a, dim, keepdim):
    # integer and bool products are int64, as PyTorch's
    return np.prod(a, axis=_axes(dim) if a.ndim else None, keepdims=keepdim and a.ndim > 0,
                   dtype=a.dtype if a.dtype.kind == "f" else np.int64)


def _median_index(data: np.ndarray, axis: int, keepdims: bool) -> np.ndarray:
    """The lower median's position along `axis` (a NaN, if any, is the median, as in ATen).
    Among equal medians PyTorch's pick follows its selection algorithm; this takes the first
    in sorted order, so tied indices can differ."""
    order = np.argsort(data, axis=axis, kind="stable")
    middle = np.take(order, [(data.shape[axis] - 1) // 2], axis=axis)
    has_nan = np.isnan(data).any(axis=axis, keepdims=True)
    first_nan = np.argmax(np.isnan(data), axis=axis, keepdims=True)
    index = np.where(has_nan, first_nan, middle)
    return index if keepdims else np.squeeze(index, axis)


def _median_forward(a, dim, keepdim):
    flat = np.sort(a.reshape(-1))          # NaN sorts last; it is then the median
    if flat.size == 0:                     # ATen: the median of nothing is NaN
        return np.full((), np.nan, a.dtype)
    return flat[-1] if np.isnan(flat[-1]) else flat[(flat.size - 1) // 2]


def _var_forward(a, dim, correction, keepdim, take_sqrt=False):
    """ATen's var/std (ReduceOps.cpp): one output, std_var_all_cpu (the mean in the input's
    dtype, then the squared deviations summed in double, in memory order); several, Welford's
    running mean and M2 in double along each reduced row. The square root (std) is taken in
    double, before the result is rounded to the input's dtype."""
    axes = _axes(dim)
    count = a.size if axes is None else int(np.prod([a.shape[d] for d in axes]))
    if a.size == 0:
        wide = a.astype(np.float64)
        centered = wide - wide.sum(axis=axes, keepdims=True) / count
        var = (centered * centered).sum(axis=axes, keepdims=keepdim) / builtins.max(
            count - correction, 0)
    else:
        kept = tuple(1 if axes is None or d in axes else n for d, n in enumerate(a.shape))
        if int(np.prod(kept)) <= 1:
            shape = kept if keepdim else tuple(
                n for d, n in enumerate(kept) if axes is not None and d not in axes)
            var = np.full(shape, _var_of_all(a, correction))
        else:
            var = _welford_var(a, axes, correction, keepdim)
    var = np.sqrt(var) if take_sqrt else var
    return np.asarray(var).astype(a.dtype)


def _var_of_all(a, correction) -> float:
    mean = float(_mean_forward(a))
    deviations = np.ravel(a, order="K").astype(np.float64) - mean
    total = np.add.accumulate(deviations * deviations)[-1]      # one addition at a time
    return np.divide(total, np.float64(builtins.max(a.size - correction, 0)))


def _welford_var(a, axes, correction, keepdim):
    rows = np.moveaxis(a, axes, tuple(range(a.ndim - len(axes), a.ndim)))
    lead = rows.shape[:a.ndim - len(axes)]
    rows = rows.reshape(lead + (-1,)).astype(np.float64)
    mean, m2 = np.zeros(lead), np.zeros(lead)
    for n in range(rows.shape[-1]):
        delta = rows[..., n] - mean
        mean = mean + delta / float(n + 1)
        m2 = m2 + delta * (rows[..., n] - mean)
    size = rows.shape[-1]
    var = np.divide(m2, np.float64(size - correction if size > correction else 0))
    return np.expand_dims(var, tuple(sorted(axes))) if keepdim else var


def _logsumexp_forward(a, dim, keepdim):
    # ATen's logsumexp_out_impl: composite ops, each rounding as ATen's own kernels (the exp
    # and log rows, the sum in ATen's order)
    axes = _axes(dim)
    top = np.max(a, axis=axes, keepdims=True) if a.size else np.zeros((1,) * a.ndim, a.dtype)
    top = np.where(np.isfinite(top), top, 0).astype(a.dtype)   # an all -inf row stays -inf
    total = _sum_forward(_as(a, OPS["exp"].forward(a - top)), dim=axes, keepdim=True)
    out = _as(a, OPS["log"].forward(total)) + top
    return out if keepdim else np.squeeze(out, axis=axes if axes is not None else None)


def _as(a: np.ndarray, values) -> np.ndarray:
    """`values` rounded to `a`'s dtype (the exp and log rows compute float32 in float64)."""
    return np.asarray(values).astype(a.dtype, copy=False)


def _softmax_forward(a, dim):
    return softmax_kernels.softmax(a, 0 if dim is None else dim)


def _log_softmax_forward(a, dim):
    return softmax_kernels.log_softmax(a, 0 if dim is None else dim)


# ----- backward rules ----------------------------------------------------------------------

def _nonzero(t: Tensor) -> Tensor:
    """`t` with its zeros replaced by 1, for a division whose result is then masked to 0 there
    (a constant is added, so the derivative through `t` is unchanged)."""
    return t + Tensor((t._data == 0).astype(t._data.dtype))


def _spread_evenly(g: Tensor, s) -> Tensor:
    """max()/amax(): the gradient shared evenly among the elements equal to the result."""
    mask = _spread_mask(s.a._data, s.out._data, s.dim, s.keepdim)
    counts = mask.sum(axis=_axes(s.dim), keepdims=s.keepdim).astype(g.dtype.numpy)
    share = g / Tensor(counts)
    return keep_where(mask, _expand_reduced(share, s))


def _scale_by_count(g: Tensor, s) -> Tensor:
    """amax()/amin(): ATen's scale_grad_by_count, (g / count) * mask, a product that leaves
    -0.0 where a negative share meets the mask's zeros (max()'s masked fill leaves +0.0).
    Its mask is `result == self`: a NaN extreme matches nothing, and 0/0 spreads NaN."""
    out = s.out._data
    if s.dim is not None and not s.keepdim:
        out = np.expand_dims(out, tuple(sorted(s.dim)))
    mask = s.a._data == out
    counts = mask.sum(axis=_axes(s.dim), keepdims=s.keepdim).astype(g.dtype.numpy)
    return _expand_reduced(g / Tensor(counts), s) * Tensor(mask.astype(g.dtype.numpy))


def _to_selected(g: Tensor, s) -> Tensor:
    """max(dim)/min(dim): the whole gradient to the returned index."""
    mask = np.zeros(s.shapes[0], dtype=bool)
    np.put_along_axis(mask, np.expand_dims(s.indices, s.dim[0]) if not s.keepdim
                      else s.indices, True, axis=s.dim[0])
    return keep_where(mask, _expand_reduced(g, s))


def _prod_grad(g: Tensor, s) -> Tensor:
    a = s.a
    if a.ndim == 0:                        # ATen's prod_backward: the gradient itself
        return g
    zeros = int((a._data == 0).sum())
    if not zeros:                          # ATen: grad * (result / input)
        return _expand_reduced(g, s) * (_expand_reduced(s.out, s) / a)
    if s.dim is None and zeros > 1 and not grad_mode.is_grad_enabled():
        # ATen's prod_backward (full product, no create_graph): two zeros, all gradients 0
        return Tensor(np.zeros(a.shape, a.dtype.numpy))
    # with zeros, out/a is 0/0: use the product of the other elements instead
    others = _others_product(a._data, _axes(s.dim))
    return _expand_reduced(g, s) * Tensor(others)


def _var_grad(g: Tensor, s) -> Tensor:
    a = s.a
    centered = a - (a.mean() if s.dim is None else a.mean(dim=s.dim, keepdim=True))
    count = a.numel() if s.dim is None else int(np.prod([a.shape[d] for d in s.dim]))
    if (s.dim is None or a.ndim == 0) and count - s.correction <= 0:
        # ATen's var_backward: 2/0 times self - mean, written out: NaN where self == mean
        # (inf * 0), else inf (also at NaN, which == never matches)
        at_mean = (a._data == a.mean()._data)
        return g * Tensor(np.where(at_mean, np.nan, np.inf).astype(a.dtype.numpy))
    # no degrees of freedom: the scale is inf and the gradient NaN, as in PyTorch
    scale = float(np.divide(2.0, np.float64(count - s.correction)))
    return _expand_reduced(g, s) * scale * centered      # ATen: (2 / dof) * grad * (x - mean)


def _std_grad(g: Tensor, s) -> Tensor:
    # ATen: grad / (2 * std), with 0 where std is 0, then var's rule
    half = keep_where(s.out._data != 0, g / (_nonzero(s.out) * 2.0))
    return _var_grad(half, s)


def _logsumexp_grad(g: Tensor, s) -> Tensor:
    return _expand_reduced(g, s) * (s.a - _expand_reduced(s.out, s)).exp()


def _softmax_grad(g: Tensor, s) -> Tensor:
    # ATen's _softmax_backward_data: an op of its own, whose kernel rounds as ATen's does
    return apply(ROWS["softmax_backward"], g, s.out, dim=s.dim)


def _log_softmax_grad(g: Tensor, s) -> Tensor:
    return apply(ROWS["log_softmax_backward"], g, s.out, dim=s.dim)


def _along(t: Tensor, dim) -> Tensor:
    """A sum along the softmax dim, kept (a 0-d tensor is its own sum)."""
    return t if dim is None else t.sum(dim=dim, keepdim=True)


# The backward ops' own gradients (derivatives.yaml): for the incoming gradient `a` and for
# the saved result `b` (softmax_double_backward, and log_softmax's closed form).
def _softmax_backward_grad_output(g: Tensor, s) -> Tensor:
    return apply(ROWS["softmax_backward"], g, s.b, dim=s.dim)


def _softmax_backward_grad_result(g: Tensor, s) -> Tensor:
    return s.a * g - _along(s.b * s.a, s.dim) * g - s.a * _along(s.b * g, s.dim)


def _log_softmax_backward_grad_output(g: Tensor, s) -> Tensor:
    return g - _along(g * s.b.exp(), s.dim)


def _log_softmax_backward_grad_result(g: Tensor, s) -> Tensor:
    return -_along(s.a, s.dim) * s.b.exp() * g


def _within_limit(forward):
    """A reduction reads every element of its input. The only tensor past the element limit is
    an expanded view (everything allocated was checked), so refuse it before the long walk."""
    def checked(a, **params):
        limits.check_elements(np.shape(a))
        return forward(a, **params)
    return checked


def _reduction_row(name, grad_fn, forward, grad, saves=("a", "out"), dtype="same", rule=None):
    """A one-input reduction row; `rule` is the --trace text (default: RULES[name])."""
    return Op(name, grad_fn, _within_limit(forward), grads=(grad,), saves=(saves,), dtype=dtype,
              elementwise=False, rules=(rule or RULES[name],))


RULES = {
    "max": "d(max a)/da = 1/k at the k maxima", "min": "d(min a)/da = 1/k at the k minima",
    "amax": "d(amax a)/da = 1/k at the k maxima", "amin": "d(amin a)/da = 1/k at the k minima",
    "max_dim": "d(max a)/da = 1 at the returned index", "min_dim": "d(min a)/da = 1 at the index",
    "median": "d(median a)/da = 1/k at the k medians",
    "median_dim": "d(median a)/da = 1 at the returned index",
    "prod": "d(prod a)/da_i = prod of the others", "prod_dim": "d(prod a)/da_i = prod of others",
    "var": "d(var a)/da = 2(a-mean)/(N-c)", "std": "d(std a)/da = (a-mean)/((N-c) std)",
    "logsumexp": "d(logsumexp a)/da = softmax(a)",
    "softmax": "d(softmax a)/da = s*(g - sum(g*s))", "log_softmax": "d/da = g - softmax*sum(g)",
}

ROWS = {op.name: op for op in [
    _reduction_row("max", "MaxBackward1", lambda a, dim, keepdim: np.max(a), _spread_evenly),
    _reduction_row("min", "MinBackward1", lambda a, dim, keepdim: np.min(a), _spread_evenly),
    _reduction_row("amax", "AmaxBackward0",
                   lambda a, dim, keepdim: np.max(a, axis=_axes(dim), keepdims=keepdim),
                   _scale_by_count),
    _reduction_row("amin", "AminBackward0",
                   lambda a, dim, keepdim: np.min(a, axis=_axes(dim), keepdims=keepdim),
                   _scale_by_count),
    _reduction_row("max_dim", "MaxBackward0", _selected_forward, _to_selected, saves=()),
    _reduction_row("min_dim", "MinBackward0", _selected_forward, _to_selected, saves=()),
    _reduction_row("median", "MedianBackward0", _median_forward, _spread_evenly),
    _reduction_row("median_dim", "MedianBackward1", _selected_forward, _to_selected, saves=()),
    _reduction_row("prod", "ProdBackward0", _prod_forward, _prod_grad, dtype="sum"),
    _reduction_row("prod_dim", "ProdBackward1", _prod_forward, _prod_grad, dtype="sum"),
    _reduction_row("var", "VarBackward0", _var_forward, _var_grad, saves=("a",)),
    _reduction_row("std", "StdBackward0",
                   lambda a, **kw: _var_forward(a, take_sqrt=True, **kw), _std_grad),
    _reduction_row("logsumexp", "LogsumexpBackward0", _logsumexp_forward, _logsumexp_grad,
                   dtype="float"),
    _reduction_row("softmax", "SoftmaxBackward0", _softmax_forward, _softmax_grad,
                   saves=("out",), dtype="float"),
    _reduction_row("log_softmax", "LogSoftmaxBackward0", _log_softmax_forward,
                   _log_softmax_grad, saves=("out",), dtype="float"),
    Op("softmax_backward", "SoftmaxBackwardDataBackward0",
       lambda g, out, dim: softmax_kernels.softmax_backward(g, out, 0 if dim is None else dim),
       grads=(_softmax_backward_grad_output, _softmax_backward_grad_result),
       saves=(("b",), ("a", "b")), dtype="same", elementwise=False,
       rules=("d/dg = softmax_backward(1, y)", "d/dy = softmax_double_backward")),
    Op("log_softmax_backward", "LogSoftmaxBackwardDataBackward0",
       lambda g, out, dim: softmax_kernels.log_softmax_backward(g, out,
                                                                0 if dim is None else dim),
       grads=(_log_softmax_backward_grad_output, _log_softmax_backward_grad_result),
       saves=(("b",), ("a", "b")), dtype="same", elementwise=False,
       rules=("d/dg = g - sum(g exp(y))", "d/dy = -sum(g_out) exp(y) g")),
]}


# ----- max / min ---------------------------------------------------------------------------

class ReturnTypes(tuple):
    """`torch.return_types.max(values=..., indices=...)`: a pair with named fields."""

    def __new__(cls, name: str, values: Tensor, indices: Tensor):
        result = super().__new__(cls, (values, indices))
        result.name = name
        return result

    @property
    def values(self) -> Tensor:
        return self[0]

    @property
    def indices(self) -> Tensor:
        return self[1]

    def __repr__(self) -> str:
        return f"torch.return_types.{self.name}(\nvalues={self[0]!r},\nindices={self[1]!r})"

    __str__ = __repr__


def _refuse_empty(name: str, input: Tensor, dims, message_dims=None) -> None:
    """ATen's check for a reduction without an identity (max, amax, argmax, median(dim), ...)
    on an empty input: it needs a dim, and no reduced dim may be empty (ReduceOpsUtils.h
    zero_numel_check_dims). `message_dims` are the dims as the message spells them: amax's
    as given, max(dim)'s wrapped."""
    if input.numel() != 0:
        return
    if not dims:
        raise TorchRuntimeError(
            f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
            "Specify the reduction dim with the 'dim' argument.")
    for axis, spelled in zip(dims, message_dims or dims):
        if input.ndim and input.shape[axis] == 0:
            raise TorchIndexError(
                f"{name}(): Expected reduction dim {spelled} to have non-zero size.")


def _extreme(name: str, input: Tensor, dim, keepdim: bool, other):
    if isinstance(dim, Tensor):
        dim, other = None, dim
    if other is not None:
        from gradcli.engine import pointwise    # torch.max(x, y) is torch.maximum(x, y)

        return (pointwise.maximum if name == "max" else pointwise.minimum)(input, other)
    if dim is None:
        if name != "median":               # the median of nothing is NaN
            _refuse_empty(name, input, ())
        return apply(ROWS[name], input, dim=None, keepdim=False)
    axis = _normalize_dim(dim, input.ndim)
    _refuse_empty(name, input, (axis,))
    data = input._data if input.ndim else input._data.reshape(1)
    pick = {"max": np.argmax, "min": np.argmin, "median": _median_index}[name]
    indices = pick(data, axis=axis if input.ndim else 0, keepdims=bool(keepdim) and input.ndim > 0)
    indices = np.asarray(indices, dtype=np.int64).reshape(np.shape(indices) if input.ndim
                                                          else ())
    values = apply(ROWS[f"{name}_dim"], input, dim=(axis,), keepdim=bool(keepdim) and
                   input.ndim > 0, indices=indices)
    return ReturnTypes(name, values, Tensor(indices))


def max(input, dim=None, keepdim=False, *, other=None):
    return _extreme("max", input, dim, keepdim, other)


def min(input, dim=None, keepdim=False, *, other=None):
    return _extreme("min", input, dim, keepdim, other)


def median(input, dim=None, keepdim=False):
    return _extreme("median", input, dim, keepdim, None)


def _reduce_dims(input: Tensor, dim):
    if dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
        return None
    return _dims(dim, input.ndim)


def _extreme_values(name: str, input: Tensor, dim, keepdim):
    dims = _reduce_dims(input, dim)
    _refuse_empty(name, input, dims or (), dim if isinstance(dim, (tuple, list)) else (dim,))
    return apply(ROWS[name], input, dim=dims, keepdim=bool(keepdim))


def amax(input, dim=(), keepdim=False):
    return _extreme_values("amax", input, dim, keepdim)


def amin(input, dim=(), keepdim=False):
    return _extreme_values("amin", input, dim, keepdim)


def _arg(pick, input: Tensor, dim, keepdim) -> Tensor:
    name = pick.__name__
    if dim is None:
        if input.numel() == 0:             # an IndexError, unlike max()'s (ATen's argmax)
            raise TorchIndexError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
        index = pick(input._data.reshape(-1))
        shape = (1,) * input.ndim if keepdim else ()
        return Tensor(np.asarray(index, dtype=np.int64).reshape(shape))
    axis = _normalize_dim(dim, input.ndim)
    _refuse_empty(name, input, (axis,))
    data = input._data if input.ndim else input._data.reshape(1)
    index = pick(data, axis=axis if input.ndim else 0, keepdims=bool(keepdim))
    return Tensor(np.asarray(index, dtype=np.int64).reshape(input.shape if not input.ndim
                                                           else np.shape(index)))


def argmax(input, dim=None, keepdim=False):
    return _arg(np.argmax, input, dim, keepdim)


def argmin(input, dim=None, keepdim=False):
    return _arg(np.argmin, input, dim, keepdim)


# ----- logical reductions and counts (never differentiable) ------------------------------

def _logical(reduce, input: Tensor, dim, keepdim) -> Tensor:
    if not isinstance(input, Tensor):      # e.g. a list: PyTorch's overload-mismatch message
        raise TorchTypeError(
            f"{reduce.__name__}() received an invalid combination of arguments - got "
            f"({type(input).__name__}), but expected one of:\n"
            " * (Tensor input, *, Tensor out = None)\n"
            " * (Tensor input, tuple of ints dim = None, bool keepdim = False, *, "
            "Tensor out = None)\n"
            " * (Tensor input, int dim, bool keepdim = False, *, Tensor out = None)\n")
    axes = _reduce_dims(input, dim)
    return Tensor(np.asarray(reduce(input._data.astype(bool), axis=_axes(axes),
                                    keepdims=bool(keepdim) and axes is not None)))


def any(input, dim=None, keepdim=False):
    return _logical(np.any, input, dim, keepdim)


def all(input, dim=None, keepdim=False):
    return _logical(np.all, input, dim, keepdim)


def count_nonzero(input, dim=None):
    axes = _reduce_dims(input, dim)
    return Tensor(np.asarray(np.count_nonzero(input._data, axis=_axes(axes)), dtype=np.int64))


# ----- prod, var, std ----------------------------------------------------------------------

def prod(input, dim=None, keepdim=False, dtype=None):
    if dtype is not None:
        input = input.to(dtype)
    if dim is None:
        return apply(ROWS["prod"], input, dim=None, keepdim=False)
    return apply(ROWS["prod_dim"], input, dim=_dims(dim, input.ndim), keepdim=bool(keepdim))


def _spread_args(name, input, dim, unbiased, keepdim, correction):
    if not input.dtype.is_floating_point:
        raise TorchRuntimeError("std and var only support floating point and complex dtypes")
    if isinstance(dim, bool):              # var(input, unbiased) overload
        dim, unbiased = None, dim
    if correction is None:
        correction = 1 if unbiased in (None, True) else 0
    dims = _reduce_dims(input, dim)
    # ATen's reduction factor: input numel / output numel, 0 when the output is empty too
    kept_shape = [1 if dims is None or d in dims else n for d, n in enumerate(input.shape)]
    outputs = int(np.prod(kept_shape))
    kept = input.numel() // outputs if outputs else 0
    if kept - correction <= 0:
        warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
             "reduction factor (input numel divided by output numel). (Triggered internally at "
             "/__w/pytorch/pytorch/aten/src/ATen/native/ReduceOps.cpp:1861.)")
    return dict(dim=dims, correction=correction, keepdim=bool(keepdim))


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return apply(ROWS["var"], input, **_spread_args("var", input, dim, unbiased, keepdim,
                                                    correction))


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return apply(ROWS["std"], input, **_spread_args("std", input, dim, unbiased, keepdim,
                                                    correction))


# ----- the softmax family ----------------------------------------------------------------

def logsumexp(input, dim, keepdim=False):
    # dim=() reduces over every dim, as amax's does
    return apply(ROWS["logsumexp"], input, dim=_reduce_dims(input, dim) if input.ndim else None,
                 keepdim=bool(keepdim))


def _softmax_dim(name: str, input: Tensor, dim) -> int:
    if dim is None:
        # torch.nn.functional._get_softmax_dim
        warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to "
             "include dim=X as an argument.")
        dim = 0 if input.ndim in (0, 1, 3) else 1
    return _normalize_dim(dim, input.ndim)


def _softmax_input(name: str, input: Tensor, dim, dtype) -> tuple:
    """The input in `dtype` and the wrapped dim; ATen's CPU kernels only take floats, and
    name the kernel in their error: the last dim's, or the general one."""
    if dtype is not None:
        input = input.to(dtype)
    axis = _softmax_dim(name, input, dim)
    if not input.dtype.is_floating_point and input.numel():     # (nothing to compute: no error)
        kernel = "lastdim_kernel_impl" if axis == input.ndim - 1 or not input.ndim else "kernel_impl"
        raise TorchNotImplementedError(
            f'"{name}_{kernel}" not implemented for \'{input.dtype.scalar_name}\'')
    return input, axis


def softmax(input, dim=None, dtype=None):
    input, axis = _softmax_input("softmax", input, dim, dtype)
    if not input.dtype.is_floating_point:
        return Tensor(input._data.copy())      # an empty integer input keeps its dtype
    return apply(ROWS["softmax"], input, dim=axis if input.ndim else None)


def log_softmax(input, dim=None, dtype=None):
    input, axis = _softmax_input("log_softmax", input, dim, dtype)
    if not input.dtype.is_floating_point:
        return Tensor(input._data.copy())      # an empty integer input keeps its dtype
    return apply(ROWS["log_softmax"], input, dim=axis if input.ndim else None)


# The functions the language offers as `torch.NAME` (and without prefix) and as `F.NAME`.
TORCH_FUNCTIONS = ("max", "min", "amax", "amin", "argmax", "argmin", "any", "all", "count_nonzero",
                   "median", "prod", "var", "std", "logsumexp", "softmax",
                   "log_softmax")
FUNCTIONAL = ("softmax", "log_softmax")


_METHODS = {name: globals()[name] for name in TORCH_FUNCTIONS}

for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
