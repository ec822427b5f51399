"""Record PyTorch 2.13's torch.equal, torch.isclose and torch.allclose (functions and methods):
results at nan, inf, -0.0, near the tolerance, across dtypes and broadcasting, and the errors:

    cd /work/main && /work/torchenv/bin/python tests/golden/record_closeness.py
"""

from program_recording import write

HEAD = ("a = torch.tensor([1.0, 2.0, float('nan'), float('inf'), -0.0, 1e-9])\n"
        "b = torch.tensor([1.0, 2.00001, float('nan'), float('inf'), 0.0, -1e-9])\n"
        "i = torch.tensor([1, 2, 3])\n")

EXPRESSIONS = [
    "torch.equal(a, b)", "torch.equal(a, a)", "torch.equal(i, i.clone())", "a.equal(b)",
    "torch.equal(i, torch.tensor([1.0, 2.0, 3.0]))", "torch.equal(i, i[:2])",
    "torch.equal(i, i.reshape(1, 3))", "torch.equal(torch.tensor([]), torch.tensor([]))",
    "torch.equal(a[:2].double(), a[:2])", "torch.equal(i, i > 0)",
    "torch.isclose(a, b).tolist()", "torch.isclose(a, b, equal_nan=True).tolist()",
    "a.isclose(b, atol=0).tolist()", "a.isclose(b, rtol=0, atol=0).tolist()",
    "torch.isclose(a, b, 1e-3, 1e-3).tolist()",
    "torch.isclose(torch.tensor([float('inf')]), torch.tensor([-float('inf')])).tolist()",
    "torch.isclose(i, torch.tensor([1, 3, 3])).tolist()",
    "torch.isclose(i, torch.tensor([1, 3, 30]), rtol=0.5).tolist()",
    "torch.isclose(i, torch.tensor([1, 3, 30]), rtol=0, atol=1).tolist()",
    "torch.isclose(torch.tensor([True, False]), torch.tensor([True, True])).tolist()",
    "torch.isclose(torch.tensor([True, False]), torch.tensor([True, True]), atol=1).tolist()",
    "torch.isclose(a[:2], torch.tensor(1.0)).tolist()",
    "torch.isclose(torch.tensor([[1.0], [2.0]]), torch.tensor([1.0, 2.0])).tolist()",
    "torch.isclose(torch.tensor([100.0]), torch.tensor([100.001]), rtol=1e-5, atol=0).tolist()",
    "torch.isclose(torch.tensor([100.0]), torch.tensor([100.001]), rtol=1e-8, atol=0).tolist()",
    "torch.isclose(torch.tensor([1.0], dtype=torch.float64), "
    "torch.tensor([1.0000000001], dtype=torch.float64)).tolist()",
    "[torch.isclose(a, b).dtype == torch.bool, torch.isclose(a, b).shape == a.shape]",
    "torch.isclose(a * torch.tensor(1.0, requires_grad=True), b).requires_grad",
    "torch.allclose(a, b)", "torch.allclose(a, b, equal_nan=True)", "a.allclose(b, 1e-3)",
    "torch.allclose(a[:2], torch.tensor([[1.0, 2.0], [1.0, 2.0]]))",
    "torch.allclose(torch.tensor([]), torch.tensor([]))", "torch.allclose(i, i, rtol=0.5)",
    "torch.allclose(torch.tensor([1.0, 2.0], requires_grad=True) * 2, torch.tensor([2.0, 4.0]))",
    # errors
    "torch.allclose(i, torch.tensor([1.0, 2.0, 3.0]))",
    "torch.isclose(a.double(), a)", "torch.isclose(torch.tensor([True]), torch.tensor([1]))",
    "torch.allclose(a, b, rtol=-1)", "torch.allclose(a, b, atol=-0.5)",
    "torch.isclose(a, b, rtol=-1e-7)",
    "torch.isclose(a[:2], a[:3])", "torch.allclose(a, 1.0)", "a.allclose(1.0)",
    "torch.equal(a, [1.0])", "a.equal(2)", "torch.isclose([1.0], a)", "a.isclose(None)",
]

CASES = [HEAD + f"result = {expression}\n" for expression in EXPRESSIONS]

if __name__ == "__main__":
    write("closeness", CASES)
