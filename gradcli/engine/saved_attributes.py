"""What an autograd node shows of the values it saved for backward: PyTorch's
`grad_fn._saved_<name>` attributes and their `_raw_saved_<name>` twins (the SavedVariable objects
of the saved tensors).

One table, in the spirit of PyTorch's tools/autograd/derivatives.yaml (where the names come
from), maps each grad_fn name to its saved attributes, and each attribute to where gradcli finds
PyTorch's value: an input or the output the node keeps, a parameter of the op, an input's shape.
gradcli's backward rules may read other things than PyTorch's formulas do; a node still keeps
the tensors PyTorch keeps (ops.Op.save_plan merges them into the row's save plan, once per row
and pattern of inputs needing grad), and nothing PyTorch does not. Values are worked out only
when a program reads them. As in PyTorch, a saved tensor is gone once the graph is freed
(reading it raises the "backward through the graph a second time" error), while sizes, dims and
numbers stay readable; a tensor saved only when some input needs grad reads None otherwise.
Packing/unpacking hooks on saved tensors (`register_hooks`) are not part of gradcli.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from gradcli.engine.ops import INPUT_NAMES
from gradcli.engine.tensor import Tensor

SAVED_PREFIX = "_saved_"
RAW_PREFIX = "_raw_saved_"
# PyTorch shows int64 attributes through an unsigned conversion: -1 reads 2**64 - 1
_UINT64 = 2 ** 64


class Saved(NamedTuple):
    """One saved attribute: how to read it from the node, and when PyTorch saves it."""
    read: Callable                  # node -> the value PyTorch shows
    tensor: bool = False            # a saved tensor: freed with the graph, has a _raw_saved_ twin
    keeps: str | None = None        # the input ("a", "b", ...) or "out" the node must keep for it
    when: tuple | None = None       # inputs whose need of a gradient makes PyTorch save it
    unsaved: object = None          # what it reads when `when` does not hold
    many: bool = False              # a tuple of tensors (index's `indices`): raw is a tuple too
    # (inputs, params) -> what is taken when the node is recorded, for what PyTorch saves of a
    # tensor without keeping it; then `read` is (node, what was taken) -> the value
    captures: Callable | None = None


class SavedTensor:
    """What `_raw_saved_<name>` gives: PyTorch's torch._C._autograd.SavedTensor, whose only
    methods (packing hooks) gradcli does not have."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<torch._C._autograd.SavedTensor object at {hex(id(self))}>"


# ----- where values come from ------------------------------------------------------------------

def tensor_input(position: int, when: tuple | None = None) -> Saved:
    """Input `position`, as the node keeps it. A Python number reads as PyTorch's wrapped 0-dim
    tensor (`x * 3` saves `tensor(3)`), the same object at every read as PyTorch saves the one
    it made: made at the first read and kept with the node's parameters (the backward rules
    go on reading the number)."""
    name = INPUT_NAMES[position]

    def read(node):
        value = node.saved_value(name)
        if value is None or isinstance(value, Tensor):
            return value
        key = "wrapped_" + name
        if key not in node.params:
            node.params[key] = _wrapped(value)
        return node.params[key]
    return Saved(read, tensor=True, keeps=name, when=when)


def optional_input(position: int) -> Saved:
    """An optional tensor argument (clamp's min or max): None, also once the graph is freed,
    where the op had none."""
    kept = tensor_input(position)
    return kept._replace(read=lambda node: None if node.dtypes[position] is None else kept.read(node))


def result(when: tuple | None = None) -> Saved:
    """The node's output, rebuilt from what the node keeps (a new tensor object each read)."""
    return Saved(lambda node: node.saved_value("out"), tensor=True, keeps="out", when=when)


def array(name: str) -> Saved:
    """A tensor argument gradcli's row takes as an array parameter (a mask, indices): freed with
    the graph like every saved tensor; None where the op had none (an absent weight)."""
    def read(node):
        value = node.params[name] if name in node.params else node.saved_value(name)
        return None if value is None else Tensor(np.asarray(value))
    return Saved(read, tensor=True)


