"""Evaluating expressions and binding names: the half of the interpreter that works inside a
statement. Expressions run on an explicit work stack (post-order, with short circuits), so a
5,000-deep expression needs no Python recursion.

Every autograd node an expression creates is labelled with where it came from (`SourceOrigin`
in `Node.source`, read by `--trace` and graph labels)."""

from __future__ import annotations

import builtins
import operator

import numpy as np

from gradcli.engine import differentiate, factories
from gradcli.engine.errors import TorchError
from gradcli.engine.tensor import Tensor
from gradcli.lang import ast
from gradcli.lang.errors import ProgramError
from gradcli.lang.namespace import get_attribute, type_name
from gradcli.lang.suggestions import suggest_name

BINARY = {
    "add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv,
    "floordiv": operator.floordiv, "mod": operator.mod, "matmul": operator.matmul,
    "pow": operator.pow,
}
COMPARE = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge, "is": operator.is_, "is not": operator.is_not,
    "in": lambda a, b: a in b, "not in": lambda a, b: a not in b,
}
# Python's own exceptions a user's program can provoke (a wrong argument, a bad index ...).
USER_ERRORS = (TypeError, ValueError, IndexError, KeyError, ZeroDivisionError, AttributeError,
               OverflowError)
SETTABLE_TENSOR_ATTRIBUTES = {"requires_grad", "grad", "data"}


class SourceOrigin:
    """What the interpreter stores in `Node.source` for each node an expression creates:
    `text` is the source of the smallest expression (or in-place statement, `x += 1`,
    `x[0] = 5`) whose evaluation made the node, `span` its place in the program (1-based line and
    column of the first character, end_line/end_column just past the last, start/end offsets
    into the program text). Set once: a node made inside a function keeps its own line.
    (A plain class, not a dataclass, which would compile its methods at every start-up.)"""

    __slots__ = ("text", "span")

    def __init__(self, text: str, span: ast.Span) -> None:
        self.text, self.span = text, span


class _Starred:
    """The items of `*iterable` in a call, spliced into the positional arguments."""

    __slots__ = ("items",)

    def __init__(self, items) -> None:
        self.items = items


