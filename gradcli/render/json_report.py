"""The `--json` document (SPEC §3.5, version 1): always valid JSON, float32 as the shortest
decimal that reads back as the same float32, non-finite numbers as strings."""

from __future__ import annotations

import json
import math

import numpy as np

from gradcli.engine.tensor import Tensor
from gradcli.render.graph import collect_graph
from gradcli.render.report import Report

SCHEMA_VERSION = 1


def _number(value, dtype):
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if dtype is not None and dtype.kind in "iu":
        return int(value)
    value = float(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if dtype == np.float32:
        return float(str(np.float32(value)))      # numpy prints the shortest round-trip form
    return value


def array_to_json(values: np.ndarray):
    """Nested lists for an array (a number for 0-d), built without recursion."""
    dtype = values.dtype
    flat = [_number(v, dtype) for v in values.reshape(-1).tolist()]
    if values.ndim == 0:
        return flat[0]
    for size in reversed(values.shape[1:]):
        flat = [flat[i:i + size] for i in range(0, len(flat), size)]
    return flat if values.shape[0] else []


def value_to_json(value):
    if isinstance(value, Tensor):
        return array_to_json(value._data)
    if isinstance(value, (bool, int, float)):
        return _number(value, None) if isinstance(value, float) else value
    if value is None:
        return None
    return str(value)


def _output(source: str, value) -> dict:
    entry = {"source": source}
    if isinstance(value, Tensor):
        entry |= {"shape": list(value.shape), "dtype": value.dtype.name,
                  "value": array_to_json(value._data), "requires_grad": value.requires_grad,
                  "is_leaf": value.is_leaf,
                  "grad_fn": value.grad_fn.name() if value.grad_fn is not None else None}
    else:
        entry |= {"shape": None, "dtype": type(value).__name__, "value": value_to_json(value),
                  "requires_grad": False, "is_leaf": True, "grad_fn": None}
    return entry


def report_to_dict(report: Report) -> dict:
    root_fn = report.root.grad_fn if isinstance(report.root, Tensor) else None
    nodes = collect_graph(root_fn, report.leaf_names)
    graph = {"root": 0 if nodes else None, "nodes": []}
    for node in nodes:
        entry = {"id": node.id, "name": node.name, "next": node.next}
        if node.variable is not None or node.name == "AccumulateGrad":
            entry["variable"] = node.variable
        graph["nodes"].append(entry)
    grads = {}
    for name, leaf in report.grads.items():
        grad = leaf._grad
        grads[name] = {"shape": list(leaf.shape),
                       "value": None if grad is None else array_to_json(grad._data)}
    error = None
    if report.error is not None:
        error = {"type": report.error.type, "message": report.error.message,
                 "line": report.error.line, "column": report.error.column}
    return {
        "version": SCHEMA_VERSION,
        "ok": report.error is None,
        "outputs": [_output(source, value) for source, value in report.outputs],
        "prints": list(report.prints),
        "graph": graph,
        "grads": grads,
        "error": error,
    }


def render_json(report: Report) -> str:
    return json.dumps(report_to_dict(report), allow_nan=False, ensure_ascii=False)
