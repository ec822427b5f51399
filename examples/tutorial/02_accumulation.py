# Gradients accumulate across backward calls until you zero them.
import torch

w = torch.ones(2, requires_grad=True)
for step in range(3):
    loss = (w * torch.tensor([1.0, 2.0])).sum()
    loss.backward()
    print(step, w.grad)
w.grad.zero_()
print(w.grad)