class Evaluator:
    """Expressions and assignment targets. The Interpreter (statements) derives from it; the
    state both use is set up in `Interpreter.__init__`: `globals`, `assigned`, `guard`,
    `python_semantics`, `on_backward_step`, `outcome`, `_source`, `_current_span`,
    `_fstring_span`, `_fstring_cache`; a `lambda` is made by `Interpreter.make_function`."""

    def _program_error(self, error: Exception) -> ProgramError:
        kind = error.kind if isinstance(error, TorchError) else type(error).__name__
        message = str(error)
        if isinstance(error, KeyError):
            message = repr(error.args[0]) if error.args else ""
        return ProgramError(kind, message, self._fstring_span or self._current_span)

    # ----- binding names -----------------------------------------------------------------------
    def _bind(self, env: dict, name: str, value) -> None:
        env[name] = value
        if env is self.globals:
            self.assigned[name] = None

    def _assign(self, target, value, env: dict, statement: ast.Span | None = None) -> None:
        """Bind `value` to the target; `statement` (the whole `x[0] = v`) labels the node an
        indexed assignment makes."""
        kind = type(target)
        if kind is ast.Name:
            self._bind(env, target.id, value)
        elif kind is ast.TupleExpr or kind is ast.ListExpr:
            self._bind_targets(target.items, value, env)
        elif kind is ast.Attribute:
            obj = self.evaluate(target.obj, env)
            if isinstance(obj, Tensor) and target.name in SETTABLE_TENSOR_ATTRIBUTES:
                setattr(obj, target.name, value)
            else:
                raise ProgramError("AttributeError", f"cannot set attribute '{target.name}' of "
                                   f"this object", target.span)
        else:           # an Index: the builder allows no other target
            obj = self.evaluate(target.obj, env)
            key = self._subscript(target, env)
            self._current_span = target.span
            obj[key] = value
            self._label(obj, statement or target.span)

    def _bind_targets(self, targets: tuple, value, env: dict) -> None:
        values = list(self._iterate(value))
        if len(values) != len(targets):
            raise ProgramError("ValueError", f"too many values to unpack (expected {len(targets)})"
                               if len(values) > len(targets) else
                               f"not enough values to unpack (expected {len(targets)}, got "
                               f"{len(values)})", self._current_span)
        for target, item in zip(targets, values):
            self._assign(target, item, env)

    def _iterate(self, value):
        if not hasattr(value, "__iter__") and not hasattr(value, "__getitem__"):
            raise ProgramError("TypeError", f"cannot unpack non-iterable "
                               f"{type(value).__name__} object", self._current_span)
        self.guard.step(operator.length_hint(value))
        return value

    def _subscript(self, index: ast.Index, env: dict):
        keys = tuple(self.evaluate(s, env) for s in index.subscripts)
        return keys[0] if len(keys) == 1 else keys

    # ----- expressions -------------------------------------------------------------------------
    def lookup(self, name: str, env: dict, span: ast.Span):
        if name in env:
            return env[name]
        if name in self.globals:
            return self.globals[name]
        message = f"name '{name}' is not defined"
        if self.python_semantics:       # what Python itself would have in scope
            candidates = [*self.assigned, *builtins.__dict__]
            if isinstance(env, ChainedScope):
                candidates = [*dict.keys(env), *candidates]
        else:
            candidates = [*env, *self.globals]
        close = suggest_name(name, candidates)
        if close:
            message += f". Did you mean: '{close}'?"
        raise ProgramError("NameError", message, self._fstring_span or span)

    def evaluate(self, node, env: dict):
        """Evaluate an expression on an explicit work stack (post-order, with short circuits)."""
        work = [(node, 0)]
        values: list = []
        while work:
            item, stage = work.pop()
            kind = type(item)
            if kind is ast.Number or kind is ast.Constant:
                values.append(item.value)
            elif kind is ast.Name:
                values.append(self.lookup(item.id, env, item.span))
            elif kind is ast.String:
                values.append(self._fstring(item, env) if item.is_fstring else item.value)
            elif kind is ast.EllipsisExpr:
                values.append(Ellipsis)
            elif kind is ast.Comprehension:
                values.append(self._comprehension(item, env))
            elif kind is ast.Lambda:
                values.append(self.make_function(item.definition, env))
            elif kind is ast.BoolOp:
                if stage == 0:
                    work.append((item, 1))
                    work.append((item.left, 0))
                else:
                    left = values[-1]
                    decided = self._truth(left) if item.op == "or" else not self._truth(left)
                    if not decided:
                        values.pop()
                        work.append((item.right, 0))
            elif kind is ast.Ternary:
                if stage == 0:
                    work.append((item, 1))
                    work.append((item.condition, 0))
                else:
                    branch = item.then if self._truth(values.pop()) else item.otherwise
                    work.append((branch, 0))
            elif stage == 0:
                work.append((item, 1))
                work.extend((child, 0) for child in reversed(_children(item)))
            else:
                count = len(_children(item))
                args = values[len(values) - count:] if count else []
                del values[len(values) - count:]
                self._current_span = item.span
                try:
                    result = self._combine(item, args)
                except ProgramError:
                    raise
                except (TorchError, *USER_ERRORS) as error:
                    raise self._program_error(error) from None
                if type(result) is Tensor and result._grad_fn is not None:
                    self._label(result, item.span)
                values.append(result)
        return values[0]

    def _label(self, value, span: ast.Span) -> None:
        """Record in a tensor's node where it was made, unless something did already (the node
        it holds: reading grad_fn may raise)."""
        node = value._grad_fn if type(value) is Tensor else None
        if node is not None and node.source is None:
            span = self._fstring_span or span
            node.source = SourceOrigin(self._source[span.start:span.end], span)

    def _combine(self, item, args: list):
        kind = type(item)
        if kind is ast.BinOp:
            return self._binary(item.op, args[0], args[1])
        if kind is ast.UnaryOp:
            if item.op == "neg":
                return -(args[0] if self.python_semantics else _as_tensor_literal(args[0]))
            if item.op == "pos":
                # `+t` is torch.positive: the tensor itself (no node), for any non-bool tensor.
                return args[0] if isinstance(args[0], Tensor) else +args[0]
            return not self._truth(args[0])
        if kind is ast.Compare:
            result = True
            for op, left, right in zip(item.ops, args, args[1:]):
                result = COMPARE[op](left, right)
                if len(item.ops) > 1 and not self._truth(result):
                    return False
            return result
        if kind is ast.ListExpr:
            return list(args)
        if kind is ast.DictExpr:
            return dict(zip(args[0::2], args[1::2]))
        if kind is ast.TupleExpr:
            return tuple(args)
        if kind is ast.Attribute:
            return get_attribute(args[0], item.name, self.guard)
        if kind is ast.Index:
            keys = tuple(args[1:])
            return args[0][keys[0] if len(keys) == 1 else keys]
        if kind is ast.Slice:
            parts = iter(args)
            bounds = [next(parts) if part is not None else None
                      for part in (item.lower, item.upper, item.step)]
            return slice(*bounds)
        if kind is ast.Starred:
            return _Starred(self._iterate(args[0]))
        if kind is ast.DoubleStarred:
            return args[0]
        if kind is ast.Call:
            return self._call(item, args)
        raise AssertionError(f"unknown expression {kind.__name__}")

    def _call(self, item: ast.Call, args: list):
        func = args[0]
        positional = []
        for value in args[1:1 + len(item.args)]:
            if type(value) is _Starred:
                positional.extend(value.items)
            else:
                positional.append(value)
        keywords = {}
        for keyword, value in zip(item.keywords, args[1 + len(item.args):]):
            if type(keyword) is ast.Keyword:
                keywords[keyword.name] = value
            elif not isinstance(value, dict) or not all(type(k) is str for k in value):
                raise ProgramError("TypeError", "argument after ** must be a mapping with string "
                                   f"keys, not {type_name(value)}", keyword.span)
            else:
                for name in value:
                    if name in keywords:
                        raise ProgramError("TypeError", f"{_function_label(func)}() got multiple "
                                           f"values for keyword argument '{name}'", keyword.span)
                keywords.update(value)
        if not callable(func):
            raise ProgramError("TypeError", f"'{type_name(func)}' object is not callable",
                               item.span)
        if getattr(func, "__name__", "") in ("backward", "grad"):
            self.outcome.backward_called = True
            if self.on_backward_step is not None:
                func, positional, keywords = _observed_backward(func, positional, keywords,
                                                                self.on_backward_step)
        return func(*positional, **keywords)

    def _binary(self, op: str, left, right):
        """`left op right`, after checking Python sequences and integers will not explode and
        (calculator mode) giving IEEE results where Python would raise."""
        left_kind, right_kind = type(left), type(right)
        if not self.python_semantics and (left_kind is list or right_kind is list):
            # The calculator reads `[1, 2] * 2` and `x + [1, 2]` as tensor literals (SPEC §4).
            left, right = _as_tensor_literal(left), _as_tensor_literal(right)
            left_kind, right_kind = type(left), type(right)
        # (a broadcast of two tensors is checked by the engine before it allocates)
        if op in ("mul", "add") and (left_kind in _SEQUENCES or right_kind in _SEQUENCES):
            self._check_sequence_growth(op, left, right)
        elif left_kind is int and right_kind is int:
            if op == "mul":
                self.guard.check_integer_bits(left.bit_length() + right.bit_length())
            elif op == "pow" and right > 0 and abs(left) > 1:
                self.guard.check_integer_bits(right * left.bit_length())
        elif op == "mod" and left_kind is str:
            self.guard.check_percent_template(left)
        try:
            return BINARY[op](left, right)
        except (ZeroDivisionError, OverflowError):
            if self.python_semantics or not (_is_real(left) and _is_real(right)):
                raise
            return _ieee(op, left, right)

    def _check_sequence_growth(self, op: str, left, right) -> None:
        if op == "add":
            if type(left) in _SEQUENCES and type(right) in _SEQUENCES:
                self.guard.check_size(len(left) + len(right), "a sequence")
            return
        sequence, times = (left, right) if type(left) in _SEQUENCES else (right, left)
        if type(times) is int:
            self.guard.check_size(len(sequence) * max(times, 0), "a sequence")

    def _comprehension(self, item: ast.Comprehension, env: dict):
        """`[e for a in xs if c for b in ys]`: the loops nest on a stack of iterators, in a
        scope of their own (as in Python 3, the loop names do not leak)."""
        scope = ChainedScope({}, env)
        loops = item.loops
        results = []
        iterators = [iter(self._iterate(self.evaluate(loops[0].iterable, env)))]
        while iterators:
            try:
                value = next(iterators[-1])
            except StopIteration:
                iterators.pop()
                continue
            self.guard.step()
            loop = loops[len(iterators) - 1]
            self._assign(loop.target, value, scope)
            if not all(self._truth(self.evaluate(c, scope)) for c in loop.conditions):
                continue
            if len(iterators) < len(loops):
                inner = self.evaluate(loops[len(iterators)].iterable, scope)
                iterators.append(iter(self._iterate(inner)))
            else:
                results.append(self.evaluate(item.element, scope))
        return results if item.kind == "list" else iter(results)

    def _truth(self, value) -> bool:
        return bool(value)

    def _fstring(self, item: ast.String, env: dict) -> str:
        from gradcli.lang.fstrings import render_fstring

        outer = self._fstring_span
        self._fstring_span = outer or item.span
        try:
            return render_fstring(item.value, lambda text: self._evaluate_text(text, env),
                                  self.guard)
        except (TorchError, *USER_ERRORS) as error:
            raise self._program_error(error) from None
        finally:
            self._fstring_span = outer

    def _evaluate_text(self, text: str, env: dict):
        """An f-string field's expression, parsed once per distinct text."""
        expression = self._fstring_cache.get(text)
        if expression is None:
            from gradcli.lang.builder import build
            from gradcli.lang.parser import SyntaxProblem, parse

            try:
                program = build(parse(f"({text})"), f"({text})")
            except SyntaxProblem as problem:
                raise ProgramError("SyntaxError", f"f-string: {problem.message}",
                                   self._fstring_span) from None
            expression = program.body[0].expr
            self._fstring_cache[text] = expression
        source = self._source
        self._source = f"({text})"
        try:
            return self.evaluate(expression, env)
        finally:
            self._source = source

