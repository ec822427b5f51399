"""The op table: one row per differentiable operation, in the spirit of PyTorch's
`tools/autograd/derivatives.yaml` and HIPS autograd's `defvjp` lines.

A row says everything about an op: its `grad_fn` name, its numpy forward, one backward rule per
input (a vector-Jacobian product written with engine ops, so `create_graph=True` differentiates
it again), what each rule needs saved, the result dtype rule, and the textbook rule `--trace`
shows. `apply` runs a row: promotion, forward, and — when grad is on — the graph node.
Inputs are named `a`, `b`, ... in rules; the result is `out`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from gradcli.engine import dtypes, grad_mode, limits, sleef_powf, summation
from gradcli.engine.autograd import Node, SavedTensor
from gradcli.engine.errors import TorchRuntimeError
from gradcli.engine.exact_fma import fused
from gradcli.engine.tensor import Tensor

INPUT_NAMES = ("a", "b", "c", "d")


@dataclass(frozen=True)
class Op:
    name: str
    grad_fn: str
    forward: Callable                  # numpy arrays/scalars and params -> ndarray
    grads: tuple = ()                  # per input: (grad, saved) -> Tensor; () = not differentiable
    saves: tuple = ()                  # per input: the names its rule reads ("a", "b", "out")
    rules: tuple = ()                  # per input: the local rule in textbook notation
    dtype: str = "promote"             # promote | float | bool | sum | same | given
    elementwise: bool = True           # inputs broadcast; gradients are unbroadcast to them
    forward_only: tuple = ()           # params the node does not keep (a random op's draws)
    # worked out once per row from the fields above, as `apply` needs them on every call
    result_dtypes: Callable = field(init=False, repr=False, compare=False)
    # numpy dtype of inputs that are all tensors of it -> the result's, where the dtype rule
    # needs nothing more (apply's common case)
    uniform_results: dict = field(init=False, repr=False, compare=False)
    save_plans: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "result_dtypes", _DTYPE_RULES[self.dtype])
        object.__setattr__(self, "uniform_results", _uniform_results(self.dtype))
        object.__setattr__(self, "save_plans", {})

    def save_plan(self, needs: tuple) -> tuple:
        """What a node saves when `needs` says which inputs require grad: (`needs` itself, one
        tuple shared by the row's nodes; (name, input position) of each saved input; whether
        the output is saved; (parameter name, capture) of the values taken when the node is
        recorded), worked out once for each pattern of needs. Besides what the row's rules
        read, a node keeps what PyTorch's node saves, which a program can read
        (`grad_fn._saved_self`, saved_attributes.py)."""
        plan = self.save_plans.get(needs)
        if plan is None:
            # saved_attributes reads INPUT_NAMES from this module
            from gradcli.engine.saved_attributes import kept_by_pytorch

            names = {}
            for need, reads in zip(needs, self.saves):
                if need:
                    names.update(dict.fromkeys(reads))
            kept, captures = kept_by_pytorch(self.grad_fn, needs)
            names.update(dict.fromkeys(kept))
            saved = tuple((name, INPUT_NAMES.index(name)) for name in names if name != "out")
            plan = self.save_plans[needs] = (needs, saved, "out" in names, captures)
        return plan


# ----- dtype and broadcasting ---------------------------------------------------------------
# Each rule maps (inputs, params) to (the dtype the forward computes in, the dtype of the result),
# as numpy dtypes.

def _promoted_dtypes(inputs, params):
    compute = _common_dtype(inputs).numpy
    return compute, compute


def _float_dtypes(inputs, params):
    compute = _common_dtype(inputs)
    if not compute.is_floating_point:
        compute = dtypes.get_default_dtype()
    return compute.numpy, compute.numpy


def _bool_dtypes(inputs, params):
    return _common_dtype(inputs).numpy, _BOOL


def _sum_dtypes(inputs, params):
    compute = _common_dtype(inputs)
    if not compute.is_floating_point:
        return _INT64, _INT64
    return compute.numpy, compute.numpy


def _same_dtypes(inputs, params):
    dtype = inputs[0].dtype.numpy
    return dtype, dtype


def _given_dtypes(inputs, params):           # a conversion: the `dtype` parameter
    return inputs[0].dtype.numpy, params["dtype"].numpy


def _uniform_results(rule: str) -> dict:
    """The result dtype of a rule for inputs that are all tensors of one dtype, computed in
    that dtype; absent where the rule converts first (integers under "float", whose result
    follows the default dtype) or reads a parameter ("given")."""
    results = {}
    for dtype in dtypes.ALL:
        if rule in ("promote", "same") or (rule in ("float", "sum") and dtype.is_floating_point):
            results[dtype.numpy] = dtype.numpy
        elif rule == "bool":
            results[dtype.numpy] = _BOOL
    return results


_DTYPE_RULES = {"promote": _promoted_dtypes, "float": _float_dtypes, "bool": _bool_dtypes,
                "sum": _sum_dtypes, "same": _same_dtypes, "given": _given_dtypes}
_BOOL, _INT64 = dtypes.bool_.numpy, dtypes.int64.numpy


def _common_dtype(inputs) -> dtypes.DType:
    """`dtypes.result_type`, with the common cases (one tensor; two tensors of one dtype; a
    floating tensor and a Python float or int) answered without the general rules."""
    if len(inputs) == 1 and type(inputs[0]) is Tensor:
        return inputs[0].dtype
    if len(inputs) == 2:
        a, b = inputs
        if type(a) is Tensor:
            if type(b) is Tensor:
                if a._data.dtype is b._data.dtype:      # one dtype object (else the general rules)
                    return a.dtype
            elif type(b) is float or type(b) is int:
                dtype = a.dtype
                if dtype.is_floating_point:
                    return dtype
        elif type(b) is Tensor and (type(a) is float or type(a) is int):
            dtype = b.dtype
            if dtype.is_floating_point:
                return dtype
    return dtypes.result_type(*inputs)


def broadcast_shapes(a: tuple, b: tuple) -> tuple:
    """The broadcast shape, with PyTorch's message for the first mismatch from the right."""
    result = []
    for i in range(1, max(len(a), len(b)) + 1):
        da = a[-i] if i <= len(a) else 1
        db = b[-i] if i <= len(b) else 1
        if da != db and da != 1 and db != 1:
            dim = max(len(a), len(b)) - i
            raise TorchRuntimeError(
                f"The size of tensor a ({da}) must match the size of tensor b ({db}) at "
                f"non-singleton dimension {dim}")
        result.append(da if db == 1 else db)
    return tuple(reversed(result))


