"""The safety limits of a running program, each with a clear error and a setting to raise it.

`Limits` is what a command line sets for a run (`--max-iterations`, `--max-elements`); the
nesting limit is checked while parsing (`gradcli.lang.parser.max_nesting`). `Guard` checks one
run against them: loop rounds and function calls share one budget, and lists, strings and
integers are checked before Python builds them (a limit is useless after the memory is gone)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gradcli.engine import limits as engine_limits
from gradcli.engine.errors import LimitExceeded


@dataclass
class Limits:
    max_iterations: int = 10_000_000    # loop rounds and function calls, in total
    # Elements of a tensor, items of a list, characters of a string. None: the engine's
    # setting (`gradcli.engine.limits.max_elements`, 50,000,000 unless a command changed it).
    max_elements: int | None = None
    max_call_depth: int = 200           # user-defined functions calling each other
    max_integer_bits: int = 1_000_000   # Python integers (2**10**10 would never finish)


# A format spec's width and precision (`{:>30.4f}`, `%10.3f`): digits that would pad a string.
# (Patterns compiled on first use, by re's own cache: most runs format nothing.)
_SPEC_NUMBERS = r"^(?:.?[<>=^])?[-+ ]?z?#?0?(\d*)[,_]?(?:\.(\d+))?"
_PERCENT_NUMBERS = r"%(?:\([^)]*\))?[-+ #0]*(\d*)(?:\.(\d+))?"


class Guard:
    """One run's budget and checks; raises LimitExceeded (reported as `LimitError: ...`)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.steps = 0
        if limits.max_elements is not None:
            engine_limits.max_elements = limits.max_elements
        self.max_elements = engine_limits.max_elements

    def step(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > self.limits.max_iterations:
            raise LimitExceeded(
                f"more than {self.limits.max_iterations:,} loop iterations and function calls "
                "(raise the limit with --max-iterations)")

    def check_size(self, count: int, what: str) -> None:
        if count > self.max_elements:
            raise LimitExceeded(
                f"{what} of {count:,} items is over the limit of {self.max_elements:,} "
                "(raise it with --max-elements)")

    def check_integer_bits(self, bits: int) -> None:
        if bits > self.limits.max_integer_bits:
            raise LimitExceeded(
                f"an integer of about {bits:,} bits is over the limit of "
                f"{self.limits.max_integer_bits:,} bits")

    def check_format_spec(self, spec: str) -> None:
        """`format(v, spec)` pads to the spec's width: refuse a width past the size limit."""
        match = re.match(_SPEC_NUMBERS, spec)
        self._check_widths(match.groups() if match else ())

    def check_percent_template(self, template: str) -> None:
        for match in re.finditer(_PERCENT_NUMBERS, template):
            self._check_widths(match.groups())

    def _check_widths(self, numbers) -> None:
        for digits in numbers:
            if digits and (len(digits) > 12 or int(digits) > self.max_elements):
                self.check_size(10 ** 13 if len(digits) > 12 else int(digits), "a formatted field")
