"""Record PyTorch 2.13's one-node-per-multi-output-op autograd (split, chunk, unbind):

    cd /work/main && /work/torchenv/bin/python tests/golden/record_multi_output.py

Each case is a program in gradcli's language that is also Python over `torch`; it leaves its
observations in `result` (numbers, bools, strings, grad_fn names with output numbers, in nested
lists). Stored: `result` as JSON, or the error's type and message. This script is a test tool
run under /work/torchenv; gradcli never imports torch.
"""

from program_recording import write

X = "x = torch.arange(6.0, requires_grad=True)\n"
X64 = "x = torch.tensor([0.5, -1.0, 2.0, 1.5], dtype=torch.float64, requires_grad=True)\n"
M = "m = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)\n"
LAYOUT = "def layout(t):\n    return [(f.name(), i) for f, i in t.grad_fn.next_functions]\n"
INPLACE = X + "z = x * 1\n"

CASES = [
    # one node for all pieces; consumers name it with the piece's output number
    X + "a, b = x.split(3)\nresult = [a.grad_fn is b.grad_fn, a.grad_fn.name(), "
        "[(f.name(), i) for f, i in (a * b).grad_fn.next_functions]]",
    X + "a, b, c = x.split(2)\nresult = [a.grad_fn is c.grad_fn, "
        "[(f.name(), i) for f, i in (c - a).grad_fn.next_functions], "
        "[(f.name(), i) for f, i in b.grad_fn.next_functions]]",
    X + "ch = x.chunk(2)\nresult = [len(ch), ch[0].grad_fn.name(), ch[0].grad_fn is ch[1].grad_fn,"
        " [(f.name(), i) for f, i in (ch[1] + ch[0]).grad_fn.next_functions]]",
    X + "ch = x.chunk(4)\nresult = [[c.tolist() for c in ch], "
        "[(f.name(), i) for f, i in torch.cat([ch[2], ch[0]]).grad_fn.next_functions]]",
    X + "p = x.split([1, 5])\nresult = [p[0].grad_fn.name(), p[1].grad_fn is p[0].grad_fn, "
        "[(f.name(), i) for f, i in (p[1].sum() * p[0]).grad_fn.next_functions]]",
    X + "u = x.reshape(2, 3).unbind(0)\nresult = [u[0].grad_fn is u[1].grad_fn, "
        "[(f.name(), i) for f, i in (u[0] + u[1]).grad_fn.next_functions], "
        "[(f.name(), i) for f, i in u[1].grad_fn.next_functions]]",
    M + "u = m.unbind(1)\nresult = [len(u), u[2].grad_fn.name(), "
        "[(f.name(), i) for f, i in (u[2] * u[1]).grad_fn.next_functions]]",
    M + "rows = [r for r in m]\nresult = [rows[0].grad_fn is rows[1].grad_fn, rows[1].grad_fn.name(),"
        " [(f.name(), i) for f, i in (rows[1] - rows[0]).grad_fn.next_functions]]",
    # a piece of a tensor that needs no gradient: plain views
    "x = torch.arange(6.0)\na, b = x.split(3)\nresult = [a.grad_fn is None, b.requires_grad, "
        "b.tolist()]",
    # gradients: every piece, a piece twice, one piece only (the others get zeros)
    X + "a, b = x.split(3)\n(a * b).sum().backward()\nresult = x.grad.tolist()",
    X + "a, b, c = x.split(2)\n(a * c + c * 2 + a).sum().backward()\nresult = x.grad.tolist()",
    X + "a, b = x.split(3)\n(a * 2).sum().backward()\nresult = x.grad.tolist()",
    X + "z = x * 1\nseen = []\nh = z.register_hook(lambda g: seen.append(g.tolist()))\n"
        "a, b = z.split(3)\n(b * 3).sum().backward()\nresult = [seen, x.grad.tolist()]",
    M + "u = m.unbind(0)\n(u[1] ** 2).sum().backward()\nresult = m.grad.tolist()",
    M + "u = m.unbind(1)\n(u[0] * u[2]).sum().backward()\nresult = m.grad.tolist()",
    M + "p = m.split([2, 1], dim=1)\n(p[1] * 5).sum().backward()\nresult = m.grad.tolist()",
    M + "c = m.chunk(3, 1)\n(c[2] - c[0]).sum().backward()\nresult = m.grad.tolist()",
    # the graph is freed after a backward (the split node saves no tensor, mul does)
    X + "a, b = x.split(3)\ns = (a + b).sum()\ns.backward()\ns.backward()\nresult = x.grad.tolist()",
    X + "a, b = x.split(3)\ns = (a * b).sum()\ns.backward()\ns.backward()\nresult = 0",
    X + "a, b = x.split(3)\ns = (a * b).sum()\ns.backward(retain_graph=True)\ns.backward()\n"
        "result = x.grad.tolist()",
    # hooks and retain_grad belong to the piece
    X + "p, q = (x * 1).split(3)\nseen = []\nh1 = p.register_hook(lambda g: seen.append(g.tolist()))\n"
        "h2 = q.register_hook(lambda g: g * 10)\n(p * 2 + q).sum().backward()\n"
        "result = [seen, x.grad.tolist()]",
    X + "p, q = (x * 1).split(3)\np.retain_grad()\nq.retain_grad()\n(p * 2 + q * q).sum().backward()\n"
        "result = [p.grad.tolist(), q.grad.tolist(), x.grad.tolist()]",
    X + "p, q = (x * 1).split(3)\np.retain_grad()\nq.retain_grad()\nseen = []\n"
        "h = q.register_hook(lambda g: seen.append(g is None))\n(p * 2).sum().backward()\n"
        "result = [p.grad.tolist(), q.grad is None, seen, x.grad.tolist()]",
    # an unused piece's hook sees None when the node runs, and may not replace it
    X + "p, q, r = (x * 1).split(2)\nh = r.register_hook(lambda g: torch.ones(2))\n"
        "(p * 2).sum().backward()\nresult = 0",
    X + "p, q, r = (x * 1).split(2)\nseen = []\nh = r.register_hook(lambda g: seen.append(g))\n"
        "(p * 2 + q).sum().backward()\nresult = [seen, x.grad.tolist()]",
    X + "p, q = x.split(3)\nh = p.register_hook(lambda g: g + 1)\n(p * q).sum().backward()\n"
        "result = x.grad.tolist()",
    # torch.autograd.grad and backward(inputs=...) with a piece as input or output
    X + "p, q = (x * 1).split(3)\nresult = [g.tolist() for g in torch.autograd.grad((p * q).sum(), [q, p])]",
    X + "p, q = x.split(3)\nresult = [g.tolist() for g in torch.autograd.grad(q, x, torch.ones(3))]",
    X + "p, q = x.split(3)\nresult = [g.tolist() for g in torch.autograd.grad([p, q], x, "
        "[torch.ones(3), torch.full((3,), 2.0)])]",
    X + "p, q = (x * 1).split(3)\nresult = torch.autograd.grad(p.sum(), q)",
    X + "p, q = (x * 1).split(3)\nresult = [g is None for g in torch.autograd.grad(p.sum(), q, "
        "allow_unused=True)]",
    X + "p, q = (x * 1).split(3)\nresult = [g.tolist() for g in torch.autograd.grad(p.sum(), q, "
        "materialize_grads=True)]",
    X + "p, q = (x * 1).split(3)\n(p * q).sum().backward(inputs=[q])\n"
        "result = [q.grad.tolist(), x.grad is None, p.grad is None]",
    X + "u = (x * 2).unbind()\nresult = [g.tolist() for g in torch.autograd.grad(u[4] * u[1], [u[1], u[3], x], "
        "allow_unused=True, materialize_grads=True)]",
    X + "p, q = (x * 1).split(3)\nresult = [g.tolist() for g in torch.autograd.grad(q, q, torch.ones(3))]",
    X + "p, q = (x * 1).split(3)\nresult = [g.tolist() for g in torch.autograd.grad([p, q], [q, x], "
        "[torch.ones(3), torch.full((3,), 3.0)])]",
    X + "p, q = x.split(3)\nq.backward(torch.tensor([1.0, 2.0, 3.0]))\np.backward(torch.ones(3))\n"
        "result = x.grad.tolist()",
    X + "p, q = (x * 1).split(3)\nq.retain_grad()\nq.backward(torch.ones(3) * 2)\n"
        "result = [q.grad.tolist(), x.grad.tolist()]",
    # create_graph: higher derivatives through the pieces (ATen's split backward is a cat,
    # unbind's a stack)
    X64 + "p, q = x.split(2)\ng, = torch.autograd.grad((p ** 3).sum() * q.sum(), x, create_graph=True)\n"
          "result = [g.tolist(), g.grad_fn.name(), [(f.name(), i) for f, i in g.grad_fn.next_functions], "
          "torch.autograd.grad(g.sum(), x)[0].tolist()]",
    X64 + "r = x.reshape(2, 2).unbind(1)\ng, = torch.autograd.grad((r[0] ** 2 * r[1]).sum(), x, "
          "create_graph=True)\nresult = [g.tolist(), g.grad_fn.name(), "
          "[(f.name(), i) for f, i in g.grad_fn.next_functions], torch.autograd.grad((g * g).sum(), x)[0].tolist()]",
    X64 + "c = x.chunk(4)\ng, = torch.autograd.grad((c[1] ** 3).sum(), x, create_graph=True)\n"
          "result = [g.tolist(), torch.autograd.grad(g[1], x)[0].tolist()]",
    # (through autograd.grad: backward(create_graph=True) warns once per process in PyTorch,
    # which would take the warning from the live semantics tests)
    X64 + "c = x.split([1, 3])\ny = (c[1].exp() * c[0]).sum()\n"
          "g, = torch.autograd.grad(y, x, create_graph=True)\ng.sum().backward()\n"
          "result = [g.tolist(), x.grad.tolist()]",
    # a view made by a multi-output op cannot be modified in place (allowed under no_grad)
    INPLACE + "a, b = z.split(3)\na.mul_(2)\nresult = 0",
    X + "a, b = x.split(3)\nb.add_(1)\nresult = 0",
    INPLACE + "a, b = z.split(3)\nb += 1\nresult = 0",
    INPLACE + "a, b = z.split(3)\nb.zero_()\nresult = 0",
    INPLACE + "u = z.reshape(2, 3).unbind(1)\nu[2].exp_()\nresult = 0",
    INPLACE + "p = z.split([2, 4])\np[1].sin_()\nresult = 0",
    INPLACE + "c = z.chunk(3)\nc[2].fill_(1)\nresult = 0",
    X + "a, b = x.split(3)\nwith torch.no_grad():\n    b.mul_(2)\nresult = x.tolist()",
    # ... nor can a view of such a view (it inherits the refusal; the message names its op)
    INPLACE + "p, q = z.split(3)\np[0].mul_(2)\nresult = 0",
    INPLACE + "p, q = z.split(3)\nq[1:].add_(1)\nresult = 0",
    INPLACE + "p, q = z.split(3)\nq.view(3, 1).exp_()\nresult = 0",
    INPLACE + "u = z.reshape(2, 3).unbind(1)\nu[0].unsqueeze(0).zero_()\nresult = 0",
    INPLACE + "p, q = z.split(3)\nv = q[0:2][1]\nv.mul_(2)\nresult = 0",
    INPLACE + "p, q = z.split(3)\nv = q.split(1)\nv[2].mul_(2)\nresult = 0",
    X + "p, q = x.split(3)\np[0].mul_(2)\nresult = 0",
    X + "p, q = x.split(3)\nwith torch.no_grad():\n    q[1].mul_(2)\nresult = x.tolist()",
    # a piece (and a 0-dim select) of a tensor that needs no gradient is an ordinary view
    "x = torch.arange(6.0)\nx[1].mul_(2)\nu = x.unbind()\nu[2].add_(1)\na, b = x.split(3)\n"
        "b[0].sub_(5)\nb.mul_(10)\nresult = x.tolist()",
    # writes through indexing on a piece that PyTorch makes on the piece itself
    INPLACE + "p, q = z.split(3)\nq[:] = torch.ones(3)\nresult = 0",
    INPLACE + "p, q = z.split(3)\nq[[0, 2]] = 5.0\nresult = 0",
    INPLACE + "p, q = z.split(3)\nv = q[0:2]\ny = (v * v).sum()\nz.mul_(2)\ny.backward()\nresult = 0",
    # a saved piece changed through its base: the message names the piece's output number
    INPLACE + "a, b = z.split(3)\ny = (b * b).sum()\nz.mul_(2)\ny.backward()\nresult = 0",
]


if __name__ == "__main__":
    write("multi_output", CASES)
