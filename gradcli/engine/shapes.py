"""Shape operations: views (`view`, `t`, `permute`, `expand`, `select`, slices, ...) and the
copy a non-contiguous `reshape` makes (joining tensors is in joining.py).

A view shares its base's numpy storage and its version counter, as PyTorch's views do
(an in-place change through either is seen by both and by autograd's saved-tensor checks).
Views of a leaf that requires grad are non-leaves with their own grad_fn.
"""

from __future__ import annotations

import weakref

import numpy as np

from gradcli.engine import grad_mode, limits
from gradcli.engine.autograd import MultiOutputNode, multi_output_piece, output_edge
from gradcli.engine.errors import TorchIndexError, TorchRuntimeError, TorchTypeError
from gradcli.engine.ops import Op, apply, unbroadcast
from gradcli.engine.tensor import Tensor, _normalize_dim
from gradcli.engine.warnings import warn


def as_view(out: Tensor, base: Tensor, multi_output: bool = False) -> Tensor:
    """Make `out` (whose data aliases `base`'s) a view: same version counter, same root base
    (but a view of a split/unbind piece keeps the piece's view as its base, so in-place checks
    find the piece: see autograd.multi_output_piece), and ATen's creation meta: "no_grad" for a
    view made under no_grad, else "multi_output" for a piece of split/chunk/unbind, else its
    base's (a view of a view inherits it: VariableTypeUtils.h's propagate_creation_meta)."""
    out._version = base._version
    out._grad_fn_version = base._version.value
    if out.grad_fn is not None and base._view_of is not None \
            and multi_output_piece(base) is not None:
        out._view_of = base
    else:
        out._view_of = base._view_of if base._view_of is not None else base
    if not grad_mode._enabled and not grad_mode._inference:
        out._view_creation = "no_grad"
    else:
        out._view_creation = "multi_output" if multi_output else base._view_creation
    if out._grad_fn is None:
        # A view without a node of its own (a leaf) requires grad when its root base does, now
        # and whenever that changes (DifferentiableViewMeta::requires_grad)
        root = out._view_of
        out._requires_grad = root._requires_grad
        if root._followers is None:
            root._followers = weakref.WeakSet()
        root._followers.add(out)
    return out


def view_of(op: Op, base: Tensor, **params) -> Tensor:
    return as_view(apply(op, base, **params), base)


def pieces_of(op: Op, base: Tensor, **params) -> tuple:
    """The views `op.forward` cuts `base` into, sharing one MultiOutputNode whose output i is
    piece i (split, chunk, unbind: one node for all pieces, as in PyTorch). The row's one
    rule maps the list of the pieces' gradients to the base's."""
    pieces = tuple(as_view(Tensor(array), base, multi_output=True)
                   for array in op.forward(base._data, **params))
    if base._requires_grad and grad_mode.records():
        node = MultiOutputNode(op.grad_fn, (output_edge(base),), _pieces_backward,
                               tuple(piece.shape for piece in pieces), base.dtype, op=op,
                               needs=(True,), shapes=(base.shape,), dtypes=(base.dtype,),
                               params=params)
        for output_nr, piece in enumerate(pieces):
            piece.grad_fn = node
            piece._requires_grad = True
            piece._output_nr = output_nr
    return pieces


def _pieces_backward(grads: list, node) -> tuple:
    return (node.op.grads[0](grads, node.unpacked()),)


def _unbind_backward(grads: list, s) -> Tensor:
    # ATen's unbind_backward stacks the slices' gradients (StackBackward0 under create_graph)
    from gradcli.engine.joining import stack     # joining builds on this module

    return stack(grads, s.dim)


# ----- backward helpers ----------------------------------------------------------------------

def _inverse_permutation(dims) -> tuple:
    return tuple(int(i) for i in np.argsort(dims))


