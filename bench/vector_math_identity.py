"""Bit-identity of gradcli's emulated float kernels with PyTorch's, on large samples (run under
the torch environment; the unit tests check a recorded 4096-value sample without torch):

    PYTHONPATH=. /work/torchenv/bin/python bench/vector_math_identity.py [--size N]
        [--binades E ...]

For each op: N values from each of five normal scales, N random bit patterns and, with
--binades, every float32 x with 2^E <= |x| < 2^(E+1) (each sign) for each E given. Prints the
number of values and of differing values (value, gradient) per op. Kernels that gradcli's ops
do not call yet (Sleef's pow) are compared on values alone, on the same inputs as bases with a
random exponent tensor and with fixed Python-number exponents.
"""

from __future__ import annotations

import argparse

import numpy as np
import torch

from gradcli.engine import differentiate
from gradcli.engine.factories import tensor
from gradcli.engine.tensor import Tensor
import gradcli.engine.activations as activations
import gradcli.engine.pointwise as pointwise
from gradcli.engine.sleef_powf import aten_pow

KERNELS = {
    # name: (dtype, torch function, engine function), each x -> out
    "gelu": ("float32", torch.nn.functional.gelu, activations.gelu),
    "gelu^T": ("float32", lambda t: torch.nn.functional.gelu(t.reshape(-1, 80)[:, :77].t()),
               lambda t: activations.gelu(t.reshape(-1, 80)[:, :77].t())),
    "sigmoid": ("float32", torch.sigmoid, pointwise.sigmoid),
}


KERNELS_ALONE = {
    # name: (dtype, torch function, numpy function), each (x, rng) -> value
    "pow x^y": ("float32", lambda x, y: torch.pow(x, y), aten_pow),
    "pow x^0.3": ("float32", lambda x, y: torch.pow(x, 0.3), lambda x, y: aten_pow(x, 0.3)),
    "pow x^-1.7": ("float32", lambda x, y: torch.pow(x, -1.7), lambda x, y: aten_pow(x, -1.7)),
}


def run_torch(function, x: np.ndarray, g: np.ndarray):
    leaf = torch.from_numpy(x).requires_grad_()
    out = function(leaf)
    (grad,) = torch.autograd.grad(out, [leaf], torch.from_numpy(g[:out.numel()]).reshape(out.shape))
    return out.detach().numpy(), grad.numpy()


def run_engine(function, x: np.ndarray, g: np.ndarray):
    leaf = tensor(x, requires_grad=True)
    out = function(leaf)
    (grad,) = differentiate.grad(out, [leaf], Tensor(g[:out.numel()].reshape(out.shape)))
    return out._data, grad._data


def differing(a: np.ndarray, b: np.ndarray) -> int:
    a, b = np.ravel(a), np.ravel(b)
    same = (a.view(f"u{a.itemsize}") == b.view(f"u{b.itemsize}")) | (np.isnan(a) & np.isnan(b))
    return int((~same).sum())


def samples(dtype: str, size: int, binades, rng):
    numpy_dtype = np.dtype(dtype)
    for scale in (0.1, 1.0, 3.0, 10.0, 30.0):
        yield f"normal*{scale}", (rng.standard_normal(size) * scale).astype(numpy_dtype)
    bits = rng.integers(0, 2 ** (8 * numpy_dtype.itemsize), size, dtype=np.uint64)
    values = bits.astype(f"u{numpy_dtype.itemsize}").view(numpy_dtype)
    values[~np.isfinite(values)] = 1.0
    yield "random bits (non-finite ones made 1)", values
    for exponent in binades:
        one_binade = np.arange(2 ** 23, dtype=np.uint32) | np.uint32((exponent + 127) << 23)
        for sign, bit in (("+", 0), ("-", 1 << 31)):
            yield (f"every float32 in {sign}[2^{exponent}, 2^{exponent + 1})",
                   (one_binade | np.uint32(bit)).view(np.float32))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10 ** 6)
    parser.add_argument("--binades", type=int, nargs="*", default=[])
    args = parser.parse_args()
    rng = np.random.default_rng(2026)
    print(f"torch {torch.__version__}, CPU capability {torch.backends.cpu.get_cpu_capability()}")
    for name, (dtype, torch_function, engine_function) in KERNELS.items():
        for label, x in samples(dtype, args.size, args.binades, rng):
            g = rng.standard_normal(x.size).astype(x.dtype)
            with np.errstate(all="ignore"):
                expected, engine = run_torch(torch_function, x, g), run_engine(engine_function, x, g)
            print(f"{name:10} {dtype:8} {label:42} n={x.size:>9,}  differing value "
                  f"{differing(engine[0], expected[0])}, gradient {differing(engine[1], expected[1])}")
    for name, (dtype, torch_function, numpy_function) in KERNELS_ALONE.items():
        for label, x in samples(dtype, args.size, args.binades, rng):
            y = (rng.standard_normal(x.size) * 3).astype(x.dtype)
            with np.errstate(all="ignore"):
                expected = torch_function(torch.from_numpy(x), torch.from_numpy(y)).numpy()
                value = numpy_function(x, y)
            print(f"{name:10} {dtype:8} {label:42} n={x.size:>9,}  differing value "
                  f"{differing(value, expected)}")


if __name__ == "__main__":
    main()
