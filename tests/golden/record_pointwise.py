"""Record PyTorch 2.13's pointwise ops, activations, losses and constructors (a test tool, run
under the torch environment, never part of gradcli):

    cd tests/golden && /work/torchenv/bin/python record_pointwise.py

Every case is one expression in gradcli's language that is also Python over `torch`/`F`/`np`.
- OP_CASES run in float32 and float64: value, dtype, repr, grad_fn graph, UserWarnings, and
  the gradients of the leaves after `out.sum().backward()`. `inputs` are leaves requiring grad;
  `constants` are tensors without grad (of the case's dtype unless one is named).
- SECOND_ORDER_CASES also record the second derivative through `create_graph=True`.
- ERROR_CASES record the exception type and exact text (and the warnings before it).
- CONSTRUCTOR_CASES record repr, dtype, shape, requires_grad and warnings.
"""

import json
import pathlib
import sys
import warnings

import numpy as np
import torch
import torch.nn.functional as F

from record import graph, strip_location

OUT = pathlib.Path(__file__).with_name("pointwise.json")
DTYPES = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64,
          "bool": torch.bool}

X = [[-1.5, -0.5, 0.0], [0.25, 1.0, 2.5]]
POS = [[0.1, 0.5, 1.0], [1.5, 2.0, 4.0]]
UNIT = [[-0.9, -0.3, 0.0], [0.2, 0.6, 0.95]]
SMALL = [[-0.7, -0.2, 0.1], [0.3, 0.8, 1.2]]
Y = [[0.5, -0.5, 0.0], [1.0, 1.0, -3.0]]
ROW = [[0.5, -1.0, 2.0]]
PROB = [[0.1, 0.5, 0.9], [0.3, 0.99, 0.01]]
TARGET = [[0.0, 1.0, 1.0], [0.5, 0.0, 1.0]]
WIDE = [-30.0, -5.0, -0.5, 0.0, 0.5, 5.0, 19.0, 20.0, 21.0, 40.0]
SPECIAL = [-1.0, 0.0, 1.0]

UNARY_MATH = {
    "abs": X, "sign": X, "sqrt": POS, "square": X, "rsqrt": POS, "log1p": POS, "expm1": X,
    "log2": POS, "log10": POS, "sin": X, "cos": X, "tan": SMALL, "asin": UNIT, "acos": UNIT,
    "atan": X, "sinh": X, "cosh": X, "tanh": X, "sigmoid": X, "erf": X, "relu": X,
}
ACTIVATIONS = ["relu", "softplus", "gelu", "leaky_relu", "elu", "silu", "sigmoid", "tanh"]

