"""`gradcli eval --latex`: the fragment of gradcli/render/latex.py through the command line."""

from cli_support import invoke
from test_latex import document


def test_eval_latex_prints_the_fragment():
    result = invoke("eval", "mean(3*(x+2)^2)", "--at", "x=[1,2,3]", "--latex")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == document("mean(3*(x+2)**2)", "x=[1,2,3]")


def test_eval_latex_reports_errors_after_the_fragment():
    result = invoke("eval", "x.sum() @ y", "--at", "x=[1,2]", "--latex")
    assert result.exit_code == 1
    assert "% NameError: name 'y' is not defined" in result.stdout
    assert "NameError: name 'y' is not defined" in result.stderr


def test_json_and_latex_exclude_each_other():
    result = invoke("eval", "x", "--at", "x=1", "--json", "--latex")
    assert result.exit_code == 2 and "--json and --latex: choose one" in result.stderr
