"""Autograd-semantics cases (reference §2 errors, §3.1-§3.8, the §1 in-place table), shared by the
recorder (`record_semantics.py`, run with PyTorch) and the replay/live tests (run with gradcli).

Each case is a short Python program over a `torch`-like namespace. It reports what it observes
with `log(value)`; `ver(t)` is `t._version`, `graph(t)` the grad_fn graph as nested names
(`AddBackward0(MulBackward0(AccumulateGrad, None), None)`). `run_case` executes a program and
returns the log, the exception (kind and message, if any) and the distinct warnings raised.
The same runner serves both libraries: only `Library` differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass
class Library:
    torch: object                 # the `torch` module (or gradcli's stand-in)
    node_name: Callable           # a grad_fn node -> its class name
    version: Callable             # a tensor -> its version counter's value
    error_kind: Callable          # an exception -> the exception name PyTorch reports
    capture_warnings: Callable    # a context manager yielding the list of warning messages
    tensor_type: type


def show(value, lib: Library) -> str:
    """A stable text for a logged value (tensors by their repr, containers element-wise)."""
    if isinstance(value, lib.tensor_type):
        return repr(value)
    if isinstance(value, (tuple, list)):
        inner = ", ".join(show(v, lib) for v in value)
        return f"({inner}{',' if len(value) == 1 else ''})" if isinstance(value, tuple) else f"[{inner}]"
    return repr(value)


def graph_text(node, lib: Library) -> str:
    if node is None:
        return "None"
    children = [graph_text(child, lib) for child, _ in node.next_functions]
    name = lib.node_name(node)
    return f"{name}({', '.join(children)})" if children else name


def run_case(code: str, lib: Library) -> dict:
    log: list = []
    namespace = {
        "torch": lib.torch, "F": lib.torch.nn.functional,
        "log": lambda *values: log.append(" | ".join(show(v, lib) for v in values)),
        "ver": lib.version,
        "graph": lambda t: graph_text(t.grad_fn, lib),
        "node": lambda n: None if n is None else lib.node_name(n),
    }
    error = None
    with lib.capture_warnings() as warned:
        try:
            exec(code, namespace)
        except Exception as exc:  # noqa: BLE001  (the case records whatever it raises)
            error = [lib.error_kind(exc), str(exc)]
    distinct = list(dict.fromkeys(warned))
    return {"log": log, "error": error, "warnings": distinct}


V123 = "x = torch.tensor([1., 2., 3.], requires_grad=True)\n"
V12 = "x = torch.tensor([1., 2.], requires_grad=True)\n"
X23 = "x = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)\n"
Y23 = "y = torch.tensor([[0.5, -1.5, 2.], [3., 0.25, -4.]], requires_grad=True)\n"
NONLEAF = V123 + "t = x * 1\n"

# §2: which graphs survive a second backward without retain_graph (x, y: 2x3 leaves)
SECOND_BACKWARD_SUCCEEDS = ["x+2", "2+x", "x-2", "2-x", "-x", "x+y", "x-y", "x", "x.mean()",
                            "x.sum(dim=1)", "x.t()", "x.reshape(3, 2)", "x.view(6)", "x[0]",
                            "x[:,1]", "x.unsqueeze(0)", "x.expand(2, 2, 3)", "x.clone()",
                            "torch.cat([x, y])", "torch.stack([x, y])"]
SECOND_BACKWARD_FAILS = ["x*3", "x/2", "2/x", "x*y", "x/y", "x[[0,1]]", "x.exp()", "x.relu()",
                         "x.sigmoid()", "x.tanh()", "x**2", "x.abs()", "x.max()", "x@y.t()",
                         "torch.where(x>0,x,y)", "((x+2)*(x+2)*3).mean()"]

CASES = {
    # ----- §3.1 accumulation and zeroing --------------------------------------------------
    "accumulate_retain": V123 + """
y = (x*x).sum()
y.backward(retain_graph=True); log(x.grad)
y.backward(retain_graph=True); log(x.grad)
y.backward(); log(x.grad)
g = x.grad
(x*10).sum().backward(); log(x.grad, x.grad is g)
""",
    "grad_zero_": V12 + """
(x*3).sum().backward()
g = x.grad
log(x.grad.zero_(), x.grad is g)
(x*3).sum().backward(); log(x.grad, x.grad is g)
""",
    "grad_data_zero_": V12 + """
(x*3).sum().backward()
x.grad.data.zero_(); log(x.grad)
(x*3).sum().backward(); log(x.grad)
""",
    "grad_set_none": V12 + """
