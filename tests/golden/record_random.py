"""Record PyTorch 2.13's random numbers (run in a separate environment that has torch):

    /work/torchenv/bin/python tests/golden/record_random.py

Each case is a seed and a sequence of calls, written so that the same text is valid Python over
torch's functions and over gradcli's (tests/engine/test_random_golden.py evaluates it with the
engine). After `manual_seed(seed)` the calls run in order on one generator stream, and every
result is stored whole (dtype, shape, tolist()) or, for the big tensors, as a SHA-256 of its bytes
plus its first values. The recording machine's CPU capability is stored too: PyTorch's own
float32 randn of 16+ elements depends on it (the AVX2 kernel; ARM and pre-AVX2 CPUs differ).
"""

import contextlib
import hashlib
import io
import warnings
import json
import pathlib

import torch

OUT = pathlib.Path(__file__).with_name("random.json")

SEEDS = (0, 1, 42, 2**31 - 1, 2**40 + 7)
SIZES = [str(n) for n in range(1, 41)] + ["100", "1000", "(3, 5)", "(2, 3, 4)"]
DTYPES = ("float32", "float64")

NAMESPACE = {
    "manual_seed": torch.manual_seed, "initial_seed": torch.initial_seed,
    "rand": torch.rand, "rand_like": torch.rand_like, "randn": torch.randn,
    "randn_like": torch.randn_like, "randint": torch.randint,
    "randint_like": torch.randint_like, "randperm": torch.randperm,
    "normal": torch.normal, "bernoulli": torch.bernoulli,
    "zeros": torch.zeros, "ones": torch.ones, "tensor": torch.tensor,
    "float32": torch.float32, "float64": torch.float64, "int64": torch.int64,
    "bool": torch.bool,
}

MIXED = [
    "rand(3)", "randn(5)", "randint(0, 10, (4,))", "randn(17)", "randperm(7)",
    "normal(2.0, 3.0, (5,))", "rand(2, dtype=float64)", "randn(3, dtype=float64)",
    "zeros(20).uniform_(-1.5, 2.5)", "zeros(5).normal_(1, 0.5)", "randn(1)",
    "zeros(6, dtype=int64).random_()", "zeros(4).random_(10)", "zeros(4).random_(-5, 5)",
    "zeros(3, dtype=float64).random_()", "zeros(5).random_()", "zeros(7, dtype=bool).random_()",
    "randint(3, 2**40, (3,))", "randint(-2**63, 2**63 - 1, (2,))", "randint(7, (2, 2))",
    "randint(2, 9, (5,), dtype=float32)", "bernoulli(rand(6))",
    "bernoulli(rand(6, dtype=float64))", "zeros(5).bernoulli_(tensor([0.1, 0.5, 0.9, 0.3, 0.7]))",
    "randn(16, dtype=float64)", "zeros(33, dtype=float64).normal_(-2.5, 0.3)",
    "zeros(40).normal_(0.25, 4.0)", "zeros(9, dtype=float64).uniform_(-3, 7)",
    "rand_like(ones(2, 3))", "randn_like(ones(4, dtype=float64))",
    "normal(tensor([0.0, 10.0, 100.0]), tensor([1.0, 2.0, 3.0]))",
    "normal(tensor([0.0, 10.0]), 2.0)", "normal(1.5, tensor([1.0, 0.5, 2.0]))",
    "randn(())", "rand(0)", "randperm(1)", "randperm(0)", "randn(2, 8)",
    "randn(3, 3, 3)", "rand(2, 2, requires_grad=True)", "randperm(5, dtype=float32)",
    "randn(15)", "randn(1)", "randn(31, dtype=float64)", "randn(2, dtype=float64)",
    "zeros(2, 3).t().normal_()", "zeros(3, 2).t().uniform_(-1, 1)", "zeros(4, 5).t().normal_()",
    "zeros(4, 5, dtype=float64).t().normal_(1.0, 2.0)", "zeros(40, 2)[:, 1].normal_()",
    "zeros(3, 20)[1].normal_()", "zeros(20, 3)[:, 0].uniform_()",
    "zeros(3, 4).t().bernoulli_(rand(4, 3))", "zeros(3, 4).t().bernoulli_(tensor([0.2, 0.5, 0.9]))",
    "zeros(5, 2)[:, 1].bernoulli_(rand(5, dtype=float64))",
    "zeros(4, dtype=bool).random_(0, 2)", "randint(0, 2, (5,), dtype=bool)",
    "randint(10, size=(3,))", "randint(low=2, high=5, size=(2, 2))", "rand(size=(2,))",
    "randn(size=(1, 2))", "normal(2, 3, size=(1, 4))", "randint_like(ones(2, 3), 10)",
    "randint_like(ones(4, dtype=int64), -5, 5)", "randint_like(ones(3), 2**40)",
]

