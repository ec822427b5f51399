"""Record the walking-skeleton goldens with PyTorch 2.13 (run once, in a separate environment):

    python -m venv /tmp/torchenv && /tmp/torchenv/bin/pip install torch==2.13.0 numpy
    /tmp/torchenv/bin/python tests/golden/record.py

Each case is an expression in gradcli's language that is also valid Python over `torch`; this
script (a test tool, never part of gradcli) evaluates it with torch and stores what PyTorch
gives: value, dtype, shape, repr, the grad_fn graph (breadth-first, as gradcli's JSON lists it)
and the gradients of the inputs after `out.sum().backward()` (or `out.backward()` for scalars).
"""

import json
import pathlib
import sys
import warnings

import torch

from script_recording import strip_location  # noqa: F401  (also the other recorders' import)

OUT = pathlib.Path(__file__).with_name("skeleton.json")

X23 = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
Y23 = [[0.5, -1.5, 2.0], [3.0, 0.25, -4.0]]
ROW = [[1.5, -2.0, 0.75]]
COL = [[2.0], [-3.0]]
VEC = [0.1, 0.2, 0.3]
POS = [[0.5, 1.0, 1.5], [2.0, 2.5, 3.0]]

# (expression, {name: value})
CASES = [
    ("mean(3*(x+2)**2)", {"x": X23}),
    ("x + y", {"x": X23, "y": Y23}),
    ("x - y", {"x": X23, "y": Y23}),
    ("x * y", {"x": X23, "y": Y23}),
    ("x / y", {"x": X23, "y": Y23}),
    ("x + 2", {"x": X23}),
    ("2 + x", {"x": X23}),
    ("x - 2", {"x": X23}),
    ("2 - x", {"x": X23}),
    ("x * 3", {"x": X23}),
    ("3 * x", {"x": X23}),
    ("x / 2", {"x": X23}),
    ("2 / x", {"x": X23}),
    ("-x", {"x": X23}),
    ("x ** 2", {"x": X23}),
    ("x ** 3", {"x": Y23}),
    ("x ** 0.5", {"x": POS}),
    ("x ** -1", {"x": POS}),
    ("2 ** x", {"x": Y23}),
    ("x ** y", {"x": POS, "y": Y23}),
    ("sum(x)", {"x": X23}),
    ("mean(x)", {"x": Y23}),
    ("x + r", {"x": X23, "r": ROW}),
    ("x * c", {"x": X23, "c": COL}),
    ("x / r", {"x": X23, "r": ROW}),
    ("c - r", {"c": COL, "r": ROW}),
    ("x + v", {"x": X23, "v": VEC}),
    ("v * c", {"v": VEC, "c": COL}),
    ("mean((x - y) ** 2)", {"x": X23, "y": Y23}),
    ("sum(x * y) / 6", {"x": X23, "y": Y23}),
    ("-(x ** 2) + 3 * x - 1", {"x": Y23}),
    ("mean(x / (1 + x ** 2))", {"x": Y23}),
    ("(x + y) * (x - y)", {"x": X23, "y": Y23}),
    ("sum(2 ** x * x)", {"x": Y23}),
    ("mean(v ** 2) + sum(c)", {"v": VEC, "c": COL}),
    ("x * x * x", {"x": VEC}),
]
DTYPES = {"float32": torch.float32, "float64": torch.float64}


def graph(root):
    if root is None:
        return []
    ids = {id(root): 0}
    nodes = [root]
    out = []
    i = 0
    while i < len(nodes):
        fn = nodes[i]
        nxt = []
        for child, _ in fn.next_functions:
            if child is None:
                nxt.append(None)
                continue
            if id(child) not in ids:
                ids[id(child)] = len(nodes)
                nodes.append(child)
            nxt.append(ids[id(child)])
        out.append({"name": type(fn).__name__, "next": nxt})
        i += 1
    return out


def error_record(error: Exception) -> dict:
    return {"type": type(error).__name__, "message": strip_location(str(error))}


def record_expression(expression: str, scope: dict, record: dict):
    """Evaluate `expression` (trusted test-case text) over `scope` and add to `record` what it
    did: its error, or its value, dtype, shape, repr, grad_fn graph and requires_grad (a
    `(values, indices)` pair: its repr and indices, then the values), and the warnings. Returns
    the output tensor, or None after an error."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = eval(expression, {"__builtins__": {}}, scope)  # trusted test-case text only
        except Exception as error:  # noqa: BLE001  (the error is what we record)
            record["error"] = error_record(error)
            out = None
    record["warnings"] = [strip_location(str(w.message)) for w in caught]
    if out is None:
        return None
    if isinstance(out, tuple):
        record["pair_repr"] = repr(out)
        record["indices"] = out[1].tolist()
        out = out[0]
    record.update({
        "value": out.tolist(), "out_dtype": str(out.dtype).replace("torch.", ""),
        "shape": list(out.shape), "repr": repr(out), "graph": graph(out.grad_fn),
        "requires_grad": out.requires_grad,
    })
    return out


def sum_op(t, *args, **kwargs):
    return torch.sum(t, *args, **kwargs)


def record_case(expression, inputs, dtype_name):
    dtype = DTYPES[dtype_name]
    leaves = {n: torch.tensor(v, dtype=dtype, requires_grad=True) for n, v in inputs.items()}
    scope = {"mean": torch.mean, "sum": sum_op, **leaves}
    out = eval(expression, {"__builtins__": {}}, scope)  # trusted test-case text only
    record = {
        "expression": expression, "dtype": dtype_name, "inputs": inputs,
        "value": out.tolist(), "out_dtype": str(out.dtype).replace("torch.", ""),
        "shape": list(out.shape), "repr": repr(out), "graph": graph(out.grad_fn),
    }
    (out if out.dim() == 0 else out.sum()).backward()
    record["grads"] = {n: t.grad.tolist() for n, t in leaves.items()}
    record["grad_reprs"] = {n: repr(t.grad) for n, t in leaves.items()}
    return record


def main():
    cases = [record_case(e, i, d) for d in DTYPES for e, i in CASES]
    OUT.write_text(json.dumps({"torch": torch.__version__, "cases": cases}, indent=1) + "\n")
    print(f"{len(cases)} cases -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