(x*3).sum().backward()
g = x.grad
x.grad = None; log(x.grad)
(x*3).sum().backward(); log(x.grad, x.grad is g, g)
""",
    "grad_attributes": V12 + """
(x*3).sum().backward()
log(x.grad.requires_grad, x.grad.is_leaf, x.grad.grad_fn, x.grad.type())
""",
    "grad_zero_none_14a": V12 + "x.grad.zero_()",
    "grad_data_none_14b": V12 + "x.grad.data.zero_()",
    # ----- §2 rows 1-3 ---------------------------------------------------------------------
    "nonscalar_1a": "x = torch.ones(2, 2, requires_grad=True)\n(x*2).backward()",
    "one_element_1b": """
x = torch.ones(1, requires_grad=True); (x*2).backward(); log(x.grad)
w = torch.ones(1, 1, requires_grad=True); (w*2).backward(); log(w.grad)
""",
    "no_grad_2_plain": "torch.ones(2).sum().backward()",
    "no_grad_2_ops": "a = torch.ones(2); (a*2).sum().backward()",
    "no_grad_2_under_no_grad": V12 + "with torch.no_grad():\n    y = (x*2).sum()\ny.backward()",
    "no_grad_2_detach": V12 + "x.detach().sum().backward()",
    "no_grad_2_compare": V12 + "(x>0).sum().backward()",
    "second_backward_3a": "x = torch.tensor(2., requires_grad=True)\ny = x*x\ny.backward()\ny.backward()",
    "second_backward_3b": "x = torch.tensor(2., requires_grad=True)\ny = x+2\ny.backward()\ny.backward()\nlog(x.grad)",
    "leaf_backward_3c": "x = torch.tensor(2., requires_grad=True)\nx.backward()\nx.backward()\nlog(x.grad)",
    "autograd_grad_twice_3e": "x = torch.tensor(2., requires_grad=True)\ny = x*x\nlog(torch.autograd.grad(y, x))\ntorch.autograd.grad(y, x)",
    "autograd_grad_retain": "x = torch.tensor(2., requires_grad=True)\ny = x*x\nlog(torch.autograd.grad(y, x, retain_graph=True))\nlog(torch.autograd.grad(y, x))",
    # ----- §2 rows 4-5: requires_grad flags --------------------------------------------------
    "set_false_nonleaf_4a": V12 + "y = x*2\ny.requires_grad = False",
    "set_false_method_nonleaf_4a": V12 + "y = x*2\ny.requires_grad_(False)",
    "set_true_nonleaf_4b": V12 + "y = x*2\ny.requires_grad = True",
    "method_true_nonleaf_4c": V12 + "y = x*2\nlog(y.requires_grad_() is y, y.requires_grad_(True) is y)",
    "set_on_computed_leaf_4d": "a = torch.ones(2)+1\na.requires_grad = True\nlog(a, a.is_leaf)",
    "int_factory_5a": "torch.tensor([1, 2], requires_grad=True)",
    "long_ones_5a": "torch.ones(2, dtype=torch.long, requires_grad=True)",
    "int_setter_5b": "a = torch.tensor([1, 2])\na.requires_grad = True",
    "int_method_5c": "a = torch.tensor([1, 2])\na.requires_grad_()",
    "requires_grad_false_leaf": V12 + "x.requires_grad = False\nlog(x, x.requires_grad_() is x, x)",
    # ----- §2 row 6: backward(gradient=...) ----------------------------------------------------
    "gradient_shape_6a": "x = torch.ones(2, 2, requires_grad=True)\n(x*2).backward(torch.ones(3))",
    "gradient_broadcastable_6b": X23 + "(x*2).backward(torch.ones(3))",
    "gradient_0dim_6c": "x = torch.tensor(2., requires_grad=True)\n(x*2).backward(torch.ones(1))",
    "gradient_int_6d": V12 + "(x*2).backward(torch.tensor([1, 1]))\nlog(x.grad)",
    "gradient_double_6d": V12 + "(x*2).backward(torch.ones(2, dtype=torch.float64))\nlog(x.grad)",
    "gradient_list_6e": V12 + "(x*2).backward([1.0, 1.0])",
    "gradient_weights": X23 + "(x*x).backward(torch.tensor([[1., 0., 2.], [0.5, 1., -1.]]))\nlog(x.grad)",
    # ----- §2 row 7: saved tensors modified in place -------------------------------------------
    "sigmoid_add_7a": V12 + "y = x.sigmoid()\ny.add_(1)\ny.sum().backward()",
    "mul_saved_7b": V12 + "a = x*1\nb = a*a\na.mul_(3)\nb.sum().backward()",
    "exp_mul_7c": V12 + "y = x.exp()\ny.mul_(2)\ny.sum().backward()",
    "exp_detach_zero_7c": V12 + "y = x.exp()\ny.detach().zero_()\nlog(ver(y))\ny.sum().backward()",
    "leaf_saved_7d": V12 + "y = (x*x).sum()\nx.detach().mul_(10)\ny.backward()",
    "add_nothing_saved_7e": V12 + "y = x+2\ny.add_(1)\ny.sum().backward()\nlog(x.grad, y)",
    "iadd_nothing_saved_7e": V12 + "y = x*2\ny += 1\ny.sum().backward()\nlog(x.grad, y)",
    # ----- §2 row 8: in-place on leaves ------------------------------------------------------
    "leaf_add_8a": V12 + "x.add_(1)",
    "leaf_iadd_8a": V12 + "x += 1",
    "leaf_setitem_8b": V12 + "x[0] = 5.0",
    "leaf_no_grad_8c": V12 + "with torch.no_grad():\n    x.add_(1)\nlog(x, x.is_leaf, ver(x))",
    "leaf_setitem_no_grad": V12 + "with torch.no_grad():\n    x[1] = 7.\nlog(x, ver(x))",
    # ----- §1 in-place table on a non-leaf t = x*1 ----------------------------------------------
    "inplace_add": NONLEAF + "t.add_(1)\nlog(t, graph(t), ver(t))",
    "inplace_iadd": NONLEAF + "t += 1\nlog(t, graph(t), ver(t))",
    "inplace_mul": NONLEAF + "t.mul_(2)\nlog(t, graph(t), ver(t))",
    "inplace_imul": NONLEAF + "t *= 2\nlog(t, graph(t), ver(t))",
    "inplace_sub": NONLEAF + "t.sub_(2)\nt -= 1\nlog(t, graph(t), ver(t))",
    "inplace_div": NONLEAF + "t.div_(2)\nt /= 4\nlog(t, graph(t), ver(t))",
    "inplace_sigmoid": NONLEAF + "t.sigmoid_()\nlog(t, graph(t), ver(t))",
    "inplace_relu": NONLEAF + "t.relu_()\nlog(t, graph(t), ver(t))",
    "inplace_zero": NONLEAF + "t.zero_()\nlog(t, graph(t), ver(t))",
    "inplace_clamp": NONLEAF + "t.clamp_(0, 1)\nlog(t, graph(t), ver(t))",
    "inplace_setitem": NONLEAF + "t[0] = 5.0\nlog(t, graph(t), ver(t))",
    "inplace_neg_pow": NONLEAF + "t.neg_()\nt.pow_(2)\nlog(t, graph(t), ver(t))\nt.sum().backward()\nlog(x.grad)",
    "inplace_fill": NONLEAF + "t.fill_(2.)\nlog(t, graph(t), ver(t))\nt.sum().backward()\nlog(x.grad)",
    "inplace_fill_tensor": NONLEAF + "w = torch.tensor(3., requires_grad=True)\nt.fill_(w)\nlog(t, graph(t))\nt.sum().backward()\nlog(x.grad, w.grad)",
    "inplace_copy": NONLEAF + "y = torch.tensor([0.5, 1.5, 2.], requires_grad=True)\nt.copy_(y)\nlog(t, graph(t))\n(t*t).sum().backward()\nlog(x.grad, y.grad)",
    "inplace_copy_into_plain": "y = torch.tensor([0.5, 1.5, 2.], requires_grad=True)\nt = torch.ones(3, dtype=torch.float64)\nt.copy_(y)\nlog(t, graph(t))\nt.sum().backward()\nlog(y.grad)",
    "inplace_copy_broadcast_error": NONLEAF + "t.copy_(torch.ones(2))",
    "inplace_add_alpha": NONLEAF + "y = torch.tensor([0.5, 1.5, 2.], requires_grad=True)\nt.add_(y, alpha=2)\nlog(t, graph(t))\nt.sum().backward()\nlog(x.grad, y.grad)",
    "inplace_mul_tensor_grads": NONLEAF + "y = torch.tensor([0.5, 1.5, 2.], requires_grad=True)\nt.mul_(y)\nt.sum().backward()\nlog(x.grad, y.grad)",
    "inplace_div_tensor_grads": NONLEAF + "y = torch.tensor([0.5, 1.5, 2.], requires_grad=True)\nt.div_(y)\nt.sum().backward()\nlog(x.grad, y.grad)",
    "inplace_mul_self": NONLEAF + "t.mul_(t)\nt.sum().backward()",
    "inplace_exp_then_mul": NONLEAF + "t.exp_()\nt.mul_(2)\nt.sum().backward()",
    "inplace_sigmoid_then_add": NONLEAF + "t.sigmoid_()\nt.add_(1)\nt.sum().backward()",
    "inplace_chain_grads": NONLEAF + "t.mul_(3)\nt.add_(1)\nt.pow_(2)\nt.sum().backward()\nlog(t, x.grad)",
    "inplace_setitem_grad_value": NONLEAF + "y = torch.tensor([0.5, 1.5, 2.], requires_grad=True)\nt[0:2] = y[1:] * 2\nlog(t, graph(t))\n(t*t).sum().backward()\nlog(x.grad, y.grad)",
    "inplace_setitem_into_plain": "y = torch.tensor([0.5, 1.5, 2.], requires_grad=True)\nt = torch.zeros(3)\nt[1] = y[0]\nlog(t, graph(t))\nt.sum().backward()\nlog(y.grad)",
    "inplace_setitem_mask": NONLEAF + "t[t > 1.5] = 0.\nlog(t, graph(t))\nt.sum().backward()\nlog(x.grad)",
    "inplace_on_view": X23 + "t = x*1\nv = t[0]\nv.mul_(2)\nlog(t, graph(t), graph(v), ver(t), ver(v))\n(t*t).sum().backward()\nlog(x.grad)",
    "inplace_on_column_view": X23 + "t = x*1\nt[:, 1].zero_()\nlog(graph(t))\nt.sum().backward()\nlog(x.grad)",
    "inplace_copy_into_view": X23 + "y = torch.tensor([1., 2., 3.], requires_grad=True)\nt = x*1\nt[1].copy_(y)\n(t*t).sum().backward()\nlog(x.grad, y.grad)",
    "inplace_view_of_plain": "y = torch.tensor([1., 2., 3.], requires_grad=True)\nt = torch.zeros(2, 3)\nt[0].add_(y)\nlog(t, graph(t))\n(t*t).sum().backward()\nlog(y.grad)",
    "setitem_through_view": X23 + "t = x*1\nt[0][1] = 10.\nlog(t, graph(t))\n(t*t).sum().backward()\nlog(x.grad)",
    "inplace_on_transposed_view": X23 + "t = x*1\nv = t.t()[1]\nv.mul_(3)\nlog(t, graph(t))\n(t*t).sum().backward()\nlog(x.grad)",
    "inplace_on_strided_slice": X23 + "t = x*1\nt[:, ::2].add_(torch.tensor([[1., 2.], [3., 4.]]))\nlog(t)\n(t*t).sum().backward()\nlog(x.grad)",
    "inplace_on_view_then_view_grad": X23 + "t = x*1\nv = t[1]\nv.pow_(2)\n(v.sum() + t.sum()).backward()\nlog(x.grad)",
    "inplace_view_of_leaf_8b": X23 + "x[0].mul_(2)",
    "inplace_view_saved_7": X23 + "t = x*1\nu = t.exp()\ne = u[0]\ne.mul_(2)\nu.sum().backward()",
    "inplace_on_expanded_error": "x = torch.ones(3)\ne = x.expand(2, 3)\ne.add_(1)",
    "inplace_int_float_error": "t = torch.tensor([1, 2])\nt.add_(1.5)",
    "inplace_bool_error": "t = torch.tensor([True])\nt.add_(1)",
    "inplace_long_div_error": "t = torch.ones(3, dtype=torch.long)\nt /= 2",
    "inplace_broadcast_error": "t = torch.tensor([1., 2.])\nt.add_(torch.ones(2, 2))",
    "inplace_plain_ops": "t = torch.tensor([1., 2.])\nt.add_(1)\nt.mul_(torch.tensor([2., 3.]))\nt -= 1\nlog(t, ver(t), t.requires_grad, t.grad_fn)",
    "inplace_plain_adds_grad": "x = torch.tensor([1., 2.], requires_grad=True)\nt = torch.ones(2)\nt.add_(x)\nlog(t, graph(t), t.is_leaf)",
    "inplace_double_into_float": "t = torch.tensor([1., 2.])\nt.add_(torch.tensor([0.1, 0.2], dtype=torch.float64))\nlog(t)",
    "inplace_long_mul_int": "t = torch.tensor([1, 2])\nt *= 3\nt += torch.tensor(True)\nlog(t)",
    "retain_grad_then_inplace": V12 + "y = x*2\ny.retain_grad()\ny.add_(1)\n(y*y).sum().backward()\nlog(y.grad, x.grad)",
    "register_hook": V12 + """
