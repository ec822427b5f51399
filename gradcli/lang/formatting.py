"""`str()` and `repr()` of the values a program holds, as Python with PyTorch prints them, without
recursion: a list nested 5,000 deep prints (Python's own `repr` would raise RecursionError)."""

from __future__ import annotations

from gradcli.engine.tensor import Tensor


class _Text:
    """Text to copy as is (brackets, separators); a closing bracket also names the container
    it closes, so that container may appear again later (only a cycle prints as `[...]`)."""

    __slots__ = ("text", "closes")

    def __init__(self, text: str, closes: int | None = None) -> None:
        self.text = text
        self.closes = closes


_COMMA = _Text(", ")
_COLON = _Text(": ")


def _brackets(value) -> tuple[str, str] | None:
    kind = type(value)
    if kind is list:
        return "[", "]"
    if kind is tuple:
        return "(", ",)" if len(value) == 1 else ")"
    if kind is dict:
        return "{", "}"
    return None


def to_repr(value) -> str:
    """`repr(value)`; lists, tuples and dicts are walked with an explicit stack."""
    out: list[str] = []
    open_containers: set[int] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) is _Text:
            out.append(item.text)
            open_containers.discard(item.closes)
            continue
        brackets = _brackets(item)
        if brackets is None:
            out.append(_scalar_repr(item))
            continue
        if id(item) in open_containers:         # a list containing itself prints as [...]
            out.append(brackets[0] + "..." + brackets[1][-1])
            continue
        open_containers.add(id(item))
        out.append(brackets[0])
        stack.append(_Text(brackets[1], id(item)))
        entries = list(item.items()) if type(item) is dict else [(None, v) for v in item]
        for index in range(len(entries) - 1, -1, -1):
            key, element = entries[index]
            stack.append(element)
            if type(item) is dict:
                stack.extend((_COLON, key))
            if index:
                stack.append(_COMMA)
    return "".join(out)


def _scalar_repr(value) -> str:
    if isinstance(value, Tensor):
        from gradcli.engine.printing import format_tensor

        return format_tensor(value)
    return repr(value)


def to_str(value) -> str:
    """`str(value)`: a string is itself, a tensor prints as PyTorch prints it, containers
    show their elements' repr (as Python does)."""
    if type(value) is str:
        return value
    if _brackets(value) is not None:
        return to_repr(value)
    return _scalar_repr(value) if isinstance(value, Tensor) else str(value)
