"""gradcli: a command-line gradient calculator with PyTorch 2.13's autograd on numpy."""

__version__ = "0.1.0"
