"""The human view of a run: three Rich tables (outputs, backward graph, leaf gradients).
User text always goes in as `Text`, never as markup, so `x[0]` stays `x[0]`; number columns
fold instead of truncating to `12…`."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from gradcli.engine.printing import format_tensor
from gradcli.engine.tensor import Tensor
from gradcli.render.graph import collect_graph
from gradcli.render.report import Report


def _shape(value) -> str:
    return str(list(value.shape)) if isinstance(value, Tensor) else "-"


def outputs_table(report: Report) -> Table:
    table = Table(title="outputs", title_justify="left")
    for header in ("expression", "shape", "dtype", "value", "requires_grad", "grad_fn"):
        table.add_column(header, overflow="fold")
    for source, value in report.outputs:
        if isinstance(value, Tensor):
            grad_fn = value.grad_fn.name() if value.grad_fn is not None else "None"
            table.add_row(Text(source), _shape(value), value.dtype.name,
                          Text(format_tensor(value)), str(value.requires_grad), grad_fn)
        else:
            table.add_row(Text(source), "-", type(value).__name__, Text(str(value)), "False", "-")
    return table


def graph_table(report: Report) -> Table | None:
    root_fn = report.root.grad_fn if isinstance(report.root, Tensor) else None
    nodes = collect_graph(root_fn, report.leaf_names)
    if not nodes:
        return None
    table = Table(title="backward graph (output → leaves)", title_justify="left")
    table.add_column("id", justify="right")
    table.add_column("node")
    table.add_column("next_functions", overflow="fold")
    for node in nodes:
        label = node.name
        if node.name == "AccumulateGrad":
            label += f" → {node.variable or '(unnamed leaf)'}"
        inputs = ", ".join("None" if i is None else f"{nodes[i].name} #{i}" for i in node.next)
        table.add_row(str(node.id), Text(label), Text(f"({inputs})" if node.next else ""))
    return table


def grads_table(report: Report) -> Table | None:
    if not report.grads:
        return None
    table = Table(title="gradients", title_justify="left")
    table.add_column("leaf")
    table.add_column("shape")
    table.add_column("grad", overflow="fold")
    for name, leaf in report.grads.items():
        grad = leaf._grad
        table.add_row(Text(name), _shape(leaf), Text("None" if grad is None else format_tensor(grad)))
    return table


def render_tables(report: Report, console: Console) -> None:
    parts = [outputs_table(report)] if report.outputs else []
    if report.prints:
        parts.append(Text("".join(report.prints).rstrip("\n")))
    for table in (graph_table(report), grads_table(report)):
        if table is not None:
            parts.append(table)
    if parts:
        console.print(Group(*parts))