def unbroadcast(grad: Tensor, shape: tuple) -> Tensor:
    """Reduce (or expand) a gradient to an input's shape: the one place broadcasting is undone."""
    if grad.shape == shape:
        return grad
    if grad._data.size == 1 and grad.ndim <= len(shape):
        return grad.reshape(()).expand(*shape) if shape else grad.reshape(())
    extra = grad.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        extra + i for i, n in enumerate(shape) if n == 1 and grad.shape[extra + i] != 1)
    if axes:
        grad = grad.sum(dim=axes, keepdim=True)
    if grad.shape != shape:
        grad = grad.reshape(shape)
    return grad


# ----- running a row ------------------------------------------------------------------------

def apply(op: Op, *inputs, **params) -> Tensor:
    """Run row `op` on `inputs` (tensors and Python numbers) and its parameters: the result,
    with its node when an input requires grad and grad mode records."""
    if not params:
        if len(inputs) == 1:
            return apply_one(op, inputs[0])
        if len(inputs) == 2:
            return apply_two(op, inputs[0], inputs[1])
    return _apply(op, inputs, params)


# The common cases, one tensor, two of one dtype, or a floating tensor and a Python number, with
# no parameters (`y.exp()`, `y * w`, `y + 1`), run in `apply_one` and `apply_two`, unrolled,
# node included: the general path (`_apply`) costs a microsecond more per op in a language
# where each line costs some tens of nanoseconds, which on small tensors is most of an op's time
# (bench/per_op.py). They fall back to it for anything else: mixed dtypes, a number that may
# promote, a dtype rule that converts, constants that may fold.

def apply_one(op: Op, x) -> Tensor:
    """`apply(op, x)`."""
    if type(x) is not Tensor:
        return _apply(op, (x,), {})
    x_data = x._data
    result = op.uniform_results.get(x_data.dtype)
    if result is None or (grad_mode._folding_constants and op.elementwise
                          and x_data.size >= _FOLD_MIN_SIZE):
        return _apply(op, (x,), {})
    if x_data.size > limits.max_elements:                # only an expanded view gets here
        limits.check_elements(x_data.shape)
    data = op.forward(x_data)
    if type(data) is not np.ndarray:     # numpy gives a scalar for 0-dim operands
        data = np.asarray(data)
    if data.dtype is not result and data.dtype != result:
        data = data.astype(result)
    out = Tensor(data)
    if x._requires_grad and op.grads and grad_mode._enabled and not grad_mode._inference:
        needs, saved_inputs, saves_out, captures = (op.save_plans.get(_NEEDS_ONE)
                                                    or op.save_plan(_NEEDS_ONE))
        saved = {name: SavedTensor(x) for name, _ in saved_inputs} if saved_inputs else {}
        params = {name: capture((x,), {}) for name, capture in captures} if captures else {}
        out._grad_fn = Node(op.grad_fn, (_edge(x),), _row_backward, op, saved, needs,
                            (x_data.shape,), _ONE_DTYPE[x_data.dtype], params)
        out._requires_grad = True
        if saves_out:              # saving the output happens after it has its grad_fn
            saved["out"] = SavedTensor(out, is_output=True)
    return out


