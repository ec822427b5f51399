"""Record what PyTorch 2.13 makes of a view taken under no_grad of a tensor that requires grad:
it requires grad (through its base) yet is a leaf without a node or an AccumulateGrad, so
graphs built on it send it no gradient; changing it (or a view of it) in place with grad mode
on is refused with ATen's "created in no_grad mode" messages. Basic indexing, view/reshape,
t/transpose/permute, unsqueeze/squeeze, expand, detach, split/unbind pieces:

    cd /work/main && /work/torchenv/bin/python tests/golden/record_no_grad_views.py
"""

from program_recording import LAYOUT, write

X = LAYOUT + "x = torch.arange(6.0, requires_grad=True)\n"
Z = X + "z = x * 1\n"
PLAIN = LAYOUT + "x = torch.arange(6.0)\n"
FLAGS = "result = [v.requires_grad, v.is_leaf, lay(v), v.grad, v.tolist()]"


def under_no_grad(view: str) -> str:
    return f"with torch.no_grad():\n    v = {view}\n"


CASES = [
    # the flags, for each view op, of a leaf's and a non-leaf's views
    *(base + under_no_grad(view.format(name)) + FLAGS for base, name in ((X, "x"), (Z, "z"))
      for view in (
        "{0}[1:3]", "{0}[1]", "{0}[None]", "{0}[...]", "{0}.view(2, 3)", "{0}.reshape(3, 2)",
        "{0}.reshape(2, 3).t()", "{0}.reshape(2, 3).transpose(0, 1)",
        "{0}.reshape(2, 3).permute(1, 0)", "{0}.unsqueeze(0)", "{0}.unsqueeze(1).squeeze()",
        "{0}.expand(2, 6)", "{0}.narrow(0, 1, 2)", "{0}.select(0, 2)", "{0}.view_as({0})",
        "{0}.flatten()", "{0}.reshape(2, 3).mT",
    )),
    # not views: copies, which never require grad under no_grad
    X + under_no_grad("x[[1, 2]]") + FLAGS,
    X + under_no_grad("x.reshape(2, 3).t().reshape(6)") + FLAGS,
    X + under_no_grad("x * 2") + FLAGS,
    X + under_no_grad("x.detach()") + FLAGS,
    X + under_no_grad("x.detach()[1:3]") + FLAGS,
    # a view of a tensor that needs no gradient
    PLAIN + under_no_grad("x[1:3]") + FLAGS,
    # pieces
    X + "with torch.no_grad():\n    ps = x.split(2)\nresult = [[p.requires_grad, p.is_leaf, lay(p)] for p in ps]",
    Z + "with torch.no_grad():\n    ps = z.unbind()\nresult = [[p.requires_grad, p.is_leaf, lay(p)] for p in ps]",
    X + "with torch.no_grad():\n    ps = x.chunk(3)\nresult = [[p.requires_grad, lay(p)] for p in ps]",
    X + "with torch.no_grad():\n    ps = x.tensor_split(3)\nresult = [[p.requires_grad, lay(p)] for p in ps]",
    # used in a graph: a node whose edge to the view is None; no gradient reaches x or v
    X + under_no_grad("x[1:3]") + "y = (v * 2).sum()\ny.backward()\nresult = [lay(y), "
        "lay(y.grad_fn.next_functions[0][0]), y.requires_grad, x.grad, v.grad]",
    X + under_no_grad("x[1:3]") + "y = (v * v).sum()\ny.backward()\nresult = [x.grad, v.grad]",
    X + under_no_grad("x[1:3]") + "y = (v * x[:2]).sum()\ny.backward()\nresult = [x.grad.tolist(), v.grad]",
    Z + under_no_grad("z.view(2, 3)") + "y = v.sum(0) * z[:3]\ny.sum().backward()\n"
        "result = [lay(y), x.grad.tolist()]",
    X + under_no_grad("x[1:3]") + "w = v[0]\nresult = [w.requires_grad, w.is_leaf, lay(w)]",
    X + under_no_grad("x[1:3]") + "w = v.unsqueeze(0).t()\nresult = [w.requires_grad, lay(w)]",
    X + under_no_grad("x[1:3]") + "v.sum().backward()\nresult = [x.grad, v.grad]",
    X + under_no_grad("x[1:3]") + "v.backward(torch.ones(2))\nresult = 0",
    X + under_no_grad("x[1:3]") + "result = torch.autograd.grad(v.sum(), x)",
    X + under_no_grad("x[1:3]") + "result = torch.autograd.grad((v * x[:2]).sum(), x)[0].tolist()",
    X + under_no_grad("x[1:3]") + "result = [g is None for g in torch.autograd.grad((v * x[:2]).sum(), [x, v], allow_unused=True)]",
    X + under_no_grad("x[1:3]") + "d = v.detach()\nresult = [d.requires_grad, d.is_leaf]",
    X + under_no_grad("x[1:3]") + "c = v.clone()\nresult = [c.requires_grad, lay(c)]",
    X + under_no_grad("x[1:3]") + "v.retain_grad()\nresult = [v.retains_grad, v.requires_grad]",
    # in place with grad mode on: refused (the view, or a view of it, names itself)
    X + under_no_grad("x[1:3]") + "v.mul_(2)\nresult = 0",
    Z + under_no_grad("z[1:3]") + "v.mul_(2)\nresult = 0",
    Z + under_no_grad("z[1:3]") + "v[0] = 3\nresult = 0",
    Z + under_no_grad("z[1:3]") + "v[:] = 3\nresult = 0",
    Z + under_no_grad("z[1:3]") + "v[[0]] = 3\nresult = 0",
    Z + under_no_grad("z.view(2, 3)") + "v.add_(1)\nresult = 0",
    Z + under_no_grad("z.view(2, 3)") + "v += 1\nresult = 0",
    Z + under_no_grad("z.reshape(2, 3).t()") + "v.zero_()\nresult = 0",
    Z + under_no_grad("z.unsqueeze(0)") + "v.fill_(1)\nresult = 0",
    Z + under_no_grad("z.expand(2, 6)") + "v.sigmoid_()\nresult = 0",
    Z + under_no_grad("z[1:3]") + "w = v[0]\nw.mul_(2)\nresult = 0",
    Z + under_no_grad("z[1:3]") + "w = v.t()\nw.exp_()\nresult = 0",
    Z + under_no_grad("z[1:3]") + "v[0].add_(1)\nresult = 0",
    Z + "with torch.no_grad():\n    ps = z.split(2)\nps[0].mul_(2)\nresult = 0",
    Z + "with torch.no_grad():\n    ps = z.split(2)\nps[0][0] = 1\nresult = 0",
    Z + "with torch.no_grad():\n    ps = z.unbind()\nps[1].copy_(torch.ones(()))\nresult = 0",
    # a view made under no_grad of a tensor without grad, changed with a value that has grad
    PLAIN + under_no_grad("x[1:3]") + "g = torch.ones(2, requires_grad=True)\nv.add_(g)\nresult = 0",
    PLAIN + under_no_grad("x[1:3]") + "g = torch.ones(2, requires_grad=True)\nv[0] = g[0]\nresult = 0",
    PLAIN + under_no_grad("x[1:3]") + "v.add_(1)\nv[0] = 7\nresult = [lay(v), x.tolist()]",
    # in place under no_grad, or on a detached alias: allowed
    Z + under_no_grad("z[1:3]") + "with torch.no_grad():\n    v.mul_(2)\nresult = z.tolist()",
    Z + under_no_grad("z[1:3]") + "d = v.detach()\nd.mul_(2)\nresult = [z.tolist(), d.requires_grad]",
    X + under_no_grad("x[1:3]") + "with torch.no_grad():\n    v[0] = 9\nresult = x.tolist()",
    # detach_ of such a view, as of any view
    Z + under_no_grad("z[1:3]") + "v.detach_()\nresult = 0",
    X + under_no_grad("x[1:3]") + "v.detach_()\nresult = 0",
    PLAIN + under_no_grad("x.view(2, 3)") + "v.detach_()\nresult = 0",
    PLAIN + "v = x[1:]\nv.detach_()\nresult = 0",
    "v = torch.arange(6)[1:]\nv.detach_()\nresult = 0",
    X + "d = x.detach()\nd.detach_()\nresult = [d.requires_grad, x.requires_grad]",
    # requires_grad_ of such a view: it requires grad if it does itself or its base does, so
    # False leaves it requiring grad; True gives it an AccumulateGrad of its own
    *(base + under_no_grad(view) + f"r = v.requires_grad_({flag})\n"
      "result = [r is v, v.requires_grad, v.is_leaf, lay(v), repr(v)]"
      for base, view in ((X, "x[1:3]"), (Z, "z[1:3]"), (PLAIN, "x[1:3]"))
      for flag in ("False", "True", "")),
    X + under_no_grad("x[1:3]") + "v.requires_grad = False\nresult = [v.requires_grad, lay(v)]",
    X + under_no_grad("x[1:3]") + "v.requires_grad = True\nresult = [v.requires_grad, lay(v)]",
    PLAIN + under_no_grad("x[1:3]") + "v.requires_grad_()\nv.requires_grad_(False)\n"
        "result = [v.requires_grad, v.is_leaf, lay(v * 2)]",
    X + under_no_grad("x[1:3]") + "v.requires_grad_(False)\ny = v * 2\n"
        "result = [y.requires_grad, lay(y)]",
    X + under_no_grad("x[1:3]") + "v.requires_grad_(True)\ny = (v * 2).sum()\ny.backward()\n"
        "result = [lay(y), lay(y.grad_fn.next_functions[0][0]), x.grad, v.grad.tolist()]",
    X + under_no_grad("x[1:3]") + "v.requires_grad_(True)\nv.requires_grad_(False)\n"
        "y = (v * x[:2]).sum()\ny.backward()\nresult = [lay(y.grad_fn.next_functions[0][0]), "
        "x.grad.tolist(), v.grad]",
    X + under_no_grad("x[1:3]") + "v.requires_grad_(True)\nw = v[0]\n"
        "result = [w.requires_grad, w.is_leaf, lay(w)]",
    X + under_no_grad("x[1:3]") + "v.requires_grad_(False)\nw = v.t()\n"
        "result = [w.requires_grad, w.is_leaf, lay(w)]",
    X + under_no_grad("x[1:3]") + "v.requires_grad_(True)\nv.retain_grad()\n"
        "(v * 2).sum().backward()\nresult = [v.grad.tolist(), x.grad, v.retains_grad]",
    X + under_no_grad("x[1:3]") + "v.requires_grad_(True)\nv.mul_(2)\nresult = 0",
    X + under_no_grad("x[1:3]") + "v.requires_grad_(False)\nv.mul_(2)\nresult = 0",
    X + "with torch.no_grad():\n    v = x[1:3]\n    w = v[0]\nw.requires_grad_(False)\n"
        "result = [w.requires_grad, v.requires_grad, lay(w)]",
    X + "with torch.no_grad():\n    ps = x.split(2)\nps[0].requires_grad_(False)\n"
        "result = [p.requires_grad for p in ps]",
    X + under_no_grad("x.detach()[1:3]") + "v.requires_grad_(True)\n(v * 2).sum().backward()\n"
        "result = [v.grad.tolist(), x.grad]",
    X + "v = x[1:3]\nv.requires_grad_(False)\nresult = 0",
    X + "v = x.detach()[1:3]\nv.requires_grad_(True)\nresult = [v.requires_grad, v.is_leaf, lay(v)]",
    # enable_grad inside no_grad makes ordinary views again
    X + "with torch.no_grad():\n    with torch.enable_grad():\n        v = x[1:3]\nresult = [v.requires_grad, lay(v)]",
    Z + "with torch.no_grad():\n    with torch.enable_grad():\n        v = z[1:3]\nv.mul_(2)\nresult = [lay(v)[0], z.tolist()]",
]

if __name__ == "__main__":
    write("no_grad_views", CASES)
