"""In-place operations (`t.add_(1)`, `t += 1`, `t[0] = 5`, `t.sigmoid_()`), generic over the
op table: an in-place op is its out-of-place op, run as usual (so it records the same node, with
the same grad_fn name), whose result is then written into the target's storage.

What PyTorch does around that write, and so what `commit` does (reference §1's in-place table,
§2 rows 7a-8c, §3.2):
- refuse a leaf that requires grad, or a view of one, while grad mode is on (8a, 8b);
- check that the result fits: same shape (no broadcasting the target up) and a dtype the
  target can hold (`int64.add_(1.5)` is an error);
- bump the target's version counter, which its views and `detach()` aliases share, so a node
  that saved the old contents raises "modified by an inplace operation" at backward (7a-7d);
- make the new node the target's grad_fn (`t.add_(1)` on `t = x*1` gives
  AddBackward0(MulBackward0(...), None)), and save the target, not the temporary result, where
  the node saved its output: a later in-place write then invalidates it (`t.exp_(); t.mul_(2)`
  fails with "output 0 of Exp ... version 2; expected version 1").
- where the node saved the target's *old* value as its input, keep a clone of it instead, as
  PyTorch's generated in-place code saves `original_self.clone()`.

Other modules' ops get in-place variants from the same mechanism: `inplace_variant(fn)` turns an
out-of-place function whose first argument is the target into its in-place method.
`bind_inplace_variants(names)` binds `Tensor.NAME_` for every `Tensor.NAME` that exists when it
runs; this module does so at import for `INPLACE_NAMES`, so it must be imported after the modules
that define those ops (it is last in `gradcli/engine/__init__.py`).
"""

from __future__ import annotations

import re
import weakref

import numpy as np

from gradcli.engine import factories, functions, grad_mode
from gradcli.engine.autograd import MULTI_OUTPUT_VIEW_ADVICE, Node, output_edge
from gradcli.engine.errors import TorchRuntimeError, TorchTypeError
from gradcli.engine.ops import Op, apply, unbroadcast
from gradcli.engine.tensor import Tensor
from gradcli.engine.warnings import warn

LEAF_ERROR = "a leaf Variable that requires grad is being used in an in-place operation."
INDEX_PUT_EXPANDED_WARNING = (
    "Use of index_put_ on expanded tensors is deprecated. Please clone() the tensor before "
    "performing this operation. This also applies to advanced indexing e.g. tensor[indices] = "
    "tensor")
# the end of ATen's messages for an in-place change of a view made under no_grad
NO_GRAD_VIEW_ADVICE = (
    "Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your "
    "code by moving both the view and the inplace either both inside the no_grad block (if you "
    "don't want the inplace to be tracked) or both outside (if you want the inplace to be "
    "tracked).")
VIEW_OF_LEAF_ERROR = ("a view of a leaf Variable that requires grad is being used in an in-place "
                      "operation.")

# Out-of-place Tensor methods (from any engine module) that also get a NAME_ variant.
INPLACE_NAMES = (
    "add", "sub", "mul", "div", "pow", "neg", "exp", "log", "reciprocal",
    "abs", "sign", "sqrt", "square", "rsqrt", "sin", "cos", "tan", "asin", "acos", "atan",
    "sinh", "cosh", "tanh", "sigmoid", "relu", "clamp", "clamp_min", "clamp_max", "log1p",
    "expm1", "log2", "log10", "erf", "floor", "ceil", "round", "trunc", "frac", "floor_divide",
    "remainder",
)


# ----- the checks and the write ---------------------------------------------------------------

def _root_of_view(target: Tensor) -> Tensor:
    base = target
    while base._view_of is not None:
        base = base._view_of
    return base