ROWS = {op.name: op for op in [
    Op("view", "ViewBackward0", lambda a, shape: np.reshape(a, shape),
       grads=(lambda g, s: g.reshape(s.shapes[0]),), saves=((),), dtype="same",
       elementwise=False, rules=("d(view a)/da = reshape back",)),
    # reshape of a non-contiguous tensor whose strides still allow an alias (ATen _reshape_alias)
    Op("reshape_alias", "ReshapeAliasBackward0", lambda a, shape: np.reshape(a, shape),
       grads=(lambda g, s: g.reshape(s.shapes[0]),), saves=((),), dtype="same",
       elementwise=False, rules=("d(reshape a)/da = reshape back",)),
    Op("unsafe_view", "UnsafeViewBackward0", lambda a, shape: np.reshape(a, shape),
       grads=(lambda g, s: g.reshape(s.shapes[0]),), saves=((),), dtype="same",
       elementwise=False, rules=("d(reshape a)/da = reshape back",)),
    Op("contiguous", "CloneBackward0", np.ascontiguousarray,
       grads=(lambda g, s: g,), saves=((),), dtype="same", elementwise=False,
       rules=("d(clone a)/da = 1",)),
    Op("expand", "ExpandBackward0", lambda a, shape: _expanded(a, shape),
       grads=(lambda g, s: unbroadcast(g, s.shapes[0]),), saves=((),), dtype="same",
       elementwise=False, rules=("d(expand a)/da = sum over the expanded dims",)),
    Op("unsqueeze", "UnsqueezeBackward0", lambda a, dim: np.expand_dims(a, dim),
       grads=(lambda g, s: g.squeeze(s.dim),), saves=((),), dtype="same",
       elementwise=False, rules=("d(unsqueeze a)/da = squeeze back",)),
    Op("squeeze", "SqueezeBackward0", np.squeeze,
       grads=(lambda g, s: g.reshape(s.shapes[0]),), saves=((),), dtype="same",
       elementwise=False, rules=("d(squeeze a)/da = unsqueeze back",)),
    Op("squeeze_dim", "SqueezeBackward1",
       lambda a, dim: np.squeeze(a, dim) if np.shape(a) and np.shape(a)[dim] == 1 else a,
       grads=(lambda g, s: g.reshape(s.shapes[0]),), saves=((),), dtype="same",
       elementwise=False, rules=("d(squeeze a)/da = unsqueeze back",)),
    Op("squeeze_dims", "SqueezeBackward2",
       lambda a, dims: np.squeeze(a, tuple(d for d in dims if np.shape(a)[d] == 1)),
       grads=(lambda g, s: g.reshape(s.shapes[0]),), saves=((),), dtype="same",
       elementwise=False, rules=("d(squeeze a)/da = unsqueeze back",)),
    Op("t", "TBackward0", lambda a: np.transpose(a),
       grads=(lambda g, s: g.t(),), saves=((),), dtype="same", elementwise=False,
       rules=("d(a^T)/da = transpose back",)),
    Op("transpose", "TransposeBackward0", lambda a, dim0, dim1: np.swapaxes(a, dim0, dim1),
       grads=(lambda g, s: g.transpose(s.dim0, s.dim1),), saves=((),), dtype="same",
       elementwise=False, rules=("d(transpose a)/da = transpose back",)),
    Op("permute", "PermuteBackward0", lambda a, dims: np.transpose(a, dims),
       grads=(lambda g, s: g.permute(*_inverse_permutation(s.dims)),), saves=((),),
       dtype="same", elementwise=False, rules=("d(permute a)/da = inverse permutation",)),
    Op("slice", "SliceBackward0",
       lambda a, dim, start, stop, step: a[_along(dim, start, stop, step)],
       grads=(lambda g, s: slice_backward(g, s.shapes[0], s.dim, s.start, s.stop, s.step),),
       saves=((),), dtype="same", elementwise=False, rules=("d(a[i:j])/da = 1 on the slice",)),
    Op("select", "SelectBackward0", lambda a, dim, index: a[_at(dim, index)],
       grads=(lambda g, s: select_backward(g, s.shapes[0], s.dim, s.index),), saves=((),),
       dtype="same", elementwise=False, rules=("d(a[i])/da = 1 at i",)),
    # a multi-output row (pieces_of): the forward gives the slices, the rule stacks their grads
    Op("unbind", "UnbindBackward0",
       lambda a, dim: [a[_at(dim, index)] for index in range(a.shape[dim])],
       grads=(_unbind_backward,), saves=((),), dtype="same", elementwise=False,
       rules=("d(unbind a)_i/da = 1 at i",)),
    Op("select_backward", "SelectBackwardBackward0",
       lambda a, shape, dim, index: _embed(a, shape, _at(dim, index)),
       grads=(lambda g, s: select(g, s.dim, s.index),), saves=((),), dtype="same",
       elementwise=False, rules=("d(embed a)/da = 1 at i",)),
    Op("slice_backward", "SliceBackwardBackward0",
       lambda a, shape, dim, start, stop, step: _embed(a, shape, _along(dim, start, stop, step)),
       grads=(lambda g, s: slice_along(g, s.dim, s.start, s.stop, s.step),), saves=((),),
       dtype="same", elementwise=False, rules=("d(embed a)/da = 1 on the slice",)),
]}