y = x*3
h = y.register_hook(lambda g: log(g))
h2 = y.register_hook(lambda g: g*10)
y.retain_grad()
(y*y).sum().backward()
log(y.grad, x.grad)
x.grad = None
hx = x.register_hook(lambda g: g+1)
(x*2).sum().backward()
log(x.grad)
hx.remove()
x.grad = None
(x*2).sum().backward()
log(x.grad)
z = x*1
z.register_hook(lambda g: g*2)
log(torch.autograd.grad((z*z).sum(), x), torch.autograd.grad((z*z).sum(), z))
""",
    "hook_keeps_its_grad": V12 + "seen = []\nx.register_hook(lambda g: seen.append(g))\n(x*2).sum().backward()\n(x*2).sum().backward()\nlog(seen, x.grad)",
    "register_hook_no_grad": "torch.ones(2).register_hook(lambda g: g)",
    "retain_grad_then_mul_": V12 + "y = x*2\ny.retain_grad()\ny.mul_(3)\n(y*y).sum().backward()\nlog(y.grad, x.grad)",
    "detach_inplace": V12 + "y = x*2\nlog(y.detach_() is y, y.requires_grad, y.is_leaf, y.grad_fn)\ny.sum().backward()",
    "detach_inplace_view_error": X23 + "y = x*2\nv = y[0]\nv.detach_()",
    "autograd_backward_lists": V12 + """
