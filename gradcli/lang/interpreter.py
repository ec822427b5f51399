"""Running a program: statements in a loop over an explicit stack of blocks, expressions on an
explicit work stack, so neither deep nesting nor long programs touch Python's recursion limit.
Only user-defined function calls nest, under a depth limit."""

from __future__ import annotations

import difflib
import operator
from dataclasses import dataclass, field

from gradcli.engine import warnings as engine_warnings
from gradcli.engine.errors import LimitExceeded, TorchError
from gradcli.engine.tensor import Tensor
from gradcli.lang import ast
from gradcli.lang.namespace import (IMPORTABLE, build_namespace, format_value, get_attribute,
                                    resolve_import)

BINARY = {
    "add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv,
    "floordiv": operator.floordiv, "mod": operator.mod, "matmul": operator.matmul,
    "pow": operator.pow,
}
IN_PLACE_METHOD = {"add": "add_", "sub": "sub_", "mul": "mul_", "div": "div_"}
COMPARE = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge, "is": operator.is_, "is not": operator.is_not,
    "in": lambda a, b: a in b, "not in": lambda a, b: a not in b,
}
# Python's own exceptions a user's program can provoke (a wrong argument, a bad index ...).
USER_ERRORS = (TypeError, ValueError, IndexError, KeyError, ZeroDivisionError, AttributeError,
               OverflowError)
SETTABLE_TENSOR_ATTRIBUTES = {"requires_grad", "grad", "data"}


@dataclass
class ProgramError(Exception):
    """An error in the user's program, with PyTorch's/Python's exception name."""

    kind: str
    message: str
    span: ast.Span = ast.NO_SPAN

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


@dataclass
class Output:
    source: str
    value: object
    span: ast.Span


@dataclass
class Outcome:
    outputs: list = field(default_factory=list)
    namespace: dict = field(default_factory=dict)
    error: ProgramError | None = None
    backward_called: bool = False
    warnings: list = field(default_factory=list)


class _Return(Exception):
    def __init__(self, value) -> None:
        self.value = value


class UserFunction:
    def __init__(self, definition: ast.FunctionDef, interpreter: "Interpreter") -> None:
        self.definition = definition
        self.interpreter = interpreter
        self.__name__ = definition.name

    def __call__(self, *args, **kwargs):
        return self.interpreter.call_user_function(self.definition, args, kwargs)

    def __repr__(self) -> str:
        return f"<function {self.definition.name}>"


