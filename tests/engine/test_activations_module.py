"""activations.py (moved out of pointwise.py) is published as before: `torch.relu`, the six
`F.` activations, `Tensor.relu` and its in-place `relu_`, each name from one module only."""

import numpy as np

from gradcli.engine import PUBLIC_MODULES, activations, pointwise
from gradcli.engine.factories import tensor

ACTIVATIONS = ("relu", "softplus", "gelu", "leaky_relu", "elu", "silu")


def _owners(table: str, name: str) -> list:
    return [m.__name__ for m in PUBLIC_MODULES if name in getattr(m, table, ())]


def test_each_activation_is_published_once_from_activations():
    assert activations in PUBLIC_MODULES
    for name in ACTIVATIONS:
        assert _owners("FUNCTIONAL", name) == ["gradcli.engine.activations"]
    assert _owners("TORCH_FUNCTIONS", "relu") == ["gradcli.engine.activations"]
    assert _owners("FUNCTIONAL", "sigmoid") == ["gradcli.engine.pointwise"]


def test_tensor_relu_and_its_in_place_variant_run_the_activation_rows():
    x = tensor([-1.0, 2.0], requires_grad=True)
    y = x.relu()
    assert y.grad_fn.name() == "ReluBackward0"
    z = (x * 1.0).relu_()
    assert z.grad_fn.name() == "ReluBackward0"
    np.testing.assert_array_equal(z._data, [0.0, 2.0])


def test_the_activation_rows_left_pointwise():
    assert not set(ACTIVATIONS) & set(pointwise.POINTWISE_OPS)
    assert {"threshold_backward", "gelu_backward"} <= set(activations.ACTIVATION_OPS)
