"""Running a program: statements in a loop over an explicit stack of blocks, expressions on an
explicit work stack, so neither deep nesting nor long programs touch Python's recursion limit.
Only user-defined function calls nest, under a depth limit.

`break`, `continue`, `return` and errors all leave blocks the same way (`_unwind`): frames are
popped until a loop, a `try` whose handler matches, or a `finally` (which runs first, then the
pending jump resumes) takes over.

Every autograd node an expression creates is labelled with where it came from: see
`SourceOrigin` (read by `--trace` and graph labels)."""

from __future__ import annotations

import builtins
import dataclasses
import operator
import sys
from dataclasses import dataclass, field

import numpy as np

from gradcli.engine import factories, grad_mode
from gradcli.engine import warnings as engine_warnings
from gradcli.engine.errors import TorchError
from gradcli.engine.tensor import Tensor
from gradcli.lang import ast
from gradcli.lang.errors import (UNCATCHABLE, ExceptionClass, ExceptionValue, ProgramError,
                                 as_exception_value)
from gradcli.lang.limits import Guard, Limits
from gradcli.lang.suggestions import suggest_name
from gradcli.lang.namespace import (IMPORTABLE, build_namespace, get_attribute, resolve_import,
                                    type_name)

__all__ = ["Interpreter", "Outcome", "Output", "ProgramError", "SourceOrigin"]

BINARY = {
    "add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv,
    "floordiv": operator.floordiv, "mod": operator.mod, "matmul": operator.matmul,
    "pow": operator.pow,
}
# `x += 1` on a tensor is in place, as in PyTorch (`x = x + 1` is not).
IN_PLACE = {"add": operator.iadd, "sub": operator.isub, "mul": operator.imul,
            "div": operator.itruediv, "pow": operator.ipow, "matmul": operator.imatmul,
            "floordiv": operator.ifloordiv, "mod": operator.imod}
COMPARE = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge, "is": operator.is_, "is not": operator.is_not,
    "in": lambda a, b: a in b, "not in": lambda a, b: a not in b,
}
# Python's own exceptions a user's program can provoke (a wrong argument, a bad index ...).
USER_ERRORS = (TypeError, ValueError, IndexError, KeyError, ZeroDivisionError, AttributeError,
               OverflowError)
SETTABLE_TENSOR_ATTRIBUTES = {"requires_grad", "grad", "data"}
# Python frames one user-function call costs (evaluate -> call -> execute_block -> ...), to
# keep the recursion limit above what `max_call_depth` calls need.
FRAMES_PER_CALL = 12


@dataclass(frozen=True, slots=True)
class SourceOrigin:
    """What the interpreter stores in `Node.source` for each node an expression creates:
    `text` is the source of the smallest expression (or in-place statement, `x += 1`,
    `x[0] = 5`) whose evaluation made the node, `span` its place in the program (1-based line and
    column of the first character, end_line/end_column just past the last, start/end offsets
    into the program text). Set once: a node made inside a function keeps its own line."""

    text: str
    span: ast.Span


@dataclass
class Output:
    source: str
    value: object
    span: ast.Span


@dataclass
class Outcome:
    outputs: list = field(default_factory=list)     # top-level expression statements
    namespace: dict = field(default_factory=dict)   # names the program bound, final values
    error: ProgramError | None = None
    backward_called: bool = False
    warnings: list = field(default_factory=list)    # (message, span)


class _Return(Exception):
    def __init__(self, value) -> None:
        self.value = value


class _Starred:
    """The items of `*iterable` in a call, spliced into the positional arguments."""

    __slots__ = ("items",)

    def __init__(self, items) -> None:
        self.items = items


class UserFunction:
    def __init__(self, definition: ast.FunctionDef, defaults: dict,
                 interpreter: "Interpreter") -> None:
        self.definition = definition
        self.defaults = defaults
        self.interpreter = interpreter
        self.__name__ = definition.name

    def __call__(self, *args, **kwargs):
        return self.interpreter.call_user_function(self, args, kwargs)

    def __repr__(self) -> str:
        return f"<function {self.definition.name}>"


