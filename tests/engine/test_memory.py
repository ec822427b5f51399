"""The engine's allocator setting (gradcli/engine/memory.py): with glibc, a big array comes from
malloc's heap, not from a mapping of its own, so its memory is reused once freed."""

from __future__ import annotations

import ctypes

import numpy as np
import pytest

import gradcli.engine  # noqa: F401  importing the engine makes the setting
from gradcli.engine.memory import keep_freed_memory


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
