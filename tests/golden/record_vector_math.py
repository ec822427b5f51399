"""Record PyTorch 2.13's values and gradients bit by bit for the kernels of
vector_math_cases.py (a test tool, run under the torch environment, never part of gradcli):

    cd tests/golden && /work/torchenv/bin/python record_vector_math.py
"""

import json
import pathlib
import sys

import numpy as np
import torch
import torch.nn.functional as F

from vector_math_cases import (CASES, KERNEL_CASES, KERNEL_SIZE, SIZE, from_bits, sample,
                               to_bits)

OUT = pathlib.Path(__file__).with_name("vector_math.json")


def record(index, name, dtype, expression, leaf_names, size=SIZE):
    inputs = {leaf: sample(dtype, 100 * index + k, size) for k, leaf in enumerate(leaf_names)}
    leaves = {n: torch.from_numpy(from_bits(to_bits(v), dtype)).requires_grad_()
              for n, v in inputs.items()}
    out = eval(expression, {"torch": torch, "F": F, **leaves})   # trusted case text
    grad_output = sample(dtype, 100 * index + 99, out.numel())
    grad_output[~np.isfinite(grad_output)] = 1.0
    grads = torch.autograd.grad(out, list(leaves.values()),
                                torch.from_numpy(grad_output.reshape(out.shape)))
    return {"name": name, "dtype": dtype, "expression": expression,
            "inputs": {n: to_bits(v) for n, v in inputs.items()},
            "grad_output": to_bits(grad_output),
            "value": to_bits(out.detach().numpy()),
            "grads": {n: to_bits(g.numpy()) for n, g in zip(leaves, grads)}}


def record_kernel(index, name, dtype, expression, leaf_names, size=KERNEL_SIZE):
    inputs = {leaf: sample(dtype, 1000 + 100 * index + k, size)
              for k, leaf in enumerate(leaf_names)}
    tensors = {n: torch.from_numpy(v.copy()) for n, v in inputs.items()}
    out = eval(expression, {"pow": torch.pow, **tensors})            # trusted case text
    return {"name": name, "dtype": dtype, "expression": expression,
            "inputs": {n: to_bits(v) for n, v in inputs.items()}, "value": to_bits(out.numpy())}


def main():
    data = {"torch": torch.__version__, "cpu_capability": torch.backends.cpu.get_cpu_capability(),
            "cases": [record(i, *case) for i, case in enumerate(CASES)],
            "kernel_cases": [record_kernel(i, *case) for i, case in enumerate(KERNEL_CASES)]}
    OUT.write_text(json.dumps(data) + "\n")
    print(f"{len(data['cases'])} op cases, {len(data['kernel_cases'])} kernel cases -> {OUT}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
