"""The torch-facing random functions — rand, randn, randint, randperm, normal, bernoulli and
their `_like` forms, the generator functions — and the in-place `uniform_`, `normal_`,
`random_`, `bernoulli_`: argument handling, shapes, memory order and the autograd rows. The
numbers are identical, bit for bit, to PyTorch 2.13's CPU generator (x86-64 build), checked
against recorded torch output (tests/golden/random.json):
random_generator.py holds the generator, random_uniform.py, random_normal.py (with
avx_mathfun.py and exact_fma.py) and random_integers.py the transforms of its raw stream.

Covered, bit for bit: manual_seed / initial_seed / seed / Generator, rand, rand_like, randn,
randn_like, randint, randint_like, randperm, normal (numbers, or tensor mean and/or std),
bernoulli (tensor p) and the in-place uniform_, normal_, random_ (with PyTorch's bound checks,
nudges and warnings), bernoulli_ (tensor p); float32 and float64, any shape, views included.
Not reproduced: `bernoulli_(p)` with a number p and `bernoulli(t, p=number)` (PyTorch draws those
from MKL's own stream), exponential_, cauchy_, log_normal_, geometric_, multinomial, poisson,
get_rng_state / set_rng_state, and PyTorch builds whose kernel is not the x86-64 AVX2 one (on ARM
and pre-AVX2 CPUs PyTorch's own float32 randn of 16+ elements uses libm instead).
"""

from __future__ import annotations

import math

import numpy as np

from gradcli.engine import dtypes, factories
from gradcli.engine.errors import TorchNotImplementedError, TorchRuntimeError, TorchTypeError
from gradcli.engine.inplace import check_writable, commit
from gradcli.engine.ops import Op, apply
from gradcli.engine.random_generator import (  # noqa: F401  (offered as torch.NAME from here)
    Generator, default_generator, initial_seed, manual_seed, seed)
from gradcli.engine.random_integers import (checked_bounds, fisher_yates, random_from_to,
                                            random_full)
from gradcli.engine.random_normal import normal_values
from gradcli.engine.random_uniform import bernoulli_draws, uniform
from gradcli.engine.tensor import Tensor

TORCH_FUNCTIONS = ("manual_seed", "initial_seed", "seed", "Generator", "rand", "rand_like",
                   "randn", "randn_like", "randint", "randint_like", "randperm", "normal",
                   "bernoulli")


# ----- argument handling ----------------------------------------------------------------------

def _c_number(x) -> str:
    """A number as C++'s ostream prints a double (`3`, `0.5`, `1e-07`), as ATen's messages do."""
    return f"{x:g}"


def _normal(gen: Generator, n: int, dtype: dtypes.DType, mean: float, std: float,
            contiguous: bool = True) -> np.ndarray:
    """normal_values after ATen's check of std (before anything is drawn)."""
    if std < 0:
        raise TorchRuntimeError(f"normal expects std >= 0.0, but found std {_c_number(std)}")
    return normal_values(gen, n, dtype, mean, std, contiguous)


def _float_dtype(dtype, kernel: str) -> dtypes.DType:
    dtype = factories._resolve(dtype) or dtypes.get_default_dtype()
    if not dtype.is_floating_point:
        raise TorchNotImplementedError(
            f"\"{kernel}\" not implemented for '{dtype.scalar_name}'")
    return dtype


def _generator(generator) -> Generator:
    return default_generator if generator is None else generator


def _new(values: np.ndarray, shape, dtype: dtypes.DType, requires_grad: bool) -> Tensor:
    result = Tensor(values.astype(dtype.numpy, copy=False).reshape(shape))
    return factories._check_requires_grad(result, requires_grad)


def _memory_axes(like: np.ndarray) -> np.ndarray:
    """`like`'s axes from the outermost in memory to the innermost: the order TensorIterator's
    serial kernels visit a (possibly transposed) target in."""
    return np.argsort([-abs(s) for s in like.strides], kind="stable")


def _memory_order(like: np.ndarray, flat: np.ndarray) -> np.ndarray:
    """An array shaped like `like` holding `flat` in `like`'s memory order."""
    axes = _memory_axes(like)
    in_memory = flat.reshape([like.shape[a] for a in axes])
    return in_memory.transpose(np.argsort(axes))


# ----- factories ----------------------------------------------------------------------------------

