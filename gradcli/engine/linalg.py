"""Matrix products: `mm`, `mv`, `dot`, `bmm`, `outer` and `matmul` / `@`.

`matmul` is not a node of its own: as ATen's `_matmul_impl` (aten/src/ATen/native/
LinearAlgebra.cpp) it dispatches on the operands' dims to dot, mv, mm, a "folded" mm or mv over
a reshaped batch, or a bmm over expanded batches, and the grad_fn names show that choice.
"""

from __future__ import annotations

import numpy as np

from gradcli.engine import dtypes, limits
from gradcli.engine.errors import TorchNotImplementedError, TorchRuntimeError
from gradcli.engine.exact_fma import fma32
from gradcli.engine.ops import Op, apply, broadcast_shapes
from gradcli.engine.shapes import ROWS as SHAPE_ROWS
from gradcli.engine.shapes import expand, reshape, squeeze, transpose, unsqueeze
from gradcli.engine.tensor import Tensor


def _product(a, b):
    # float32 products accumulate in float64 and round once: closer to ATen's blocked float32
    # kernels than numpy's float32 accumulation (reference §3.13)
    if a.dtype == np.float32:
        return np.matmul(a.astype(np.float64), b.astype(np.float64)).astype(np.float32)
    return np.matmul(a, b)


# Above this many multiply-adds a float32 product is not emulated step by step (MKL blocks
# long inner dims anyway); the float64-accumulated product is then within ATen's rounding.
_EMULATED_PRODUCT_SIZE = 1 << 22


def _in_order(a, b, fused: bool):
    """(batched) a @ b accumulated one inner index at a time from +0.0, in the operands'
    dtype: `acc = acc + a_k * b_k`, or with `fused` one rounding per step (an FMA)."""
    total = np.zeros(a.shape[:-1] + b.shape[-1:], np.result_type(a, b))
    for k in range(a.shape[-1]):
        column, row = a[..., :, k:k + 1], b[..., k:k + 1, :]
        if fused:
            total = fma32(np.broadcast_to(column, total.shape), np.broadcast_to(row, total.shape),
                          total)
        else:
            total = total + column * row
    return total


def _mm_product(a, b):
    """ATen's mm, which is MKL's gemm here. With an inner dim of 1 and both outer dims > 1 it
    writes the products alone, keeping the sign of a zero (-0.0 * 1 = -0.0). Otherwise, for
    float32 with both outer dims > 1, it accumulates each element from +0.0 with one FMA per
    inner index (bit-identical for every layout of the first operand and a row-major second
    one; gemv, a single row or column, takes another order). float64 is numpy's (the same
    order there)."""
    rows, inner, columns = a.shape[0], a.shape[1], b.shape[1]
    if inner == 1 and rows > 1 and columns > 1:
        return np.multiply(a, b)
    if (a.dtype == np.float32 and rows > 1 and columns > 1
            and rows * inner * columns <= _EMULATED_PRODUCT_SIZE):
        return _in_order(a, b, fused=True)
    return _product(a, b)


def _bmm_product(a, b):
    """ATen's bmm: below 400 multiply-adds per batch its own loop, `acc += a * b` in the
    operands' dtype without FMA (LinearAlgebra.cpp, baddbmm_cpu_kernel); above, MKL's batched
    gemm, for float32 one FMA per inner index."""
    size = a.shape[1] * a.shape[2] * b.shape[2]
    if size < 400:
        return _in_order(a, b, fused=False)
    if a.dtype == np.float32 and size * a.shape[0] <= _EMULATED_PRODUCT_SIZE:
        return _in_order(a, b, fused=True)
    return _product(a, b)


ROWS = {op.name: op for op in [
    Op("mm", "MmBackward0", _mm_product,
       grads=(lambda g, s: mm(g, s.b.t()), lambda g, s: mm(s.a.t(), g)),
       saves=(("b",), ("a",)), elementwise=False,
       rules=("d(A@B)/dA = G@B^T", "d(A@B)/dB = A^T@G")),
    Op("mv", "MvBackward0", _product,
       # ATen: self's gradient is grad.ger(vec), an outer product (no sum: -0.0 survives)
       grads=(lambda g, s: outer(g, s.b), lambda g, s: mv(s.a.t(), g)),
       saves=(("b",), ("a",)), elementwise=False,
       rules=("d(A@v)/dA = g v^T", "d(A@v)/dv = A^T g")),
    Op("dot", "DotBackward0", _product,
       grads=(lambda g, s: g * s.b, lambda g, s: g * s.a),
       saves=(("b",), ("a",)), elementwise=False,
       rules=("d(u.v)/du = v", "d(u.v)/dv = u")),
    Op("bmm", "BmmBackward0", _bmm_product,
       grads=(lambda g, s: bmm(g, s.b.transpose(1, 2)), lambda g, s: bmm(s.a.transpose(1, 2), g)),
       saves=(("b",), ("a",)), elementwise=False,
       rules=("d(A@B)/dA = G@B^T (per batch)", "d(A@B)/dB = A^T@G (per batch)")),
    # matmul's 1-D @ 2-D case squeezes its mm result in place (`squeeze_(0)`)
    Op("squeeze_inplace", "SqueezeBackward4", lambda a, dim: np.squeeze(a, dim),
       grads=(lambda g, s: g.unsqueeze(s.dim),), saves=((),), dtype="same", elementwise=False,
       rules=("d(squeeze a)/da = unsqueeze back",)),
]}


