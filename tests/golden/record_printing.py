"""Record PyTorch 2.13's `repr` of tensors (reference §3.11) into printing.json:

    /work/torchenv/bin/python tests/golden/record_printing.py

`build_cases()` is plain Python with a fixed seed and never touches torch, so the golden test
(tests/engine/test_printing_golden.py) and the live differential test rebuild exactly the same
tensors. A case stores:

- `shape`, `dtype` (float32/float64/int64/bool) and `default_dtype` (the torch default dtype
  while the tensor is made and printed);
- the input values, exactly: `values` is the flat list (floats are JSON numbers, written with
  repr, so they round-trip; non-finite ones are the strings "nan", "inf", "-inf"), or, for big
  tensors, a `recipe` (`arange` start/step or a repeated `cycle` of items, then `set` overrides
  as [flat index, value] pairs). Values are float64 and become float32 in the constructor, so
  float32 rounding happens inside both libraries;
- `make`: how the printed tensor is made from the input (a key of MAKES);
- `repr`: what PyTorch printed.
"""

from __future__ import annotations

import json
import math
import pathlib
import random
import sys

import numpy as np

OUT = pathlib.Path(__file__).with_name("printing.json")
SEED = 20261125

# How the printed tensor is made from `x` (the tensor built from the values). Every make but
# "plain" builds `x` with requires_grad=True; the grad_fn names give suffixes of varied length.
MAKES = {
    "plain": "x",
    "leaf": "x (requires_grad=True)",
    "mul1": "x * 1",                 # MulBackward0
    "add0": "x + 0",                 # AddBackward0
    "clone": "x.clone()",            # CloneBackward0
    "view": "x.view(x.shape)",       # ViewBackward0
    "unsqueeze0": "x.unsqueeze(0)",  # UnsqueezeBackward0 (one more dimension)
    "to_float64": "x.to(float64)",   # ToCopyBackward0 (+ dtype suffix), float32 inputs only
}
GRAD_MAKES = [m for m in MAKES if m not in ("plain", "leaf", "to_float64")]
FLOAT_DTYPES = ("float32", "float64")


# ----- values: JSON encoding and rebuilding ---------------------------------------------------

def encode(value):
    """A float as a JSON number (repr, exact) or, when not finite, as its name."""
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    return value


def _decode_list(items, dtype: str) -> np.ndarray:
    if dtype in FLOAT_DTYPES:
        return np.array([float(v) for v in items], dtype=np.float64)
    return np.array(items, dtype=np.int64 if dtype == "int64" else np.bool_)


def input_array(case) -> np.ndarray:
    """The case's input values (float64, int64 or bool numpy array of the case's shape)."""
    numel = math.prod(case["shape"])
    recipe = case.get("recipe")
    if recipe is None:
        flat = _decode_list(case["values"], case["dtype"])
    elif "arange" in recipe:
        start, step = recipe["arange"]
        kind = np.int64 if case["dtype"] == "int64" else np.float64
        flat = np.arange(numel, dtype=kind) * kind(step) + kind(start)
    else:
        flat = np.resize(_decode_list(recipe["cycle"], case["dtype"]), numel)
    for index, value in (recipe or {}).get("set", []):
        flat[index] = _decode_list([value], case["dtype"])[0]
    return flat.reshape(case["shape"])


# ----- the cases --------------------------------------------------------------------------------

