# Autograd in five lines: a leaf, a function of it, backward, the gradient.
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x ** 2).sum()
y.backward()
print(y)
print(x.grad)          # dy/dx = 2x
print(y.grad_fn.name(), x.is_leaf, y.is_leaf)