def _expanded(a: np.ndarray, shape: tuple) -> np.ndarray:
    """np.broadcast_to's view, but writable when `a` is: PyTorch writes through an expanded view
    (`fill_`, or any op on a part where no two elements share memory, `y[0].add_(1)`); inplace.py
    refuses the writes that would go through one location twice."""
    view = np.broadcast_to(a, shape)
    if not a.flags.writeable:
        return view
    return np.lib.stride_tricks.as_strided(a, shape, view.strides)


def _along(dim: int, start: int, stop: int, step: int) -> tuple:
    return (slice(None),) * dim + (slice(start, stop, step),)


def _at(dim: int, index: int) -> tuple:
    # the trailing Ellipsis keeps a 0-dim result a view (numpy gives a copied scalar without
    # it), so `x[1].mul_(2)` writes into x as in PyTorch
    return (slice(None),) * dim + (index, Ellipsis)


def _embed(a: np.ndarray, shape: tuple, key) -> np.ndarray:
    out = np.zeros(shape, dtype=a.dtype)
    out[key] = a
    return out


def slice_along(input: Tensor, dim: int, start: int, stop: int, step: int = 1) -> Tensor:
    """`input[..., start:stop:step]` along `dim` (normalized bounds): SliceBackward0, a view."""
    return view_of(ROWS["slice"], input, dim=dim, start=start, stop=stop, step=step)


def select_backward(g: Tensor, shape: tuple, dim: int, index: int) -> Tensor:
    return apply(ROWS["select_backward"], g, shape=tuple(shape), dim=dim, index=index)


def slice_backward(g: Tensor, shape: tuple, dim: int, start: int, stop: int, step: int) -> Tensor:
    """`g` placed into zeros of `shape` where the slice came from (a slice's backward)."""
    return apply(ROWS["slice_backward"], g, shape=tuple(shape), dim=dim, start=start, stop=stop,
                 step=step)


# ----- argument handling -------------------------------------------------------------------

