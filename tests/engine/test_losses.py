"""Loss behaviours the golden cases do not reach: constant (stride-0) inputs, the no_grad path,
create_graph through the fused nodes, and saved tensors being released."""

import numpy as np
import pytest

from gradcli.engine import dtypes, grad_mode, losses
from gradcli.engine.differentiate import grad
from gradcli.engine.errors import TorchRuntimeError
from gradcli.engine.factories import tensor


def _leaf(values):
    return tensor(values, dtype=dtypes.float64, requires_grad=True)


def test_losses_of_expanded_constants_reduce_to_a_scalar():
    """Two one-value broadcasts: the engine folds constant elementwise ops, a loss must not be."""
    a = tensor([2.0], requires_grad=True).expand(4)
    b = tensor([0.5]).expand(4)
    for loss in (losses.mse_loss(a, b), losses.l1_loss(a, b),
                 losses.binary_cross_entropy_with_logits(a, b)):
        assert loss.shape == ()
    assert losses.mse_loss(a, b).item() == pytest.approx(2.25)


@pytest.mark.parametrize("reduction, shape", [("none", (2, 3)), ("sum", ()), ("mean", ())])
def test_reduction_shapes_and_their_gradients(reduction, shape):
    x, y = _leaf(np.arange(6.0).reshape(2, 3)), _leaf(np.ones((2, 3)))
    out = losses.mse_loss(x, y, reduction=reduction)
    assert out.shape == shape
    out.sum().backward()
    scale = 1 / 6 if reduction == "mean" else 1
    np.testing.assert_allclose(x.grad._data, 2 * (x._data - 1) * scale)
    np.testing.assert_allclose(y.grad._data, -x.grad._data)


def test_no_grad_records_no_node():
    with grad_mode.no_grad():
        out = losses.binary_cross_entropy(_leaf([0.25, 0.5]), tensor([1.0, 0.0],
                                                                    dtype=dtypes.float64))
    assert out.grad_fn is None and not out.requires_grad


def test_bce_second_derivative_through_create_graph():
    p, t = _leaf([0.2, 0.7]), tensor([1.0, 0.0], dtype=dtypes.float64)
    (g,) = grad(losses.binary_cross_entropy(p, t, reduction="sum"), [p], create_graph=True)
    np.testing.assert_allclose(g._data, (p._data - t._data) / (p._data * (1 - p._data)))
    (g2,) = grad(g.sum(), [p])
    # d/dp of (p - t)/(p(1-p)) = (p^2 - 2pt + t) / (p(1-p))^2
    pv, tv = p._data, t._data
    np.testing.assert_allclose(g2._data, (pv * pv - 2 * pv * tv + tv) / (pv * (1 - pv)) ** 2)


def test_fused_losses_free_their_saved_tensors():
    x, y = _leaf([1.0, 2.0]), _leaf([0.0, 0.0])
    out = losses.mse_loss(x, y)
    out.backward()
    with pytest.raises(TorchRuntimeError, match="second time"):
        out.backward()


def test_l1_loss_is_decomposed_like_pytorch():
    x, y = _leaf([1.0, -2.0]), _leaf([0.5, 0.5])
    out = losses.l1_loss(x, y)
    names = [out.grad_fn.name(), out.grad_fn.next_functions[0][0].name(),
             out.grad_fn.next_functions[0][0].next_functions[0][0].name()]
    assert names == ["MeanBackward0", "AbsBackward0", "SubBackward0"]