# Calls on `leaf` (ones(3), requires_grad): their grad_fn, and the (zero) gradient they pass.
GRAD = ["normal(leaf, 1.0)", "normal(leaf, leaf)", "normal(0.5, leaf)", "bernoulli(leaf * 0.25)",
        "randn(3, requires_grad=True)", "rand_like(leaf)", "randn_like(leaf, requires_grad=True)"]

# random_/randint bounds PyTorch moves to values the float type can hold (and warns about).
BOUNDS = [f"zeros(6, dtype={dtype}).random_({low}, {high})" for dtype in DTYPES
          for low, high in [(0, 2**25), (-2**25 - 3, 5), (2**30 + 1, 2**30 + 1000),
                            (-2**40, 2**40), (3, 2**24 + 1), (2**53 - 1, 2**53 + 5),
                            (-2**60, -2**59), (0, 2**62)]]
BOUNDS += ["randint(0, 2**25, (4,), dtype=float32)", "zeros(3).random_(2**24 + 1)"]

ERRORS = [
    "rand(2, dtype=int64)", "randn(2, dtype=int64)", "randint(5, 3, (2,))",
    "normal(0.0, -1.0, (2,))", "zeros(2).uniform_(3, 1)", "zeros(2).normal_(0, -1)",
    "randperm(-1)", "rand(-1)", "bernoulli(tensor([1.5]))", "zeros(3).random_(5, 2)",
    "zeros(3, dtype=int64).uniform_()", "manual_seed(2**64)",
    "randint(3, (2,), requires_grad=True)",
    "rand_like(ones(2, dtype=int64))", "randint(0, 10, (3,), dtype=bool)",
    "zeros(3, dtype=bool).random_(5)", "randperm(3, dtype=bool)", "bernoulli(tensor([1, 0]))",
    "normal(tensor([0, 1]), 1.0)", "normal(tensor([0.0, 1.0]), tensor([1.0, -1.0]))",
    "normal(1.0, tensor([-1.0]))", "zeros(3).random_(2**24, 2**24 + 1)",
]

SEED_VALUES = ["0", "-1", "-2**63", "2**63", "2**64 - 1", "2**40 + 7", "1.5", "True", "2**32"]

BIG = [
    "randn(100000)", "randn(100003)", "randn(20000, dtype=float64)", "rand(100000)",
    "rand(20000, dtype=float64)", "zeros(50000).normal_(0.3, 2.5)",
    "zeros(20000, dtype=float64).normal_(-1.25, 0.7)", "zeros(50000).uniform_(-1.3, 2.7)",
    "zeros(20000, dtype=float64).uniform_(-1.3, 2.7)", "randint(0, 1000, (50000,))",
    "randperm(20000)", "bernoulli(rand(30000))",
]

# Programs where a non-leaf or leaf is written in place: grad_fn names and the leaf error.
INPLACE = ["uniform_()", "normal_()", "random_()", "random_(5)", "random_(1, 5)",
           "bernoulli_(tensor([0.5, 0.2, 0.9]))"]


LARGEST_LISTED = 64     # bigger results are stored as a digest of their bytes and a head


# Whole programs (the tutorial snippets S004-6/7 of the conformance seeds, and a mix), recorded
# as PyTorch prints them when SEEDED precedes them; gradcli runs them so, and as written under
# `--seed 0`.
SEEDED = "import torch\ntorch.manual_seed(0)\n"
PROGRAMS = {
    "s004_06_07_while_norm_random": """import torch
from torch.autograd import Variable
x = torch.randn(3)
x = Variable(x, requires_grad=True)

y = x * 2
while y.data.norm() < 1000:
    y = y * 2

print(y)
gradients = torch.FloatTensor([0.1, 1.0, 0.0001])
y.backward(gradients)

print(x.grad)
""",
    "mixed_calls": """import torch
a = torch.rand(2, 3)
b = torch.randn(4, dtype=torch.float64)
c = torch.randint(0, 10, (5,))
w = torch.zeros(3, 2)
w.uniform_(-1, 1)
print(a)
print(b)
print(c)
print(w)
print(torch.randperm(6), torch.normal(0.0, 2.0, size=(2,)))
print(torch.initial_seed())
""",
}


def run_program(text: str) -> str:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(text, {})
    return printed.getvalue()


def encode(value) -> dict:
    if not isinstance(value, torch.Tensor):
        return {"python": value}
    result = {"dtype": str(value.dtype).replace("torch.", ""), "shape": list(value.shape),
              "requires_grad": value.requires_grad}
    if value.numel() > LARGEST_LISTED:
        result["sha256"] = hashlib.sha256(value.detach().numpy().tobytes()).hexdigest()
        result["head"] = value.flatten()[:8].tolist()
    else:
        result["values"] = value.tolist()
    return result


