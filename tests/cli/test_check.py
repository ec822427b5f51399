"""`gradcli check`: finite differences, --expect with SPEC §3.3's tolerance, exit codes."""

import math

import numpy as np
import pytest

from cli_support import documents, invoke
from gradcli.cli.check import Tolerance, agrees, compare, parse_expectation

EXAMPLE = ["mean(3*(x+2)^2)", "--at", "x=[[1,2,3],[4,5,6]]"]
SPEC_RULE = Tolerance()


def one(result) -> dict:
    (doc,) = documents(result.stdout)
    return doc


# ----- the tolerance rule -------------------------------------------------------------------

@pytest.mark.parametrize("written, computed, ok", [
    ("0.1966", 0.19655, True), ("0.1966", 0.19665, True),          # the half-unit edges
    ("0.1966", 0.196549, False), ("0.1966", 0.196651, False),
    ("1.5e-3", 1.45e-3, True), ("1.5e-3", 1.55e-3, True), ("1.5e-3", 1.56e-3, False),
    ("4", 4.000004, True), ("4", 4.00001, False),                  # 1e-6 relative
    ("0", 1e-9, True), ("0", 2e-9, False),                          # 1e-9 absolute
    ("2.", 2.4, True), ("2.", 2.6, False),                          # a unit digit
    ("-0.5", -0.54, True), ("-0.5", -0.56, False),
    ("0.19661193324148185", 0.19661193324148185 * (1 + 5e-7), True),   # not held to digit 17
])
def test_spec_tolerance_for_one_number(written, computed, ok):
    expectation = parse_expectation("x", written, "--expect")
    result = compare(expectation, np.array(computed), SPEC_RULE)
    assert result.ok is ok


def test_each_element_keeps_its_own_written_precision():
    expectation = parse_expectation("x", "[[0.5, 0.25], [1, 0.125]]", "--expect")
    computed = np.array([[0.54, 0.256], [1.0000001, 0.1254]])
    result = compare(expectation, computed, SPEC_RULE)
    assert [m.index for m in result.mismatches] == [(0, 1)]


def test_rtol_and_atol_replace_the_rule():
    assert agrees(1.05, 1.0, None, None, Tolerance(rtol=0.1))
    assert not agrees(1.05, 1.0, None, None, Tolerance(rtol=0.01))
    assert agrees(1.0 + 1e-3, 1.0, None, None, Tolerance(atol=1e-2))
    assert agrees(math.nan, math.nan, None, None, SPEC_RULE)
    assert not agrees(math.inf, 1.0, None, None, SPEC_RULE)


def test_expected_values_may_be_expressions_or_a_scalar():
    expectation = parse_expectation("x", "ones(2,2)*0.5", "--expect")
    assert expectation.half_units is None
    assert compare(expectation, np.full((2, 2), 0.5), SPEC_RULE).ok
    assert compare(parse_expectation("x", "0.5", "--expect"), np.full((2, 2), 0.5), SPEC_RULE).ok
    shape = compare(parse_expectation("x", "[1, 2]", "--expect"), np.ones(3), SPEC_RULE)
    assert not shape.ok and "expected shape [2]" in shape.problem


# ----- the command --------------------------------------------------------------------------

def test_check_passes_with_the_right_gradient():
    result = invoke("check", *EXAMPLE, "--expect", "x=[[3,4,5],[6,7,8]]")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "PASS" in result.stdout and "FAIL" not in result.stdout


def test_check_names_the_elements_that_differ():
    result = invoke("check", *EXAMPLE, "--expect", "x=[[3,4,5],[6,7.5,8]]",
                    env={"COLUMNS": "80"})
    assert result.exit_code == 1
    assert "--expect x: FAIL" in result.stdout
    row = next(line for line in result.stdout.splitlines() if "[1, 1]" in line)
    assert "7.5" in row and "7" in row.replace("7.5", "")
    doc = one(invoke("check", *EXAMPLE, "--expect", "x=[[3,4,5],[6,7.5,8]]", "--json"))
    assert doc["ok"] is False
    assert doc["check"]["expect"]["x"] == {
        "ok": False, "node": "AccumulateGrad",
        "mismatches": [{"index": [1, 1], "expected": 7.5, "computed": 7.0}]}
    assert doc["check"]["leaves"]["x"]["ok"] is True


