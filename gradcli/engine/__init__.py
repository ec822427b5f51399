"""The numpy autograd engine: PyTorch 2.13's Tensor, ops, autograd and printing.

Each module in PUBLIC_MODULES offers functions by name: `TORCH_FUNCTIONS` (reachable as
`torch.NAME` and, in the language, as plain `NAME`) and optionally `FUNCTIONAL`
(`torch.nn.functional.NAME`); op modules bind their Tensor methods when imported.
"""

import numpy as np

# PyTorch computes inf and nan silently (log(0), 1e300 in float32, 0/0): numpy's RuntimeWarnings
# for them are not PyTorch's, so the engine turns them off once, for the whole process (an
# `np.errstate` around each op would cost about as much as the op on a small tensor). Here,
# before any of its modules runs numpy: set later, from ops.py, an `eval` run measured ~18 ms
# slower end to end (bench/startup.py).
np.seterr(all="ignore")

from gradcli.engine import memory  # noqa: E402

memory.keep_freed_memory()         # big results reuse freed memory (see memory.py)
memory.collect_cycles_less_often()  # graphs hold no cycles to collect (see memory.py)

from gradcli.engine import (  # noqa: E402  after the error state is set
    activations, classification, closeness, factories, functions, indexing, joining, linalg,
    losses, norms, pointwise, rearrange, reductions, scans, selection, shapes)
from gradcli.engine import inplace  # noqa: E402  after the op modules: binds their in-place variants
from gradcli.engine import random  # noqa: E402  after inplace, whose checks it uses
from gradcli.engine.tensor import Tensor

PUBLIC_MODULES = (functions, factories, shapes, joining, pointwise, activations, losses, linalg,
                  reductions, scans, norms, classification, selection, rearrange, random,
                  closeness)

__all__ = ["PUBLIC_MODULES", "Tensor"]