def apply_two(op: Op, a, b) -> Tensor:
    """`apply(op, a, b)`; `b` may also be a Python float or int beside a floating tensor (whose
    dtype it keeps, as PyTorch's wrapped numbers do)."""
    if type(a) is not Tensor:
        return _apply(op, (a, b), {})
    a_data = a._data
    number = type(b) is not Tensor
    if number:
        if (type(b) is not float and type(b) is not int) or a_data.dtype.kind != "f":
            return _apply(op, (a, b), {})
        b_data, b_shape, b_size = b, (), 1
    else:
        b_data = b._data
        if b_data.dtype is not a_data.dtype:
            return _apply(op, (a, b), {})
        b_shape, b_size = b_data.shape, b_data.size
    result = op.uniform_results.get(a_data.dtype)
    if result is None or (grad_mode._folding_constants and op.elementwise
                          and a_data.size >= _FOLD_MIN_SIZE
                          and (number or b_size >= _FOLD_MIN_SIZE)):
        return _apply(op, (a, b), {})
    a_shape = a_data.shape
    if b_shape == a_shape:
        b_shape = a_shape            # one object for both: the node keeps one tuple less
    elif op.elementwise and not number:
        limits.check_elements(broadcast_shapes(a_shape, b_shape))
    limit = limits.max_elements
    if a_data.size > limit or b_size > limit:            # only an expanded view gets here
        limits.check_elements(a_shape if a_data.size > limit else b_shape)
    data = op.forward(a_data, b_data)
    if type(data) is not np.ndarray:
        data = np.asarray(data)
    if data.dtype is not result and data.dtype != result:
        data = data.astype(result)
    out = Tensor(data)
    a_needs, b_needs = a._requires_grad, not number and b._requires_grad
    if (a_needs or b_needs) and op.grads and grad_mode._enabled and not grad_mode._inference:
        needs = (a_needs, b_needs)
        needs, saved_inputs, saves_out, captures = (op.save_plans.get(needs)
                                                    or op.save_plan(needs))
        inputs = (a, b)
        saved = {name: b if position and number else SavedTensor(inputs[position])
                 for name, position in saved_inputs}
        params = {name: capture(inputs, {}) for name, capture in captures} if captures else {}
        out._grad_fn = Node(op.grad_fn, (_edge(a) if a_needs else _NO_EDGE,
                                         _edge(b) if b_needs else _NO_EDGE),
                            _row_backward, op, saved, needs, (a_shape, b_shape),
                            (_TENSOR_AND_NUMBER if number else _TWO_DTYPES)[a_data.dtype],
                            params)
        out._requires_grad = True
        if saves_out:
            saved["out"] = SavedTensor(out, is_output=True)
    return out


def _apply(op: Op, inputs: tuple, params: dict) -> Tensor:
    compute, result = op.result_dtypes(inputs, params)
    limit = limits.max_elements
    arrays = []
    records = False           # whether some input requires grad (a node may be recorded)
    tensors = 0
    for x in inputs:
        if type(x) is Tensor:
            tensors += 1
            data = x._data
            if data.size > limit:                   # only an expanded view gets here
                limits.check_elements(data.shape)
            if data.dtype is not compute and data.dtype != compute:
                data = cast(data, compute)
            arrays.append(data)
            if x._requires_grad:
                records = True
        else:
            arrays.append(x)
    data = None
    if op.elementwise:
        if tensors == len(arrays) == 2 and arrays[0].shape != arrays[1].shape:
            limits.check_elements(broadcast_shapes(arrays[0].shape, arrays[1].shape))
        if grad_mode._folding_constants:
            data = _fold_constant(op, arrays, params)
    if data is None:
        data = op.forward(*arrays, **params)
    if type(data) is not np.ndarray:     # numpy gives a scalar for 0-dim operands
        data = np.asarray(data)
    if data.dtype is not result and data.dtype != result:
        data = data.astype(result)
    out = Tensor(data)
    if records and op.grads and grad_mode._enabled and not grad_mode._inference:
        _record(op, inputs, out, params)
    return out