def check_writable(target: Tensor, through_view: bool = False, operands=(),
                   view_op: str | None = None) -> None:
    """PyTorch's refusals to overwrite a tensor in place while grad mode is on: a view that
    may not be changed (split's pieces, views made under no_grad) when the write records a
    node (`target` or one of the op's `operands` requires grad), and a leaf that requires grad
    or a view of one. `through_view`: the write goes through an indexing view (`x[0] = 5`), as
    `__setitem__` does; `view_op`, that view's op when indexing makes one (`p[0] = 5` writes
    through p's Select), which the view error names."""
    if target._inference and not grad_mode.is_inference_mode_enabled():
        raise TorchRuntimeError(
            "Inplace update to inference tensor outside InferenceMode is not allowed.You can "
            "make a clone to get a normal tensor before doing inplace update.See "
            "https://github.com/pytorch/rfcs/pull/17 for more details.")
    if not grad_mode.records():
        return
    if target._view_creation is not None and (target._requires_grad or any(
            isinstance(o, Tensor) and o._requires_grad for o in operands)):
        raise TorchRuntimeError(_view_rebase_message(target, view_op))
    root = _root_of_view(target)
    if root.is_leaf and root._requires_grad:
        raise TorchRuntimeError(
            VIEW_OF_LEAF_ERROR if through_view or root is not target else LEAF_ERROR)


def _view_rebase_message(view: Tensor, view_op: str | None, modified: str = "is being") -> str:
    """ATen's handle_view_on_rebase (torch/csrc/autograd/variable.cpp): the view's op by its
    forward name and output number, when it has a node (an indexing view has one exactly when
    the tensor it indexes requires grad); what was `modified` (the view itself, or its base
    or another view of it); then why such a view may not change."""
    if view_op is not None:
        op, output_nr = (view_op, 0) if view._requires_grad else (None, 0)
    elif view._grad_fn is not None:
        op, output_nr = re.sub(r"Backward\d*$", "", view._grad_fn.name()), view._output_nr
    else:
        op, output_nr = None, 0
    if view._view_creation == "no_grad" or op is None:
        prefix = (f"Output {output_nr} of {op} is a view of a view which was created in"
                  if op is not None else "A view was created in")
        text = f"{prefix} no_grad mode and {modified} modified inplace with grad mode enabled."
    else:
        text = f"Output {output_nr} of {op} is a view and {modified} modified inplace."
    advice = (MULTI_OUTPUT_VIEW_ADVICE if view._view_creation == "multi_output"
              else NO_GRAD_VIEW_ADVICE)
    return f"{text} {advice}"


def regenerated_grad_fn(view: Tensor):
    """The grad_fn of a view whose storage changed in place since its grad_fn was made
    (through its base, another view, or itself under no_grad), as PyTorch's
    VariableHooks::grad_fn remakes it: AsStridedBackward0 of the view's region of its base's
    current node (so gradients follow the base's new history). A view that never required grad
    keeps none; split's pieces (and their views) and views made under no_grad may not follow,
    and raise handle_view_on_rebase's error."""
    base = _root_of_view(view)
    if view._grad_fn is None and not base._requires_grad:
        view._grad_fn_version = view._counter.value
        return None
    if view._view_creation is not None:
        raise TorchRuntimeError(_view_rebase_message(
            view, None, modified="its base or another view of its base has been"))
    key = _region_of(view._data, base._data)
    if key is None:
        raise TorchRuntimeError(UNSUPPORTED_VIEW_ERROR)
    with grad_mode.set_grad_enabled(True):
        node = apply(OPS["as_strided"], base, key=key).grad_fn
    if view._retains_grad:
        _move_retained(view, view._grad_fn, node)
    view.grad_fn = node
    view._requires_grad = True
    return node


def _overlaps(data: np.ndarray) -> bool:
    return any(size > 1 and stride == 0 for size, stride in zip(data.shape, data.strides))


def _check_memory(target) -> None:
    """ATen's assert_no_internal_overlap (aten/src/ATen/MemoryOverlap.cpp): a write through a
    view where a dim of size > 1 has stride 0 (an expanded view) is refused. `target`: a Tensor
    or the array about to be written."""
    if _overlaps(target._data if isinstance(target, Tensor) else target):
        raise TorchRuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a "
            "single memory location. Please clone() the tensor before performing the operation.")


