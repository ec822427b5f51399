"""Printing properties the goldens cannot show on their own: a 10**7-element tensor formats only
its summarised edges, blank lines between blocks grow with the dimension (5-d and 6-d), and the
deepest tensor numpy allows prints without trouble."""

import re

import numpy as np
import pytest

from gradcli.engine import printing
from gradcli.engine.factories import tensor


@pytest.fixture
def formatter_spy(monkeypatch):
    """Counts the values each formatter is built from and how many elements get formatted."""
    seen = {"built_from": [], "formatted": 0}
    real_init, real_format = printing._Formatter.__init__, printing._Formatter.format

    def init(self, values):
        seen["built_from"].append(values.size)
        real_init(self, values)

    def format(self, value):
        seen["formatted"] += 1
        return real_format(self, value)

    monkeypatch.setattr(printing._Formatter, "__init__", init)
    monkeypatch.setattr(printing._Formatter, "format", format)
    return seen


def test_ten_million_elements_format_only_the_edges(formatter_spy):
    text = repr(tensor(np.arange(10 ** 7, dtype=np.float32)))
    assert formatter_spy == {"built_from": [6], "formatted": 6}
    assert text.startswith("tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., ")
    assert text.count("...") == 1


def test_ten_million_elements_in_two_dimensions(formatter_spy):
    text = repr(tensor(np.zeros((2500, 4000), dtype=np.int64)))
    assert formatter_spy == {"built_from": [36], "formatted": 36}
    rows = text.split("\n")
    assert len(rows) == 7 and rows[3] == "        ...,"
    assert all(row.count("...") == 1 for row in rows)


def test_hidden_middle_values_do_not_choose_the_format():
    values = np.ones(2001, dtype=np.float32)
    values[1000] = np.nan
    values[1001] = 1e10
    assert repr(tensor(values)) == "tensor([1., 1., 1.,  ..., 1., 1., 1.])"


@pytest.mark.parametrize("ndim", [3, 4, 5, 6])
def test_blank_lines_between_blocks_grow_with_the_dimension(ndim):
    """Between blocks of a k-dimensional (sub)tensor at depth j: k - 1 newlines, then the
    indent of depth j + 1 (`tensor(` is 7 wide, each level adds 1)."""
    text = repr(tensor(np.arange(2 ** ndim).reshape((2,) * ndim)))
    separators = re.findall(r",(\n+)( *)", text)
    for newlines in range(1, ndim):
        depth = ndim - 1 - newlines
        expected = [("\n" * newlines, " " * (8 + depth))] * 2 ** depth
        assert [s for s in separators if len(s[0]) == newlines] == expected
    assert len(separators) == 2 ** (ndim - 1) - 1


def test_deepest_numpy_tensor_prints():
    """64 dimensions (numpy's cap, which also bounds printing's recursion)."""
    text = repr(tensor(np.full((1,) * 64, 2.5, dtype=np.float32)))
    assert text == "tensor(" + "[" * 64 + "2.5000" + "]" * 64 + ")"
