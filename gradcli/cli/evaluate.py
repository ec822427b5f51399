"""`gradcli eval`: run a program, backpropagate from its last expression, show everything."""

from __future__ import annotations

from gradcli.cli import exits
from gradcli.cli.diagnostics import error, located
from gradcli.cli.session import Source


def _source_line(source: Source, line: int) -> str | None:
    lines = source.text.split("\n")
    return lines[line - 1] if 1 <= line <= len(lines) else None


def run_eval(source: Source, program, bindings: dict, grad_output=None, backward: bool = True):
    """Run `program` with `bindings`; returns (report, error text or None)."""
    from gradcli.engine.errors import TorchError
    from gradcli.engine.tensor import Tensor
    from gradcli.lang.interpreter import Interpreter, ProgramError
    from gradcli.render.report import ErrorInfo, Report

    prints: list = []
    outcome = Interpreter(write=prints.append).run(program, bindings)
    report = Report(outputs=[(o.source, o.value) for o in outcome.outputs], prints=prints)
    failure = outcome.error
    last = outcome.outputs[-1] if outcome.outputs else None
    if isinstance(last and last.value, Tensor):
        report.root = last.value
    if (failure is None and backward and not outcome.backward_called and report.root is not None
            and report.root.requires_grad):
        try:
            report.root.backward(grad_output)
        except TorchError as e:
            failure = ProgramError(e.kind, str(e), last.span)
    names = {name: value for name, value in outcome.namespace.items()
             if isinstance(value, Tensor)}
    report.leaf_names = {id(t): name for name, t in names.items() if t.is_leaf}
    report.grads = {name: t for name, t in names.items() if t.is_leaf and t.requires_grad}
    message = None
    if failure is not None:
        span = failure.span
        report.error = ErrorInfo(failure.kind, failure.message, span.line or None,
                                 span.column or None)
        message = located(source.label, span.line, span.column,
                          f"{failure.kind}: {failure.message}", _source_line(source, span.line))
    return report, message


def eval_command(source: Source, bindings: dict, *, as_json: bool, grad_output: str | None,
                 backward: bool, console) -> int:
    from gradcli.cli.session import SyntaxFailure, evaluate_value, parse_source
    from gradcli.render.json_report import render_json
    from gradcli.render.tables import render_tables

    try:
        program = parse_source(source)
    except SyntaxFailure as failure:
        error(str(failure))
        return exits.SYNTAX
    gradient = None
    if grad_output is not None:
        from gradcli.cli.session import as_leaf

        gradient = as_leaf(evaluate_value(grad_output, "--grad-output"), False, "--grad-output")
    used = {n.id for n in _names_in(program)}
    for name in bindings:
        if name not in used:
            error(f"note: {name} is bound with --at but never used; its gradient is None")
    report, message = run_eval(source, program, bindings, gradient, backward)
    if as_json:
        print(render_json(report))
    else:
        render_tables(report, console)
    if message is not None:
        error(message)
        return exits.FAILED
    return exits.OK


def _names_in(program):
    """Every Name node of the program (iteratively)."""
    from dataclasses import fields

    from gradcli.lang import ast

    stack = list(program.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            yield node
        if isinstance(node, ast.Node):
            for f in fields(node):
                value = getattr(node, f.name)
                if isinstance(value, (ast.Node, tuple)):
                    stack.append(value)
        elif isinstance(node, tuple):
            stack.extend(node)