def param(name: str, convert: Callable = lambda value: value, default=None) -> Saved:
    """A parameter of the op; `default` where the node was made without it."""
    return Saved(lambda node: convert(node.params.get(name, default)))


def constant(value) -> Saved:
    """A value PyTorch's function always passes (a default gradcli's row does not take)."""
    return Saved(lambda node: value)


def sizes(position: int = 0) -> Saved:
    return Saved(lambda node: tuple(node.shapes[position]))


def captured(capture: Callable, read: Callable = lambda node, value: value,
             when: tuple | None = None, unsaved=None) -> Saved:
    """A value taken from the op's inputs and parameters when the node is recorded (as little
    as will do: `read` finishes the work if a program asks)."""
    return Saved(read, when=when, unsaved=unsaved, captures=capture)


def strides(position: int, when: tuple) -> Saved:
    """An input's strides (in elements) at the time of the op: PyTorch saves them without
    keeping the tensor. The array's byte strides are taken; they are divided when read."""
    def in_elements(node, byte_strides):
        itemsize = node.dtypes[position].numpy.itemsize
        return tuple(stride // itemsize for stride in byte_strides)
    return captured(lambda inputs, params: inputs[position]._data.strides, in_elements,
                    when=when, unsaved=())


def captured_name(attribute: str) -> str:
    """The parameter under which a node keeps a captured value."""
    return "captured_" + attribute


def _wrapped(value) -> Tensor:
    dtype = np.bool_ if isinstance(value, bool) else (
        np.int64 if isinstance(value, int) else np.float64)
    return Tensor(np.asarray(value, dtype=dtype))


# ----- conversions from gradcli's parameters to PyTorch's saved values ---------------------------

def _first(dims):
    """A one-dim op's dim (gradcli's rows keep a tuple)."""
    return dims[0] if isinstance(dims, tuple) else dims


def _dims_or_empty(dims):
    """amax/amin save their `dim` list, roll its `dims`: empty for all dims (a flat roll)."""
    return () if dims is None else dims


def _unsigned(value: int) -> int:
    """An int64 as PyTorch shows a saved one: through an unsigned conversion (-100 reads
    2**64 - 100)."""
    return value % _UINT64


def _total_weight(node) -> Tensor:
    """nll_loss's total weight: the class weights of the targets not ignored, summed (0 for
    reduction 'none'), in the input's dtype."""
    target = node.saved_value("target")
    counted = target != node.params["ignore_index"]
    weight = array("weight").read(node)
    if node.params["reduction"] == "none":
        total = 0
    elif weight is None:
        total = counted.sum()
    else:
        total = (weight._data[np.where(counted, target, 0)] * counted).sum()
    return Tensor(np.asarray(total, dtype=node.dtypes[0].numpy))


def _reduction(name: str) -> int:
    """ATen's Reduction enum: none 0, mean 1, sum 2."""
    return ("none", "mean", "sum").index(name)


def _scalar(value):
    """A Scalar argument gradcli keeps as a float: an integral one shows as an int, as PyTorch
    shows norm's default p=2 or a `p=1` (a `p=2.0` written as a float, which PyTorch shows as
    2.0, reads 2 too: gradcli's norm keeps no trace of how p was written)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _index_tensors(key) -> tuple:
    """An index key's tensors as PyTorch's `indices` list: None for a whole dim, the trailing
    whole dims left out."""
    entries = list(key) if isinstance(key, tuple) else [key]
    while entries and isinstance(entries[-1], slice):
        entries.pop()
    return tuple(None if isinstance(entry, slice) else Tensor(np.asarray(entry))
                 for entry in entries)


def _index_key(node):
    return _index_tensors(node.saved_value("key"))


def _as_strided_geometry(inputs, params) -> tuple:
    """(size, stride, storage_offset) of the region `key` (base positions, one index array per
    base dim) in the base's contiguous storage. A size-1 dim has no stride to measure: it gets
    the contiguous one."""
    flat = np.ravel_multi_index(params["key"], inputs[0].shape)
    size = flat.shape
    origin = int(flat.flat[0]) if flat.size else 0
    stride, contiguous = [], 1
    for dim in reversed(range(flat.ndim)):
        if size[dim] > 1 and flat.size:
            step = tuple(1 if d == dim else 0 for d in range(flat.ndim))
            stride.append(int(flat[step]) - origin)
        else:
            stride.append(contiguous)
        contiguous *= size[dim]
    return size, tuple(reversed(stride)), origin


def _geometry(part: int) -> Saved:
    return captured(lambda inputs, params: _as_strided_geometry(inputs, params)[part])


def _correction(node):
    """var/std: `x.var()` (no dim, the default unbiased) saves None, a given one its value.
    gradcli keeps the number only, so an explicit `correction=1` without dim reads None too."""
    correction = node.params.get("correction")
    return None if node.params.get("dim") is None and correction == 1 else correction


SELF = tensor_input(0)
RESULT = result()
SIZES = sizes(0)
DIM = param("dim")
DIM_INT = param("dim", _first)
KEEPDIM = param("keepdim")
REDUCTION = param("reduction", _reduction)
_REDUCED_DIM = {"dim": DIM, "keepdim": KEEPDIM}
_SELECTED = {"dim": DIM_INT, "indices": array("indices"), "keepdim": KEEPDIM,
             "self_sym_sizes": SIZES}
_EXTREME = {"result": RESULT, "self": SELF}
_SORTED = {"dim": DIM_INT, "indices": array("indices"), "self_sym_sizes": SIZES}
_SECOND_ORDER = {"grad_output": tensor_input(0), "output": tensor_input(1)}
_DIAGONAL = {"dim1": param("dim1"), "dim2": param("dim2"), "offset": param("offset")}
_NLL = {"ignore_index": param("ignore_index", _unsigned), "reduction": REDUCTION, "self": SELF,
        "target": array("target"), "total_weight": Saved(_total_weight, tensor=True),
        "weight": array("weight")}
_NLL_BACKWARD = {"ignore_index": param("ignore_index", _unsigned), "reduction": REDUCTION,
                 "target": array("target"), "weight": array("weight")}
_SLICE = {"dim": DIM, "end": param("stop"), "start": param("start"), "step": param("step")}

# grad_fn name -> {attribute name after `_saved_`: where its value comes from}
SAVED_ATTRIBUTES = {
    # arithmetic
    "AddBackward0": {"alpha": param("alpha", default=1)},
    "SubBackward0": {"alpha": param("alpha", default=1)},
    "RsubBackward1": {"alpha": constant(1)},
    "MulBackward0": {"other": tensor_input(1, when=(0,)), "self": tensor_input(0, when=(1,))},
    "DivBackward0": {"other": tensor_input(1, when=(0, 1)), "self": tensor_input(0, when=(1,))},
    "AddBackward1": {},
    "MulBackward1": {"other": param("other")},
    "DivBackward1": {"other": param("other")},
    "RemainderBackward0": {},
    "RemainderBackward1": {"other": tensor_input(1, when=(1,)), "self": tensor_input(0, when=(1,))},
    "NegBackward0": {},
    "ReciprocalBackward0": {"result": RESULT},
    "PowBackward0": {"exponent": param("exponent"), "self": SELF},
    "PowBackward1": {"exponent": tensor_input(1), "result": RESULT, "self": SELF},
    "PowBackward2": {"exponent": tensor_input(0), "result": RESULT, "self": param("base")},
    # pointwise math
    **{name: {"result": RESULT} for name in (
        "ExpBackward0", "Expm1Backward0", "SqrtBackward0", "RsqrtBackward0", "TanBackward0",
        "TanhBackward0", "SigmoidBackward0", "ReluBackward0")},
    **{name: {"self": SELF} for name in (
        "LogBackward0", "Log2Backward0", "Log10Backward0", "Log1PBackward0", "SinBackward0",
        "CosBackward0", "AsinBackward0", "AcosBackward0", "AtanBackward0", "SinhBackward0",
        "CoshBackward0", "ErfBackward0", "AbsBackward0", "SiluBackward0")},
    "SignBackward0": {},
    "LeakyReluBackward0": {"negative_slope": param("negative_slope"), "self": SELF},
    "EluBackward0": {"alpha": param("alpha"), "input_scale": constant(1), "scale": constant(1),
                     "self": SELF},
    "GeluBackward0": {"approximate": param("approximate"), "self": SELF},
    "SoftplusBackward0": {"beta": param("beta"), "self": SELF, "threshold": param("threshold")},
    "ClampBackward0": {"max": optional_input(2), "min": optional_input(1), "self": SELF},
    "ClampBackward1": {"max": param("max"), "min": param("min"), "self": SELF},
    "ClampMinBackward0": {"min": param("min"), "self": SELF},
    "ClampMaxBackward0": {"max": param("max"), "self": SELF},
    "MaximumBackward0": {"other": tensor_input(1), "self": SELF},
    "MinimumBackward0": {"other": tensor_input(1), "self": SELF},
    "WhereBackward0": {"condition": array("condition")},
    "MaskedFillBackward0": {"mask": array("mask")},
    # reductions
    "SumBackward0": {"self_sym_sizes": SIZES},
    "SumBackward1": {**_REDUCED_DIM, "self_sym_sizes": SIZES},
    "MeanBackward0": {"self_sym_numel": Saved(lambda node: int(np.prod(node.shapes[0]))),
                      "self_sym_sizes": SIZES},
    "MeanBackward1": {**_REDUCED_DIM,
                      "self_sym_numel": Saved(lambda node: int(np.prod(node.shapes[0]))),
                      "self_sym_sizes": SIZES},
    "ProdBackward0": _EXTREME,
    "ProdBackward1": {"dim": DIM_INT, "keepdim": KEEPDIM, **_EXTREME},
    "MaxBackward1": _EXTREME,
    "MinBackward1": _EXTREME,
    "MedianBackward0": _EXTREME,
    "MaxBackward0": _SELECTED,
    "MinBackward0": _SELECTED,
    "MedianBackward1": _SELECTED,
    "AmaxBackward0": {"dim": param("dim", _dims_or_empty), "keepdim": KEEPDIM, **_EXTREME},
    "AminBackward0": {"dim": param("dim", _dims_or_empty), "keepdim": KEEPDIM, **_EXTREME},
    "VarBackward0": {"correction": Saved(_correction), **_REDUCED_DIM, "self": SELF},
    "StdBackward0": {"correction": Saved(_correction), **_REDUCED_DIM, **_EXTREME},
    "LinalgVectorNormBackward0": {**_REDUCED_DIM, "ord": param("p", _scalar), **_EXTREME},
    "LogsumexpBackward0": {**_REDUCED_DIM, **_EXTREME},
    "SoftmaxBackward0": {"dim": DIM, "result": RESULT},
    "LogSoftmaxBackward0": {"dim": DIM, "result": RESULT},
    "CumsumBackward0": {"dim": DIM},
    "CumprodBackward0": {"dim": DIM, **_EXTREME},
    "SortBackward0": _SORTED,
    "TopkBackward0": _SORTED,
    # linear algebra: each operand is kept for the other's gradient
    "MmBackward0": {"mat2": tensor_input(1, when=(0,)), "mat2_sym_sizes": sizes(1),
                    "mat2_sym_strides": strides(1, when=(1,)),
                    "self": tensor_input(0, when=(1,)), "self_sym_sizes": sizes(0),
                    "self_sym_strides": strides(0, when=(0,))},
    "MvBackward0": {"self": tensor_input(0, when=(1,)), "vec": tensor_input(1, when=(0,))},
    "DotBackward0": {"self": tensor_input(0, when=(1,)), "tensor": tensor_input(1, when=(0,))},
    "BmmBackward0": {"mat2": tensor_input(1, when=(0,)), "self": tensor_input(0, when=(1,))},
    "SqueezeBackward4": {"dim": DIM, "self_sym_sizes": SIZES},
    "TraceBackward0": {"self_sym_sizes": SIZES},
    # shapes and views
    "TBackward0": {},
    "AliasBackward0": {},
    "PermuteBackward0": {"dims": param("dims")},
    "TransposeBackward0": {"dim0": param("dim0"), "dim1": param("dim1")},
    **{name: {"self_sym_sizes": SIZES} for name in (
        "ViewBackward0", "ReshapeAliasBackward0", "UnsafeViewBackward0", "ExpandBackward0",
        "SqueezeBackward0")},
    "SqueezeBackward1": {"dim": DIM, "self_sym_sizes": SIZES},
    "SqueezeBackward2": {"dim": param("dims"), "self_sym_sizes": SIZES},
    "UnsqueezeBackward0": {"dim": DIM},
    "SelectBackward0": {"dim": DIM, "index": param("index"), "self_sym_sizes": SIZES},
    "SliceBackward0": {**_SLICE, "self_sym_sizes": SIZES},
    "IndexBackward0": {"indices": Saved(_index_key, tensor=True, many=True),
                       "self_sym_sizes": SIZES},
    "MaskedSelectBackward0": {"mask": array("mask"), "self": SELF},
    "IndexSelectBackward0": {"dim": DIM, "index": array("index"), "self_sym_sizes": SIZES},
    "GatherBackward0": {"dim": DIM, "index": array("index"), "self": SELF,
                        "sparse_grad": constant(False)},
    "DiagonalBackward0": {**_DIAGONAL, "self_sym_sizes": SIZES},
    # torch.diag of a vector is diag_embed(v, offset, -2, -1), of a matrix diagonal(m, offset)
    "DiagEmbedBackward0": {"dim1": constant(_unsigned(-2)), "dim2": constant(_unsigned(-1)),
                           "offset": param("offset")},
    "DiagonalBackward0_copy": {"dim1": constant(0), "dim2": constant(1),
                               "offset": param("offset"), "self_sym_sizes": SIZES},
    "TrilBackward0": {"diagonal": param("diagonal")},
    "TriuBackward0": {"diagonal": param("diagonal")},
    "FlipBackward0": {"dims": param("dims")},
    "RollBackward0": {"dims": param("dims", _dims_or_empty), "shifts": param("shifts")},
    "RepeatBackward0": {"repeats": param("repeats"), "self_sym_sizes": SIZES},
    "CatBackward0": {"dim": DIM},
    "StackBackward0": {"dim": DIM},
    "SplitBackward0": {"dim": DIM, "self_sym_sizes": SIZES,
                       "split_size": param("sizes", lambda pieces: pieces[0])},
    "SplitWithSizesBackward0": {"dim": DIM, "self_sym_sizes": SIZES,
                                "split_sizes": param("sizes")},
    "UnbindBackward0": {"dim": DIM},
    "CloneBackward0": {},
    "ToCopyBackward0": {},
    # in place
    "ZeroBackward0": {},
    "FillBackward2": {},
    "FillBackward3": {},
    "CopyBackwards": {},
    "CopySlices": {},
    "IndexPutBackward0": {"accumulate": constant(False),
                          "indices": Saved(_index_key, tensor=True, many=True)},
    "AsStridedBackward0": {"size": _geometry(0), "storage_offset": _geometry(2),
                           "stride": _geometry(1)},
    # losses
    "MseLossBackward0": {"reduction": REDUCTION, "self": SELF, "target": tensor_input(1)},
    "BinaryCrossEntropyBackward0": {"reduction": REDUCTION, "self": SELF,
                                    "target": tensor_input(1), "weight": array("weight")},
    "BinaryCrossEntropyWithLogitsBackward0": {
        "pos_weight": array("pos_weight"), "reduction": REDUCTION, "self": SELF,
        "target": tensor_input(1), "weight": array("weight")},
    "NllLossBackward0": _NLL,
    "NllLoss2DBackward0": _NLL,
    "NllLossBackwardBackward0": _NLL_BACKWARD,
    "NllLoss2DBackwardBackward0": _NLL_BACKWARD,
    # random draws
    **{name: {} for name in (
        "UniformBackward0", "NormalBackward0", "RandomBackward0", "RandomBackward1",
        "RandomBackward2", "BernoulliBackward0", "BernoulliBackward1")},
    "NormalBackward1": {"mean_sym_sizes": sizes(0)},
    "NormalBackward2": {"std_sym_sizes": sizes(0)},
    "NormalBackward3": {"mean_sym_sizes": sizes(0), "std_sym_sizes": sizes(1)},
    # the nodes of backward functions (create_graph=True): (grad_output, input, ...) rows
    "SigmoidBackwardBackward0": _SECOND_ORDER,
    "TanhBackwardBackward0": _SECOND_ORDER,
    "EluBackwardBackward0": {"alpha": param("alpha"), "grad_output": tensor_input(0),
                             "input_scale": constant(1), "is_result": constant(False),
                             "scale": constant(1), "self_or_result": tensor_input(1)},
    "GeluBackwardBackward0": {"approximate": param("approximate"),
                              "grad_output": tensor_input(0), "self": tensor_input(1)},
    "LeakyReluBackwardBackward0": {"negative_slope": param("negative_slope"),
                                   "self": tensor_input(1)},
    "SoftmaxBackwardDataBackward0": {"dim": DIM, **_SECOND_ORDER},
    "LogSoftmaxBackwardDataBackward0": {"dim": DIM, **_SECOND_ORDER},
    "SoftplusBackwardBackward0": {"beta": param("beta"), "grad_output": tensor_input(0),
                                  "self": tensor_input(1), "threshold": param("threshold")},
    "ThresholdBackwardBackward0": {"self": tensor_input(1), "threshold": constant(0)},
    "MseLossBackwardBackward0": {"grad_output": tensor_input(0), "reduction": REDUCTION,
                                 "self": tensor_input(1), "target": tensor_input(2)},
    "BinaryCrossEntropyBackwardBackward0": {
        "grad_output": tensor_input(0), "reduction": REDUCTION, "self": tensor_input(1),
        "target": tensor_input(2), "weight": array("weight")},
    "SelectBackwardBackward0": {"dim": DIM, "index": param("index")},
    "SliceBackwardBackward0": _SLICE,
    "DiagonalBackwardBackward0": _DIAGONAL,
    "ScatterAddBackward0": {"dim": DIM, "index": array("index")},
    "IndexAddBackward0": {"alpha": constant(1), "dim": DIM, "index": array("index"),
                          "source": tensor_input(0),
                          "source_dim": Saved(lambda node: len(node.shapes[0]))},
    "MaskedScatterBackward0": {"mask": array("mask"), "source_sym_sizes": sizes(0)},
}


# ----- what ops.Op.save_plan asks ---------------------------------------------------------------

def kept_by_pytorch(grad_fn: str, needs: tuple) -> tuple:
    """(the input and output names a node of `grad_fn` keeps for its saved tensors, given which
    inputs need grad; (parameter name, capture) of the values it takes when recorded)."""
    kept, captures = [], []
    for attribute, saved in SAVED_ATTRIBUTES.get(grad_fn, {}).items():
        if saved.when is not None and not any(needs[i] for i in saved.when):
            continue
        if saved.keeps is not None:
            kept.append(saved.keeps)
        if saved.captures is not None:
            captures.append((captured_name(attribute), saved.captures))
    return tuple(kept), tuple(captures)


# ----- reading ----------------------------------------------------------------------------------

def attribute_names(node) -> tuple:
    """The node's `_saved_*` and `_raw_saved_*` names, as `dir(grad_fn)` lists them."""
    table = SAVED_ATTRIBUTES.get(node.type_name, {})
    return tuple(sorted([SAVED_PREFIX + name for name in table]
                        + [RAW_PREFIX + name for name, saved in table.items() if saved.tensor]))


def declares(node, attribute: str) -> bool:
    return attribute in attribute_names(node)


def read(node, attribute: str):
    """`node.<attribute>` for one of attribute_names(node)."""
    raw = attribute.startswith(RAW_PREFIX)
    name = attribute.removeprefix(RAW_PREFIX if raw else SAVED_PREFIX)
    saved = SAVED_ATTRIBUTES[node.type_name][name]
    if saved.when is not None and not any(node.needs[i] for i in saved.when):
        return SavedTensor() if raw else saved.unsaved
    if raw and not saved.many:
        return SavedTensor()
    if saved.captures is not None:
        value = saved.read(node, node.params[captured_name(name)])
    else:
        value = saved.read(node)
    return tuple(SavedTensor() for _ in value) if raw else value
