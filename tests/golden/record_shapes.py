"""Record PyTorch 2.13's behaviour for shape ops, indexing, reductions and linear algebra:

    cd /work/main && /work/torchenv/bin/python tests/golden/record_shapes.py

Each case is an expression in gradcli's language that is also Python over `torch` (and `F`),
evaluated with float32 and float64 leaves (`requires_grad=True`). Stored per case: the value,
dtype, shape and repr, the grad_fn graph (breadth-first, as tests/golden/record.py's `graph()`),
the leaves' gradients after `out.sum().backward()` (when the result requires grad) and what a
second backward without retain_graph does, the UserWarnings raised, or else the exception's type
and message. A result that is a `torch.return_types` pair stores its repr, then its values.
This script is a test tool run under /work/torchenv; gradcli never imports torch.
"""

import json
import pathlib
import sys
import warnings

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from record import graph, record_expression, strip_location  # noqa: E402  (shared by the goldens)

OUT = pathlib.Path(__file__).with_name("shapes.json")
DTYPES = {"float32": torch.float32, "float64": torch.float64}


def grid(*shape, seed=0):
    """Deterministic test data with two decimals (exact enough to print identically)."""
    values = np.random.RandomState(seed).uniform(-3, 3, size=shape).round(2)
    return values.tolist()


X = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
Y = [[0.5, -1.5, 2.0], [3.0, 0.25, -4.0]]
V = [0.1, 0.2, 0.3]
U = [1.0, -2.0, 0.5]
A = [[1.0, -2.0], [0.5, 3.0]]
W = [[2.0, 0.0], [-1.0, 1.5]]
ROW = [[1.5, -2.0, 0.75]]
COL = [[2.0], [-3.0]]
B = grid(4, 2, 3, seed=1)
C = grid(4, 3, 5, seed=2)
M35 = grid(3, 5, seed=3)
B4 = grid(2, 1, 2, 3, seed=4)
C3 = grid(2, 3, 4, seed=5)
K = grid(2, 3, 4, seed=6)
Z23 = [[1.0, 0.0, 3.0], [0.0, 5.0, -6.0]]
Z = grid(1, 3, 5, seed=8)
Q = grid(2, 3, 2, 2, seed=7)
XY = {"x": X, "y": Y}

