"""A long chain of operations backpropagates without touching Python's recursion limit."""

from gradcli.engine.factories import tensor


def test_hundred_thousand_step_chain():
    x = tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y + 1
    y.backward()
    assert y.item() == 100_001.0
    assert x.grad.item() == 1.0


def test_long_chain_through_the_language():
    from helpers import run_program

    text = "x" + "+1" * 20_000
    x = tensor(2.0, requires_grad=True)
    outcome = run_program(text, {"x": x})
    assert outcome.error is None
    outcome.outputs[-1].value.backward()
    assert x.grad.item() == 1.0