def test_finite_differences_run_in_float64():
    doc = one(invoke("check", "sum(exp(x) * x^3)", "--at", "x=[0.5, -1.25, 2]", "--json"))
    leaf = doc["check"]["leaves"]["x"]
    assert leaf["ok"] is True and leaf["max_rel"] < 1e-7
    assert doc["outputs"][0]["dtype"] == "float64"
    assert doc["check"]["rtol"] == 1e-5 and doc["check"]["atol"] == 1e-8


def test_finite_differences_catch_a_wrong_gradient_through_the_tolerances():
    # A step as big as 0.5 makes the central difference of x^3 wrong by eps^2 = 0.25.
    doc = one(invoke("check", "sum(x^3)", "--at", "x=[1.0, 2.0]", "--eps", "0.5", "--json"))
    assert doc["check"]["leaves"]["x"]["ok"] is False
    assert doc["check"]["leaves"]["x"]["max_abs"] == pytest.approx(0.25)
    loose = one(invoke("check", "sum(x^3)", "--at", "x=[1.0, 2.0]", "--eps", "0.5",
                       "--atol", "0.3", "--json"))
    assert loose["check"]["leaves"]["x"]["ok"] is True


def test_expect_value_and_grad_output():
    assert invoke("check", *EXAMPLE, "--expect-value", "99.5").exit_code == 0
    result = invoke("check", *EXAMPLE, "--expect-value", "99.4")
    assert result.exit_code == 1 and "--expect-value: FAIL" in result.stdout
    doc = one(invoke("check", "x * x", "--at", "x=[1,2]", "--grad-output", "[1, 1]",
                     "--expect", "x=[2, 4]", "--json"))
    assert doc["ok"] is True and doc["check"]["leaves"]["x"]["ok"] is True


def test_leaves_made_inside_the_program_are_named_in_a_note():
    program = "w = tensor([1., 2.], requires_grad=True)\nsum(w * x)"
    result = invoke("check", program, "--at", "x=[3, 4]", "--expect", "w=[3, 4]", "--json")
    doc = one(result)
    assert set(doc["check"]["leaves"]) == {"x"}
    assert any("w is created inside the program" in n for n in doc["check"]["notes"])
    assert doc["check"]["expect"]["w"]["ok"] is True and result.exit_code == 0


def test_unknown_expect_name_fails():
    doc = one(invoke("check", *EXAMPLE, "--expect", "nothere=1", "--json"))
    assert doc["ok"] is False
    assert "no tensor named nothere" in doc["check"]["expect"]["nothere"]["problem"]


HOMEWORK = "y = x + 2\nz = 3 * y ^ 2\nmean(z)\n"


def test_first_divergence_in_backward_order():
    result = invoke("check", HOMEWORK, "--at", "x=[[1,2,3],[4,5,6]]",
                    "--expect", "x=[[3,4,5],[6,7,9]]",      # wrong, but downstream of z
                    "--expect", "z=0.18",                   # wrong: 1/6 = 0.1667
                    "--expect", "y=[[3,4,5],[6,7,8]]", "--json")
    doc = one(result)
    assert result.exit_code == 1
    assert doc["check"]["first_divergence"] == "z"
    assert list(doc["check"]["expect"]) == ["z", "y", "x"]      # backward order
    assert doc["check"]["expect"]["y"]["ok"] is True
    assert doc["check"]["expect"]["z"]["node"] == "MulBackward0"
    table = invoke("check", HOMEWORK, "--at", "x=[[1,2,3],[4,5,6]]", "--expect", "z=0.2",
                   "--expect", "x=[[3,4,5],[6,7,9]]").stdout
    assert "--expect z: PASS" in table                      # 0.2 means 0.15 ... 0.25
    assert "first divergence in backward order: x at AccumulateGrad" in table


def test_check_with_trace_and_a_runtime_error():
    doc = one(invoke("check", *EXAMPLE, "--trace", "--json"))
    assert [s["node"] for s in doc["trace"]][0] == "MeanBackward0"
    result = invoke("check", "mean(q)", "--at", "x=1")
    assert result.exit_code == 1 and "NameError" in result.stderr


def test_a_program_without_an_output_expression_is_not_differenced():
    result = invoke("check", "y = x * 2", "--at", "x=1", "--json")
    (doc,) = documents(result.stdout)
    assert doc["check"]["leaves"] == {} and "no finite differences" in doc["check"]["notes"][0]