def _check_fits(target: Tensor, result: Tensor) -> None:
    if result.shape != target.shape:
        raise TorchRuntimeError(
            f"output with shape {list(target.shape)} doesn't match the broadcast shape "
            f"{list(result.shape)}")
    if result.dtype.category > target.dtype.category:
        raise TorchRuntimeError(
            f"result type {result.dtype.scalar_name} can't be cast to the desired output type "
            f"{target.dtype.scalar_name}")


def commit(target: Tensor, result: Tensor, overlap_ok: bool = False) -> Tensor:
    """Write an out-of-place `result` into `target`, taking over its node (see the module doc).
    `overlap_ok`: the op writes one number everywhere (zero_, fill_ with a number, whose
    kernels skip the overlap check), so an expanded target is fine."""
    if not overlap_ok:
        _check_memory(target)
    _check_fits(target, result)
    node = result.grad_fn
    if node is not None and "a" in node.saved_names(target):
        node.replace_saved("a", functions.clone(target))
    base = _root_of_view(target) if target._view_of is not None else None
    if node is not None and base is not None:
        _rebase_view(target, base, node)
        node = target.grad_fn
    np.copyto(target._data, result._data, casting="unsafe")
    target._version.bump()
    if node is not None:
        if target._retains_grad:
            _move_retained(target, target.grad_fn, node)
        target.grad_fn = node
        target._set_requires_grad(True)
        for name in result.grad_fn.saved_names(result):
            result.grad_fn.replace_saved(name, target, is_output=True)
    return target


def _move_retained(target: Tensor, old, new) -> None:
    """retain_grad() follows the tensor to its new grad_fn: `.grad` is the gradient of the
    tensor's current value, as PyTorch moves its retains_grad hook."""
    old.retained = [ref for ref in old.retained if ref() is not target] or None
    new.retained = (new.retained or []) + [weakref.ref(target)]


UNSUPPORTED_VIEW_ERROR = ("gradcli does not support a differentiable in-place operation on this "
                          "view; use an out-of-place operation instead")

# ----- in-place ops on views ------------------------------------------------------------------
# `t[0].mul_(2)` changes t too, so t's graph must learn of it. As PyTorch does, the base gets a
# CopySlices node: the view's op, run on the base's region, with the base's previous node in
# the view's slot; and the view becomes the region of the new base (AsStridedBackward0).

