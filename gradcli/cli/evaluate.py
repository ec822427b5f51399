"""`gradcli eval`: run a program, backpropagate from its last expression, gather everything the
renderers show into a Report (values, prints, graph, gradients, trace)."""

from __future__ import annotations

from gradcli.cli import exits
from gradcli.cli.diagnostics import error, located
from gradcli.cli.session import Source


class EvalOptions:
    """What every command that evaluates a program shares (built from the command line).
    (A plain class, not a dataclass: see render/report.py.)"""

    def __init__(self, as_json: bool = False, console=None, grad_output: str | None = None,
                 backward: bool = True, trace: bool = False, keep_going: bool = False,
                 max_iterations: int = 10_000_000, latex: bool = False) -> None:
        self.as_json = as_json
        self.latex = latex            # eval --latex: a LaTeX fragment instead of tables
        self.console = console
        self.grad_output = grad_output
        self.backward = backward
        self.trace = trace
        self.keep_going = keep_going
        self.max_iterations = max_iterations
        self.retain: tuple = ()       # intermediate names whose grad is kept
        self.show_graph = True        # the graph table (check leaves it out)


def source_line(source: Source, line: int) -> str | None:
    lines = source.text.split("\n")
    return lines[line - 1] if 1 <= line <= len(lines) else None


def _target_label(child, report) -> str:
    """How a trace names where an outgoing gradient goes: a leaf's name or a node."""
    if child is None:
        return "None"
    variable = getattr(child, "variable", None)
    if variable is not None:
        return report.leaf_names.get(id(variable), "(unnamed leaf)")
    name = report.produced_by.get(id(child))
    return f"{child.type_name} ({name})" if name else child.type_name


class TraceRecorder:
    """An `on_step` observer for the engine's backward passes (eval's own and the program's
    `.backward()` calls): it keeps each executed node with its gradients, and turns them into
    TraceSteps once the run is over and the program's names are known."""

    def __init__(self) -> None:
        self.steps: list = []

    def __call__(self, node, grad_in, grads_out) -> None:
        self.steps.append((node, grad_in, grads_out))

    def trace(self, report) -> list:
        from gradcli.render.graph import source_location, source_text
        from gradcli.render.report import TraceStep

        trace = []
        for node, grad_in, grads_out in self.steps:
            op = getattr(node, "op", None)
            # the rule of each input that takes a gradient (a Python number's has no edge)
            rules = tuple(rule for rule, (child, _) in zip(op.rules, node.next_functions)
                          if child is not None) if op is not None and op.rules else ()
            targets = [(_target_label(child, report), g) for (child, _), g
                       in zip(node.next_functions, grads_out) if child is not None]
            trace.append(TraceStep(node.type_name, report.produced_by.get(id(node)),
                                   source_text(node), source_location(node), rules, grad_in,
                                   targets, node))
        return trace


def run_eval(source: Source, program, bindings: dict, options: EvalOptions, gradient=None,
             write=None, on_warning=None, script: bool = False):
    """Run `program` with `bindings`; returns (report, error text or None). Prints are
    collected into the report unless `write` takes them; `script` runs it as `run` does
    (Python's semantics for Python numbers, not the calculator's IEEE division)."""
    from gradcli.engine import differentiate
    from gradcli.engine.errors import TorchError
    from gradcli.engine.printing import grad_fn_name, shown_grad_fn
    from gradcli.engine.reductions import ReturnTypes
    from gradcli.engine.tensor import Tensor
    from gradcli.lang.interpreter import Interpreter, ProgramError
    from gradcli.render.report import ErrorInfo, Report

    prints: list = []
    recorder = TraceRecorder() if options.trace else None
    interpreter = Interpreter(write=write or prints.append, on_warning=on_warning,
                              max_iterations=options.max_iterations, python_semantics=script,
                              on_backward_step=recorder)
    outcome = interpreter.run(program, bindings)
    report = Report(outputs=[(o.source, o.value) for o in outcome.outputs], prints=prints)
    failure = outcome.error
    last = outcome.outputs[-1] if outcome.outputs else None
    value = last.value if last is not None else None
    if isinstance(value, ReturnTypes):      # x.max(0): the graph and gradients of its values
        value = value.values
    if isinstance(value, Tensor):
        report.root = value
    names = {name: value for name, value in outcome.namespace.items()
             if isinstance(value, Tensor)}
    # (a view that may not follow an in-place change of its base has a node but shows none)
    leaves = {name: t for name, t in names.items() if grad_fn_name(t) is None}
    report.leaf_names = {id(t): name for name, t in leaves.items()}
    report.produced_by = {id(node): name for name, node in
                          ((name, shown_grad_fn(t)) for name, t in names.items())
                          if node is not None}
    report.grads = {name: t for name, t in leaves.items() if t.requires_grad}
    report.namespace = names
    if (failure is None and options.backward and not outcome.backward_called
            and report.root is not None and report.root.requires_grad):
        for name in options.retain:
            kept = names.get(name)
            if kept is not None and not kept.is_leaf and kept.requires_grad:
                kept.retain_grad()
        try:
            differentiate.backward(report.root, gradient, on_step=recorder)
        except TorchError as e:
            failure = ProgramError(e.kind, str(e), last.span)
    if recorder is not None:
        report.trace = recorder.trace(report)
    message = None
    if failure is not None:
        span = failure.span
        report.error = ErrorInfo(failure.kind, failure.message, span.line or None,
                                 span.column or None)
        message = located(source.label, span.line, span.column,
                          f"{failure.kind}: {failure.message}", source_line(source, span.line))
    return report, message


