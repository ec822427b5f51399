"""Record what PyTorch 2.13 makes of views taken before their base requires grad: a view that
has no node requires grad whenever its base does (ATen's DifferentiableViewMeta::requires_grad:
its own flag, or its node, or its base's), stays a leaf without an AccumulateGrad of its own,
so graphs built on it send it no gradient, unless it was made to require grad itself:

    cd /work/main && /work/torchenv/bin/python tests/golden/record_late_requires_grad.py
"""

from program_recording import LAYOUT, write

PLAIN = LAYOUT + "x = torch.arange(6.0)\n"
FLAGS = "result = [v.requires_grad, v.is_leaf, lay(v), v.grad, v.tolist()]"
LATE = "x.requires_grad_()\n"


def viewed(view: str, then: str = LATE) -> str:
    """A view of the plain x, then `then` (x made to require grad, by default)."""
    return PLAIN + f"v = {view}\n" + then


CASES = [
    # the flags of each kind of view once x requires grad
    *(viewed(view) + FLAGS for view in (
        "x[1:3]", "x[1]", "x[None]", "x[...]", "x.view(2, 3)", "x.reshape(3, 2)",
        "x.reshape(2, 3).t()", "x.reshape(2, 3).transpose(0, 1)", "x.unsqueeze(0)",
        "x.expand(2, 6)", "x.narrow(0, 1, 2)", "x.select(0, 2)", "x.flatten()",
        "x[1:3][0]", "x.view(2, 3)[1]",
    )),
    # not views: copies and detached aliases keep their own flag
    viewed("x[[1, 2]]") + FLAGS,
    viewed("x * 2") + FLAGS,
    viewed("x.detach()") + FLAGS,
    viewed("x.clone()") + FLAGS,
    # through the attribute, and back off again
    viewed("x[1:3]", "x.requires_grad = True\n") + FLAGS,
    viewed("x[1:3]", "x.requires_grad_()\nx.requires_grad_(False)\n") + FLAGS,
    # the view made to require grad itself: its own AccumulateGrad
    viewed("x[1:3]", "v.requires_grad_()\n") + FLAGS,
    viewed("x[1:3]", "v.requires_grad_()\nx.requires_grad_()\n") + FLAGS,
    viewed("x[1:3]", "v.requires_grad_()\nx.requires_grad_()\n")
    + "y = (v * 2).sum()\ny.backward()\nresult = [lay(y), x.grad, v.grad.tolist()]",
    viewed("x[1:3]", "v.requires_grad_()\n")
    + "y = (v * 2).sum()\ny.backward()\nresult = [lay(y), x.grad, v.grad.tolist()]",
    # used in a graph: a node whose edge to the view is None; no gradient reaches x or v
    viewed("x[1:3]") + "y = (v * 2).sum()\nresult = [lay(y), y.requires_grad]",
    viewed("x[1:3]") + "y = (v * 2).sum()\ny.backward()\nresult = [x.grad, v.grad]",
    viewed("x[1:3]") + "y = (v * x[:2]).sum()\ny.backward()\nresult = [lay(y), x.grad.tolist(), v.grad]",
    viewed("x[1:3]") + "y = v.exp()\nresult = [lay(y), y.requires_grad, y.is_leaf]",
    viewed("x[1:3]") + "w = v[0]\nresult = [w.requires_grad, w.is_leaf, lay(w)]",
    viewed("x[1:3]") + "w = v.unsqueeze(0)\ny = (w * 3).sum()\nresult = [w.requires_grad, lay(w), lay(y)]",
    viewed("x[1:3]") + "v.sum().backward()\nresult = [x.grad, v.grad]",
    viewed("x[1:3]") + "result = torch.autograd.grad((v * x[:2]).sum(), x)[0].tolist()",
    viewed("x[1:3]") + "result = [g is None for g in torch.autograd.grad((v * x[:2]).sum(), [x, v], allow_unused=True)]",
    viewed("x[1:3]") + "d = v.detach()\nresult = [d.requires_grad, d.is_leaf]",
    viewed("x[1:3]") + "c = v.clone()\nresult = [c.requires_grad, lay(c)]",
    viewed("x[1:3]") + "v.retain_grad()\nresult = [v.retains_grad, v.requires_grad]",
    viewed("x[1:3]") + "result = v.numpy().tolist()",
    viewed("x[1:3]") + "result = repr(v)",
    viewed("x[1:3]", "with torch.no_grad():\n    x.requires_grad_()\n") + FLAGS,
    # in place
    viewed("x[1:3]") + "v.mul_(2)\nresult = [lay(v), v.requires_grad, x.tolist(), lay(x)]",
    viewed("x[1:3]") + "with torch.no_grad():\n    v.mul_(2)\nresult = [lay(v), x.tolist()]",
    viewed("x[1:3]") + "x.mul_(2)\nresult = 0",
    viewed("x[1:3]") + "with torch.no_grad():\n    x.mul_(2)\nresult = " + FLAGS[9:],
    # pieces of split/unbind taken before
    PLAIN + "ps = x.split(2)\n" + LATE
    + "result = [[p.requires_grad, p.is_leaf, lay(p)] for p in ps]",
    PLAIN + "ps = x.unbind()\n" + LATE
    + "y = (ps[0] * 2)\nresult = [lay(y), y.requires_grad]",
    # a view of a view taken under no_grad after
    viewed("x[1:3]") + "with torch.no_grad():\n    w = v[0:1]\nresult = [w.requires_grad, w.is_leaf, lay(w)]",
]

if __name__ == "__main__":
    write("late_requires_grad", CASES)
