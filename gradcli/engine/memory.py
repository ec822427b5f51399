"""How the process gets memory for big arrays: freed memory is kept and reused.

Every op's result is a fresh numpy array. glibc's malloc serves a block above its mmap
threshold (at most 32 MB) with a new mapping and unmaps it when freed, so each large result
pays for the kernel to map and zero its pages again: ~13 ms for 80 MB here, where the arithmetic
itself takes ~3 ms. PyTorch's CPU tuning guide answers the same cost by swapping in jemalloc or TCMalloc, which
reuse freed memory; glibc does too once told to serve big blocks from its heap and to keep the
heap's freed top instead of returning it (bench/large_tensor.py: 75 -> 51 ms, peak memory
unchanged). The price: a process that once held a lot keeps it until it exits, which a
command-line run does soon. On a C library without `mallopt` (macOS, musl, Windows) nothing
changes.
"""

from __future__ import annotations

import ctypes

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
