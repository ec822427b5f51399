"""A million-node graph backpropagates without recursion (SPEC §6, brief: no recursion anywhere a
user's input can go deep). Building a million nodes through the op table takes seconds, so the
chain is made of the engine's own Node objects with a pass-through backward; the backward pass,
the part that could recurse, is the engine's real one. The chain runs through two real ops at
its ends so the result also exercises the op-table nodes."""

import numpy as np

from gradcli.engine.autograd import Node
from gradcli.engine.factories import tensor
from gradcli.engine.tensor import Tensor

DEPTH = 1_000_000


def test_million_node_chain_backpropagates():
    x = tensor([1.0, 2.0], requires_grad=True)
    start = x * 3                          # a real MulBackward0 at the bottom of the chain
    node = start.grad_fn
    passes_through = lambda grad, node: (grad,)  # noqa: E731
    for _ in range(DEPTH):
        node = Node("AddBackward0", ((node, 0),), passes_through)
    deep = Tensor(start._data, requires_grad=True, grad_fn=node)
    (deep * 2).sum().backward()            # real MulBackward0 and SumBackward0 on top
    np.testing.assert_array_equal(x.grad._data, [6.0, 6.0])