w = torch.tensor([3., 4.], requires_grad=True)
torch.autograd.backward([x*w, (x*x).sum()], [torch.tensor([1., 2.]), torch.tensor(3.)])
log(x.grad, w.grad)
""",
    "backward_twice_different_graphs": V12 + "(x*x).sum().backward()\n(x*x*x).sum().backward()\nlog(x.grad)",
    "grad_of_intermediate": V12 + "y = x*x\nz = (y*3).sum()\nlog(torch.autograd.grad(z, y))",
    "grad_create_graph_then_backward": V12 + "g, = torch.autograd.grad((x**3).sum(), x, create_graph=True)\ng.sum().backward()\nlog(g, x.grad)",
    # ----- §3.2 detach vs .data -----------------------------------------------------------------
    "detach_vs_data_aliases": V123 + """
d = x.detach(); dd = x.data
log(d is x, dd is x, x.data is x.data)
log(d.requires_grad, d.is_leaf, d.grad_fn, dd.requires_grad, dd.is_leaf, dd.grad_fn)
d[0] = 100; dd[1] = 200
log(x, d, dd)
log(ver(x), ver(d), ver(dd), ver(x.data))
""",
    "data_write_not_tracked": V123 + "dd = x.data\ndd[1] = 200\nlog(ver(x), ver(dd))",
    "no_grad_write_visible": V123 + "d = x.detach()\nwith torch.no_grad():\n    x[2] = 300\nlog(d, ver(x), ver(d))",
    "exp_data_zero_silent": V12 + "y = x.exp()\ny.data.zero_()\nlog(ver(y))\ny.sum().backward()\nlog(x.grad)",
    "sigmoid_data_mul_silent": V12 + "y = x.sigmoid()\ny.data.mul_(2)\ny.sum().backward()\nlog(x.grad)",
    "leaf_data_mul_silent": V12 + "y = (x*x).sum()\nx.data.mul_(10)\ny.backward()\nlog(x.grad, x)",
    "detach_shares_version": V12 + "d = x.detach()\nd.add_(1)\nlog(ver(x), ver(d), x)",
    # ----- §3.3 requires_grad propagation -------------------------------------------------------
    "propagation": """
