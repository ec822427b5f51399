"""The backward graph of an output as a list of nodes (ids in breadth-first order from the root),
collected without recursion. Every renderer (table, JSON, DOT...) reads this one structure."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field


@dataclass
class GraphNode:
    id: int
    name: str
    next: list = field(default_factory=list)     # node ids, None where PyTorch has None
    variable: str | None = None                  # the leaf's name, for AccumulateGrad
    node: object = None                          # the engine node itself


def node_label(fn) -> str:
    """The class name PyTorch shows for a node (`AccumulateGrad`, not its `name()`)."""
    return type(fn).__name__ if type(fn).__name__ == "AccumulateGrad" else fn.name()


def collect_graph(root_fn, leaf_names: dict) -> list[GraphNode]:
    """Nodes reachable from `root_fn`; `leaf_names` maps id(leaf tensor) -> variable name."""
    if root_fn is None:
        return []
    ids = {id(root_fn): 0}
    nodes = [GraphNode(0, node_label(root_fn), node=root_fn)]
    queue = deque([root_fn])
    while queue:
        fn = queue.popleft()
        entry = nodes[ids[id(fn)]]
        variable = getattr(fn, "variable", None)
        if variable is not None:
            entry.variable = leaf_names.get(id(variable))
        for child, _ in fn.next_functions:
            if child is None:
                entry.next.append(None)
                continue
            if id(child) not in ids:
                ids[id(child)] = len(nodes)
                nodes.append(GraphNode(len(nodes), node_label(child), node=child))
                queue.append(child)
            entry.next.append(ids[id(child)])
    return nodes
