"""`gradcli graph`: five formats, Graphviz rendering, --values, deep and big graphs."""

import json
import shutil
import subprocess

import pytest

from cli_support import invoke
from gradcli.engine.factories import tensor
from gradcli.render import graph_formats
from gradcli.render.graph import collect_graph

EXAMPLE = ["mean(3*(x+2)^2)", "--at", "x=[[1,2,3],[4,5,6]]"]
PROGRAM = "y = x + 2\nz = y * y * 3\nout = z.mean()\nout\n"


def test_tree_follows_next_functions():
    result = invoke("graph", *EXAMPLE)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "MeanBackward0  mean(3*(x+2)^2)  []  #0", "MulBackward0  3*(x+2)^2  [2, 3]  #1",
        "PowBackward0  (x+2)^2  [2, 3]  #2", "AddBackward0  (x+2)  [2, 3]  #3", "x  [2, 3]  #4"]


def test_tree_branches_and_shared_nodes():
    result = invoke("graph", "a * b + a", "--at", "a=1", "--at", "b=2")
    assert result.stdout.splitlines() == [
        "AddBackward0  a * b + a  []  #0", "├─ MulBackward0  a * b  []  #1", "│  ├─ a  []  #2",
        "│  └─ b  []  #3", "└─ ↺ #2 AccumulateGrad → a"]


def test_table_and_json_formats():
    table = invoke("graph", PROGRAM, "--at", "x=[[1,2,3],[4,5,6]]", "--format", "table")
    assert "AccumulateGrad → x" in table.stdout and "(MulBackward0 #2, None)" in table.stdout
    doc = json.loads(invoke("graph", *EXAMPLE, "--format", "json").stdout)
    assert doc["version"] == 1
    assert [n["name"] for n in doc["graph"]["nodes"]] == [
        "MeanBackward0", "MulBackward0", "PowBackward0", "AddBackward0", "AccumulateGrad"]
    assert doc["graph"]["nodes"][1]["shape"] == [2, 3]


def test_values_show_small_values_and_gradients():
    doc = json.loads(invoke("graph", PROGRAM, "--at", "x=[[1,2,3],[4,5,6]]", "--values",
                            "--format", "json").stdout)
    nodes = {n.get("value_of") or n.get("variable"): n for n in doc["graph"]["nodes"]}
    assert nodes["y"]["value"] == [[3, 4, 5], [6, 7, 8]]
    assert nodes["y"]["grad"] == [[3, 4, 5], [6, 7, 8]]
    assert nodes["x"]["grad"] == [[3, 4, 5], [6, 7, 8]]
    assert nodes["out"]["value"] == 99.5 and nodes["out"]["grad"] == 1
    tree = invoke("graph", PROGRAM, "--at", "x=[[1,2,3],[4,5,6]]", "--values").stdout
    assert "AddBackward0  y  [2, 3]  value [[3., 4., 5.], [6., 7., 8.]]" in tree
    big = json.loads(invoke("graph", "sum(x)", "--at", "x=ones(10)", "--values",
                            "--format", "json").stdout)
    assert "value" not in big["graph"]["nodes"][1]        # 10 elements: too many to show


def test_dot_and_mermaid_text():
    dot = invoke("graph", PROGRAM, "--at", "x=[[1,2,3],[4,5,6]]", "--format", "dot").stdout
    assert dot.startswith("digraph gradcli {") and dot.rstrip().endswith("}")
    assert 'n0 [label="MeanBackward0\\nout\\n[]", fillcolor=darkolivegreen1];' in dot
    assert 'label="AddBackward0\\ny\\n[2, 3]"' in dot
    assert 'label="x\\n[2, 3]", fillcolor=lightblue, shape=oval' in dot
    assert "n1 -> n0;" in dot
    mermaid = invoke("graph", *EXAMPLE, "--format", "mermaid").stdout
    assert mermaid.startswith("flowchart BT")
    assert 'n4(["x<br/>[2, 3]"])' in mermaid and "n3 --> n2" in mermaid


def test_labels_are_escaped():
    nodes = collect_graph(tensor(1.0, requires_grad=True).mul(2).grad_fn, {}, produced_by={})
    nodes[0].produces = 'say "hi" <b>\\'
    assert 'say \\"hi\\" <b>\\\\' in graph_formats.dot(nodes, {})
    assert "say #quot;hi#quot; #lt;b#gt;" in graph_formats.mermaid(nodes, {})


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
def test_graphviz_renders_the_dot_file(tmp_path):
    dot = invoke("graph", PROGRAM, "--at", "x=[[1,2,3],[4,5,6]]", "--values",
                 "--format", "dot").stdout
    (tmp_path / "g.dot").write_text(dot)
    svg = subprocess.run(["dot", "-Tsvg", str(tmp_path / "g.dot")], capture_output=True,
                         text=True, timeout=60)
    assert svg.returncode == 0, svg.stderr
    assert "<svg" in svg.stdout and "MeanBackward0" in svg.stdout and ">x<" in svg.stdout


class FakeNode:
    """Just what the renderers read from an engine node, so a 100,000-node chain is cheap."""

    def __init__(self, child) -> None:
        self.next_functions = ((child, 0),)

    type_name = "MulBackward0"


class AccumulateGrad:
    type_name = "AccumulateGrad"

    def __init__(self, variable) -> None:
        self.variable = variable
        self.next_functions = ()


def _chain(length: int):
    x = tensor(1.0, requires_grad=True)
    node = AccumulateGrad(x)
    for _ in range(length):
        node = FakeNode(node)
    return x, node


def test_a_hundred_thousand_node_graph_renders_without_recursion():
    x, root = _chain(100_000)
    nodes = collect_graph(root, {id(x): "x"}, root_shape=())
    assert len(nodes) == 100_001
    text = graph_formats.tree(nodes, {})
    assert text.count("\n") == 100_000 and text.endswith("x  []  #100000")
    assert graph_formats.dot(nodes, {}).count("->") == 100_000
    assert graph_formats.mermaid(nodes, {}).count("-->") == 100_000
    assert len(json.loads(graph_formats.graph_json(nodes, {}))["graph"]["nodes"]) == 100_001


def test_max_nodes_collapses_the_rest():
    x, root = _chain(50)
    nodes = collect_graph(root, {id(x): "x"}, max_nodes=10)
    assert len(nodes) == 11
    assert nodes[-1].hidden == 41 and nodes[9].next == [10]
    program = "y = x\nfor i in range(300):\n    y = y * 1.0\ny"
    tree = invoke("graph", program, "--at", "x=1", "--max-nodes", "20").stdout
    assert tree.rstrip().endswith("… 281 more nodes  #20")
    assert len(invoke("graph", program, "--at", "x=1", "--max-nodes", "0").stdout
               .splitlines()) == 301


def test_no_graph_is_an_error():
    result = invoke("graph", "1 + 2")
    assert result.exit_code == 1 and "no grad_fn" in result.stderr


def test_values_of_a_non_scalar_output_need_grad_output():
    doc = json.loads(invoke("graph", "x*2", "--at", "x=[1,2]", "--values", "--grad-output",
                            "[1, 0.5]", "--format", "json").stdout)
    assert doc["graph"]["nodes"][1]["grad"] == [2, 1]
    result = invoke("graph", "x*2", "--at", "x=[1,2]", "--values")
    assert result.exit_code == 1
    assert "grad can be implicitly created only for scalar outputs" in result.stderr
    assert result.stdout.startswith("MulBackward0")          # the graph is still shown