def rand(*shape, size=None, dtype=None, requires_grad=False, generator=None) -> Tensor:
    dtype = _float_dtype(dtype, "check_uniform_bounds")
    shape = factories._size(shape if size is None else (size,))
    values = uniform(_generator(generator), math.prod(shape), dtype, 0.0, 1.0)
    return _new(values, shape, dtype, requires_grad)


def randn(*shape, size=None, dtype=None, requires_grad=False, generator=None) -> Tensor:
    dtype = _float_dtype(dtype, "normal_kernel_cpu")
    shape = factories._size(shape if size is None else (size,))
    values = _normal(_generator(generator), math.prod(shape), dtype, 0.0, 1.0)
    return _new(values, shape, dtype, requires_grad)


def rand_like(input: Tensor, dtype=None, requires_grad=False, generator=None) -> Tensor:
    return rand(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad,
                generator=generator)


def randn_like(input: Tensor, dtype=None, requires_grad=False, generator=None) -> Tensor:
    return randn(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad,
                 generator=generator)


def randint(*args, low=None, high=None, size=None, dtype=None, requires_grad=False,
            generator=None) -> Tensor:
    """`randint(high, size)` or `randint(low, high, size)` (positional or by keyword): int64
    unless `dtype` says otherwise."""
    positional = list(args)
    try:
        size = positional.pop() if size is None else size
        high = positional.pop() if high is None else high
        low = (positional.pop() if positional else 0) if low is None else low
    except IndexError:
        raise TorchTypeError("randint() received an invalid combination of arguments: expected "
                             "(high, size) or (low, high, size)") from None
    if positional:
        raise TorchTypeError("randint() takes at most 3 positional arguments (low, high, size)")
    dtype = factories._resolve(dtype) or dtypes.int64
    low, high = checked_bounds(int(low), int(high), dtype)
    shape = factories._size((size,))
    values = random_from_to(_generator(generator), math.prod(shape), low, high)
    return _new(values, shape, dtype, requires_grad)


def randint_like(input: Tensor, *bounds, low=None, high=None, dtype=None, requires_grad=False,
                 generator=None) -> Tensor:
    """`randint_like(input, high)` or `randint_like(input, low, high)`, input's shape and dtype."""
    return randint(*bounds, low=low, high=high, size=input.shape, dtype=dtype or input.dtype,
                   requires_grad=requires_grad, generator=generator)


def randperm(n, dtype=None, requires_grad=False, generator=None) -> Tensor:
    dtype = factories._resolve(dtype) or dtypes.int64
    if dtype is dtypes.bool_:
        raise TorchNotImplementedError("\"randperm\" not implemented for 'Bool'")
    (n,) = factories._size((n,))
    return _new(fisher_yates(_generator(generator), n), (n,), dtype, requires_grad)


def normal(mean=0.0, std=1.0, size=None, dtype=None, requires_grad=False, generator=None):
    """`normal(mean, std, size)` for numbers, or elementwise for tensor `mean`/`std`
    (PyTorch draws N(0, 1), or N(0, std) for a number std, then scales and shifts)."""
    gen = _generator(generator)
    if not isinstance(mean, Tensor) and not isinstance(std, Tensor):
        if size is None:
            raise TorchRuntimeError("normal() needs a size when mean and std are numbers")
        dtype = _float_dtype(dtype, "normal_kernel_cpu")
        shape = factories._size((size,) if isinstance(size, int) else tuple(size))
        return _new(_normal(gen, math.prod(shape), dtype, float(mean), float(std)), shape, dtype,
                    requires_grad)
    tensors = [t for t in (mean, std) if isinstance(t, Tensor)]
    dtype = _float_dtype(dtypes.result_type(*tensors), "normal_kernel_cpu")
    shape = np.broadcast_shapes(*(t.shape for t in tensors))
    count = math.prod(shape)
    if isinstance(std, Tensor):
        if std._data.size and (std._data < 0).any():
            raise TorchRuntimeError("normal expects all elements of std >= 0.0")
        z = _normal(gen, count, dtype, 0.0, 1.0).reshape(shape)
        values = z * std._data.astype(dtype.numpy)
    else:
        values = _normal(gen, count, dtype, 0.0, float(std)).reshape(shape)
    values = values + (mean._data.astype(dtype.numpy) if isinstance(mean, Tensor)
                       else dtype.numpy.type(mean))
    row = ("normal_tensor_tensor" if len(tensors) == 2 else
           "normal_tensor_float" if isinstance(mean, Tensor) else "normal_float_tensor")
    return apply(ROWS[row], *tensors, values=values.astype(dtype.numpy))


