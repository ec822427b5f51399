"""Programs that make one autograd node of each kind gradcli builds (each also Python over
torch), for the saved-tensor attributes (`node._saved_self`, `_saved_result`, `_saved_dim`, ...).
Each case: (setup program, the expression naming the node, the statement that runs backward).
record_saved_tensors.py probes them with PyTorch 2.13; tests/engine/test_saved_tensors_*.py
replay the same probes through gradcli."""

HEAD = (
    "import torch\nimport torch.nn.functional as F\n"
    "x = torch.tensor([[1.0, -2.0, 3.0], [0.5, 2.5, -1.5]], requires_grad=True)\n"
    "w = torch.tensor([[0.5, 1.5, -1.0], [2.0, -0.5, 1.0]], requires_grad=True)\n")
P = "p = torch.tensor([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], requires_grad=True)\n"
V = ("v = torch.tensor([1.0, 2.0, -3.0], requires_grad=True)\n"
     "u = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)\n")
M = ("a = torch.tensor([[1.0, 2.0], [3.0, -4.0]], requires_grad=True)\n"
     "b = torch.tensor([[0.5, -1.0], [2.0, 1.5]], requires_grad=True)\n")
B3 = ("a = torch.arange(12.0).reshape(2, 2, 3).requires_grad_()\n"
      "b = torch.arange(12.0).reshape(2, 3, 2).requires_grad_()\n")
T = "t = x * 1\n"                       # a non-leaf to modify in place
SUM = "y.sum().backward()"
SECOND = "torch.autograd.grad(y.sum(), x)"     # `y` is itself a gradient

