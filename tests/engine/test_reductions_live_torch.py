"""Where torch is importable (not in CI): reductions on random shapes and dims, over data full
of ties and zeros (small integers), give PyTorch's values, graph and gradients — the special
points of reference §3.12 met at random."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

torch = pytest.importorskip("torch")

from test_shapes_golden import graph  # noqa: E402
from test_shapes_properties import SHAPES  # noqa: E402

from gradcli.engine import classification, dtypes, reductions  # noqa: E402
from gradcli.engine.factories import tensor  # noqa: E402

# name -> f(x, dim, keepdim, module) where module is torch or gradcli's function tables
OPS = {
    "max": lambda x, d, k, m: x.max(),
    "min_dim": lambda x, d, k, m: x.min(d, k)[0],
    "median": lambda x, d, k, m: x.median(),     # median(dim)'s index among ties is ATen's pick
    "amax": lambda x, d, k, m: x.amax(d, k),
    "prod": lambda x, d, k, m: x.prod(),
    "prod_dim": lambda x, d, k, m: x.prod(d, k),
    "cumprod": lambda x, d, k, m: x.cumprod(d),
    "var": lambda x, d, k, m: x.var(d, keepdim=k, correction=0),
    "std": lambda x, d, k, m: x.std(d, keepdim=k),
    "norm": lambda x, d, k, m: x.norm(dim=d, keepdim=k),
    "norm1": lambda x, d, k, m: x.norm(p=1),
    "norm_inf": lambda x, d, k, m: x.norm(float("inf"), d, k),
    "logsumexp": lambda x, d, k, m: m.logsumexp(x, d, k),
    "softmax": lambda x, d, k, m: m.softmax(x, d),
    "log_softmax": lambda x, d, k, m: m.log_softmax(x, d),
    "sort": lambda x, d, k, m: x.sort(d)[0],
    "topk": lambda x, d, k, m: x.topk(1, d)[0],
    "cumsum": lambda x, d, k, m: x.cumsum(d),
    # selection and rearranging, over the same tie- and zero-rich data
    "flip": lambda x, d, k, m: x.flip(d),
    "roll": lambda x, d, k, m: x.roll(2, d),
    "repeat": lambda x, d, k, m: x.repeat(*([2] * x.dim())),
    "split": lambda x, d, k, m: x.split(2, d)[-1],
    "chunk": lambda x, d, k, m: x.chunk(2, d)[0],
    "masked_fill": lambda x, d, k, m: x.masked_fill(x > 0, -1.0),
    "tril": lambda x, d, k, m: x.reshape(x.shape[0], -1).tril(d),
    "index_select": lambda x, d, k, m: x.index_select(d, m.tensor([0, 0])),
    "gather": lambda x, d, k, m: x.gather(d, m.zeros_like(x, dtype=m.int64)),
    "unbind": lambda x, d, k, m: x.unbind(d)[0],
    "any_select": lambda x, d, k, m: x[x > 0] if k else x[..., 0],
}


class GradcliFunctions:
    int64 = dtypes.int64
    tensor = staticmethod(tensor)
    zeros_like = staticmethod(lambda x, dtype: tensor(np.zeros(x.shape, dtype=np.int64)))
    logsumexp = staticmethod(reductions.logsumexp)
    softmax = staticmethod(reductions.softmax)
    log_softmax = staticmethod(reductions.log_softmax)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), shape=SHAPES, name=st.sampled_from(sorted(OPS)),
       keepdim=st.booleans(), dtype=st.sampled_from(["float32", "float64"]))
def test_reductions_match_torch(data, shape, name, keepdim, dtype):
    values = data.draw(hnp.arrays(np.float64, shape, elements=st.integers(-2, 2).map(float)))
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    results = {}
    for library in ("torch", "gradcli"):
        if library == "torch":
            leaf = torch.tensor(values.tolist(), dtype=getattr(torch, dtype), requires_grad=True)
            out = OPS[name](leaf, dim, keepdim, torch)
            layout, to_numpy = graph(out.grad_fn), (lambda t: t.detach().numpy())
            weights = torch.arange(out.numel(), dtype=out.dtype).reshape(out.shape)
        else:
            leaf = tensor(values, dtype=dtypes.BY_NAME[dtype], requires_grad=True)
            out = OPS[name](leaf, dim, keepdim, GradcliFunctions)
            layout, to_numpy = graph(out.grad_fn), (lambda t: t._data)
            weights = tensor(np.arange(out.numel()).reshape(out.shape), dtype=out.dtype)
        (out * weights).sum().backward()       # distinct weights: each output's share shows
        results[library] = (to_numpy(out), layout, to_numpy(leaf.grad), repr(out))
    expected, actual = results["torch"], results["gradcli"]
    tol = dict(rtol=1e-5, atol=1e-5) if dtype == "float32" else dict(rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(actual[0], expected[0], **tol)
    assert actual[1] == expected[1]
    np.testing.assert_allclose(actual[2], expected[2], **tol)
    assert actual[3] == expected[3]


@settings(max_examples=60, deadline=None)
@given(data=st.data(), batch=st.integers(1, 3), classes=st.integers(2, 4),
       reduction=st.sampled_from(["mean", "sum", "none"]), spatial=st.sampled_from([(), (2,)]),
       smoothing=st.sampled_from([0.0, 0.2]))
def test_cross_entropy_matches_torch(data, batch, classes, reduction, spatial, smoothing):
    logits = data.draw(hnp.arrays(np.float64, (batch, classes) + spatial,
                                  elements=st.integers(-2, 2).map(float)))
    target = data.draw(hnp.arrays(np.int64, (batch,) + spatial,
                                  elements=st.sampled_from(list(range(classes)) + [-100])))
    results = {}
    for library in ("torch", "gradcli"):
        if library == "torch":
            leaf = torch.tensor(logits.tolist(), dtype=torch.float64, requires_grad=True)
            out = torch.nn.functional.cross_entropy(leaf, torch.tensor(target.tolist()),
                                                    reduction=reduction,
                                                    label_smoothing=smoothing)
            layout, to_numpy = graph(out.grad_fn), (lambda t: t.detach().numpy())
        else:
            leaf = tensor(logits, dtype=dtypes.float64, requires_grad=True)
            out = classification.cross_entropy(leaf, tensor(target), reduction=reduction,
                                               label_smoothing=smoothing)
            layout, to_numpy = graph(out.grad_fn), (lambda t: t._data)
        out.sum().backward()
        results[library] = (to_numpy(out), layout, to_numpy(leaf.grad))
    expected, actual = results["torch"], results["gradcli"]
    np.testing.assert_allclose(actual[0], expected[0], rtol=1e-12, atol=1e-12)
    assert actual[1] == expected[1]
    np.testing.assert_allclose(actual[2], expected[2], rtol=1e-12, atol=1e-12)