def shape_arg(shape) -> tuple:
    """`f(2, 3)` and `f((2, 3))` alike, as PyTorch's size arguments accept both."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    return tuple(int(n) for n in shape)


def _infer_shape(shape: tuple, numel: int) -> tuple:
    """`shape` with its -1 worked out, checked in ATen's order (infer_size_impl: dim by dim, a
    second -1 or a negative size where met, then the element count)."""
    written = f"[{', '.join(str(n) for n in shape)}]"
    unknown = []
    for index, n in enumerate(shape):
        if n == -1:
            if unknown:
                raise TorchRuntimeError("only one dimension can be inferred")
            unknown.append(index)
        elif n < 0:
            raise TorchRuntimeError(
                f"invalid shape dimension {n} at index {index} of shape {written}")
    known = int(np.prod([n for n in shape if n != -1], dtype=np.int64))
    invalid = TorchRuntimeError(f"shape '{written}' is invalid for input of size {numel}")
    if unknown:
        if known == 0 or numel % known:
            raise invalid
        shape = shape[:unknown[0]] + (numel // known,) + shape[unknown[0] + 1:]
    elif known != numel:
        raise invalid
    return shape


def _viewable(data: np.ndarray, shape: tuple) -> bool:
    """Whether `shape` can alias `data`'s strides without a copy (ATen's computeStride)."""
    try:
        np.reshape(data, shape, copy=False)
    except ValueError:
        return False
    return True


# ----- views -------------------------------------------------------------------------------

def view(input, *shape):
    shape = _infer_shape(shape_arg(shape), input.numel())
    if not _viewable(input._data, shape):
        raise TorchRuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
    return view_of(ROWS["view"], input, shape=shape)


def reshape(input, *shape):
    """A view when the strides allow one: ViewBackward0 if the input is contiguous, else
    ReshapeAliasBackward0. Otherwise a contiguous copy that is then viewed, which PyTorch
    records as UnsafeViewBackward0 over CloneBackward0."""
    shape = _infer_shape(shape_arg(shape), input.numel())
    if _viewable(input._data, shape):
        alias = "view" if input._data.flags.c_contiguous else "reshape_alias"
        return view_of(ROWS[alias], input, shape=shape)
    return apply(ROWS["unsafe_view"], contiguous(input), shape=shape)


def flatten(input, start_dim=0, end_dim=-1):
    if input.ndim == 0:
        return reshape(input, 1)
    start = _normalize_dim(start_dim, input.ndim)
    end = _normalize_dim(end_dim, input.ndim)
    if start > end:
        raise TorchRuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if start == end:
        return input
    shape = input.shape
    merged = int(np.prod(shape[start:end + 1], dtype=np.int64))
    return reshape(input, shape[:start] + (merged,) + shape[end + 1:])


def contiguous(input):
    if input._data.flags.c_contiguous:
        return input
    limits.check_elements(input.shape)     # an expanded view can be far larger than its memory
    return apply(ROWS["contiguous"], input)


def expand(input, *sizes):
    sizes = shape_arg(sizes)
    lead = len(sizes) - input.ndim
    if lead < 0:
        raise TorchRuntimeError(
            f"expand({input.type()}{{[{', '.join(map(str, input.shape))}]}}, "
            f"size=[{', '.join(map(str, sizes))}]): the number of sizes provided ({len(sizes)}) "
            f"must be greater or equal to the number of dimensions in the tensor ({input.ndim})")
    target = tuple(input.shape[i - lead] if n == -1 and i >= lead else n
                   for i, n in enumerate(sizes))
    for i, n in enumerate(target[lead:]):
        if input.shape[i] != 1 and input.shape[i] != n:
            raise TorchRuntimeError(
                f"The expanded size of the tensor ({n}) must match the existing size "
                f"({input.shape[i]}) at non-singleton dimension {i + lead}.  Target sizes: "
                f"[{', '.join(map(str, sizes))}].  Tensor sizes: "
                f"[{', '.join(map(str, input.shape))}]")
    return view_of(ROWS["expand"], input, shape=target)


def expand_as(input, other):
    return expand(input, *other.shape)


def unsqueeze(input, dim):
    return view_of(ROWS["unsqueeze"], input, dim=_normalize_dim(dim, input.ndim + 1))


def squeeze(input, dim=None):
    if dim is None:
        return view_of(ROWS["squeeze"], input)
    if isinstance(dim, (tuple, list)):
        dims = tuple(sorted({_normalize_dim(d, input.ndim) for d in dim}))
        return view_of(ROWS["squeeze_dims"], input, dims=dims)
    return view_of(ROWS["squeeze_dim"], input, dim=_normalize_dim(dim, input.ndim))


def t(input):
    if input.ndim > 2:
        raise TorchRuntimeError(
            f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return view_of(ROWS["t"], input)


def transpose(input, dim0, dim1):
    ndim = input.ndim
    return view_of(ROWS["transpose"], input, dim0=_normalize_dim(dim0, ndim),
                   dim1=_normalize_dim(dim1, ndim))


def permute(input, *dims):
    dims = shape_arg(dims)
    if len(dims) != input.ndim:
        raise TorchRuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            f"length of the desired ordering of dimensions i.e. input.dim() = {input.ndim} is "
            f"not equal to len(dims) = {len(dims)}")
    normalized = tuple(_normalize_dim(d, input.ndim) for d in dims)
    if len(set(normalized)) != len(normalized):
        raise TorchRuntimeError("permute(): duplicate dims are not allowed.")
    return view_of(ROWS["permute"], input, dims=normalized)


_T_WARNED = []       # PyTorch's TORCH_WARN_ONCE: set once the warning has been given
T_WARNING = (
    "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated "
    "and it will throw an error in a future release. Consider `x.mT` to transpose batches of "
    "matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a "
    "tensor.")


def reversed_dims(input):
    """`x.T`: all dims reversed (PermuteBackward0); other than 2-D it warns once per process."""
    if input.ndim != 2 and not _T_WARNED:
        _T_WARNED.append(True)
        warn(T_WARNING)
    return view_of(ROWS["permute"], input, dims=tuple(range(input.ndim - 1, -1, -1)))


def unflatten(input, dim, sizes):
    dim = _normalize_dim(dim, input.ndim)
    return view(input, *(input.shape[:dim] + tuple(sizes) + input.shape[dim + 1:]))


def movedim(input, source, destination):
    sources = source if isinstance(source, (tuple, list)) else (source,)
    targets = destination if isinstance(destination, (tuple, list)) else (destination,)
    moved = {_normalize_dim(d, input.ndim): _normalize_dim(t, input.ndim)
             for d, t in zip(sources, targets)}
    rest = iter(d for d in range(input.ndim) if d not in moved)
    at = {t: d for d, t in moved.items()}
    return permute(input, *(at[i] if i in at else next(rest) for i in range(input.ndim)))


def narrow(input, dim, start, length):
    dim = _normalize_dim(dim, input.ndim)
    start = int(start) % input.shape[dim] if start < 0 else int(start)
    return slice_along(input, dim, start, start + int(length))


def select(input, dim, index):
    if input.ndim == 0:
        raise TorchIndexError("select() cannot be applied to a 0-dim tensor.")
    dim = _normalize_dim(dim, input.ndim)
    size = input.shape[dim]
    if not -size <= index < size:
        raise TorchIndexError(
            f"select(): index {index} out of range for tensor of size "
            f"[{', '.join(map(str, input.shape))}] at dimension {dim}")
    return view_of(ROWS["select"], input, dim=dim, index=int(index) % size)


def unbind(input, dim=0):
    if input.ndim == 0:
        raise TorchIndexError("Dimension specified as 0 but tensor has no dimensions")
    dim = _normalize_dim(dim, input.ndim)
    return pieces_of(ROWS["unbind"], input, dim=dim)


def iterate(input):
    """`for row in x`: PyTorch iterates over `x.unbind(0)`."""
    if input.ndim == 0:
        raise TorchTypeError("iteration over a 0-d tensor")
    return iter(unbind(input, 0))


# The functions the language offers as `torch.NAME` (and without prefix).
TORCH_FUNCTIONS = ("reshape", "flatten", "unsqueeze", "squeeze", "t", "transpose",
                   "permute", "narrow", "select", "movedim", "swapaxes", "swapdims", "unbind",
                   "unflatten", "broadcast_to")

_METHODS = {
    "view": view, "reshape": reshape, "flatten": flatten, "contiguous": contiguous,
    "expand": expand, "expand_as": expand_as, "unsqueeze": unsqueeze, "squeeze": squeeze,
    "t": t, "transpose": transpose, "permute": permute, "narrow": narrow, "select": select,
    "T": property(reversed_dims),
    "mT": property(lambda self: transpose(self, -2, -1)),
    "view_as": lambda self, other: view(self, *other.shape),
    "reshape_as": lambda self, other: reshape(self, *other.shape),
    "swapaxes": transpose, "swapdims": transpose, "movedim": movedim, "unbind": unbind,
    "unflatten": unflatten, "broadcast_to": lambda self, size: expand(self, *size),
    "__iter__": iterate,
}
swapaxes = swapdims = transpose


def broadcast_to(input, size):
    return expand(input, *size)

for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
