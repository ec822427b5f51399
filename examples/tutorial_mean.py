# The PyTorch tutorial's first autograd example: out = mean(3*(x+2)^2).
import torch

x = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
y = x + 2
z = y * y * 3
out = z.mean()
print(x)
print(out)
out.backward()
print(x.grad)
