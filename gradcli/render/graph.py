"""The backward graph of an output as a list of nodes (ids in breadth-first order from the root),
collected without recursion. Every renderer (table, tree, JSON, DOT, Mermaid, TikZ) reads this
one structure, and the pictures (DOT, Mermaid, TikZ) label, colour and connect its nodes with
the helpers at the end of this module."""

from __future__ import annotations

from collections import deque

from gradcli.engine.reductions import ReturnTypes

COLLAPSED = "…"        # the name of the one node that stands for everything past --max-nodes


class GraphNode:
    """One row of the graph. (A plain class, not a dataclass: see render/report.py.)"""

    __slots__ = ("id", "name", "next", "variable", "node", "shape", "produces", "source",
                 "hidden")

    def __init__(self, id: int, name: str, node=None, source: str | None = None,
                 produces: str | None = None) -> None:
        self.id = id
        self.name = name
        self.next: list = []          # node ids, None where PyTorch has None
        self.variable = None          # the leaf's name, for AccumulateGrad
        self.node = node              # the engine node itself
        self.shape = None             # the shape of the value the node produced
        self.produces = produces      # the program's name for that value (y in y = x*2)
        self.source = source          # the expression that created the node
        self.hidden = 0               # for the collapsed node: how many it stands for


def type_label(value) -> str:
    """The type an output that is not a tensor shows: its class name, and PyTorch's own name
    (`torch.return_types.max`) for the (values, indices) pair of max(dim), sort, topk ..."""
    if isinstance(value, ReturnTypes):
        return f"torch.return_types.{value.name}"
    return type(value).__name__


def node_label(fn) -> str:
    """The class name PyTorch shows for a node (`AccumulateGrad`, `CopySlices`, not their
    `name()`, which carries the C++ namespace). A PyTorch node, which the live tests draw to
    compare graphs, is named by its type."""
    return getattr(fn, "type_name", None) or type(fn).__name__


def source_text(fn) -> str | None:
    """The expression that created a node, as the interpreter recorded it in `node.source`
    (a `SourceOrigin`: `.text` and `.span`), when it did."""
    source = getattr(fn, "source", None)
    return None if source is None else source.text


def source_location(fn) -> tuple[int, int] | None:
    """(line, column) of the expression that created a node, when recorded."""
    source = getattr(fn, "source", None)
    return None if source is None or not source.span.line else (source.span.line,
                                                                 source.span.column)


def _input_shapes(fn) -> tuple:
    """The shapes of a node's inputs, which op-table nodes keep for unbroadcasting: the shape
    of input i is the shape of the value `next_functions[i]` produced."""
    try:
        return tuple(getattr(fn, "shapes", ()))
    except TypeError:
        return ()


def collect_graph(root_fn, leaf_names: dict, *, produced_by: dict | None = None,
                  root_shape: tuple | None = None, max_nodes: int | None = None
                  ) -> list[GraphNode]:
    """Nodes reachable from `root_fn`; `leaf_names` maps id(leaf tensor) -> variable name,
    `produced_by` id(node) -> the name of the program variable holding that node's output.
    Past `max_nodes` nodes, the rest become one collapsed node that counts them."""
    if root_fn is None:
        return []
    produced_by = produced_by or {}
    ids = {id(root_fn): 0}
    nodes = [_entry(0, root_fn, leaf_names, produced_by)]
    nodes[0].shape = root_shape if root_shape is not None else nodes[0].shape
    collapsed: GraphNode | None = None
    queue = deque([root_fn])
    while queue:
        fn = queue.popleft()
        entry = nodes[ids[id(fn)]]
        shapes = _input_shapes(fn)
        for index, (child, _) in enumerate(fn.next_functions):
            if child is None:
                entry.next.append(None)
                continue
            if id(child) not in ids:
                if max_nodes is not None and len(nodes) >= max_nodes:
                    collapsed = collapsed or GraphNode(-1, COLLAPSED)
                    entry.next.append(-1)
                    _count_hidden(child, ids, collapsed)
                    continue
                ids[id(child)] = len(nodes)
                nodes.append(_entry(len(nodes), child, leaf_names, produced_by))
                queue.append(child)
            child_entry = nodes[ids[id(child)]] if ids[id(child)] >= 0 else None
            if child_entry is not None and child_entry.shape is None and index < len(shapes) \
                    and not hasattr(child, "output_shapes"):
                child_entry.shape = tuple(shapes[index])
            entry.next.append(ids[id(child)])
    if collapsed is not None:
        collapsed.id = len(nodes)
        for entry in nodes:
            entry.next = [collapsed.id if i == -1 else i for i in entry.next]
        nodes.append(collapsed)
    return nodes


