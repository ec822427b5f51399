"""The installed `gradcli` command, run as a user would run it (a subprocess)."""

import json

import pytest
from helpers import run_cli

EXAMPLE = ["eval", "mean(3*(x+2)^2)", "--at", "x=[[1,2,3],[4,5,6]]"]


def test_example_tables():
    result = run_cli(*EXAMPLE, env={"COLUMNS": "120"})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "tensor(99.5000, grad_fn=<MeanBackward0>)" in out
    for node in ("MeanBackward0", "MulBackward0", "PowBackward0", "AddBackward0", "AccumulateGrad"):
        assert node in out
    assert "tensor([[3., 4., 5.]," in out and "[6., 7., 8.]])" in out
    assert "\x1b[" not in out        # a pipe gets no colour codes


def test_example_json():
    result = run_cli(*EXAMPLE, "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["version"] == 1 and doc["ok"] is True and doc["error"] is None
    (output,) = doc["outputs"]
    assert output["value"] == 99.5 and output["grad_fn"] == "MeanBackward0"
    assert output["shape"] == [] and output["dtype"] == "float32"
    assert doc["grads"]["x"] == {"shape": [2, 3], "value": [[3, 4, 5], [6, 7, 8]]}
    names = [n["name"] for n in doc["graph"]["nodes"]]
    assert names == ["MeanBackward0", "MulBackward0", "PowBackward0", "AddBackward0",
                     "AccumulateGrad"]
    assert doc["graph"]["nodes"][1]["next"] == [2, None]
    assert doc["graph"]["nodes"][4]["variable"] == "x"


def test_syntax_error_has_caret_and_exit_3():
    result = run_cli("eval", "mean(3*(x+)^2)", "--at", "x=1")
    assert result.returncode == 3
    lines = result.stderr.splitlines()
    assert lines[0] == "<expr>:1:11: SyntaxError: unexpected ')': expected an expression after '+'"
    assert lines[1].strip() == "mean(3*(x+)^2)"
    assert lines[2].index("^") == lines[1].index(")")
    assert "Traceback" not in result.stderr


def test_unknown_name_exit_1():
    result = run_cli("eval", "mean(z)")
    assert result.returncode == 1
    assert "NameError: name 'z' is not defined" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_at_exit_2():
    for bad in ("1x=3", "x=[[1,2],[3]]"):     # the rest in-process: test_commands.py
        result = run_cli("eval", "x*2", "--at", bad)
        assert result.returncode == 2, (bad, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith("gradcli: --at")


def test_version_and_help():
    assert run_cli("--version").stdout.startswith("gradcli ")
    help_text = run_cli("eval", "--help").stdout
    assert "gradcli eval 'mean(3*(x+2)^2)'" in help_text


def test_missing_file_exit_2():
    result = run_cli("eval", "-f", "no/such/file.grad")
    assert result.returncode == 2
    assert "no such file" in result.stderr


def test_expression_from_stdin():
    result = run_cli("eval", "-", "--at", "x=3", "--json", stdin="x*x\n")
    assert json.loads(result.stdout)["grads"]["x"]["value"] == 6


def test_expression_starting_with_minus():
    result = run_cli("eval", "-x^2", "--at", "x=3", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["outputs"][0]["value"] == -9


# ----- more of the installed command, as a shell user meets it -------------------------------

def test_python_dash_m_gradcli():
    import sys

    from helpers import run_cli as _  # noqa: F401  (same environment as run_cli)
    import subprocess

    result = subprocess.run([sys.executable, "-m", "gradcli", "eval", "-x^2", "--at", "x=3",
                             "--json"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["grads"]["x"]["value"] == -6


def test_no_color_and_pipes():
    for env in ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, {}):
        result = run_cli(*EXAMPLE, env=env)
        assert result.returncode == 0 and "\x1b[" not in result.stdout


def test_check_and_graph_exit_codes_in_a_shell():
    good = run_cli("check", *EXAMPLE[1:], "--expect", "x=[[3,4,5],[6,7,8]]")
    assert good.returncode == 0, good.stdout + good.stderr
    wrong = run_cli("check", *EXAMPLE[1:], "--expect", "x=[[3,4,5],[6,7,8.5]]")
    assert wrong.returncode == 1 and "[1, 2]" in wrong.stdout
    assert run_cli("graph", *EXAMPLE[1:], "--format", "dot").stdout.startswith("digraph")


def test_keep_going_over_stdin_and_files(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("print(undefined)\n")
    result = run_cli("run", str(bad), "-", "--keep-going", stdin="print(1 + 1)\n")
    assert result.returncode == 1 and result.stdout == "2\n"
    assert "bad.py:1:7: NameError: name 'undefined' is not defined" in result.stderr


def test_ctrl_c_exits_130_without_a_traceback():
    import signal
    import subprocess
    import sys
    import time

    if not sys.platform.startswith("linux"):
        pytest.skip("signals as on Linux")
    from helpers import gradcli_command

    process = subprocess.Popen(gradcli_command() + ["eval", "-"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.5)              # started and blocked reading stdin
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err


# What an eval run must not import: torch and pydantic never; the others only cost start-up
# time (numpy.random ~10 ms, Rich's emoji table ~2 ms, `string` compiles a regex on import).
NOT_IMPORTED_BY_EVAL = {"torch", "pydantic", "numpy.random", "rich._emoji_codes", "string"}


@pytest.mark.parametrize("output", [[], ["--json"]], ids=["tables", "json"])
def test_eval_imports_only_what_it_needs(output):
    import subprocess
    import sys

    code = ("import sys\nfrom gradcli.cli.app import main\n"
            f"sys.argv = ['gradcli', 'eval', 'mean(3*(x+2)^2)', '--at', 'x=[1,2]', *{output}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "names = set(sys.modules) | {m.split('.')[0] for m in sys.modules}\n"
            f"print(sorted(names & {NOT_IMPORTED_BY_EVAL}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.strip().endswith("[]"), result.stdout + result.stderr