_FOLD_MIN_SIZE = 4096    # below this, numpy's broadcasting helpers cost more than the pass


def _fold_constant(op: Op, arrays: tuple, params: dict):
    """An elementwise op on constant broadcasts computed once, as a read-only broadcast: the
    backward of `mean(3*(x+2)**2)` multiplies the constant 1/n by 3 without a pass over n values."""
    found = False
    for a in arrays:
        if isinstance(a, np.ndarray):
            if a.size < _FOLD_MIN_SIZE or any(a.strides):
                return None
            found = True
    if not found or any(isinstance(v, np.ndarray) for v in params.values()):
        return None
    shape = np.broadcast_shapes(*(a.shape for a in arrays if isinstance(a, np.ndarray)))
    values = tuple(a[(0,) * a.ndim] if isinstance(a, np.ndarray) else a for a in arrays)
    return np.broadcast_to(np.asarray(op.forward(*values, **params)), shape)


_NO_EDGE = (None, 0)      # the edge of an input that needs no gradient
_NEEDS_ONE = (True,)
# Each combination of input dtypes as one tuple all nodes share (keyed by numpy's dtypes): a
# graph of a million nodes then holds a million objects fewer for Python's cyclic collector to
# walk as it grows.
_DTYPE_TUPLES: dict = {}


def _record(op: Op, inputs, out: Tensor, params: dict) -> None:
    """Record `op`'s node for `out`: its edges, what it knows of each input, what it saves."""
    edges, needs, shapes, dtypes_ = [], [], [], []
    for x in inputs:
        if type(x) is Tensor:
            need = x._requires_grad
            edges.append(_edge(x) if need else _NO_EDGE)
            data = x._data
            shapes.append(data.shape)
            dtypes_.append(data.dtype)
        else:
            need = False
            edges.append(_NO_EDGE)
            shapes.append(())
            dtypes_.append(None)
        needs.append(need)
    needs, saved_inputs, saves_out, captures = op.save_plan(tuple(needs))
    saved = {}
    for name, position in saved_inputs:
        value = inputs[position]
        saved[name] = SavedTensor(value) if type(value) is Tensor else value
    plain = params                       # (this call's own dict)
    if params:
        # Array parameters (a `where` condition, index arrays) are saved tensors in PyTorch:
        # they are freed with the graph, so a second backward through them fails like any other.
        plain = {}
        for name, value in params.items():
            if name not in op.forward_only:
                (saved if _holds_array(value) else plain)[name] = value
    if captures:         # what PyTorch's node saves of its inputs without keeping them (strides)
        for name, capture in captures:
            plain[name] = capture(inputs, params)
    dtypes_ = tuple(dtypes_)
    out._grad_fn = Node(op.grad_fn, tuple(edges), _row_backward, op, saved, needs, tuple(shapes),
                        _DTYPE_TUPLES.get(dtypes_) or _shared_dtypes(dtypes_), plain)
    out._requires_grad = True      # (a fresh result, not a view: no grad_fn setter needed)
    if saves_out:              # saving the output happens after it has its grad_fn
        saved["out"] = SavedTensor(out, is_output=True)


def _edge(x: Tensor) -> tuple:
    """The edge a gradient for input `x`, which requires grad, flows into (autograd.output_edge,
    without its calls)."""
    node = x._grad_fn if x._view_of is None else x.grad_fn    # a view's may be made anew
    return (node, x._output_nr) if node is not None else (x._accumulator(), 0)


def _shared_dtypes(numpy_dtypes: tuple) -> tuple:
    """The engine dtypes of a combination of input dtypes (None for a Python number), as the
    one tuple every node with that combination shares."""
    shared = tuple(None if d is None else dtypes.from_numpy(d) for d in numpy_dtypes)
    _DTYPE_TUPLES[numpy_dtypes] = shared
    return shared


# the shared tuples of one or two inputs of one dtype, for apply_one and apply_two
_ONE_DTYPE = {d.numpy: _shared_dtypes((d.numpy,)) for d in dtypes.ALL}
_TWO_DTYPES = {d.numpy: _shared_dtypes((d.numpy, d.numpy)) for d in dtypes.ALL}
_TENSOR_AND_NUMBER = {d.numpy: _shared_dtypes((d.numpy, None)) for d in dtypes.ALL}