OP_CASES = (
    [(f"torch.{name}(x)", {"x": values}, {}) for name, values in UNARY_MATH.items()]
    + [(f"x.{name}()", {"x": values}, {}) for name, values in UNARY_MATH.items()]
    + [(f"F.{name}(x)", {"x": X}, {}) for name in ACTIVATIONS]
    + [(f"F.{name}(x)", {"x": WIDE}, {}) for name in ACTIVATIONS]
    + [
        ("abs(x)", {"x": X}, {}),
        ("F.softplus(x, beta=2)", {"x": X}, {}),
        ("F.softplus(x, beta=2, threshold=1)", {"x": X}, {}),
        ("F.softplus(x, 0.5, 3)", {"x": WIDE}, {}),
        ("F.gelu(x, approximate='tanh')", {"x": X}, {}),
        ("F.gelu(x, approximate='tanh')", {"x": WIDE}, {}),
        ("F.leaky_relu(x, 0.2)", {"x": X}, {}),
        ("F.leaky_relu(x, negative_slope=0.5)", {"x": SPECIAL}, {}),
        ("F.elu(x, alpha=2.0)", {"x": X}, {}),
        ("F.elu(x, 0.5)", {"x": SPECIAL}, {}),
        ("torch.clamp(x, 0, 1)", {"x": X}, {}),
        ("x.clamp(-0.5, 1.0)", {"x": X}, {}),
        ("x.clamp(min=0)", {"x": X}, {}),
        ("x.clamp(max=0.25)", {"x": X}, {}),
        ("torch.clip(x, -1, 1)", {"x": X}, {}),
        ("x.clamp(1, -1)", {"x": X}, {}),
        ("torch.clamp_min(x, 0.25)", {"x": X}, {}),
        ("x.clamp_min(0)", {"x": X}, {}),
        ("x.clamp_max(1)", {"x": X}, {}),
        ("x.clamp(y)", {"x": X, "y": Y}, {}),
        ("torch.clamp(x, min=lo, max=hi)", {"x": X, "lo": Y, "hi": ROW}, {}),
        ("torch.clamp(x, lo, hi)", {"x": X, "hi": Y}, {"lo": ROW}),
        ("x.clamp(max=hi)", {"x": X, "hi": ROW}, {}),
        ("x.clamp(lo)", {"x": X, "lo": [-1.0, 0.0, 1.0]}, {}),
        ("torch.clamp(i, lo)", {}, {"i": ([[-2, 0, 3]], "int64"), "lo": ([1, 1, 1], "int64")}),
        ("torch.clamp(x, lo, hi)", {"x": [0.5, 0.5, 2.0, -1.0], "lo": [1.0, 0.0, 1.0, 0.0],
                                   "hi": [0.0, 1.0, 1.5, 0.0]}, {}),
        ("torch.clamp(x, min=c)", {"x": X}, {"c": ([[0, 1, -1]], "int64")}),
        ("F.relu(x * 1, inplace=True)", {"x": X}, {}),
        ("torch.maximum(x, y)", {"x": X, "y": Y}, {}),
        ("torch.minimum(x, y)", {"x": X, "y": Y}, {}),
        ("x.maximum(y)", {"x": X, "y": Y}, {}),
        ("x.minimum(y)", {"x": X, "y": Y}, {}),
        ("torch.maximum(x, r)", {"x": X, "r": ROW}, {}),
        ("torch.minimum(r, x)", {"x": X, "r": ROW}, {}),
        ("torch.maximum(x, c)", {"x": X}, {"c": Y}),
        ("torch.relu(x) * torch.sigmoid(y) + torch.tanh(x * y)", {"x": X, "y": Y}, {}),
        ("torch.sqrt(x.abs() + 1).log1p().sum()", {"x": X}, {}),
        ("F.gelu(torch.sin(x)) - F.silu(x) / 2", {"x": X}, {}),
        # special points (reference §3.12)
        ("torch.relu(x)", {"x": SPECIAL}, {}),
        ("torch.abs(x)", {"x": SPECIAL}, {}),
        ("torch.sign(x)", {"x": SPECIAL}, {}),
        ("torch.sqrt(x)", {"x": [0.0, 4.0]}, {}),
        ("x ** 0.5", {"x": [0.0, 4.0]}, {}),
        ("x ** 1.5", {"x": [-1.0, 0.0, 4.0]}, {}),
        ("torch.rsqrt(x)", {"x": [0.0, 4.0]}, {}),
        ("torch.log2(x)", {"x": [0.0, -1.0, 8.0]}, {}),
        ("torch.log1p(x)", {"x": [-1.0, -2.0, 0.0]}, {}),
        ("torch.asin(x)", {"x": [-1.0, 1.0, 2.0]}, {}),
        ("torch.acos(x)", {"x": [-1.0, 1.0]}, {}),
        ("torch.clamp(x, 0, 1)", {"x": [-0.5, 0.0, 0.5, 1.0, 1.5]}, {}),
        ("torch.clamp(x, 0, 1)", {"x": [float("nan"), 0.5]}, {}),
        ("torch.maximum(x, y)", {"x": [1.0, 2.0, 3.0], "y": [1.0, 0.0, 3.0]}, {}),
        ("torch.minimum(x, y)", {"x": [1.0, 2.0, 3.0], "y": [1.0, 0.0, 3.0]}, {}),
        ("torch.maximum(x, y)", {"x": [float("nan"), 1.0], "y": [0.0, float("nan")]}, {}),
        ("torch.sigmoid(x)", {"x": [-100.0, 100.0, 0.0]}, {}),
        ("torch.sign(x)", {"x": [float("nan"), -0.0]}, {}),
        ("torch.tanh(x)", {"x": [-20.0, 20.0]}, {}),
        # losses
        ("F.mse_loss(x, y)", {"x": X, "y": Y}, {}),
        ("F.mse_loss(x, t)", {"x": X}, {"t": Y}),
        ("F.mse_loss(x, y, reduction='sum')", {"x": X, "y": Y}, {}),
        ("F.mse_loss(x, y, reduction='none')", {"x": X, "y": Y}, {}),
        ("F.mse_loss(x, r)", {"x": X, "r": ROW}, {}),
        ("F.mse_loss(x, t)", {"x": [1.0, 1.0, 1.0]}, {"t": [[0.0], [0.0], [0.0]]}),
        ("F.l1_loss(x, y)", {"x": X, "y": Y}, {}),
        ("F.l1_loss(x, t)", {"x": X}, {"t": Y}),
        ("F.l1_loss(x, y, reduction='sum')", {"x": X, "y": Y}, {}),
        ("F.l1_loss(x, y, reduction='none')", {"x": X, "y": Y}, {}),
        ("F.l1_loss(x, r)", {"x": X, "r": ROW}, {}),
        ("F.binary_cross_entropy(p, t)", {"p": PROB}, {"t": TARGET}),
        ("F.binary_cross_entropy(p, t, reduction='sum')", {"p": PROB}, {"t": TARGET}),
        ("F.binary_cross_entropy(p, t, reduction='none')", {"p": PROB}, {"t": TARGET}),
        ("F.binary_cross_entropy(p, t, weight=w)", {"p": PROB}, {"t": TARGET, "w": POS}),
        ("F.binary_cross_entropy(p, q)", {"p": PROB, "q": TARGET}, {}),
        ("F.binary_cross_entropy(p, t)", {"p": [0.0, 1.0, 0.5]}, {"t": [1.0, 0.0, 1.0]}),
        ("F.binary_cross_entropy(p, t)", {"p": [0.0, 1.0]}, {"t": [0.0, 1.0]}),
        ("F.binary_cross_entropy(p, q)", {"p": [0.25, 0.0], "q": [1.0, 0.5]}, {}),
        ("F.binary_cross_entropy_with_logits(x, t)", {"x": X}, {"t": TARGET}),
        ("F.binary_cross_entropy_with_logits(x, y)", {"x": X, "y": TARGET}, {}),
        ("F.binary_cross_entropy_with_logits(x, t, reduction='sum')", {"x": X}, {"t": TARGET}),
        ("F.binary_cross_entropy_with_logits(x, t, reduction='none')", {"x": X}, {"t": TARGET}),
        ("F.binary_cross_entropy_with_logits(x, t, weight=w)", {"x": X}, {"t": TARGET, "w": POS}),
        ("F.binary_cross_entropy_with_logits(x, y, pos_weight=w)", {"x": X, "y": TARGET},
         {"w": [2.0, 0.5, 1.0]}),
        ("F.binary_cross_entropy_with_logits(x, t)", {"x": WIDE}, {"t": [1.0] * 10}),
        # empty inputs: a mean of nothing is nan
        ("torch.relu(x)", {"x": []}, {}),
        ("torch.erf(x)", {"x": []}, {}),
        ("F.mse_loss(x, t)", {"x": []}, {"t": []}),
        ("F.mse_loss(x, t, reduction='sum')", {"x": []}, {"t": []}),
        ("F.binary_cross_entropy(x, t)", {"x": []}, {"t": []}),
        ("F.binary_cross_entropy_with_logits(x, t)", {"x": []}, {"t": []}),
        ("torch.maximum(x, y)", {"x": [], "y": []}, {}),
        # the pre-1.0 size_average/reduce flags, with their deprecation warning
        ("F.mse_loss(x, y, size_average=False)", {"x": X, "y": Y}, {}),
        ("F.mse_loss(x, y, False)", {"x": X, "y": Y}, {}),
        ("F.mse_loss(x, y, size_average=False, reduction='none')", {"x": X, "y": Y}, {}),
        ("F.l1_loss(x, y, reduce=False)", {"x": X, "y": Y}, {}),
        ("F.l1_loss(x, y, size_average=True, reduce=True)", {"x": X, "y": Y}, {}),
        ("F.binary_cross_entropy(p, t, None, False)", {"p": PROB}, {"t": TARGET}),
        ("F.binary_cross_entropy_with_logits(x, t, None, False, False)", {"x": X},
         {"t": TARGET}),
        ("F.mse_loss(x, r, size_average=False)", {"x": X, "r": ROW}, {}),
        ("F.mse_loss(x, y, reduce=False, reduction='avg')", {"x": X, "y": Y}, {}),
        # integer and bool inputs: the result dtype rules
        ("torch.sqrt(i)", {}, {"i": ([[-2, 0, 3]], "int64")}),
        ("torch.sigmoid(i)", {}, {"i": ([[-2, 0, 3]], "int64")}),
        ("torch.erf(i)", {}, {"i": ([[-2, 0, 3]], "int64")}),
        ("i.abs()", {}, {"i": ([[-2, 0, 3]], "int64")}),
        ("i.sign()", {}, {"i": ([[-2, 0, 3]], "int64")}),
        ("i.relu()", {}, {"i": ([[-2, 0, 3]], "int64")}),
        ("i.square()", {}, {"i": ([[-2, 0, 3]], "int64")}),
        ("b.square()", {}, {"b": ([True, False], "bool")}),
        ("b.sign()", {}, {"b": ([True, False], "bool")}),
        ("i.clamp(0, 1)", {}, {"i": ([[-2, 0, 3]], "int64")}),
        ("i.clamp(0.5)", {}, {"i": ([[-2, 0, 3]], "int64")}),
        ("torch.maximum(i, x)", {"x": [1.0, 2.0, 3.0]}, {"i": ([[-2, 0, 3]], "int64")}),
        ("F.mse_loss(x, i)", {"x": [[1.0, 2.0, 3.0]]}, {"i": ([[-2, 0, 3]], "int64")}),
        # mixed float dtypes: the result promotes, each gradient keeps its leaf's dtype
        ("F.mse_loss(x, d)", {"x": [1.0, 2.0]}, {"d": ([0.0, 1.0], "float64")}),
        ("F.mse_loss(d, x)", {"x": [1.0, 2.0]}, {"d": ([0.0, 1.0], "float64")}),
        ("F.l1_loss(x, d)", {"x": [1.0, 2.0]}, {"d": ([0.0, 1.0], "float64")}),
        ("F.binary_cross_entropy_with_logits(x, d)", {"x": [1.0, 2.0]},
         {"d": ([0.0, 1.0], "float64")}),
        ("torch.maximum(x, d)", {"x": [1.0, 2.0]}, {"d": ([0.0, 3.0], "float64")}),
        ("torch.clamp(x, d)", {"x": [1.0, 2.0]}, {"d": ([0.0, 3.0], "float64")}),
        ("torch.clamp(x, d)", {"x": [1.0, 2.0]}, {"d": (1.5, "float64")}),
        ("torch.maximum(x, d)", {"x": [1.0, 2.0]}, {"d": (1.5, "float64")}),
    ]
)