def _region_of(view: np.ndarray, base: np.ndarray):
    """The base positions of a view's elements, as an index tuple (None if not expressible)."""
    if not base.flags.c_contiguous or view.dtype != base.dtype:
        return None
    itemsize = base.itemsize
    offset = (view.__array_interface__["data"][0] - base.__array_interface__["data"][0])
    if offset % itemsize or any(stride % itemsize for stride in view.strides):
        return None
    positions = np.arange(base.size, dtype=np.int64)[offset // itemsize:]
    flat = np.lib.stride_tricks.as_strided(
        positions, view.shape, tuple(stride // itemsize * 8 for stride in view.strides))
    return np.unravel_index(np.array(flat), base.shape)


class CopySlices(Node):
    """The node of a base written through its view: it runs the view op's node (`wrapped`) on
    the base's region, and frees that node's saved tensors when it is freed, as PyTorch's
    CopySlices does with its `fn`."""

    __slots__ = ("wrapped",)

    def __init__(self, wrapped: Node, next_functions: tuple, backward_fn) -> None:
        super().__init__("CopySlices", next_functions, backward_fn, wrapped.op, wrapped._saved,
                         wrapped.needs, wrapped.shapes, wrapped.dtypes, wrapped.params)
        self.wrapped = wrapped

    def release(self) -> None:
        self.wrapped.release()


def _rebase_view(view: Tensor, base: Tensor, node) -> None:
    key = _region_of(view._data, base._data)
    if key is None:
        raise TorchRuntimeError(UNSUPPORTED_VIEW_ERROR)
    op_backward = node.apply

    def copy_slices_backward(grad: Tensor, copy_slices):
        grads = op_backward(apply(OPS["take_region"], grad, key=key))
        base_grad = apply(OPS["zero_region"], grad, key=key)
        if grads[0] is not None:
            base_grad = base_grad + apply(OPS["put_region"], grads[0], key=key,
                                          shape=grad.shape)
        return (base_grad,) + tuple(grads[1:])

    edges = (output_edge(base),) + tuple(node.next_functions[1:])
    copy_slices = CopySlices(node, edges, copy_slices_backward)
    base.grad_fn = copy_slices
    base._set_requires_grad(True)
    view.grad_fn = apply(OPS["as_strided"], base, key=key).grad_fn


def inplace_variant(fn, name: str | None = None, check_arguments=None):
    """The in-place method `t.NAME_(...)` of an out-of-place `fn(t, ...)`. `check_arguments(args,
    kwargs)` raises PyTorch's TypeError for arguments the method does not take (its parser runs
    before anything else)."""
    name = name or fn.__name__ + "_"

    def method(self, *args, **kwargs):
        if check_arguments is not None:
            check_arguments(args, kwargs)
        check_writable(self, operands=args + tuple(kwargs.values()))
        return commit(self, fn(self, *args, **kwargs))

    method.__name__ = name
    return method


# In-place methods with arguments; every other in INPLACE_NAMES takes none (a C method with
# METH_NOARGS: `x.exp_(1)` is Python's "TensorBase.exp_() takes no arguments (1 given)").
_WITH_ARGUMENTS = frozenset({"add", "sub", "mul", "div", "pow", "clamp", "clamp_min",
                             "clamp_max", "round"})


def _no_arguments(name: str):
    def check(args, kwargs):
        if kwargs:
            raise TorchTypeError(f"TensorBase.{name}() takes no keyword arguments")
        if args:
            raise TorchTypeError(f"TensorBase.{name}() takes no arguments ({len(args)} given)")
    return check


def _overloaded_arguments(name: str):
    """The argument parser's check of `x.NAME_(...)` against the method signatures of NAME
    (functions.OVERLOADS), skipped for the common call: Python numbers, as many as a signature
    takes (each overload set here has a `Number` signature)."""
    signatures = [s.split(", ") for s in functions.OVERLOADS[name][1]]
    most = max(len(parameters) for parameters in signatures)
    fewest = min(sum(" = " not in p for p in parameters) for parameters in signatures)

    def check(args, kwargs):
        if kwargs or not fewest <= len(args) <= most \
                or not all(type(a) in (int, float, bool) for a in args):
            functions.check_overloads(name, args, method=True, shown_as=name + "_",
                                      keywords=kwargs)
    return check


def bind_inplace_variants(names) -> None:
    for name in names:
        fn = getattr(Tensor, name, None)
        if fn is not None and not hasattr(Tensor, name + "_"):
            torch_function = getattr(fn, "__wrapped__", None)
            check = None
            if torch_function is not None:       # its argument errors name `add_`, not `add`
                fn = functions.checked_method(torch_function, name + "_")
            elif name in functions.OVERLOADS:
                check = _overloaded_arguments(name)
            elif name not in _WITH_ARGUMENTS:
                check = _no_arguments(name + "_")
            setattr(Tensor, name + "_", inplace_variant(fn, name + "_", check))


# ----- ops that exist only in place ------------------------------------------------------------

def _zeros_like(g: Tensor, s) -> Tensor:
    return Tensor(np.zeros(g.shape, dtype=g.dtype.numpy))


def _assign_region(a, b, key):
    out = np.array(a, copy=True)
    out[key] = b
    return out


def _zero_region(a, key):
    return _assign_region(a, 0, key)


def _put_region(a, key, shape):
    out = np.zeros(shape, dtype=a.dtype)
    np.add.at(out, key, a)       # repeated indices add up, as index_put_ with accumulate does
    return out


_REGION_GRADS = (lambda g, s: apply(OPS["zero_region"], g, key=s.key),
                 lambda g, s: unbroadcast(apply(OPS["take_region"], g, key=s.key), s.shapes[1]))

# Rows of the ops that only exist in place, and the region helpers `t[key] = v` differentiates
# with (each region row's gradient is the other one, so create_graph works through them).
OPS = {op.name: op for op in [
    Op("zero", "ZeroBackward0", np.zeros_like, grads=(_zeros_like,), saves=((),), dtype="same",
       rules=("d(zero a)/da = 0",)),
    Op("fill", "FillBackward2", lambda a, value: np.full_like(a, value),
       grads=(_zeros_like,), saves=((),), dtype="same", rules=("d(fill a)/da = 0",)),
    Op("fill_tensor", "FillBackward3",
       lambda a, value: np.full_like(a, value.reshape(())),
       grads=(_zeros_like, lambda g, s: g.sum()), saves=((), ()), dtype="same",
       elementwise=False, rules=("d(fill a v)/da = 0", "d(fill a v)/dv = sum")),
    Op("copy", "CopyBackwards",
       lambda a, b: np.array(np.broadcast_to(b, np.broadcast_shapes(a.shape, b.shape))),
       grads=(_zeros_like, lambda g, s: g), saves=((), ()), dtype="same",
       rules=("d(copy a b)/da = 0", "d(copy a b)/db = 1")),
    # `.grad` accumulated under create_graph: the previous `.grad` plus the new gradient
    Op("accumulate", "CopyBackwards", np.add, grads=(lambda g, s: g, lambda g, s: g),
       saves=((), ()), dtype="same", rules=("d(a+b)/da = 1", "d(a+b)/db = 1")),
    Op("copy_slices", "CopySlices", _assign_region, grads=_REGION_GRADS, saves=((), ()), dtype="same", elementwise=False,
       rules=("d(a[k]=b)/da = 1 outside k", "d(a[k]=b)/db = 1 at k")),
    Op("index_put", "IndexPutBackward0", _assign_region, grads=_REGION_GRADS, saves=((), ()),
       dtype="same", elementwise=False,
       rules=("d(a[k]=b)/da = 1 outside k", "d(a[k]=b)/db = 1 at k")),
    Op("as_strided", "AsStridedBackward0", lambda a, key: np.array(a[key]),
       grads=(lambda g, s: apply(OPS["put_region"], g, key=s.key, shape=s.shapes[0]),),
       saves=((),), dtype="same", elementwise=False, rules=("1 at the view's region",)),
    Op("zero_region", "CopySlices", _zero_region,
       grads=(lambda g, s: apply(OPS["zero_region"], g, key=s.key),), saves=((),),
       dtype="same", elementwise=False, rules=("1 outside the region",)),
    Op("take_region", "IndexBackward0", lambda a, key: np.array(a[key]),
       grads=(lambda g, s: apply(OPS["put_region"], g, key=s.key, shape=s.shapes[0]),),
       saves=((),), dtype="same", elementwise=False, rules=("1 at the region",)),
    Op("put_region", "IndexPutBackward0", _put_region,
       grads=(lambda g, s: apply(OPS["take_region"], g, key=s.key),), saves=((),),
       dtype="same", elementwise=False, rules=("1 at the region",)),
]}


def accumulate_with_graph(grad, new: Tensor) -> Tensor:
    """AccumulateGrad's update of `.grad` when the backward pass builds a graph (§3.6):
    `tensor(12., grad_fn=<CopyBackwards>)`, a new object each time."""
    if grad is None:
        return apply(OPS["copy"], Tensor(np.zeros(new.shape, new.dtype.numpy)), new)
    return apply(OPS["accumulate"], grad, new)


_check_zero_arguments = _no_arguments("zero_")


def zero_(self: Tensor, *args, **kwargs) -> Tensor:
    _check_zero_arguments(args, kwargs)
    check_writable(self)
    return commit(self, apply(OPS["zero"], self), overlap_ok=True)


def fill_(self: Tensor, *args, **kwargs) -> Tensor:
    functions.check_overloads("fill", args, method=True, shown_as="fill_", keywords=kwargs)
    value = args[0] if args else kwargs["value"]
    check_writable(self, operands=(value,))
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise TorchRuntimeError(
                "fill_ only supports 0-dimension value tensor but got tensor with "
                f"{value.ndim} dimensions.")
        return commit(self, apply(OPS["fill_tensor"], self, value))
    value = functions._operand(value)
    factories.check_fits(value, self.dtype)
    return commit(self, apply(OPS["fill"], self, value=value), overlap_ok=True)


def copy_(self: Tensor, src) -> Tensor:
    functions.tensor_argument("copy_", src, 1, "other")
    check_writable(self, operands=(src,))
    return commit(self, apply(OPS["copy"], self, src))


def _numpy_key(key):
    """An index with Tensors replaced by their arrays (a bool tensor is a mask)."""
    if isinstance(key, tuple):
        return tuple(_numpy_key(k) for k in key)
    if isinstance(key, Tensor):
        return key._data
    return key


def _is_advanced(key) -> bool:
    keys = key if isinstance(key, tuple) else (key,)
    return any(isinstance(k, (np.ndarray, list)) for k in keys)


def _indexing_view_op(key, shape: tuple) -> str | None:
    """The view op `t[key] = value` writes through: the last that PyTorch's applySlicing
    (torch/csrc/autograd/python_variable_indexing.cpp) applies for the basic part of `key`,
    which skips a slice over a whole dim; None when the write goes into `t` itself."""
    keys = key if isinstance(key, tuple) else (key,)
    spanned = [1 if not isinstance(k, np.ndarray) or k.dtype != np.bool_ else k.ndim
               for k in keys if k is not None and k is not Ellipsis]
    dim, op = 0, None
    for k in keys:
        if k is Ellipsis:
            dim += len(shape) - sum(spanned)
        elif k is None:
            op = "Unsqueeze"
        elif isinstance(k, slice):
            if dim < len(shape) and k.indices(shape[dim]) != (0, shape[dim], 1):
                op = "Slice"
            dim += 1
        elif isinstance(k, (int, np.integer)) and not isinstance(k, (bool, np.bool_)):
            op, dim = "Select", dim + 1
        else:                  # an index array or mask: index_put_ on the view so far
            dim += k.ndim if isinstance(k, np.ndarray) and k.dtype == np.bool_ else 1
    return op


def setitem(self: Tensor, key, value) -> None:
    """`t[key] = value`: PyTorch's CopySlices node over t's previous grad_fn (§1)."""
    key = _numpy_key(key)
    check_writable(self, through_view=True, operands=(value,),
                   view_op=_indexing_view_op(key, self.shape))
    value = functions._operand(value)
    factories.check_fits(value, self.dtype)
    if grad_mode.records() and (self._requires_grad or (
            isinstance(value, Tensor) and value._requires_grad)):
        # basic indices write through a view (CopySlices); index arrays or masks use
        # index_put_ (IndexPutBackward0), as torch/csrc/autograd/python_variable_indexing.cpp does
        row = "index_put" if _is_advanced(key) else "copy_slices"
        commit(self, apply(OPS[row], self, value, key=key))
        return
    if _is_advanced(key):
        if _overlaps(self._data):
            warn(INDEX_PUT_EXPANDED_WARNING)
    else:
        _check_memory(self._data[key])     # PyTorch copy_s the value into the region
    self._data[key] = value._data if isinstance(value, Tensor) else value
    self._version.bump()


# ----- binding ---------------------------------------------------------------------------------

for _name, _method in {"zero_": zero_, "fill_": fill_, "copy_": copy_,
                      "__setitem__": setitem}.items():
    setattr(Tensor, _name, _method)
bind_inplace_variants(INPLACE_NAMES)

# Python's augmented assignment on a Tensor updates it in place, as in PyTorch.
for _operator, _name in {"__iadd__": "add_", "__isub__": "sub_", "__imul__": "mul_",
                         "__itruediv__": "div_", "__ifloordiv__": "floor_divide_",
                         "__imod__": "remainder_", "__ipow__": "pow_"}.items():
    setattr(Tensor, _operator, getattr(Tensor, _name))