NUMBER_P_ABSENT = ("gradcli does not reproduce bernoulli with a number p (PyTorch draws it from "
                   "MKL's stream); pass the probabilities as a tensor")


def bernoulli(input: Tensor, p=None, generator=None) -> Tensor:
    """0 or 1 with probability `input`, one uniform per element (BernoulliBackward0 if tracked)."""
    if p is not None:
        raise TorchRuntimeError(NUMBER_P_ABSENT)
    values = bernoulli_draws(_generator(generator), input._data)
    return apply(ROWS["bernoulli"], input, values=values)


# ----- in-place Tensor methods ------------------------------------------------------------------

def _fill(self: Tensor, row: str, draw) -> Tensor:
    """Write `draw(count, contiguous)`'s values into `self` in place, recording `row`'s node."""
    check_writable(self)
    data = self._data
    flat = draw(data.size, data.flags.c_contiguous)
    return commit(self, apply(ROWS[row], self, values=_memory_order(data, flat)))


def uniform_(self: Tensor, from_=0.0, to=1.0, generator=None) -> Tensor:
    dtype = _float_dtype(self.dtype, "check_uniform_bounds")
    if from_ > to:
        raise TorchRuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={_c_number(from_)} > "
            f"to={_c_number(to)}")
    gen = _generator(generator)
    return _fill(self, "uniform", lambda n, _: uniform(gen, n, dtype, float(from_), float(to)))


def normal_(self: Tensor, mean=0.0, std=1.0, generator=None) -> Tensor:
    dtype = _float_dtype(self.dtype, "normal_kernel_cpu")
    gen = _generator(generator)
    return _fill(self, "normal",
                 lambda n, contiguous: _normal(gen, n, dtype, float(mean), float(std), contiguous))


def random_(self: Tensor, *bounds, generator=None, **named) -> Tensor:
    """`random_()`, `random_(to)` or `random_(from, to)` (also as `from_=`/`to=` keywords)."""
    if "from_" in named or "to" in named:
        bounds = (named.get("from_", 0), named["to"]) if "to" in named else (named["from_"],)
    gen = _generator(generator)
    dtype = self.dtype
    if not bounds:
        return _fill(self, "random_full", lambda n, _: random_full(gen, n, dtype))
    low, high = (0, bounds[0]) if len(bounds) == 1 else bounds
    low, high = checked_bounds(int(low), int(high), dtype)
    row = "random_to" if len(bounds) == 1 else "random_from_to"
    return _fill(self, row, lambda n, _: random_from_to(gen, n, low, high))


def bernoulli_(self: Tensor, p, generator=None) -> Tensor:
    if not isinstance(p, Tensor):
        raise TorchRuntimeError(NUMBER_P_ABSENT)
    in_memory_order = np.broadcast_to(p._data, self.shape).transpose(_memory_axes(self._data))
    gen = _generator(generator)
    return _fill(self, "bernoulli_tensor",
                 lambda n, _: bernoulli_draws(gen, np.ascontiguousarray(in_memory_order)).ravel())


# ----- autograd: every random op has a zero gradient (derivatives.yaml) --------------------------

def _zero_grad(grad: Tensor, saved) -> Tensor:
    return Tensor(np.zeros(grad.shape, dtype=grad.dtype.numpy))


def _drawn(*inputs, values):
    return values


def _row(name: str, grad_fn: str, inputs: int = 1) -> Op:
    # the node saves nothing, as PyTorch's: not the draws (a second backward through it works)
    return Op(name, grad_fn, _drawn, grads=(_zero_grad,) * inputs, saves=((),) * inputs,
              rules=("d(random)/dx = 0",) * inputs, forward_only=("values",))


ROWS = {row.name: row for row in [
    _row("uniform", "UniformBackward0"),
    _row("normal", "NormalBackward0"),
    _row("random_from_to", "RandomBackward0"),
    _row("random_to", "RandomBackward1"),
    _row("random_full", "RandomBackward2"),
    _row("bernoulli", "BernoulliBackward0"),
    _row("bernoulli_tensor", "BernoulliBackward1"),
    _row("normal_tensor_float", "NormalBackward1"),
    _row("normal_float_tensor", "NormalBackward2"),
    _row("normal_tensor_tensor", "NormalBackward3", inputs=2),
]}

for _name, _method in {"uniform_": uniform_, "normal_": normal_, "random_": random_,
                       "bernoulli_": bernoulli_, "bernoulli": bernoulli}.items():
    setattr(Tensor, _name, _method)