SECOND_ORDER_CASES = [
    (f"torch.{name}(x)", {"x": values}, {}) for name, values in UNARY_MATH.items()
    if name not in ("abs", "sign", "relu")
] + [(f"F.{name}(x)", {"x": X}, {}) for name in ("softplus", "gelu", "silu", "elu")] + [
    ("F.gelu(x, approximate='tanh')", {"x": X}, {}),
    ("torch.relu(x)", {"x": X}, {}),
    ("torch.abs(x)", {"x": X}, {}),
    ("F.leaky_relu(x, 0.2)", {"x": X}, {}),
    ("F.softplus(x, beta=2, threshold=1)", {"x": X}, {}),
    ("F.elu(x, alpha=2.0)", {"x": X}, {}),
    ("F.silu(torch.tanh(x) * y)", {"x": X, "y": Y}, {}),
    ("F.mse_loss(x, y, reduction='sum')", {"x": X, "y": Y}, {}),
    ("F.mse_loss(x, y, reduction='none')", {"x": X, "y": Y}, {}),
    ("F.binary_cross_entropy(p, t, weight=w, reduction='sum')", {"p": PROB},
     {"t": TARGET, "w": POS}),
    ("F.binary_cross_entropy(p, q)", {"p": PROB, "q": TARGET}, {}),
    ("F.binary_cross_entropy_with_logits(x, y, pos_weight=w)", {"x": X, "y": TARGET},
     {"w": [2.0, 0.5, 1.0]}),
    ("F.mse_loss(x, y)", {"x": X, "y": Y}, {}),
    ("F.binary_cross_entropy(p, t)", {"p": PROB}, {"t": TARGET}),
    ("F.binary_cross_entropy_with_logits(x, t)", {"x": X}, {"t": TARGET}),
]

