"""The `gradcli` command: Typer declares the commands and options; each command is a few lines
that read the input, apply the settings and hand over to its module. Heavy imports (numpy,
rich, lark) happen inside the commands, so `--version` and `--help` stay fast.

No `from __future__ import annotations` here: Typer would have to evaluate every postponed
annotation at start-up (typing.get_type_hints), several milliseconds on every command."""

import functools
import gc
import os
import sys
from typing import Annotated, List, Optional

import typer

from gradcli import __version__
from gradcli.cli import exits

EXAMPLE_EVAL = """Example:

\b
    gradcli eval 'mean(3*(x+2)^2)' --at 'x=[[1,2,3],[4,5,6]]'

prints the value 99.5 (grad_fn MeanBackward0), the backward graph and the gradient
x.grad = [[3, 4, 5], [6, 7, 8]]. An expression may start with '-': gradcli eval '-x^2' --at x=3
(or put it after --). Several inputs: gradcli eval -f a.grad -f b.grad --keep-going --json
prints one JSON object per line.
"""

EXAMPLE_RUN = """Example:

\b
    gradcli run snippet.py

prints exactly what `python snippet.py` prints with PyTorch 2.13 installed;
gradcli run snippet.py --report adds the outputs, graph and gradient tables after it.
"""

EXAMPLE_CHECK = """Example:

\b
    gradcli check 'mean(3*(x+2)^2)' --at 'x=[[1,2,3],[4,5,6]]' --expect 'x=[[3,4,5],[6,7,8]]'

compares autograd with central finite differences (float64) and with your hand-worked gradient;
exit code 0 when everything agrees, 1 otherwise. A decimal you write agrees within half a unit of
its last digit (0.1966 accepts 0.19655...0.19665); --rtol/--atol replace that rule.
--expect also takes intermediates of a program (y = x + 2 ... --expect 'y=...'): the report
names the first node, in backward order, where your gradient diverges.
"""

EXAMPLE_GRAPH = """Example:

\b
    gradcli graph 'mean(3*(x+2)^2)' --at 'x=[[1,2,3],[4,5,6]]' --format dot | dot -Tsvg > graph.svg

draws the backward graph like torchviz: each node with its grad_fn name and shape, leaves
with their variable name; --values adds small values and gradients.
"""

app = typer.Typer(
    name="gradcli",
    help="A gradient calculator: PyTorch's autograd on numpy, from the shell.\n\n"
         "Exit codes: 0 ok, 1 the program failed or a check failed, 2 usage error, "
         "3 syntax error, 130 interrupted.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# ----- options several commands share ------------------------------------------------------
Expr = Annotated[Optional[str], typer.Argument(
    metavar="EXPR", help="Expression or program; '-' reads stdin.")]
Files = Annotated[List[str], typer.Option(
    "--file", "-f", help="Read a program from FILE ('-' for stdin); repeatable.")]
At = Annotated[List[str], typer.Option(
    "--at", metavar="NAME=VALUE",
    help="Bind a leaf that requires grad; VALUE is an expression or @file.npy/@file.csv.")]
Const = Annotated[List[str], typer.Option(
    "--const", metavar="NAME=VALUE", help="Bind a constant (no grad).")]
GradOutput = Annotated[Optional[str], typer.Option(
    "--grad-output", metavar="VALUE", help="The gradient for a non-scalar output.")]
AsJson = Annotated[bool, typer.Option("--json", help="One JSON object per input (schema v1).")]
AsLatex = Annotated[bool, typer.Option(
    "--latex", help="Print a LaTeX fragment (amsmath align*): expressions, values, gradients. "
    "E.g. gradcli eval 'mean(3*(x+2)^2)' --at x=[1,2,3] --latex")]
Dtype = Annotated[str, typer.Option("--dtype", help="Default floating dtype: float32 or float64.")]
Seed = Annotated[Optional[int], typer.Option("--seed", help="Seed for random constructors.")]
Precision = Annotated[int, typer.Option(
    "--precision", min=0, max=30, help="Digits after the point in printed tensors.")]
NoColor = Annotated[bool, typer.Option("--no-color", help="No colours (also NO_COLOR).")]
KeepGoing = Annotated[bool, typer.Option(
    "--keep-going", help="With several inputs, run them all even after a failure.")]
Trace = Annotated[bool, typer.Option("--trace", help="Show the backward pass node by node.")]
MaxElements = Annotated[int, typer.Option(
    "--max-elements", min=1, help="Largest tensor allowed, in elements.")]
MaxIterations = Annotated[int, typer.Option(
    "--max-iterations", min=1, help="Loop iterations allowed in total.")]
MaxNesting = Annotated[int, typer.Option(
    "--max-nesting", min=1, help="Brackets and blocks allowed inside each other.")]
DEFAULT_PRECISION = 4                 # PyTorch's print option
DEFAULT_MAX_ELEMENTS = 50_000_000     # SPEC §5
DEFAULT_MAX_NESTING = 10_000
NoBackward = Annotated[bool, typer.Option("--no-backward", help="Do not run backward.")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gradcli {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", "-V", callback=_version,
                                                is_eager=True, help="Show the version.")] = False
          ) -> None:
    """A gradient calculator: PyTorch's autograd on numpy, from the shell."""