a = torch.ones(2); b = torch.ones(2, requires_grad=True)
log((a+a).requires_grad, (a+b).requires_grad, (a*2).requires_grad, (b.detach()*2).requires_grad)
c = torch.ones(2); c2 = c*2; c.requires_grad_()
log(c2.requires_grad, (c*2).requires_grad, (b>0).requires_grad, (b>0).dtype)
""",
    "leaf_table": """
n = torch.ones(2); w = torch.ones(2, requires_grad=True)
for t in [torch.ones(2), w, n+1, n*n, w+1, w.detach(), (w+1).detach(), w.data, w.clone(), w[0], w.view(2)]:
    log(t.is_leaf, t.requires_grad, node(t.grad_fn))
with torch.no_grad():
    u = w+1
log(u.is_leaf, u.requires_grad, u.grad_fn)
log(torch.ones(2).to(torch.float64).is_leaf, node(torch.ones(2, requires_grad=True).double().grad_fn))
""",
    "view_of_plain_requires_grad": "v = torch.ones(4).view(2, 2)\nv.requires_grad_()\nlog(v.is_leaf, v.requires_grad)\n(v*2).sum().backward()\nlog(v.grad)",
    "float_to_same_dtype_is_self": V12 + "log(x.float() is x, x.to(torch.float32) is x, x.contiguous() is x)",
    # ----- §3.4 retain_grad ---------------------------------------------------------------------
    "retain_grad": V12 + """
