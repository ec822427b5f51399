"""Shared by the recorders that run a program as `python FILE` would with PyTorch installed
(record_language.py, record_fuzz_programs.py) or that need a fresh process state per case
(record_semantics.py). Importing it does not import torch: the tests import the recorders'
helpers without it."""

import contextlib
import io
import json
import os
import traceback
import warnings

FILENAME = "<program>"


def strip_location(message: str) -> str:
    """A warning's or error's text without ATen's "(Triggered internally at file:line)", which
    the goldens leave out."""
    return message.split(" (Triggered internally at")[0]


def run_as_script(text: str, clean_warning=lambda message: message) -> dict:
    """What `text` does as a script: its stdout, its warnings (message after `clean_warning`,
    and line, after Python's default once-per-line filter) and an uncaught error's type,
    message and line."""
    stdout = io.StringIO()
    error = None
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(stdout):
        warnings.simplefilter("default")
        try:
            exec(compile(text, FILENAME, "exec"), {"__name__": "__main__"})
        except Exception as e:  # noqa: BLE001  (the program's error is part of its output)
            frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename == FILENAME]
            error = {"type": type(e).__name__, "message": str(e),
                     "line": frames[-1].lineno if frames else None}
    shown = [{"message": clean_warning(str(w.message)), "line": w.lineno} for w in caught
             if w.filename == FILENAME]
    return {"stdout": stdout.getvalue(), "warnings": shown, "error": error}


def in_forked_child(function, *args):
    """`function(*args)` in a forked child of this process, so that PyTorch's once-per-process
    warnings show again and nothing the case changes leaks into the next; its result goes back
    as JSON."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            with os.fdopen(write, "wb") as pipe:
                pipe.write(json.dumps(function(*args)).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(data)
