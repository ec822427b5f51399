"""The human view of a run: Rich tables for the outputs, the backward graph, the leaf gradients,
and (when asked) the backward trace and the check results.

User text always goes in as `Text`, never as markup, so `x[0]` stays `x[0]`. A tensor value is
PyTorch's own multi-line text, which must not be re-wrapped: when a table with tensors in it is
wider than the console, the tensors move under a compact table as `value of EXPR: ...` blocks,
and when even that is too wide each row becomes a block of `column: cell` lines. Numbers are
never cut to `12…`; only on a console narrower than a tensor line does it fold."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from gradcli.engine.printing import format_tensor, grad_fn_name, shown_grad_fn
from gradcli.engine.tensor import Tensor
from gradcli.render.graph import collect_graph, shape_text, type_label
from gradcli.render.report import CheckResult, Report

PASS_STYLE, FAIL_STYLE = "bold green", "bold red"
# Rows a table shows before the rest is summarised (the JSON output always has everything).
MAX_GRAPH_ROWS, MAX_TRACE_ROWS, MAX_MISMATCH_ROWS = 200, 200, 50


def value_text(value) -> str:
    if isinstance(value, Tensor):
        return format_tensor(value)
    return "None" if value is None else str(value)


def number_text(value: float) -> str:
    return f"{value:.10g}"


def _table(title: str, headers: tuple, rows: list, right: tuple, wraps: tuple) -> Table:
    table = Table(title=Text(title), title_justify="left")
    for header in headers:
        table.add_column(header, overflow="fold", no_wrap=header not in wraps,
                         justify="right" if header in right else "left")
    for row in rows:
        table.add_row(*(cell if isinstance(cell, Text) else Text(cell) for cell in row))
    return table


def _fits(headers: tuple, rows: list, wraps: tuple, console: Console) -> bool:
    """Whether a table of these cells fits the console when only the `wraps` columns wrap (at
    spaces) and every other cell keeps its lines whole. (Rich's own measurement assumes any
    column may wrap, and would crop a tensor line rather than say it does not fit.)"""
    width = 1
    for column, header in enumerate(headers):
        cells = [header] + [_plain(row[column]) for row in rows]
        if header in wraps:
            needed = max(len(word) for cell in cells for word in cell.split() or [""])
        else:
            needed = max(len(line) for cell in cells for line in cell.split("\n"))
        width += needed + 3          # one space of padding each side, one rule
    return width <= console.width


def _plain(cell) -> str:
    return cell.plain if isinstance(cell, Text) else cell


def _block(heading: str, cell, console: Console) -> list:
    """`heading: value` on one line when it fits, else the heading and the value indented."""
    text = cell if isinstance(cell, Text) else Text(cell)
    if "\n" not in text.plain and len(heading) + 2 + len(text.plain) <= console.width:
        return [Text.assemble((f"{heading}: ", "bold"), text)]
    return [Text(f"{heading}:", style="bold"), _indented(text)]


def _indented(text: Text) -> Text:
    """Two spaces before every line (Padding would also pad every line on the right)."""
    lines = text.split("\n", allow_blank=True)
    return Text("\n").join(Text("  ") + line for line in lines)


def fit(title: str, headers: tuple, rows: list, console: Console, right: tuple = (),
        blocks: tuple = (), labels: list | None = None, wraps: tuple = ()):
    """The rows as a table when it fits the console (only the `wraps` columns, text, may wrap
    at spaces; numbers and tensors never do). If not, the `blocks` columns (tensor
    values, which must not be re-wrapped) move under a compact table, one `column of label:`
    block per row and column; if even the compact table cannot fit, every row becomes a block
    of `column: cell` lines."""
    labels = labels or [_plain(row[0]) for row in rows]
    used = [i for i in range(len(headers)) if any(_plain(row[i]) for row in rows)]
    if len(used) < len(headers):        # a column empty in every row says nothing
        headers = tuple(headers[i] for i in used)
        rows = [tuple(row[i] for i in used) for row in rows]
    if _fits(headers, rows, wraps, console):
        return _table(title, headers, rows, right, wraps)
    if blocks:
        keep = [i for i, header in enumerate(headers) if header not in blocks]
        compact_headers = tuple(headers[i] for i in keep)
        compact_rows = [tuple(row[i] for i in keep) for row in rows]
        if _fits(compact_headers, compact_rows, wraps, console):
            parts = [_table(title, compact_headers, compact_rows, right, wraps)]
            for label, row in zip(labels, rows):
                for header, cell in zip(headers, row):
                    if header in blocks:
                        parts.extend(_block(f"{header} of {label}", cell, console))
            return Group(*parts)
    parts = [Text(title, style="italic")]
    for row in rows:
        parts.append(Text("─" * min(console.width, 40), style="dim"))
        for header, cell in zip(headers, row):
            if _plain(cell):
                parts.extend(_block(header, cell, console))
    return Group(*parts)


def outputs_view(report: Report, console: Console):
    """One row per expression statement with a value (`print(...)` and `y.backward()` give
    None, which says nothing; JSON keeps them)."""
    rows = []
    for source, value in report.outputs:
        if value is None:
            continue
        if isinstance(value, Tensor):
            grad_fn = grad_fn_name(value) or "None"
            rows.append((source, shape_text(value.shape), value.dtype.name, value_text(value),
                         str(value.requires_grad), grad_fn))
        else:
            rows.append((source, "-", type_label(value), value_text(value), "False", "-"))
    if not rows:
        return None
    return fit("outputs", ("expression", "shape", "dtype", "value", "requires_grad", "grad_fn"),
               rows, console, blocks=("value",), wraps=("expression",))


def graph_view(report: Report, console: Console):
    root_fn = shown_grad_fn(report.root) if isinstance(report.root, Tensor) else None
    nodes = collect_graph(root_fn, report.leaf_names, produced_by=report.produced_by,
                          root_shape=tuple(report.root.shape) if root_fn is not None else None,
                          max_nodes=MAX_GRAPH_ROWS)
    if not nodes:
        return None
    from gradcli.render.graph_formats import table_rows

    headers, rows = table_rows(nodes, {})
    return fit("backward graph (output → leaves)", headers, rows, console, right=("id",),
               wraps=("value of", "next_functions"))


def grads_view(report: Report, console: Console):
    if not report.grads:
        return None
    rows = [(name, shape_text(leaf.shape), value_text(leaf._grad))
            for name, leaf in report.grads.items()]
    return fit("gradients", ("leaf", "shape", "grad"), rows, console, blocks=("grad",))


def _arrow(target: str, value: str) -> str:
    return f"→ {target}:" + ("\n" if "\n" in value else " ") + value


def trace_view(report: Report, console: Console):
    if not report.trace:
        return None
    rows = []
    for step_number, step in enumerate(report.trace[:MAX_TRACE_ROWS], 1):
        node = step.node + (f" ({step.produces})" if step.produces else "")
        where = step.source or ""
        if step.location is not None:
            where = f"{step.location[0]}:{step.location[1]} {where}".strip()
        outgoing = "\n".join(_arrow(target, value_text(g)) for target, g in step.grads_out)
        rows.append((str(step_number), node, where, "\n".join(step.rules),
                     value_text(step.grad_in), outgoing))
    view = fit("backward trace (execution order)",
               ("step", "node", "source", "rule", "grad in", "grads out"), rows, console,
               right=("step",), blocks=("grad in", "grads out"), wraps=("source",),
               labels=[f"step {row[0]}" for row in rows])
    hidden = len(report.trace) - len(rows)
    if hidden:
        return Group(view, Text(f"… {hidden:,} more steps (--json has them all)", style="dim"))
    return view


def check_views(check: CheckResult, console: Console) -> list:
    views = []
    if check.leaves:
        rows = [(c.name, f"{c.max_abs:.3e}", f"{c.max_rel:.3e}",
                 Text("PASS", style=PASS_STYLE) if c.ok else Text("FAIL", style=FAIL_STYLE))
                for c in check.leaves]
        views.append(fit("autograd vs finite differences", ("leaf", "max abs diff",
                                                              "max rel diff", "result"),
                         rows, console, right=("max abs diff", "max rel diff")))
        views.append(Text(f"(float64; PASS: |autograd - numeric| <= {check.atol:g} + "
                          f"{check.rtol:g}*|numeric|)", style="dim"))
    for note in check.notes:
        views.append(Text(note))
    for result in check.expect:
        verdict = Text("PASS", style=PASS_STYLE) if result.ok else Text("FAIL", style=FAIL_STYLE)
        label = result.name if result.name.startswith("--") else f"--expect {result.name}"
        heading = Text.assemble(f"{label}: ", verdict)
        if result.node:
            heading.append(f"  ({result.node})")
        views.append(heading)
        if result.problem:
            views.append(_indented(Text(result.problem)))
        if result.mismatches:
            rows = [("[" + ", ".join(str(i) for i in m.index) + "]", number_text(m.expected),
                     number_text(m.computed)) for m in result.mismatches[:MAX_MISMATCH_ROWS]]
            views.append(fit(f"elements of {result.name} that differ",
                             ("index", "expected", "computed"), rows, console,
                             right=("expected", "computed")))
            hidden = len(result.mismatches) - len(rows)
            if hidden:
                views.append(Text(f"… {hidden:,} more (--json has them all)", style="dim"))
    first = check.first_divergence
    if first is not None and len(check.expect) > 1:
        where = f" at {first.node}" if first.node else ""
        views.append(Text(f"first divergence in backward order: {first.name}{where}",
                          style=FAIL_STYLE))
    return views


def render_tables(report: Report, console: Console, graph: bool = True) -> None:
    """Everything a report holds, in SPEC §3.2's order; `graph=False` leaves the graph out
    (check shows values, gradients and verdicts)."""
    outputs = outputs_view(report, console)
    parts = [outputs] if outputs is not None else []
    if report.prints:
        parts.append(Text("printed", style="italic"))
        parts.append(Text("".join(report.prints).rstrip("\n")))
    for view in (graph_view(report, console) if graph else None, grads_view(report, console),
                 trace_view(report, console)):
        if view is not None:
            parts.append(view)
    if report.check is not None:
        parts.extend(check_views(report.check, console))
    if parts:
        console.print(Group(*parts))