def _row_backward(grad: Tensor, node: Node) -> tuple:
    """The gradient for each input of a row's node (None where an input needs none)."""
    op = node.op
    s = node.unpacked()
    results = []
    for rule, need, shape, dtype in zip(op.grads, node.needs, node.shapes, node.dtypes):
        if not need:
            results.append(None)
            continue
        g = rule(grad, s)
        if g is None:               # ATen's undefined gradient (the 0-norm's): .grad stays None
            results.append(None)
            continue
        data = g._data
        if op.elementwise and data.shape != shape:
            g = unbroadcast(g, shape)
        if data.dtype is not dtype.numpy and data.dtype != dtype.numpy:
            g = g.to(dtype)
        results.append(g)
    return tuple(results)


def _holds_array(value) -> bool:
    if isinstance(value, tuple):
        return any(isinstance(v, np.ndarray) for v in value)
    return isinstance(value, np.ndarray)


# ----- the table ----------------------------------------------------------------------------
# Backward rules read saved inputs as `s.a`, `s.b`, the result as `s.out`, params as `s.<name>`.

def keep_where(mask, g: Tensor) -> Tensor:
    """`g` where `mask` holds, 0 elsewhere (mask: a bool Tensor or array)."""
    mask = mask._data if isinstance(mask, Tensor) else mask
    return apply(OPS["where"], g, 0.0, condition=mask)


def _reduce_axes(dim, ndim):
    if dim is None:
        return None
    return tuple(d % ndim for d in dim) if ndim else ()


def _expand_reduced(g: Tensor, s) -> Tensor:
    """A reduction's gradient spread back over the reduced input's shape."""
    shape = s.shapes[0]
    if s.dim is not None and not s.keepdim and shape:
        for d in sorted(_reduce_axes(s.dim, len(shape))):
            g = g.unsqueeze(d)
    return g.expand(*shape)


def _count(s) -> int:
    shape = s.shapes[0]
    if s.dim is None:
        return int(np.prod(shape, dtype=np.int64))
    return int(np.prod([shape[d] for d in _reduce_axes(s.dim, len(shape))], dtype=np.int64))


def _aten_order_sum(x, axes, keepdim: bool):
    """The float sum over `axes` (None: all) added in ATen's order, where summation.py knows
    it: a full reduction, or one over adjacent dims of a C-contiguous array (which ATen
    coalesces into rows or columns); None elsewhere."""
    if not summation.follows_aten(x) or x.size == 0:
        return None
    if axes is None:
        return np.asarray(summation.aten_sum(x))
    reduced = tuple(sorted(axes))
    if not reduced or not x.flags.c_contiguous or reduced != tuple(
            range(reduced[0], reduced[-1] + 1)):
        return None
    lead, mid, tail = x.shape[:reduced[0]], x.shape[reduced[0]:reduced[-1] + 1], \
        x.shape[reduced[-1] + 1:]
    size = (int(np.prod(lead)), int(np.prod(mid)), int(np.prod(tail)))
    if not tail:                                       # trailing dims: ATen sums rows
        sums = summation.aten_row_sums(x.reshape(size[0], size[1]))
    else:                                              # otherwise columns, per leading index
        sums = summation.aten_column_sums(x.reshape(size).transpose(1, 0, 2))
    shape = tuple(1 if d in reduced else n for d, n in enumerate(x.shape))
    return sums.reshape(shape if keepdim else lead + tail)


def _sum_forward(x, dim=None, keepdim=False):
    axes = _reduce_axes(dim, np.ndim(x))
    if x.dtype.kind in "biu":
        return np.sum(x, axis=axes, keepdims=keepdim, dtype=np.int64)
    exact = _aten_order_sum(x, axes, keepdim)
    if exact is not None:
        return exact                                   # PyTorch's bits (summation.py)
    # otherwise float32 sums accumulate in float64 and round once: within ATen's rounding
    if x.dtype == np.float32:
        return np.sum(x, axis=axes, keepdims=keepdim, dtype=np.float64).astype(np.float32)
    return np.sum(x, axis=axes, keepdims=keepdim)


def _mean_forward(x, dim=None, keepdim=False):
    axes = _reduce_axes(dim, np.ndim(x))
    if x.size == 0:     # the mean of nothing is 0/0 = nan, as in ATen (numpy's would warn)
        return np.full_like(np.sum(x, axis=axes, keepdims=keepdim), np.nan)
    exact = _aten_order_sum(x, axes, keepdim)
    if exact is not None:                              # ATen's mean: the sum, divided by n
        count = x.size if axes is None else int(np.prod([x.shape[a] for a in axes]))
        return exact / x.dtype.type(count)
    if x.dtype == np.float32:
        return np.mean(x, axis=axes, keepdims=keepdim, dtype=np.float64).astype(np.float32)
    return np.mean(x, axis=axes, keepdims=keepdim)