def _dtype_names(*tensors) -> list:
    return [t.dtype.scalar_name for t in tensors]


_C_TYPE_NAMES = {"Long": "long int", "Float": "float", "Double": "double", "Bool": "bool"}


def _dims(t: Tensor) -> str:
    return "x".join(map(str, t.shape))


def mm(input, mat2):
    if input.ndim != 2:
        raise TorchRuntimeError("self must be a matrix")
    if mat2.ndim != 2:
        raise TorchRuntimeError("mat2 must be a matrix")
    if input.shape[1] != mat2.shape[0]:
        raise TorchRuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({_dims(input)} and {_dims(mat2)})")
    if input.dtype is not mat2.dtype:
        # ATen spells these as C++ type names (c10's TypeMeta): long int, float, double, bool
        a, b = (_C_TYPE_NAMES[t.dtype.scalar_name] for t in (input, mat2))
        raise TorchRuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {a} != {b}")
    if input.dtype is dtypes.bool_:
        raise TorchNotImplementedError('"addmm_impl_cpu_" not implemented for \'Bool\'')
    limits.check_elements((input.shape[0], mat2.shape[1]))
    return apply(ROWS["mm"], input, mat2)


def mv(input, vec):
    if input.ndim != 2 or vec.ndim != 1:
        raise TorchRuntimeError(
            f"vector + matrix @ vector expected, got 1, {input.ndim}, {vec.ndim}")
    if input.shape[1] != vec.shape[0]:
        raise TorchRuntimeError(
            f"size mismatch, got input ({input.shape[0]}), mat ({_dims(input)}), "
            f"vec ({vec.shape[0]})")
    if input.dtype is not vec.dtype:
        a, b = _dtype_names(input, vec)
        raise TorchRuntimeError(
            f"addmv input tensors must have the same dtype, but got {b}, {a}, and {b}")
    limits.check_elements((input.shape[0],))
    return apply(ROWS["mv"], input, vec)


def dot(input, other):
    if input.ndim != 1 or other.ndim != 1:
        raise TorchRuntimeError(
            f"1D tensors expected, but got {input.ndim}D and {other.ndim}D tensors")
    if input.shape[0] != other.shape[0]:
        n, m = input.shape[0], other.shape[0]
        raise TorchRuntimeError(
            f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the same "
            f"number of elements, but got {n} and {m} elements respectively")
    if input.dtype is not other.dtype:
        a, b = _dtype_names(input, other)
        raise TorchRuntimeError(
            f"dot : expected both vectors to have same dtype, but found {a} and {b}")
    return apply(ROWS["dot"], input, other)


def bmm(input, mat2):
    if input.ndim != 3:
        raise TorchRuntimeError("batch1 must be a 3D tensor")
    if mat2.ndim != 3:
        raise TorchRuntimeError("batch2 must be a 3D tensor")
    expected = [input.shape[0], input.shape[2]]
    if [mat2.shape[0], mat2.shape[1]] != expected:
        raise TorchRuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{expected[0]}, {expected[1]}] but got: [{mat2.shape[0]}, {mat2.shape[1]}].")
    if input.dtype is dtypes.bool_:        # the CPU kernel's dispatch has no bool (checked first)
        raise TorchNotImplementedError('"bmm" not implemented for \'Bool\'')
    if input.dtype is not mat2.dtype:
        a, b = _dtype_names(input, mat2)
        raise TorchRuntimeError(f"expected scalar type {a} but found {b}")
    limits.check_elements((input.shape[0], input.shape[1], mat2.shape[2]))
    return apply(ROWS["bmm"], input, mat2)


def outer(input, vec2):
    """ATen computes `input.reshape(n, 1) * vec2`: MulBackward0 over ViewBackward0."""
    for name, t in (("self", input), ("vec2", vec2)):
        if t.ndim != 1:
            raise TorchRuntimeError(f"outer: Expected 1-D argument {name}, but got {t.ndim}-D")
    limits.check_elements((input.shape[0], vec2.shape[0]))
    return reshape(input, input.shape[0], 1) * vec2


# ----- matmul --------------------------------------------------------------------------------

