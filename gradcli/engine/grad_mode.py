"""Whether operations record a graph: `no_grad`, `enable_grad`, `set_grad_enabled`, and
`inference_mode`, under which nothing records (not even inside `enable_grad`) and every tensor
made is an inference tensor (reference §3.5).
"""

from __future__ import annotations

_enabled = True
_inference = False
_folding_constants = False


def records() -> bool:
    """Whether an op on inputs that require grad records a node now."""
    return _enabled and not _inference


def is_inference_mode_enabled() -> bool:
    return _inference


class folding_constants:
    """Lets elementwise ops return a read-only broadcast for constant inputs (ops.apply reads
    `_folding_constants`): only inside a backward pass that builds no graph, whose intermediate
    gradients nobody else sees."""

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


class inference_mode(_GradModeContext):
    """`torch.inference_mode(mode=True)`: grad off, and results are inference tensors."""

    def __init__(self, mode: bool = True) -> None:
        self.mode = not mode

    def __enter__(self):
        global _inference
        self._previous_inference = _inference
        _inference = not self.mode
        return super().__enter__()

    def __exit__(self, *exc) -> None:
        global _inference
        _inference = self._previous_inference
        super().__exit__(*exc)
