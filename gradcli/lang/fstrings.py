"""f-strings: `f"loss {loss.item():.4f}"`, with each `{expression}` evaluated by the language."""

from __future__ import annotations


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


def render_fstring(template: str, evaluate) -> str:
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
            value = evaluate(expression.strip())
            if conversion == "r":
                value = repr(value)
            elif conversion == "s":
                value = str(value)
            out.append(format(value, spec))
            i = end
        else:
            out.append(ch)
            i += 1
    return "".join(out)