class _Frame:
    """A block being run: its statements, the next index, and what kind of block it is."""

    __slots__ = ("statements", "index", "kind", "node", "state", "iterator", "manager",
                 "pending", "error")

    def __init__(self, statements: tuple, kind: str = "block", node=None) -> None:
        self.statements = statements
        self.index = 0
        self.kind = kind            # block, while, for, with, try
        self.node = node
        self.state = "body"         # try: body, handler, else, finally
        self.iterator = None        # for: the iterator
        self.manager = None         # with: the context manager to exit
        self.pending = None         # try/finally: the jump to resume after the finally block
        self.error = None           # try handler: the error being handled (for a bare `raise`)

    def switch(self, statements: tuple, state: str) -> None:
        self.statements = statements
        self.index = 0
        self.state = state


class Interpreter:
    def __init__(self, write=None, on_warning=None, limits: Limits | None = None,
                 max_iterations: int | None = None, python_semantics: bool = False) -> None:
        """`python_semantics` (script mode, `gradcli run`): Python numbers behave as in Python
        (`1/0` raises ZeroDivisionError) and a NameError suggests what Python would. Otherwise
        (the calculator, SPEC §5) `1/0` is `inf` as for tensors, and suggestions also come from
        the math names (`meen` -> `mean`)."""
        self.limits = dataclasses.replace(limits or Limits())     # the caller's stays as it is
        if max_iterations is not None:
            self.limits.max_iterations = max_iterations
        self.guard = Guard(self.limits)
        self.write = write or (lambda text: None)
        self.on_warning = on_warning
        self.python_semantics = python_semantics
        self.call_depth = 0
        self.outcome = Outcome()
        self.globals = build_namespace(self.guard, self.write, python_semantics)
        self.assigned: dict[str, None] = {}       # names the program bound, in order
        self._source = ""
        self._current_span = ast.NO_SPAN
        self._fstring_span = None                 # while evaluating inside an f-string
        self._fstring_cache: dict[str, ast.Node] = {}

    # ----- entry point -------------------------------------------------------------------------
    def run(self, program: ast.Program, bindings: dict | None = None) -> Outcome:
        self._source = program.source
        for name, value in (bindings or {}).items():
            self.globals[name] = value
            self.assigned[name] = None
        engine_warnings.add_listener(self._warn)
        previous_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(previous_limit,
                                  2_000 + FRAMES_PER_CALL * self.limits.max_call_depth))
        grad_enabled = grad_mode.is_grad_enabled()
        try:
            self.execute_block(program.body, self.globals, top_level=True)
        except ProgramError as error:
            self.outcome.error = error
        except RecursionError:
            self.outcome.error = ProgramError("LimitError", "nesting too deep", self._current_span)
        except MemoryError:
            self.outcome.error = ProgramError("MemoryError", "out of memory", self._current_span)
        finally:
            engine_warnings.remove_listener(self._warn)
            sys.setrecursionlimit(previous_limit)
            grad_mode.set_grad_enabled(grad_enabled)
        self.outcome.namespace = {name: self.globals[name] for name in self.assigned
                                  if name in self.globals}
        return self.outcome

    def _warn(self, message: str) -> None:
        span = self._fstring_span or self._current_span
        self.outcome.warnings.append((message, span))
        if self.on_warning is not None:
            self.on_warning(message, span)

    # ----- statements --------------------------------------------------------------------------
    def execute_block(self, body: tuple, env: dict, top_level: bool = False) -> None:
        """Run statements; nested blocks are frames on an explicit stack."""
        stack = [_Frame(body)]
        try:
            while stack:
                frame = stack[-1]
                try:
                    if frame.index >= len(frame.statements):
                        self._finish(frame, stack, env)
                        continue
                    stmt = frame.statements[frame.index]
                    frame.index += 1
                    self._current_span = stmt.span
                    self._statement(stmt, env, stack, top_level and len(stack) == 1)
                except ProgramError as error:
                    self._unwind(stack, ("raise", error), env)
                except (TorchError, *USER_ERRORS) as error:
                    self._unwind(stack, ("raise", self._program_error(error)), env)
        except BaseException:
            while stack:
                self._leave(stack.pop())
            raise

    def _program_error(self, error: Exception) -> ProgramError:
        kind = error.kind if isinstance(error, TorchError) else type(error).__name__
        message = str(error)
        if isinstance(error, KeyError):
            message = repr(error.args[0]) if error.args else ""
        return ProgramError(kind, message, self._fstring_span or self._current_span)

    def _statement(self, stmt, env: dict, stack: list, record_output: bool) -> None:
        kind = type(stmt)
        if kind is ast.ExprStmt:
            value = self.evaluate(stmt.expr, env)
            if record_output:
                source = self._source[stmt.span.start:stmt.span.end]
                self.outcome.outputs.append(Output(source, value, stmt.span))
        elif kind is ast.Assign:
            value = self.evaluate(stmt.value, env)
            for target in stmt.targets:
                self._assign(target, value, env, stmt.span)
        elif kind is ast.AugAssign:
            self._augmented_assign(stmt, env)
        elif kind is ast.If:
            for condition, body in stmt.branches:
                if self._truth(self.evaluate(condition, env)):
                    stack.append(_Frame(body))
                    return
            if stmt.orelse:
                stack.append(_Frame(stmt.orelse))
        elif kind is ast.While:
            frame = _Frame(stmt.body, "while", stmt)
            frame.index = len(stmt.body)     # starts "finished": _finish tests the condition
            stack.append(frame)
        elif kind is ast.For:
            frame = _Frame(stmt.body, "for", stmt)
            frame.iterator = iter(self.evaluate(stmt.iterable, env))
            frame.index = len(stmt.body)     # starts "finished": _finish takes the first item
            stack.append(frame)
        elif kind is ast.With:
            self._enter(stmt, env, stack)
        elif kind is ast.Try:
            stack.append(_Frame(stmt.body, "try", stmt))
        elif kind is ast.Import:
            self._import(stmt, env)
        elif kind is ast.FunctionDef:
            defaults = {name: self.evaluate(value, env)
                        for name, value in stmt.params if value is not None}
            self._bind(env, stmt.name, UserFunction(stmt, defaults, self))
        elif kind is ast.Break:
            self._unwind(stack, ("break",), env)
        elif kind is ast.Continue:
            self._unwind(stack, ("continue",), env)
        elif kind is ast.Return:
            value = None if stmt.value is None else self.evaluate(stmt.value, env)
            self._unwind(stack, ("return", value), env)
        elif kind is ast.Raise:
            raise self._raised(stmt, env, stack)
        elif kind is ast.Assert:
            if not self._truth(self.evaluate(stmt.test, env)):
                args = () if stmt.message is None else (self.evaluate(stmt.message, env),)
                raise ProgramError("AssertionError", ExceptionValue("AssertionError", args).message,
                                   stmt.span)
        elif kind is ast.Pass:
            pass
        else:
            raise AssertionError(f"unknown statement {kind.__name__}")

    def _finish(self, frame: _Frame, stack: list, env: dict) -> None:
        """A frame ran its last statement: loop again, move on to the next part of a `try`, or
        leave it."""
        kind = frame.kind
        if kind == "while":
            if self._truth(self.evaluate(frame.node.condition, env)):
                self.guard.step()
                frame.index = 0
                return
        elif kind == "for":
            for item in frame.iterator:
                self.guard.step()
                self._assign(frame.node.target, item, env)
                frame.index = 0
                return
        elif kind == "try":
            node = frame.node
            if frame.state == "body" and node.orelse:
                frame.switch(node.orelse, "else")
                return
            if frame.state != "finally" and node.finalbody:
                frame.switch(node.finalbody, "finally")
                return
            stack.pop()
            if frame.pending is not None:
                self._unwind(stack, frame.pending, env)
            return
        stack.pop()
        self._leave(frame)

    def _unwind(self, stack: list, jump: tuple, env: dict) -> None:
        """Leave frames for `break`, `continue`, `return` or an error (`("raise", error)`)
        until a loop, a matching `except` or a `finally` block takes over."""
        action = jump[0]
        while stack:
            frame = stack[-1]
            if frame.kind in ("while", "for") and action in ("break", "continue"):
                if action == "break":
                    stack.pop()
                else:
                    frame.index = len(frame.statements)
                return
            if frame.kind == "try":
                if action == "raise" and frame.state == "body":
                    try:
                        if self._handle(frame, jump[1], env):
                            return
                    except ProgramError as error:    # the `except` expression itself failed
                        jump = ("raise", error)
                if frame.node.finalbody and frame.state != "finally":
                    frame.switch(frame.node.finalbody, "finally")
                    frame.pending = jump
                    return
            stack.pop()
            self._leave(frame)
        if action == "raise":
            raise jump[1]
        if action == "return":
            raise _Return(jump[1])
        raise AssertionError(f"'{action}' outside a loop got past the syntax check")

    def _handle(self, frame: _Frame, error: ProgramError, env: dict) -> bool:
        """Start the first `except` clause of a `try` that matches `error`, if any."""
        for handler in frame.node.handlers:
            if handler.kind is not None:
                classes = self.evaluate(handler.kind, env)
                classes = classes if isinstance(classes, tuple) else (classes,)
                if not all(isinstance(c, ExceptionClass) for c in classes):
                    raise ProgramError("TypeError", "catching classes that do not inherit from "
                                       "BaseException is not allowed", handler.span)
                if not any(c.matches(error.kind) for c in classes):
                    continue
            elif error.kind in UNCATCHABLE:
                continue
            frame.switch(handler.body, "handler")
            frame.error = error
            if handler.name:
                self._bind(env, handler.name, as_exception_value(error))
            return True
        return False

    def _raised(self, stmt: ast.Raise, env: dict, stack: list) -> ProgramError:
        if stmt.exception is None:
            for frame in reversed(stack):
                if frame.kind == "try" and frame.state == "handler":
                    return frame.error
            return ProgramError("RuntimeError", "No active exception to reraise", stmt.span)
        value = self.evaluate(stmt.exception, env)
        if isinstance(value, ExceptionClass):
            value = value()
        if not isinstance(value, ExceptionValue):
            return ProgramError("TypeError", "exceptions must derive from BaseException",
                                stmt.span)
        return ProgramError(value.kind, value.message, stmt.span)

    def _enter(self, stmt: ast.With, env: dict, stack: list) -> None:
        manager = self.evaluate(stmt.context, env)
        if not isinstance(manager, (grad_mode.set_grad_enabled, grad_mode._GradModeContext)):
            name = "type" if isinstance(manager, type) else type(manager).__name__
            raise ProgramError("TypeError", f"'{name}' object does not support the context "
                               "manager protocol", stmt.context.span)
        entered = manager.__enter__()
        frame = _Frame(stmt.body, "with", stmt)
        frame.manager = manager
        stack.append(frame)
        if stmt.name:
            self._bind(env, stmt.name, entered)

    def _leave(self, frame: _Frame) -> None:
        if frame.kind == "with":
            frame.manager.__exit__(None, None, None)

    def _import(self, stmt: ast.Import, env: dict) -> None:
        """Imports bind names from the namespace; nothing is imported."""
        parts = stmt.module.split(".")
        for count in range(1, len(parts) + 1):
            prefix = ".".join(parts[:count])
            if prefix not in IMPORTABLE:
                raise ProgramError("ModuleNotFoundError", f"No module named '{prefix}'",
                                   stmt.span)
        for local, path in stmt.bindings:
            value = resolve_import(self.globals, path)
            if value is None:
                raise ProgramError("ImportError", f"cannot import name "
                                   f"'{path.rsplit('.', 1)[-1]}' from '{stmt.module}'", stmt.span)
            self._bind(env, local, value)

    # ----- assignment --------------------------------------------------------------------------
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

    def _augmented_assign(self, stmt: ast.AugAssign, env: dict) -> None:
        current = self.evaluate(stmt.target, env)
        value = self.evaluate(stmt.value, env)
        self._current_span = stmt.span
        if isinstance(current, Tensor):
            result = IN_PLACE[stmt.op](current, value)
            self._label(result, stmt.span)
        else:
            result = self._binary(stmt.op, current, value)
        # As Python does, `x[i] += v` also stores the result back: `x[i] = x[i].__iadd__(v)`.
        self._assign(stmt.target, result, env, stmt.span)

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
                if type(result) is Tensor and result.grad_fn is not None:
                    self._label(result, item.span)
                values.append(result)
        return values[0]

    def _label(self, tensor, span: ast.Span) -> None:
        """Record in the tensor's node where it was made, unless something did already."""
        node = getattr(tensor, "grad_fn", None)
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
        keywords = {k.name: v for k, v in zip(item.keywords, args[1 + len(item.args):])}
        if not callable(func):
            raise ProgramError("TypeError", f"'{type_name(func)}' object is not callable",
                               item.span)
        if getattr(func, "__name__", "") in ("backward", "grad"):
            self.outcome.backward_called = True
        return func(*positional, **keywords)

    def _binary(self, op: str, left, right):
        """`left op right`, after checking Python sequences and integers will not explode and
        (calculator mode) giving IEEE results where Python would raise."""
        left_kind, right_kind = type(left), type(right)
        if not self.python_semantics and (left_kind is list or right_kind is list):
            # The calculator reads `[1, 2] * 2` and `x + [1, 2]` as tensor literals (SPEC §4).
            left, right = _as_tensor_literal(left), _as_tensor_literal(right)
            left_kind, right_kind = type(left), type(right)
        if (left_kind is Tensor and right_kind is Tensor and op != "matmul"
                and left.shape != right.shape):
            self.guard.check_size(_broadcast_count(left.shape, right.shape), "a tensor")
        elif op in ("mul", "add") and (left_kind in _SEQUENCES or right_kind in _SEQUENCES):
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

    # ----- user functions ----------------------------------------------------------------------
    def call_user_function(self, function: UserFunction, args: tuple, kwargs: dict):
        definition = function.definition
        names = tuple(name for name, _ in definition.params)
        span = self._current_span
        if len(args) > len(names):
            raise ProgramError("TypeError", f"{definition.name}() takes {len(names)} positional "
                               f"argument{'s' if len(names) != 1 else ''} but {len(args)} "
                               f"{'were' if len(args) != 1 else 'was'} given", span)
        local = dict(zip(names, args))
        for name, value in kwargs.items():
            if name not in names:
                raise ProgramError("TypeError", f"{definition.name}() got an unexpected keyword "
                                   f"argument '{name}'", span)
            if name in local:
                raise ProgramError("TypeError", f"{definition.name}() got multiple values for "
                                   f"argument '{name}'", span)
            local[name] = value
        for name, value in function.defaults.items():
            local.setdefault(name, value)
        missing = [n for n in names if n not in local]
        if missing:
            listed = (" and ".join(f"'{m}'" for m in missing) if len(missing) <= 2 else
                      ", ".join(f"'{m}'" for m in missing[:-1]) + f", and '{missing[-1]}'")
            raise ProgramError("TypeError", f"{definition.name}() missing {len(missing)} required "
                               f"positional argument{'s' if len(missing) > 1 else ''}: {listed}",
                               span)
        if self.call_depth >= self.limits.max_call_depth:
            raise ProgramError("RecursionError", "maximum recursion depth exceeded (the limit is "
                               f"{self.limits.max_call_depth} nested calls)", span)
        self.guard.step()
        scope = ChainedScope(local, self.globals)
        self.call_depth += 1
        try:
            self.execute_block(definition.body, scope)
        except _Return as returned:
            return returned.value
        finally:
            self.call_depth -= 1
            self._current_span = span
        return None


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
    with np.errstate(all="ignore"):
        return float(functions[op](np.float64(left), np.float64(right)))


def _broadcast_count(a: tuple, b: tuple) -> int:
    """Elements of the broadcast of shapes `a` and `b` (an overestimate if they clash)."""
    count = 1
    for i in range(1, max(len(a), len(b)) + 1):
        count *= max(a[-i] if i <= len(a) else 1, b[-i] if i <= len(b) else 1)
    return count


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
    if kind is ast.Attribute:
        return (item.obj,)
    if kind is ast.Index:
        return (item.obj,) + item.subscripts
    if kind is ast.Slice:
        return tuple(p for p in (item.lower, item.upper, item.step) if p is not None)
    if kind is ast.Call:
        return (item.func,) + item.args + tuple(k.value for k in item.keywords)
    if kind is ast.Starred:
        return (item.value,)
    raise AssertionError(f"unknown expression {kind.__name__}")
