"""Record PyTorch 2.13's refusals of in-place writes into pieces of split / chunk / unbind (and
views of them): which view the message names (`p[0] = 5` writes through p's Select, `p[1:] = 5`
through a Slice, `p[:] = 5` and `p[[0, 1]] = 5` into p itself), with and without grad, on
pieces of leaves and non-leaves, the in-place methods, and under no_grad:

    cd /work/main && /work/torchenv/bin/python tests/golden/record_piece_writes.py
"""

from program_recording import LAYOUT, write

X = LAYOUT + "x = torch.arange(6.0, requires_grad=True)\n"
Z = X + "z = x.clone()\n"
M = LAYOUT + "m = torch.arange(12.0).reshape(3, 4).requires_grad_()\nz = m * 1\n"
PLAIN = LAYOUT + "x = torch.arange(6.0)\n"
V = "v = torch.tensor(2.0, requires_grad=True)\n"

CASES = [
    # index assignment: through a Select, a Slice, an Unsqueeze, or into the piece itself
    X + "p = x.clone().split(1)[0]\np[0] = 5\nresult = 0",
    Z + "p = z.split(2)[1]\np[0] = 5\nresult = 0",
    Z + "p = z.split(2)[1]\np[-1] = 5\nresult = 0",
    Z + "p = z.split(2)[1]\np[1:] = 5\nresult = 0",
    Z + "p = z.split(2)[1]\np[0:2] = 5\nresult = 0",
    Z + "p = z.split(2)[1]\np[:] = 5\nresult = 0",
    Z + "p = z.split(2)[1]\np[...] = 5\nresult = 0",
    Z + "p = z.split(2)[1]\np[None] = 5\nresult = 0",
    Z + "p = z.split(2)[1]\np[[0, 1]] = 5\nresult = 0",
    Z + "p = z.split(2)[1]\np[p > 2] = 5\nresult = 0",
    Z + "p = z.split([2, 4])[1]\np[1:3] = 7\nresult = 0",
    Z + "p = z.split([2, 4])[1]\np[::2] = 7\nresult = 0",
    Z + "c = z.chunk(3)\nc[1][1] = 7\nresult = 0",
    Z + "u = z.reshape(2, 3).unbind()\nu[1][0] = 7\nresult = 0",
    Z + "u = z.reshape(2, 3).unbind(1)\nu[2][1] = 7\nresult = 0",
    M + "p = z.split(2, dim=1)[1]\np[0, 1] = 7\nresult = 0",
    M + "p = z.split(2, dim=1)[1]\np[1:, 0] = 7\nresult = 0",
    M + "p = z.split(2, dim=1)[1]\np[0, :] = 7\nresult = 0",
    M + "p = z.split(2, dim=1)[1]\np[:, 0:1] = 7\nresult = 0",
    M + "p = z.split(2, dim=1)[1]\np[0, [0, 1]] = 7\nresult = 0",
    M + "u = z.unbind(1)\nu[3][..., 2] = 7\nresult = 0",
    X + "p = x.split(2)[1]\np[0] = 5\nresult = 0",
    X + "u = x.unbind()\nu[2][...] = 5\nresult = 0",
    # the value requires grad, the pieces' base does not (their views have no node)
    PLAIN + V + "p = x.split(2)[1]\np[0] = v\nresult = 0",
    PLAIN + V + "p = x.split(2)[1]\np[:] = v\nresult = 0",
    PLAIN + V + "p = x.split(2)[1]\np.add_(v)\nresult = 0",
    PLAIN + V + "p = x.chunk(2)[0]\np.mul_(v)\nresult = 0",
    PLAIN + V + "u = x.unbind()\nu[3].copy_(v)\nresult = 0",
    PLAIN + V + "u = x.unbind()\nu[3].fill_(v)\nresult = 0",
    PLAIN + V + "p = x.split(2)[1]\np.clamp_(min=v)\nresult = 0",
    # no gradient anywhere: ordinary writes
    PLAIN + "p = x.split(2)[1]\np[0] = 5\np.add_(1)\nresult = [lay(p), x.tolist()]",
    PLAIN + "c = x.chunk(3)\nc[2][1:] = 9\nc[0].mul_(2)\nresult = [lay(c[2]), x.tolist()]",
    # in-place methods on the pieces and on views of them
    Z + "p = z.split(2)[1]\np.add_(1)\nresult = 0",
    Z + "p = z.split(2)[1]\np[0].add_(1)\nresult = 0",
    Z + "p = z.split(2)[1]\np[1:].mul_(2)\nresult = 0",
    Z + "u = z.unbind()\nu[1].add_(1)\nresult = 0",
    Z + "c = z.split([2, 4])\nc[1][[0, 1]].add_(1)\nresult = [lay(c[1]), z.tolist()]",
    Z + "c = z.split([2, 4])\nv = torch.tensor(1.0, requires_grad=True)\nc[1][0] = v\nresult = 0",
    Z + "p = z.split(2)[1]\np.t()[0] = 1\nresult = 0",
    Z + "p = z.split(2)[1]\np.unsqueeze(0)[0, 1] = 1\nresult = 0",
    # under no_grad the writes are allowed
    Z + "p = z.split(2)[1]\nwith torch.no_grad():\n    p[0] = 5\n    p[1:].add_(1)\nresult = z.tolist()",
    X + "p = x.split(2)[1]\nwith torch.no_grad():\n    p[0] = 5\nresult = x.tolist()",
    # the pieces' own grad_fn and next_functions
    Z + "ps = z.split(2)\nresult = [[lay(p) for p in ps], lay(ps[1][0]), lay(ps[2][1:])]",
    Z + "ps = z.split([1, 5])\nresult = [[lay(p) for p in ps], lay(ps[1][2:4])]",
    Z + "ps = z.chunk(4)\nresult = [lay(p) for p in ps]",
    M + "ps = m.unbind()\nresult = [[lay(p) for p in ps], lay(ps[0][1])]",
    X + "ps = x.split(4)\nresult = [lay(p) for p in ps]",
    # the node of a write into a slice, CopySlices, and of copy_, CopyBackwards: hand-written C++
    # nodes, whose name() carries the namespace while Python shows the class name
    Z + "z[1:3] = 5\nn = z.grad_fn\nresult = [n.name(), type(n).__name__, str(type(n)), "
        "repr(z), lay(z), lay(z[1:])]",
    Z + "z[0] = x[1]\nn = z.grad_fn\nresult = [n.name(), type(n).__name__, repr(z), lay(z)]",
    Z + "z[0] = 5\nz[1] = 6\nresult = [lay(z), repr(z)]",
    Z + "z[0] = 5\nw = z * z\nz[1] = 6\nw.sum().backward()\nresult = 0",
    Z + "z[0] = 5\nw = z * z\nz.add_(1)\nw.sum().backward()\nresult = 0",
    X + "y = torch.zeros(6)\ny.copy_(x)\nn = y.grad_fn\nresult = [n.name(), type(n).__name__, "
        "repr(y), lay(y)]",
    X + "y = torch.zeros(6)\ny.copy_(x)\nw = y * y\ny[0] = 1\nw.sum().backward()\nresult = 0",
    X + "a = (x * 1).grad_fn.next_functions[0][0]\nresult = [a.name(), type(a).__name__, "
        "str(type(a))]",
    X + "(x * x).sum().backward(create_graph=True)\nresult = [x.grad.grad_fn.name(), "
        "type(x.grad.grad_fn).__name__, repr(x.grad)]",
]

if __name__ == "__main__":
    write("piece_writes", CASES)
