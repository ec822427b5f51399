"""The exceptions the engine raises, named after the Python/PyTorch exception a user would see.

Each class derives from the matching Python builtin too, so numpy-style code that catches
`IndexError` keeps working, while the interpreter can tell a user's error (a `TorchError`)
from a bug in gradcli (anything else).
"""


class TorchError(Exception):
    """An error PyTorch would raise; `kind` is the exception name PyTorch reports."""

    kind = "RuntimeError"


class TorchRuntimeError(TorchError, RuntimeError):
    kind = "RuntimeError"


class TorchIndexError(TorchError, IndexError):
    kind = "IndexError"


class TorchTypeError(TorchError, TypeError):
    kind = "TypeError"


class TorchValueError(TorchError, ValueError):
    kind = "ValueError"


class TorchNotImplementedError(TorchError, NotImplementedError):
    kind = "NotImplementedError"


class TorchAttributeError(TorchError, AttributeError):
    kind = "AttributeError"


class LimitExceeded(TorchError, RuntimeError):
    """A gradcli safety limit (tensor size, loop iterations, nesting) was hit."""

    kind = "LimitError"
