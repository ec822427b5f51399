"""The numpy autograd engine: PyTorch 2.13's Tensor, ops, autograd and printing.

Each module in PUBLIC_MODULES offers functions by name: `TORCH_FUNCTIONS` (reachable as
`torch.NAME` and, in the language, as plain `NAME`) and optionally `FUNCTIONAL`
(`torch.nn.functional.NAME`); op modules bind their Tensor methods when imported.
"""

from gradcli.engine import factories, functions, shapes, joining, indexing, linalg, reductions, scans, norms, classification, selection, rearrange, inplace  # noqa: F401  (inplace last)
from gradcli.engine import random  # after inplace, whose checks it uses
from gradcli.engine.tensor import Tensor

PUBLIC_MODULES = (functions, factories, shapes, joining, linalg, reductions, scans, norms, classification, selection,
                  rearrange, random)

__all__ = ["PUBLIC_MODULES", "Tensor"]
