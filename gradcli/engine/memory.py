"""How the process manages memory for the engine: freed big arrays are kept for reuse, and
Python's cycle collector runs less often.

Big arrays.

Every op's result is a fresh numpy array. glibc's malloc serves a block above its mmap
threshold (at most 32 MB) with a new mapping and unmaps it when freed, so each large result
pays for the kernel to map and zero its pages again: ~13 ms for 80 MB here, where the arithmetic
itself takes ~3 ms. PyTorch's CPU tuning guide answers the same cost by swapping in jemalloc or TCMalloc, which
reuse freed memory; glibc does too once told to serve big blocks from its heap and to keep the
heap's freed top instead of returning it (bench/large_tensor.py: 75 -> 51 ms, peak memory
unchanged). The price: a process that once held a lot keeps it until it exits, which a
command-line run does soon. On a C library without `mallopt` (macOS, musl, Windows) nothing
changes.

The cycle collector. Every recorded op leaves a few container objects behind (its node, the
node's edges and saved tensors) and Python's collector, which runs each time 700 more such
objects are alive, walks every young one and, now and then, every old one. A graph holds no
reference cycles (a node keeps its own output as parts, a leaf refers to its AccumulateGrad
weakly: autograd.py, tensor.py), so reference counting frees it and the walks find nothing,
yet they made each op dearer the longer the graph grew: 4.7 us per op in a 50,000-op chain
against 2.4 us in a 2,000-op one, and the forward pass of a 10^6-op chain 7.2 s against 4.3 s
with the setting below (bench/deep_chain.py, bench/per_op.py). The first threshold goes from 700
to 50,000 live objects, as large-graph programs do (mypy runs with 200,000); cycles a program
makes itself are still collected, up to that many objects later.
"""

from __future__ import annotations

import ctypes
import gc

# mallopt's parameters (glibc's malloc.h)
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
LARGEST = 2**31 - 1          # mallopt takes a C int: blocks up to 2 GiB come from the heap


def keep_freed_memory() -> bool:
    """Ask the C library to reuse freed big blocks; True when it agreed."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(M_MMAP_THRESHOLD, LARGEST)) and bool(mallopt(M_TRIM_THRESHOLD, LARGEST))


# young objects alive before a collection; collections of the young before one of the middle
# generation; those before a full one (which Python also defers until the old have grown by 25%)
COLLECTOR_THRESHOLDS = (50_000, 20, 20)


def collect_cycles_less_often() -> None:
    """Raise the cycle collector's thresholds to COLLECTOR_THRESHOLDS."""
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
