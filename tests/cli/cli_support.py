"""Running gradcli in-process through Typer's CliRunner, checking a --json document against
the version 1 schema (SPEC §3.5) with a small validator written here, and compiling gradcli's
LaTeX with a real TeX."""

from __future__ import annotations

import json
import numbers
import subprocess

from typer.testing import CliRunner

from gradcli.cli.app import app


def invoke(*args: str, input: str | None = None, env: dict | None = None):
    """`gradcli ARGS` in-process: a Result with .exit_code, .stdout, .stderr."""
    result = CliRunner().invoke(app, list(args), input=input, env=env or {})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def documents(stdout: str) -> list:
    """The JSON documents of a --json run: one per line."""
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


class SchemaError(AssertionError):
    pass


def _expect(condition: bool, where: str, what: str) -> None:
    if not condition:
        raise SchemaError(f"{where}: {what}")


def _is_number(value) -> bool:
    return (isinstance(value, numbers.Real) and not isinstance(value, bool)) or \
        value in ("nan", "inf", "-inf")


def _check_nested(value, shape: list, dtype: str, where: str) -> None:
    """`value` is nested lists matching `shape` whose leaves suit `dtype` (iteratively)."""
    leaf_ok = {"bool": lambda v: isinstance(v, bool),
               "int64": lambda v: isinstance(v, int) and not isinstance(v, bool)}.get(
        dtype, _is_number)
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth == len(shape):
            _expect(leaf_ok(item), where, f"{item!r} is not a {dtype} element")
            continue
        _expect(isinstance(item, list) and len(item) == shape[depth], where,
                f"expected a list of {shape[depth]} at depth {depth}")
        stack.extend((child, depth + 1) for child in item)


def _check_tensor_entry(entry: dict, where: str) -> None:
    shape = entry["shape"]
    _expect(isinstance(shape, list) and all(isinstance(n, int) for n in shape), where, "shape")
    _check_nested(entry["value"], shape, entry.get("dtype", "float32"), where)


def validate(doc: dict) -> None:
    """Raise SchemaError unless `doc` is a version 1 document."""
    _expect(isinstance(doc, dict), "document", "not an object")
    required = {"version", "ok", "outputs", "prints", "graph", "grads", "error"}
    _expect(required <= set(doc), "document", f"missing {sorted(required - set(doc))}")
    _expect(set(doc) <= required | {"trace", "check"}, "document",
            f"unknown keys {sorted(set(doc) - required - {'trace', 'check'})}")
    _expect(doc["version"] == 1, "version", "must be 1")
    _expect(isinstance(doc["ok"], bool), "ok", "must be a boolean")
    for i, out in enumerate(doc["outputs"]):
        where = f"outputs[{i}]"
        _expect({"source", "shape", "dtype", "value", "requires_grad", "is_leaf", "grad_fn"}
                == set(out), where, f"keys {sorted(out)}")
        _expect(isinstance(out["source"], str), where, "source")
        _expect(isinstance(out["requires_grad"], bool) and isinstance(out["is_leaf"], bool),
                where, "flags")
        _expect(out["grad_fn"] is None or out["grad_fn"].endswith(("Backward0", "Backward1",
                                                                   "Backward2")),
                where, f"grad_fn {out['grad_fn']!r}")
        if out["shape"] is not None:
            _check_tensor_entry(out, where)
    _expect(all(isinstance(p, str) for p in doc["prints"]), "prints", "strings")
    graph = doc["graph"]
    ids = {node["id"] for node in graph["nodes"]}
    _expect(graph["root"] is None if not ids else graph["root"] in ids, "graph.root", "unknown")
    for node in graph["nodes"]:
        where = f"graph node {node.get('id')}"
        _expect(isinstance(node["name"], str) and isinstance(node["next"], list), where, "name")
        _expect(all(n is None or n in ids for n in node["next"]), where, "next ids")
        if node["name"] == "AccumulateGrad":
            _expect("variable" in node and node["next"] == [], where, "leaf")
    for name, grad in doc["grads"].items():
        where = f"grads.{name}"
        if grad["value"] is not None:
            _check_nested(grad["value"], grad["shape"], "float", where)
    error = doc["error"]
    _expect(doc["ok"] is (error is None and doc.get("check", {}).get("ok", True)), "ok",
            "must say whether there was an error or a failed check")
    if error is not None:
        _expect(set(error) == {"type", "message", "line", "column"}, "error", "keys")
        _expect(isinstance(error["type"], str) and isinstance(error["message"], str), "error",
                "type and message are strings")
    for step in doc.get("trace", []):
        _expect({"node", "rules", "grad_in", "grads_out"} <= set(step), "trace", "keys")
    if "check" in doc:
        check = doc["check"]
        _expect({"leaves", "expect", "ok"} <= set(check), "check", "keys")
        for name, leaf in check["leaves"].items():
            _expect(_is_number(leaf["max_abs"]) and isinstance(leaf["ok"], bool), "check", name)
        for name, result in check["expect"].items():
            for mismatch in result["mismatches"]:
                _expect(isinstance(mismatch["index"], list), "check", f"{name} index")


def compile_latex(compiler: str, directory, preamble: str, body: str) -> str:
    """Compile `body` in an article with `preamble` (its \\usepackage lines); asserts that TeX
    succeeded and returns its log."""
    (directory / "doc.tex").write_text(
        f"\\documentclass{{article}}\n{preamble}\\begin{{document}}\n{body}\n\\end{{document}}\n",
        encoding="utf-8")
    result = subprocess.run([compiler, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
                            cwd=directory, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:]
    return (directory / "doc.log").read_text(errors="replace")