SHAPES = [
    ("x.t()", {"x": X}), ("x.T", {"x": X}), ("x.transpose(0, 1)", {"x": X}),
    ("torch.transpose(b, 0, 2)", {"b": B}), ("x.permute(1, 0)", {"x": X}),
    ("b.permute(2, 0, 1)", {"b": B}), ("b.permute((1, 2, 0))", {"b": B}),
    ("x.view(3, 2)", {"x": X}), ("x.view(-1)", {"x": X}), ("x.view((3, -1))", {"x": X}),
    ("x.reshape(3, 2)", {"x": X}), ("x.reshape(-1, 3)", {"x": X}),
    ("torch.reshape(x, (6,))", {"x": X}), ("x.t().reshape(6)", {"x": X}),
    ("x.t().reshape(-1, 3)", {"x": X}), ("x.t().reshape(3, 2)", {"x": X}),
    ("x.flatten()", {"x": X}), ("x.t().flatten()", {"x": X}), ("b.flatten(1)", {"b": B}),
    ("torch.flatten(b, 0, 1)", {"b": B}), ("b.transpose(0, 1).flatten(1)", {"b": B}),
    ("x.unsqueeze(0)", {"x": X}), ("x.unsqueeze(-1)", {"x": X}),
    ("torch.unsqueeze(v, 1)", {"v": V}),
    ("x.squeeze()", {"x": X}), ("x[0:1].squeeze()", {"x": X}), ("c.squeeze(1)", {"c": COL}),
    ("x.squeeze(0)", {"x": X}), ("torch.squeeze(r)", {"r": ROW}),
    ("x.unsqueeze(1).unsqueeze(0).squeeze((0, 2))", {"x": X}),
    ("x.expand(4, 2, 3)", {"x": X}), ("r.expand(2, 3)", {"r": ROW}),
    ("c.expand(-1, 3)", {"c": COL}),
    ("r.expand(2, -1) * y", {"r": ROW, "y": Y}), ("x.expand_as(y)", XY),
    ("c.expand_as(x) * x", {"c": COL, "x": X}),
    ("x.contiguous()", {"x": X}), ("x.t().contiguous()", {"x": X}),
    ("torch.cat([x, y])", XY), ("torch.cat([x, y], 1)", XY), ("torch.cat((x, y), dim=-1)", XY),
    ("torch.cat([x, r, y])", {"x": X, "r": ROW, "y": Y}), ("torch.cat([x, x])", {"x": X}),
    ("torch.cat([x * 2, y ** 2], 0)", XY),
    ("torch.cat([x, torch.ones(1, 3, dtype=torch.float64)])", {"x": X}),
    ("torch.stack([x, y])", XY), ("torch.stack([x, y], 2)", XY),
    ("torch.stack((v, u), -1)", {"v": V, "u": U}), ("torch.stack([v, v * 2, u])", {"v": V, "u": U}),
    ("torch.t(x)", {"x": X}), ("torch.cat([torch.tensor([[1, 2, 3]]), x])", {"x": X}),
    ("torch.stack([torch.tensor([1, 2]), torch.tensor([3, 4])], 1)", {}),
    ("torch.tensor([[1, 2], [3, 4]]).t().reshape(4)", {}),
    ("list(x)[1]", {"x": X}), ("torch.unbind(x, 1)[2] * 2", {"x": X}),
    ("x.unbind(-1)[0]", {"x": X}),
    ("list(x.sum())", {"x": X}), ("x.sum().unbind()", {"x": X}), ("x.narrow(1, 1, 2)", {"x": X}),
    ("(x.t().reshape(6) * torch.arange(6.0)).sum()", {"x": X}),
    ("(torch.cat([x, y], 1) ** 2).sum()", XY),
    ("(torch.stack([x, y]) * torch.tensor([2.0, -1.0]).view(2, 1, 1)).sum()", XY),
    ("(x.permute(1, 0) * torch.arange(6.0).view(3, 2)).sum()", {"x": X}),
    ("(x * 2).t().reshape(6)", {"x": X}), ("x.view_as(x.t())", {"x": X}),
    ("x.reshape_as(torch.ones(6))", {"x": X}), ("x.swapaxes(0, 1)", {"x": X}),
    ("torch.swapdims(b, 0, 2)", {"b": B}), ("b.mT", {"b": B}), ("b.movedim(0, 2)", {"b": B}),
    ("torch.movedim(b, (0, 1), (2, 0))", {"b": B}), ("torch.concat([x, y])", XY),
    # rearranging
    ("x.repeat(2, 1)", {"x": X}),
    ("x.repeat(2, 1, 2) * torch.arange(12.0).view(2, 1, 6)", {"x": X}),
    ("v.repeat(3)", {"v": V}), ("x.flip(0)", {"x": X}), ("torch.flip(b, (0, 2)) * b", {"b": B}),
    ("x.roll(1, 1)", {"x": X}), ("x.roll(1) * y", XY), ("torch.roll(b, (1, -1), (0, 2))", {"b": B}),
    ("x.split(2, 1)[1]", {"x": X}), ("x.split([1, 2], 1)[1] * 3", {"x": X}),
    ("torch.split(b, 3)[1]", {"b": B}), ("x.chunk(2, 1)[0]", {"x": X}),
    ("torch.chunk(b, 3, dim=2)[2] ** 2", {"b": B}), ("x.repeat(2)", {"x": X}),
    ("x.split([1, 1], 1)", {"x": X}), ("x.roll((1, 2), 1)", {"x": X}),
    ("x.unflatten(1, (3, 1))", {"x": X}), ("torch.flatten(x).unflatten(0, (-1, 2))", {"x": X}),
    ("torch.broadcast_to(v, (2, 3))", {"v": V}), ("torch.hstack([v, u])", {"v": V, "u": U}),
    ("torch.vstack([v, u])", {"v": V, "u": U}), ("torch.vstack([x, v])", {"x": X, "v": V}),
    ("torch.hstack([x, y])", XY), ("torch.dstack([v, u])", {"v": V, "u": U}),
    ("torch.dstack([x, y])", XY), ("torch.column_stack([v, u])", {"v": V, "u": U}),
    ("torch.column_stack([x.t(), v])", {"x": X, "v": V}),
    ("torch.hstack([x.sum(), v])", {"x": X, "v": V}),
    ("torch.vstack([x.sum(), x.sum()])", {"x": X}), ("torch.hstack([x, v])", {"x": X, "v": V}),
    # errors
    ("x.t().view(6)", {"x": X}), ("x.view(4, 2)", {"x": X}), ("x.reshape(4, 2)", {"x": X}),
    ("x.view(-1, -1)", {"x": X}), ("torch.cat([x, torch.ones(2, 4)])", {"x": X}),
    ("torch.cat([x, v])", {"x": X, "v": V}), ("torch.cat([])", {}),
    ("torch.stack([x, x.t()])", {"x": X}), ("torch.stack([])", {}),
    ("x.permute(1, 0, 2)", {"x": X}), ("x.permute(0, 0)", {"x": X}), ("x.unsqueeze(3)", {"x": X}),
    ("x.squeeze(2)", {"x": X}), ("x.transpose(0, 2)", {"x": X}), ("x.expand(3, 3)", {"x": X}),
    ("x.expand(3)", {"x": X}), ("x.flatten(1, 0)", {"x": X}), ("b.t()", {"b": B}),
    ("torch.cat([x, y], 2)", XY),
]

