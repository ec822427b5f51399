"""`str(tensor)` exactly as PyTorch 2.13 prints it (torch/_tensor_str.py, default print options):
one formatter for the whole tensor (int, fixed or scientific mode), right-aligned elements,
80-column lines, summarisation past 1000 elements, and the suffix-wrapping rule.
Reference §3.11; checked byte for byte against tests/golden/printing.json."""

from __future__ import annotations

import math

import numpy as np

from gradcli.engine import dtypes
from gradcli.engine.errors import TorchRuntimeError

PRECISION = 4
THRESHOLD = 1000
EDGEITEMS = 3
LINEWIDTH = 80
PREFIX = "tensor("


class _Formatter:
    """One format and width for every element (`_Formatter` in _tensor_str.py)."""

    def __init__(self, values: np.ndarray) -> None:
        self.floating = values.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        flat = values.reshape(-1)
        if not self.floating:
            shown = flat.tolist()
        else:
            # Only nonzero finite values choose the mode and the width, so `nan`, `inf` and `-0.`
            # may come out wider than the rest, unpadded: `tensor([-0., 1.])`.
            shown = flat[np.isfinite(flat) & (flat != 0)].astype(np.float64).tolist()
            if shown:
                magnitudes = [abs(v) for v in shown]
                low, high = min(magnitudes), max(magnitudes)
                self.int_mode = all(v == math.ceil(v) for v in shown)
                # On the float32 values as doubles (`tensor_totype`): float32(1e-4) < 1e-4 is sci.
                self.sci_mode = high / low > 1000.0 or high > 1.0e8 or low < 1.0e-4
        self.max_width = max((len(self._text(v)) for v in shown), default=1)

    def _text(self, value) -> str:
        if not self.floating:
            return str(value)
        if self.sci_mode:
            return f"{value:.{PRECISION}e}"
        if self.int_mode:
            # The dot marks a float; nan and inf get none (`tensor([1., nan])`).
            dot = "" if math.isinf(value) or math.isnan(value) else "."
            return f"{value:.0f}{dot}"
        return f"{value:.{PRECISION}f}"

    def format(self, value) -> str:
        return self._text(value).rjust(self.max_width)


def _summarized(values: np.ndarray) -> np.ndarray:
    """Only the edge items of every dimension (`get_summarized_data`): the formatter of a
    summarised tensor sees just what is shown, so a hidden outlier cannot change the format."""
    for axis in range(values.ndim):
        size = values.shape[axis]
        if size > 2 * EDGEITEMS:
            edges = list(range(EDGEITEMS)) + list(range(size - EDGEITEMS, size))
            values = np.take(values, edges, axis=axis)
    return values


def _vector(values: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    """`_vector_str`: as many elements per line as fit in 80 columns after the indent."""
    per_line = max(1, (LINEWIDTH - indent) // (fmt.max_width + 2))
    if summarize and values.shape[0] > 2 * EDGEITEMS:
        items = ([fmt.format(v) for v in values[:EDGEITEMS].tolist()] + [" ..."]
                 + [fmt.format(v) for v in values[-EDGEITEMS:].tolist()])
    else:
        items = [fmt.format(v) for v in values.tolist()]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _body(values: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    """`_tensor_str_with_formatter`. Its recursion is bounded by the number of dimensions,
    which numpy caps at 64, so no user input can make it deeper."""
    if values.ndim == 0:
        return fmt.format(values.item())
    if values.ndim == 1:
        return _vector(values, indent, summarize, fmt)
    n = values.shape[0]
    if summarize and n > 2 * EDGEITEMS:
        rows = list(range(EDGEITEMS)) + [None] + list(range(n - EDGEITEMS, n))
    else:
        rows = list(range(n))
    blocks = ["..." if i is None else _body(values[i], indent + 1, summarize, fmt) for i in rows]
    # Blocks of a k-dimensional tensor are separated by k - 1 newlines (blank lines from 3-D on).
    return "[" + ("," + "\n" * (values.ndim - 1) + " " * (indent + 1)).join(blocks) + "]"


def format_values(values: np.ndarray, indent: int) -> str:
    """The bracketed body of a non-empty tensor, as `_tensor_str` produces it."""
    summarize = values.size > THRESHOLD
    fmt = _Formatter(_summarized(values) if summarize else values)
    return _body(values, indent, summarize, fmt)


def _add_suffixes(text: str, suffixes: list, indent: int) -> str:
    """`_add_suffixes`: a suffix that would pass column 78 goes on its own line."""
    parts = [text]
    # PyTorch's off-by-one, kept: this counts the last line two characters too long, so a
    # suffix wraps once the line holding it would pass 78 columns, not 80.
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > LINEWIDTH:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def grad_fn_name(t) -> str | None:
    """The class name of `t.grad_fn` as PyTorch shows it, None without one, and "Invalid" where
    reading it raises (a view that may not follow an in-place change of its base), which
    torch/_tensor_str.py catches to print the tensor anyway."""
    try:
        node = t.grad_fn
    except TorchRuntimeError:
        return "Invalid"
    return None if node is None else node.type_name


def shown_grad_fn(t):
    """`t.grad_fn` for reports and graphs, None where reading it raises (see grad_fn_name)."""
    try:
        return t.grad_fn
    except TorchRuntimeError:
        return None


def format_tensor(t) -> str:
    """`repr(t)`: the body, then `size=`, `dtype=` and `grad_fn=`/`requires_grad=` suffixes
    in `_str_intern`'s order."""
    indent = len(PREFIX)
    suffixes = []
    values = t._data
    default = dtypes.get_default_dtype()
    if values.size == 0:
        # Empty tensors show a shape other than (0,) (as NumPy does) and, having no elements
        # to tell int64 or bool apart from floats, any dtype but the default one.
        if values.ndim != 1:
            suffixes.append(f"size={tuple(values.shape)}")
        if t.dtype is not default:
            suffixes.append(f"dtype={t.dtype}")
        body = "[]"
    else:
        if t.dtype not in (default, dtypes.int64, dtypes.bool_):
            suffixes.append(f"dtype={t.dtype}")
        body = format_values(values, indent)
    name = grad_fn_name(t)
    if name is not None:
        suffixes.append(f"grad_fn=<{name}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(PREFIX + body, suffixes, indent)
