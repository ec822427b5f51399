"""The engine's memory settings (gradcli/engine/memory.py): with glibc, a big array comes from
malloc's heap, not from a mapping of its own, so its memory is reused once freed; the cycle
collector runs less often, which is safe for graphs because they hold no reference cycles."""

from __future__ import annotations

import ctypes
import gc

import numpy as np
import pytest

import gradcli.engine  # noqa: F401  importing the engine makes the setting
from gradcli.engine.differentiate import grad
from gradcli.engine.factories import tensor
from gradcli.engine.memory import COLLECTOR_THRESHOLDS, keep_freed_memory


class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def _mallinfo2():
    try:
        function = ctypes.CDLL(None).mallinfo2
    except (OSError, AttributeError):
        pytest.skip("not glibc 2.33 or later")
    function.restype = MallInfo2
    return function()


def test_a_big_array_comes_from_the_heap_and_its_memory_stays_for_reuse():
    mapped_before = _mallinfo2().hblkhd
    assert keep_freed_memory()
    big = np.ones(8 * 2**20)                     # 64 MiB, above glibc's own mmap threshold
    assert _mallinfo2().hblkhd == mapped_before  # not a mapping of its own
    heap_with_it = _mallinfo2().arena
    del big
    assert _mallinfo2().arena == heap_with_it    # freed, not given back to the system


def test_the_engine_makes_the_collector_run_less_often():
    assert gc.get_threshold() == COLLECTOR_THRESHOLDS


def _graph_of_every_kind():
    """A graph with the engine's kinds of nodes and saved values: op-table nodes saving inputs,
    outputs and numbers, views, a multi-output node, an in-place change through a view
    (CopySlices), retained gradients, hooks, a backward with create_graph, and a backward that
    keeps every saved tensor."""
    x = tensor([[1.0, -2.0], [3.0, 4.0]], requires_grad=True)
    w = tensor([[0.5, 1.5], [2.5, -1.0]], requires_grad=True)
    y = (x * w).exp() / (x + 3)
    y.retain_grad()
    y.register_hook(lambda g: g * 2)
    pieces = y.sigmoid().split(1)
    z = pieces[0].clone()
    z[0].mul_(2)
    total = (z.sum() + pieces[1].tanh().sum()) ** 2
    (x_grad,) = grad(total, x, create_graph=True)
    (x_grad.sum() + total).backward(retain_graph=True)      # its saved tensors stay
    return x, w, y, total, x_grad


def test_a_dropped_graph_leaves_no_cyclic_garbage():
    gc.collect()
    gc.disable()
    try:
        kept = _graph_of_every_kind()
        del kept
        assert gc.collect() == 0     # reference counting freed all of it
    finally:
        gc.enable()
