"""Property tests for reductions: float64 gradients (and second derivatives, via
create_graph) agree with central finite differences on random shapes and dims."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from test_shapes_properties import SHAPES, arrays, as_tensor, check_gradients

from gradcli.engine import classification, differentiate, reductions as R

FAST = settings(max_examples=25, deadline=None)


@st.composite
def shape_and_dim(draw):
    shape = draw(SHAPES)
    return shape, draw(st.integers(-len(shape), len(shape) - 1)), draw(st.booleans())


def _distinct(values):
    """Spread values apart so no max/min tie (or near-tie) sits within a finite-difference step."""
    order = np.argsort(values, axis=None).argsort().reshape(values.shape)
    return values * 0.01 + order * 0.5


@FAST
@given(data=st.data(), spec=shape_and_dim())
def test_max_min_family_gradients(data, spec):
    shape, dim, keepdim = spec
    values = _distinct(data.draw(arrays(shape)))
    check_gradients(lambda x: x.max() * x.min(), values)
    check_gradients(lambda x: x.max(dim, keepdim)[0] - x.min(dim=dim, keepdim=keepdim).values,
                    values)
    check_gradients(lambda x: x.amax(dim, keepdim) + x.amin((dim,), keepdim), values)


@FAST
@given(data=st.data(), spec=shape_and_dim())
def test_prod_gradients_with_and_without_zeros(data, spec):
    shape, dim, keepdim = spec
    values = data.draw(arrays(shape, 0.5, 1.5)) * data.draw(st.sampled_from([1.0, -1.0]))
    check_gradients(lambda x: x.prod(), values)
    check_gradients(lambda x: x.prod(dim, keepdim), values)
    zeros = values.copy()
    zeros.reshape(-1)[data.draw(st.integers(0, values.size - 1))] = 0.0
    check_gradients(lambda x: x.prod(dim), zeros)
    check_gradients(lambda x: x.prod(), zeros)


@FAST
@given(data=st.data(), spec=shape_and_dim())
def test_cumsum_cumprod_gradients_with_and_without_zeros(data, spec):
    shape, dim, _ = spec
    values = data.draw(arrays(shape))
    check_gradients(lambda x: x.cumsum(dim) ** 2, values)
    check_gradients(lambda x: x.cumprod(dim), values)
    zeros = values.copy()
    for _ in range(data.draw(st.integers(1, 3))):       # one zero, or several in a row
        zeros.reshape(-1)[data.draw(st.integers(0, values.size - 1))] = 0.0
    check_gradients(lambda x: x.cumprod(dim), zeros)


@FAST
@given(data=st.data(), spec=shape_and_dim(), correction=st.sampled_from([0, 1]))
def test_var_std_gradients(data, spec, correction):
    shape, dim, keepdim = spec
    values = data.draw(arrays(shape))
    if shape[dim] - correction <= 0 or np.ptp(values, axis=dim).min() < 1e-3:
        return
    check_gradients(lambda x: x.var(dim, keepdim=keepdim, correction=correction), values)
    check_gradients(lambda x: x.std(dim, correction=correction, keepdim=keepdim), values)


@FAST
@given(data=st.data(), spec=shape_and_dim(), p=st.sampled_from([1, 2, 3, float("inf")]))
def test_norm_gradients(data, spec, p):
    shape, dim, keepdim = spec
    values = _distinct(data.draw(arrays(shape))) + 0.25     # away from 0 and from ties in |x|
    check_gradients(lambda x: x.norm(p=p), values)
    check_gradients(lambda x: x.norm(p, dim, keepdim), values)


@FAST
@given(data=st.data(), spec=shape_and_dim())
def test_softmax_family_gradients(data, spec):
    shape, dim, keepdim = spec
    values = data.draw(arrays(shape, -5, 5))
    check_gradients(lambda x: R.logsumexp(x, dim, keepdim), values)
    check_gradients(lambda x: R.softmax(x, dim), values)
    check_gradients(lambda x: R.log_softmax(x, dim), values)
    summed = R.softmax(as_tensor(values), dim).sum(dim)._data
    np.testing.assert_allclose(summed, np.ones_like(summed))


@FAST
@given(data=st.data(), batch=st.integers(1, 4), classes=st.integers(2, 4),
       reduction=st.sampled_from(["mean", "sum", "none"]))
def test_cross_entropy_gradients(data, batch, classes, reduction):
    from gradcli.engine.factories import tensor

    logits = data.draw(arrays((batch, classes), -3, 3))
    target = tensor(data.draw(st.lists(st.integers(0, classes - 1), min_size=batch,
                                       max_size=batch)))
    probabilities = np.exp(logits[::-1]) / np.exp(logits[::-1]).sum(1, keepdims=True)
    soft_target = as_tensor(probabilities)
    check_gradients(lambda x: classification.cross_entropy(x, target, reduction=reduction), logits)
    check_gradients(
        lambda x: classification.cross_entropy(x, soft_target, reduction=reduction), logits)
    check_gradients(lambda x: classification.nll_loss(x, target, reduction=reduction), logits)
    check_gradients(lambda x: classification.cross_entropy(
        x, target, reduction=reduction, label_smoothing=0.2), logits)


@FAST
@given(data=st.data(), spec=shape_and_dim())
def test_second_derivatives_through_create_graph(data, spec):
    shape, dim, _ = spec
    values = data.draw(arrays(shape, -2, 2))
    probe = as_tensor(np.random.RandomState(1).uniform(-1, 1, shape))

    def first_derivative(x):       # d/dx sum(f(x)) . probe, itself differentiable
        (gradient,) = differentiate.grad(fn(x).sum(), x, create_graph=True)
        return (gradient * probe).sum()

    for fn in (lambda x: R.logsumexp(x, dim) ** 2, lambda x: R.softmax(x, dim) ** 2,
               lambda x: x.var(dim, correction=0) ** 2, lambda x: (x * x + 1).prod(dim)):
        def through_leaf(x, fn=fn):
            leaf = x if x.requires_grad else x.detach().requires_grad_()
            return first_derivative(leaf)
        check_gradients(through_leaf, values, rtol=1e-4, atol=1e-5)


@FAST
@given(data=st.data(), spec=shape_and_dim())
def test_cumprod_second_derivative_with_zeros(data, spec):
    """cumprod's gradient with zeros is built from ops, so create_graph differentiates it."""
    shape, dim, _ = spec
    if shape[dim] == 1:             # cumprod is the identity: its gradient is constant
        return
    values = data.draw(arrays(shape, -2, 2))
    for _ in range(data.draw(st.integers(1, 3))):
        values.reshape(-1)[data.draw(st.integers(0, values.size - 1))] = 0.0
    probe = as_tensor(np.random.RandomState(1).uniform(-1, 1, shape))

    def first_derivative(x):
        leaf = x if x.requires_grad else x.detach().requires_grad_()
        (gradient,) = differentiate.grad((leaf.cumprod(dim) * probe).sum(), leaf,
                                         create_graph=True)
        return (gradient * probe).sum()

    check_gradients(first_derivative, values, rtol=1e-4, atol=1e-5)
