"""Random numbers through the language and the command line: PyTorch's exact printed output for
the tutorial snippets S004-6/7 after `manual_seed(0)` (unmasked, unlike the conformance seeds)
and the same output under `--seed 0`."""

import pytest

from helpers import load_golden, run_cli, run_program

from gradcli.engine import random

GOLDEN = load_golden("random.json")
SEEDED = "import torch\ntorch.manual_seed(0)\n"


@pytest.mark.parametrize("program", GOLDEN["programs"], ids=lambda p: p["name"])
def test_seeded_program_prints_what_pytorch_printed(program):
    outcome = run_program(SEEDED + program["text"])
    assert outcome.error is None
    assert outcome.printed == program["stdout"]


@pytest.mark.parametrize("program", GOLDEN["programs"], ids=lambda p: p["name"])
def test_seed_option_seeds_before_the_program(program, tmp_path):
    path = tmp_path / "snippet.py"
    path.write_text(program["text"], encoding="utf-8")
    result = run_cli("run", "--seed", "0", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == program["stdout"]


def test_without_a_seed_each_run_draws_fresh_numbers(tmp_path):
    path = tmp_path / "fresh.py"
    path.write_text("import torch\nprint(torch.initial_seed(), torch.rand(4).tolist())\n")
    first, second = (run_cli("run", str(path)).stdout for _ in range(2))
    assert first != second


def test_seed_returns_the_new_seed_and_reseeds():
    new_seed = random.seed()
    assert random.initial_seed() == new_seed < 2 ** 53
    values = random.rand(3).tolist()
    random.manual_seed(new_seed)
    assert random.rand(3).tolist() == values


def test_generators_are_independent_streams():
    own = random.Generator().manual_seed(0)
    random.manual_seed(0)
    first = random.randn(20, generator=own).tolist()
    random.rand(7)
    assert random.randn(20).tolist() != first
    random.manual_seed(0)
    assert random.randn(20).tolist() == first


@pytest.mark.parametrize("program", ["x = torch.zeros(3)\nx.bernoulli_(0.5)",
                                     "torch.bernoulli(torch.rand(2), 0.5)"])
def test_bernoulli_with_a_number_p_is_named_as_absent(program):
    outcome = run_program("import torch\n" + program)
    assert "does not reproduce bernoulli with a number p" in str(outcome.error)
