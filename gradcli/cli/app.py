"""The `gradcli` command: Typer declares the commands and options; each command is a few lines
that read the input, run it and render it. Heavy imports (numpy, rich, lark) happen inside the
commands, so `--version` and `--help` stay fast."""

from __future__ import annotations

import os
import sys
from typing import Annotated, List, Optional

import typer

from gradcli import __version__
from gradcli.cli import exits

EXAMPLE_EVAL = """Example:

    gradcli eval 'mean(3*(x+2)^2)' --at 'x=[[1,2,3],[4,5,6]]'

prints the value 99.5 (grad_fn MeanBackward0), the backward graph and the gradient
x.grad = [[3, 4, 5], [6, 7, 8]]. Expressions starting with '-' work too: gradcli eval '-x^2' --at x=3.
"""

EXAMPLE_RUN = """Example:

    gradcli run snippet.py

prints exactly what `python snippet.py` prints with PyTorch 2.13 installed.
"""

app = typer.Typer(
    name="gradcli",
    help="A gradient calculator: PyTorch's autograd on numpy, from the shell.\n\n"
         "Exit codes: 0 ok, 1 the program failed, 2 usage error, 3 syntax error, 130 interrupted.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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

    return Console(no_color=no_color or bool(os.environ.get("NO_COLOR")), highlight=False)


def _set_dtype(dtype: str) -> None:
    from gradcli.engine import dtypes

    if dtype not in ("float32", "float64"):
        raise exits.UsageError(f"--dtype must be float32 or float64, not {dtype!r}")
    dtypes.set_default_dtype(dtypes.BY_NAME[dtype])


@app.command("eval", epilog=EXAMPLE_EVAL,
             context_settings={"ignore_unknown_options": True})
def eval_cmd(
    expr: Annotated[Optional[str], typer.Argument(
        metavar="EXPR", help="Expression or program; '-' reads stdin.")] = None,
    file: Annotated[Optional[str], typer.Option("--file", "-f", help="Read the program from FILE ('-' for stdin).")] = None,
    at: Annotated[List[str], typer.Option("--at", help="NAME=VALUE: bind a leaf that requires grad.")] = [],
    const: Annotated[List[str], typer.Option("--const", help="NAME=VALUE: bind a constant (no grad).")] = [],
    grad_output: Annotated[Optional[str], typer.Option("--grad-output", help="Gradient for a non-scalar output.")] = None,
    no_backward: Annotated[bool, typer.Option("--no-backward", help="Do not run backward.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document (schema version 1).")] = False,
    dtype: Annotated[str, typer.Option("--dtype", help="Default floating dtype: float32 or float64.")] = "float32",
    no_color: Annotated[bool, typer.Option("--no-color", help="No colours (also NO_COLOR).")] = False,
) -> None:
    """Evaluate an expression or program, backpropagate, print values, graph and gradients."""
    from gradcli.cli.evaluate import eval_command
    from gradcli.cli.session import parse_bindings, read_source

    _set_dtype(dtype)
    source = read_source(expr, file)
    bindings = parse_bindings(at, const)
    raise typer.Exit(eval_command(source, bindings, as_json=as_json, grad_output=grad_output,
                                  backward=not no_backward, console=_console(no_color)))


@app.command("run", epilog=EXAMPLE_RUN)
def run_cmd(
    files: Annotated[List[str], typer.Argument(metavar="FILE...", help="Program files ('-' for stdin).")],
) -> None:
    """Run program files as `python FILE` with PyTorch installed would."""
    from gradcli.cli.script import run_script
    from gradcli.cli.session import read_source

    status = exits.OK
    for path in files:
        source = read_source(None, path)
        status = max(status, run_script(source))
    raise typer.Exit(status)


def main() -> None:
    from gradcli.cli.diagnostics import error

    try:
        # In non-standalone mode click returns the code of `typer.Exit` instead of exiting.
        sys.exit(app(standalone_mode=False) or exits.OK)
    except exits.UsageError as e:
        error(f"gradcli: {e}")
        sys.exit(exits.USAGE)
    except KeyboardInterrupt:
        error("gradcli: interrupted")
        sys.exit(exits.INTERRUPTED)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(exits.FAILED)
    except Exception as e:  # click's usage errors come here in non-standalone mode
        from click.exceptions import ClickException, Abort

        if isinstance(e, ClickException):
            e.show()
            sys.exit(exits.USAGE)
        if isinstance(e, Abort):
            sys.exit(exits.INTERRUPTED)
        raise
