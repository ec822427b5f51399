"""Whether operations record a graph: `no_grad`, `enable_grad`, `set_grad_enabled`."""

from __future__ import annotations

_enabled = True
_folding_constants = False


def folds_constants() -> bool:
    """Whether elementwise ops may return a read-only broadcast for constant inputs: only inside
    a backward pass that builds no graph, whose intermediate gradients nobody else sees."""
    return _folding_constants


class folding_constants:
    def __init__(self, enabled: bool) -> None:
        self._enabled = enabled

    def __enter__(self) -> None:
        global _folding_constants
        self._previous = _folding_constants
        _folding_constants = self._enabled

    def __exit__(self, *exc) -> None:
        global _folding_constants
        _folding_constants = self._previous


def is_grad_enabled() -> bool:
    return _enabled


class set_grad_enabled:
    """Sets grad mode now (as a function) and restores the previous mode on `with` exit."""

    def __init__(self, mode: bool) -> None:
        global _enabled
        self._previous = _enabled
        _enabled = bool(mode)

    def __enter__(self) -> "set_grad_enabled":
        return self

    def __exit__(self, *exc) -> None:
        global _enabled
        _enabled = self._previous


class _GradModeContext:
    mode = True

    def __enter__(self):
        global _enabled
        self._previous = _enabled
        _enabled = self.mode
        return self

    def __exit__(self, *exc) -> None:
        global _enabled
        _enabled = self._previous


class no_grad(_GradModeContext):
    mode = False


class enable_grad(_GradModeContext):
    mode = True