class ChainedScope(dict):
    """A function's local names, reading through to the globals for names it does not bind."""

    def __init__(self, local: dict, global_names: dict) -> None:
        super().__init__(local)
        self.global_names = global_names

    def __missing__(self, key):
        return self.global_names[key]

    def __contains__(self, key) -> bool:
        return dict.__contains__(self, key) or key in self.global_names


_SEQUENCES = (str, list, tuple)


def _observed_backward(func, positional: list, keywords: dict, on_step):
    """A program's own `t.backward(...)`, `torch.autograd.backward(...)` or
    `torch.autograd.grad(...)` as the same call of the engine's function, with `on_step`
    observing each node it runs (what `--trace` shows). Any other call is returned as it is."""
    if getattr(func, "__func__", None) is Tensor.backward:
        # Tensor.backward(gradient, ...) is backward(tensors, grad_tensors, ...) on itself
        if "gradient" in keywords:
            keywords = dict(keywords)
            keywords["grad_tensors"] = keywords.pop("gradient")
        positional = [func.__self__, *positional]
        func = differentiate.backward
    if func is differentiate.backward or func is differentiate.grad:
        return func, positional, keywords | {"on_step": on_step}
    return func, positional, keywords


def _function_label(func) -> str:
    """How Python names a function in call errors: `__main__.f` for the program's own."""
    name = getattr(func, "__name__", "function")
    return f"__main__.{name}" if getattr(func, "__module__", None) == "__main__" else name


