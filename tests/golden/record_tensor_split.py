"""Record PyTorch 2.13's tensor_split, hsplit, vsplit and dsplit (functions and methods): the
pieces' shapes and values, their grad_fn (one SliceBackward0 per piece: ATen builds them from
`slice`, unlike split's one multi-output node), gradients, in-place writes into a piece, and
the argument errors:

    cd /work/main && /work/torchenv/bin/python tests/golden/record_tensor_split.py
"""

from program_recording import LAYOUT, write

X = LAYOUT + "x = torch.arange(12.0, requires_grad=True)\n"
M = LAYOUT + "m = torch.arange(24.0).reshape(2, 3, 4).requires_grad_()\n"
PIECES = "result = [[p.tolist() for p in ps], [lay(p) for p in ps], ps[0].grad_fn is ps[-1].grad_fn]"

CASES = [
    # sections: the first size % sections pieces one longer
    X + "ps = x.tensor_split(3)\n" + PIECES,
    X + "ps = x.tensor_split(5)\n" + PIECES,
    X + "ps = torch.tensor_split(x, 1)\n" + PIECES,
    X + "ps = x.tensor_split(20)\n" + PIECES,
    X + "ps = x.tensor_split(torch.tensor(3))\n" + PIECES,
    X + "ps = x.tensor_split(sections=2)\n" + PIECES,
    # indices: slice's clamping (past the end, backwards, negative)
    X + "ps = torch.tensor_split(x, [2, 7])\n" + PIECES,
    X + "ps = x.tensor_split((2, 7))\n" + PIECES,
    X + "ps = x.tensor_split(torch.tensor([2, 7]))\n" + PIECES,
    X + "ps = x.tensor_split([7, 2])\n" + PIECES,
    X + "ps = x.tensor_split([20])\n" + PIECES,
    X + "ps = x.tensor_split([-3, -1])\n" + PIECES,
    X + "ps = x.tensor_split([])\n" + PIECES,
    X + "ps = x.tensor_split(indices=[1])\n" + PIECES,
    M + "ps = m.tensor_split(2, dim=2)\n" + PIECES,
    M + "ps = torch.tensor_split(m, [1], 1)\n" + PIECES,
    M + "ps = m.tensor_split(3, -1)\n" + PIECES,
    # hsplit (dim 1, or 0 for 1-D), vsplit (dim 0), dsplit (dim 2)
    M + "ps = m.hsplit([1, 2])\n" + PIECES,
    M + "ps = torch.hsplit(m, 3)\n" + PIECES,
    X + "ps = x.hsplit(3)\n" + PIECES,
    X + "ps = torch.hsplit(x, [3])\n" + PIECES,
    X + "ps = x.hsplit(torch.tensor(2))\n" + PIECES,
    M + "ps = torch.vsplit(m, 2)\n" + PIECES,
    M + "ps = m.vsplit([1])\n" + PIECES,
    M + "ps = m.dsplit(2)\n" + PIECES,
    M + "ps = torch.dsplit(m, [1, 3])\n" + PIECES,
    # gradients: unused pieces get nothing, each piece its own slice backward
    X + "a, b, c = x.tensor_split([2, 7])\n(a * 2 + c[:2] * b[:2]).sum().backward()\nresult = x.grad.tolist()",
    M + "p, q = m.hsplit([1])\n((p * 3).sum() + (q ** 2).sum()).backward()\nresult = m.grad.tolist()",
    M + "ps = m.dsplit(4)\n(ps[3] * ps[0]).sum().backward()\nresult = m.grad.tolist()",
    M + "p, q = m.vsplit(2)\ng, = torch.autograd.grad((p * q).sum(), m, create_graph=True)\n"
        "result = [g.tolist(), lay(g)]",
    # pieces are ordinary slices: in place is allowed (CopySlices), unlike split's pieces
    # (str shows the node's type name; CopySlices.name() is "torch::autograd::CopySlices")
    X + "z = x * 1\np, q = z.tensor_split(2)\nq.mul_(3)\n(z * z).sum().backward()\n"
        "result = [q.grad_fn.name(), str(z), x.grad.tolist()]",
    X + "z = x * 1\np, q = z.hsplit(2)\np[0] = 7\nresult = [p.grad_fn.name(), str(z)]",
    X + "p, q = x.tensor_split(2)\np.add_(1)\nresult = 0",
    "x = torch.arange(6.0)\np, q = x.tensor_split(2)\nq.zero_()\nresult = x.tolist()",
    # errors
    X + "result = x.tensor_split(0)",
    X + "result = x.tensor_split(-2)",
    X + "result = x.tensor_split(2, 1)",
    "result = torch.tensor(1.0).tensor_split(1)",
    X + "result = x.tensor_split(torch.tensor([[1]]))",
    X + "result = x.tensor_split(torch.tensor([1.0]))",
    X + "result = x.tensor_split(torch.tensor(2.0))",
    X + "result = x.tensor_split(2.0)",
    X + "result = x.tensor_split('a')",
    X + "result = x.tensor_split([1.5])",
    X + "result = x.tensor_split(True)",
    X + "result = x.tensor_split()",
    X + "result = x.tensor_split(2, dim=1.0)",
    X + "result = x.tensor_split(2, dm=0)",
    X + "result = x.tensor_split(sections=2.0)",
    X + "result = torch.tensor_split(x, 2.0)",
    "result = torch.tensor_split([1.0], 2)",
    M + "result = torch.hsplit(m, 2)",
    M + "result = m.vsplit(3)",
    M + "result = m.dsplit(0)",
    X + "result = x.hsplit(5)",
    X + "result = x.vsplit(2)",
    X + "result = x.dsplit(2)",
    "result = torch.tensor(1.0).hsplit(1)",
    "result = torch.tensor(1.0).vsplit(1)",
    X + "result = x.hsplit(2.0)",
    X + "result = x.hsplit(sections=2.0)",
    X + "result = x.hsplit()",
    X + "result = x.hsplit(torch.tensor([2.0]))",
    M + "result = m.dsplit([1.0])",
    M + "result = torch.vsplit(m, 2.0)",
    "result = torch.hsplit([1.0], 2)",
]

if __name__ == "__main__":
    write("tensor_split", CASES)