def note_unused(program, bindings: dict) -> None:
    used = {n.id for n in names_in(program)}
    for name in bindings:
        if name not in used:
            error(f"note: {name} is bound but never used; its gradient is None")


def gradient_value(options: EvalOptions):
    if options.grad_output is None:
        return None
    from gradcli.cli.session import as_leaf, evaluate_value

    return as_leaf(evaluate_value(options.grad_output, "--grad-output"), False, "--grad-output")


def for_each_input(sources: list, handle, options: EvalOptions, headings: bool = True,
                   json_errors: bool = True) -> int:
    """Run `handle(source) -> exit code` on each input; a syntax error is exit 3 (and, with
    --json, a document whose error says so). Without --keep-going the first failure stops the
    rest; the worst code is returned."""
    from gradcli.cli.session import SyntaxFailure

    status = exits.OK
    for number, source in enumerate(sources):
        if headings and len(sources) > 1 and not options.as_json:
            options.console.rule(source.label, style="dim")
        try:
            code = handle(source)
        except SyntaxFailure as failure:
            if options.as_json and json_errors:
                from gradcli.render.json_report import render_json
                from gradcli.render.report import ErrorInfo, Report

                print(render_json(Report(error=ErrorInfo("SyntaxError", failure.message,
                                                         failure.line, failure.column))))
            error(str(failure))
            code = exits.SYNTAX
        status = max(status, code)
        if code != exits.OK and not options.keep_going and number + 1 < len(sources):
            error(f"gradcli: stopped after {source.label} (--keep-going runs the rest)")
            break
    return status


def show(report, message: str | None, options: EvalOptions) -> int:
    """Print a report (tables or one JSON line), then the error; the exit code."""
    if options.as_json:
        from gradcli.render.json_report import render_json

        print(render_json(report), flush=True)
    else:
        from gradcli.render.tables import render_tables

        render_tables(report, options.console, graph=options.show_graph)
    if message is not None:
        error(message)
        return exits.FAILED
    return exits.OK


def show_latex(program, report, message: str | None) -> int:
    """`eval --latex`: the LaTeX fragment on stdout, then the error; the exit code."""
    from gradcli.render.latex import render_latex

    print(render_latex(program, report), end="", flush=True)
    if message is not None:
        error(message)
        return exits.FAILED
    return exits.OK


def eval_command(sources: list, make_bindings, options: EvalOptions) -> int:
    from gradcli.cli.session import parse_source

    gradient = gradient_value(options)

    def handle(source: Source) -> int:
        program = parse_source(source)
        bindings = make_bindings()
        note_unused(program, bindings)
        report, message = run_eval(source, program, bindings, options, gradient)
        if options.latex:
            return show_latex(program, report, message)
        return show(report, message, options)

    # a LaTeX fragment per input, without the console's rules between them
    return for_each_input(sources, handle, options, headings=not options.latex)


def run_with_report(source: Source, options: EvalOptions) -> int:
    """`run --report`: the program's own output as it happens (as `run` prints it), then
    eval's tables for its last expression."""
    import sys

    from gradcli.cli.script import warning_printer
    from gradcli.cli.session import parse_source

    program = parse_source(source)
    report, message = run_eval(source, program, {}, options, write=sys.stdout.write,
                               on_warning=warning_printer(source), script=True)
    sys.stdout.flush()
    report.prints = []           # already on stdout
    return show(report, message, options)


def names_in(program):
    """Every Name node of the program (iteratively). A node's parts are its class's __slots__
    (lang/ast.py); the span, the one part every node shares, is Node's."""
    from gradcli.lang import ast

    stack = list(program.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            yield node
        if isinstance(node, ast.Node):
            for part in type(node).__slots__:
                value = getattr(node, part)
                if isinstance(value, (ast.Node, tuple)):
                    stack.append(value)
        elif isinstance(node, tuple):
            stack.extend(node)