INDEXING = [
    ("x[0]", {"x": X}), ("x[0, 1]", {"x": X}), ("x[:, 1]", {"x": X}), ("x[1:]", {"x": X}),
    ("x[:, 0:2]", {"x": X}), ("x[:, 1:]", {"x": X}), ("x[::2]", {"x": X}), ("x[:, ::2]", {"x": X}),
    ("x[-1]", {"x": X}), ("x[:, -1]", {"x": X}), ("x[0:1]", {"x": X}), ("x[:]", {"x": X}),
    ("x[...]", {"x": X}), ("x[:, :]", {"x": X}), ("x[..., 1]", {"x": X}), ("x[None]", {"x": X}),
    ("x[:, None]", {"x": X}), ("x[0, None]", {"x": X}), ("x[1:5]", {"x": X}),
    ("x[-5:1]", {"x": X}), ("x[2:]", {"x": X}), ("x[:, -3:]", {"x": X}), ("x[:, :5]", {"x": X}),
    ("x[:, 0:3:1]", {"x": X}), ("x[-2:, 1]", {"x": X}), ("x[:, :-0]", {"x": X}),
    ("x[[0, 1]]", {"x": X}), ("x[[1, 1, 0]]", {"x": X}), ("x[:, [0, 2]]", {"x": X}),
    ("x[[0, 1], [2, 0]]", {"x": X}), ("x[x > 2]", {"x": X}),
    ("x[torch.tensor([True, False])]", {"x": X}),
    ("x[torch.tensor(1)]", {"x": X}), ("x[:, torch.tensor(1):]", {"x": X}),
    ("torch.tensor([1, 2, 3])[[0, 0, 2]]", {}),
    ("torch.tensor([[1, 2], [3, 4]])[:, 1]", {}), ("x[torch.tensor([1, 0])]", {"x": X}),
    ("v[[0, 0, 1]]", {"v": V}), ("v[v > 0.15]", {"v": V}), ("v[-1]", {"v": V}),
    ("b[0, :, 1]", {"b": B}), ("b[..., 0]", {"b": B}), ("b[:, [0, 1], 1:]", {"b": B}),
    ("b[[0, 1], :, [0, 2]]", {"b": B}), ("b[b > 0]", {"b": B}), ("b[1, ..., None]", {"b": B}),
    ("b[:, 1][[2, 0]]", {"b": B}),
    ("(x[[0, 0, 1]] * torch.tensor([[1.0], [2.0], [3.0]])).sum()", {"x": X}),
    ("(x[:, 1:] ** 2).sum()", {"x": X}), ("x[0] * x[1]", {"x": X}),
    ("x.gather(1, torch.tensor([[0, 0], [2, 1]]))", {"x": X}), ("x.nonzero()", {"x": Z23}),
    ("torch.nonzero(x, as_tuple=True)[1]", {"x": Z23}), ("x.masked_select(x > 2)", {"x": X}),
    ("torch.masked_select(x, torch.tensor([True, False, True]))", {"x": X}),
    ("torch.masked_select(v, torch.tensor([[True], [False]]))", {"v": V}),
    ("torch.masked_select(x, torch.tensor([1, 0, 1]))", {"x": X}),
    ("torch.gather(b, 2, torch.tensor([[[2], [0]]]))", {"b": B}),
    ("x.index_select(1, torch.tensor([2, 0, 2]))", {"x": X}),
    ("torch.index_select(b, 0, torch.tensor([3, 3]))", {"b": B}),
    ("x.masked_fill(x > 2, 0.0)", {"x": X}),
    ("x.masked_fill(torch.tensor([True, False, True]), -1.0)", {"x": X}),
    ("x.topk(2)", {"x": Y}), ("torch.topk(b, 1, dim=0, largest=False)", {"b": B}),
    ("x.sort(1)", {"x": Y}), ("x.sort(dim=0, descending=True)", {"x": Y}),
    ("torch.sort(v)", {"v": U}),
    ("x.diagonal()", {"x": X}), ("b.diagonal(1, 1, 2)", {"b": B}), ("torch.diag(x)", {"x": X}),
    ("torch.diag(v, 1)", {"v": V}), ("x.trace()", {"x": X}), ("a.trace() * a", {"a": A}),
    ("x.tril()", {"x": X}), ("x.triu(1)", {"x": X}), ("torch.tril(b, -1)", {"b": B}),
    ("x.gather(1, torch.tensor([[3]]))", {"x": X}), ("x.gather(1, torch.tensor([0, 1]))", {"x": X}),
    ("x.index_select(1, torch.tensor([3]))", {"x": X}),
    ("x.masked_fill(x, 0.0)", {"x": X}), ("x.topk(4)", {"x": X}), ("b.trace()", {"b": B}),
    # errors
    ("x[5]", {"x": X}), ("x[-3]", {"x": X}), ("x[0, 0, 0]", {"x": X}), ("x[:, 3]", {"x": X}),
    ("x[[0, 5]]", {"x": X}), ("x[torch.tensor([True, False, True])]", {"x": X}),
    ("x[::-1]", {"x": X}), ("x[1.0]", {"x": X}), ("x.sum()[0]", {"x": X}),
]