def rounded_once(function):
    """A float32 math function evaluated in float64 and rounded once (by `apply`): correctly
    rounded, as ATen's float32 Sleef kernels (1 ulp) nearly always are; numpy's own float32 exp,
    log and pow differ from PyTorch's in the last bit for ~40%, ~15% and ~20% of random inputs
    (rounded once: ~0%, ~0.1% and ~2%)."""
    def evaluate(a, *args):
        single = a.dtype is _FLOAT32 or a.dtype == _FLOAT32
        return function(cast(a, _FLOAT64) if single else a, *args)
    return evaluate


def cast(a: np.ndarray, dtype) -> np.ndarray:
    """`a` in `dtype`, laid out as an elementwise op's result would be: `astype` moves an
    expanded (stride-0) dim innermost, where numpy's ufuncs, like ATen's TensorIterator, leave
    the broadcast dims out of the order (exp of an expanded tensor is then contiguous, and
    flattening it a view)."""
    if 0 in a.strides:
        return np.positive(a, dtype=dtype)
    return a.astype(dtype)


_FLOAT32, _FLOAT64 = dtypes.float32.numpy, dtypes.float64.numpy


def _no_derivative(name: str):
    def rule(g, s):
        raise TorchRuntimeError(f"derivative for aten::{name} is not implemented")
    return rule


def _scaled_sum(a, b, alpha):
    """`a + alpha * b` as ATen's add kernel computes it (sub adds -alpha): for floats one fused
    multiply-add with alpha in the tensors' dtype (vec::fmadd; the compiler contracts the scalar
    loop too), so `3e38 - 2 * 3e38` is -3e38, not -inf."""
    if alpha == 1:
        return np.add(a, b)
    dtype = np.result_type(a, b)
    if dtype.kind != "f":
        return np.add(a, np.multiply(b, alpha))
    return fused(np.asarray(b, dtype), dtype.type(alpha), np.asarray(a, dtype))


def _scaled(g: Tensor, s) -> Tensor:
    """add's and sub's `other` gradient: g times alpha, when a node has one other than 1."""
    alpha = getattr(s, "alpha", 1)
    return g if alpha == 1 else g * alpha


def _pow_forward(a, exponent):
    """`a ** exponent` for a Python number, with the special cases of ATen's pow_out (0 fills
    ones, 1 copies) and of its pow_tensor_scalar_optimized_kernel (each matches PyTorch's float32
    results bit for bit)."""
    if exponent == 0:
        return np.ones(a.shape, a.dtype)
    if exponent == 1:
        return a.copy()
    if exponent == 2:
        return np.square(a)
    if exponent == 3:
        return a * a * a
    if a.dtype.kind == "f":
        if exponent == -0.5:
            return 1 / np.sqrt(a)
        if exponent == -1:
            return np.reciprocal(a)
        if exponent == -2:
            return 1 / (a * a)
        if exponent != 0.5 and a.dtype == np.float32:
            return sleef_powf.aten_pow(a, exponent)
    return np.power(a, exponent)


def _pow_tensors(a, b):
    """ATen's pow_tensor_tensor_kernel: Sleef's powf in its vectorized float32 loop."""
    return sleef_powf.aten_pow(a, b) if a.dtype == b.dtype == np.float32 else np.power(a, b)


def _pow_scalar_grad(g, s):
    # ATen's pow_backward special-cases an exponent equal to 0, and its Scalar::equal never
    # finds a bool equal to a number: `x ** False` takes the general rule (0 * x^-1, nan at 0)
    if s.exponent == 0 and not isinstance(s.exponent, bool):
        return Tensor(np.zeros(s.shapes[0], s.dtypes[0].numpy))     # zeros_like(self), for any g
    if grad_mode._enabled:
        # create_graph: ATen's graph, grad * (exponent * self.pow(exponent - 1)) with the exponent
        # a double (MulBackward1 over PowBackward0, saving 2.0 and 1.0 for x ** 2); same values
        exponent = float(s.exponent)
        return g * apply(OPS["mul_scalar"], s.a ** (exponent - 1), other=exponent)
    if s.exponent == 2:
        # a * (2g), not g * (2a): the same values (doubling is exact), and when g is a constant
        # broadcast (the gradient of a mean) 2g folds to one value, leaving one pass over a
        return s.a * (g * 2.0)
    return g * (s.exponent * s.a ** (s.exponent - 1))


