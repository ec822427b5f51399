"""Safety limits a user can raise: checked before memory is allocated, never after."""

from __future__ import annotations

from gradcli.engine.errors import LimitExceeded

max_elements = 50_000_000


def check_elements(shape) -> None:
    count = 1
    for n in shape:
        count *= int(n)
    if count > max_elements:
        raise LimitExceeded(
            f"a tensor of shape {tuple(int(n) for n in shape)} has {count:,} elements, over the "
            f"limit of {max_elements:,} (raise it with --max-elements)")
