"""The Tensor: a numpy array with PyTorch's autograd attributes.

Storage is the numpy array (`_data`); views share it, as PyTorch's views share storage.
The version counter is an object so that views and `detach()` can share it while `.data`
gets a fresh one (reference §3.2).
"""

from __future__ import annotations

import weakref

import numpy as np

from gradcli.engine import dtypes, grad_mode
from gradcli.engine.autograd import AccumulateGrad, RemovableHandle
from gradcli.engine.errors import TorchRuntimeError, TorchTypeError
from gradcli.engine.warnings import warn

NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
    "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you "
    "access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See "
    "github.com/pytorch/pytorch/pull/30531 for more information. (Triggered internally at "
    "/__w/pytorch/pytorch/build/aten/src/ATen/core/TensorBody.h:493.)"
)


SCALAR_CONVERSION_WARNING = (
    "Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
    "Consider using tensor.detach() first. (Triggered internally at "
    "/__w/pytorch/pytorch/torch/csrc/autograd/generated/python_variable_methods.cpp:822.)")


_DTYPES = {d.numpy: d for d in dtypes.ALL}       # the common case of Tensor.dtype, one lookup


class VersionCounter:
    """How many in-place changes a storage has seen; shared by a tensor and its views."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0

    def bump(self) -> None:
        self.value += 1


class Size(tuple):
    """`torch.Size`: a tuple that prints as `torch.Size([2, 3])`."""

    def __repr__(self) -> str:
        return f"torch.Size([{', '.join(str(n) for n in self)}])"

    __str__ = __repr__

    def numel(self) -> int:
        return int(np.prod(self, dtype=np.int64))


def _requires_grad_argument(args: tuple, keywords: dict) -> bool:
    """requires_grad_'s one optional argument as PyTorch's parser reads it: a bool, not a number
    or a tensor (python_arg_parser.cpp), with its texts."""
    if len(args) > 1:
        raise TorchTypeError("requires_grad_() takes from 0 to 1 positional arguments but "
                             f"{len(args)} were given")
    for name in keywords:
        if name != "requires_grad":
            raise TorchTypeError(f"requires_grad_() got an unexpected keyword argument '{name}'")
        if args:
            raise TorchTypeError(
                "requires_grad_() got multiple values for argument 'requires_grad'")
    value = args[0] if args else keywords.get("requires_grad", True)
    if type(value) is not bool:
        position = " (position 1)" if args else ""
        raise TorchTypeError(f"requires_grad_(): argument 'requires_grad'{position} must be "
                             f"bool, not {type(value).__name__}")
    return value


class Tensor:
    __slots__ = ("_data", "_requires_grad", "_grad_fn", "_grad_fn_version", "_grad",
                 "_counter", "_retains_grad", "_accumulate_node", "_view_of", "_inference",
                 "_hooks", "_output_nr", "_view_creation", "_own_requires_grad", "_followers",
                 "__weakref__")

    def __init__(self, data: np.ndarray, requires_grad: bool = False, grad_fn=None,
                 version: VersionCounter | None = None) -> None:
        self._data = data
        self._requires_grad = requires_grad
        self._grad_fn = grad_fn
        self._grad_fn_version = 0   # for a view: the version its grad_fn was made at (grad_fn)
        self._grad = None
        self._counter = version     # see `_version`
        self._retains_grad = False
        self._accumulate_node = None
        self._view_of = None        # the tensor this one is a view of (shapes.as_view)
        self._inference = grad_mode._inference      # made under inference_mode
        self._hooks = None          # a leaf's register_hook functions (a non-leaf's are on its node)
        self._output_nr = 0         # which output of grad_fn this is (split's pieces: 0, 1, ...)
        # how a view was made, when in-place changes to it are refused (ATen's CreationMeta):
        # "multi_output" (a split/unbind piece), "no_grad" (under no_grad), else None
        self._view_creation = None
        # a view without a node: whether it requires grad itself (requires_grad_(True)), apart
        # from what it inherits from its base; only then does it get an AccumulateGrad
        self._own_requires_grad = False
        self._followers = None      # a base's views without a node (a WeakSet; see as_view)

    @property
    def _version(self) -> VersionCounter:
        """The version counter, shared with views and `detach()`; made when first asked for:
        most tensors are never saved for a backward, viewed or changed in place."""
        counter = self._counter
        if counter is None:
            counter = self._counter = VersionCounter()
        return counter

    @_version.setter
    def _version(self, counter: VersionCounter) -> None:
        self._counter = counter

    # ----- what it holds -------------------------------------------------------------------
    @property
    def dtype(self) -> dtypes.DType:
        return _DTYPES.get(self._data.dtype) or dtypes.from_numpy(self._data.dtype)

    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim: int | None = None):
        if dim is None:
            return self.shape
        return self._data.shape[_normalize_dim(dim, self.ndim)]

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def dim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return int(self._data.size)

    def type(self, dtype=None):
        if dtype is None:
            return self.dtype.tensor_type
        return self.to(dtype)

    def is_floating_point(self) -> bool:
        return self.dtype.is_floating_point

    def is_inference(self) -> bool:
        return self._inference

    # ----- autograd attributes -------------------------------------------------------------
    @property
    def grad_fn(self):
        """The node that made this tensor. A view's is made anew when its storage was changed in
        place since (through its base or another view), as PyTorch's VariableHooks::grad_fn
        does on access (inplace.regenerated_grad_fn)."""
        if self._view_of is None or self._counter.value == self._grad_fn_version:
            return self._grad_fn
        from gradcli.engine.inplace import regenerated_grad_fn     # inplace imports this module

        return regenerated_grad_fn(self)

    @grad_fn.setter
    def grad_fn(self, node) -> None:
        self._grad_fn = node
        if self._view_of is not None:
            self._grad_fn_version = self._counter.value

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if not self.is_leaf:
            if value:
                raise TorchRuntimeError("you can only change requires_grad flags of leaf variables.")
            raise TorchRuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach()."
            )
        if value and not self.dtype.is_floating_point:
            raise TorchRuntimeError(
                "only Tensors of floating point and complex dtype can require gradients")
        self._set_own_requires_grad(bool(value))

    def requires_grad_(self, *args, **keywords) -> "Tensor":
        requires_grad = _requires_grad_argument(args, keywords)
        if not self.is_leaf:
            if not requires_grad:
                self.requires_grad = False   # raises PyTorch's error
            return self
        if requires_grad and not self.dtype.is_floating_point:
            raise TorchRuntimeError("only Tensors of floating point dtype can require gradients")
        self._set_own_requires_grad(bool(requires_grad))
        return self

    def _set_own_requires_grad(self, value: bool) -> None:
        """A view without a node requires grad if it does itself or its base does (ATen's
        DifferentiableViewMeta::requires_grad), so requires_grad_(False) leaves it requiring
        grad through a base that does."""
        if self._view_of is not None and self._grad_fn is None:
            self._own_requires_grad = value
            value = value or self._view_of._requires_grad
        self._set_requires_grad(value)

    def _set_requires_grad(self, value: bool) -> None:
        """Set whether this tensor requires grad, and so whether its views without a node do
        (those that do not require grad themselves)."""
        self._requires_grad = value
        if self._followers is not None:
            for view in self._followers:
                if view._grad_fn is None:
                    view._requires_grad = view._own_requires_grad or value

    @property
    def grad(self):
        # a leaf as ATen's C++ is_leaf() sees it: the node it holds, none remade (a view whose
        # base changed may not have its own yet; reading `.grad` never raises for it)
        if self._grad_fn is not None and not self._retains_grad:
            warn(NON_LEAF_GRAD_WARNING)
        return self._grad

    @grad.setter
    def grad(self, value) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TorchTypeError(
                    f"assigned grad expected to be a Tensor or None but got grad of type "
                    f"{type(value).__name__}")
            if value.shape != self.shape:
                raise TorchRuntimeError(
                    f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor "
                    f"of size '{list(self.shape)}'. Please ensure that the gradient and the tensor "
                    "are the same size")
            if value.dtype is not self.dtype:
                raise TorchRuntimeError(
                    f"attempting to assign a gradient with dtype '{_c10_name(value.dtype)}' to a "
                    f"tensor with grad_dtype '{self.dtype.scalar_name}'. The gradient must match "
                    "the tensor's grad_dtype (defaults to the tensor's dtype). You can set the "
                    "tensor's grad_dtype attribute with a specific dtype, or None to allow any "
                    "dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and its "
                    "gradient may break downstream systems that assume they match.")
        self._grad = value

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def retain_grad(self) -> None:
        if not self._requires_grad:
            raise TorchRuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._grad_fn is None or self._retains_grad:     # a leaf to C++'s is_leaf()
            return None
        node = self.grad_fn
        self._retains_grad = True
        if node.retained is None:
            node.retained = []
        node.retained.append(weakref.ref(self))
        return None

    def register_hook(self, hook) -> RemovableHandle:
        """`hook(grad)` runs when this tensor's gradient is computed; a returned tensor
        replaces the gradient (before `.grad` is filled or retained)."""
        if not self._requires_grad:
            raise TorchRuntimeError(
                "cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is None:
            self._hooks = hooks = self._hooks or []
        else:
            hooks = self.grad_fn.output_hooks(self._output_nr)
        hooks.append(hook)
        return RemovableHandle(hooks, hook)

    def _accumulator(self) -> AccumulateGrad | None:
        """The AccumulateGrad node of a leaf: one per leaf, shared by every graph using it.
        The leaf refers to it weakly (the graphs hold it), as PyTorch's `grad_accumulator_`
        does: a strong reference would make the cycle leaf -> node -> leaf. None for a view
        without a node (made under no_grad, or before its base required grad) of a tensor that
        requires grad, unless requires_grad_(True) made it require grad itself: it requires grad
        through its base only, so PyTorch's grad_accumulator() is null and gradients reaching it
        are dropped."""
        if self._view_of is not None and self._view_of._requires_grad \
                and not self._own_requires_grad and self.grad_fn is None:
            return None
        node = self._accumulate_node() if self._accumulate_node is not None else None
        if node is None:
            node = AccumulateGrad(self)
            self._accumulate_node = weakref.ref(node)
        return node

    # ----- aliases and copies --------------------------------------------------------------
    def detach(self) -> "Tensor":
        """Shares storage and the version counter; no graph."""
        alias = Tensor(self._data, version=self._version)
        alias._inference = self._inference
        return alias

    def detach_(self) -> "Tensor":
        if self._view_of is not None:      # any view: one made under no_grad is a leaf too
            raise TorchRuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using "
                "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set "
                "as True, gradients are views of DDP buckets, and hence detach_() cannot be "
                "called on these gradients. To fix this error, please refer to the Optimizer."
                "zero_grad() function in torch/optim/optimizer.py as the solution.")
        self.grad_fn = None
        self._set_requires_grad(False)
        return self

    @property
    def data(self) -> "Tensor":
        """Shares storage with a fresh version counter: changes through it are not tracked."""
        return Tensor(self._data)

    @data.setter
    def data(self, value: "Tensor") -> None:
        self._data = value._data

    def numpy(self) -> np.ndarray:
        if self._requires_grad:
            raise TorchRuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                "instead.")
        return self._data

    def item(self):
        if self._data.size != 1:
            raise TorchRuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.reshape(()).item()

    def tolist(self):
        return self._data.tolist()

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TorchTypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    # ----- backward ------------------------------------------------------------------------
    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        from gradcli.engine.differentiate import backward

        backward(self, gradient, retain_graph, create_graph, inputs)

    def __repr__(self) -> str:
        from gradcli.engine.printing import format_tensor

        return format_tensor(self)

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        # torch/_tensor.py: a 0-dim tensor formats as its number (f"{loss:.4f}", and f"{loss}"
        # shows 0.25, not tensor(0.2500)); any other takes object.__format__: str(self) for an
        # empty spec, a TypeError for any other
        if self.ndim == 0:
            return format(self.item(), spec)
        if spec:
            raise TorchTypeError("unsupported format string passed to Tensor.__format__")
        return repr(self)

    def __pos__(self) -> "Tensor":
        """`+x` is x itself (ATen's positive), refused for bool as PyTorch does."""
        if self._data.dtype == np.bool_:
            raise TorchRuntimeError("The `+` operator, on a bool tensor is not supported.")
        return self

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise TorchRuntimeError(
                f"Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data.reshape(()))

    def __float__(self) -> float:
        if self._data.size != 1:
            from gradcli.engine.errors import TorchValueError

            raise TorchValueError("only one element tensors can be converted to Python scalars")
        if self._requires_grad:
            warn(SCALAR_CONVERSION_WARNING)
        return float(self._data.reshape(()))

    def __int__(self) -> int:
        return int(self.item())

    __hash__ = object.__hash__


def _c10_name(dtype: dtypes.DType) -> str:
    """The lower-case scalar names some messages use ('double', 'float', 'long')."""
    return dtype.scalar_name.lower()


def _normalize_dim(dim: int, ndim: int) -> int:
    from gradcli.engine.errors import TorchIndexError

    low, high = (-ndim, ndim - 1) if ndim > 0 else (-1, 0)
    if not low <= dim <= high:
        raise TorchIndexError(
            f"Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})")
    return dim % max(ndim, 1)
