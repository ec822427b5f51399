"""Where a drawn picture (the TikZ one) puts each node of a backward graph, and where its edges
bend.

Layers run from the output (layer 0) to the leaves by the longest path: a node sits one layer
past the deepest node that consumes it, so every edge points from a deeper layer to a shallower
one. An edge that skips layers (x in `x * sigmoid(x)`) passes each layer it crosses through a
bend point of its own, which takes a place in that layer like a node of no width, so the edge
goes around the nodes there instead of through them (Sugiyama's dummy nodes). Bend points are
given to the shortest such edges first, at most BENDS_PER_NODE times as many as the graph has
nodes: where one leaf feeds every step of a long chain (the sum of its edges' spans grows as
the square of the chain's length), the longest edges stay straight.

Within a layer, nodes are ordered by the mean position of their consumers (ties by where they
stand in those consumers' next_functions), packed left to right at their widths, and the layer
is centred where its nodes want to be. Loops only, no recursion: a 100,000-node chain lays out.
"""

from __future__ import annotations

from gradcli.render.graph import edges

BENDS_PER_NODE = 4


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


class Layout:
    """The centre (x, y) of each node, and per edge (in `edges(nodes)` order) the bend points
    it passes from the input to the consumer (none for an edge between adjacent layers)."""

    __slots__ = ("centres", "bends")

    def __init__(self, centres: list, bends: list) -> None:
        self.centres = centres
        self.bends = bends


def layout(nodes: list, sizes: list, gap_x: float, gap_y: float) -> Layout:
    """Given each node's (width, height): the output at y = 0, each deeper layer above the last
    with `gap_y` between the tallest nodes of the two, neighbours in a layer `gap_x` apart."""
    layer = layers(nodes)
    # points: the nodes, then the bend points; each with its layer, size and the points it
    # leads to (consumer, slot), slot from 0 (first input of that consumer) to 1 (last)
    layer_of, size_of = list(layer), list(sizes)
    consumers: list[list] = [[] for _ in nodes]
    found = list(edges(nodes))
    slot_of = _slots(nodes)
    bends: list[list] = [[] for _ in found]
    spans = [layer[child] - layer[consumer] for child, consumer in found]
    budget = BENDS_PER_NODE * len(nodes)
    for index in sorted(range(len(found)), key=spans.__getitem__):
        child, consumer = found[index]
        span = spans[index]
        if span > 1 and span - 1 <= budget:
            budget -= span - 1
            for depth in range(layer[consumer] + 1, layer[child]):
                layer_of.append(depth)
                size_of.append((0.0, 0.0))
                consumers.append([(consumer, slot_of[index])])
                consumer = len(layer_of) - 1
                bends[index].append(consumer)
            bends[index].reverse()          # from the input's end to the consumer's
        consumers[child].append((consumer, slot_of[index]))
    x = _columns(layer_of, size_of, consumers, gap_x)
    y = _levels(layer_of, size_of, gap_y)
    return Layout(list(zip(x[:len(nodes)], y[:len(nodes)])),
                  [[(x[p], y[p]) for p in points] for points in bends])


def _slots(nodes: list) -> list:
    """Per edge, in `edges` order: where the input stands among its consumer's inputs (0..1)."""
    slots = []
    for node in nodes:
        count = sum(child is not None for child in node.next)
        slots.extend(position / max(count - 1, 1) for position in range(count))
    return slots


def _rows(layer_of: list) -> list:
    rows: list[list] = [[] for _ in range(max(layer_of, default=-1) + 1)]
    for point, depth in enumerate(layer_of):
        rows[depth].append(point)
    return rows


def _columns(layer_of: list, size_of: list, consumers: list, gap_x: float) -> list:
    x = [0.0] * len(layer_of)
    for row in _rows(layer_of)[1:]:
        wanted = {}
        for point in row:
            leads_to = consumers[point]
            wanted[point] = (sum(x[c] for c, _ in leads_to) / len(leads_to),
                             sum(slot for _, slot in leads_to) / len(leads_to))
        row.sort(key=lambda point: wanted[point])
        previous = None
        for point in row:
            x[point] = wanted[point][0]
            if previous is not None:
                least = x[previous] + (size_of[previous][0] + size_of[point][0]) / 2 + gap_x
                x[point] = max(x[point], least)
            previous = point
        # packing only pushes right: shift the layer back so that it is centred where wanted
        shift = sum(wanted[p][0] - x[p] for p in row) / len(row)
        for point in row:
            x[point] += shift
    return x


def _levels(layer_of: list, size_of: list, gap_y: float) -> list:
    y = [0.0] * len(layer_of)
    level, below = 0.0, 0.0
    for depth, row in enumerate(_rows(layer_of)):
        tallest = max(size_of[point][1] for point in row)
        if depth:
            level += below / 2 + gap_y + tallest / 2
        for point in row:
            y[point] = level
        below = tallest
    return y
