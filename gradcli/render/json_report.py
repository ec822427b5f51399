"""The `--json` document (SPEC §3.5, version 1): always valid JSON, float32 as the shortest
decimal that reads back as the same float32, non-finite numbers as strings."""

from __future__ import annotations

import json
import math

import numpy as np

from gradcli.engine.printing import grad_fn_name, shown_grad_fn
from gradcli.engine.tensor import Tensor
from gradcli.render.graph import collect_graph, type_label
from gradcli.render.report import CheckResult, Report

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
        grad_fn = grad_fn_name(value)
        entry |= {"shape": list(value.shape), "dtype": value.dtype.name,
                  "value": array_to_json(value._data), "requires_grad": value.requires_grad,
                  "is_leaf": grad_fn is None, "grad_fn": grad_fn}
    else:
        entry |= {"shape": None, "dtype": type_label(value), "value": value_to_json(value),
                  "requires_grad": False, "is_leaf": True, "grad_fn": None}
    return entry


def graph_to_dict(nodes) -> dict:
    entries = []
    for node in nodes:
        entry = {"id": node.id, "name": node.name, "next": node.next}
        if node.variable is not None or node.name == "AccumulateGrad":
            entry["variable"] = node.variable
        if node.shape is not None:
            entry["shape"] = list(node.shape)
        if node.produces is not None:
            entry["value_of"] = node.produces
        if node.source is not None:
            entry["source"] = node.source
        if node.hidden:
            entry["hidden"] = node.hidden
        entries.append(entry)
    return {"root": 0 if nodes else None, "nodes": entries}


def _trace(steps) -> list:
    return [{"node": step.node, "value_of": step.produces, "source": step.source,
             "line": step.location[0] if step.location else None,
             "column": step.location[1] if step.location else None,
             "rules": list(step.rules), "grad_in": value_to_json(step.grad_in),
             "grads_out": [{"to": target, "grad": value_to_json(g)}
                           for target, g in step.grads_out]}
            for step in steps]


def _check(check: CheckResult) -> dict:
    expect = {}
    for result in check.expect:
        entry = {"ok": result.ok,
                 "mismatches": [{"index": list(m.index), "expected": _number(m.expected, None),
                                 "computed": _number(m.computed, None)}
                                for m in result.mismatches]}
        if result.problem:
            entry["problem"] = result.problem
        if result.node:
            entry["node"] = result.node
        expect[result.name] = entry
    first = check.first_divergence
    return {"leaves": {c.name: {"max_abs": _number(c.max_abs, None),
                                "max_rel": _number(c.max_rel, None), "ok": c.ok}
                       for c in check.leaves},
            "expect": expect, "rtol": check.rtol, "atol": check.atol,
            "first_divergence": first.name if first is not None else None,
            "notes": list(check.notes), "ok": check.ok}


def report_to_dict(report: Report) -> dict:
    root = report.root if isinstance(report.root, Tensor) else None
    root_fn = shown_grad_fn(root) if root is not None else None
    nodes = collect_graph(root_fn, report.leaf_names, produced_by=report.produced_by,
                          root_shape=tuple(root.shape) if root_fn is not None else None)
    grads = {}
    for name, leaf in report.grads.items():
        grad = leaf._grad
        grads[name] = {"shape": list(leaf.shape),
                       "value": None if grad is None else array_to_json(grad._data)}
    error = None
    if report.error is not None:
        error = {"type": report.error.type, "message": report.error.message,
                 "line": report.error.line, "column": report.error.column}
    document = {
        "version": SCHEMA_VERSION,
        "ok": report.error is None and (report.check is None or report.check.ok),
        "outputs": [_output(source, value) for source, value in report.outputs],
        "prints": list(report.prints),
        "graph": graph_to_dict(nodes),
        "grads": grads,
        "error": error,
    }
    if report.trace is not None:
        document["trace"] = _trace(report.trace)
    if report.check is not None:
        document["check"] = _check(report.check)
    return document


def dumps(document) -> str:
    return json.dumps(document, allow_nan=False, ensure_ascii=False)


def render_json(report: Report) -> str:
    return dumps(report_to_dict(report))
