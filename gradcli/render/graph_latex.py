"""`gradcli graph --format latex`: the backward graph as a TikZ picture to paste into a document
that loads `\\usepackage{tikz}` and `\\usetikzlibrary{arrows.meta}` (for the arrow tips).

The picture is laid out here, not by TikZ's graph-drawing library (LuaLaTeX only): layers from
the output at the bottom to the leaves on top, as the DOT and Mermaid pictures stand
(render/graph_layout.py), each node at an absolute position computed from an estimate of its
size in the picture's font. Nodes show what DOT shows (render/graph.py's `label_lines`) with
the user's text escaped and values typeset as `eval --latex` typesets numbers
(render/latex.py). Edges run from each input to the node consuming it, in next_functions order:
one that skips layers passes them beside their nodes, through the layout's bend points, and a
repeated input (`a * a`) gets one bent edge per repetition.

TeX's dimensions stop at 16383.99pt (5.76 m): a chain of more than about 300 nodes does not
compile, which --max-nodes (1000 by default) does not prevent; such a picture is still written,
with a comment saying so.
"""

from __future__ import annotations

from gradcli.render.graph import compact, edges, label_lines, node_kind
from gradcli.render.graph_layout import layout

# Sizes in cm of the node font, \footnotesize\ttfamily (8pt Computer Modern Typewriter: every
# character 4.2pt wide, lines 9.5pt apart), rounded up, plus the node's inner sep and border.
CHAR_WIDTH, LINE_HEIGHT, PADDING = 0.15, 0.34, 0.2
GAP_X, GAP_Y = 0.4, 0.7                 # cm between neighbouring nodes, between layers
BEND = 15                               # degrees of bend per repetition of an edge
ROUNDING = "3mm"                        # of the corners where an edge passes a layer
TEX_LARGEST = 16383.99 / 72.27 * 2.54   # cm: TeX's largest dimension, \maxdimen

HEADER = r"% gradcli graph --format latex (needs \usepackage{tikz}, \usetikzlibrary{arrows.meta})"
OPENING = r"""\begin{tikzpicture}[>={Stealth[length=1.6mm]},
  every node/.style={draw, align=center, font=\footnotesize\ttfamily, inner sep=2pt},
  op/.style={fill=white}, output/.style={fill=green!25},
  leaf/.style={fill=cyan!15, rounded corners=1.2ex}, collapsed/.style={fill=black!10}]"""


def _size(lines: list) -> tuple:
    return (PADDING + CHAR_WIDTH * max(len(line) for line in lines),
            PADDING + LINE_HEIGHT * len(lines))


def _extent(centres: list, sizes: list) -> float:
    """The picture's larger side, in cm."""
    if not centres:
        return 0.0
    sides = []
    for axis in (0, 1):
        low = min(centre[axis] - size[axis] / 2 for centre, size in zip(centres, sizes))
        high = max(centre[axis] + size[axis] / 2 for centre, size in zip(centres, sizes))
        sides.append(high - low)
    return max(sides)


def tikz(nodes: list, details: dict) -> str:
    """The picture of a collected graph; `details` holds --values' small values and gradients."""
    # latex.py (and the syntax tree module it reads) loads only when a picture is drawn: `eval`
    # imports graph_formats, and so this module, for its graph table
    from gradcli.render.latex import numbers_latex, text_escape

    def numbers(tensor) -> str:
        return f"${numbers_latex(compact(tensor))}$"

    sizes = [_size(label_lines(node, details)) for node in nodes]
    placed = layout(nodes, sizes, GAP_X, GAP_Y)
    out = [HEADER, OPENING]
    extent = _extent(placed.centres, sizes)
    if extent > TEX_LARGEST:
        out.insert(1, f"% this picture is {extent:.0f} cm across, past TeX's largest dimension "
                      f"({TEX_LARGEST:.0f} cm): it does not compile; --max-nodes draws fewer nodes")
    for node, (x, y) in zip(nodes, placed.centres):
        # `{}` after each `\\`: a line starting with `[` (a shape) is not its optional argument
        text = r" \\{} ".join(label_lines(node, details, escape=text_escape, numbers=numbers))
        out.append(rf"\node[{node_kind(node)}] (n{node.id}) at ({x:.2f}, {y:.2f}) {{{text}}};")
    drawn: dict = {}
    for (child, consumer), bends in zip(edges(nodes), placed.bends):
        repeats = drawn[child, consumer] = drawn.get((child, consumer), -1) + 1
        style, path = "->", "--"
        if bends:
            style = f"->, rounded corners={ROUNDING}"
            path = "".join(f"-- ({x:.2f}, {y:.2f}) " for x, y in bends) + "--"
        elif repeats:
            path = f"to[bend left={BEND * repeats}]"
        out.append(rf"\draw[{style}] (n{child}) {path} (n{consumer});")
    out.append(r"\end{tikzpicture}")
    return "\n".join(out)