def run(seed, calls) -> list:
    """Each call's result (or error), with the warnings it raised when there were any."""
    torch.manual_seed(seed)
    results = []
    for call in calls:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = encode(eval(call, dict(NAMESPACE)))
            except Exception as error:  # noqa: BLE001  (recording PyTorch's error)
                result = {"error": f"{type(error).__name__}: {error}"}
        if caught:
            result["warnings"] = [str(w.message) for w in caught]
        results.append(result)
    return results


def digest(seed, call) -> dict:
    torch.manual_seed(seed)
    return {"seed": seed, "call": call, **encode(eval(call, dict(NAMESPACE)))}


def inplace_case(method) -> dict:
    x = torch.ones(3, requires_grad=True)
    torch.manual_seed(0)
    y = x * 2
    out = eval(f"y.{method}", {"y": y, "tensor": torch.tensor})
    record = {"method": method, "grad_fn": type(out.grad_fn).__name__, "version": out._version,
              "values": out.tolist()}
    total = out.sum()
    total.backward()
    record["grad"] = x.grad.tolist()
    record["second_backward"] = second_backward(total)        # MulBackward0 saved the 2
    filled = x + 0                                            # AddBackward0 saves no tensor
    torch.manual_seed(0)
    total = eval(f"filled.{method}", {"filled": filled, "tensor": torch.tensor}).sum()
    total.backward()
    record["second_backward_after_add"] = second_backward(total)
    x.grad = None
    try:
        eval(f"x.{method}", {"x": x, "tensor": torch.tensor})
        record["leaf_error"] = None
    except RuntimeError as error:
        record["leaf_error"] = str(error)
    with torch.no_grad():
        torch.manual_seed(0)
        eval(f"x.{method}", {"x": x, "tensor": torch.tensor})
    record["no_grad_values"] = x.tolist()
    record["no_grad_version"] = x._version
    return record


def second_backward(total) -> str | None:
    """A second backward without retain_graph: None, or the error's text."""
    try:
        total.backward()
    except RuntimeError as error:
        return str(error)
    return None


def grad_case(call) -> dict:
    torch.manual_seed(0)
    leaf = torch.ones(3, requires_grad=True)
    out = eval(call, {**NAMESPACE, "leaf": leaf})
    record = {"call": call, **encode(out),
              "grad_fn": None if out.grad_fn is None else type(out.grad_fn).__name__}
    if out.requires_grad:
        out.sum().backward()
    record["leaf_grad"] = None if leaf.grad is None else leaf.grad.tolist()
    return record


def record() -> dict:
    cases = []
    for seed in SEEDS:
        for dtype in DTYPES:
            for fn in ("rand", "randn"):
                calls = [f"{fn}({size}, dtype={dtype})" for size in SIZES]
                cases.append({"name": f"{fn}-{dtype}-stream-{seed}", "seed": seed, "calls": calls})
        cases.append({"name": f"mixed-{seed}", "seed": seed, "calls": MIXED})
    for seed in (0,):
        for dtype in DTYPES:
            for fn in ("rand", "randn"):
                for size in SIZES:
                    call = f"{fn}({size}, dtype={dtype})"
                    cases.append({"name": f"fresh-{seed}-{call}", "seed": seed, "calls": [call]})
    for n in (2, 3, 10, 100, 1000):
        cases.append({"name": f"randperm-{n}", "seed": 0, "calls": [f"randperm({n})"]})
    cases.append({"name": "errors", "seed": 0, "calls": ERRORS})
    cases.append({"name": "bounds", "seed": 0, "calls": BOUNDS})
    for case in cases:
        case["results"] = run(case["seed"], case["calls"])
    return {
        "torch": torch.__version__,
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "cases": cases,
        "seeds": [seed_case(value) for value in SEED_VALUES],
        "big": [digest(seed, call) for seed in (0, 2**40 + 7) for call in BIG],
        "inplace": [inplace_case(m) for m in INPLACE],
        "grad": [grad_case(call) for call in GRAD],
        "programs": [{"name": name, "text": text, "stdout": run_program(SEEDED + text)}
                     for name, text in PROGRAMS.items()],
    }


def seed_case(value: str) -> dict:
    """What manual_seed(value) keeps as initial_seed(), and the first numbers it gives."""
    try:
        torch.manual_seed(eval(value))
    except Exception as error:  # noqa: BLE001
        return {"value": value, "error": f"{type(error).__name__}: {error}"}
    return {"value": value, "initial_seed": torch.initial_seed(), "rand": torch.rand(3).tolist()}


if __name__ == "__main__":
    OUT.write_text(json.dumps(record(), separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
