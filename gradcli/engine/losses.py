"""Losses of `torch.nn.functional`: `mse_loss`, `l1_loss`, `binary_cross_entropy` and
`binary_cross_entropy_with_logits`, with PyTorch's grad_fn names, argument checks and texts.

The fused losses are rows of an op table (one node, as ATen has); `l1_loss` is not: PyTorch
2.13 decomposes it into `abs(input - target)` and a mean or sum, so its graph shows those nodes.
Every row computes the loss and reduces it itself, and its backward rules take the reduction
into account. Input and target have one shape when a row runs (`mse_loss` expands them first,
as `F.mse_loss` does), so the rows are not elementwise: nothing to unbroadcast, and the
engine's constant folding, which assumes an output of the broadcast shape, leaves them alone.
"""

from __future__ import annotations

import numpy as np

from gradcli.engine import functions
from gradcli.engine.errors import (TorchAttributeError, TorchNotImplementedError,
                                   TorchRuntimeError, TorchValueError)
from gradcli.engine.ops import Op, _mean_forward, _sum_forward, apply, broadcast_shapes
from gradcli.engine.pointwise import abs, minimum, sigmoid
from gradcli.engine.tensor import Tensor
from gradcli.engine.warnings import warn

REDUCTIONS = ("none", "mean", "sum")
# ATen's binary_cross_entropy: each log is clamped at -100 so that p = 0 or 1 gives a finite
# loss, and the backward's p(1-p) denominator is clamped at EPSILON, declared in
# FunctionsManual.cpp as `constexpr float EPSILON = 1e-12`: the float nearest 1e-12.
BCE_LOG_FLOOR = -100.0
BCE_EPSILON = float(np.float32(1e-12))


def _reduce(loss: np.ndarray, reduction: str) -> np.ndarray:
    if reduction == "mean":
        return _mean_forward(loss)
    if reduction == "sum":
        return _sum_forward(loss)
    return loss


def _numel(shape) -> int:
    return int(np.prod(shape, dtype=np.int64))


def _per_element(count: int) -> float:
    """1/count, a mean's factor (nan for an empty mean, whose gradient has no elements)."""
    return 1.0 / count if count else float("nan")


def _mean_of(grad: Tensor, s, count_of: int = 0) -> Tensor:
    """ATen's composite backwards end in `grad.div_(numel)` for a mean: a Scalar division,
    DivBackward1 (`count_of`: which input's size is the count)."""
    if s.reduction != "mean":
        return grad
    return apply(LOSS_OPS["div_scalar"], grad, other=_numel(s.shapes[count_of]))


def _weighted(grad: Tensor, s) -> Tensor:
    return grad if s.weight is None else grad * Tensor(np.asarray(s.weight))


# ----- mse_loss ---------------------------------------------------------------------------

def _mse(a, b, reduction):
    diff = a - b
    return _reduce(diff * diff, reduction)


def _mse_norm(reduction: str, count: int) -> float:
    return 2.0 * _per_element(count) if reduction == "mean" else 2.0


def _mse_backward(g, x, y, reduction):
    # ATen's mse_loss_backward kernel: norm * (input - target) * grad
    return _mse_norm(reduction, np.size(x)) * (x - y) * g


def _mse_backward_grad(sign: float):
    """mse_loss_double_backward: d(norm (x - y) g)/dx = norm g (and -norm g for y)."""
    def rule(gg, s):
        return gg * s.a * (sign * _mse_norm(s.reduction, _numel(s.shapes[1])))
    return rule


# ----- binary_cross_entropy ---------------------------------------------------------------

def _bce(p, t, weight, reduction):
    log_p = np.maximum(np.log(p), BCE_LOG_FLOOR)
    log_1mp = np.maximum(np.log1p(-p), BCE_LOG_FLOOR)
    loss = (t - 1) * log_1mp - t * log_p
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def _bce_backward(g, p, t, weight, reduction):
    # ATen's binary_cross_entropy_backward kernel, then the weight, then / numel for a mean
    grad = g * (p - t) / np.maximum((1 - p) * p, np.asarray(BCE_EPSILON, dtype=p.dtype))
    if weight is not None:
        grad = grad * weight
    return grad / np.size(p) if reduction == "mean" else grad


def _bce_double_backward_parts(s):
    """FunctionsManual's binary_cross_entropy_double_backward* use p + eps and 1 - p + eps
    (eps a double 1e-12) where the first derivative clamps p(1-p)."""
    p, t = s.b, s.c
    scale = _per_element(_numel(s.shapes[1])) if s.reduction == "mean" else 1.0
    return p, t, (p + 1e-12) * (1.0 - p + 1e-12), scale


def _bce_backward_grad_output(gg, s):
    p, t, denominator, scale = _bce_double_backward_parts(s)
    return _weighted(gg * (p - t) / denominator, s) * scale


def _bce_backward_input(gg, s):
    p, t, denominator, scale = _bce_double_backward_parts(s)
    curvature = (p * p - 2.0 * p * t + t) / (denominator * denominator)
    return _weighted(curvature * (gg * s.a), s) * scale