REDUCTIONS = [
    ("x.max()", {"x": Y}), ("x.min()", {"x": Y}), ("torch.max(x)", {"x": Y}),
    ("t.max()", {"t": [1.0, 3.0, 3.0]}), ("t.min()", {"t": [2.0, 1.0, 1.0, 1.0]}),
    ("t.max(dim=0)", {"t": [[1.0, 5.0], [1.0, 2.0]]}),
    ("t.max(dim=0).values", {"t": [[1.0, 5.0], [1.0, 2.0]]}),
    ("t.max(0)[0]", {"t": [[1.0, 5.0], [1.0, 2.0]]}), ("x.max(1)", {"x": Y}),
    ("x.max(dim=1, keepdim=True)", {"x": Y}), ("x.min(dim=0)", {"x": Y}),
    ("x.min(1).values", {"x": Y}), ("x.max(-1).indices", {"x": Y}), ("torch.max(x, 1)", {"x": Y}),
    ("torch.min(x, dim=0, keepdim=True)", {"x": Y}), ("v.max(0)", {"v": V}),
    ("torch.max(x, y)", XY), ("torch.min(x, y)", XY),
    ("x.amax()", {"x": Y}), ("x.amax(1)", {"x": Y}), ("x.amin(0)", {"x": Y}),
    ("torch.amax(x, (0, 1))", {"x": Y}), ("t.amax()", {"t": [1.0, 3.0, 3.0]}),
    ("t.amax(1, keepdim=True)", {"t": [[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]]}),
    ("x.argmax()", {"x": Y}), ("x.argmax(1)", {"x": Y}), ("x.argmin(0, keepdim=True)", {"x": Y}),
    ("torch.argmin(x)", {"x": Y}),
    ("x.prod()", {"x": Y}), ("x.prod(1)", {"x": Y}), ("x.prod(0, keepdim=True)", {"x": Y}),
    ("t.prod()", {"t": [2.0, 0.0, 3.0]}), ("t.prod()", {"t": [2.0, 0.0, 0.0]}),
    ("t.prod(1)", {"t": [[2.0, 0.0, 4.0], [3.0, 4.0, 5.0]]}), ("torch.prod(x, 0)", {"x": X}),
    ("x.var()", {"x": Y}), ("x.var(1)", {"x": Y}), ("x.var(0, keepdim=True)", {"x": Y}),
    ("x.var(unbiased=False)", {"x": Y}), ("x.var(correction=0)", {"x": Y}),
    ("x.var(dim=(0, 1))", {"x": Y}), ("torch.var(x, 1, correction=2)", {"x": Y}),
    ("t.var()", {"t": [1.0, 2.0, 4.0]}), ("t.var()", {"t": [2.0]}), ("t.std()", {"t": [2.0]}),
    ("x.std()", {"x": Y}), ("x.std(1)", {"x": Y}), ("x.std(0, unbiased=False)", {"x": Y}),
    ("t.std()", {"t": [2.0, 2.0]}), ("torch.std(x, dim=1, keepdim=True)", {"x": Y}),
    ("x.norm()", {"x": Y}), ("x.norm(p=1)", {"x": Y}), ("x.norm(dim=1)", {"x": Y}),
    ("x.norm(2, 1)", {"x": Y}), ("x.norm(dim=0, keepdim=True)", {"x": Y}),
    ("x.norm(p=float('inf'))", {"x": Y}), ("x.norm(p=3)", {"x": Y}), ("torch.norm(x)", {"x": Y}),
    ("t.norm()", {"t": [0.0, 0.0]}), ("t.norm(p=1)", {"t": [-3.0, 0.0, 4.0]}),
    ("t.norm(p=float('inf'))", {"t": [-3.0, 3.0, 1.0]}),
    ("t.norm(dim=1)", {"t": [[0.0, 0.0], [3.0, 4.0]]}),
    ("torch.logsumexp(x, 1)", {"x": Y}), ("torch.logsumexp(x, dim=0, keepdim=True)", {"x": Y}),
    ("torch.logsumexp(x, (0, 1))", {"x": Y}), ("x.logsumexp(-1)", {"x": Y}),
    ("torch.softmax(x, 1)", {"x": Y}), ("torch.softmax(x, dim=0)", {"x": Y}),
    ("F.softmax(x, dim=1)", {"x": Y}), ("x.softmax(-1)", {"x": Y}),
    ("torch.log_softmax(x, 1)", {"x": Y}), ("F.log_softmax(x, dim=0)", {"x": Y}),
    ("torch.softmax(t, dim=0)", {"t": [1.0, 2.0, 3.0]}),
    ("(torch.softmax(x, 1) * y).sum()", XY), ("(torch.log_softmax(x, 1) * y).sum()", XY),
    ("(torch.logsumexp(x, 1) * torch.tensor([2.0, -1.0])).sum()", {"x": Y}),
    ("F.cross_entropy(x, torch.tensor([2, 0]))", {"x": Y}),
    ("F.cross_entropy(x, torch.tensor([2, 0]), reduction='sum')", {"x": Y}),
    ("F.cross_entropy(x, torch.tensor([1, 1]), reduction='none')", {"x": Y}),
    ("F.cross_entropy(v, torch.tensor(1))", {"v": V}),
    ("F.cross_entropy(x, torch.tensor([2, -100]))", {"x": Y}),
    ("F.cross_entropy(x, torch.tensor([2, 0]), weight=torch.tensor([1.0, 2.0, 3.0]))", {"x": Y}),
    ("F.nll_loss(torch.log_softmax(x, 1), torch.tensor([1, 2]))", {"x": Y}),
    ("F.nll_loss(x, torch.tensor([0, 2]), reduction='sum')", {"x": Y}),
    ("F.cross_entropy(x, torch.softmax(y, 1))", XY),
    ("(x.max() - x.min()) * x.var()", {"x": Y}),
    ("F.cross_entropy(k, torch.tensor([[0, 1, 2, 1], [2, 2, 0, 1]]))", {"k": K}),
    ("F.cross_entropy(k, torch.tensor([[0, 1, 2, 1], [2, 2, 0, 1]]), reduction='none')", {"k": K}),
    ("F.cross_entropy(q, torch.tensor([[[0, 1], [2, 1]], [[2, 2], [0, -100]]]))", {"q": Q}),
    ("F.cross_entropy(q, torch.tensor([[[0, 1], [2, 1]], [[2, 2], [0, 1]]]), reduction='none')",
     {"q": Q}),
    ("F.cross_entropy(x, torch.tensor([-100, -100]))", {"x": Y}),
    ("F.cross_entropy(x, torch.tensor([0, 1]), label_smoothing=0.1)", {"x": Y}),
    ("F.cross_entropy(x, torch.tensor([0, 1]), label_smoothing=0.1, reduction='sum')", {"x": Y}),
    ("F.cross_entropy(x, torch.tensor([0, 1]), label_smoothing=0.1, reduction='none')", {"x": Y}),
    ("F.cross_entropy(x, torch.tensor([0, -100]), label_smoothing=0.25)", {"x": Y}),
    ("F.cross_entropy(x, torch.softmax(y, 1), label_smoothing=0.1)", XY),
    ("F.cross_entropy(x[0], torch.tensor(1), label_smoothing=0.2)", {"x": Y}),
    ("F.cross_entropy(k, torch.tensor([[0, 1, 2, 1], [2, 2, 0, 1]]), label_smoothing=0.3)",
     {"k": K}),
    ("x.sum((0, 1))", {"x": Y}), ("x.sum(-1)", {"x": Y}),
    ("torch.sum(x, 1, keepdim=True)", {"x": Y}),
    ("x.mean((-1, 0), keepdim=True)", {"x": Y}), ("x.mean(-2)", {"x": Y}),
    ("x.sum(dim=2)", {"x": Y}),
    ("x.mean(dim=(0, 2))", {"x": Y}),
    ("linalg.norm(x)", {"x": Y}), ("linalg.norm(x, 'fro')", {"x": Y}),
    ("linalg.norm(x, float('inf'))", {"x": Y}), ("linalg.norm(x, 1)", {"x": Y}),
    ("linalg.norm(x, -1)", {"x": Y}), ("linalg.norm(x, float('-inf'), keepdim=True)", {"x": Y}),
    ("linalg.norm(v, 1)", {"v": U}), ("linalg.norm(x, dim=1)", {"x": Y}),
    ("linalg.norm(x, 3, dim=1)", {"x": Y}), ("linalg.vector_norm(x)", {"x": Y}),
    ("linalg.vector_norm(x, 1, dim=(0, 1))", {"x": Y}),
    ("linalg.vector_norm(x, ord=float('inf'))", {"x": Y}), ("linalg.matrix_norm(b)", {"b": B}),
    ("linalg.matrix_norm(b, 1, dim=(0, 2))", {"b": B}), ("linalg.norm(x, 3)", {"x": Y}),
    ("linalg.norm(v, 'fro')", {"v": U}),
    ("torch.tensor([[1, 5], [3, 2]]).max()", {}), ("torch.tensor([[1, 5], [3, 2]]).min(0)", {}),
    ("torch.tensor([[1, 5], [3, 2]]).prod(1)", {}), ("torch.tensor([True, True]).prod()", {}),
    ("torch.tensor([[1, 5], [3, 2]]).argmax()", {}), ("torch.tensor([[1, 5], [3, 2]]).amax(1)", {}),
    ("torch.tensor([3.0, float('nan'), 1.0]).max()", {}),
    ("torch.tensor([3.0, float('nan'), 1.0]).max(0)", {}),
    ("torch.tensor([3.0, float('nan'), 1.0]).argmax()", {}),
    ("x.median()", {"x": Y}), ("t.median()", {"t": [1.0, 2.0, 2.0, 2.0, 5.0, 2.0]}),
    ("t.median(1)", {"t": [[1.0, 3.0, 3.0, 2.0], [4.0, 6.0, 5.0, 1.0]]}),
    ("torch.median(x, 0, keepdim=True)", {"x": Y}),
    ("torch.tensor([3.0, 1.0, 2.0, 4.0]).median()", {}),
    ("torch.tensor([float('nan'), 1.0]).median()", {}), ("torch.tensor([1, 5, 2]).median()", {}),
    ("x.cumsum(1)", {"x": Y}), ("torch.cumsum(x, dim=0) * y", XY), ("b.cumsum(-1)", {"b": B}),
    ("x.cumprod(1)", {"x": Y}), ("t.cumprod(0)", {"t": [2.0, 0.0, 3.0, 4.0]}),
    ("t.cumprod(1)", {"t": [[0.0, 2.0, 0.0], [1.0, 2.0, 3.0]]}), ("x.cumsum(2)", {"x": Y}),
    # one element holding 0: the gradient is the incoming one (no 0/0, no Jacobian)
    ("t.cumprod(0) * 3", {"t": 0.0}), ("t.cumprod(0) * 3", {"t": [0.0]}),
    ("torch.cumprod(t, -1) * 3", {"t": [[0.0]]}), ("t.cumprod(1) * 3", {"t": [[0.0], [2.0]]}),
    ("torch.tensor([1, 2, 3]).cumsum(0)", {}), ("x.sum().cumsum(0)", {"x": Y}),
    ("x.any()", {"x": Z23}), ("x.all(1)", {"x": Z23}),
    ("torch.any(x, dim=0, keepdim=True)", {"x": Z23}),
    ("(x > 0).all()", {"x": Z23}), ("torch.count_nonzero(x)", {"x": Z23}),
    ("x.count_nonzero(1)", {"x": Z23}), ("torch.any([True, False])", {}),
    ("torch.all([True])", {}), ("x.any(dim=(0, 1))", {"x": Z23}),
    ("torch.tensor([3.0, 7.0, 3.0 in x, 7.0 in x])", {"x": Z23}),
    # errors and warnings
    ("F.softmax(x)", {"x": Y}), ("torch.tensor([1, 2]).var()", {}), ("x.max(2)", {"x": Y}),
    ("torch.logsumexp(x, 2)", {"x": Y}), ("F.cross_entropy(x, torch.tensor([3, 0]))", {"x": Y}),
    ("F.cross_entropy(x, torch.tensor([1, 0, 2]))", {"x": Y}), ("torch.ones(0).max()", {}),
    ("F.nll_loss(x, torch.tensor([0.0, 1.0]))", {"x": Y}),
]

