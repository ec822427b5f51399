"""The element limit (gradcli.engine.limits) is checked before an op allocates or walks a tensor:
huge results raise LimitExceeded at once, instead of numpy's MemoryError or a long allocation.
An expanded view is only a view (no memory), so the check falls on what materialises it."""

import pytest

from gradcli.engine import linalg
from gradcli.engine.errors import LimitExceeded
from gradcli.engine.factories import arange, tensor, zeros
from gradcli.engine.joining import cat, stack

BIG = 100_000


def huge_view():
    return tensor([1.0], requires_grad=True).expand(BIG, BIG)    # 1e10 elements, no memory


CASES = {
    "outer": lambda: linalg.outer(zeros(BIG), zeros(BIG)),
    "torch.outer through matmul": lambda: zeros(BIG, 1) @ zeros(1, BIG),
    "mm": lambda: linalg.mm(zeros(BIG, 1), zeros(1, BIG)),
    "batched matmul": lambda: linalg.matmul(zeros(2, BIG, 1), zeros(1, BIG)),
    "broadcast matmul operands": lambda: linalg.matmul(
        zeros(1, 1, 3).expand(BIG, 1000, 3), zeros(BIG, 3, 1)),
    "bmm": lambda: linalg.bmm(zeros(2, BIG, 1), zeros(2, 1, BIG)),
    "repeat": lambda: tensor([1.0]).repeat(BIG, BIG),
    "repeat of a matrix": lambda: zeros(2, 3).repeat(BIG, 1, BIG // 1000),
    "expand then contiguous": lambda: huge_view().contiguous(),
    "expand then a copying reshape": lambda: arange(2.0).expand(30_000_000, 2).t().reshape(-1),
    "expand then cumsum": lambda: huge_view().cumsum(0),
    "expand then amax": lambda: huge_view().amax(1),
    "expand then logsumexp": lambda: huge_view().logsumexp(0),
    "cat": lambda: cat([tensor([1.0]).expand(30_000_000)] * 2),
    "stack": lambda: stack([tensor([1.0]).expand(30_000_000)] * 2),
    "elementwise broadcast": lambda: zeros(BIG, 1) * zeros(1, BIG),
    "elementwise op on an expanded view": lambda: huge_view() + 1,
    "expand then sum": lambda: huge_view().sum(),
    "expand then clone": lambda: huge_view().clone(),
}


@pytest.mark.parametrize("make", CASES.values(), ids=CASES.keys())
def test_over_the_limit_raises_before_allocating(make):
    with pytest.raises(LimitExceeded, match="over the limit of 50,000,000"):
        make()


def test_the_limit_follows_the_setting(monkeypatch):
    from gradcli.engine import limits
    monkeypatch.setattr(limits, "max_elements", 10)
    assert linalg.outer(zeros(2), zeros(5)).shape == (2, 5)
    with pytest.raises(LimitExceeded, match=r"shape \(3, 4\) has 12 elements"):
        linalg.outer(zeros(3), zeros(4))
    with pytest.raises(LimitExceeded):
        cat([zeros(6), zeros(5)])