def _bce_backward_target(gg, s):
    p, _, _, scale = _bce_double_backward_parts(s)
    denominator = ((1.0 - p) * p).clamp_min(BCE_EPSILON)
    return _weighted(-gg * s.a, s) / denominator * scale


def _bce_target_grad(g, s):
    # FunctionsManual's binary_cross_entropy_target_backward: -logit(p) * grad (without the
    # clamp, so p = 0.5 gives -0.0 as PyTorch prints it), the weight, then / numel
    return _mean_of(_weighted(-(s.a / (1.0 - s.a)).log() * g, s), s)


# ----- binary_cross_entropy_with_logits ----------------------------------------------------

def _bce_logits(x, t, weight, pos_weight, reduction, input_dtype):
    # ATen's composite: (1 - t) * x - log_weight * log_sigmoid(x), where log_sigmoid runs on
    # the input as given, so a float32 input rounds it to float32 even against a float64
    # target; it is computed in double and rounded once, as ATen's 1-ulp kernel nearly is
    wide = x.astype(np.float64)
    log_sigmoid = -(np.maximum(-wide, 0) + np.log1p(np.exp(-np.abs(wide))))
    log_sigmoid = log_sigmoid.astype(input_dtype).astype(x.dtype)
    log_weight = 1 if pos_weight is None else (pos_weight - 1) * t + 1
    loss = (1 - t) * x - log_weight * log_sigmoid
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def _log_sigmoid(x: Tensor) -> Tensor:
    """log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)), finite for every x. `minimum` (a tie
    gives half the gradient) makes the slope at 0 the true 1/2, where clamp's would be 1."""
    zero = Tensor(np.zeros((), dtype=x.dtype.numpy))
    return minimum(x, zero) - (-x.abs()).exp().log1p()


def _bce_logits_input_grad(g, s):
    # FunctionsManual's binary_cross_entropy_with_logits_backward, in its order of operations
    if s.pos_weight is None:
        local = sigmoid(s.a) - s.b
    else:                        # (pos_weight * t + 1 - t) * sigmoid(x) - pos_weight * t
        pos_weight_t = Tensor(np.asarray(s.pos_weight)) * s.b
        local = (pos_weight_t + 1.0 - s.b) * sigmoid(s.a) - pos_weight_t
    return _mean_of(_weighted(local * g, s), s)


def _bce_logits_target_grad(g, s):
    if s.pos_weight is None:
        local = -s.a
    else:                        # log_sigmoid(-x) - pos_weight * log_sigmoid(x)
        local = _log_sigmoid(-s.a) - Tensor(np.asarray(s.pos_weight)) * _log_sigmoid(s.a)
    return _mean_of(_weighted(local * g, s), s, count_of=1)


LOSS_OPS = {op.name: op for op in [
    Op("mse_loss", "MseLossBackward0", _mse,
       grads=(lambda g, s: apply(LOSS_OPS["mse_loss_backward"], g, s.a, s.b,
                                 reduction=s.reduction),
              lambda g, s: apply(LOSS_OPS["mse_loss_backward"], g, s.b, s.a,
                                 reduction=s.reduction)),
       saves=(("a", "b"), ("a", "b")),
       rules=("d mean((a-b)^2)/da = 2(a-b)/n", "d mean((a-b)^2)/db = -2(a-b)/n"),
       elementwise=False),
    # mse_loss_backward(grad, x, y) is an ATen op of its own (MseLossBackwardBackward0 under
    # create_graph); elementwise, so the gradient of a reduced loss's 0-dim grad sums.
    Op("mse_loss_backward", "MseLossBackwardBackward0", _mse_backward,
       grads=(lambda gg, s: apply(LOSS_OPS["mse_loss_backward"], gg, s.b, s.c,
                                  reduction=s.reduction),
              _mse_backward_grad(1.0), _mse_backward_grad(-1.0)),
       saves=(("b", "c"), ("a",), ("a",)),
       rules=("d(norm (x-y) g)/dg = norm (x-y)", "d(norm (x-y) g)/dx = norm g",
              "d(norm (x-y) g)/dy = -norm g")),
    Op("binary_cross_entropy", "BinaryCrossEntropyBackward0", _bce,
       grads=(lambda g, s: apply(LOSS_OPS["binary_cross_entropy_backward"], g, s.a, s.b,
                                 weight=s.weight, reduction=s.reduction),
              _bce_target_grad),
       saves=(("a", "b"), ("a",)),
       rules=("d bce/dp = (p-t)/max(p(1-p), 1e-12)/n", "d bce/dt = (log(1-p) - log p)/n"),
       elementwise=False),
    Op("binary_cross_entropy_backward", "BinaryCrossEntropyBackwardBackward0",
       _bce_backward,
       grads=(_bce_backward_grad_output, _bce_backward_input, _bce_backward_target),
       saves=(("b", "c"), ("a", "b", "c"), ("a", "b")),
       rules=("d bce'/dg = (p-t)/(p(1-p))/n", "d bce'/dp = g (p^2-2pt+t)/(p(1-p))^2/n",
              "d bce'/dt = -g/(p(1-p))/n")),
    Op("binary_cross_entropy_with_logits", "BinaryCrossEntropyWithLogitsBackward0",
       _bce_logits,
       grads=(_bce_logits_input_grad, _bce_logits_target_grad), saves=(("a", "b"), ("a",)),
       rules=("d bce_logits/dx = (sigmoid(x)-t)/n", "d bce_logits/dt = -x/n"),
       elementwise=False),
    # ATen's Tensor.div(Scalar), which composite backwards use for a mean: DivBackward1
    Op("div_scalar", "DivBackward1", lambda a, other: a / other,
       grads=(lambda g, s: apply(LOSS_OPS["div_scalar"], g, other=s.other),), saves=((),),
       rules=("d(a/n)/da = 1/n",), dtype="float"),
]}


