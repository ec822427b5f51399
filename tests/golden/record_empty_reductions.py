"""Record PyTorch 2.13's reductions, norms, scans, sorts and classification losses on empty
tensors (shapes (0,), (2, 0), (0, 3), (1, 0, 2), reduced over every dim and over none):

    cd /work/main && /work/torchenv/bin/python tests/golden/record_empty_reductions.py

An empty reduction is where numpy and PyTorch part ways: numpy warns ("Mean of empty slice")
or raises ("zero-size array to reduction operation maximum which has no identity"), PyTorch
returns its identity or NaN, or raises its own error text. Each case is an expression in
gradcli's language that is also Python over `torch`, with the leaf `x = zeros(shape)` (float32
with requires_grad=True, or int64). Stored: the value, dtype, shape and repr, the grad_fn graph,
the UserWarnings, or else the exception's type and message; for a result that requires grad,
the gradient of `out.sum()` (or of `out` when 0-d) or the error backward raises. A
`torch.return_types` pair stores its repr, then its values. `record_case` is also what the live
differential test runs. This script is a test tool run under /work/torchenv; gradcli never
imports torch.
"""

import json
import pathlib
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from record import error_record, record_expression  # noqa: E402  (shared by the goldens)

OUT = pathlib.Path(__file__).with_name("empty_reductions.json")
SHAPES = [(0,), (2, 0), (0, 3), (1, 0, 2)]
INF = "float('inf')"

# reductions of the whole tensor
WHOLE = [
    "x.sum()", "x.mean()", "x.prod()", "x.var()", "x.std()", "x.var(correction=0)",
    "x.std(unbiased=False)", "x.max()", "x.min()", "x.amax()", "x.amin()", "x.argmax()",
    "x.argmin()", "x.median()", "x.norm()", "x.norm(1)", f"x.norm({INF})", f"x.norm(-{INF})",
    "x.norm(0)", "x.norm(3)", "x.any()", "x.all()", "x.count_nonzero()", "torch.max(x)",
    "torch.amax(x, (0, -1))", "x.argmax(keepdim=True)", "x.logsumexp(())",
    # a negative dim: which spelling the error message names
    "x.max(-1)", "x.argmax(-1)", "x.amax(-1)", "x.median(-1)", f"x.norm({INF}, -1)",
]

# reductions along one dim `d`; `{d}` is replaced by each dim of the shape
PER_DIM = [
    "x.sum({d})", "x.mean({d})", "x.prod({d})", "x.var({d})", "x.std({d})",
    "x.var({d}, correction=0)", "x.max({d})", "x.min({d}, keepdim=True)", "x.amax({d})",
    "x.amin({d})", "x.argmax({d})", "x.argmin({d})", "x.median({d})", "x.norm(dim={d})",
    "x.norm(1, {d})", f"x.norm({INF}, {{d}})", f"x.norm(-{INF}, {{d}})", "x.norm(0, {d})",
    "x.norm(3, {d})", "x.logsumexp({d})", "x.logsumexp({d}, keepdim=True)", "x.cumsum({d})",
    "x.cumprod({d})", "x.softmax({d})", "x.log_softmax({d})", "x.any({d})", "x.all({d})",
    "x.count_nonzero({d})", "x.sort({d})", "x.topk(0, {d})", "x.topk(1, {d})",
    "x.max({d}).values", "x.amax({d}, keepdim=True)",
]

# the matrix-only and class-axis functions on the shapes of 2 dims or more
MATRIX = [
    "x.trace()", "x.diagonal()", "torch.diag(x)", "x.tril()",
    "F.cross_entropy(x, torch.zeros(x.shape[0], dtype=torch.int64))",
    "F.cross_entropy(x, torch.zeros(x.shape[0], dtype=torch.int64), reduction='sum')",
    "F.nll_loss(x, torch.zeros(x.shape[0], dtype=torch.int64))",
    "F.cross_entropy(x, torch.zeros(x.shape))",
    f"torch.linalg.matrix_norm(x, {INF})", f"torch.linalg.matrix_norm(x, -{INF})",
    "torch.linalg.matrix_norm(x, 1)", "torch.linalg.matrix_norm(x, -1)",
    "torch.linalg.matrix_norm(x)", f"torch.linalg.matrix_norm(x, {INF}, keepdim=True)",
    "torch.linalg.matrix_norm(x, 1, dim=(-1, -2))", f"torch.linalg.norm(x, {INF})",
    "torch.linalg.norm(x, 1)", f"torch.linalg.vector_norm(x, {INF}, dim=-1)",
]

# integer tensors: the dtype of the result, and the reductions only floats have
INTEGER = ["x.sum()", "x.prod()", "x.amax()", "x.mean()", "x.var()", "x.cumsum(0)",
           "x.argmin(0)", "x.max(0)"]


# the target shape checks of the spatial losses, which an empty class dim reaches first
TARGETS = [
    ("F.nll_loss(x, torch.zeros(2, 5, dtype=torch.int64))", (2, 3, 4)),
    ("F.nll_loss(x, torch.zeros(2, 4, 6, dtype=torch.int64))", (2, 3, 4, 5)),
    ("F.cross_entropy(x, torch.zeros(2, 4, dtype=torch.int64))", (2, 3, 4, 5)),
    ("F.nll_loss(x, torch.zeros(2, 4, 5, dtype=torch.int64))", (2, 0, 4, 5)),
]


def cases(shapes=SHAPES):
    """(expression, shape, dtype) for every case, in the golden's order."""
    table = []
    for shape in shapes:
        table += [(e, shape, "float32") for e in WHOLE]
        table += [(e.format(d=d), shape, "float32") for d in range(len(shape)) for e in PER_DIM]
        if len(shape) >= 2:
            table += [(e, shape, "float32") for e in MATRIX]
        table += [(e, shape, "int64") for e in INTEGER]
    return table + [(e, shape, "float32") for e, shape in TARGETS]


def record_case(expression, shape, dtype_name):
    leaf = torch.zeros(shape, dtype=getattr(torch, dtype_name),
                       requires_grad=dtype_name == "float32")
    scope = {"torch": torch, "F": F, "float": float, "x": leaf}
    record = {"expression": expression, "shape_in": list(shape), "dtype": dtype_name}
    out = record_expression(expression, scope, record)
    if out is None:
        return record
    if out.requires_grad:
        try:
            (out if out.dim() == 0 else out.sum()).backward()
            # None where ATen's backward gives an undefined gradient (the 0-"norm")
            record["grad"] = None if leaf.grad is None else leaf.grad.tolist()
            record["grad_repr"] = repr(leaf.grad)
        except Exception as error:  # noqa: BLE001
            record["backward_error"] = error_record(error)
    return record


def main():
    recorded = [record_case(*case) for case in cases()]
    OUT.write_text(json.dumps({"torch": torch.__version__, "cases": recorded}, indent=1) + "\n")
    print(f"{len(recorded)} cases -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
