"""Programs (valid Python over torch) that exercise the language's reach into PyTorch: printing,
formatting, in-place augmented assignment, grad modes, loops over tensors, indexing, warnings
once per line, errors. Recorded with PyTorch by record_language.py; replayed by
tests/lang/test_language_golden.py through gradcli's script mode. The later programs cover what
the namespace opens beyond the operators: inference mode, hook handles, generators and
`torch.random`, `torch.linalg`."""

HEAD = "import torch\nfrom torch.autograd import Variable\n"
TORCH = "import torch\n"

PROGRAMS = {
    "print_values": HEAD + (
        "x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\n"
        "print(x, x * 2, None, 1.5, 2, True)\n"
        "print((x, x + 1), [x, x.detach()], (x.sum(),))\n"
        "print(x > 1, torch.tensor([1, 2]), torch.tensor(3.5), x.shape, x.dtype)\n"
        "print(x.tolist(), x.sum().item(), x[0].item() + 0.1)\n"),
    "print_sep_end": HEAD + (
        "x = torch.ones(2)\nprint(x, x, sep=' | ', end=' END\\n')\nprint('a', x, sep='')\n"),
    "fstrings_and_format": HEAD + (
        "x = torch.tensor([0.5, 1.5], requires_grad=True)\nloss = (x ** 2).sum()\n"
        "print(f'loss {loss.item():.4f} sum {loss:.2f} t {x}')\n"
        "print('loss: {:.3f} {}'.format(loss.item(), x.grad))\n"
        "print('%.3f and %d and %s' % (loss.item(), 3, x.detach()))\n"
        "print('%.2f' % loss)\n"
        "print(f'{x.shape} {x.dtype} {x.requires_grad} {loss.grad_fn is not None}')\n"),
    "augmented_assignment_is_in_place": HEAD + (
        "x = torch.ones(2)\ny = x\nx += 1\nprint(y, x is y)\n"
        "x = x + 1\nprint(y, x is y)\n"
        "z = torch.ones(2, requires_grad=True)\nw = z * 2\nw += 1\nprint(w)\n"
        "w *= 3\nprint(w)\nw.sum().backward()\nprint(z.grad)\n"),
    "augmented_floor_division_and_remainder": HEAD + (
        "x = torch.tensor([5., 7.], requires_grad=True)\ny = x * 1\nz = y\ny %= 3\n"
        "print(y, z is y)\ny //= 1\nprint(y)\n"
        "c = torch.tensor([7, -7])\nd = c\nc //= 2\nprint(d, c is d)\n"
        "c %= torch.tensor([3, 4])\nprint(c)\nb = x * 1\nb %= 3\nb.sum().backward()\n"
        "print(b, x.grad)\nn = 7\nn //= 2\nn %= 2\nprint(n)\ni = torch.tensor([1, 2])\n"
        "i //= 0\n"),
    "augmented_assignment_on_leaf_fails": HEAD + (
        "x = torch.ones(2, requires_grad=True)\nx += 1\n"),
    "augmented_index_assignment": HEAD + (
        "x = torch.zeros(3)\nx[1] += 5\nx[0] = 2\nx[1:] *= 2\nprint(x)\n"),
    "no_grad_and_enable_grad": HEAD + (
        "x = torch.ones(2, requires_grad=True)\n"
        "with torch.no_grad():\n    y = x * 2\n    with torch.enable_grad():\n        z = x * 2\n"
        "    print(torch.is_grad_enabled())\n"
        "print(y.requires_grad, z.requires_grad, z.grad_fn is not None, torch.is_grad_enabled())\n"
        "with torch.no_grad():\n    x[0] = 5\nprint(x)\n"),
    "no_grad_restored_after_error": HEAD + (
        "x = torch.ones(2, requires_grad=True)\n"
        "try:\n    with torch.no_grad():\n        raise ValueError('inside')\n"
        "except ValueError as e:\n    print('caught', e)\n"
        "print(torch.is_grad_enabled(), (x * 2).requires_grad)\n"),
    "loops_over_tensors": HEAD + (
        "m = torch.tensor([[1.0, 2.0], [3.0, 4.0]])\n"
        "for row in m:\n    print(row, row.sum())\n"
        "a, b = torch.tensor([1.0, 2.0])\nprint(a, b)\n"
        "for i, v in enumerate(torch.tensor([5, 6])):\n    print(i, v)\n"),
    "indexing_and_slicing": HEAD + (
        "x = torch.arange(12.0).reshape(3, 4)\n"
        "print(x[0], x[:, 1:], x[..., 0], x[None].shape, x[x > 5], x[1, 2], x[-1, ::2])\n"
        "x.requires_grad_()\ny = x[x > 5].sum() + x[0, 0]\ny.backward()\nprint(x.grad)\n"),
    "while_loop_training": HEAD + (
        "w = torch.tensor(0.0, requires_grad=True)\nstep = 0\n"
        "while step < 5:\n    loss = (w - 3) ** 2\n    loss.backward()\n"
        "    with torch.no_grad():\n        w -= 0.1 * w.grad\n    w.grad.zero_()\n    step += 1\n"
        "print(f'w = {w.item():.4f}', w)\n"),
    "functions_with_tensors": HEAD + (
        "def f(x, k=2):\n    return (x ** k).sum()\n"
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\ny = f(x) + f(x, k=3)\ny.backward()\n"
        "print(y, x.grad)\n"),
    "autograd_grad_second_order": HEAD + (
        "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 3\n"
        "g, = torch.autograd.grad(y, x, create_graph=True)\nh = torch.autograd.grad(g, x)\n"
        "print(g, h)\n"),
    "variable_and_legacy": HEAD + (
        "v = Variable(torch.FloatTensor([[1, 2], [3, 4]]), requires_grad=True)\n"
        "print(v, v.data, isinstance(v, torch.Tensor), type(v), v.type())\n"
        "out = torch.mean(v * v)\nout.backward()\nprint(out, v.grad)\n"),
    "warning_once_per_line": HEAD + (
        "x = torch.ones(2, requires_grad=True)\ny = x * 2\n"
        "for i in range(3):\n    g = y.grad\n"
        "g = y.grad\nprint(g)\n"),
    "python_numbers_with_tensors": HEAD + (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "print(2 * x, x / 2, 2 / x, 2 ** x, x ** 2, 1 - x, -x, +x)\n"
        "print(x.sum() > 2, 0 < x.sum().item() < 5, float(x.sum()), int(x.sum()))\n"),
    "builtins_over_tensors": HEAD + (
        "x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)\n"
        "print(max(x), min(x), sum(x), abs(-x), len(x), sorted(x.tolist()), list(x))\n"),
    "chained_comparison_none": HEAD + (
        "x = torch.ones(1)\ny = torch.ones(1)\nz = x + y\n"
        "print(z.grad == x.grad == y.grad == None, x.grad is None)\n"),
    "nonscalar_backward_error": HEAD + (
        "x = torch.ones(2, 2, requires_grad=True)\ny = x * 2\nprint('before')\ny.backward()\n"
        "print('never')\n"),
    "attribute_error": HEAD + "x = torch.ones(2)\nprint(x.creator)\n",
    "name_error_in_function": HEAD + (
        "def f(t):\n    return t * scale\nprint(f(torch.ones(1)))\n"),
    "caught_torch_errors": HEAD + (
        "x = torch.ones(2, 3)\n"
        "try:\n    torch.mm(x, x)\nexcept RuntimeError as e:\n    print('RuntimeError:', e)\n"
        "try:\n    x[5]\nexcept IndexError as e:\n    print(type(e), e)\n"
        "try:\n    torch.tensor([1, 2], requires_grad=True)\nexcept Exception as e:\n"
        "    print(repr(e))\n"),
    "retain_graph_and_accumulation": HEAD + (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\ny = (x * x).sum()\n"
        "y.backward(retain_graph=True)\nprint(x.grad)\ny.backward()\nprint(x.grad)\n"
        "x.grad = None\n(x * 3).sum().backward()\nprint(x.grad)\n"),
    "numpy_round_trip": HEAD + "import numpy as np\n" + (
        "a = np.array([[1.0, 2.0], [3.0, 4.0]])\nt = torch.from_numpy(a)\n"
        "print(t, t.numpy(), np.ones(2), a.shape, a.dtype)\n"),
    "no_grad_decorator": HEAD + (
        "x = torch.ones(2, requires_grad=True)\n@torch.no_grad()\ndef f(t):\n    return t * 2\n"
        "@torch.no_grad\ndef g(t):\n    return t * 2\n"
        "print(f(x).requires_grad, g(x).requires_grad, (x * 2).requires_grad, x @ x)\n"),
    "one_line_forms_and_semicolons": HEAD + (
        "x = torch.ones(1); y = x * 3; print(y)\n"
        "if y.sum() > 2: print('big')\nwhile y.sum() < 10: y = y * 2\nprint(y)\n"),
    "format_tensors": HEAD + (
        "x = torch.tensor(2.5, requires_grad=True); l = x * 1; v = torch.ones(2)\n"
        "print(f'{l}', '{}'.format(l), f'{l!s}', f'{l:.2f}', '{}'.format(v), f'{v}')\n"
        "print(f'loss {l.item():.4f}', 'grad:{}'.format(v * 2))\n"),
    # what the namespace opens beyond the operators
    "inference_mode": TORCH + (
        "x = torch.ones(2, requires_grad=True)\n"
        "print(torch.is_inference_mode_enabled())\n"
        "with torch.inference_mode():\n"
        "    y = x * 2\n"
        "    print(torch.is_inference_mode_enabled(), torch.is_grad_enabled())\n"
        "    with torch.inference_mode(False):\n"
        "        print(torch.is_inference_mode_enabled())\n"
        "print(y, y.requires_grad, y.grad_fn, torch.is_inference_mode_enabled())\n"
        "print(torch.is_grad_enabled(), (x * 2).requires_grad)\n"),
    "inference_mode_decorator": TORCH + (
        "@torch.inference_mode()\n"
        "def f(t):\n"
        "    return t * 3, torch.is_inference_mode_enabled()\n"
        "x = torch.ones(2, requires_grad=True)\n"
        "y, inside = f(x)\n"
        "print(y.requires_grad, inside, torch.is_inference_mode_enabled())\n"
        "@torch.inference_mode(False)\n"
        "def g():\n"
        "    return torch.is_inference_mode_enabled(), (x * 2).requires_grad\n"
        "with torch.inference_mode():\n"
        "    print(g(), torch.is_inference_mode_enabled())\n"
        "@torch.inference_mode\n"
        "def h():\n"
        "    return torch.is_inference_mode_enabled()\n"
        "print(h(), g())\n"),
    "hook_handle_remove": TORCH + (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "h = x.register_hook(lambda g: g * 10)\n"
        "(x * x).sum().backward()\n"
        "print(x.grad)\n"
        "h.remove()\n"
        "x.grad = None\n"
        "(x * x).sum().backward()\n"
        "print(x.grad)\n"
        "h.remove()\n"
        "y = x * 3\n"
        "seen = []\n"
        "k = y.register_hook(lambda g: seen.append(g))\n"
        "k.remove()\n"
        "y.sum().backward()\n"
        "print(seen, x.grad)\n"),
    "generator_methods": TORCH + (
        "g = torch.manual_seed(3)\n"
        "print(g.initial_seed(), torch.initial_seed(), torch.random.initial_seed())\n"
        "a = torch.rand(2)\n"
        "g.manual_seed(3)\n"
        "print(bool((a == torch.rand(2)).all()), a)\n"
        "print(g is torch.default_generator, torch.manual_seed(1) is torch.default_generator)\n"
        "r = torch.random.manual_seed(5)\n"
        "print(r is g, torch.default_generator.initial_seed(), torch.rand(1))\n"
        "s = torch.random.seed()\n"
        "print(s == torch.initial_seed(), s == g.initial_seed())\n"
        "t = g.seed()\n"
        "print(t == torch.initial_seed())\n"
        "g2 = torch.Generator().manual_seed(7)\n"
        "print(g2.initial_seed(), torch.randn(3, generator=g2))\n"
        "print(g2.manual_seed(7).initial_seed(), torch.randn(3, generator=g2))\n"),
    "linalg_module": TORCH + (
        "from torch.linalg import vector_norm\n"
        "import torch.linalg as LA\n"
        "x = torch.tensor([[3.0, 4.0], [0.0, 1.0]], requires_grad=True)\n"
        "n = torch.linalg.norm(x)\n"
        "print(n)\n"
        "n.backward()\n"
        "print(x.grad)\n"
        "print(vector_norm(x, ord=1, dim=1), LA.matrix_norm(x, ord=1))\n"
        "print(torch.linalg.vector_norm(x, dim=0, keepdim=True))\n"
        "print(torch.linalg.norm(x, ord=float('inf')))\n"),
    "return_types_type": TORCH + (
        "x = torch.tensor([[1.0, 5.0], [3.0, 2.0]], requires_grad=True)\n"
        "r = x.max(0)\n"
        "print(type(r), type(x.min(1)), isinstance(r, tuple), len(r))\n"
        "values, indices = r\n"
        "print(values is r.values, indices)\n"),
    "zero_norm_gives_no_gradient": TORCH + (
        "x = torch.tensor([1.0, 0.0, 2.0], requires_grad=True)\n"
        "x.norm(0).backward()\nprint(x.grad)\n"
        "(x.norm(0) + x.sum()).backward()\nprint(x.grad)\n"
        "print(torch.autograd.grad(x.norm(0), x, allow_unused=True))\n"
        "print(torch.autograd.grad(x.norm(0) * 2, x, allow_unused=True, materialize_grads=True))\n"
        "print(torch.autograd.grad(x.norm(0), x))\n"),
    "type_names": TORCH + (
        "x = torch.ones(2, requires_grad=True)\n"
        "print(type(x).__name__, type(x.max(0)).__name__, type(1.5).__name__,\n"
        "      type(x.shape).__name__)\n"
        "print(type(x.dtype).__name__, RuntimeError.__name__)\n"
        "try:\n    x.add_(1)\nexcept RuntimeError as e:\n    print(type(e).__name__)\n"),
}
