"""The type-promotion matrix (reference §3.8), shared by record_dtypes.py (PyTorch) and
test_dtypes_golden.py (gradcli): every operator on every pair of operand kinds -- 1-dim and
0-dim tensors of each dtype, and Python bool/int/float -- gives the same result dtype and
values, or the same error."""

OPERATORS = ("+", "-", "*", "/", "//", "%", "**", "==", "<")

# name -> Python source of the operand (valid for torch and gradcli's torch stand-in)
OPERANDS = {
    "bool[2]": "torch.tensor([True, False])",
    "int64[2]": "torch.tensor([3, 2])",
    "float32[2]": "torch.tensor([3.5, 2.0])",
    "float64[2]": "torch.tensor([3.5, 2.0], dtype=torch.float64)",
    "bool[]": "torch.tensor(True)",
    "int64[]": "torch.tensor(2)",
    "float32[]": "torch.tensor(1.5)",
    "float64[]": "torch.tensor(1.5, dtype=torch.float64)",
    "py_bool": "True",
    "py_int": "2",
    "py_float": "1.5",
}


def cases() -> dict:
    """{case name: expression} for every pair with at least one tensor."""
    found = {}
    for left, left_source in OPERANDS.items():
        for right, right_source in OPERANDS.items():
            if left.startswith("py_") and right.startswith("py_"):
                continue
            for op in OPERATORS:
                found[f"{left} {op} {right}"] = f"({left_source}) {op} ({right_source})"
    return found


def observe(expression: str, torch, error_kind) -> dict:
    try:
        value = eval(expression, {"torch": torch})  # noqa: S307  (test cases, not input)
    except Exception as exc:  # noqa: BLE001
        return {"error": [error_kind(exc), str(exc)]}
    return {"dtype": str(value.dtype), "repr": repr(value)}
