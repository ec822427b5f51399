"""Record PyTorch 2.13's argument errors of the in-place methods (`x.clamp_([1.0])`,
`x.add_('a')`, `x.exp_(1)`, `x.fill_(value=[1.0])`, ...): the parser's TypeError texts, which
gradcli's in-place variants (engine/inplace.py) reproduce, those of out-of-place clamp, clip,
clamp_min and clamp_max (engine/pointwise.py, the same signatures), and the calls that are
accepted:

    cd /work/main && /work/torchenv/bin/python tests/golden/record_inplace_arguments.py
"""

from program_recording import write

X = "x = torch.tensor([0.5, -1.5, 2.0])\n"
W = "w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\n"

# the methods without arguments (every in-place variant gradcli binds besides those below)
NO_ARGUMENTS = ("neg", "exp", "log", "reciprocal", "abs", "sign", "sqrt", "square", "rsqrt",
                "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "sigmoid",
                "relu", "log1p", "expm1", "log2", "log10", "erf", "zero")

CASES = [
    # clamp_: two signatures with defaulted parameters, which the error never marks as matching
    X + "result = x.clamp_([1.0])",
    X + "result = x.clamp_(min=[1.0])",
    X + "result = x.clamp_(max=[1.0])",
    X + "result = x.clamp_(1.0, [2.0])",
    X + "result = x.clamp_(x, [1.0])",
    X + "result = x.clamp_([1.0], x)",
    X + "result = x.clamp_(1, x)",
    X + "result = x.clamp_(x, 1.0)",
    X + "result = x.clamp_('a')",
    X + "result = x.clamp_((1.0,))",
    X + "result = x.clamp_(1, 2, 3)",
    X + "result = x.clamp_(1.0, max=[2.0])",
    X + "result = x.clamp_(min=1.0, max=[2.0])",
    X + "result = x.clamp_(max=None, min=[1])",
    X + "result = x.clamp_(mn=1.0)",
    X + "result = x.clamp_(None)",
    X + "result = x.clamp_()",
    X + "result = x.clamp_(None, None)",
    X + "x.clamp_(-1, max=None)\nresult = x.tolist()",
    X + "x.clamp_(True)\nresult = x.tolist()",
    X + "x.clamp_(min=torch.zeros(3))\nresult = x.tolist()",
    X + "x.clamp_(torch.zeros(3), torch.ones(3))\nresult = x.tolist()",
    X + "x.clamp_(max=0)\nresult = x.tolist()",
    # clamp_min_ / clamp_max_: required parameters, marked by type
    X + "result = x.clamp_min_([1.0])",
    X + "result = x.clamp_max_([1.0])",
    X + "result = x.clamp_min_(min=[1.0])",
    X + "result = x.clamp_min_('a')",
    X + "result = x.clamp_min_(None)",
    X + "result = x.clamp_max_(None)",
    X + "result = x.clamp_min_(x, x)",
    X + "result = x.clamp_min_()",
    X + "x.clamp_min_(0)\nresult = x.tolist()",
    X + "x.clamp_max_(torch.zeros(3))\nresult = x.tolist()",
    # out-of-place clamp / clip / clamp_min / clamp_max: the same parser; a method's text lists
    # the method's signatures, a function's those with `input` (and never says why)
    X + "result = x.clamp([1.0])",
    X + "result = torch.clamp(x, [1.0])",
    X + "result = x.clamp(min=[1.0])",
    X + "result = torch.clamp(x, min=[1.0])",
    X + "result = x.clamp(1.0, [2.0])",
    X + "result = x.clamp(1.0, max=[2.0])",
    X + "result = x.clamp(max=None, min=[1])",
    X + "result = x.clamp(x, 1.0)",
    X + "result = torch.clamp(x, x, 1.0)",
    X + "result = x.clamp(1, 2, 3)",
    X + "result = torch.clamp(x, mn=1.0)",
    X + "result = torch.clamp([1.0], 1)",
    X + "result = x.clamp()",
    X + "result = torch.clamp(x, None, None)",
    X + "result = x.clip([1.0])",
    X + "result = torch.clip(x, [1.0])",
    X + "result = x.clamp_min([1.0])",
    X + "result = torch.clamp_min(x, [1.0])",
    X + "result = x.clamp_min(min=[1.0])",
    X + "result = x.clamp_min()",
    X + "result = torch.clamp_min(x)",
    X + "result = x.clamp_min(None)",
    X + "result = torch.clamp_max(x, 'a')",
    X + "result = torch.clamp_max(x, max='a')",
    X + "result = x.clamp_max('a')",
    X + "result = x.clamp(True).tolist()",
    X + "result = x.clamp(-1, max=None).tolist()",
    X + "result = torch.clamp(x, min=1).tolist()",
    X + "result = torch.clamp(input=x, max=1).tolist()",
    X + "result = x.clip(x * 0, 1.0 + x * 0).tolist()",
    X + "result = torch.clamp_max(x, max=0).tolist()",
    X + "result = x.clamp_min(torch.zeros(3)).tolist()",
    # requires_grad_: one optional bool, nothing else
    X + "result = x.requires_grad_(True, 1)",
    X + "result = x.requires_grad_(1, 2, 3)",
    X + "result = x.requires_grad_('a')",
    X + "result = x.requires_grad_(1)",
    X + "result = x.requires_grad_(None)",
    X + "result = x.requires_grad_(torch.tensor(True))",
    X + "result = x.requires_grad_(requires_grad='a')",
    X + "result = x.requires_grad_(rg=False)",
    X + "result = x.requires_grad_(False, requires_grad=True)",
    X + "result = torch.arange(3).requires_grad_(1)",
    X + "result = [x.requires_grad_(requires_grad=True).requires_grad, "
        "x.requires_grad_(False).requires_grad, x.requires_grad_().requires_grad]",
    # the binary ops: one plausible signature names the argument
    X + "result = x.add_([1.0])",
    X + "result = x.sub_([1.0])",
    X + "result = x.mul_((1.0,))",
    X + "result = x.div_('a')",
    X + "result = x.add_(None)",
    X + "result = x.add_(other=[1.0])",
    X + "result = x.mul_(other='a')",
    X + "x.add_(other=2)\nresult = x.tolist()",
    X + "result = x.add_(1, alpha=[2])",
    X + "result = x.add_(1, alpha=None)",
    X + "result = x.sub_(1, alpha='a')",
    X + "result = x.add_(1, alpha=x)",
    X + "result = x.add(1, alpha=[2])",
    X + "result = torch.add(x, 1, alpha=[2])",
    X + "result = torch.sub(x, x, alpha=(1,))",
    X + "x.add_(x, alpha=2.5)\nresult = x.tolist()",
    X + "x.sub_(x, alpha=2)\nresult = x.tolist()",
    X + "result = x.pow_([1.0])",
    X + "result = x.pow_(exponent=[1])",
    # fill_ and copy_
    X + "result = x.fill_([1.0])",
    X + "result = x.fill_(value=[1.0])",
    X + "result = x.fill_(x, 1)",
    X + "result = x.fill_()",
    X + "x.fill_(value=2)\nresult = x.tolist()",
    X + "result = x.copy_([1.0])",
    # the parser runs before the leaf check
    W + "result = w.clamp_([1.0])",
    W + "result = w.exp_(1)",
    W + "result = w.clamp_(0, 1)",
] + [X + f"result = x.{name}_(1)" for name in NO_ARGUMENTS] + [
    X + "result = x.exp_(1, 2)",
    X + "result = x.sigmoid_(x)",
    X + "result = x.exp_(a=1)",
]

if __name__ == "__main__":
    write("inplace_arguments", CASES)