y = x*2
y.retain_grad()
z = (y*y).sum()
z.backward()
log(y.retains_grad, x.retains_grad, y.grad, x.grad, x.retain_grad())
""",
    "retain_grad_accumulates": V12 + "y = x*2\ny.retain_grad()\n(y*y).sum().backward(retain_graph=True)\nlog(y.grad)\n(y*3).sum().backward()\nlog(y.grad, x.grad)",
    "retain_grad_error_18": "t = torch.ones(2)\nt.retain_grad()",
    "nonleaf_grad_warning_12a": V12 + "y = x*2\nlog(y.grad)\ny.sum().backward()\nlog(y.grad)",
    "retained_no_warning_12b": V12 + "y = x*2\ny.retain_grad()\ny.sum().backward()\nlog(y.grad)",
    # ----- §3.5 grad mode -----------------------------------------------------------------------
    "no_grad_mode": V12 + """
with torch.no_grad():
    log(torch.is_grad_enabled())
    y = x*2
    log(y, y.requires_grad, y.grad_fn, y.is_leaf)
    f = torch.ones(2, requires_grad=True)
    log(f.requires_grad, f.is_leaf)
    with torch.enable_grad():
        z = x*2
    log(graph(z))
log(torch.is_grad_enabled())
""",
    "set_grad_enabled": V12 + """
with torch.set_grad_enabled(False):
    y = x*2
log(y.requires_grad, torch.is_grad_enabled())
torch.set_grad_enabled(False)
z = x*2
torch.set_grad_enabled(True)
log(z.requires_grad, (x*2).requires_grad)
""",
    "inference_mode": V12 + """
with torch.inference_mode():
    y = x*2
    log(torch.is_grad_enabled(), torch.is_inference_mode_enabled(), y, y.requires_grad)
    log(y.is_inference(), x.is_inference(), torch.ones(2).is_inference(), y.detach().is_inference())
    with torch.enable_grad():
        w = x*2
    log(w, w.is_inference())
log(torch.is_inference_mode_enabled(), torch.is_grad_enabled())
with torch.inference_mode(False):
    log((x*2).is_inference(), graph(x*2))
""",
    "inference_tensor_inplace_outside": "with torch.inference_mode():\n    y = torch.ones(2)\n    y.add_(1)\nlog(y)\ny.add_(1)",
    "inference_tensor_saved": V12 + "with torch.inference_mode():\n    y = torch.ones(2)\nlog((y + x).requires_grad)\n(y*x).sum().backward()",
    # ----- §3.6 higher-order derivatives ---------------------------------------------------------
    "second_derivative_cube": """
x = torch.tensor(2., requires_grad=True)
g = torch.autograd.grad(x**3, x, create_graph=True)[0]
log(g)
log(torch.autograd.grad(g, x))
""",
    "backward_create_graph": """
x = torch.tensor(2., requires_grad=True)
(x**3).backward(create_graph=True)
log(x.grad)
g = x.grad
x.grad = None
g.backward()
log(x.grad)
""",
    "backward_create_graph_accumulates": """
x = torch.tensor(2., requires_grad=True)
(x**3).backward(create_graph=True)
x.grad.backward()
log(x.grad)
""",
    "vector_second_derivative": """
x = torch.tensor([1., 2., 3.], requires_grad=True)
g = torch.autograd.grad((x**3).sum(), x, create_graph=True)[0]
log(g)
log(torch.autograd.grad(g.sum(), x))
""",
    "sin_derivatives": """
x = torch.tensor(1., requires_grad=True)
d1 = torch.autograd.grad(torch.sin(x), x, create_graph=True)[0]
d2 = torch.autograd.grad(d1, x, create_graph=True)[0]
d3 = torch.autograd.grad(d2, x)[0]
log(d1, d2, d3)
""",
    "hessian_vector": X23 + Y23 + """