ERROR_CASES = [
    ("F.mse_loss(x, y, reduction='mean ')", {"x": X, "y": Y}, {}),
    ("F.l1_loss(x, y, reduction='avg')", {"x": X, "y": Y}, {}),
    ("F.binary_cross_entropy(p, t, reduction='foo')", {"p": PROB}, {"t": TARGET}),
    ("F.binary_cross_entropy(x, t)", {"x": [1.5]}, {"t": [1.0]}),
    ("F.binary_cross_entropy(x, t)", {"x": [-0.5]}, {"t": [1.0]}),
    ("F.binary_cross_entropy(x, t)", {"x": [float("nan")]}, {"t": [1.0]}),
    ("F.binary_cross_entropy(p, t * 3)", {"p": [0.5]}, {"t": [0.5]}),
    ("F.binary_cross_entropy(p, t)", {"p": [0.5, 0.5, 0.5]}, {"t": [[1.0], [0.0], [1.0]]}),
    ("F.binary_cross_entropy(p, t, weight=w)", {"p": [0.5], "w": [2.0]}, {"t": [1.0]}),
    ("F.binary_cross_entropy(p.double(), t)", {"p": [0.5]}, {"t": ([1.0], "float32")}),
    ("F.binary_cross_entropy(i, i)", {}, {"i": ([1, 0], "int64")}),
    ("F.binary_cross_entropy_with_logits(x, t)", {"x": [0.5, 0.5, 0.5]},
     {"t": [[1.0], [0.0], [1.0]]}),
    ("F.binary_cross_entropy_with_logits(x, t, weight=w)", {"x": [0.5], "w": [2.0]}, {"t": [1.0]}),
    ("F.binary_cross_entropy_with_logits(x, t, pos_weight=w)", {"x": [0.5], "w": [2.0]},
     {"t": [1.0]}),
    ("F.binary_cross_entropy_with_logits(x, i)", {"x": [0.5, 0.5]}, {"i": ([1, 0], "int64")}),
    ("F.mse_loss(x, 1.0)", {"x": [0.5]}, {}),
    ("F.binary_cross_entropy(p, t, size_average=False)", {"p": [0.5, 0.5]}, {"t": [1.0]}),
    ("F.mse_loss(i, i)", {}, {"i": ([1, 0], "int64")}),
    ("F.mse_loss(x, y)", {"x": [1.0, 2.0], "y": [1.0, 2.0, 3.0]}, {}),
    ("F.l1_loss(i, i)", {}, {"i": ([1, 0], "int64")}),
    ("torch.maximum(x, y)", {"x": [1.0, 2.0], "y": [1.0, 2.0, 3.0]}, {}),
    ("torch.clamp(x)", {"x": [0.5]}, {}),
    ("torch.clamp(2.0, 0, 1)", {}, {}),
    ("torch.clamp_min(x, None)", {"x": [0.5]}, {}),
    ("torch.clamp(x, lo, 0.5)", {"x": [0.5]}, {"lo": [0.0]}),
    ("torch.clamp(x, lo)", {"x": [0.5, 1.0]}, {"lo": [0.0, 1.0, 2.0]}),
    ("torch.abs(-2)", {}, {}),
    ("torch.sigmoid(2.0)", {}, {}),
    ("F.relu(2.0)", {}, {}),
    ("F.gelu(2.0)", {}, {}),
    ("torch.sqrt(True)", {}, {}),
    ("torch.maximum(x, 1.0)", {"x": [0.5]}, {}),
    ("torch.maximum(1.0, x)", {"x": [0.5]}, {}),
    ("F.relu(x, inplace=True)", {"x": [0.5]}, {}),
    ("F.mse_loss(x, [1.0])", {"x": [0.5]}, {}),
    ("F.gelu(x, approximate='exact')", {"x": [0.5]}, {}),
    ("F.softplus(i)", {}, {"i": ([1, 0], "int64")}),
    ("F.gelu(i)", {}, {"i": ([1, 0], "int64")}),
    ("F.leaky_relu(i)", {}, {"i": ([1, 0], "int64")}),
    ("F.elu(i)", {}, {"i": ([1, 0], "int64")}),
    ("F.silu(i)", {}, {"i": ([1, 0], "int64")}),
    ("b.abs()", {}, {"b": ([True, False], "bool")}),
    ("b.relu()", {}, {"b": ([True, False], "bool")}),
]

