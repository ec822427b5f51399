"""`gradcli graph --format tree|table|dot|mermaid|json|latex`: one collected graph, six pictures
(the TikZ one, `latex`, in render/graph_latex.py).

All of them walk the node list with loops (no recursion), so a 100,000-node chain renders.
DOT, Mermaid and TikZ draw edges from inputs to the node that consumes them, leaves on top and
the output at the bottom, as torchviz's pictures do; leaves are light blue, the output green."""

from __future__ import annotations

from gradcli.render.graph import compact, display_name, edges, label_lines, node_kind, shape_text
from gradcli.render.graph_latex import tikz

FORMATS = ("tree", "table", "dot", "mermaid", "json", "latex")
DOT_COLORS = {"leaf": "lightblue", "output": "darkolivegreen1", "collapsed": "lightgrey",
              "op": "white"}


def tree(nodes: list, details: dict) -> str:
    """An indented tree. A line straight below another at the same indent is its only input,
    so a long chain stays at one indent; branches use ├─ and └─; a node already shown is
    referred to as `↺ #id`."""
    lines, shown = [], set()
    stack = [(0, "", "")]
    while stack:
        node_id, line_prefix, child_prefix = stack.pop()
        node = nodes[node_id]
        label = "  ".join(label_lines(node, details))
        if node_id in shown:
            lines.append(f"{line_prefix}↺ #{node_id} {display_name(node)}")
            continue
        shown.add(node_id)
        lines.append(f"{line_prefix}{label}  #{node_id}")
        children = [i for i in node.next if i is not None]
        if len(children) == 1:
            stack.append((children[0], child_prefix, child_prefix))
            continue
        for position in reversed(range(len(children))):
            last = position == len(children) - 1
            stack.append((children[position], child_prefix + ("└─ " if last else "├─ "),
                          child_prefix + ("   " if last else "│  ")))
    return "\n".join(lines)


def table_rows(nodes: list, details: dict) -> tuple[tuple, list]:
    """Headers and rows of the graph table (a renderer leaves out columns empty everywhere)."""
    headers = ("id", "node", "value of", "shape", "next_functions", "value", "grad")
    rows = []
    for node in nodes:
        inputs = ", ".join("None" if i is None else f"{nodes[i].name} #{i}" for i in node.next)
        known = details.get(node.id, {})
        rows.append((str(node.id), display_name(node), node.produces or node.source or "",
                     shape_text(node.shape), f"({inputs})" if node.next else "",
                     *(compact(known[key]) if key in known else "" for key in ("value", "grad"))))
    return headers, rows


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot(nodes: list, details: dict) -> str:
    out = ["digraph gradcli {",
           '  node [style=filled, shape=box, align=left, fontsize=10, height=0.2, '
           'fontname="monospace"];']
    for node in nodes:
        kind = node_kind(node)
        shape = ", shape=oval" if kind == "leaf" else ""
        label = _dot_string("\n".join(label_lines(node, details)))
        out.append(f"  n{node.id} [label={label}, fillcolor={DOT_COLORS[kind]}{shape}];")
    out.extend(f"  n{child} -> n{consumer};" for child, consumer in edges(nodes))
    out.append("}")
    return "\n".join(out)


def _mermaid_text(text: str) -> str:
    return (text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;")
            .replace(">", "#gt;"))


def mermaid(nodes: list, details: dict) -> str:
    out = ["flowchart BT"]
    for node in nodes:
        label = "<br/>".join(_mermaid_text(line) for line in label_lines(node, details))
        opening, closing = ('(["', '"])') if node_kind(node) == "leaf" else ('["', '"]')
        out.append(f"    n{node.id}{opening}{label}{closing}")
    out.extend(f"    n{child} --> n{consumer}" for child, consumer in edges(nodes))
    leaves = [f"n{n.id}" for n in nodes if node_kind(n) == "leaf"]
    out.append(f"    classDef leaf fill:#add8e6;")
    out.append(f"    classDef output fill:#caff70;")
    if leaves:
        out.append(f"    class {','.join(leaves)} leaf;")
    if nodes:
        out.append("    class n0 output;")
    return "\n".join(out)


def graph_json(nodes: list, details: dict) -> str:
    import json

    from gradcli.render.json_report import SCHEMA_VERSION, graph_to_dict, value_to_json

    graph = graph_to_dict(nodes)
    for entry in graph["nodes"]:
        for key, tensor in details.get(entry["id"], {}).items():
            entry[key] = value_to_json(tensor)
    return json.dumps({"version": SCHEMA_VERSION, "graph": graph}, allow_nan=False,
                      ensure_ascii=False)


TEXT_FORMATS = {"tree": tree, "dot": dot, "mermaid": mermaid, "json": graph_json, "latex": tikz}
