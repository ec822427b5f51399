"""Whether operations record a graph: `no_grad`, `enable_grad`, `set_grad_enabled`."""

from __future__ import annotations

_enabled = True


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
