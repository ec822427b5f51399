"""Where a drawn picture (the TikZ one) puts each node of a backward graph.

Layers run from the output (layer 0) to the leaves by the longest path: a node sits one layer
past the deepest node that consumes it, so every edge points from a deeper layer to a shallower
one. Within a layer, nodes are ordered by the mean position of their consumers (ties by where
they stand in those consumers' next_functions), packed left to right at their widths, and the
layer is centred under its consumers. Loops only, no recursion: a 100,000-node chain lays out.
"""

from __future__ import annotations

from gradcli.render.graph import edges


def layers(nodes: list) -> list[int]:
    """Each node's layer: the length of the longest path from the output to it, found in the
    topological order of Kahn's algorithm (a node is placed once all its consumers are)."""
    waiting = [0] * len(nodes)           # consumers (edges into the node) not placed yet
    for child, _ in edges(nodes):
        waiting[child] += 1
    layer = [0] * len(nodes)
    ready = [0] if nodes else []
    while ready:
        node_id = ready.pop()
        for child in nodes[node_id].next:
            if child is None:
                continue
            layer[child] = max(layer[child], layer[node_id] + 1)
            waiting[child] -= 1
            if waiting[child] == 0:
                ready.append(child)
    return layer


def _consumers(nodes: list) -> list[list]:
    """For each node, (consumer id, where the node stands among that consumer's inputs, from 0
    at the first to 1 at the last) per edge into it."""
    found: list[list] = [[] for _ in nodes]
    for node in nodes:
        inputs = [child for child in node.next if child is not None]
        for slot, child in enumerate(inputs):
            found[child].append((node.id, slot / max(len(inputs) - 1, 1)))
    return found


def positions(nodes: list, sizes: list, gap_x: float, gap_y: float) -> list[tuple]:
    """The centre (x, y) of each node, given its (width, height): the output at y = 0, each
    deeper layer above the last with `gap_y` between the tallest nodes of the two, nodes of a
    layer at least `gap_x` apart."""
    layer = layers(nodes)
    rows: list[list] = [[] for _ in range(max(layer, default=-1) + 1)]
    for node_id, depth in enumerate(layer):
        rows[depth].append(node_id)
    consumers = _consumers(nodes)
    x = [0.0] * len(nodes)
    for row in rows[1:]:
        wanted = {}
        for node_id in row:
            edges_in = consumers[node_id]
            wanted[node_id] = (sum(x[c] for c, _ in edges_in) / len(edges_in),
                               sum(slot for _, slot in edges_in) / len(edges_in))
        row.sort(key=lambda node_id: wanted[node_id])
        previous = None
        for node_id in row:
            x[node_id] = wanted[node_id][0]
            if previous is not None:
                least = x[previous] + (sizes[previous][0] + sizes[node_id][0]) / 2 + gap_x
                x[node_id] = max(x[node_id], least)
            previous = node_id
        # packing only pushes right: shift the layer back so that it is centred where wanted
        shift = sum(wanted[n][0] - x[n] for n in row) / len(row)
        for node_id in row:
            x[node_id] += shift
    y = [0.0] * len(nodes)
    level, below = 0.0, 0.0
    for depth, row in enumerate(rows):
        tallest = max(sizes[node_id][1] for node_id in row)
        if depth:
            level += below / 2 + gap_y + tallest / 2
        for node_id in row:
            y[node_id] = level
        below = tallest
    return list(zip(x, y))
