"""f-strings: `f"loss {loss.item():.4f}"`, with each `{expression}` evaluated by the language."""

from __future__ import annotations

from gradcli.engine.tensor import Tensor
from gradcli.lang.formatting import to_repr, to_str


def _split_field(field: str) -> tuple[str, str | None, str]:
    """`expr!r:spec` -> (expr, conversion, spec), ignoring ':' and '!' inside brackets/strings."""
    depth = 0
    quote = None
    for i, ch in enumerate(field):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and ch == "!" and field[i + 1:i + 2] != "=":
            rest = field[i + 1:]
            conversion, _, spec = rest.partition(":")
            return field[:i], conversion, spec
        elif depth == 0 and ch == ":":
            return field[:i], None, field[i + 1:]
    return field, None, ""


def render_fstring(template: str, evaluate, guard) -> str:
    """The f-string's text with each field evaluated; `{x=}` shows the expression too, and
    format specs are checked by `guard` (a width of 10**9 would pad a gigabyte)."""
    out = []
    i = 0
    while i < len(template):
        ch = template[i]
        if ch == "{" and template[i + 1:i + 2] == "{":
            out.append("{")
            i += 2
        elif ch == "}" and template[i + 1:i + 2] == "}":
            out.append("}")
            i += 2
        elif ch == "{":
            end = i + 1
            depth = 1
            while end < len(template) and depth:
                depth += {"{": 1, "}": -1}.get(template[end], 0)
                end += 1
            if depth:
                raise ValueError("f-string: expecting '}'")
            expression, conversion, spec = _split_field(template[i + 1:end - 1])
            if "{" in spec:         # a nested field in the spec: `{x:{width}}`
                spec = render_fstring(spec, evaluate, guard)
            guard.check_format_spec(spec)
            label = ""
            if expression.rstrip().endswith("=") and not expression.rstrip().endswith(
                    ("==", "!=", "<=", ">=")):
                label = expression
                expression = expression.rstrip()[:-1]
                conversion = conversion or ("r" if not spec else None)
            value = evaluate(expression.strip())
            if conversion == "r":
                value = to_repr(value)
            elif conversion == "s" or (not spec and conversion is None
                                       and not isinstance(value, Tensor)):
                value = to_str(value)   # a tensor formats itself: a 0-d one as its number
            out.append(label + format(value, spec))
            i = end
        else:
            out.append(ch)
            i += 1
    return "".join(out)
