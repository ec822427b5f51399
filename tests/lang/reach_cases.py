"""Programs (valid Python over torch) for the parts of torch the namespace opens beyond the
operators: inference mode, hook handles, generators and `torch.random`, `torch.linalg`.
Recorded with PyTorch by record_reach.py; replayed by test_reach_golden.py in script mode."""

HEAD = "import torch\n"

PROGRAMS = {
    "inference_mode": HEAD + (
        "x = torch.ones(2, requires_grad=True)\n"
        "print(torch.is_inference_mode_enabled())\n"
        "with torch.inference_mode():\n"
        "    y = x * 2\n"
        "    print(torch.is_inference_mode_enabled(), torch.is_grad_enabled())\n"
        "    with torch.inference_mode(False):\n"
        "        print(torch.is_inference_mode_enabled())\n"
        "print(y, y.requires_grad, y.grad_fn, torch.is_inference_mode_enabled())\n"
        "print(torch.is_grad_enabled(), (x * 2).requires_grad)\n"),
    "inference_mode_decorator": HEAD + (
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
    "hook_handle_remove": HEAD + (
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
    "generator_methods": HEAD + (
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
    "linalg_module": HEAD + (
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
    "return_types_type": HEAD + (
        "x = torch.tensor([[1.0, 5.0], [3.0, 2.0]], requires_grad=True)\n"
        "r = x.max(0)\n"
        "print(type(r), type(x.min(1)), isinstance(r, tuple), len(r))\n"
        "values, indices = r\n"
        "print(values is r.values, indices)\n"),
}