LINALG = [
    ("torch.mm(a, w)", {"a": A, "w": W}), ("a @ w", {"a": A, "w": W}),
    ("torch.matmul(a, w)", {"a": A, "w": W}), ("a.mm(w)", {"a": A, "w": W}),
    ("v @ u", {"v": V, "u": U}), ("x @ v", {"x": X, "v": V}), ("v @ x.t()", {"v": V, "x": X}),
    ("u[:2] @ a", {"u": U, "a": A}), ("b @ c", {"b": B, "c": C}), ("b @ m", {"b": B, "m": M35}),
    ("b @ v", {"b": B, "v": V}), ("v @ c", {"v": V, "c": C}), ("x @ c", {"x": X, "c": C}),
    ("d @ c", {"d": B4, "c": C}), ("v @ e", {"v": V, "e": C3}), ("b @ torch.ones(3, 5)", {"b": B}),
    ("b.transpose(1, 2) @ torch.ones(2, 5)", {"b": B}), ("torch.bmm(b, c)", {"b": B, "c": C}),
    ("torch.dot(v, u)", {"v": V, "u": U}), ("torch.mv(x, v)", {"x": X, "v": V}),
    ("x.mv(v)", {"x": X, "v": V}), ("torch.outer(v, u)", {"v": V, "u": U}),
    ("v.outer(u)", {"v": V, "u": U}),
    ("x.mm(x.t())", {"x": X}), ("(x @ y.t()) * 2", XY), ("(x * 2) @ v", {"x": X, "v": V}),
    ("torch.tensor([[1, 2], [3, 4]]) @ torch.tensor([[1, 0], [2, 1]])", {}),
    ("x @ torch.ones(3, 2)", {"x": X}),
    ("b @ z", {"b": B, "z": Z}), ("b.detach() @ z", {"b": B, "z": Z}),
    ("b @ z.detach()", {"b": B, "z": Z}), ("z.transpose(1, 2) @ c", {"z": Z, "c": C}),
    ("z.transpose(1, 2).detach() @ c", {"z": Z, "c": C}), ("z @ z.transpose(1, 2)", {"z": Z}),
    ("d @ z", {"d": B4, "z": Z}), ("x @ z", {"x": X, "z": Z}), ("v @ z", {"v": V, "z": Z}),
    ("b @ z[0, :, 0]", {"b": B, "z": Z}),
    # errors
    ("torch.mm(x, y)", XY), ("x @ y", XY), ("torch.ones(3) @ torch.ones(4)", {}),
    ("torch.dot(torch.ones(2), torch.ones(3))", {}), ("x @ torch.ones(4)", {"x": X}),
    ("torch.mm(v, x)", {"v": V, "x": X}), ("torch.mm(x, v)", {"v": V, "x": X}),
    ("torch.ones(2, 2, 3) @ torch.ones(2, 4, 5)", {}), ("torch.dot(x, y)", XY),
    ("torch.bmm(x, y)", XY), ("torch.outer(x, v)", {"x": X, "v": V}),
    ("torch.mm(x, torch.ones(3, 2, dtype=torch.float64))", {"x": X}),
    ("torch.dot(v, torch.ones(3, dtype=torch.float64))", {"v": V}),
    ("torch.ones(5, 2, 3) @ torch.ones(4, 3, 5)", {}), ("x.sum() @ v", {"x": X, "v": V}),
]

