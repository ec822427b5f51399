"""The examples folder works as the README says: tutorial snippets print what PyTorch printed
(recorded by record_examples.py), every homework answer checks out, every expression file runs.

Example files carry their bindings and answers in comments: `# at: x=...`, `# const: c=...`,
`# expect: x=...`."""

import json
import re
from pathlib import Path

import pytest

from cli_support import documents, invoke, validate

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GOLDEN = json.loads(Path(__file__).with_name("examples_golden.json").read_text("utf-8"))
DIRECTIVE = re.compile(r"^# (at|const|expect): (.+)$", re.MULTILINE)


def options_of(path: Path, wanted=("at", "const", "expect")) -> list:
    return [part for kind, value in DIRECTIVE.findall(path.read_text("utf-8"))
            if kind in wanted for part in (f"--{kind}", value)]


@pytest.mark.parametrize("name", sorted(GOLDEN["cases"]))
def test_tutorial_snippet_prints_what_pytorch_printed(name):
    expected = GOLDEN["cases"][name]
    result = invoke("run", str(EXAMPLES / "tutorial" / name))
    assert result.exit_code == expected["returncode"], result.stderr
    assert result.stdout == expected["stdout"]


def test_every_tutorial_snippet_is_recorded():
    assert sorted(p.name for p in (EXAMPLES / "tutorial").glob("*.py")) == sorted(GOLDEN["cases"])


HOMEWORK = sorted((EXAMPLES / "homework").glob("*.grad"))


@pytest.mark.parametrize("path", HOMEWORK, ids=lambda p: p.name)
def test_homework_answers_check_out(path):
    result = invoke("check", "-f", str(path), *options_of(path), "--json")
    (doc,) = documents(result.stdout)
    validate(doc)
    assert result.exit_code == 0, json.dumps(doc["check"], indent=1)
    assert doc["check"]["expect"] and all(e["ok"] for e in doc["check"]["expect"].values())


def test_a_wrong_homework_answer_is_caught():
    path = EXAMPLES / "homework" / "05_chain_by_hand.grad"
    options = [o.replace("2.9067, 1.6209", "2.9067, 1.7209") for o in options_of(path)]
    result = invoke("check", "-f", str(path), *options, "--json")
    (doc,) = documents(result.stdout)
    assert result.exit_code == 1 and doc["check"]["first_divergence"] == "y"


@pytest.mark.parametrize("path", sorted((EXAMPLES / "expressions").glob("*.grad"))
                         + [EXAMPLES / "homework.grad"], ids=lambda p: p.name)
def test_expression_files_evaluate(path):
    options = options_of(path, ("at", "const")) or ["--at", "x=[[1,2,3],[4,5,6]]"]
    result = invoke("eval", "-f", str(path), *options, "--json")
    assert result.exit_code == 0, result.stderr
    (doc,) = documents(result.stdout)
    validate(doc)
    assert all(g["value"] is not None for g in doc["grads"].values())
