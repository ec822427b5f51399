"""Hostile input: escape attempts, resource bombs and broken files. Each gives a clear one-line
error with the documented exit code (1 runtime, 2 unreadable input, 3 syntax), never a
traceback, and nothing outside the language's namespace is reached."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from helpers import gradcli_command

from gradcli.cli.app import app
from gradcli.cli.script import run_script
from gradcli.cli.session import Source
from gradcli.lang.limits import Limits


def run_file(tmp_path, data, *options):
    path = tmp_path / "program.py"
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    result = CliRunner().invoke(app, ["run", str(path), *options])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def assert_clean_failure(result, exit_code: int, expected: str):
    assert result.exit_code == exit_code, result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert expected in result.stderr


PREAMBLE = "import torch\nx = torch.ones(2, requires_grad=True)\n"

# (program, text the error must contain); all exit 1.
ESCAPES = {
    "class_of_tuple": ("().__class__", "AttributeError: 'tuple' object has no attribute '__class__'"),
    "subclasses": ("().__class__.__bases__[0].__subclasses__()", "AttributeError"),
    "tensor_dict": (PREAMBLE + "x.__dict__", "AttributeError: 'Tensor' object has no attribute '__dict__'"),
    "tensor_class": (PREAMBLE + "x.__class__", "AttributeError"),
    "format_attribute": ("'{0.__class__}'.format(1)", "AttributeError: format fields may not look up"),
    "format_item": ("'{0[0]}'.format([1])", "AttributeError: format fields may not look up"),
    "format_nested_attribute": (PREAMBLE + "'{0.grad_fn.__class__}'.format(x)", "format fields"),
    "setattr": (PREAMBLE + "setattr(x, 'a', 1)", "NameError: name 'setattr' is not defined"),
    "open": ("open('/etc/passwd')", "NameError: name 'open' is not defined"),
    "dunder_import": ("__import__('os')", "NameError: name '__import__' is not defined"),
    "eval": ("eval('1+1')", "NameError: name 'eval' is not defined"),
    "exec": ("exec('x = 1')", "NameError: name 'exec' is not defined"),
    "compile": ("compile('1', 'f', 'eval')", "NameError: name 'compile' is not defined"),
    "globals": ("globals()", "NameError: name 'globals' is not defined"),
    "vars": ("vars()", "NameError: name 'vars' is not defined"),
    "builtins_name": ("__builtins__", "NameError: name '__builtins__' is not defined"),
    "import_os": ("import os", "ModuleNotFoundError: No module named 'os'"),
    "from_os": ("from os import system", "ModuleNotFoundError: No module named 'os'"),
    "import_subprocess": ("import subprocess as s", "ModuleNotFoundError"),
    "from_torch_private": ("from torch import _C", "ImportError: cannot import name '_C'"),
    "module_dunder": ("import torch\ntorch.__dict__", "AttributeError: module 'torch' has no attribute '__dict__'"),
    "module_private": ("import torch\ntorch._C", "AttributeError: module 'torch' has no attribute '_C'"),
    "numpy_beyond_the_seeds": ("import numpy as np\nnp.load('x.npy')", "AttributeError: module 'numpy' has no attribute 'load'"),
    "type_is_not_callable": ("type(1)('5')", "TypeError: 'type' object is not callable"),
    "type_bases": ("type(1).__bases__", "AttributeError"),
    "function_code": ("def f():\n    pass\nf.__code__", "AttributeError: 'function' object has no attribute '__code__'"),
    "lambda_code": ("f = lambda: 1\nf.__code__", "AttributeError"),
    "dict_internals": ("d = {'a': 1}\nd.__class__", "AttributeError: 'dict' object has no attribute '__class__'"),
    "dict_setdefault": ("d = {}\nd.setdefault('a', 1)", "AttributeError: 'dict' object has no attribute 'setdefault'"),
    "function_globals": ("def f():\n    pass\nf.definition", "AttributeError: 'function' object has no attribute 'definition'"),
    "print_self": ("print.__self__", "AttributeError"),
    "method_self": ("[].append.__self__", "AttributeError"),
    "node_internals": (PREAMBLE + "(x * 2).grad_fn._saved", "AttributeError: 'MulBackward0' object has no attribute '_saved'"),
    "numpy_array_internals": (PREAMBLE + "x.detach().numpy().ctypes", "AttributeError: 'ndarray' object has no attribute 'ctypes'"),
    "tensor_private_data": (PREAMBLE + "x._data", "AttributeError: 'Tensor' object has no attribute '_data'"),
    "interpreter_through_function": ("def f():\n    pass\nf.interpreter", "AttributeError"),
    "fstring_dunder": (PREAMBLE + "f'{x.__class__}'", "AttributeError"),
    "getattr_private": (PREAMBLE + "getattr(x, '_data')", "AttributeError: 'Tensor' object has no attribute '_data'"),
    "getattr_dunder": ("getattr(print, '__self__')", "AttributeError"),
    "getattr_builtin_globals": ("getattr(getattr, '__globals__')", "AttributeError"),
    "breakpoint": ("breakpoint()", "NameError: name 'breakpoint' is not defined"),
    "input": ("input()", "NameError: name 'input' is not defined"),
    "exit": ("exit()", "NameError: name 'exit' is not defined"),
    "with_arbitrary_object": ("with 3:\n    pass", "TypeError: 'int' object does not support the context manager protocol"),
    "raise_non_exception": ("raise 5", "TypeError: exceptions must derive from BaseException"),
    "except_non_class": ("try:\n    1/0\nexcept 5:\n    pass", "TypeError: catching classes that do not inherit"),
    "decorator_beyond_grad_modes": ("def d(f):\n    return f\n@d\ndef g():\n    pass",
                                    "TypeError: only @torch.no_grad(), @torch.enable_grad() and"),
    "set_function_attribute": ("def f():\n    pass\nf.x = 1", "AttributeError: cannot set attribute 'x'"),
}


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_escape_attempts_fail_cleanly(name, tmp_path):
    program, expected = ESCAPES[name]
    assert_clean_failure(run_file(tmp_path, program), 1, expected)


# Programs that would exhaust memory or time; the limits stop them before they start.
BOMBS = {
    "huge_power": ("x = 2 ** 10 ** 10", "LimitError: an integer of about"),
    "repeated_squaring": ("x = 3\nwhile True:\n    x = x * x", "LimitError: an integer of about"),
    "huge_string": ("s = 'a' * 10 ** 10", "LimitError: a sequence of 10,000,000,000 items"),
    "huge_list": ("l = [0] * 10 ** 9", "LimitError: a sequence of 1,000,000,000 items"),
    "doubling_string": ("s = 'ab'\nwhile True:\n    s = s + s", "LimitError: a sequence of"),
    "huge_tensor": ("import torch\nx = torch.ones(100000, 100000)", "LimitError: a tensor of shape (100000, 100000)"),
    "huge_broadcast": ("import torch\nx = torch.ones(100000, 1) + torch.ones(1, 100000)", "LimitError: a tensor of shape (100000, 100000) has 10,000,000,000 elements"),
    "huge_numpy": ("import numpy as np\na = np.ones((100000, 100000))", "LimitError"),
    "numpy_of_range": ("import numpy as np\na = np.array(range(10 ** 10))", "LimitError: an array of"),
    "list_of_range": ("l = list(range(10 ** 10))", "LimitError"),
    "comprehension_of_range": ("l = [0 for i in range(10 ** 9)]", "LimitError: more than"),
    "sum_of_range": ("s = sum(range(10 ** 12))", "LimitError: more than"),
    "format_width": ("s = '{:>1000000000}'.format(1)", "LimitError: a formatted field"),
    "fstring_width": ("s = f'{1:>1000000000}'", "LimitError: a formatted field"),
    "fstring_nested_width": ("w = 10 ** 10\ns = f'{1:{w}}'", "LimitError: a formatted field"),
    "percent_width": ("s = '%1000000000d' % 1", "LimitError: a formatted field"),
    "center": ("s = 'x'.center(10 ** 10)", "LimitError: a string of"),
    "replace_growth": ("s = 'a' * 1000\ns = s.replace('a', s)\ns = s.replace('a', s)", "LimitError: a string of"),
    "join_growth": ("s = 'a' * 10000\nt = s.join([s] * 10000)", "LimitError: a string of"),
    "deep_recursion": ("def f(n):\n    return f(n + 1)\nf(0)", "RecursionError: maximum recursion depth exceeded"),
    "mutual_recursion_caught": ("def f():\n    try:\n        f()\n    except RecursionError:\n        f()\nf()", "LimitError: more than"),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_resource_bombs_stop_with_a_clear_error(name, capsys):
    program, expected = BOMBS[name]
    code = run_script(Source(program, "bomb.py"), Limits(max_iterations=3_000))
    captured = capsys.readouterr()
    assert code == 1, captured.err
    assert expected in captured.err
    assert "Traceback" not in captured.err


def test_endless_loop_stops_at_the_iteration_limit(capsys):
    code = run_script(Source("while True:\n    pass", "loop.py"), Limits(max_iterations=10_000))
    assert code == 1
    assert ("loop.py:2:5: LimitError: more than 10,000 loop iterations and function calls "
            "(raise the limit with --max-iterations)") in capsys.readouterr().err


def test_limits_cannot_be_caught(capsys):
    program = "n = 0\nwhile True:\n    try:\n        n += 1\n    except:\n        pass"
    assert run_script(Source(program, "p.py"), Limits(max_iterations=1_000)) == 1
    assert "LimitError" in capsys.readouterr().err


def test_raised_limits_allow_more(capsys):
    program = "total = 0\nfor i in range(50000):\n    total += i\nprint(total)"
    assert run_script(Source(program, "p.py"), Limits(max_iterations=1_000)) == 1
    capsys.readouterr()
    assert run_script(Source(program, "p.py"), Limits(max_iterations=100_000)) == 0
    assert capsys.readouterr().out == "1249975000\n"


SYNTAX = {
    "huge_integer_literal": ("x = " + "9" * 5000, "SyntaxError: integer literal too long (5,000 digits"),
    "deep_parentheses": ("x = " + "(" * 20_000 + "1" + ")" * 20_000, "SyntaxError: nesting too deep"),
    "deep_lists": ("x = " + "[" * 20_000 + "]" * 20_000, "SyntaxError: nesting too deep"),
    "unterminated_triple_quote": ('x = """never closed\nprint(1)', "SyntaxError"),
    "set_literal": ("s = {1, 2}", "SyntaxError"),
    "class": ("class A:\n    pass", "SyntaxError: 'class' is Python"),
    "dict_comprehension": ("d = {k: 1 for k in 'ab'}", "SyntaxError"),
    "control_character": ("x = 1\x01", "SyntaxError: unexpected character '\\x01'"),
    "walrus": ("(y := 1)", "SyntaxError"),
    "keyword_as_name": ("import = 3", "SyntaxError"),
}


