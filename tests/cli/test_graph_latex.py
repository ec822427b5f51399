"""`gradcli graph --format latex`: the TikZ picture (gradcli/render/graph_latex.py) and its layered
layout (gradcli/render/graph_layout.py): one node and one edge per node and edge of the graph,
in order; escaped text; layers, positions and edges routed around nodes; a 100,000-node chain;
--max-nodes; and, where pdflatex and TikZ are installed, documents that compile."""

import json
import re
import shutil
import subprocess

import pytest

from cli_support import compile_latex, invoke
from test_graph import PROGRAM, _chain
from gradcli.engine.factories import tensor
from gradcli.render import graph_latex
from gradcli.render.graph import collect_graph, edges
from gradcli.render.graph_layout import BENDS_PER_NODE, layers, layout

NODE = re.compile(r"\\node\[(\w+)\] \(n(\d+)\) at \((-?[\d.]+), (-?[\d.]+)\) \{(.*)\};")
POINT = r"\((-?[\d.]+), (-?[\d.]+)\)"
EDGE = re.compile(r"\\draw\[->(?:, rounded corners=3mm)?\] \(n(\d+)\) "
                  rf"((?:-- {POINT} )*)(?:--|to\[bend left=\d+\]) \(n(\d+)\);")
HOSTILE = r"50% & $x_1$ #2 {a} ~ ^ \ "
HOSTILE_ESCAPED = (r"50\% \& \$x\_1\$ \#2 \{a\} \textasciitilde{} \textasciicircum{} "
                   r"\textbackslash{} ")


def picture(*args: str) -> str:
    result = invoke("graph", *args, "--format", "latex")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def parsed(text: str) -> tuple[list, list]:
    """(kind, id, x, y, text) per node and (from, to) per edge, checking every line is one."""
    return parsed_routes(text)[:2]


def parsed_routes(text: str) -> tuple[list, list, list]:
    """`parsed`, and per edge the points (x, y) it passes between its ends."""
    lines = text.rstrip("\n").splitlines()
    assert lines[0] == ("% gradcli graph --format latex (needs \\usepackage{tikz}, "
                        "\\usetikzlibrary{arrows.meta})")
    assert lines[1].startswith(r"\begin{tikzpicture}") and lines[-1] == r"\end{tikzpicture}"
    body = [line for line in lines[1:-1] if line.startswith("\\node") or line.startswith("\\draw")]
    nodes = [NODE.fullmatch(line) for line in body if line.startswith("\\node")]
    found_edges = [EDGE.fullmatch(line) for line in body if line.startswith("\\draw")]
    assert all(nodes) and all(found_edges)
    return ([(m[1], int(m[2]), float(m[3]), float(m[4]), m[5]) for m in nodes],
            [(int(m[1]), int(m[5])) for m in found_edges],
            [[(float(x), float(y)) for x, y in re.findall(POINT, m[2])] for m in found_edges])


def test_one_node_and_one_edge_per_node_and_edge_of_the_graph_in_order():
    text = picture(PROGRAM, "--at", "x=[[1,2,3],[4,5,6]]")
    nodes, drawn = parsed(text)
    doc = invoke("graph", PROGRAM, "--at", "x=[[1,2,3],[4,5,6]]", "--format", "json").stdout
    graph = json.loads(doc)["graph"]["nodes"]
    assert [n[1] for n in nodes] == [n["id"] for n in graph]
    # edges in next_functions order, PyTorch's None (the constant 3) drawing nothing
    assert drawn == [(child, node["id"]) for node in graph for child in node["next"]
                     if child is not None]
    assert [n[0] for n in nodes] == ["output", "op", "op", "op", "leaf"]
    assert nodes[0][4] == r"MeanBackward0 \\{} out \\{} []"
    assert nodes[2][4] == r"MulBackward0 \\{} y * y \\{} [2, 3]"
    assert nodes[4][4] == r"x \\{} [2, 3]"


def test_a_repeated_input_gets_one_bent_edge_per_repetition():
    text = picture("a * a + b", "--at", "a=1", "--at", "b=2")
    assert r"\draw[->] (n3) -- (n1);" in text
    assert r"\draw[->] (n3) to[bend left=15] (n1);" in text
    assert len(parsed(text)[1]) == 4


