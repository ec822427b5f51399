"""Record what PyTorch 2.13 does when a program reads `grad_fn` of a view whose base (or another
view of it) was changed in place since the view was made, where the view may not follow it: a
piece of split/unbind (or a view of one) and a view made under no_grad raise
handle_view_on_rebase's error on the read (and so on `is_leaf`, on recording an op, on
register_hook), print as `grad_fn=<Invalid>`, while `.grad`, `requires_grad` and retain_grad of
a leaf view read what they hold; views that never required grad read None:

    cd /work/main && /work/torchenv/bin/python tests/golden/record_view_access.py
"""

from program_recording import LAYOUT, write

X = LAYOUT + "x = torch.arange(6.0, requires_grad=True)\n"
Z = X + "z = x * 1\n"
PLAIN = LAYOUT + "p = torch.arange(6.0)\n"
READS = ("v.grad_fn", "repr(v)", "v.requires_grad", "v.is_leaf", "lay(v * 2)", "v.grad",
         "v.retain_grad()", "v.register_hook(lambda g: g) is None", "v.detach().tolist()",
         "v.tolist()", "lay(v.clone())", "lay(v[0])")


def reading(setup: str) -> list:
    """One case per read of `v` after `setup`."""
    return [setup + f"result = {read}" for read in READS]


CASES = [
    # a view made under no_grad, its base changed under no_grad or with grad
    *reading(X + "with torch.no_grad():\n    v = x[1:3]\n    x.mul_(2)\n"),
    *reading(Z + "with torch.no_grad():\n    v = z[1:3]\nz.mul_(2)\n"),
    *reading(Z + "with torch.no_grad():\n    v = z[1:3]\n    z.mul_(2)\n"),
    # pieces of split/unbind, and a view of a piece
    *reading(Z + "v, w = z.split(3)\nz.mul_(2)\n"),
    *reading(Z + "v, w = z.split(3)\nwith torch.no_grad():\n    w.add_(1)\n"),
    *reading(Z + "a, b = z.split(3)\nv = a[0:2]\nz.mul_(2)\n"),
    Z + "ps = z.unbind()\nz.add_(1)\nresult = [repr(p) for p in ps]",
    Z + "ps = z.unbind()\nz.add_(1)\nresult = ps[2].grad_fn",
    # views that never required grad, and a piece untouched by the change
    *reading(PLAIN + "with torch.no_grad():\n    v = p[1:3]\np.mul_(2)\n"),
    *reading(PLAIN + "v, w = p.split(3)\np.mul_(2)\n"),
    Z + "a, b = z.split(3)\nv = z[4:]\nv.mul_(2)\nresult = lay(a)",
]

if __name__ == "__main__":
    write("view_access", CASES)
