# no_grad records nothing; detach() gives a tensor outside the graph sharing the same numbers.
import torch

a = torch.tensor([2.0, 3.0], requires_grad=True)
b = a * 2
with torch.no_grad():
    c = a * 2
d = b.detach()
print(b.requires_grad, c.requires_grad, d.requires_grad)
print(b.grad_fn.name(), c.grad_fn)
e = (b * d).sum()
e.backward()
print(a.grad)          # d is a constant: de/da = 2 * d
