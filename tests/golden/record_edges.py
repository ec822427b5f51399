"""Record PyTorch 2.13's behaviour at the engine's edges (run in the torch environment):

    cd tests/golden && /work/torchenv/bin/python record_edges.py

- `quiet`: expressions where PyTorch computes inf or nan without a word (log(0), 1e300 in
  float32, the mean of nothing, gradients at singular points): the result's repr and, for a
  case with a leaf `x`, the repr of `x.grad` after `out.sum().backward()`;
- `errors`: the TypeErrors of PyTorch's argument parser for a non-tensor input, of
  `Tensor.__format__` with a format spec, of `+` on a bool tensor and of the legacy
  constructors given a tensor of another dtype (kind and exact message);
- `formats`: `format(tensor, spec)` where PyTorch gives a string;
- `values`: the repr of a few Python-level results (`x == [1.0]`, `+x is x`).

Each case is Python over `torch`, `F` and a leaf `x` (trusted text, evaluated here and by
tests/engine/test_quiet_math.py and test_tensor_arguments.py over the engine).
"""

import json
import pathlib
import warnings

import torch
import torch.nn.functional as F

OUT = pathlib.Path(__file__).with_name("edges.json")

# (expression, the leaf x as (values, dtype) or None)
QUIET = [
    ("torch.tensor([1e300])", None),
    ("torch.tensor(1e300)", None),
    ("torch.tensor([1e300, -1e300], dtype=torch.float32)", None),
    ("torch.FloatTensor([1e300])", None),
    ("torch.tensor([float('nan')]).long()", None),
    ("torch.zeros(0).mean()", None),
    ("torch.zeros(2, 0).mean(1)", None),
    ("torch.zeros(0, 3).mean(1)", None),
    ("torch.zeros(0, dtype=torch.float64).mean()", None),
    ("torch.zeros(0).sum()", None),
    ("torch.full((2,), float('inf'))", None),
    ("torch.full((2,), 1e300, dtype=torch.float64)", None),
    ("torch.full((2,), 1e300, dtype=torch.bool)", None),
    ("torch.linspace(0, 1e300, 3, dtype=torch.float64)", None),
    ("torch.full((1,), 3.4028234663852886e38)", None),
    ("torch.tensor([1.0, 0.0, -1.0]) / 0", None),
    ("x.log()", ([0.0, 2.0, -1.0], "float32")),
    ("torch.log1p(x)", ([-1.0, 0.5, -2.0], "float32")),
    ("x ** 0.5", ([0.0, 2.0], "float32")),
    # exponents 0 and 1: ATen's pow_out fills ones / copies (nan ** 0 is 1, -0.0 ** 1 is -0.0)
    ("x ** 0", ([float("nan"), 0.0, -0.0, float("inf"), -2.5], "float32")),
    ("x ** 0.0", ([float("nan"), -0.0, float("-inf"), 3.0], "float64")),
    ("x ** 1", ([float("nan"), 0.0, -0.0, float("inf"), -2.5], "float32")),
    ("x ** 1.0", ([float("nan"), -0.0, float("-inf"), 3.0], "float64")),
    ("torch.pow(x, False) + torch.pow(x, True)", ([-0.0, 2.0, float("nan")], "float32")),
    ("(x ** 0) * float('inf')", ([1.0, -2.0], "float32")),      # zeros, whatever comes back
    ("torch.sqrt(x)", ([0.0, 2.0, -1.0], "float32")),
    ("x.rsqrt()", ([0.0, 4.0], "float32")),
    ("x / x", ([0.0, 2.0], "float32")),
    ("x.reciprocal()", ([0.0, 2.0], "float64")),
    ("(-2.0) ** x", ([2.0, 0.5], "float32")),
    ("x ** x", ([0.0, -1.5, 2.0], "float64")),
    ("x.float()", ([1e300, -1e300, 1.0], "float64")),
    ("x.exp()", ([100.0, 1000.0], "float32")),
    ("x * 1e300", ([2.0, 0.0], "float32")),
    ("x.mean()", ([], "float32")),
    ("x.mean(1)", ([[], []], "float64")),
    ("F.mse_loss(x, x)", ([], "float32")),
    ("torch.sigmoid(x)", ([-1000.0, 1000.0], "float32")),
    ("F.softplus(x)", ([-1000.0, 1000.0], "float64")),
    ("torch.tan(x) * torch.acos(x)", ([2.0, 0.5], "float32")),
]

