"""What a finished run hands to the renderers: plain data, nothing computed here."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ErrorInfo:
    type: str
    message: str
    line: int | None = None
    column: int | None = None


@dataclass
class Report:
    outputs: list = field(default_factory=list)      # (source text, value) per expression stmt
    prints: list = field(default_factory=list)       # what print() wrote, in order
    root: object = None                              # the output tensor whose graph is shown
    grads: dict = field(default_factory=dict)        # leaf name -> leaf tensor
    leaf_names: dict = field(default_factory=dict)   # id(leaf) -> name
    error: ErrorInfo | None = None