g = torch.autograd.grad((x*x*y).sum(), x, create_graph=True)[0]
log(g)
log(torch.autograd.grad((g*y).sum(), [x, y]))
""",
    "grad_without_create_graph_17": "x = torch.tensor(2., requires_grad=True)\ng = torch.autograd.grad(x**3, x)[0]\nlog(g)\ng.backward()",
    # ----- §3.7 torch.autograd.grad -------------------------------------------------------------
    "autograd_grad_tuple": V12 + """
w = torch.tensor([3., 4.], requires_grad=True)
y = (x*w).sum()
log(torch.autograd.grad(y, x, retain_graph=True), x.grad)
log(torch.autograd.grad(y, [x, w]))
""",
    "backward_inputs": V12 + "w = torch.tensor([3., 4.], requires_grad=True)\n(x*w).sum().backward(inputs=[x])\nlog(x.grad, w.grad)",
    "backward_inputs_nonleaf": V12 + "y = x*3\n(y*y).sum().backward(inputs=[y])\nlog(y.grad, x.grad, y.retains_grad)",
    "unused_13a": V12 + "z = torch.ones(2, requires_grad=True)\ntorch.autograd.grad((x*2).sum(), [x, z])",
    "allow_unused_13b": V12 + "z = torch.ones(2, requires_grad=True)\nlog(torch.autograd.grad((x*2).sum(), [x, z], allow_unused=True))",
    "materialize_13b": V12 + "z = torch.ones(2, requires_grad=True)\nlog(torch.autograd.grad((x*2).sum(), [x, z], allow_unused=True, materialize_grads=True))",
    "input_no_grad_13c": V12 + "z = torch.ones(2)\ntorch.autograd.grad((x*2).sum(), [x, z])",
    "nonscalar_grad_13d": V12 + "torch.autograd.grad(x*2, x)",
    "grad_outputs": V12 + "log(torch.autograd.grad(x*x, x, grad_outputs=torch.tensor([1., 10.])))",
    "unused_leaf_backward_13e": V12 + "z = torch.ones(2, requires_grad=True)\n(x*2).sum().backward()\nlog(z.grad, x.grad)",
    # ----- §2 rows 11, 15, 16: conversions and the grad setter ----------------------------------
    "numpy_requires_grad_11a": V12 + "x.numpy()",
    "numpy_nonleaf_11a": V12 + "(x*2).numpy()",
    "conversions_no_warning_11b": "x = torch.tensor(2.5, requires_grad=True)\nlog(x.item(), int(x), x.tolist(), (x*2).tolist())",
    "float_warning_11c": "x = torch.tensor(2.5, requires_grad=True)\nlog(float(x))",
    "item_many_15a": "torch.ones(2).item()",
    "float_many_15b": "float(torch.ones(2))",
    "item_float32_exact": "log(torch.tensor(0.1).item(), torch.tensor([0.1, 0.2]).tolist())",
    "grad_setter_size_16a": V12 + "x.grad = torch.ones(3)",
    "grad_setter_dtype_16b": V12 + "x.grad = torch.ones(2, dtype=torch.float64)",
    "grad_setter_ok": V12 + "x.grad = torch.tensor([5., 6.])\n(x*2).sum().backward()\nlog(x.grad)",
    "create_graph_warning_20": "x = torch.tensor(2., requires_grad=True)\n(x*x).backward(create_graph=True)\nlog(x.grad)",
    "exp_log_float32_bits": "x = torch.tensor([0.1, 0.5, 1.7, -2.3, 6.0, 10.5, -0.7, 3.3, 0.01])\nlog(torch.exp(x).tolist())\nlog(torch.log(x.abs()).tolist())",
    "pow_float32_bits": "x = torch.tensor([0.13, 0.5, 1.7, 2.3, 6.1, 10.5, 0.77, 3.3])\nfor e in [2, 3, -0.5, -1, -2, 2.5, 4, 1.5, -3]:\n    log(e, (x ** e).tolist())\nlog((2 ** x).tolist())",
    "sum_mean_bits": """
for n in [3, 6, 7, 8, 9, 33, 100, 1000, 5000]:
    v = torch.arange(float(n)) * 0.7311 + 0.1
    v = v * v * 0.3 - v
    log(n, v.sum().item(), v.mean().item(), v.double().sum().item(), v.double().mean().item())
