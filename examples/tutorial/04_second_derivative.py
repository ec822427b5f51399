# create_graph=True makes the gradient differentiable: d2/dx2 of x^3 is 6x.
import torch

x = torch.tensor(2.0, requires_grad=True)
y = x ** 3
(dy,) = torch.autograd.grad(y, x, create_graph=True)
(d2y,) = torch.autograd.grad(dy, x)
print(dy)
print(d2y)