def test_values_are_typeset_in_math_as_eval_latex_writes_numbers():
    text = picture("log(x) / 0 + x * 1e-5", "--at", "x=[0.0, 1.0, -1.0]", "--values",
                   "--grad-output", "[1, 1, 1]")
    nodes, _ = parsed(text)
    assert nodes[0][4].endswith(r"value $[-\infty, \mathrm{nan}, \mathrm{nan}]$ \\{} "
                                r"grad $[1, 1, 1]$")
    assert r"grad $[\infty, \infty, -\infty]$" in nodes[-1][4]
    small = picture("x * 1e-5", "--at", "x=[1.0, 2.0]", "--values", "--grad-output", "[1, 1]")
    assert r"value $[1.0000 \times 10^{-5}, 2.0000 \times 10^{-5}]$" in small


def test_user_text_is_escaped():
    leaf = tensor(1.0, requires_grad=True)
    nodes = collect_graph(leaf.mul(2).grad_fn, {id(leaf): "x_1"}, produced_by={},
                          root_shape=())
    nodes[0].produces = HOSTILE
    text = graph_latex.tikz(nodes, {})
    assert "{MulBackward0 \\\\{} " + HOSTILE_ESCAPED + " \\\\{} []}" in text
    assert r"{x\_1 \\{} []}" in text


def test_layers_follow_the_longest_path_and_positions_keep_nodes_apart():
    program = "y = a * b + a\nz = y.exp() * a\nz + y"
    graph = collect_graph_of(program, a=1.0, b=2.0)
    depth = layers(graph)
    for node in graph:
        consumers = [c for child, c in edges(graph) if child == node.id]
        assert depth[node.id] == (max(depth[c] for c in consumers) + 1 if consumers else 0)
    sizes = [(1.0 + node.id % 3, 0.5 + node.id % 2) for node in graph]
    placed = layout(graph, sizes, 0.4, 0.7)
    centres = placed.centres
    for i in range(len(graph)):
        for j in range(i + 1, len(graph)):
            if depth[i] == depth[j]:
                apart = abs(centres[i][0] - centres[j][0])
                assert apart >= (sizes[i][0] + sizes[j][0]) / 2 + 0.4 - 1e-9
                assert centres[i][1] == centres[j][1]
            else:                         # the output at the bottom, the leaves on top
                assert (centres[i][1] < centres[j][1]) == (depth[i] < depth[j])
    # an edge passes each layer it skips beside the nodes there, not through them
    for (child, consumer), bends in zip(edges(graph), placed.bends):
        assert len(bends) == depth[child] - depth[consumer] - 1
        for x, y in bends:
            for node_id, (cx, cy) in enumerate(centres):
                if cy == y:
                    assert abs(x - cx) >= sizes[node_id][0] / 2 + 0.4 - 1e-9
    assert sum(len(b) for b in placed.bends) > 0


def test_the_picture_routes_a_skipping_edge_around_the_node_it_passes():
    nodes, drawn, routes = parsed_routes(picture("x * sigmoid(x)", "--at", "x=1"))
    assert drawn == [(1, 0), (2, 0), (1, 2)]           # x, sigmoid(x); sigmoid's x
    assert routes[0] and not routes[1] and not routes[2]
    (x, y), = routes[0]
    sigmoid = nodes[2]
    assert y == sigmoid[3] and abs(x - sigmoid[2]) > 1.0


def test_bend_points_are_limited_to_a_few_per_node():
    # one leaf feeding each of 60 steps: its edges skip 1..59 layers, 1,711 bend points in all
    program = "y = x\nfor i in range(60):\n    y = y * w\ny"
    graph = collect_graph_of(program, x=1.0, w=2.0)
    bends = layout(graph, [(1.0, 0.5)] * len(graph), 0.4, 0.7).bends
    assert 0 < sum(len(b) for b in bends) <= BENDS_PER_NODE * len(graph)
    depth = layers(graph)
    spans = [depth[child] - depth[consumer] for child, consumer in edges(graph)]
    routed = [span for span, points in zip(spans, bends) if points]
    straight = [span for span, points in zip(spans, bends) if span > 1 and not points]
    assert straight and max(routed) <= min(straight)    # the longest edges stay straight
    assert parsed(picture(program, "--at", "x=1", "--at", "w=2"))[1] == list(edges(graph))


