"""Running a program: statements in a loop over an explicit stack of blocks (expressions are
evaluated by `Evaluator`, in expressions.py), so neither deep nesting nor long programs touch
Python's recursion limit. Only user-defined function calls nest, under a depth limit.

`break`, `continue`, `return` and errors all leave blocks the same way (`_unwind`): frames are
popped until a loop, a `try` whose handler matches, or a `finally` (which runs first, then the
pending jump resumes) takes over."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import operator
import sys

from gradcli.engine import grad_mode
from gradcli.engine import warnings as engine_warnings
from gradcli.engine.errors import TorchError
from gradcli.engine.tensor import Tensor
from gradcli.lang import ast
from gradcli.lang.errors import (UNCATCHABLE, ExceptionClass, ExceptionValue, ProgramError,
                                 as_exception_value)
from gradcli.lang.expressions import USER_ERRORS, ChainedScope, Evaluator, SourceOrigin
from gradcli.lang.limits import Guard, Limits
from gradcli.lang.namespace import IMPORTABLE, build_namespace, resolve_import

__all__ = ["Interpreter", "Outcome", "Output", "ProgramError", "SourceOrigin"]

# `x += 1` on a tensor is in place, as in PyTorch (`x = x + 1` is not).
IN_PLACE = {"add": operator.iadd, "sub": operator.isub, "mul": operator.imul,
            "div": operator.itruediv, "pow": operator.ipow, "matmul": operator.imatmul,
            "floordiv": operator.ifloordiv, "mod": operator.imod}
# Python frames one user-function call costs (evaluate -> call -> execute_block -> ...), to
# keep the recursion limit above what `max_call_depth` calls need.
FRAMES_PER_CALL = 12


# Output and Outcome are plain classes, not dataclasses: a @dataclass compiles its generated
# methods at import, about 0.2 ms per class on every start of the command.

class Output:
    """A top-level expression statement's value."""

    __slots__ = ("source", "value", "span")

    def __init__(self, source: str, value, span: ast.Span) -> None:
        self.source, self.value, self.span = source, value, span


class Outcome:
    """What a run leaves behind."""

    def __init__(self) -> None:
        self.outputs: list = []                 # top-level expression statements
        self.namespace: dict = {}               # names the program bound, final values
        self.error: ProgramError | None = None
        self.backward_called = False
        self.warnings: list = []                # (message, span)


class _Return(Exception):
    def __init__(self, value) -> None:
        self.value = value


class UserFunction:
    def __init__(self, definition: ast.FunctionDef, defaults: dict,
                 interpreter: "Interpreter", modes: tuple, scope: dict) -> None:
        self.definition = definition
        self.defaults = defaults
        self.interpreter = interpreter
        self.modes = modes          # grad mode makers from decorators, outermost first
        self.scope = scope          # where it was defined: its body reads names through it
        self.__name__ = definition.name
        self.__module__ = "__main__"

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


class Interpreter(Evaluator):
    def __init__(self, write=None, on_warning=None, limits: Limits | None = None,
                 max_iterations: int | None = None, python_semantics: bool = False,
                 on_backward_step=None) -> None:
        """`python_semantics` (script mode, `gradcli run`): Python numbers behave as in Python
        (`1/0` raises ZeroDivisionError) and a NameError suggests what Python would. Otherwise
        (the calculator, SPEC §5) `1/0` is `inf` as for tensors, and suggestions also come from
        the math names (`meen` -> `mean`). `on_backward_step(node, grad_in, grads_out)`
        observes every node the program's own `.backward()` calls run (`--trace`)."""
        self.limits = dataclasses.replace(limits or Limits())     # the caller's stays as it is
        if max_iterations is not None:
            self.limits.max_iterations = max_iterations
        self.guard = Guard(self.limits)
        self.write = write or (lambda text: None)
        self.on_warning = on_warning
        self.python_semantics = python_semantics
        self.on_backward_step = on_backward_step
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
            self._bind(env, stmt.name, self.make_function(stmt, env))
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

    def make_function(self, definition: ast.FunctionDef, env: dict) -> "UserFunction":
        """A `def` or a `lambda`: defaults and decorators are evaluated now, in `env`, which the
        function's body also reads through (a closure over the enclosing function's names)."""
        defaults = {name: self.evaluate(value, env)
                    for name, value in definition.params if value is not None}
        modes = tuple(self._grad_mode_decorator(d, env) for d in definition.decorators)
        return UserFunction(definition, defaults, self, modes, env)

    def _grad_mode_decorator(self, decorator: ast.Node, env: dict):
        """`@torch.no_grad()`, `@torch.enable_grad()` or `@torch.inference_mode(...)` (with or
        without the call): what makes the grad mode each call of the function runs under (a
        fresh copy of the decorator's context, which keeps `inference_mode(False)`'s
        argument). No other decorator exists here."""
        value = self.evaluate(decorator, env)
        mode = value if isinstance(value, type) else type(value)
        if not issubclass(mode, grad_mode._GradModeContext):
            raise ProgramError("TypeError", "only @torch.no_grad(), @torch.enable_grad() and "
                               "@torch.inference_mode() can decorate a function here",
                               decorator.span)
        return mode if isinstance(value, type) else lambda: copy.copy(value)

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

    # ----- augmented assignment ----------------------------------------------------------------
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
        scope = ChainedScope(local, function.scope)
        self.call_depth += 1
        with contextlib.ExitStack() as modes:
            for mode in function.modes:
                modes.enter_context(mode())
            try:
                self.execute_block(definition.body, scope)
            except _Return as returned:
                return returned.value
            finally:
                self.call_depth -= 1
                self._current_span = span
        return None


