"""The numpy autograd engine: PyTorch 2.13's Tensor, ops, autograd and printing.

Importing this package binds the operations onto `Tensor` (see `functions.py`).
"""

from gradcli.engine import functions  # noqa: F401  (binds methods and operators onto Tensor)
from gradcli.engine import shapes  # noqa: F401  (binds the shape methods onto Tensor)
from gradcli.engine.tensor import Tensor

__all__ = ["Tensor", "functions"]