def _count_hidden(start, ids: dict, collapsed: GraphNode) -> None:
    """Mark every node reachable from `start` not shown yet as hidden (id -1), counting them."""
    if id(start) in ids:
        return
    stack = [start]
    ids[id(start)] = -1
    while stack:
        fn = stack.pop()
        collapsed.hidden += 1
        for child, _ in fn.next_functions:
            if child is not None and id(child) not in ids:
                ids[id(child)] = -1
                stack.append(child)


def _entry(node_id: int, fn, leaf_names: dict, produced_by: dict) -> GraphNode:
    entry = GraphNode(node_id, node_label(fn), node=fn, source=source_text(fn),
                      produces=produced_by.get(id(fn)))
    pieces = set(getattr(fn, "output_shapes", ()))
    if len(pieces) == 1:          # a multi-output node (split) shows its outputs' one shape
        entry.shape = tuple(pieces.pop())
    variable = getattr(fn, "variable", None)
    if variable is not None:
        entry.variable = leaf_names.get(id(variable))
        entry.shape = tuple(variable.shape)
    return entry


def display_name(node: GraphNode) -> str:
    """`AccumulateGrad → x` for a leaf, the grad_fn name otherwise."""
    if node.name == "AccumulateGrad":
        return f"AccumulateGrad → {node.variable or '(unnamed leaf)'}"
    if node.name == COLLAPSED:
        return f"… {node.hidden} more nodes"
    return node.name


def shape_text(shape) -> str:
    return "" if shape is None else "[" + ", ".join(str(n) for n in shape) + "]"


# ----- what every picture shows --------------------------------------------------------------

def compact(tensor) -> str:
    """A small tensor's numbers on one line, in PyTorch's element format: `[3., 4., 5.]`."""
    from gradcli.engine.printing import format_values

    return " ".join(format_values(tensor._data, 0).split())


def label_lines(node: GraphNode, details: dict, *, escape=str, numbers=compact) -> list[str]:
    """The lines a picture shows for a node: what it is, the value it made, shape, and with
    --values `value ...` and `grad ...`. `escape` makes the text safe for the picture's
    language and `numbers` writes a tensor's elements (PyTorch's element format by default)."""
    if node.name == "AccumulateGrad":
        lines = [node.variable or "(unnamed leaf)"]
    else:
        lines = [display_name(node)]
        if node.produces or node.source:
            lines.append(node.produces or node.source)
    if node.shape is not None:
        lines.append(shape_text(node.shape))
    lines = [escape(line) for line in lines]
    for key in ("value", "grad"):
        if key in details.get(node.id, {}):
            lines.append(f"{key} {numbers(details[node.id][key])}")
    return lines


def node_kind(node: GraphNode) -> str:
    """How a picture colours a node: "leaf", "collapsed", "output" (the root) or "op"."""
    if node.name == "AccumulateGrad":
        return "leaf"
    if node.name == COLLAPSED:
        return "collapsed"
    return "output" if node.id == 0 else "op"


def edges(nodes: list):
    """(input id, consumer id) for every edge, node by node in next_functions order; PyTorch's
    None inputs have no edge."""
    for node in nodes:
        for child in node.next:
            if child is not None:
                yield child, node.id