CONSTRUCTOR_CASES = [
    "torch.arange(5)", "torch.arange(1, 4)", "torch.arange(0, 1, 0.1)", "torch.arange(0., 1., 0.3)",
    "torch.arange(3, dtype=torch.float64)", "torch.arange(0, -3, -1)", "torch.arange(5.5)",
    "torch.arange(1, 7.)", "torch.arange(10, 0, -3)", "torch.arange(-1.5, 2.2, 0.7)",
    "torch.arange(1, 1)", "torch.arange(0., 10, 3, requires_grad=True)",
    "torch.arange(1, 0)", "torch.arange(0, 1, 0)", "torch.arange(0, 10, 3, requires_grad=True)",
    "torch.arange(0, 2.5, 0.5, dtype=torch.int64)", "torch.arange(0.5, 3.7, dtype=torch.int64)",
    "torch.arange(-2.5, 2, 1, dtype=torch.int64)", "torch.arange(0, 10**12 + 3, 10**11)",
    "torch.arange(1, 2, 0.1)", "torch.arange(0, 1, 0.0)", "torch.arange(10, dtype=torch.bool)",
    "torch.arange(float('nan'))", "torch.arange(0.5, float('inf'))",
    "torch.arange(-1.25, float('nan'), 0.5)", "torch.arange(2, float('-inf'), -1)",
    "torch.arange(float('inf'), 3.0)", "torch.arange(0.1, 2.3, 0.15)",
    "torch.arange(-3, 3, 0.25, dtype=torch.float64)", "torch.arange(-1.7, 9.2, 0.013)",
    "torch.arange(-1.7, 9.2, 0.013, dtype=torch.float64)", "torch.arange(2.5, -3.1, -0.07)",
    "torch.arange(0.3, 100.0, 0.7, dtype=torch.float64)", "torch.range(-1.7, 9.2, 0.013)",
    "torch.range(0.3, 100.0, 0.7, dtype=torch.float64)",
    "torch.range(0, float('inf'))", "torch.range(0, 3.5, dtype=torch.int64)",
    "torch.linspace(0, 1, 5, dtype=torch.bool)",
    "torch.linspace(0, 1, 4, requires_grad=True, dtype=torch.int64)",
    "torch.linspace(0.1, 1.7, 13)", "torch.linspace(-2, 7, 10, dtype=torch.float64)",
    "torch.linspace(1, 1000, 6)", "torch.linspace(0, 1, 100)", "torch.linspace(1, 1000, 1001)",
    "torch.linspace(0.3, -9.7, 64, dtype=torch.float64)", "torch.linspace(0.7, 123.4, 333)",
    "torch.linspace(0.7, 123.4, 333, dtype=torch.float64)",
    "torch.linspace(0.5, 10.5, 3, dtype=torch.int64)", "torch.linspace(-7, 5, 9, dtype=torch.int64)",
    "torch.range(1, 6)", "torch.range(0, 1, 0.1)", "torch.range(1, 4, dtype=torch.int64)",
    "torch.range(1, 6, requires_grad=True).reshape((-1, 3))", "torch.range(3, 1)",
    "torch.range(0, 1, 0)", "torch.range(5, 1, -2)",
    "torch.linspace(0, 1, 5)", "torch.linspace(0, 1, 7)", "torch.linspace(-1, 1, 1)",
    "torch.linspace(0, 1, 0)", "torch.linspace(0, 10, 4, dtype=torch.int64)",
    "torch.linspace(3, -2, 6, dtype=torch.float64)", "torch.linspace(0, 1, -1)",
    "torch.linspace(-3.3, 7.1, 11)", "torch.linspace(0, 1, 3, requires_grad=True)",
    "torch.linspace(0.1, 0.9, 9, dtype=torch.float64)",
    "torch.eye(3)", "torch.eye(2, 3)", "torch.eye(2, dtype=torch.int64)", "torch.eye(0)",
    "torch.eye(-1)", "torch.eye(2, -1)", "torch.eye(2, requires_grad=True)",
    "torch.full((2,), 1)", "torch.full((2,), True)", "torch.full((2,), 1.5, dtype=torch.float64)",
    "torch.full([2, 2], 3, requires_grad=True)", "torch.full(2, 3.)", "torch.full((2, 3), 0.5)",
    "torch.full((2,), 2.5, requires_grad=True)",
    "torch.ones_like(torch.ones(2, 3))", "torch.zeros_like(torch.tensor([1, 2]))",
    "torch.full_like(torch.tensor([1, 2]), 2.7)", "torch.full_like(torch.tensor([1, 2]), -2.7)",
    "torch.full_like(torch.ones(3), 2, dtype=torch.int64)",
    "torch.ones_like(torch.ones(3), requires_grad=True)",
    "torch.zeros_like(torch.tensor([1, 2]), requires_grad=True)",
    "torch.ones_like(torch.ones(2, requires_grad=True) * 2)",
    "torch.zeros_like(torch.ones(2, 2), dtype=torch.float64)",
    "torch.ones(2, 3, dtype=torch.int64)",
    "torch.zeros(2, dtype=torch.float64, requires_grad=True)",
    "torch.from_numpy(np.array([1, 2]))", "torch.from_numpy(np.array([1., 2.]))",
    "torch.from_numpy(np.array([1.5, 2.], dtype=np.float32))", "torch.from_numpy([1, 2])",
    "torch.autograd.Variable()", "torch.autograd.Variable(torch.ones(2))",
    "torch.autograd.Variable(torch.ones(2), requires_grad=True)",
    "torch.autograd.Variable(range(6))", "torch.autograd.Variable([1., 2.])",
    "torch.autograd.Variable(torch.ones(2), volatile=True)",
    "torch.autograd.Variable(torch.ones(2), requires_grad=True, volatile=True)",
    "torch.autograd.Variable(torch.tensor([1, 2]), requires_grad=True)",
    "torch.ones(2).volatile",
    "torch.FloatTensor(range(8))", "torch.LongTensor([1, 2])", "torch.DoubleTensor([1, 2])",
    "torch.FloatTensor([[1, 2], [3, 4]])",
]


