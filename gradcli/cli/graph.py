"""`gradcli graph`: the backward graph of a program's output, alone, in one of five formats."""

from __future__ import annotations

from gradcli.cli import exits
from gradcli.cli.diagnostics import error
from gradcli.cli.evaluate import EvalOptions, for_each_input, gradient_value, run_eval
from gradcli.cli.session import Source

SMALL = 6      # --values shows a node's value and gradient when it has at most this many elements


def _small(tensor) -> bool:
    return tensor is not None and 0 < tensor.numel() <= SMALL


def node_details(report, nodes, gradients: dict) -> dict:
    """node id -> {"value": Tensor, "grad": Tensor} for the small values the program named."""
    details = {}
    for node in nodes:
        known = {}
        value = None
        if node.id == 0:
            value = report.root
        elif node.produces is not None:
            value = report.namespace.get(node.produces)
        elif node.variable is not None:
            value = report.namespace.get(node.variable)
        if _small(value):
            known["value"] = value.detach()
        grad = None
        if node.variable is not None and value is not None:
            grad = value._grad
        elif node.node is not None:
            grad = gradients.get(id(node.node))
        if _small(grad):
            known["grad"] = grad
        if known:
            details[node.id] = known
    return details


def graph_command(sources: list, make_bindings, options: EvalOptions, fmt: str,
                  max_nodes: int, values: bool) -> int:
    from gradcli.cli.session import parse_source
    from gradcli.engine.printing import shown_grad_fn
    from gradcli.engine.tensor import Tensor
    from gradcli.render import graph_formats
    from gradcli.render.graph import collect_graph
    from gradcli.render.tables import fit

    options.backward = values and options.backward
    options.trace = options.backward      # the trace gives every node's gradient
    gradient = gradient_value(options)

    def handle(source: Source) -> int:
        program = parse_source(source)
        report, message = run_eval(source, program, make_bindings(), options, gradient)
        root = report.root if isinstance(report.root, Tensor) else None
        root_fn = None if root is None else shown_grad_fn(root)
        if root_fn is None:
            if message is None:
                error(f"{source.label}: the output has no grad_fn, so there is no backward graph "
                      "(bind a leaf with --at, or use requires_grad=True)")
        nodes = [] if root is None else collect_graph(
            root_fn, report.leaf_names, produced_by=report.produced_by,
            root_shape=tuple(root.shape), max_nodes=max_nodes or None)
        gradients = {}
        for step in report.trace or ():
            gradients.setdefault(id(step.node_ref), step.grad_in)
        details = node_details(report, nodes, gradients) if values else {}
        if nodes and fmt == "table":
            headers, rows = graph_formats.table_rows(nodes, details)
            options.console.print(fit("backward graph (output → leaves)", headers, rows,
                                      options.console, right=("id",),
                                      wraps=("value of", "next_functions")))
        elif nodes:
            print(graph_formats.TEXT_FORMATS[fmt](nodes, details), flush=True)
        if message is not None:
            error(message)
            return exits.FAILED
        return exits.OK if nodes else exits.FAILED

    return for_each_input(sources, handle, options, json_errors=False)
