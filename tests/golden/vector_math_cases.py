"""The cases of the bit-identity goldens (vector_math.json): PyTorch's float kernels whose
last bits come from a vectorized approximation or a C library (oneDNN's GELU, glibc's erff
and expf, Sleef's expf and pow), checked
element by element on many inputs. Shared by record_vector_math.py (under torch) and
tests/engine/test_pointwise_vector_math.py (without it)."""

from __future__ import annotations

import numpy as np

# name, dtype, expression over `torch`/`F`, its leaves; each case records the value and the
# leaves' gradients for a random incoming gradient.
CASES = [
    ("gelu", "float32", "F.gelu(x)", ("x",)),              # contiguous: oneDNN's kernel
    ("gelu_strided", "float32", "F.gelu(x[::2])", ("x",)),  # strided: ATen's scalar loop, glibc
    # dense but not contiguous: ATen's vector loop (its own erf, Sleef's expf) on whole steps
    ("gelu_transposed", "float32", "F.gelu(x.reshape(-1, 64)[:, :50].t())", ("x",)),
    # Sleef's expf on whole 32-float steps of each contiguous run, glibc's expf elsewhere
    ("sigmoid", "float32", "torch.sigmoid(x[:4093])", ("x",)),
    ("sigmoid_strided", "float32", "torch.sigmoid(x[::2])", ("x",)),
    ("sigmoid_transposed", "float32", "torch.sigmoid(x.reshape(-1, 64)[:, :50].t())", ("x",)),
]
# Kernels checked on their own, values only: `pow` is torch.pow under the recorder and
# gradcli.engine.sleef_powf.aten_pow (the float32 kernel on numpy arrays) in the tests. Their
# size leaves a scalar tail of 29 after the vectorized 32-float steps.
KERNEL_CASES = [
    ("pow", "float32", "pow(x, y)", ("x", "y")),
    ("pow_scalar_exponent", "float32", "pow(x, -1.7)", ("x",)),
    ("pow_scalar_exponent", "float32", "pow(x, 0.3)", ("x",)),
]
KERNEL_SIZE = 4096 + 29
SIZE = 4096
SPECIAL = [0.0, -0.0, 1e-45, -1e-45, 1e-40, 1e-20, -1e-20, 0.5, -0.5, 1.0, -1.0, 5.0, -5.0,
           5.5413, -5.5413, 10.0, -10.0, 19.0, 20.0, 88.0, -88.0, 1e30, -1e30, 3e38, -3e38,
           float("inf"), float("-inf"), float("nan")]


def sample(dtype: str, seed: int, size: int = SIZE) -> np.ndarray:
    """Inputs of every scale: special points, normals at five scales, random bit patterns."""
    rng = np.random.default_rng(seed)
    numpy_dtype = np.dtype(dtype)
    normals = [rng.standard_normal(size // 8) * scale for scale in (0.1, 1.0, 3.0, 10.0, 30.0)]
    bits = rng.integers(0, 2 ** (8 * numpy_dtype.itemsize), size, dtype=np.uint64)
    random_bits = bits.astype(f"u{numpy_dtype.itemsize}").view(numpy_dtype)
    random_bits[np.isnan(random_bits)] = 1.0
    values = np.concatenate([np.array(SPECIAL), *normals]).astype(numpy_dtype)
    return np.concatenate([values, random_bits])[:size]


def to_bits(a: np.ndarray) -> list[int]:
    return a.view(f"u{a.dtype.itemsize}").tolist()


def from_bits(bits: list[int], dtype: str) -> np.ndarray:
    numpy_dtype = np.dtype(dtype)
    return np.array(bits, dtype=f"u{numpy_dtype.itemsize}").view(numpy_dtype)