ERRORS = [
    "torch.mean([1.0, 2.0])",
    "torch.exp([1.0, 2.0])",
    "torch.sum([1, 2])",
    "torch.relu([1.0])",
    "F.relu([1.0])",
    "torch.log([1.0])",
    "torch.neg([1.0])",
    "torch.reciprocal([1.0])",
    "torch.clone([1.0])",
    "torch.logical_not([True])",
    "torch.sqrt([1.0])",
    "torch.sigmoid((1.0, 2.0))",
    "F.gelu([1.0])",
    "torch.exp(1.0)",
    "torch.sum(2)",
    "torch.mean(None)",
    "torch.add([1.0], x)",
    "torch.add(x, [1.0])",
    "torch.mul([1.0], x)",
    "torch.sub([1.0], x)",
    "torch.div([1.0], 2)",
    "torch.maximum([1.0], x)",
    "x + [1.0]",
    "[1.0] - x",
    "x ** [2.0]",
    "x < [1.0]",
    "x + None",
    # a method counts its arguments after x; overloaded functions list their signatures
    "x.add([1.0])",
    "x.sub(None)",
    "x.mul((1.0, 2.0))",
    "x.div([1.0])",
    "torch.pow(x, [1.0])",
    "torch.pow([1.0], x)",
    "torch.pow(2, 3)",
    "torch.pow(x, None)",
    "x.pow([1.0])",
    "x.pow((1.0, 2))",
    # an in-place method's errors name it (`add_`), with the out-of-place method's signatures
    "x.add_([1.0])",
    "x.sub_(None)",
    "x.mul_('a')",
    "x.div_([2.0])",
    "x.pow_([1.0])",
    "torch.eq(x, [1.0])",
    "torch.eq([1.0], x)",
    "torch.eq(1.0, x)",
    "torch.lt(x, 'a')",
    "x.eq([1.0])",
    "x.ge(None)",
    "torch.remainder(x, [1.0])",
    "x.remainder([1.0])",
    "torch.floor_divide(x, [1.0])",
    "x.floor_divide([1.0])",
    "torch.logical_or(x, [1.0])",
    "torch.where(x > 1, x, [1.0])",
    "torch.where(x > 1, [1.0], x)",
    "torch.where([True, False], x, x)",
    "torch.where(x > 1, x, None)",
    "torch.where(x > 1, x, (1,))",
    "torch.where(x > 1, x)",
    "torch.where([True])",
    "format(x, '.2f')",
    "format(x.reshape(1, 2), '>30')",
    "format(x, 's')",
    "format(torch.tensor(1.5), 's')",
    "+torch.tensor([True, False])",
    "torch.FloatTensor(torch.zeros(1, dtype=torch.float64))",
    "torch.DoubleTensor(torch.zeros(1))",
    "torch.LongTensor(torch.zeros(1))",
    "torch.FloatTensor(torch.zeros(1, dtype=torch.int64))",
    "torch.full((2,), 1e300)",
    "torch.full((2,), -3.5e38)",
    "torch.full((1,), 3.4028235e38)",
    "torch.full((2,), 2**63, dtype=torch.int64)",
    "torch.full((2,), 1e300, dtype=torch.int64)",
    "torch.full((1,), float('nan'), dtype=torch.int64)",
    "torch.full_like(torch.zeros(2), 1e300)",
    "torch.linspace(0, 1e300, 3)",
    "torch.linspace(-1e300, 0, 3, dtype=torch.int64)",
    "torch.zeros(2).fill_(1e300)",
    "torch.zeros(2, dtype=torch.int64).fill_(1e30)",
]

FORMATS = [
    "format(torch.tensor(1.5), '.2f')",
    "format(torch.tensor(1.5), '')",
    "format(torch.tensor(2), '>5')",
    "format(torch.tensor(1.5, requires_grad=True), '.3e')",
    "format(x, '')",
    "'{}'.format(x)",
    "f'{x}'",
]

VALUES = [
    "x == [1.0]",
    "x != [1.0]",
    "(+x) is x",
]

LEAF = [1.0, 2.0]


def record_quiet(expression: str, leaf) -> dict:
    case = {"expression": expression, "x": leaf}
    scope = {"torch": torch, "F": F}
    if leaf is not None:
        scope["x"] = torch.tensor(leaf[0], dtype=getattr(torch, leaf[1]), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # PyTorch is silent here; a warning stops the record
        out = eval(expression, scope)
        case["repr"] = repr(out)
        if leaf is not None:
            out.sum().backward()
            case["grad"] = repr(scope["x"].grad)
    return case


def record_error(expression: str) -> dict:
    scope = {"torch": torch, "F": F, "x": torch.tensor(LEAF)}
    try:
        value = eval(expression, scope)
    except Exception as error:      # noqa: BLE001  any exception is the recorded behaviour
        return {"expression": expression, "kind": type(error).__name__, "message": str(error)}
    raise AssertionError(f"{expression} gave {value!r}, not an error")


def record_format(expression: str) -> dict:
    scope = {"torch": torch, "x": torch.tensor(LEAF)}
    return {"expression": expression, "text": eval(expression, scope)}


def record_value(expression: str) -> dict:
    scope = {"torch": torch, "x": torch.tensor(LEAF)}
    return {"expression": expression, "repr": repr(eval(expression, scope))}


def main() -> None:
    golden = {
        "torch": torch.__version__,
        "quiet": [record_quiet(e, leaf) for e, leaf in QUIET],
        "errors": [record_error(e) for e in ERRORS],
        "formats": [record_format(e) for e in FORMATS],
        "values": [record_value(e) for e in VALUES],
    }
    OUT.write_text(json.dumps(golden, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {sum(len(v) for v in golden.values() if isinstance(v, list))} cases")


if __name__ == "__main__":
    main()