# ----- argument checks ------------------------------------------------------------------

def _check_reduction(reduction: str) -> None:
    if reduction not in REDUCTIONS:
        raise TorchValueError(f"{reduction} is not a valid value for reduction")


def _reduction(size_average, reduce, reduction: str) -> str:
    """The reduction, from the pre-1.0 `size_average`/`reduce` flags when either is given
    (torch/nn/_reduction.py legacy_get_string, with its UserWarning), else `reduction`."""
    if size_average is None and reduce is None:
        _check_reduction(reduction)
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    legacy = "mean" if size_average and reduce else "sum" if reduce else "none"
    warn("size_average and reduce args will be deprecated, please use "
         f"reduction='{legacy}' instead.")
    return legacy


def _check_target(input, target) -> None:
    for value in (input, target):
        if not isinstance(value, Tensor):
            raise TorchAttributeError(f"'{type(value).__name__}' object has no attribute 'size'")


def _broadcast_with_warning(input: Tensor, target: Tensor) -> tuple[Tensor, Tensor]:
    """F.mse_loss/F.l1_loss warn about a target of another size, then `broadcast_tensors`
    them: only the tensor whose shape changes is expanded (an ExpandBackward0 node)."""
    if target.shape == input.shape:
        return input, target
    warn(f"Using a target size ({target.shape!r}) that is different to the input size "
         f"({input.shape!r}). This will likely lead to incorrect results due to "
         "broadcasting. Please ensure they have the same size.")
    shape = broadcast_shapes(input.shape, target.shape)
    return tuple(t if t.shape == shape else t.expand(*shape) for t in (input, target))


def _constant(name: str, function: str, value):
    """A weight argument as a plain array: PyTorch refuses one that requires grad."""
    if value is None:
        return None
    if value.requires_grad:
        raise TorchRuntimeError(
            f"The function '{function}' is not differentiable with respect to argument "
            f"'{name}'. This input cannot have requires_grad True.")
    return value._data


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    _check_target(input, target)
    input, target = _broadcast_with_warning(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    if not input.dtype.is_floating_point and not target.dtype.is_floating_point:
        raise TorchNotImplementedError(
            f"\"mse_cpu\" not implemented for '{input.dtype.scalar_name}'")
    return apply(LOSS_OPS["mse_loss"], input, target, reduction=reduction)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    _check_target(input, target)
    input, target = _broadcast_with_warning(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    loss = abs(functions.sub(input, target))
    if reduction == "mean":
        return functions.mean(loss)
    if reduction == "sum":
        return functions.sum(loss)
    return loss


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    _check_target(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise TorchValueError(
            f"Using a target size ({target.shape!r}) that is different to the input size "
            f"({input.shape!r}) is deprecated. Please ensure they have the same size.")
    if not input.dtype.is_floating_point:
        raise TorchNotImplementedError(
            f"\"binary_cross_entropy\" not implemented for '{input.dtype.scalar_name}'")
    if target.dtype is not input.dtype:
        raise TorchRuntimeError(
            f"Found dtype {target.dtype.scalar_name} but expected {input.dtype.scalar_name}")
    weight = _constant("weight", "binary_cross_entropy", weight)
    # ATen checks the values in its kernel; NaN fails the check too
    if not np.all((input._data >= 0) & (input._data <= 1)):
        raise TorchRuntimeError("all elements of input should be between 0 and 1")
    if not np.all((target._data >= 0) & (target._data <= 1)):
        raise TorchRuntimeError("all elements of target should be between 0 and 1")
    return apply(LOSS_OPS["binary_cross_entropy"], input, target, weight=weight,
                 reduction=reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None,
                                     reduce=None, reduction="mean", pos_weight=None):
    _check_target(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise TorchValueError(
            f"Target size ({target.shape!r}) must be the same as input size ({input.shape!r})")
    if not target.dtype.is_floating_point:
        raise TorchRuntimeError(
            f"result type {input.dtype.scalar_name} can't be cast to the desired output type "
            f"{target.dtype.scalar_name}")
    function = "binary_cross_entropy_with_logits"
    weight = _constant("weight", function, weight)
    pos_weight = _constant("pos_weight", function, pos_weight)
    return apply(LOSS_OPS[function], input, target, weight=weight, pos_weight=pos_weight,
                 reduction=reduction, input_dtype=input.dtype.numpy)


FUNCTIONAL = ("mse_loss", "l1_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits")