class Interpreter:
    def __init__(self, write=None, max_iterations: int = 10_000_000, max_call_depth: int = 200,
                 on_warning=None) -> None:
        self.write = write or (lambda text: None)
        self.max_iterations = max_iterations
        self.max_call_depth = max_call_depth
        self.on_warning = on_warning
        self.iterations = 0
        self.call_depth = 0
        self.outcome = Outcome()
        self.globals = build_namespace()
        self.globals["print"] = self._print
        self._source = ""
        self._current_span = ast.NO_SPAN

    # ----- entry point -------------------------------------------------------------------------
    def run(self, program: ast.Program, bindings: dict | None = None) -> Outcome:
        self._source = program.source
        self.globals.update(bindings or {})
        engine_warnings.add_listener(self._warn)
        try:
            self.execute_block(program.body, self.globals, top_level=True)
        except ProgramError as error:
            self.outcome.error = error
        finally:
            engine_warnings.remove_listener(self._warn)
        self.outcome.namespace = {k: v for k, v in self.globals.items()
                                  if not isinstance(v, type(self._print))}
        return self.outcome

    def _warn(self, message: str) -> None:
        self.outcome.warnings.append((message, self._current_span))
        if self.on_warning is not None:
            self.on_warning(message, self._current_span)

    def _print(self, *values, sep=" ", end="\n"):
        self.write(sep.join(format_value(v) for v in values) + end)

    # ----- statements --------------------------------------------------------------------------
    def execute_block(self, body: tuple, env: dict, top_level: bool = False) -> None:
        """Run statements; blocks nest on an explicit stack of [statements, next index, loop]."""
        stack = [[body, 0, None]]
        try:
            while stack:
                frame = stack[-1]
                statements, index, loop = frame
                if index >= len(statements):
                    if not self._continue_loop(frame, env):
                        self._leave(stack.pop())
                    continue
                stmt = statements[index]
                frame[1] += 1
                self._current_span = stmt.span
                try:
                    self._statement(stmt, env, stack, top_level and len(stack) == 1)
                except (TorchError, *USER_ERRORS) as error:
                    raise self._program_error(error) from None
        except BaseException:
            while stack:
                self._leave(stack.pop())
            raise

    def _program_error(self, error: Exception) -> ProgramError:
        if isinstance(error, ProgramError):
            return error
        kind = error.kind if isinstance(error, TorchError) else type(error).__name__
        message = str(error)
        if isinstance(error, KeyError):
            message = repr(error.args[0]) if error.args else ""
        return ProgramError(kind, message, self._current_span)

    def _statement(self, stmt, env: dict, stack: list, record_output: bool) -> None:
        kind = type(stmt)
        if kind is ast.ExprStmt:
            value = self.evaluate(stmt.expr, env)
            if record_output:
                source = self._source[stmt.span.start:stmt.span.end]
                self.outcome.outputs.append(Output(source, value, stmt.span))
        elif kind is ast.Assign:
            self._assign(stmt.target, self.evaluate(stmt.value, env), env)
        elif kind is ast.AugAssign:
            self._augmented_assign(stmt, env)
        elif kind is ast.If:
            for condition, body in stmt.branches:
                if self._truth(self.evaluate(condition, env)):
                    stack.append([body, 0, None])
                    return
            if stmt.orelse:
                stack.append([stmt.orelse, 0, None])
        elif kind is ast.While:
            if self._truth(self.evaluate(stmt.condition, env)):
                self._count_iteration()
                stack.append([stmt.body, 0, ("while", stmt)])
        elif kind is ast.For:
            iterator = iter(self.evaluate(stmt.iterable, env))
            frame = [stmt.body, len(stmt.body), ("for", stmt, iterator)]
            stack.append(frame)          # starts "finished", so _continue_loop takes the first item
        elif kind is ast.With:
            manager = self.evaluate(stmt.context, env)
            if not (hasattr(manager, "__enter__") and hasattr(manager, "__exit__")):
                raise ProgramError("TypeError", f"'{type(manager).__name__}' object does not "
                                   "support the context manager protocol", stmt.span)
            entered = manager.__enter__()
            if stmt.name:
                env[stmt.name] = entered
            stack.append([stmt.body, 0, ("with", manager)])
        elif kind is ast.Import:
            self._import(stmt, env)
        elif kind is ast.FunctionDef:
            env[stmt.name] = UserFunction(stmt, self)
        elif kind in (ast.Break, ast.Continue):
            self._jump(stack, env, kind is ast.Break, stmt)
        elif kind is ast.Return:
            if self.call_depth == 0:
                raise ProgramError("SyntaxError", "'return' outside function", stmt.span)
            raise _Return(None if stmt.value is None else self.evaluate(stmt.value, env))
        elif kind is ast.Pass:
            pass
        else:
            raise AssertionError(f"unknown statement {kind.__name__}")

    def _continue_loop(self, frame: list, env: dict) -> bool:
        """At the end of a block: start the loop's next round (True), or let the frame go."""
        loop = frame[2]
        if loop is None or loop[0] == "with":
            return False
        if loop[0] == "while":
            if not self._truth(self.evaluate(loop[1].condition, env)):
                return False
        else:
            try:
                item = next(loop[2])
            except StopIteration:
                return False
            self._bind_names(loop[1].names, item, env)
        self._count_iteration()
        frame[1] = 0
        return True

    def _leave(self, frame: list) -> None:
        loop = frame[2]
        if loop is not None and loop[0] == "with":
            loop[1].__exit__(None, None, None)

    def _jump(self, stack: list, env: dict, is_break: bool, stmt) -> None:
        while stack:
            frame = stack[-1]
            if frame[2] is not None and frame[2][0] in ("while", "for"):
                if is_break:
                    stack.pop()
                else:
                    frame[1] = len(frame[0])      # end of body: the loop decides what follows
                return
            self._leave(stack.pop())
        raise ProgramError("SyntaxError", f"'{'break' if is_break else 'continue'}' outside loop",
                           stmt.span)

    def _count_iteration(self) -> None:
        self.iterations += 1
        if self.iterations > self.max_iterations:
            raise LimitExceeded(f"more than {self.max_iterations:,} loop iterations "
                                "(raise the limit with --max-iterations)")

    def _import(self, stmt: ast.Import, env: dict) -> None:
        for local, path in stmt.bindings:
            module_path = path.rsplit(".", 1)[0] if path not in IMPORTABLE else path
            if path not in IMPORTABLE and module_path not in IMPORTABLE:
                raise ProgramError("ModuleNotFoundError", f"No module named '{path}'", stmt.span)
            value = resolve_import(self.globals, path)
            if value is None:
                name = path.rsplit(".", 1)[-1]
                raise ProgramError("ImportError", f"cannot import name '{name}' from "
                                   f"'{module_path}'", stmt.span)
            env[local] = value

    # ----- assignment --------------------------------------------------------------------------
    def _assign(self, target, value, env: dict) -> None:
        kind = type(target)
        if kind is ast.Name:
            env[target.id] = value
        elif kind is ast.TupleExpr:
            self._bind_targets(target.items, value, env)
        elif kind is ast.Attribute:
            obj = self.evaluate(target.obj, env)
            if isinstance(obj, Tensor) and target.name in SETTABLE_TENSOR_ATTRIBUTES:
                setattr(obj, target.name, value)
            else:
                raise ProgramError("AttributeError", f"cannot set attribute '{target.name}'",
                                   target.span)
        elif kind is ast.Index:
            obj = self.evaluate(target.obj, env)
            obj[self._subscript(target, env)] = value
        else:
            raise ProgramError("SyntaxError", "cannot assign to expression", target.span)

    def _bind_targets(self, targets: tuple, value, env: dict) -> None:
        values = list(value)
        if len(values) != len(targets):
            raise ProgramError("ValueError", f"too many values to unpack (expected {len(targets)})"
                               if len(values) > len(targets) else
                               f"not enough values to unpack (expected {len(targets)}, got "
                               f"{len(values)})", self._current_span)
        for target, item in zip(targets, values):
            self._assign(target, item, env)

    def _bind_names(self, names: tuple, item, env: dict) -> None:
        if len(names) == 1:
            env[names[0]] = item
        else:
            self._bind_targets(tuple(ast.Name(n) for n in names), item, env)

    def _augmented_assign(self, stmt: ast.AugAssign, env: dict) -> None:
        current = self.evaluate(stmt.target, env)
        value = self.evaluate(stmt.value, env)
        method = IN_PLACE_METHOD.get(stmt.op)
        if isinstance(current, Tensor) and method and hasattr(current, method):
            getattr(current, method)(value)      # in place, as `x += 1` is in PyTorch
            result = current
        else:
            result = BINARY[stmt.op](current, value)
        self._assign(stmt.target, result, env)

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
        close = difflib.get_close_matches(name, list(env) + list(self.globals), n=1)
        if close:
            message += f". Did you mean: '{close[0]}'?"
        raise ProgramError("NameError", message, span)

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
                    values.append(self._combine(item, args))
                except ProgramError:
                    raise
                except (TorchError, *USER_ERRORS) as error:
                    raise self._program_error(error) from None
        return values[0]

    def _combine(self, item, args: list):
        kind = type(item)
        if kind is ast.BinOp:
            return BINARY[item.op](args[0], args[1])
        if kind is ast.UnaryOp:
            if item.op == "neg":
                return -args[0]
            if item.op == "pos":
                return +args[0]
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
            return get_attribute(args[0], item.name)
        if kind is ast.Index:
            keys = tuple(args[1:])
            return args[0][keys[0] if len(keys) == 1 else keys]
        if kind is ast.Slice:
            parts = iter(args)
            bounds = [next(parts) if part is not None else None
                      for part in (item.lower, item.upper, item.step)]
            return slice(*bounds)
        if kind is ast.Call:
            func = args[0]
            positional = args[1:1 + len(item.args)]
            keywords = {k.name: v for k, v in zip(item.keywords, args[1 + len(item.args):])}
            if not callable(func):
                raise ProgramError("TypeError", f"'{type(func).__name__}' object is not callable",
                                   item.span)
            if getattr(func, "__name__", "") in ("backward", "grad"):
                self.outcome.backward_called = True
            return func(*positional, **keywords)
        raise AssertionError(f"unknown expression {kind.__name__}")

    def _truth(self, value) -> bool:
        return bool(value)

    def _fstring(self, item: ast.String, env: dict) -> str:
        from gradcli.lang.fstrings import render_fstring

        return render_fstring(item.value, lambda text: self._evaluate_text(text, env))

    def _evaluate_text(self, text: str, env: dict):
        from gradcli.lang.builder import build
        from gradcli.lang.parser import parse

        program = build(parse(text), text)
        if len(program.body) != 1 or not isinstance(program.body[0], ast.ExprStmt):
            raise ProgramError("SyntaxError", "f-string: expecting an expression", self._current_span)
        return self.evaluate(program.body[0].expr, env)

    # ----- user functions ----------------------------------------------------------------------
    def call_user_function(self, definition: ast.FunctionDef, args: tuple, kwargs: dict):
        params = definition.params
        if len(args) > len(params):
            raise ProgramError("TypeError", f"{definition.name}() takes {len(params)} positional "
                               f"arguments but {len(args)} were given", self._current_span)
        local = dict(zip(params, args))
        for name, value in kwargs.items():
            if name not in params:
                raise ProgramError("TypeError", f"{definition.name}() got an unexpected keyword "
                                   f"argument '{name}'", self._current_span)
            local[name] = value
        missing = [p for p in params if p not in local]
        if missing:
            raise ProgramError("TypeError", f"{definition.name}() missing {len(missing)} required "
                               f"positional argument{'s' if len(missing) > 1 else ''}: "
                               + " and ".join(f"'{m}'" for m in missing), self._current_span)
        if self.call_depth >= self.max_call_depth:
            raise ProgramError("RecursionError", "maximum recursion depth exceeded",
                               self._current_span)
        scope = ChainedScope(local, self.globals)
        self.call_depth += 1
        try:
            self.execute_block(definition.body, scope)
        except _Return as returned:
            return returned.value
        finally:
            self.call_depth -= 1
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
    raise AssertionError(f"unknown expression {kind.__name__}")