# (setup, node expression, backward statement); the node is `y.grad_fn` unless named
CASES = [
    # arithmetic
    (HEAD + "y = x + w", "y.grad_fn", SUM),
    (HEAD + "y = x + 2", "y.grad_fn", SUM),
    (HEAD + "y = torch.add(x, w, alpha=2)", "y.grad_fn", SUM),
    (HEAD + "y = torch.add(x, w, alpha=1.5)", "y.grad_fn", SUM),
    (HEAD + "y = x - w", "y.grad_fn", SUM),
    (HEAD + "y = x - 2", "y.grad_fn", SUM),
    (HEAD + "y = 2 - x", "y.grad_fn", SUM),
    (HEAD + "y = -x", "y.grad_fn", SUM),
    (HEAD + "y = x * w", "y.grad_fn", SUM),
    (HEAD + "y = x * 3", "y.grad_fn", SUM),
    (HEAD + "y = 2.5 * x", "y.grad_fn", SUM),
    (HEAD + "c = torch.tensor([[2.0, 3.0, 4.0]])\ny = x * c", "y.grad_fn", SUM),
    (HEAD + "t = x * 2\ny = t * w", "y.grad_fn", SUM),
    (HEAD + "y = x * x", "y.grad_fn", SUM),
    (HEAD + "y = x.double() * 3", "y.grad_fn", SUM),
    (HEAD + "y = x * True", "y.grad_fn", SUM),
    (HEAD + "y = x.double() / 0.5", "y.grad_fn", SUM),
    (HEAD + "y = x.detach() * w", "y.grad_fn", SUM),
    (HEAD + "y = x / w", "y.grad_fn", SUM),
    (HEAD + "y = x.detach() / w", "y.grad_fn", SUM),
    (HEAD + "y = x / w.detach()", "y.grad_fn", SUM),
    (HEAD + "y = x / 2", "y.grad_fn", SUM),
    (HEAD + "y = 2 / x", "y.grad_fn", SUM),
    (HEAD + "y = x % 2", "y.grad_fn", SUM),
    (HEAD + "y = x.reciprocal()", "y.grad_fn", SUM),
    (HEAD + "y = x ** 2", "y.grad_fn", SUM),
    (HEAD + P + "y = p ** 0.5", "y.grad_fn", SUM),
    (HEAD + P + "y = p ** w", "y.grad_fn", SUM),
    (HEAD + P + "y = p ** w.detach()", "y.grad_fn", SUM),
    (HEAD + P + "y = p.detach() ** w", "y.grad_fn", SUM),
    (HEAD + "y = 2 ** x", "y.grad_fn", SUM),
    # pointwise
    (HEAD + "y = x.exp()", "y.grad_fn", SUM),
    (HEAD + "t = x * 2\ny = t.exp()", "y.grad_fn", SUM),
    (HEAD + P + "y = p.log()", "y.grad_fn", SUM),
    (HEAD + P + "y = p.log2()", "y.grad_fn", SUM),
    (HEAD + P + "y = p.log10()", "y.grad_fn", SUM),
    (HEAD + P + "y = p.log1p()", "y.grad_fn", SUM),
    (HEAD + "y = x.expm1()", "y.grad_fn", SUM),
    (HEAD + P + "y = p.sqrt()", "y.grad_fn", SUM),
    (HEAD + P + "y = p.rsqrt()", "y.grad_fn", SUM),
    (HEAD + "y = x.sin()", "y.grad_fn", SUM),
    (HEAD + "y = x.sin()", "y.grad_fn", "y.sum().backward(retain_graph=True)"),
    (HEAD + "y = x.sin()\nwith torch.no_grad():\n    x.mul_(2)", "y.grad_fn", SUM),
    (HEAD + "y = x.exp()\ny.add_(1)", "y.grad_fn", SUM),
    (HEAD + "t = x * 2\ny = t.sin()", "y.grad_fn", SUM),
    (HEAD + "y = x.cos()", "y.grad_fn", SUM),
    (HEAD + "y = x.tan()", "y.grad_fn", SUM),
    (HEAD + P + "y = p.asin()", "y.grad_fn", SUM),
    (HEAD + P + "y = p.acos()", "y.grad_fn", SUM),
    (HEAD + "y = x.atan()", "y.grad_fn", SUM),
    (HEAD + "y = x.sinh()", "y.grad_fn", SUM),
    (HEAD + "y = x.cosh()", "y.grad_fn", SUM),
    (HEAD + "y = x.tanh()", "y.grad_fn", SUM),
    (HEAD + "y = x.sigmoid()", "y.grad_fn", SUM),
    (HEAD + "y = torch.erf(x)", "y.grad_fn", SUM),
    (HEAD + "y = x.abs()", "y.grad_fn", SUM),
    (HEAD + "y = x.sign()", "y.grad_fn", SUM),
    (HEAD + "y = x.relu()", "y.grad_fn", SUM),
    (HEAD + "y = F.leaky_relu(x, 0.2)", "y.grad_fn", SUM),
    (HEAD + "y = F.elu(x)", "y.grad_fn", SUM),
    (HEAD + "y = F.silu(x)", "y.grad_fn", SUM),
    (HEAD + "y = F.gelu(x)", "y.grad_fn", SUM),
    (HEAD + "y = F.gelu(x, approximate='tanh')", "y.grad_fn", SUM),
    (HEAD + "y = F.softplus(x)", "y.grad_fn", SUM),
    (HEAD + "y = x.clamp(0, 1)", "y.grad_fn", SUM),
    (HEAD + "y = x.clamp(min=0)", "y.grad_fn", SUM),
    (HEAD + "y = torch.clamp_min(x, 0.5)", "y.grad_fn", SUM),
    (HEAD + "y = torch.clamp_max(x, 0.5)", "y.grad_fn", SUM),
    (HEAD + "y = x.clamp(min=w)", "y.grad_fn", SUM),
    (HEAD + "y = torch.maximum(x, w)", "y.grad_fn", SUM),
    (HEAD + "y = torch.maximum(x, w.detach())", "y.grad_fn", SUM),
    (HEAD + "y = torch.minimum(x, w)", "y.grad_fn", SUM),
    (HEAD + "y = torch.where(x > 0, x, w)", "y.grad_fn", SUM),
    (HEAD + "y = torch.where(x > 0, x, 0.0)", "y.grad_fn", SUM),
    (HEAD + "y = x.clamp(max=w)", "y.grad_fn", SUM),
    (HEAD + "y = x.detach().clamp(min=w.detach(), max=w)", "y.grad_fn", SUM),
    (HEAD + "y = torch.minimum(x.detach(), w)", "y.grad_fn", SUM),
    (HEAD + "y = x.masked_fill(x > 0, 0.5)", "y.grad_fn", SUM),
    # reductions
    (HEAD + "y = x.sum()", "y.grad_fn", SUM),
    (HEAD + "y = x.sum(dim=1)", "y.grad_fn", SUM),
    (HEAD + "y = x.sum(dim=(0, 1), keepdim=True)", "y.grad_fn", SUM),
    (HEAD + "y = x.mean()", "y.grad_fn", SUM),
    (HEAD + "y = x.mean(dim=0)", "y.grad_fn", SUM),
    (HEAD + "y = x.prod()", "y.grad_fn", SUM),
    (HEAD + "y = x.prod(dim=1)", "y.grad_fn", SUM),
    (HEAD + "y = x.max()", "y.grad_fn", SUM),
    (HEAD + "y = x.max(dim=0).values", "y.grad_fn", SUM),
    (HEAD + "y = x.min()", "y.grad_fn", SUM),
    (HEAD + "y = x.min(dim=1, keepdim=True).values", "y.grad_fn", SUM),
    (HEAD + "y = x.amax()", "y.grad_fn", SUM),
    (HEAD + "y = x.amin(dim=1)", "y.grad_fn", SUM),
    (HEAD + "y = x.median()", "y.grad_fn", SUM),
    (HEAD + "y = x.median(dim=1).values", "y.grad_fn", SUM),
    (HEAD + "y = x.var()", "y.grad_fn", SUM),
    (HEAD + "y = x.var(dim=0, unbiased=False, keepdim=True)", "y.grad_fn", SUM),
    (HEAD + "y = x.std(dim=1)", "y.grad_fn", SUM),
    (HEAD + "y = x.norm()", "y.grad_fn", SUM),
    (HEAD + "y = x.norm(p=1, dim=1)", "y.grad_fn", SUM),
    (HEAD + "y = torch.logsumexp(x, dim=1)", "y.grad_fn", SUM),
    (HEAD + "y = torch.softmax(x, dim=1)", "y.grad_fn", SUM),
    (HEAD + "y = torch.log_softmax(x, dim=1)", "y.grad_fn", SUM),
    (HEAD + "y = x.cumsum(1)", "y.grad_fn", SUM),
    (HEAD + "y = x.cumprod(1)", "y.grad_fn", SUM),
    (HEAD + "y = x.sort(dim=1).values", "y.grad_fn", SUM),
    (HEAD + "y = x.topk(2, dim=1).values", "y.grad_fn", SUM),
    # linear algebra
    (HEAD + M + "y = a @ b", "y.grad_fn", SUM),
    (HEAD + M + "y = torch.mm(a, b.detach())", "y.grad_fn", SUM),
    (HEAD + M + "y = torch.mm(a.detach(), b)", "y.grad_fn", SUM),
    (HEAD + M + "y = a.t() @ b", "y.grad_fn", SUM),
    (HEAD + V + "y = x.detach() @ v", "y.grad_fn", SUM),
    (HEAD + V + "y = torch.dot(v, u.detach())", "y.grad_fn", SUM),
    (HEAD + B3 + "y = torch.bmm(a.detach(), b)", "y.grad_fn", SUM),
    (HEAD + V + "y = x @ v", "y.grad_fn", SUM),
    (HEAD + V + "y = v @ u", "y.grad_fn", SUM),
    (HEAD + M + "y = torch.tensor([1.0, 2.0]) @ a", "y.grad_fn", SUM),
    (HEAD + B3 + "y = torch.bmm(a, b)", "y.grad_fn", SUM),
    (HEAD + B3 + "y = a @ b", "y.grad_fn", SUM),
    (HEAD + M + "y = a.trace()", "y.grad_fn", SUM),
    # shapes and views
    (HEAD + "y = x.t()", "y.grad_fn", SUM),
    (HEAD + "y = x.T", "y.grad_fn", SUM),
    (HEAD + "y = x.transpose(0, 1)", "y.grad_fn", SUM),
    (HEAD + "y = x.permute(1, 0)", "y.grad_fn", SUM),
    (HEAD + "y = x.reshape(3, 2)", "y.grad_fn", SUM),
    (HEAD + "y = x.view(-1)", "y.grad_fn", SUM),
    (HEAD + "y = x.t().reshape(6)", "y.grad_fn", SUM),
    (HEAD + "y = x.t().reshape(3, 2)", "y.grad_fn", SUM),
    (HEAD + "y = x[:, :2].reshape(4)", "y.grad_fn", SUM),
    (HEAD + "y = x.unsqueeze(0)", "y.grad_fn", SUM),
    (HEAD + "y = x.squeeze()", "y.grad_fn", SUM),
    (HEAD + "y = x.squeeze(0)", "y.grad_fn", SUM),
    (HEAD + "y = x.unsqueeze(0).squeeze((0, 1))", "y.grad_fn", SUM),
    (HEAD + "y = x.expand(4, 2, 3)", "y.grad_fn", SUM),
    (HEAD + "y = x[0]", "y.grad_fn", SUM),
    (HEAD + "y = x[:, 1:3]", "y.grad_fn", SUM),
    (HEAD + "y = x[...]", "y.grad_fn", SUM),
    (HEAD + "y = x[[0, 1, 1]]", "y.grad_fn", SUM),
    (HEAD + "y = x[x > 0]", "y.grad_fn", SUM),
    (HEAD + "y = x.masked_select(x > 0)", "y.grad_fn", SUM),
    (HEAD + "y = x.index_select(1, torch.tensor([2, 0]))", "y.grad_fn", SUM),
    (HEAD + "y = x.gather(1, torch.tensor([[0, 2], [1, 1]]))", "y.grad_fn", SUM),
    (HEAD + "y = x.diagonal()", "y.grad_fn", SUM),
    (HEAD + V + "y = torch.diag(v)", "y.grad_fn", SUM),
    (HEAD + M + "y = torch.diag(a)", "y.grad_fn", SUM),
    (HEAD + "y = x.tril()", "y.grad_fn", SUM),
    (HEAD + "y = x.triu(1)", "y.grad_fn", SUM),
    (HEAD + "y = x.flip(0)", "y.grad_fn", SUM),
    (HEAD + "y = x.roll(1, 1)", "y.grad_fn", SUM),
    (HEAD + "y = x.roll(1)", "y.grad_fn", SUM),
    (HEAD + "y = x.repeat(2, 1)", "y.grad_fn", SUM),
    (HEAD + "y = torch.cat([x, w], dim=1)", "y.grad_fn", SUM),
    (HEAD + "y = torch.stack([x, w])", "y.grad_fn", SUM),
    (HEAD + "y, z = x.split(1)", "y.grad_fn", "(y + z).sum().backward()"),
    (HEAD + "y, z = x.split([1, 2], dim=1)", "y.grad_fn", "(y.sum() + z.sum()).backward()"),
    (HEAD + "y, z = x.unbind(0)", "y.grad_fn", "(y + z).sum().backward()"),
    (HEAD + "y = x.clone()", "y.grad_fn", SUM),
    (HEAD + "y = x.double()", "y.grad_fn", SUM),
    # in place
    (HEAD + T + "t.add_(1)\ny = t", "y.grad_fn", SUM),
    (HEAD + T + "t.zero_()\ny = t", "y.grad_fn", SUM),
    (HEAD + T + "t.fill_(2.0)\ny = t", "y.grad_fn", SUM),
    (HEAD + T + "t.fill_(torch.tensor(2.0))\ny = t", "y.grad_fn", SUM),
    (HEAD + T + "t.copy_(w)\ny = t", "y.grad_fn", SUM),
    (HEAD + T + "t[0] = 5.0\ny = t", "y.grad_fn", SUM),
    (HEAD + T + "t[0] = w[1]\ny = t", "y.grad_fn", SUM),
    (HEAD + T + "t[torch.tensor([1])] = 5.0\ny = t", "y.grad_fn", SUM),
    (HEAD + T + "r = t[0]\nr.mul_(2)\ny = r", "y.grad_fn", SUM),
    (HEAD + T + "t.sigmoid_()\ny = t", "y.grad_fn", SUM),
    (HEAD + T + "t.mul_(w)\ny = t", "y.grad_fn", SUM),
    (HEAD + T + "t.mul_(2)\ny = t", "y.grad_fn", SUM),
    (HEAD + T + "t.sin_()\ny = t", "y.grad_fn", SUM),
    (HEAD + T + "t.pow_(2)\ny = t", "y.grad_fn", SUM),
    (HEAD + T + "t.clamp_(0, 1)\ny = t", "y.grad_fn", SUM),
    (HEAD + T + "t.div_(w)\ny = t", "y.grad_fn", SUM),
    (HEAD + T + "r = t[0:1]\nr.mul_(2)\ny = r", "y.grad_fn", SUM),
    (HEAD + T + "r = t[:, 1]\nr.add_(w[:, 0])\ny = r", "y.grad_fn", SUM),
    (HEAD + T + "r = t.t()[1:]\nr.mul_(2)\ny = r", "y.grad_fn", SUM),
    (HEAD + T + "r = t[1]\nt.mul_(2)\ny = r", "y.grad_fn", SUM),
    (HEAD + T + "r = t[:, 1:]\nt.add_(1)\ny = r", "y.grad_fn", SUM),
    # losses
    (HEAD + P + "y = F.mse_loss(x, w)", "y.grad_fn", SUM),
    (HEAD + P + "y = F.mse_loss(x, w.detach(), reduction='sum')", "y.grad_fn", SUM),
    (HEAD + P + "y = F.binary_cross_entropy(p, torch.tensor([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0]]))",
     "y.grad_fn", SUM),
    (HEAD + "y = F.binary_cross_entropy_with_logits(x, torch.tensor([[0.0, 1.0, 1.0], "
     "[1.0, 0.0, 1.0]]))", "y.grad_fn", SUM),
    (HEAD + "y = F.cross_entropy(x, torch.tensor([2, 0]))", "y.grad_fn", SUM),
    (HEAD + "y = F.nll_loss(x.reshape(1, 2, 3, 1), torch.tensor([[[1], [0], [1]]]))",
     "y.grad_fn", SUM),
    (HEAD + "y = F.nll_loss(x, torch.tensor([1, 2]), weight=torch.tensor([1.0, 2.0, 3.0]), "
     "reduction='sum')", "y.grad_fn", SUM),
    (HEAD + "y = F.nll_loss(x, torch.tensor([1, 2]), ignore_index=2)", "y.grad_fn", SUM),
    (HEAD + "y = F.nll_loss(x, torch.tensor([0, 2]), weight=torch.tensor([1.0, 2.0, 3.0]), "
     "reduction='none')", "y.grad_fn", SUM),
    (HEAD + "y = F.nll_loss(x.reshape(1, 2, 3), torch.tensor([[0, 1, 1]]))", "y.grad_fn", SUM),
    (HEAD + "y = F.nll_loss(x[0], torch.tensor(2))", "y.grad_fn", SUM),
    (HEAD + "y = F.cross_entropy(x, torch.tensor([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]]))",
     "y.grad_fn", SUM),
    (HEAD + "tp = torch.tensor([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]], requires_grad=True)\n"
     "y = F.cross_entropy(x, tp, label_smoothing=0.1)",
     "y.grad_fn.next_functions[0][0].next_functions[0][0].next_functions[0][0].next_functions[1][0]",
     SUM),
    (HEAD + "y = F.cross_entropy(x, torch.tensor([2, 0]), label_smoothing=0.1)",
     "y.grad_fn.next_functions[0][0]", SUM),
    # random draws that keep the graph
    (HEAD + T + "t.uniform_()\ny = t", "y.grad_fn", SUM),
    (HEAD + T + "t.normal_()\ny = t", "y.grad_fn", SUM),
    (HEAD + T + "t.random_(0, 5)\ny = t", "y.grad_fn", SUM),
    (HEAD + T + "t.random_(5)\ny = t", "y.grad_fn", SUM),
    (HEAD + T + "t.random_()\ny = t", "y.grad_fn", SUM),
    (HEAD + P + "y = torch.bernoulli(p)", "y.grad_fn", SUM),
    (HEAD + P + "t = p * 1\nt.bernoulli_(p)\ny = t", "y.grad_fn", SUM),
    (HEAD + "y = torch.normal(x, 1.0)", "y.grad_fn", SUM),
    (HEAD + P + "y = torch.normal(0.0, p)", "y.grad_fn", SUM),
    (HEAD + P + "y = torch.normal(x, p)", "y.grad_fn", SUM),
    # second-order nodes: `y` is a gradient made with create_graph=True
    (HEAD + P + "tg = torch.tensor([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0]])\n"
     "y = torch.autograd.grad(F.binary_cross_entropy(p, tg), p, create_graph=True)[0]",
     "y.grad_fn", "torch.autograd.grad(y.sum(), p)"),
    (HEAD + "y = torch.autograd.grad(F.mse_loss(x, w), x, create_graph=True)[0]",
     "y.grad_fn", SECOND),
    (HEAD + "y = torch.autograd.grad(x.sigmoid().sum(), x, create_graph=True)[0]",
     "y.grad_fn", SECOND),
    (HEAD + "y = torch.autograd.grad(x.tanh().sum(), x, create_graph=True)[0]",
     "y.grad_fn", SECOND),
    (HEAD + "y = torch.autograd.grad(F.elu(x).sum(), x, create_graph=True)[0]",
     "y.grad_fn", SECOND),
    (HEAD + "y = torch.autograd.grad(F.gelu(x).sum(), x, create_graph=True)[0]",
     "y.grad_fn", SECOND),
    (HEAD + "y = torch.autograd.grad(F.leaky_relu(x).sum(), x, create_graph=True)[0]",
     "y.grad_fn", SECOND),
    (HEAD + "y = torch.autograd.grad(F.softplus(x).sum(), x, create_graph=True)[0]",
     "y.grad_fn", SECOND),
    (HEAD + "y = torch.autograd.grad((torch.softmax(x, dim=1) * w).sum(), x, create_graph=True)[0]",
     "y.grad_fn", SECOND),
    (HEAD + "y = torch.autograd.grad((torch.log_softmax(x, dim=1) * w).sum(), x,"
     " create_graph=True)[0]", "y.grad_fn", SECOND),
    (HEAD + "y = torch.autograd.grad((x.relu() * x).sum(), x, create_graph=True)[0]",
     "y.grad_fn.next_functions[1][0]", SECOND),
    (HEAD + "y = torch.autograd.grad((x[0] * x[0]).sum(), x, create_graph=True)[0]",
     "y.grad_fn.next_functions[0][0]", SECOND),
    (HEAD + "y = torch.autograd.grad((x[:, 1:3] ** 2).sum(), x, create_graph=True)[0]",
     "y.grad_fn", SECOND),
    (HEAD + "y = torch.autograd.grad((x.diagonal() ** 2).sum(), x, create_graph=True)[0]",
     "y.grad_fn", SECOND),
    (HEAD + "y = torch.autograd.grad((x.gather(1, torch.tensor([[0, 2], [1, 1]])) ** 2).sum(), x,"
     " create_graph=True)[0]", "y.grad_fn", SECOND),
    (HEAD + "y = torch.autograd.grad((x.index_select(1, torch.tensor([2, 0])) ** 2).sum(), x,"
     " create_graph=True)[0]", "y.grad_fn", SECOND),
    (HEAD + "y = torch.autograd.grad((x.masked_select(x > 0) ** 2).sum(), x, "
     "create_graph=True)[0]", "y.grad_fn", SECOND),
]