AREAS = {"shapes": SHAPES, "indexing": INDEXING, "reductions": REDUCTIONS, "linalg": LINALG}


def record_case(area, expression, inputs, dtype_name):
    dtype = DTYPES[dtype_name]
    leaves = {n: torch.tensor(v, dtype=dtype, requires_grad=True) for n, v in inputs.items()}
    scope = {"torch": torch, "F": F, "linalg": torch.linalg, "float": float, "list": list,
             **leaves}
    record = {"area": area, "expression": expression, "dtype": dtype_name, "inputs": inputs}
    out = record_expression(expression, scope, record)
    if out is None:
        return record
    record["is_leaf"] = out.is_leaf
    if out.requires_grad:
        (out if out.dim() == 0 else out.sum()).backward()
        record["grads"] = {n: None if t.grad is None else t.grad.tolist()
                           for n, t in leaves.items()}
        try:            # a second backward fails exactly when some node saved a tensor
            (out if out.dim() == 0 else out.sum()).backward()
            record["second_backward"] = None
        except RuntimeError as error:
            record["second_backward"] = str(error)
    return record


def transpose_warning_case():
    """`x.T` on a non-2-D tensor warns once per process, however often it runs."""
    v = torch.tensor(V, requires_grad=True)
    b = torch.tensor(B, requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first, second = v.T, b.T
    return {"program": "p = v.T\nq = b.T\nq", "inputs": {"v": V, "b": B},
            "warnings": [strip_location(str(w.message)) for w in caught],
            "repr_first": repr(first), "shape": list(second.shape),
            "graph": graph(second.grad_fn)}


def main():
    # first, before any other `.T`, so that PyTorch's once-per-process warning is seen here
    transpose = transpose_warning_case()
    cases = [record_case(area, e, i, d) for area, table in AREAS.items()
             for d in DTYPES for e, i in table]
    OUT.write_text(json.dumps({"torch": torch.__version__, "transpose_warning": transpose,
                               "cases": cases}, indent=1) + "\n")
    print(f"{len(cases)} cases -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
