"""Parsing speed (SPEC §6: 10,000 statements parse in well under a second).

    .venv/bin/python bench/parse_speed.py

CPU times, best of 5, for a 10,000-statement tutorial-like program (and 10,000 short
assignments): `parse` (gradcli's lexer, the LALR driver on the generated tables, the AST built
as it reduces), `build` (the whole-program checks), and both together; then the same for deep
input (5,000 nested parentheses, lists and blocks). Then the lexer alone, and for comparison
Lark's own LALR parser built from the same grammar (its contextual lexer, Indenter and parse
tree, no AST), which gradcli used before."""

from __future__ import annotations

import time

from gradcli.lang.builder import build
from gradcli.lang.lexer import tokenize
from gradcli.lang.make_tables import grammar_text, lark_parser
from gradcli.lang.parser import parse

STATEMENT_KINDS = (
    "x{i} = torch.ones(2, 3, requires_grad=True)",
    "y{i} = (x{i} + 2) ** 2 * 3",
    "out{i} = y{i}.mean()",
    "print(f'{{out{i}.item():.4f}}', x{i}.grad)",
    "if out{i} > 1:\n    out{i}.backward()",
)


def tutorial_program(statements: int) -> str:
    lines = []
    for i in range(statements):
        lines.append(STATEMENT_KINDS[i % len(STATEMENT_KINDS)].format(i=i))
    return "import torch\n" + "\n".join(lines) + "\n"


def best(function, rounds: int = 5) -> float:
    """The least CPU time of `rounds` runs (CPU time: other work on a shared machine then
    counts for less than in wall-clock time)."""
    times = []
    for _ in range(rounds):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return min(times)


def report(label: str, text: str) -> None:
    parse_time = best(lambda: parse(text))
    tree = parse(text)
    build_time = best(lambda: build(tree, text))
    total = best(lambda: build(parse(text), text))
    print(f"{label:<36} parse {parse_time * 1000:7.0f} ms   build {build_time * 1000:6.0f} ms"
          f"   total {total * 1000:7.0f} ms")


def main() -> None:
    program = tutorial_program(10_000)
    statements = program.count("\n")
    report(f"{statements:,} statements ({len(program):,} chars)", program)
    simple = "\n".join(f"x{i} = {i} * 2 + 1" for i in range(10_000)) + "\n"
    report("10,000 assignments `x1 = 1 * 2 + 1`", simple)
    report("5,000 nested parentheses", "(" * 5000 + "1" + ")" * 5000)
    report("5,000 nested lists", "x = " + "[" * 5000 + "]" * 5000)
    report("5,000 nested blocks",
           "\n".join(" " * i + "if True:" for i in range(5000)) + "\n" + " " * 5000 + "pass")

    lexer_only = best(lambda: tokenize(program, 10_000))
    print(f"{'lexer alone':<36} {lexer_only * 1000:7.0f} ms")
    lark = lark_parser(grammar_text())
    lark_time = best(lambda: lark.parse(program), rounds=3)
    print(f"{'Lark LALR parse tree (no AST)':<36} {lark_time * 1000:7.0f} ms")
    reference = best(lambda: sum(range(10_000_000)), rounds=3)
    print(f"{'machine reference: sum(range(1e7))':<36} {reference * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