# The pow rules keep ATen's order of operations (FunctionsManual.cpp), which decides the last
# bit and the sign of a zero: the exponent's gradient is g times a `where`, so -g gives -0.0.

def _pow_tensor_base_grad(g, s):
    # d(a^b)/da = b * a^(b-1), taken as 0 where b == 0 (ATen's pow_backward_self)
    return keep_where(s.b != 0, g * (s.b * s.a ** (s.b - 1.0)))


def _pow_tensor_exponent_grad(g, s):
    # d(a^b)/db = a^b * log(a), taken as 0 where a == 0 and b >= 0 (ATen's pow_backward_exponent)
    return g * keep_where((s.a != 0) | (s.b < 0), s.out * s.a.log())


def _pow_scalar_base_grad(g, s):
    if s.base == 0:
        # ATen's where(exponent >= 0, 0, result * log(0)): a NaN exponent takes the product
        return g * keep_where(~(s.a >= 0), s.out * float("-inf"))
    # log of a negative base is nan (numpy's np.log would warn; math.log raises)
    return g * (s.out * (math.log(s.base) if s.base > 0 else float("nan")))


OPS = {op.name: op for op in [
    # alpha scales the second operand inside the node (`torch.add(x, y, alpha=2)` is one
    # AddBackward0 whose `other` gradient is `alpha * g`), as ATen's add does
    Op("add", "AddBackward0", lambda a, b, alpha=1: _scaled_sum(a, b, alpha),
       grads=(lambda g, s: g, lambda g, s: _scaled(g, s)), saves=((), ()),
       rules=("d(a+b)/da = 1", "d(a+b)/db = 1")),
    Op("sub", "SubBackward0",
       lambda a, b, alpha=1: np.subtract(a, b) if alpha == 1 else _scaled_sum(a, b, -alpha),
       grads=(lambda g, s: g, lambda g, s: -_scaled(g, s)), saves=((), ()),
       rules=("d(a-b)/da = 1", "d(a-b)/db = -1")),
    Op("rsub", "RsubBackward1", lambda a, other: np.subtract(other, a),
       grads=(lambda g, s: -g,), saves=((),), rules=("d(c-a)/da = -1",)),
    Op("mul", "MulBackward0", np.multiply,
       grads=(lambda g, s: g * s.b, lambda g, s: g * s.a), saves=(("b",), ("a",)),
       rules=("d(a*b)/da = b", "d(a*b)/db = a")),
    # ATen's own sum, product and quotient with a Python number (the `.Scalar` overloads, which
    # its C++ formulas call: pow's backward, cross_entropy's label smoothing and mean)
    Op("add_scalar", "AddBackward1", lambda a, other: np.add(a, other),
       grads=(lambda g, s: g,), saves=((),), dtype="same", elementwise=False,
       rules=("d(a+c)/da = 1",)),
    Op("mul_scalar", "MulBackward1", lambda a, other: np.multiply(a, other),
       grads=(lambda g, s: g * s.other,), saves=((),), dtype="same", elementwise=False,
       rules=("d(a*c)/da = c",)),
    Op("div_scalar", "DivBackward1", lambda a, other: np.true_divide(a, other),
       grads=(lambda g, s: g / s.other,), saves=((),), dtype="float", elementwise=False,
       rules=("d(a/c)/da = 1/c",)),
    Op("div", "DivBackward0", np.true_divide,
       # ATen's div_tensor_other_backward, in its order: b * b would overflow sooner
       grads=(lambda g, s: g / s.b, lambda g, s: -g * ((s.a / s.b) / s.b)),
       saves=(("b",), ("a", "b")), dtype="float",
       rules=("d(a/b)/da = 1/b", "d(a/b)/db = -a/b^2")),
    # `//` has no derivative in PyTorch: the node exists, its backward raises
    Op("floor_divide", "NotImplemented", np.floor_divide,
       grads=(_no_derivative("floor_divide"),) * 2, saves=((), ()), rules=("none", "none")),
    Op("rfloor_divide", "NotImplemented", lambda a, other: np.floor_divide(other, a),
       grads=(_no_derivative("floor_divide"),), saves=((),), rules=("none",)),
    Op("remainder", "RemainderBackward1", np.remainder,
       grads=(lambda g, s: g, lambda g, s: -g * apply(OPS["floor_divide"], s.a, s.b)),
       saves=((), ("a", "b")), rules=("d(a mod b)/da = 1", "d(a mod b)/db = -floor(a/b)")),
    # `x % 2` is ATen's remainder.Scalar, another overload and so another node class
    Op("remainder_scalar", "RemainderBackward0", lambda a, other: np.remainder(a, other),
       grads=(lambda g, s: g,), saves=((),), rules=("d(a mod b)/da = 1",)),
    Op("rremainder", "NotImplemented", lambda a, other: np.remainder(other, a),
       grads=(_no_derivative("remainder"),), saves=((),), rules=("none",)),
    Op("neg", "NegBackward0", np.negative, grads=(lambda g, s: -g,), saves=((),),
       rules=("d(-a)/da = -1",)),
    Op("reciprocal", "ReciprocalBackward0", np.reciprocal,
       grads=(lambda g, s: -g * (s.out * s.out),), saves=(("out",),), dtype="float",
       rules=("d(1/a)/da = -1/a^2",)),
    Op("pow", "PowBackward0", _pow_forward,
       grads=(_pow_scalar_grad,), saves=(("a",),),
       rules=("d(a^n)/da = n*a^(n-1)",)),
    Op("pow_tensor", "PowBackward1", _pow_tensors,
       grads=(_pow_tensor_base_grad, _pow_tensor_exponent_grad),
       saves=(("a", "b"), ("a", "b", "out")),
       rules=("d(a^b)/da = b*a^(b-1)", "d(a^b)/db = a^b*log(a)")),
    Op("rpow", "PowBackward2", lambda a, base: rounded_once(lambda v: np.power(base, v))(a),
       grads=(_pow_scalar_base_grad,), saves=(("a", "out"),),
       rules=("d(c^a)/da = c^a*log(c)",)),
    Op("exp", "ExpBackward0", rounded_once(np.exp), grads=(lambda g, s: g * s.out,),
       saves=(("out",),), dtype="float", rules=("d(exp a)/da = exp a",)),
    Op("log", "LogBackward0", rounded_once(np.log), grads=(lambda g, s: g / s.a,),
       saves=(("a",),), dtype="float", rules=("d(log a)/da = 1/a",)),
    Op("sum", "SumBackward0", _sum_forward,
       grads=(lambda g, s: _expand_reduced(g, s),), saves=((),), dtype="sum",
       elementwise=False, rules=("d(sum a)/da = 1",)),
    Op("sum_dim", "SumBackward1", _sum_forward,
       grads=(lambda g, s: _expand_reduced(g, s),), saves=((),), dtype="sum",
       elementwise=False, rules=("d(sum a)/da = 1",)),
    Op("mean", "MeanBackward0", _mean_forward,
       grads=(lambda g, s: _expand_reduced(g / _count(s), s),), saves=((),), dtype="same",
       elementwise=False, rules=("d(mean a)/da = 1/n",)),
    Op("mean_dim", "MeanBackward1", _mean_forward,
       grads=(lambda g, s: _expand_reduced(g / _count(s), s),), saves=((),), dtype="same",
       elementwise=False, rules=("d(mean a)/da = 1/n",)),
    Op("clone", "CloneBackward0", lambda a: np.array(a, copy=True),
       grads=(lambda g, s: g,), saves=((),), dtype="same", elementwise=False,
       rules=("d(clone a)/da = 1",)),
    Op("to", "ToCopyBackward0", lambda a, dtype: a.astype(dtype.numpy),
       grads=(lambda g, s: g,), saves=((),), dtype="given", elementwise=False,
       rules=("d(a.to(t))/da = 1",)),
    Op("where", "WhereBackward0", lambda a, b, condition: np.where(condition, a, b),
       grads=(lambda g, s: keep_where(s.condition, g), lambda g, s: keep_where(~s.condition, g)),
       saves=((), ()), rules=("d where/da = [cond]", "d where/db = [not cond]")),
    # comparisons: not differentiable, bool results
    Op("eq", "", np.equal, dtype="bool"),
    Op("ne", "", np.not_equal, dtype="bool"),
    Op("lt", "", np.less, dtype="bool"),
    Op("le", "", np.less_equal, dtype="bool"),
    Op("gt", "", np.greater, dtype="bool"),
    Op("ge", "", np.greater_equal, dtype="bool"),
    Op("logical_or", "", np.logical_or, dtype="bool"),
    Op("logical_and", "", np.logical_and, dtype="bool"),
    Op("logical_not", "", np.logical_not, dtype="bool"),
]}