w = (torch.arange(60.) * 0.37 + 0.011).reshape(3, 4, 5)
w = w * w - 3.3 * w
log(w.sum().item(), w.mean().item(), w.transpose(0, 2).sum().item())
log(w.sum(dim=-1).tolist(), w.mean(dim=2, keepdim=True).tolist())
log(w.sum(dim=(1, 2)).tolist(), w.mean(dim=(2, 1)).tolist())
log(w.double().sum(dim=2).tolist(), torch.ones(2, 0).sum(dim=1), torch.ones(2, 0).sum())
u = w.reshape(3, 20) * 1.7
log(u.sum(dim=1).tolist(), u.mean(dim=1).tolist())
log(u.sum(dim=0).tolist(), w.sum(dim=(0, 1)).tolist(), w.mean(dim=0, keepdim=True).tolist())
c = (torch.arange(170.) * 0.29 - 7.1).reshape(17, 10)
c = c * c * 0.013
log(c.sum(dim=0).tolist(), c.mean(dim=0).tolist(), c.reshape(170, 1).sum(dim=0).tolist())
log(c.sum(dim=1).tolist(), w.sum(dim=1).tolist())
""",
    # ----- §2 row 10: broadcasting errors (dims scanned from the last) -------------------------
    "broadcast_10_a": "torch.ones(2, 3) + torch.ones(4)",
    "broadcast_10_b": "torch.ones(2, 3) * torch.ones(2, 2)",
    "broadcast_10_c": "torch.ones(2, 3, 4) + torch.ones(3, 2, 4)",
    "broadcast_10_d": "torch.ones(2, 3) + torch.ones(3, 3)",
    "broadcast_10_e": "torch.ones(5, 2, 3) + torch.ones(2, 4)",
    "broadcast_grads": "a = torch.ones(2, 1, 3, requires_grad=True)\nb = torch.ones(4, 1, requires_grad=True)\n(a * b * torch.arange(12.).reshape(4, 3)).sum().backward()\nlog(a.grad, b.grad)",
    # ----- §3.8 dtypes and promotion ------------------------------------------------------------
    "dtype_factories": """
log(torch.tensor([[1, 2], [3, 4]]).dtype, torch.tensor([1., 2.]).dtype, torch.tensor([1, 2.0]).dtype)
log(torch.tensor(3.5).dtype, torch.tensor(3).dtype, torch.tensor(True).dtype, torch.ones(2).dtype)
""",
    "dtype_int_arithmetic": """
a = torch.tensor([[1, 2], [3, 4]])
log(a + 1.5, a * 2, a // 2, a ** 2, a / 2)
log((a % 3), (a ** 0.5).dtype, (a + torch.ones(2)).dtype)
""",
    "dtype_int_sum_mean": "a = torch.tensor([1, 2])\nlog(a.sum())\na.mean()",
    "dtype_mixed_floats": """
f = torch.ones(2); d = torch.ones(2, dtype=torch.float64)
log((f + d).dtype, (f + torch.tensor(1., dtype=torch.float64)).dtype, (f + 2.5).dtype)
log((torch.tensor(True) + torch.tensor(True)).dtype, (torch.tensor([True]) + 1).dtype)
log((torch.tensor([1, 2]) + torch.tensor(1.5, dtype=torch.float64)).dtype)
log((torch.tensor([1, 2]) * torch.tensor(2.5)).dtype, (torch.tensor(2) * 2.5).dtype)
""",
    "dtype_comparisons": "a = torch.tensor([1, 2])\nlog(a > 1, a == torch.tensor([1., 3.]), (a > 1).dtype, torch.ones(2) < 2)",
    "dtype_floor_mod_pow": """
a = torch.tensor([7, -7])
log(a // 2, a % 3, a // -2, a % -3, a ** 2, 2 ** a.abs())
f = torch.tensor([7., -7.])
log(f // 2, f % 3, f % -3)
""",
    "grad_dtype_follows_leaf": """
x = torch.tensor([1., 2.], requires_grad=True)
(x * torch.tensor([2, 3])).sum().backward()
log(x.grad, x.grad.dtype)
d = torch.tensor([1., 2.], dtype=torch.float64, requires_grad=True)
(d.float() * 2).sum().backward()
log(d.grad, d.grad.dtype)
""",
    "float32_leaf_double_ops": "x = torch.tensor([1., 2.], requires_grad=True)\n(x * torch.tensor([0.1, 0.2], dtype=torch.float64)).sum().backward()\nlog(x.grad)",
}

for _i, _expr in enumerate(SECOND_BACKWARD_SUCCEEDS + SECOND_BACKWARD_FAILS):
    CASES[f"second_backward_{_i:02d}:{_expr}"] = X23 + Y23 + (
        f"s = ({_expr}).sum()\ns.backward()\ns.backward()\nlog(x.grad)\n")
