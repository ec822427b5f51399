"""Record how PyTorch 2.13 remakes a view's grad_fn after its storage changed in place through
its base, another view of it, a detached alias, or itself under no_grad: AsStridedBackward0 of
the base's current history, so gradients follow the change (VariableHooks::grad_fn):

    cd /work/main && /work/torchenv/bin/python tests/golden/record_view_rebase.py
"""

from program_recording import LAYOUT, write

X = LAYOUT + "x = torch.arange(6.0, requires_grad=True)\n"
Z = X + "z = x * 1\n"
M = LAYOUT + "m = torch.arange(6.0).reshape(2, 3).requires_grad_()\nz = m * 1\n"
GRADS = "(v * torch.arange(1.0, 1.0 + v.numel()).reshape(v.shape)).sum().backward()\n"

CASES = [
    # the base changes after the view was made
    Z + "v = z[1:3]\nz.mul_(2)\nresult = [v.grad_fn.name(), lay(v)]",
    Z + "v = z[1:3]\nz.mul_(2)\n" + GRADS + "result = [x.grad.tolist(), v.tolist()]",
    Z + "v = z[1:3]\nz.exp_()\n" + GRADS + "result = [x.grad.tolist(), v.tolist()]",
    Z + "v = z[1:3]\nz.add_(1)\nz.mul_(3)\n" + GRADS + "result = [x.grad.tolist(), lay(v)]",
    Z + "v = z[4]\nz.pow_(2)\nv.backward()\nresult = [x.grad.tolist(), v.grad_fn.name()]",
    Z + "v = z.view(2, 3)\nz.mul_(2)\n" + GRADS + "result = [x.grad.tolist(), v.grad_fn.name()]",
    Z + "v = z.view(2, 3).t()\nz.mul_(2)\n" + GRADS + "result = [x.grad.tolist(), v.grad_fn.name()]",
    Z + "v = z[::2]\nz.sigmoid_()\n" + GRADS + "result = [x.grad.tolist(), v.grad_fn.name()]",
    Z + "v = z[2:4].expand(2, 2)\nz.mul_(2)\n" + GRADS + "result = [x.grad.tolist(), v.grad_fn.name()]",
    M + "v = z[:, 1]\nz.mul_(2)\n" + GRADS + "result = [m.grad.tolist(), lay(v)]",
    M + "v = z.t()[1:]\nz.mul_(2)\n" + GRADS + "result = [m.grad.tolist(), v.grad_fn.name()]",
    # a view of a view
    Z + "v = z[1:5][1:3]\nz.mul_(2)\n" + GRADS + "result = [x.grad.tolist(), lay(v)]",
    # another view of the same base changes
    Z + "a = z[0:3]\nv = z[2:5]\na.mul_(10)\n" + GRADS + "result = [x.grad.tolist(), v.tolist(), v.grad_fn.name()]",
    Z + "a = z[0:3]\nv = z[2:5]\na[2] = 7\n" + GRADS + "result = [x.grad.tolist(), v.tolist()]",
    # the base changes through index assignment
    Z + "v = z[1:4]\nz[2] = 9\n" + GRADS + "result = [x.grad.tolist(), v.tolist(), v.grad_fn.name()]",
    # the view itself changes under no_grad
    Z + "v = z[1:3]\nwith torch.no_grad():\n    v.mul_(2)\nresult = [lay(v), v.requires_grad]",
    Z + "v = z[1:3]\nwith torch.no_grad():\n    v.mul_(2)\n" + GRADS + "result = [x.grad.tolist(), z.tolist()]",
    Z + "v = z[1:3]\nwith torch.no_grad():\n    z.mul_(2)\n" + GRADS + "result = [x.grad.tolist(), v.grad_fn.name()]",
    # a detached alias changes
    Z + "v = z[1:3]\nd = z.detach()\nd.mul_(2)\n" + GRADS + "result = [x.grad.tolist(), v.grad_fn.name()]",
    # a leaf's view, the leaf changed under no_grad
    X + "v = x[1:3]\nwith torch.no_grad():\n    x.mul_(2)\n" + GRADS + "result = [x.grad.tolist(), lay(v)]",
    # retain_grad follows the view to its new node
    Z + "v = z[1:3]\nv.retain_grad()\nz.mul_(2)\n" + GRADS + "result = [v.grad.tolist(), x.grad.tolist()]",
    # hooks registered on the view stay with its old node (PyTorch drops them too)
    Z + "v = z[1:3]\nseen = []\nh = v.register_hook(lambda g: seen.append(g.tolist()))\n"
        "z.mul_(2)\n(v * 3).sum().backward()\nresult = [seen, x.grad.tolist()]",
    Z + "v = z[1:3]\nh = v.register_hook(lambda g: g * 10)\nv.mul_(2)\n(v * 3).sum().backward()\n"
        "result = x.grad.tolist()",
    # an unchanged view keeps its node
    Z + "v = z[1:3]\nw = z * 2\nw.mul_(2)\nresult = [lay(v)]",
    # gradients of a view saved before the base changed: the saved tensor's check still fires
    Z + "v = z[1:3]\ny = (v * v).sum()\nz.mul_(2)\ny.backward()\nresult = 0",
    # a view of a tensor that needs no gradient has no node to remake
    LAYOUT + "x = torch.arange(6.0)\nv = x[1:3]\nx.mul_(2)\nresult = [v.requires_grad, lay(v), v.tolist()]",
]

if __name__ == "__main__":
    write("view_rebase", CASES)
