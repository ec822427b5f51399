"""Every --json document is valid JSON in the version 1 schema, over 100+ inputs: values of
every dtype and shape, non-finite numbers, errors of each kind, programs, check and trace."""

import itertools
import json

import pytest

from cli_support import SchemaError, documents, invoke, validate

BINDINGS = ["x=2", "x=[1,2,3]", "x=[[1,2,3],[4,5,6]]", "x=[[-1.5],[0.25]]"]
EXPRESSIONS = [
    "x", "x*2", "2*x", "x+x", "x-1", "1-x", "x/3", "3/x", "-x", "x^2", "x**3", "2^x", "x*x*x",
    "sum(x)", "mean(x)", "sum(x*x)", "mean(3*(x+2)^2)", "exp(x)", "log(x)", "abs(x)",
    "x.sum()", "x.mean()", "(x+1)*(x-1)", "x > 0", "x.detach()",
]
OTHER_CASES = [
    ["1/0"], ["0/0"], ["-1/0"], ["log(zeros(2)-1)", "--at", "z=1"],
    ["tensor([1, 2, 3])"], ["tensor([True, False])"], ["tensor([[0.1, 0.2]])"],
    ["2+3"], ["'a string'"], ["None"], ["(1, 2)"],
    ["mean(3*(x+)^2)"], ["mean(z)"], ["x*2", "--at", "x=[1,2]"],
    ["x*2", "--at", "x=[1,2]", "--grad-output", "[1,1]"],
    ["x*2", "--at", "x=[1,2]", "--grad-output", "[1,1,1]"],
    ["y = x * 2\ny.sum()\nprint(y)", "--at", "x=[1,2]"],
    ["sum(x)", "--at", "x=[1,2]", "--const", "c=3"],
    ["sum(x*c)", "--at", "x=[1,2]", "--const", "c=3", "--dtype", "float64"],
    ["mean(x)", "--at", "x=[1,2]", "--no-backward"],
    ["mean(x*x)", "--at", "x=[1,2]", "--trace"],
    ["tensor(0.1, dtype=torch.float32)"], ["tensor(0.1, dtype=torch.float64)"],
    ["x.backward()", "--at", "x=[1,2]"],
]
CHECK_CASES = [
    ["mean(3*(x+2)^2)", "--at", "x=[[1,2,3],[4,5,6]]", "--expect", "x=[[3,4,5],[6,7,8]]"],
    ["mean(3*(x+2)^2)", "--at", "x=[[1,2,3],[4,5,6]]", "--expect", "x=[[3,4,5],[6,7,9]]"],
    ["sum(x*x)", "--at", "x=[1,2]", "--expect-value", "5", "--trace"],
    ["sum(x*x)", "--at", "x=[1,2]", "--expect", "x=[2,4,6]"],
]

CASES = ([["eval", e, "--at", b] for e, b in itertools.product(EXPRESSIONS, BINDINGS)]
         + [["eval", *case] for case in OTHER_CASES]
         + [["check", *case] for case in CHECK_CASES])


def test_there_are_over_a_hundred_cases():
    assert len(CASES) > 100


@pytest.mark.parametrize("args", CASES, ids=lambda args: " ".join(args)[:60])
def test_document_is_valid(args):
    result = invoke(*args, "--json")
    assert result.exit_code in (0, 1, 3), result.stderr
    docs = documents(result.stdout)
    assert len(docs) == 1
    validate(docs[0])
    # strict JSON: the standard library's parser in strict mode accepts it, NaN is spelled out
    json.loads(result.stdout, parse_constant=lambda name: pytest.fail(f"bare {name}"))
    assert docs[0]["ok"] is (result.exit_code == 0)
    assert "Traceback" not in result.stderr


def test_validator_rejects_broken_documents():
    good = documents(invoke("eval", "x*2", "--at", "x=[1,2]", "--grad-output", "[1,1]",
                            "--json").stdout)[0]
    validate(good)
    broken = [dict(good, version=2), {k: v for k, v in good.items() if k != "grads"},
              dict(good, ok=False), dict(good, extra=1),
              dict(good, grads={"x": {"shape": [2], "value": [1.0]}}),
              dict(good, outputs=[dict(good["outputs"][0], shape=[3])])]
    for doc in broken:
        with pytest.raises(SchemaError):
            validate(doc)


def test_non_finite_numbers_are_strings():
    doc = documents(invoke("eval", "tensor([1., 0., -1.]) / 0", "--json").stdout)[0]
    assert doc["outputs"][0]["value"] == ["inf", "nan", "-inf"]


def test_float32_is_the_shortest_round_trip_decimal():
    doc = documents(invoke("eval", "tensor([0.1, 1/3, 2.5e-8])", "--json").stdout)[0]
    assert doc["outputs"][0]["value"] == [0.1, 0.33333334, 2.5e-08]
    doc64 = documents(invoke("eval", "tensor([0.1, 1/3])", "--dtype", "float64",
                             "--json").stdout)[0]
    assert doc64["outputs"][0]["value"] == [0.1, 1 / 3]


def test_ints_and_bools_keep_their_json_types():
    doc = documents(invoke("eval", "tensor([1, 2]) > 1", "--json").stdout)[0]
    assert doc["outputs"][0]["value"] == [False, True]
    doc = documents(invoke("eval", "tensor([1, 2]) * 3", "--json").stdout)[0]
    assert doc["outputs"][0]["value"] == [3, 6] and doc["outputs"][0]["dtype"] == "int64"