def _as_tensor_literal(value):
    """A list of numbers as the tensor it spells (`torch.tensor`'s dtype rules, ragged lists an
    error); anything else unchanged."""
    return factories.tensor(value) if type(value) is list else value


def _is_real(value) -> bool:
    return type(value) in (int, float, bool) or isinstance(value, np.floating)


def _ieee(op: str, left, right) -> float:
    """What a float64 tensor would give: `1/0 == inf`, `0/0 == nan`, `10.0**400 == inf`."""
    functions = {"div": np.true_divide, "floordiv": np.floor_divide, "mod": np.remainder,
                 "pow": np.power}
    return float(functions[op](np.float64(left), np.float64(right)))


def _children(item) -> tuple:
    kind = type(item)
    if kind is ast.BinOp:
        return (item.left, item.right)
    if kind is ast.UnaryOp:
        return (item.operand,)
    if kind is ast.Compare:
        return item.operands
    if kind is ast.ListExpr or kind is ast.TupleExpr:
        return item.items
    if kind is ast.DictExpr:
        return tuple(part for pair in item.items for part in pair)
    if kind is ast.Attribute:
        return (item.obj,)
    if kind is ast.Index:
        return (item.obj,) + item.subscripts
    if kind is ast.Slice:
        return tuple(p for p in (item.lower, item.upper, item.step) if p is not None)
    if kind is ast.Call:
        return (item.func,) + item.args + tuple(k.value for k in item.keywords)
    if kind is ast.Starred or kind is ast.DoubleStarred:
        return (item.value,)
    raise AssertionError(f"unknown expression {kind.__name__}")
