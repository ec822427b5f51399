"""Classification losses: `nll_loss` and `cross_entropy` (= nll_loss over log_softmax), with
class-index targets (optionally weighted, with ignore_index) or probability targets.

The loss is linear in its input, so one array of coefficients — minus the class weight at each
target class, divided by the total weight for `mean` — gives both the forward (a weighted sum)
and the backward (the incoming gradient times the coefficients, written into zeros as ATen's
nll_loss_backward, a row of its own for create_graph). As in ATen, inputs with one
spatial dim are viewed as 2-D images, so their node is NllLoss2DBackward0 between two views.
"""

from __future__ import annotations

import numpy as np

from gradcli.engine.errors import TorchIndexError, TorchRuntimeError, TorchValueError
from gradcli.engine.ops import OPS, Op, apply
from gradcli.engine.reductions import log_softmax
from gradcli.engine.selection import masked_fill
from gradcli.engine.shapes import reshape
from gradcli.engine.tensor import Tensor


def _class_axis(ndim: int) -> int:
    return 1 if ndim >= 2 else 0


def _nll_forward(a, coefficients, reduction, **for_saved_attributes):
    # (target, weight and ignore_index ride along for grad_fn._saved_*: saved_attributes.py)
    # ATen picks -w[t] * x[t] alone (no sum over the classes, whose +0.0 would turn a -0.0
    # loss into 0.0); an ignored target gives 0
    axis = _class_axis(a.ndim)
    target = coefficients != 0
    picked = np.sum(a * coefficients, axis=axis, where=target, initial=-0.0)
    picked = np.where(target.any(axis=axis), picked, 0).astype(a.dtype)
    if reduction == "mean" and not coefficients.any():
        return np.full((), np.nan, a.dtype)       # no weight at all: 0/0, yet a zero gradient
    return picked if reduction == "none" else picked.sum()


def _loss_arguments(s) -> dict:
    """What a node's loss row takes besides its tensors (the same for its backward row)."""
    return dict(coefficients=s.coefficients, reduction=s.reduction, target=s.target,
                weight=s.weight, ignore_index=s.ignore_index)


def _nll_backward_forward(g, a, coefficients, reduction, **for_saved_attributes):
    """ATen's nll_loss_backward: zeros, and -w[t] * g (/ total weight) at each target, so a
    negative g leaves +0.0 (not -0.0) at the other classes."""
    if reduction == "none":
        g = np.expand_dims(g, _class_axis(a.ndim))
    return np.where(coefficients != 0, g * coefficients, 0).astype(a.dtype)


def _nll_rows(name: str, grad_fn: str) -> tuple:
    """A loss row and its backward's row (`self` is an input of the backward, as in ATen's
    nll_loss_backward, which zeros_like gives its gradient)."""
    backward = name + "_backward"
    return (
        Op(name, grad_fn, _nll_forward,
           grads=(lambda g, s: apply(ROWS[backward], g, s.a, **_loss_arguments(s)),),
           saves=(("a",),), dtype="same", elementwise=False,
           rules=("d(nll)/dx[i, t_i] = -w[t_i] (/ total weight)",)),
        Op(backward, grad_fn.replace("Backward0", "BackwardBackward0"), _nll_backward_forward,
           grads=(lambda gg, s: apply(ROWS[name], gg, **_loss_arguments(s)),
                  lambda gg, s: Tensor(np.zeros(s.shapes[1], s.dtypes[1].numpy))),
           saves=((), ()), dtype="same", elementwise=False,
           rules=("d(nll backward)/dg = nll", "d(nll backward)/dx = 0")),
    )


ROWS = {op.name: op for op in [
    *_nll_rows("nll_loss", "NllLossBackward0"),
    *_nll_rows("nll_loss2d", "NllLoss2DBackward0"),
]}


def _coefficients(input: Tensor, targets: np.ndarray, weight, ignore_index: int,
                  reduction: str) -> np.ndarray:
    axis = _class_axis(input.ndim)
    classes = input.shape[axis]
    weights = np.ones(classes) if weight is None else weight._data.astype(np.float64)
    valid = targets != ignore_index
    outside = valid & ((targets < 0) | (targets >= classes))
    if outside.any():
        raise TorchIndexError(f"Target {int(targets[outside].reshape(-1)[0])} is out of bounds.")
    chosen = np.where(valid, targets, 0)
    target_weights = weights[chosen] * valid
    class_index = np.arange(classes).reshape((-1,) + (1,) * (input.ndim - axis - 1))
    onehot = np.expand_dims(chosen, axis) == class_index
    coefficients = np.where(onehot, -np.expand_dims(target_weights, axis), 0.0)
    total = target_weights.sum()
    if reduction == "mean" and total:
        coefficients = coefficients / total
    return coefficients.astype(input.dtype.numpy)