@pytest.mark.parametrize("name", sorted(SYNTAX))
def test_syntax_bombs_are_syntax_errors(name, tmp_path):
    program, expected = SYNTAX[name]
    assert_clean_failure(run_file(tmp_path, program), 3, expected)


UNREADABLE = {
    "binary": (b"\x7fELF\x02\x01\x01\x00\x00\x00", "binary input"),
    "invalid_utf8": (b"print('\xff\xfe')\n", "not valid UTF-8"),
    "null_byte_in_text": (b"print(1)\x00\n", "binary input"),
    "empty": (b"", "empty input"),
    "only_whitespace": (b"  \n\t\n", "empty input"),
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_input_is_a_usage_error(name, tmp_path):
    data, expected = UNREADABLE[name]
    assert_clean_failure(run_file(tmp_path, data), 2, expected)


def test_missing_file_and_directory(tmp_path):
    result = CliRunner().invoke(app, ["run", str(tmp_path / "missing.py")])
    assert_clean_failure(result, 2, "no such file")
    result = CliRunner().invoke(app, ["run", str(tmp_path)])
    assert_clean_failure(result, 2, "is a directory")


def test_crlf_bom_and_tabs_run(tmp_path):
    result = run_file(tmp_path, "\ufeffif True:\r\n\tprint(1)\r\nprint(2)\r\n")
    assert result.exit_code == 0 and result.stdout == "1\n2\n"


def test_ctrl_c_stops_a_running_program_with_exit_130(tmp_path):
    if not sys.platform.startswith("linux"):
        pytest.skip("signals as on Linux")
    path = tmp_path / "forever.py"
    path.write_text("print('started', flush=True)\nwhile True:\n    pass\n")
    process = subprocess.Popen(gradcli_command() + ["run", str(path)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "started\n"
    time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err