def _console(no_color: bool):
    from rich.console import Console

    plain = no_color or bool(os.environ.get("NO_COLOR"))
    # Every string printed is literal text (headers, file names): no markup, no `:emoji:`
    # codes, which would also load Rich's emoji table (~2 ms) on every run.
    return Console(highlight=False, markup=False, emoji=False,
                   color_system=None if plain else "auto")


def reports_usage_errors(command):
    """A command that turns a UsageError into one line on stderr and exit code 2."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from gradcli.cli.diagnostics import error

        try:
            return command(*args, **kwargs)
        except exits.UsageError as e:
            error(f"gradcli: {e}")
            raise typer.Exit(exits.USAGE) from None

    return wrapper


def _configure(dtype: str, precision: int, max_elements: int, max_nesting: int) -> None:
    """Apply the settings every command shares to the engine, before anything is parsed (all
    of them, every time, so one process can run several commands: the tests do)."""
    from gradcli.engine import dtypes, limits, printing
    from gradcli.lang import parser

    if dtype not in ("float32", "float64"):
        raise exits.UsageError(f"--dtype must be float32 or float64, not {dtype!r}")
    dtypes.set_default_dtype(dtypes.BY_NAME[dtype])
    printing.PRECISION = precision
    limits.max_elements = max_elements
    parser.max_nesting = max_nesting


def _inputs(expr: str | None, files: list):
    from gradcli.cli.session import read_sources

    return read_sources(expr, files)


def _binder(at: list, const: list, seed: int | None):
    """A function giving fresh bindings for each run (a run's backward changes its leaves).
    With a seed, every run starts as after `torch.manual_seed(seed)`: the bindings, then the
    program, draw the same random numbers each time."""
    from gradcli.cli.session import parse_bindings
    from gradcli.engine import random

    def fresh() -> dict:
        if seed is not None:
            random.manual_seed(seed)
        return parse_bindings(at, const)

    first = [fresh()]       # a bad --at is reported now, before anything runs

    def make_bindings() -> dict:
        return first.pop() if first else fresh()

    return make_bindings


def _options(**settings):
    from gradcli.cli.evaluate import EvalOptions

    no_color = settings.pop("no_color")
    return EvalOptions(console=_console(no_color), **settings)


@app.command("eval", epilog=EXAMPLE_EVAL, context_settings={"ignore_unknown_options": True})
@reports_usage_errors
def eval_cmd(expr: Expr = None, file: Files = [], at: At = [], const: Const = [],
             grad_output: GradOutput = None, no_backward: NoBackward = False,
             as_json: AsJson = False, as_latex: AsLatex = False, dtype: Dtype = "float32",
             seed: Seed = None, precision: Precision = DEFAULT_PRECISION,
             no_color: NoColor = False, keep_going: KeepGoing = False, trace: Trace = False,
             max_elements: MaxElements = DEFAULT_MAX_ELEMENTS,
             max_iterations: MaxIterations = 10_000_000,
             max_nesting: MaxNesting = DEFAULT_MAX_NESTING,
             ) -> None:
    """Evaluate an expression or program, backpropagate, print values, graph and gradients."""
    from gradcli.cli.evaluate import eval_command

    _configure(dtype, precision, max_elements, max_nesting)
    sources = _inputs(expr, file)
    if as_json and as_latex:
        raise typer.BadParameter("--json and --latex: choose one")
    options = _options(as_json=as_json, grad_output=grad_output, backward=not no_backward,
                       trace=trace, keep_going=keep_going, max_iterations=max_iterations,
                       no_color=no_color, latex=as_latex)
    raise typer.Exit(eval_command(sources, _binder(at, const, seed), options))


@app.command("run", epilog=EXAMPLE_RUN)
@reports_usage_errors
def run_cmd(files: Annotated[List[str], typer.Argument(
                metavar="FILE...", help="Program files ('-' for stdin).")],
            report: Annotated[bool, typer.Option(
                "--report", help="After the program's output, add eval's tables.")] = False,
            keep_going: KeepGoing = False, dtype: Dtype = "float32", seed: Seed = None,
            precision: Precision = DEFAULT_PRECISION, no_color: NoColor = False,
            max_elements: MaxElements = DEFAULT_MAX_ELEMENTS,
            max_iterations: MaxIterations = 10_000_000,
            max_nesting: MaxNesting = DEFAULT_MAX_NESTING,
            ) -> None:
    """Run program files as `python FILE` with PyTorch installed would."""
    from gradcli.cli.evaluate import for_each_input, run_with_report
    from gradcli.cli.script import run_script
    from gradcli.cli.session import read_sources

    _configure(dtype, precision, max_elements, max_nesting)
    if seed is not None:
        from gradcli.engine import random

        random.manual_seed(seed)
    sources = read_sources(None, files)
    options = _options(keep_going=keep_going, max_iterations=max_iterations, no_color=no_color)
    if report:
        status = for_each_input(sources, lambda source: run_with_report(source, options), options)
    else:
        from gradcli.lang.limits import Limits

        limits = Limits(max_iterations=max_iterations)
        # Script mode prints exactly what python would: no headings between files.
        status = for_each_input(sources, lambda source: run_script(source, limits), options,
                                headings=False)
    raise typer.Exit(status)


@app.command("check", epilog=EXAMPLE_CHECK, context_settings={"ignore_unknown_options": True})
@reports_usage_errors
def check_cmd(expr: Expr = None, file: Files = [], at: At = [], const: Const = [],
              expect: Annotated[List[str], typer.Option(
                  "--expect", metavar="NAME=VALUE",
                  help="Your gradient for NAME (a leaf or an intermediate of the program).")] = [],
              expect_value: Annotated[Optional[str], typer.Option(
                  "--expect-value", metavar="VALUE", help="Your value of the output.")] = None,
              rtol: Annotated[Optional[float], typer.Option(
                  "--rtol", min=0.0, help="Relative tolerance [finite differences: 1e-5].")] = None,
              atol: Annotated[Optional[float], typer.Option(
                  "--atol", min=0.0, help="Absolute tolerance [finite differences: 1e-8].")] = None,
              eps: Annotated[float, typer.Option(
                  "--eps", min=0.0, help="Finite-difference step.")] = 1e-6,
              grad_output: GradOutput = None, as_json: AsJson = False, seed: Seed = None,
              precision: Precision = DEFAULT_PRECISION, no_color: NoColor = False,
              keep_going: KeepGoing = False, trace: Trace = False,
              max_elements: MaxElements = DEFAULT_MAX_ELEMENTS,
              max_iterations: MaxIterations = 10_000_000,
              max_nesting: MaxNesting = DEFAULT_MAX_NESTING,
              ) -> None:
    """Check gradients: autograd vs finite differences, and vs your --expect (float64)."""
    from gradcli.cli.check import Tolerance, check_command

    from gradcli.engine import random

    _configure("float64", precision, max_elements, max_nesting)
    sources = _inputs(expr, file)
    options = _options(as_json=as_json, grad_output=grad_output, trace=trace,
                       keep_going=keep_going, max_iterations=max_iterations, no_color=no_color)
    tolerance = Tolerance(rtol, atol, eps)
    if eps <= 0:
        raise exits.UsageError("--eps must be positive")
    # Finite differences re-run the program: each run must draw the same random numbers.
    seed = random.seed() if seed is None else seed
    raise typer.Exit(check_command(sources, _binder(at, const, seed), options, expect,
                                   expect_value, tolerance))


@app.command("graph", epilog=EXAMPLE_GRAPH, context_settings={"ignore_unknown_options": True})
@reports_usage_errors
def graph_cmd(expr: Expr = None, file: Files = [], at: At = [], const: Const = [],
              fmt: Annotated[str, typer.Option(
                  "--format", help="tree, table, dot, mermaid, json or latex (TikZ).")] = "tree",
              max_nodes: Annotated[int, typer.Option(
                  "--max-nodes", min=0,
                  help="Show at most N nodes; the rest collapse into one (0: no limit).")] = 1000,
              values: Annotated[bool, typer.Option(
                  "--values", help="Show small values and gradients on the nodes.")] = False,
              grad_output: GradOutput = None, dtype: Dtype = "float32", seed: Seed = None,
              precision: Precision = DEFAULT_PRECISION, no_color: NoColor = False,
              keep_going: KeepGoing = False,
              max_elements: MaxElements = DEFAULT_MAX_ELEMENTS,
              max_iterations: MaxIterations = 10_000_000,
              max_nesting: MaxNesting = DEFAULT_MAX_NESTING,
              ) -> None:
    """Show the backward graph of the output: tree, table, DOT (Graphviz), Mermaid, JSON or a
    LaTeX (TikZ) picture."""
    from gradcli.cli.graph import graph_command
    from gradcli.render.graph_formats import FORMATS

    if fmt not in FORMATS:
        raise exits.UsageError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    _configure(dtype, precision, max_elements, max_nesting)
    sources = _inputs(expr, file)
    options = _options(as_json=fmt != "table", grad_output=grad_output, keep_going=keep_going,
                       max_iterations=max_iterations, no_color=no_color)
    raise typer.Exit(graph_command(sources, _binder(at, const, seed), options, fmt, max_nodes,
                                   values))


def main() -> None:
    code = _run()
    # The process ends here. Python's shutdown runs the cycle collector over every object still
    # alive (modules, parser tables, the program's tensors): ~25 ms of a ~200 ms `eval` run.
    # Frozen objects are skipped, and the operating system takes the memory back anyway.
    gc.freeze()
    sys.exit(code)


def _run() -> int:
    """The command's exit code; every error reaches the user as one line."""
    from gradcli.cli.diagnostics import error

    try:
        # In non-standalone mode click returns the code of `typer.Exit` instead of exiting.
        code = app(standalone_mode=False) or exits.OK
        sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        error("gradcli: interrupted")
        return exits.INTERRUPTED
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return exits.FAILED
    except Exception as e:
        # Click's own exceptions (usage errors, Abort) come here in non-standalone mode. Typer
        # vendors Click from 0.26 on, so they are recognised by class name, not imported.
        kinds = {cls.__name__ for cls in type(e).__mro__}
        if "ClickException" in kinds:
            e.show()
            return exits.USAGE
        if "Abort" in kinds:
            return exits.INTERRUPTED
        if os.environ.get("GRADCLI_DEBUG"):
            raise
        error(f"gradcli: internal error (a bug, please report it): {type(e).__name__}: {e}")
        return exits.FAILED
