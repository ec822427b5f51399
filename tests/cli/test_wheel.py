"""The wheel: built from the repository, installed (not editable) into a fresh virtual
environment, run from another directory, it works without the source tree.

The one slow test of the suite. To stay quick it installs the wheel itself with pip and lends
the venv the running interpreter's numpy/typer/rich/lark through a .pth line instead of
downloading them again (the README's install command, run by .ci/run, does the full install);
the declared dependencies are checked in the wheel's metadata."""

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _run(command, **kwargs):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run(command, capture_output=True, text=True, timeout=600, env=env,
                          **kwargs)


def test_wheel_installs_and_runs_outside_the_checkout(tmp_path):
    if not (REPO / "pyproject.toml").exists():
        pytest.skip("not running from a source checkout")
    dist = tmp_path / "dist"
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist),
                  str(REPO)])
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("gradcli-*.whl")

    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
    assert "gradcli/grammar/gradcli.lark" in names
    assert not any(n.startswith(("tests/", "grammar/")) for n in names)
    requires = sorted(line.split(":", 1)[1].strip() for line in metadata.decode().splitlines()
                      if line.startswith("Requires-Dist:") and "extra ==" not in line)
    assert [r.split(">")[0].split("<")[0] for r in requires] == ["lark", "numpy", "rich",
                                                                 "typer"]
    assert any(r.startswith("typer") and "<0.29" in r for r in requires)   # no pydantic

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    installed = _run([sys.executable, "-m", "pip", "--python", str(python), "install",
                      "--no-deps", "-q", str(wheel)])
    assert installed.returncode == 0, installed.stderr
    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    Path(site.stdout.strip(), "borrowed_deps.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = _run([str(env_dir / "bin" / "gradcli"), "eval", "mean(3*(x+2)^2)", "--at",
                   "x=[[1,2,3],[4,5,6]]", "--json"], cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert '"grads": {"x": {"shape": [2, 3], "value": [[3.0, 4.0, 5.0], [6.0, 7.0, 8.0]]}}' \
        in result.stdout
    where = _run([str(python), "-c", "import gradcli; print(gradcli.__file__)"], cwd=elsewhere)
    assert where.stdout.strip().startswith(str(env_dir))
    module = _run([str(python), "-m", "gradcli", "--version"], cwd=elsewhere)
    assert module.returncode == 0 and module.stdout.startswith("gradcli ")