class Cases:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.items: list[dict] = []

    def add(self, group, shape, dtype, values=None, recipe=None, make="plain",
            default_dtype="float32") -> None:
        case = {"id": f"{len(self.items):03d}-{group}", "shape": list(shape), "dtype": dtype,
                "default_dtype": default_dtype, "make": make}
        if recipe is None:
            assert len(values) == math.prod(shape), (group, shape)
            case["values"] = [encode(v) for v in values]
        else:
            case["recipe"] = recipe
        self.items.append(case)

    # -- random shapes, magnitudes and specials
    def random_value(self, family: str) -> float:
        r = self.rng
        sign = r.choice((-1.0, 1.0))
        if family == "int":
            return sign * r.randint(0, 10 ** r.randint(0, 9))
        if family == "fixed":
            return float(f"{sign * r.random() * 10 ** r.randint(-3, 4):.6g}")
        if family == "full":
            return sign * r.random() * 10 ** r.randint(-5, 9)
        if family == "log":
            return float(f"{sign * 10 ** r.uniform(-10, 12):.7g}")
        # "ratio": magnitudes within about 1000x of one base, straddling the sci-mode ratio
        return float(f"{sign * 10 ** r.uniform(-6, 9) * r.uniform(1, 1200):.6g}")

    def random_case(self) -> None:
        r = self.rng
        ndim = r.choice((0, 1, 1, 2, 2, 3, 3, 4))
        shape = [r.choice((0, 1, 2, 2, 3, 3, 4, 5)) if r.random() > 0.08 else 0
                 for _ in range(ndim)]
        if ndim == 1 and r.random() < 0.3:
            shape = [r.randint(6, 40)]
        numel = math.prod(shape)
        dtype = r.choices(("float32", "float64", "int64", "bool"), (45, 25, 15, 15))[0]
        if dtype == "bool":
            values = [r.random() < 0.5 for _ in range(numel)]
        elif dtype == "int64":
            scale = 10 ** r.randint(0, 12)
            values = [r.randint(-scale, scale) for _ in range(numel)]
        else:
            family = r.choice(("int", "fixed", "full", "log", "ratio"))
            values = [self.random_value(family) for _ in range(numel)]
            if r.random() < 0.3:
                for _ in range(r.randint(1, 3)):
                    if values:
                        values[r.randrange(numel)] = r.choice(
                            (math.nan, math.inf, -math.inf, -0.0, 0.0))
        make = "plain"
        if dtype in FLOAT_DTYPES and r.random() < 0.6:
            make = r.choice(["leaf"] + GRAD_MAKES + (["to_float64"] if dtype == "float32" else []))
        self.add("random", shape, dtype, values, make=make)

    # -- the format-mode and rounding boundaries (reference §3.11 rule 4 and 5)
    BOUNDARY_VALUES = [
        [1.0, 1000.0], [1.0, 1001.0], [1.0, 1000.5], [-1.0, 1000.0], [0.5, 500.0], [0.5, 501.0],
        [0.5, 500.0001], [0.001, 1.0], [0.001, 1.001], [0.0011, 1.1], [3.0, 3000.0],
        [3.0, 3001.0], [1e8], [1.0, 1e8], [100000001.0], [99999999.0], [100000008.0], [1.5e8],
        [123456789.0], [-1e8, 2.0], [1e8, 0.5], [1e-4], [0.0001, 0.1], [0.00011], [1.0001e-4],
        [9.9999e-5], [1e-4 * (1 + 2 ** -20)], [0.00010001, 0.05], [0.00012, 0.1],
        [0.12345], [2.00005], [1.00005], [9.99995], [99.99995], [0.99995], [-9.99995],
        [999.99995], [0.12345, 1.0], [1.23455, 2.0], [2.5, 0.00015], [0.00025], [0.00015],
        [9.99995e9], [1.23455e-5], [9.99999e-6, 1.0], [123456.7], [0.5, 1.5, 2.5],
        [1.0, 10.0, 100.0], [-1.0, 10.0], [16777217.0], [1e7, 1.0], [2.0 ** 24, 3.0],
        [-0.0, 1.0], [0.0, -0.0], [-0.0], [0.0, 0.0], [math.nan], [math.inf], [-math.inf],
        [math.nan, math.inf, -math.inf], [math.nan, 1.0], [1.5, math.nan], [100.0, math.inf],
        [-0.0, math.nan], [math.nan, 1e-5], [math.inf, 0.5, 1000.0], [1e10, math.nan],
        [-math.inf, -1.0], [1e-10, 1e12], [1e12], [-1e-10], [1e-45], [3.4e38, -1.0],
        [1e-300, 1e300], [0.1, 0.2, 0.3], [1 / 3, -2 / 3], [1e-3, 0.5, -0.25],
        [0.99999999, 2.0], [1.0000001, 3.0], [2.0 ** -14, 1.0], [-1e-4, -0.1],
    ]

    def boundary_cases(self) -> None:
        for values in self.BOUNDARY_VALUES:
            for dtype in FLOAT_DTYPES:
                self.add("boundary", [len(values)], dtype, values)
        for values in self.BOUNDARY_VALUES[::4]:
            self.add("boundary0d", [], "float32", values[:1], make="mul1")
            self.add("boundary2d", [len(values), 1], "float32", values, make="leaf")

    # -- how many elements fit on a line (rule 6), for every element width
    # (dtype, repeated values, their printed width): sizes are chosen around each line break
    WIDTH_PATTERNS = [
        ("float32", [1.0, 2.0], 2), ("float32", [10.0, -3.0], 3), ("float64", [-100.0, 7.0], 4),
        ("float32", [12345.0, 1.0], 6), ("float32", [1.25, 0.5], 6),
        ("float64", [-1.25, 0.5], 7), ("float32", [123.25, 0.5], 8),
        ("float32", [1.5e-5, 2.5], 10), ("float64", [-1.5e-5, 2.5], 11),
        ("float64", [1e-100, 2.5], 11), ("int64", [7, 3], 1), ("int64", [-42, 5], 3),
        ("int64", [123456789012, 1], 12), ("bool", [True, True], 4), ("bool", [False, True], 5),
    ]

    def width_cases(self) -> None:
        for dtype, pattern, width in self.WIDTH_PATTERNS:
            for indent, lead in ((7, []), (8, [2]), (9, [2, 1])):
                per_line = max(1, (80 - indent) // (width + 2))
                for n in sorted({per_line - 1, per_line, per_line + 1, 2 * per_line + 1} - {0}):
                    shape = lead + [n]
                    numel = math.prod(shape)
                    self.add("width", shape, dtype, (pattern * numel)[:numel])

    # -- where a suffix moves to its own line (rule 3), swept across the boundary
    def suffix_cases(self) -> None:
        sweeps = [("float32", [1.25, 0.5], range(6, 12)), ("float32", [10.0, 2.0], range(9, 16)),
                  ("float64", [1.25, -0.5], range(5, 11)), ("float32", [1.5e-5, 2.5], range(4, 8))]
        for dtype, pattern, counts in sweeps:
            makes = ["leaf", "mul1", "unsqueeze0"] + (["to_float64"] if dtype == "float32"
                                                     else ["clone"])
            for make in makes:
                for n in counts:
                    self.add("suffix", [n], dtype, (pattern * n)[:n], make=make)
        for make in ("leaf", "view", "add0"):
            for n in range(5, 10):
                self.add("suffix2d", [2, n], "float64", [0.25 * i for i in range(2 * n)],
                         make=make)

    # -- summarisation past 1000 elements (rule 6), only the edges choose the format
    def summary_cases(self) -> None:
        shapes = [[999], [1000], [1001], [2, 500], [2, 501], [1, 1001], [1001, 1], [7, 143],
                  [6, 167], [143, 7], [10, 10, 10], [10, 10, 11], [3, 3, 3, 37], [3, 3, 3, 38],
                  [7, 7, 7, 3], [2, 2, 2, 2, 63]]
        for i, shape in enumerate(shapes):
            numel = math.prod(shape)
            dtype = ("float32", "float64", "int64", "bool")[i % 4]
            if dtype == "bool":
                recipe = {"cycle": [True, False, False]}
            elif dtype == "int64":
                recipe = {"arange": [-500, 3]}
            else:
                recipe = {"arange": [0.0, 0.5 if i % 3 else 1.0]}
            self.add("summary", shape, dtype, recipe=recipe)
            if dtype in FLOAT_DTYPES:
                # a middle outlier and a NaN would force sci mode if the formatter saw them
                middle = {"arange": [1.0, 0.25], "set": [[numel // 2, 1e10],
                                                         [numel // 2 + 1, "nan"]]}
                self.add("summary", shape, dtype, recipe=middle, make="mul1")
        # int64 and bool widths also come from the shown edges only
        self.add("summary", [1200], "int64", recipe={"arange": [0, 1], "set": [[600, -10 ** 12]]})
        self.add("summary", [30, 40], "bool", recipe={"cycle": [True], "set": [[600, False]]})
        for n in (1001, 5000):
            self.add("summary", [n], "float32",
                     recipe={"cycle": [1.5, -2e-5, math.pi, 7.0, 1e6]}, make="leaf")
        self.add("large", [10 ** 7], "float32", recipe={"arange": [0.0, 1.0]}, make="mul1")
        self.add("large", [100, 1000], "float64", recipe={"arange": [-3.0, 0.001]})
        self.add("large", [10, 100, 100], "int64", recipe={"arange": [0, 7]})

    # -- empty tensors (rule 2)
    def empty_cases(self) -> None:
        shapes = [[0], [0, 3], [3, 0], [2, 0, 3], [0, 0], [1, 0], [0, 1, 2, 0]]
        for shape in shapes:
            for dtype in ("float32", "float64", "int64", "bool"):
                self.add("empty", shape, dtype, [])
            self.add("empty", shape, "float32", [], make="leaf")
            self.add("empty", shape, "float64", [], make="mul1")
        self.add("empty", [0], "float32", [], make="to_float64")
        self.add("empty", [0, 3], "float32", [], make="unsqueeze0")

    # -- five and six dimensions: blank lines between blocks grow with the dimension
    def high_dim_cases(self) -> None:
        for dtype, shape in (("float32", [2, 1, 2, 1, 2]), ("float64", [2, 2, 2, 2, 2]),
                             ("int64", [1, 2, 1, 2, 1, 2]), ("float32", [2, 2, 2, 2, 2, 2]),
                             ("bool", [2, 1, 1, 1, 1, 3]), ("float32", [3, 1, 2, 1, 2, 1])):
            values = [{"int64": k, "bool": k % 3 == 0}.get(dtype, 0.5 * k - 3)
                      for k in range(math.prod(shape))]
            self.add("highdim", shape, dtype, values)
            if dtype in FLOAT_DTYPES:
                self.add("highdim", shape, dtype, values, make="unsqueeze0")
        self.add("highdim", [7, 1, 1, 1, 200], "float32", recipe={"arange": [0.0, 1.0]})

    # -- torch.set_default_dtype(torch.float64): float64 loses its suffix, float32 gains one
    def default_float64_cases(self) -> None:
        for shape, values in (([3], [1.0, 2.5, -3.0]), ([], [0.1]), ([2, 2], [1e-5, 1, 2, 3]),
                              ([0], []), ([0, 2], []), ([12], [0.5 * k for k in range(12)])):
            for dtype in FLOAT_DTYPES:
                for make in ("plain", "leaf", "mul1"):
                    self.add("default64", shape, dtype, values, make=make,
                             default_dtype="float64")
            self.add("default64", shape, "float32", values, make="to_float64",
                     default_dtype="float64")
            self.add("default64", shape, "int64", [int(v) for v in values],
                     default_dtype="float64")


def build_cases() -> list[dict]:
    cases = Cases()
    for _ in range(320):
        cases.random_case()
    cases.boundary_cases()
    cases.width_cases()
    cases.suffix_cases()
    cases.summary_cases()
    cases.empty_cases()
    cases.high_dim_cases()
    cases.default_float64_cases()
    return cases.items


# ----- PyTorch's side ---------------------------------------------------------------------------

def torch_repr(case) -> str:
    import torch

    ops = {"plain": lambda x: x, "leaf": lambda x: x, "mul1": lambda x: x * 1,
           "add0": lambda x: x + 0, "clone": lambda x: x.clone(),
           "view": lambda x: x.view(x.shape), "unsqueeze0": lambda x: x.unsqueeze(0),
           "to_float64": lambda x: x.to(torch.float64)}
    previous = torch.get_default_dtype()
    torch.set_default_dtype(getattr(torch, case["default_dtype"]))
    try:
        x = torch.tensor(input_array(case), dtype=getattr(torch, case["dtype"]),
                         requires_grad=case["make"] != "plain")
        return repr(ops[case["make"]](x))
    finally:
        torch.set_default_dtype(previous)


def main() -> None:
    import torch

    cases = build_cases()
    for case in cases:
        case["repr"] = torch_repr(case)
    OUT.write_text(json.dumps({"torch": torch.__version__, "seed": SEED, "cases": cases},
                              indent=None, separators=(",", ":")).replace('{"id"', '\n{"id"')
                   + "\n")
    print(f"{len(cases)} cases -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