def _make(values, dtype_name, requires_grad):
    spec, dtype = (values if isinstance(values, tuple) else (values, dtype_name))
    return torch.tensor(spec, dtype=DTYPES[dtype], requires_grad=requires_grad)


def _scope(inputs, constants, dtype_name):
    leaves = {n: _make(v, dtype_name, True) for n, v in inputs.items()}
    consts = {n: _make(v, dtype_name, False) for n, v in constants.items()}
    return leaves, {"torch": torch, "F": F, "np": np, "abs": abs, "range": range,
                    **leaves, **consts}


def _evaluate(expression, scope):
    """(result or None, exception or None, warning texts), with every warning recorded."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result, error = eval(expression, {"__builtins__": {}}, scope), None  # trusted text
        except Exception as exc:  # noqa: BLE001  (recording what PyTorch raises)
            result, error = None, exc
    texts = [strip_location(str(w.message)) for w in caught
             if issubclass(w.category, UserWarning)]
    return result, error, texts


def _describe(t):
    return {"value": t.tolist(), "out_dtype": str(t.dtype).replace("torch.", ""),
            "shape": list(t.shape), "repr": repr(t), "requires_grad": t.requires_grad,
            "graph": graph(t.grad_fn)}


def record_op(expression, inputs, constants, dtype_name):
    leaves, scope = _scope(inputs, constants, dtype_name)
    out, error, texts = _evaluate(expression, scope)
    assert error is None, (expression, error)
    record = {"expression": expression, "dtype": dtype_name, "inputs": inputs,
              "constants": constants, "warnings": texts, **_describe(out)}
    if leaves:
        (out if out.dim() == 0 else out.sum()).backward()
        record["grads"] = {n: t.grad.tolist() for n, t in leaves.items()}
        record["grad_reprs"] = {n: repr(t.grad) for n, t in leaves.items()}
    return record


def _values(t):
    """t.tolist(), also for the storage-less zero tensors some double backwards return."""
    return torch.zeros(t.shape, dtype=t.dtype).tolist() if t._is_zerotensor() else t.tolist()


def record_second_order(expression, inputs, constants, dtype_name):
    leaves, scope = _scope(inputs, constants, dtype_name)
    out, _, _ = _evaluate(expression, scope)
    first = torch.autograd.grad(out.sum(), list(leaves.values()), create_graph=True)
    second = torch.autograd.grad(sum(g.sum() for g in first), list(leaves.values()))
    return {"expression": expression, "dtype": dtype_name, "inputs": inputs,
            "constants": constants,
            "first": {n: g.tolist() for n, g in zip(leaves, first)},
            "first_grad_fn": {n: g.grad_fn.name() if g.grad_fn else None
                              for n, g in zip(leaves, first)},
            "second": {n: _values(g) for n, g in zip(leaves, second)}}


def record_error(expression, inputs, constants, dtype_name="float32"):
    _, scope = _scope(inputs, constants, dtype_name)
    _, error, texts = _evaluate(expression, scope)
    assert error is not None, expression
    return {"expression": expression, "dtype": dtype_name, "inputs": inputs,
            "constants": constants, "warnings": texts,
            "kind": type(error).__name__, "message": str(error)}


def record_constructor(expression):
    out, error, texts = _evaluate(expression, {"torch": torch, "np": np, "range": range,
                                               "float": float})
    record = {"expression": expression, "warnings": texts}
    if error is not None:
        return record | {"kind": type(error).__name__, "message": str(error)}
    if isinstance(out, torch.Tensor):
        return record | _describe(out)
    return record | {"python": repr(out)}


FLOATS = ("float32", "float64")


def main():
    data = {
        "torch": torch.__version__,
        "ops": [record_op(*case, d) for d in FLOATS for case in OP_CASES],
        "second_order": [record_second_order(*case, d) for d in FLOATS
                         for case in SECOND_ORDER_CASES],
        "errors": [record_error(*case) for case in ERROR_CASES],
        "constructors": [record_constructor(e) for e in CONSTRUCTOR_CASES],
    }
    OUT.write_text(json.dumps(data, indent=1) + "\n")
    counts = {k: len(v) for k, v in data.items() if isinstance(v, list)}
    print(f"{counts} -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
