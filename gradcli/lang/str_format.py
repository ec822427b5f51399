"""`str.format` for programs: no `{0.attr}` or `{0[key]}` lookups, which would reach Python, and
field widths checked against the size limit.

A module of its own, imported on the first `.format` call: it needs Python's `string` module,
whose import compiles a regular expression (~0.4 ms that every start-up would pay)."""

from __future__ import annotations

import string

from gradcli.engine.errors import TorchAttributeError
from gradcli.engine.tensor import Tensor
from gradcli.lang.formatting import to_str
from gradcli.lang.limits import Guard


class FieldFormatter(string.Formatter):
    def __init__(self, guard: Guard) -> None:
        self.guard = guard

    def get_field(self, field_name, args, kwargs):
        if "." in field_name or "[" in field_name:
            raise TorchAttributeError(
                f"format fields may not look up attributes or items: {{{field_name}}}")
        return super().get_field(field_name, args, kwargs)

    def format_field(self, value, format_spec):
        self.guard.check_format_spec(format_spec)
        if not format_spec and not isinstance(value, Tensor):
            return to_str(value)
        return super().format_field(value, format_spec)   # a 0-d tensor formats as its number
