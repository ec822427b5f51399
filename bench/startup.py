"""Start-up cost, measured side by side in one run (SPEC §6):

  A  gradcli eval 'mean(3*(x+2)^2)' --at x=[[1,2,3],[4,5,6]]      (value, graph, gradient)
  B  python -c "import numpy, rich.console, lark"                  goal: A <= 1.3 x B
  C  the same computation as a PyTorch script                      goal: C >= 10 x A
  F  python -c "import numpy, rich.console, rich.table, typer"     what gradcli cannot avoid

F is the floor: the libraries every `eval` run needs (numpy for the engine, Rich's console and
tables for the output, Typer for the command line), so A - F is gradcli's own start-up.

Runs are interleaved (A B F C A B F C ...) so a busy machine slows them all alike; the median of
each is reported, as wall-clock time and as CPU time (user + system of the child process,
which other processes on a busy machine disturb much less). `--write` replaces the "Start-up"
section of bench/RESULTS.md.

    python bench/startup.py [--runs 15] [--gradcli PATH] [--torch-python PATH] [--write]
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "RESULTS.md"
SECTION = "## Start-up"
FLOOR_IMPORTS = "import numpy, rich.console, rich.table, typer"
EXPRESSION = ["eval", "mean(3*(x+2)^2)", "--at", "x=[[1,2,3],[4,5,6]]"]
TORCH_SCRIPT = (
    "import torch\n"
    "x = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)\n"
    "out = (3 * (x + 2) ** 2).mean()\n"
    "out.backward()\n"
    "print(out)\nprint(out.grad_fn)\nprint(x.grad)\n"
)


def default_gradcli() -> str:
    beside = Path(sys.executable).parent / "gradcli"
    return str(beside) if beside.exists() else (shutil.which("gradcli") or "gradcli")


def timed(command: list) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds) of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=dict(os.environ, COLUMNS="80"))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(commands: dict, runs: int) -> dict:
    """name -> (median wall-clock seconds, median CPU seconds)."""
    for command in commands.values():        # warm the OS cache and gradcli's parser cache
        timed(command)
    samples = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(timed(command))
    return {name: tuple(statistics.median(s[i] for s in values) for i in (0, 1))
            for name, values in samples.items()}


def _row(label: str, times: tuple, ratio: str, goal: str) -> str:
    return f"| {label} | {times[0] * 1000:.0f} ms | {times[1] * 1000:.0f} ms | {ratio} | {goal} |"


def _ratios(x: tuple, y: tuple) -> tuple:
    return x[0] / y[0], x[1] / y[1]


def report(medians: dict, runs: int) -> str:
    a, b = medians["gradcli"], medians["imports"]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    wall, cpu = _ratios(a, b)
    lines = [
        SECTION + " (`bench/startup.py`)",
        "",
        f"{datetime.date.today().isoformat()}, median of {runs} interleaved runs each "
        f"(Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load:.1f} "
        "while measuring):",
        "",
        "| command | wall clock | CPU time | ratio (wall / CPU) | goal |",
        "| --- | --- | --- | --- | --- |",
        _row("`gradcli eval 'mean(3*(x+2)^2)' --at x=[[1,2,3],[4,5,6]]`", a, "1.00x", ""),
        _row("`python -c \"import numpy, rich.console, lark\"`", b,
             f"gradcli is {wall:.2f}x / {cpu:.2f}x", "gradcli <= 1.3x"
             + (" (met)" if max(wall, cpu) <= 1.3 else " (not met)")),
    ]
    floor = medians["floor"]
    lines.append(_row(f"`python -c \"{FLOOR_IMPORTS}\"` (what gradcli cannot avoid)", floor,
                      f"gradcli is {(a[0] - floor[0]) * 1000:.0f} ms / "
                      f"{(a[1] - floor[1]) * 1000:.0f} ms above it", ""))
    if "pytorch" in medians:
        slower = _ratios(medians["pytorch"], a)
        ceiling = _ratios(medians["pytorch"], floor)      # were gradcli's own start-up free
        lines.append(_row("the same computation as a PyTorch 2.13 script", medians["pytorch"],
                          f"PyTorch is {slower[0]:.1f}x / {slower[1]:.1f}x slower (than the "
                          f"floor alone: {ceiling[0]:.1f}x / {ceiling[1]:.1f}x)",
                          ">= 10x" + (" (met)" if min(slower) >= 10 else " (not met)")))
    else:
        lines.append("| the same computation as a PyTorch script | not measured: no PyTorch "
                     "interpreter found | | | |")
    return "\n".join(lines) + "\n"


def write_section(text: str) -> None:
    """Replace this script's section of RESULTS.md, leaving every other section alone."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    start = old.find(SECTION)
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = old.find("\n## ", start + len(SECTION))
        new = old[:start] + text + (old[end:] if end >= 0 else "")
    RESULTS.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--gradcli", default=default_gradcli())
    parser.add_argument("--torch-python", default="/work/torchenv/bin/python")
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    args = parser.parse_args()
    commands = {
        "gradcli": [args.gradcli, *EXPRESSION],
        "imports": [sys.executable, "-c", "import numpy, rich.console, lark"],
        "floor": [sys.executable, "-c", FLOOR_IMPORTS],
    }
    if Path(args.torch_python).exists():
        commands["pytorch"] = [args.torch_python, "-c", TORCH_SCRIPT]
    text = report(measure(commands, args.runs), args.runs)
    print(text)
    if args.write:
        write_section(text)


if __name__ == "__main__":
    main()