def _should_fold(tensor1: Tensor, tensor2: Tensor) -> bool:
    """ATen's should_fold: whether the larger operand's batch can be folded into an mm/mv."""
    larger_first = tensor1.ndim >= tensor2.ndim
    big = tensor1._data if larger_first else np.swapaxes(tensor2._data, -1, -2)
    small = tensor2 if larger_first else tensor1
    if not (big.ndim >= 3 and small.ndim <= 2):
        return False
    if small.requires_grad:
        # folding may copy the big operand, but keeps the small one's gradient a single mm
        # instead of a batch of them summed afterwards
        return True
    if tensor1.ndim == 2:
        return False
    if big.size == 0:
        return True
    strides = big.strides
    return all(strides[i] == strides[i + 1] * big.shape[i + 1] for i in range(big.ndim - 2))


def _single_batch_with_grad(tensor1: Tensor, tensor2: Tensor):
    """Which of two 3-D operands (0 or 1) has batch size 1 and requires grad while the other's
    batch is larger; None if neither."""
    if tensor1.ndim != 3 or tensor2.ndim != 3:
        return None
    for index, (single, other) in enumerate(((tensor1, tensor2), (tensor2, tensor1))):
        if single.shape[0] == 1 and other.shape[0] != 1 and single.requires_grad:
            return index
    return None


def matmul(input, other):
    dim1, dim2 = input.ndim, other.ndim
    if dim1 == 0 or dim2 == 0:
        raise TorchRuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {dim1}D and {dim2}D")
    if dim1 == 1 and dim2 == 1:
        return dot(input, other)
    if dim1 == 2 and dim2 == 1:
        return mv(input, other)
    if dim1 == 1 and dim2 == 2:
        return apply(ROWS["squeeze_inplace"], mm(unsqueeze(input, 0), other), dim=0)
    if dim1 == 2 and dim2 == 2:
        return mm(input, other)
    single = _single_batch_with_grad(input, other)
    if single is not None:
        # observed in PyTorch 2.13: a 3-D operand with batch size 1 that requires grad, against
        # a 3-D one with a real batch, is squeezed to a matrix and the product folded into an mm
        return matmul(squeeze(input, 0), other) if single == 0 else matmul(input, squeeze(other, 0))
    if _should_fold(input, other):
        return _folded_matmul(input, other)
    return _batched_matmul(input, other)


def _unsafe_view(t: Tensor, shape) -> Tensor:
    return apply(SHAPE_ROWS["unsafe_view"], t, shape=tuple(shape))


def _folded_matmul(tensor1: Tensor, tensor2: Tensor) -> Tensor:
    transposed = tensor2.ndim > tensor1.ndim
    if transposed:
        t1 = transpose(tensor2, -1, -2)
        t2 = tensor1.t() if tensor1.ndim == 2 else tensor1
    else:
        t1, t2 = tensor1, tensor2
    output_shape = list(t1.shape[:-1])
    folded = reshape(t1, int(np.prod(output_shape, dtype=np.int64)), t1.shape[-1])
    if t2.ndim == 2:
        output_shape.append(t2.shape[1])
        output = _unsafe_view(mm(folded, t2), output_shape)
        return transpose(output, -1, -2).contiguous() if transposed else output
    return _unsafe_view(mv(folded, t2), output_shape)


def _batched_matmul(tensor1: Tensor, tensor2: Tensor) -> Tensor:
    dim1, dim2 = tensor1.ndim, tensor2.ndim
    n = tensor1.shape[-2] if dim1 > 1 else 1
    m1 = tensor1.shape[-1]
    m2 = tensor2.shape[-2] if dim2 > 1 else tensor2.shape[0]
    p = tensor2.shape[-1] if dim2 > 1 else 1
    batch = list(broadcast_shapes(tensor1.shape[:max(dim1 - 2, 0)],
                                  tensor2.shape[:max(dim2 - 2, 0)]))
    # the operands are broadcast to the common batch and copied (reshape) before the bmm
    limits.check_elements(batch + [n, m1])
    limits.check_elements(batch + [m2, p])
    product = int(np.prod(batch, dtype=np.int64))
    expanded1 = reshape(expand(tensor1, *batch, n, m1), product, n, m1)
    vector_rhs = dim2 == 1
    if vector_rhs:
        expanded2 = unsqueeze(reshape(expand(tensor2, *batch, m2), product, m2), 2)
    else:
        expanded2 = reshape(expand(tensor2, *batch, m2, p), product, m2, p)
    output_shape = batch + ([n] if dim1 > 1 else []) + ([p] if dim2 > 1 else [])
    limits.check_elements(output_shape)
    product_tensor = bmm(expanded1, expanded2)
    if vector_rhs:
        product_tensor = product_tensor.squeeze(-1)
    return _unsafe_view(product_tensor, output_shape)


def _rmatmul(self, other):
    return matmul(other, self)


# The functions the language offers as `torch.NAME` (and without prefix).
TORCH_FUNCTIONS = ("mm", "mv", "dot", "bmm", "outer", "ger", "matmul")
ger = outer

_METHODS = {"mm": mm, "mv": mv, "dot": dot, "bmm": bmm, "outer": outer, "ger": outer,
            "matmul": matmul, "__matmul__": matmul, "__rmatmul__": _rmatmul}

for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