def _check_spatial_target(input: Tensor, target: Tensor) -> None:
    """ATen's target shape checks beyond the batch size: nll_loss_nd's for one spatial dim,
    nll_loss2d's (their wording, spaces included) for two."""
    spatial = [input.shape[0], *input.shape[2:]]
    if input.ndim == 3 and list(target.shape) != spatial:
        raise TorchRuntimeError(f"Expected target size {spatial}, got {list(target.shape)}")
    if input.ndim == 4 and target.ndim != 3:
        raise TorchRuntimeError("only batches of spatial targets supported (3D tensors) but got "
                                f"targets of dimension: {target.ndim}")
    if input.ndim == 4 and list(target.shape) != spatial:
        raise TorchRuntimeError(f"size mismatch (got input: {list(input.shape)} , target: "
                                f"{list(target.shape)}")


def nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean"):
    if target.dtype.is_floating_point:
        raise TorchRuntimeError(
            f"expected target dtype to be Long or Byte, but got {target.dtype.scalar_name}")
    if reduction not in ("mean", "sum", "none"):
        raise TorchValueError(f"{reduction} is not a valid value for reduction")
    if input.ndim >= 2 and target.shape[0] != input.shape[0]:
        raise TorchValueError(f"Expected input batch_size ({input.shape[0]}) to match target "
                              f"batch_size ({target.shape[0]}).")
    if weight is not None and weight.dtype is not input.dtype:
        raise TorchRuntimeError(f"expected scalar type {input.dtype.scalar_name} but found "
                                f"{weight.dtype.scalar_name}")
    _check_spatial_target(input, target)
    if input.ndim > 4:
        raise TorchRuntimeError("gradcli: nll_loss supports at most 2 spatial dims")
    if input.ndim == 3:         # ATen views (N, C, d) as the image (N, C, 1, d)
        n, c, d = input.shape
        loss = nll_loss(reshape(input, n, c, 1, d), Tensor(target._data.reshape(n, 1, d)),
                        weight, ignore_index, reduction)
        return reshape(loss, n, d) if reduction == "none" else loss
    coefficients = _coefficients(input, target._data, weight, ignore_index, reduction)
    row = ROWS["nll_loss2d" if input.ndim == 4 else "nll_loss"]
    return apply(row, input, coefficients=coefficients, reduction=reduction,
                 target=target._data, weight=None if weight is None else weight._data,
                 ignore_index=ignore_index)


def cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean",
                  label_smoothing=0.0):
    class_dim = _class_axis(input.ndim)
    classes = input.shape[class_dim]
    log_probabilities = log_softmax(input, class_dim)
    if not target.dtype.is_floating_point:
        loss = nll_loss(log_probabilities, target, weight, ignore_index, reduction)
        if not label_smoothing:
            return loss
        return _smoothed(loss, log_probabilities, target, weight, ignore_index, reduction,
                         label_smoothing, class_dim)
    if label_smoothing:
        kept = apply(OPS["mul_scalar"], target, other=1 - label_smoothing)
        target = apply(OPS["add_scalar"], kept, other=label_smoothing / classes)
    # probability targets: ATen's -(log_softmax * target) summed, then divided by the batch
    products = log_probabilities * target
    if reduction == "none":
        return -products.sum(class_dim)
    if reduction == "mean" and input.numel() == 0:    # ATen: no samples, a NaN filled in place
        return -products.sum().fill_(float("nan"))
    total = -products.sum()
    if reduction == "sum":
        return total
    return apply(OPS["div_scalar"], total, other=input.numel() // input.shape[class_dim])


def _smoothed(loss, log_probabilities, target, weight, ignore_index, reduction, smoothing,
              class_dim):
    """ATen's cross_entropy_loss_label_smoothing: (1 - s) * nll + s / C * the loss against a
    uniform target, whose ignored entries are masked to 0."""
    if weight is not None:
        raise TorchRuntimeError("gradcli: cross_entropy with both weight and label_smoothing "
                                "is not supported")
    ignored = Tensor(target._data == ignore_index)
    uniform_loss = masked_fill(-log_probabilities.sum(class_dim), ignored, 0.0)
    if reduction == "mean":
        kept = Tensor(np.asarray((~ignored._data).sum(), dtype=np.int64))
        uniform_loss = uniform_loss.sum() / kept
    elif reduction == "sum":
        uniform_loss = uniform_loss.sum()
    classes = log_probabilities.shape[class_dim]
    return (apply(OPS["mul_scalar"], loss, other=1 - smoothing)
            + apply(OPS["mul_scalar"], uniform_loss, other=smoothing / classes))


# The functions the language offers as `torch.nn.functional.NAME` / `F.NAME`.
FUNCTIONAL = ("nll_loss", "cross_entropy")