def collect_graph_of(program: str, **leaves) -> list:
    """The graph of a program's last expression, built by the engine directly."""
    from gradcli.cli.evaluate import EvalOptions, run_eval
    from gradcli.cli.session import Source, parse_bindings
    from gradcli.lang.builder import build
    from gradcli.lang.parser import parse

    bindings = parse_bindings([f"{name}={value}" for name, value in leaves.items()], [])
    report, _ = run_eval(Source(program, "<expr>"), build(parse(program), program), bindings,
                         EvalOptions())
    return collect_graph(report.root.grad_fn, report.leaf_names,
                         produced_by=report.produced_by)


def test_a_chain_is_one_column_and_siblings_are_centred_under_their_consumer():
    nodes, _ = parsed(picture("mean(3*(x+2)^2)", "--at", "x=[1,2,3]"))
    assert {x for _, _, x, _, _ in nodes} == {0.0}
    nodes, _ = parsed(picture("sum(x * y)", "--at", "x=[1,2]", "--at", "y=[3,4]"))
    assert nodes[2][2] == -nodes[3][2] < 0 and nodes[2][3] == nodes[3][3]


def test_a_hundred_thousand_node_chain_renders_without_recursion():
    x, root = _chain(100_000)
    nodes = collect_graph(root, {id(x): "x"}, root_shape=())
    text = graph_latex.tikz(nodes, {})
    assert text.count("\\node[") == 100_001 and text.count("\\draw[->]") == 100_000
    # a picture this tall is past TeX's largest dimension, and says so
    assert re.fullmatch(r"% this picture is 12\d{4} cm across, past TeX's largest dimension "
                        r"\(576 cm\): it does not compile; --max-nodes draws fewer nodes",
                        text.splitlines()[1])
    assert text.splitlines()[-2] == r"\draw[->] (n100000) -- (n99999);"


def test_max_nodes_collapses_the_rest_into_one_node():
    program = "y = x\nfor i in range(300):\n    y = y * 1.0\ny"
    nodes, drawn = parsed(picture(program, "--at", "x=1", "--max-nodes", "20"))
    assert len(nodes) == 21 and len(drawn) == 20
    assert nodes[-1][0] == "collapsed" and nodes[-1][4] == "… 281 more nodes"
    assert drawn[-1] == (20, 19)


def test_help_lists_the_format():
    assert "latex" in invoke("graph", "--help").stdout


# ----- compiling --------------------------------------------------------------------------------

COMPILER = shutil.which("pdflatex")
TIKZ = COMPILER is not None and subprocess.run(
    ["kpsewhich", "tikz.sty"], capture_output=True, text=True).stdout.strip() != ""


@pytest.mark.skipif(not TIKZ, reason="pdflatex with TikZ is not installed")
def test_documents_with_the_pictures_compile(tmp_path):
    leaf = tensor(1.0, requires_grad=True)
    hostile = collect_graph(leaf.mul(2).grad_fn, {id(leaf): HOSTILE}, produced_by={})
    hostile[0].produces = HOSTILE
    pictures = [picture(PROGRAM, "--at", "x=[[1,2,3],[4,5,6]]", "--values"),
                picture("a * a + b", "--at", "a=1", "--at", "b=2"),
                picture("y = x\nfor i in range(12):\n    y = y * w\ny", "--at", "x=1",
                        "--at", "w=2"),
                picture("log(x) / 0 + x * 1e-5", "--at", "x=[0.0, 1.0, -1.0]", "--values",
                        "--grad-output", "[1, 1, 1]"),
                picture("y = x\nfor i in range(30):\n    y = y * 1.0\ny", "--at", "x=1",
                        "--max-nodes", "8"),
                picture("(x @ W.T).relu().sum() / theta + (W * W).sum()", "--at", "x=[1,2]",
                        "--at", "W=[[1,2],[3,4]]", "--at", "theta=2", "--values"),
                graph_latex.tikz(hostile, {})]
    log = compile_latex(COMPILER, tmp_path, "\\usepackage{tikz}\n\\usetikzlibrary{arrows.meta}\n",
                        "\n\n".join(pictures))
    assert "Missing character" not in log and "Undefined control sequence" not in log
