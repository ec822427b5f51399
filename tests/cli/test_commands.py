"""Every command and option, in-process through Typer's CliRunner."""

import re

import numpy as np
import pytest

from cli_support import documents, invoke

EXAMPLE = ["mean(3*(x+2)^2)", "--at", "x=[[1,2,3],[4,5,6]]"]
PROGRAM = "y = x + 2\nz = y * y * 3\nout = z.mean()\nout\n"


def one(result) -> dict:
    (doc,) = documents(result.stdout)
    return doc


# ----- eval: tables -------------------------------------------------------------------------

def test_eval_tables_show_outputs_graph_and_gradients():
    result = invoke("eval", *EXAMPLE, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "tensor(99.5000, grad_fn=<MeanBackward0>)" in out
    for node in ("MeanBackward0", "MulBackward0 #1", "PowBackward0 #2", "AddBackward0 #3",
                 "AccumulateGrad → x"):
        assert node in out
    assert "tensor([[3., 4., 5.]," in out and "[6., 7., 8.]])" in out
    assert "…" not in out
    wide = invoke("eval", *EXAMPLE, env={"COLUMNS": "120"}).stdout
    assert "(MulBackward0 #1)" in wide and "(AccumulateGrad #4, None)" in wide
    assert "tensor(99.5000, grad_fn=<MeanBackward0>)" in wide


@pytest.mark.parametrize("columns", ["40", "60", "80", "200"])
def test_numbers_are_never_cut_at_any_width(columns):
    values = "[[1.123456,-22.5,3e-5],[4,5,6000000]]"
    result = invoke("eval", "x * 1.5", "--at", f"x={values}", "--grad-output",
                    "ones(2,3)", env={"COLUMNS": columns})
    assert result.exit_code == 0, result.stderr
    assert "…" not in result.stdout
    expected = (np.array([[1.123456, -22.5, 3e-5], [4, 5, 6000000]], dtype=np.float32) * 1.5)
    from gradcli.engine.factories import tensor

    printed = repr(tensor(expected))
    for number in re.findall(r"-?\d+\.\d+e[+-]\d+", printed):
        assert number in result.stdout, (number, result.stdout)
    assert max(len(line) for line in result.stdout.splitlines()) <= int(columns)


def test_user_text_is_never_rich_markup():
    result = invoke("eval", 'print("[bold]x[0][/]")\nx * [2.][0]', "--at", "x=3")
    assert result.exit_code == 0, result.stderr
    assert "[bold]x[0][/]" in result.stdout
    assert "x * [2.][0]" in result.stdout


def test_pipes_get_no_colour_codes_and_no_color_wins_over_force_color():
    plain = invoke("eval", *EXAMPLE)
    assert "\x1b[" not in plain.stdout
    forced = invoke("eval", *EXAMPLE, env={"FORCE_COLOR": "1"})
    assert "\x1b[" in forced.stdout
    for args, env in (((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}),
                      (("--no-color",), {"FORCE_COLOR": "1"})):
        result = invoke("eval", *EXAMPLE, *args, env=env)
        assert "\x1b[" not in result.stdout
        assert "tensor(99.5000, grad_fn=<MeanBackward0>)" in result.stdout


def test_big_tensors_are_summarised_like_pytorch():
    result = invoke("eval", "x * 2", "--at", "x=ones(2000)", "--grad-output", "ones(2000)")
    assert result.exit_code == 0
    assert "tensor([2., 2., 2.,  ..., 2., 2., 2.], grad_fn=<MulBackward0>)" in result.stdout


# ----- eval: JSON and options ---------------------------------------------------------------

def test_json_example_matches_the_spec():
    doc = one(invoke("eval", *EXAMPLE, "--json"))
    assert doc["outputs"][0] == {"source": "mean(3*(x+2)^2)", "shape": [], "dtype": "float32",
                                 "value": 99.5, "requires_grad": True, "is_leaf": False,
                                 "grad_fn": "MeanBackward0"}
    assert doc["grads"] == {"x": {"shape": [2, 3], "value": [[3, 4, 5], [6, 7, 8]]}}
    nodes = doc["graph"]["nodes"]
    assert [n["next"] for n in nodes] == [[1], [2, None], [3], [4, None], []]
    assert nodes[4]["variable"] == "x"


def test_intermediate_names_label_the_graph():
    doc = one(invoke("eval", PROGRAM, "--at", "x=[[1,2,3],[4,5,6]]", "--json"))
    labels = {n["name"]: n.get("value_of") for n in doc["graph"]["nodes"]}
    assert labels["MeanBackward0"] == "out" and labels["AddBackward0"] == "y"
    table = invoke("eval", PROGRAM, "--at", "x=[[1,2,3],[4,5,6]]").stdout
    assert re.search(r"AddBackward0\s+│ y ", table)


def test_at_const_and_unused_note():
    result = invoke("eval", "sum(x * c)", "--at", "x=[1,2]", "--const", "c=[3,4]", "--at",
                    "unused=1", "--json")
    doc = one(result)
    assert set(doc["grads"]) == {"x", "unused"}
    assert doc["grads"]["x"]["value"] == [3, 4] and doc["grads"]["unused"]["value"] is None
    assert "note: unused is bound but never used" in result.stderr


def test_at_values_are_expressions_or_files(tmp_path):
    np.save(tmp_path / "a.npy", np.array([[1, 2], [3, 4]]))
    (tmp_path / "b.csv").write_text("1,2\n3,4\n")
    for value in (f"@{tmp_path / 'a.npy'}", f"@{tmp_path / 'b.csv'}",
                  "ones(2,2)+tensor([[0,1],[2,3]])"):
        doc = one(invoke("eval", "sum(x*x)", "--at", f"x={value}", "--json"))
        assert doc["grads"]["x"]["value"] == [[2, 4], [6, 8]], value
        assert doc["outputs"][0]["value"] == 30 and doc["outputs"][0]["dtype"] == "float32"


def test_pickled_and_bad_data_files_are_usage_errors(tmp_path):
    np.save(tmp_path / "o.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    (tmp_path / "bad.csv").write_text("1,a\n")
    (tmp_path / "x.txt").write_text("1")
    for path in ("o.npy", "bad.csv", "x.txt", "missing.npy", ".", ""):
        result = invoke("eval", "x", "--at", f"x=@{tmp_path / path if path else ''}")
        assert result.exit_code == 2, (path, result.stdout)
        assert result.stderr.startswith("gradcli: --at") and "Traceback" not in result.stderr


def test_grad_output_and_its_error():
    doc = one(invoke("eval", "x * 2", "--at", "x=[1,2]", "--grad-output", "[1, 0.5]", "--json"))
    assert doc["grads"]["x"]["value"] == [2, 1]
    result = invoke("eval", "x * 2", "--at", "x=[1,2]")
    assert result.exit_code == 1
    assert "tensor([2., 4.], grad_fn=<MulBackward0>)" in result.stdout   # printed first
    assert "RuntimeError: grad can be implicitly created only for scalar outputs" in result.stderr


def test_no_backward_dtype_and_precision():
    doc = one(invoke("eval", *EXAMPLE, "--no-backward", "--json"))
    assert doc["grads"]["x"]["value"] is None
    doc = one(invoke("eval", *EXAMPLE, "--dtype", "float64", "--json"))
    assert doc["outputs"][0]["dtype"] == "float64"
    assert "tensor(99.50, grad_fn" in invoke("eval", *EXAMPLE, "--precision", "2").stdout
    assert "tensor(99.5000, grad_fn" in invoke("eval", *EXAMPLE).stdout    # not sticky
    assert invoke("eval", "1", "--dtype", "int8").exit_code == 2


def test_limits_are_options():
    result = invoke("eval", "ones(100, 100)", "--max-elements", "1000")
    assert result.exit_code == 1 and "over the limit of 1,000" in result.stderr
    assert invoke("eval", "ones(100, 100).sum()").exit_code == 0
    loop = "i = 0\nwhile i < 100:\n    i = i + 1\ni"
    result = invoke("eval", loop, "--max-iterations", "10")
    assert result.exit_code == 1 and "10 loop iterations" in result.stderr
    assert one(invoke("eval", loop, "--json"))["outputs"][0]["value"] == 100


def test_expression_starting_with_minus_and_double_dash():
    assert one(invoke("eval", "-x^2", "--at", "x=3", "--json"))["outputs"][0]["value"] == -9
    assert one(invoke("eval", "--at", "x=3", "--json", "--", "-x^2"))["outputs"][0]["value"] == -9


def test_stdin_and_files(tmp_path):
    assert one(invoke("eval", "-", "--at", "x=3", "--json", input="x*x\n"))["grads"]["x"][
        "value"] == 6
    assert one(invoke("eval", "-f", "-", "--at", "x=3", "--json", input="x*x\n"))["outputs"][0][
        "value"] == 9
    a, b = tmp_path / "a.grad", tmp_path / "b.grad"
    a.write_text("x * 2\nsum(x)\n")
    b.write_text("mean(x)\n")
    docs = documents(invoke("eval", "-f", str(a), "-f", str(b), "--at", "x=[1,3]",
                            "--json").stdout)
    assert [len(d["outputs"]) for d in docs] == [2, 1]
    assert [d["grads"]["x"]["value"] for d in docs] == [[1, 1], [0.5, 0.5]]   # fresh leaves


def test_keep_going(tmp_path):
    good, bad, broken = tmp_path / "good.grad", tmp_path / "bad.grad", tmp_path / "broken.grad"
    good.write_text("sum(x)\n")
    bad.write_text("sum(nope)\n")
    broken.write_text("sum(x\n")
    stopped = invoke("eval", "-f", str(bad), "-f", str(good), "--at", "x=1", "--json")
    assert stopped.exit_code == 1 and len(documents(stopped.stdout)) == 1
    assert "--keep-going" in stopped.stderr
    going = invoke("eval", "-f", str(bad), "-f", str(good), "-f", str(broken), "--at", "x=1",
                   "--json", "--keep-going")
    assert going.exit_code == 3
    docs = documents(going.stdout)
    assert [d["ok"] for d in docs] == [False, True, False]
    assert docs[2]["error"]["type"] == "SyntaxError"
    tables = invoke("eval", "-f", str(good), "-f", str(good), "--at", "x=1")
    assert tables.stdout.count(str(good)) == 2          # a heading per input


def test_headings_show_file_names_literally(tmp_path):
    """A file name is text, not Rich markup or an `:emoji:` code."""
    odd = tmp_path / "b[red]:smile:.grad"
    odd.write_text("sum(x)\n")
    result = invoke("eval", "-f", str(odd), "-f", str(odd), "--at", "x=1",
                    env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count(str(odd)) == 2


def test_several_expressions_in_one_input():
    doc = one(invoke("eval", "x * 2; x + 1; sum(x * x)", "--at", "x=[1,2]", "--json"))
    assert [o["source"] for o in doc["outputs"]] == ["x * 2", "x + 1", "sum(x * x)"]
    assert doc["grads"]["x"]["value"] == [2, 4]


def test_trace_table_and_json():
    doc = one(invoke("eval", PROGRAM, "--at", "x=[[1,2,3],[4,5,6]]", "--trace", "--json"))
    steps = doc["trace"]
    assert [s["node"] for s in steps] == ["MeanBackward0", "MulBackward0", "MulBackward0",
                                          "AddBackward0"]
    assert steps[0]["value_of"] == "out" and steps[3]["value_of"] == "y"
    assert steps[0]["grad_in"] == 1 and steps[0]["rules"] == ["d(mean a)/da = 1/n"]
    assert steps[1]["rules"] == ["d(a*b)/da = b"]           # z = (y*y)*3: only a needs grad
    assert steps[2]["rules"] == ["d(a*b)/da = b", "d(a*b)/db = a"]
    assert steps[3]["grads_out"] == [{"to": "x", "grad": [[3, 4, 5], [6, 7, 8]]}]
    table = invoke("eval", PROGRAM, "--at", "x=[[1,2,3],[4,5,6]]", "--trace").stdout
    assert "backward trace" in table and "d(a*b)/db = a" in table and "→ x:" in table


# ----- errors and exit codes ----------------------------------------------------------------

@pytest.mark.parametrize("args, code, text", [
    (["eval", "mean(3*(x+)^2)"], 3, "SyntaxError: unexpected ')'"),
    (["eval", "mean(z)"], 1, "NameError: name 'z' is not defined"),
    (["eval", "x", "--at", "x=[[1,2],[3]]"], 2, "gradcli: --at"),
    (["eval", "x", "--at", "1x=3"], 2, "expected NAME=VALUE"),
    (["eval", "x", "--at", "x"], 2, "expected NAME=VALUE"),
    (["eval", "x", "--at", "x="], 2, "expected NAME=VALUE"),
    (["eval", "x", "--at", "x=[1,"], 2, "gradcli: --at x=[1,:"),
    (["eval", "-f", "no/such/file"], 2, "no such file"),
    (["eval", "-f", "."], 2, "is a directory"),
    (["eval", "1", "-f", "x"], 2, "not both"),
    (["eval", "-"], 2, "empty input"),
    (["graph", "x", "--at", "x=1", "--format", "png"], 2, "--format must be one of"),
    (["check", "x", "--at", "x=1", "--expect", "nonsense"], 2, "expected NAME=VALUE"),
    (["check", "x", "--at", "x=1", "--eps", "0"], 2, "--eps must be positive"),
    (["eval", "1", "--precision", "-1"], 2, "precision"),
    (["frobnicate"], 2, "No such command"),
])
def test_exit_codes_and_one_line_errors(args, code, text):
    result = invoke(*args, input="")
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert text in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_binary_and_invalid_utf8_input(tmp_path):
    (tmp_path / "bin").write_bytes(b"x\0y")
    (tmp_path / "latin").write_bytes(b"x * \xe9")
    (tmp_path / "empty").write_bytes(b"  \n")
    for name, text in (("bin", "binary input"), ("latin", "not valid UTF-8"),
                       ("empty", "empty input")):
        result = invoke("eval", "-f", str(tmp_path / name))
        assert result.exit_code == 2 and text in result.stderr


# ----- help and version ---------------------------------------------------------------------

@pytest.mark.parametrize("command, example", [
    ("eval", "gradcli eval 'mean(3*(x+2)^2)' --at 'x=[[1,2,3],[4,5,6]]'"),
    ("run", "gradcli run snippet.py"),
    ("check", "--expect 'x=[[3,4,5],[6,7,8]]'"),
    ("graph", "--format dot | dot -Tsvg > graph.svg"),
])
def test_every_command_help_has_a_worked_example(command, example):
    result = invoke(command, "--help", env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Example:" in result.stdout and example in result.stdout


def test_version_and_top_level_help():
    from gradcli import __version__

    assert invoke("--version").stdout == f"gradcli {__version__}\n"
    top = invoke("--help").stdout
    for command in ("eval", "run", "check", "graph"):
        assert command in top
    assert "Exit codes" in top


# ----- run ----------------------------------------------------------------------------------

SNIPPET = ("import torch\nx = torch.ones(2, 2, requires_grad=True)\ny = x + 2\nprint(y)\n"
           "out = (y * y * 3).mean()\nout.backward()\nprint(x.grad)\n")
PRINTED = ("tensor([[3., 3.],\n        [3., 3.]], grad_fn=<AddBackward0>)\n"
           "tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])\n")


def test_run_prints_what_pytorch_prints(tmp_path):
    path = tmp_path / "snippet.py"
    path.write_text(SNIPPET)
    result = invoke("run", str(path))
    assert result.exit_code == 0 and result.stdout == PRINTED


def test_run_report_adds_tables_after_the_output(tmp_path):
    path = tmp_path / "snippet.py"
    path.write_text(SNIPPET + "out\n")
    result = invoke("run", str(path), "--report")
    assert result.exit_code == 0
    assert result.stdout.startswith(PRINTED)
    tables = result.stdout[len(PRINTED):]
    assert "outputs" in tables and "MeanBackward0" in tables and "gradients" in tables


def test_run_several_files_and_keep_going(tmp_path):
    one_file, failing = tmp_path / "a.py", tmp_path / "b.py"
    one_file.write_text("print(1)\n")
    failing.write_text("print(2)\nprint(nope)\n")
    assert invoke("run", str(one_file), str(one_file)).stdout == "1\n1\n"
    stopped = invoke("run", str(failing), str(one_file))
    assert stopped.exit_code == 1 and stopped.stdout == "2\n"
    assert "NameError: name 'nope' is not defined" in stopped.stderr
    going = invoke("run", str(failing), str(one_file), "--keep-going")
    assert going.exit_code == 1 and going.stdout == "2\n1\n"
    assert invoke("run", "-", input="print(3)\n").stdout == "3\n"


# ----- --seed -------------------------------------------------------------------------------

def test_seed_is_manual_seed_before_the_bindings_and_the_program():
    seeded = one(invoke("eval", "rand(3)", "--seed", "7", "--json"))["outputs"][0]["value"]
    in_program = one(invoke("eval", "manual_seed(7)\nrand(3)", "--json"))["outputs"][1]["value"]
    assert seeded == in_program
    assert one(invoke("eval", "rand(3)", "--seed", "8", "--json"))["outputs"][0]["value"] != seeded
    bound = one(invoke("eval", "x", "--at", "x=rand(3)", "--seed", "7", "--json"))
    assert bound["outputs"][0]["value"] == seeded


def test_check_sees_the_same_random_numbers_in_every_finite_difference_run():
    for extra in ([], ["--seed", "3"]):
        doc = one(invoke("check", "sum(x * randn(3))", "--at", "x=randn(3)", *extra, "--json"))
        assert doc["check"]["leaves"]["x"]["ok"] is True, doc["check"]


def test_statements_without_a_value_stay_out_of_the_outputs_table():
    program = 'print("hello")\ny = x * 2\ny.sum().backward()\ny'
    result = invoke("eval", program, "--at", "x=[1,2]", env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.stderr
    assert "y.sum().backward()" not in result.stdout and 'print("hello")' not in result.stdout
    assert "printed\nhello\n" in result.stdout
    doc = one(invoke("eval", program, "--at", "x=[1,2]", "--json"))
    assert [o["source"] for o in doc["outputs"]] == ['print("hello")', "y.sum().backward()", "y"]
    assert doc["prints"] == ["hello\n"] and doc["grads"]["x"]["value"] == [2, 2]


def test_long_graphs_and_traces_are_summarised_in_tables():
    program = "y = x\nfor i in range(500):\n    y = y * 1.0\ny"
    result = invoke("eval", program, "--at", "x=1", "--trace", env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "… 301 more nodes" in result.stdout
    assert "… 300 more steps (--json has them all)" in result.stdout
    doc = one(invoke("eval", program, "--at", "x=1", "--trace", "--json"))
    assert len(doc["graph"]["nodes"]) == 501 and len(doc["trace"]) == 500


# ----- run: limits, Python semantics, warnings ------------------------------------------------

LOOP = "i = 0\nwhile i < 100:\n    i += 1\nprint(i)\n"


@pytest.mark.parametrize("report", [[], ["--report"]])
def test_run_keeps_to_max_iterations(tmp_path, report):
    path = tmp_path / "loop.py"
    path.write_text(LOOP)
    stopped = invoke("run", str(path), "--max-iterations", "10", *report)
    assert stopped.exit_code == 1 and "more than 10 loop iterations" in stopped.stderr
    assert invoke("run", str(path), "--max-iterations", "100", *report).stdout.startswith("100\n")


@pytest.mark.parametrize("report", [[], ["--report"]])
def test_run_uses_python_semantics_for_numbers(tmp_path, report):
    path = tmp_path / "divide.py"
    path.write_text("print(7 // 2)\nx = 1 / 0\n")
    result = invoke("run", str(path), *report)
    assert result.exit_code == 1 and result.stdout.startswith("3\n")
    assert "ZeroDivisionError: division by zero" in result.stderr


def test_max_nesting_sets_the_parser_limit(tmp_path):
    path = tmp_path / "nested.py"
    path.write_text("x = ((((1))))\nprint(x)\n")
    deep = invoke("run", str(path), "--max-nesting", "3")
    assert deep.exit_code == 3 and "more than 3 brackets and blocks" in deep.stderr
    assert invoke("run", str(path), "--max-nesting", "4").stdout == "1\n"
    assert invoke("eval", "((x))", "--at", "x=1", "--max-nesting", "1").exit_code == 3
    assert invoke("check", "((x))", "--at", "x=1", "--max-nesting", "1").exit_code == 3
    assert invoke("graph", "((x))", "--at", "x=1", "--max-nesting", "1").exit_code == 3
    assert invoke("eval", "((x))", "--at", "x=1").exit_code == 0          # not sticky


WARNS = ("import torch\nx = torch.ones(2, requires_grad=True)\ny = x * 2\n"
         "for _ in range(2):\n    print(y.grad)\ny.sum()\n")
NON_LEAF_GRAD = "UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor"


def test_run_and_run_report_print_warnings_alike(tmp_path):
    path = tmp_path / "warns.py"
    path.write_text(WARNS)
    plain = invoke("run", str(path))
    reported = invoke("run", str(path), "--report")
    assert plain.stdout == "None\nNone\n" and reported.stdout.startswith("None\nNone\n")
    assert plain.stderr.count(NON_LEAF_GRAD) == 1         # once per message and line
    assert f"{path}:5: {NON_LEAF_GRAD}" in plain.stderr
    assert reported.stderr == plain.stderr


def test_trace_covers_the_programs_own_backward_calls():
    automatic = one(invoke("eval", PROGRAM, "--at", "x=[[1,2,3],[4,5,6]]", "--trace", "--json"))
    own = one(invoke("eval", PROGRAM + "out.backward()\n", "--at", "x=[[1,2,3],[4,5,6]]",
                     "--trace", "--json"))
    assert own["trace"] == automatic["trace"] and own["grads"] == automatic["grads"]
    twice = one(invoke("eval", "y = (x * 3).sum()\ny.backward(retain_graph=True)\n"
                       "torch.autograd.backward(y)\n", "--at", "x=2", "--trace", "--json"))
    assert [step["node"] for step in twice["trace"]] == ["SumBackward0", "MulBackward0"] * 2
    assert twice["grads"]["x"]["value"] == 6.0
    table = invoke("eval", PROGRAM + "out.backward()\n", "--at", "x=1", "--trace").stdout
    assert "backward trace" in table and "d(a*b)/db = a" in table


def test_a_return_types_output_shows_its_type_and_drives_the_graph_from_its_values():
    at = ("--at", "x=[[1,5],[3,2]]")
    doc = one(invoke("eval", "x.max(0)", *at, "--grad-output", "ones(2)", "--json"))
    assert doc["outputs"][0]["dtype"] == "torch.return_types.max"
    assert [node["name"] for node in doc["graph"]["nodes"]] == ["MaxBackward0", "AccumulateGrad"]
    assert doc["grads"]["x"]["value"] == [[0.0, 1.0], [1.0, 0.0]]
    scalar = one(invoke("eval", "x.sum(1).min(0)", *at, "--json"))
    assert scalar["outputs"][0]["dtype"] == "torch.return_types.min"
    assert scalar["graph"]["nodes"][0]["name"] == "MinBackward0"
    assert scalar["grads"]["x"]["value"] == [[0.0, 0.0], [1.0, 1.0]]
    table = invoke("eval", "x.max(0)", *at, "--grad-output", "ones(2)", env={"COLUMNS": "120"})
    assert "torch.return_types.max" in table.stdout and "MaxBackward0" in table.stdout
    graph = invoke("graph", "x.max(0)", *at, "--format", "json")
    assert graph.exit_code == 0 and "MaxBackward0" in graph.stdout