# Programs about reading saved values, each leaving `result` (or raising): which names exist,
# identity across reads, freeing by autograd.grad and retain_graph, in-place changes.
X = "import torch\nx = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)\n"
PROGRAMS = [
    X + "y = x * 2\nresult = y.grad_fn._saved_foo",
    X + "y = x * 2\nresult = y.grad_fn.next_functions[0][0]._saved_self",
    X + "y = x + 1\nresult = y.grad_fn._saved_self",
    X + "y = x.exp()\nr = y.grad_fn._saved_result\n"
        "result = [(r == y).all().item(), r is y, r is y.grad_fn._saved_result, r.grad_fn is y.grad_fn,"
        " r.requires_grad, r.is_leaf]",
    X + "y = x * 3\nn = y.grad_fn\n"
        "result = [n._saved_other is n._saved_other, n._saved_other.dtype, n._saved_other.shape]",
    X + "y = x.sin()\nresult = [y.grad_fn._saved_self is x, y.grad_fn._saved_self is y.grad_fn._saved_self]",
    X + "y = x.sin()\ng = torch.autograd.grad(y.sum(), x)\nresult = y.grad_fn._saved_self",
    X + "y = x.sin()\ng = torch.autograd.grad(y.sum(), x, retain_graph=True)\n"
        "a = y.grad_fn._saved_self.tolist()\ny.sum().backward()\n"
        "try:\n    b = y.grad_fn._saved_self\nexcept RuntimeError as e:\n    b = str(e)[:40]\n"
        "result = [a, b, x.grad.shape]",
    X + "y = x.exp()\ne = y.grad_fn\ny.add_(1)\nresult = [y.grad_fn.name(), e._saved_result]",
    X + "t = x * 1\ny = t.sin()\nt.add_(1)\nresult = y.grad_fn._saved_self",
    X + "y = x.sum()\ny.backward()\n"
        "result = [y.grad_fn._saved_self_sym_sizes, y.grad_fn.name()]",
    # autograd.grad frees only the nodes it runs: one leading to no input keeps what it saved
    X + "w = torch.tensor([3.0, 4.0, 5.0], requires_grad=True)\nb = w * 3\ns = (x + b).sum()\n"
        "g = torch.autograd.grad(s, x)\nkept = b.grad_fn._saved_other\n"
        "(x * 2 + b).sum().backward()\nresult = [kept, w.grad]",
    X + "y = (x * 2).sum()\nnode = y.grad_fn.next_functions[0][0]\ny.backward()\n"
        "result = type(node._raw_saved_other).__name__",
    X + "t = x * 1\nt.sin_()\nresult = [t.grad_fn._saved_self.tolist(), t.tolist()]",
    # a tensor PyTorch keeps only for its attributes (gather's self) is checked at backward too
    X + "y = x.gather(0, torch.tensor([2, 0]))\nwith torch.no_grad():\n    x.mul_(2)\n"
        "y.sum().backward()\nresult = x.grad",
    X + "g = torch.autograd.grad(torch.nn.functional.leaky_relu(x).sum(), x, "
        "create_graph=True)[0]\ng.sum().backward()\ng.sum().backward()\n"
        "result = x.grad",
    X + "y = torch.clamp(x, min=torch.zeros(3))\ny.sum().backward()\n"
        "result = y.grad_fn._saved_max",
]
