"""The saved-attribute table (gradcli/engine/saved_attributes.py) covers every node kind the
engine makes and each of its entries is checked against PyTorch's recording; a node keeps the
tensors PyTorch's keeps only until the graph is freed, and nothing for nodes whose PyTorch
counterpart saves no tensor."""

import gc
import importlib
import pkgutil
import re
import weakref

import numpy as np
from helpers import load_golden, run_program

import gradcli.engine
from gradcli.engine import saved_attributes
from gradcli.engine.autograd import SavedTensor
from gradcli.engine.ops import INPUT_NAMES, Op
from gradcli.engine.tensor import Tensor


def _engine_rows() -> list:
    """Every op-table row of every engine module."""
    rows = []
    for module_info in pkgutil.iter_modules(gradcli.engine.__path__):
        module = importlib.import_module("gradcli.engine." + module_info.name)
        for table in vars(module).values():
            if isinstance(table, dict):
                rows.extend(row for row in table.values() if isinstance(row, Op))
    return rows


def _engine_grad_fn_names() -> set:
    return {row.grad_fn for row in _engine_rows()}


def test_every_node_kind_of_the_engine_has_an_entry():
    # "" marks comparisons (no node); "NotImplemented" floor_divide's node that only raises
    missing = _engine_grad_fn_names() - set(saved_attributes.SAVED_ATTRIBUTES)
    assert missing == {"", "NotImplemented"}


def test_every_row_has_the_inputs_its_entry_reads():
    # rows sharing a grad_fn name (CopyBackwards, IndexPutBackward0, DivBackward1...) must all
    # have the inputs the entry keeps, or recording their node would fail
    for row in _engine_rows():
        for name, saved in saved_attributes.SAVED_ATTRIBUTES.get(row.grad_fn, {}).items():
            read = [INPUT_NAMES.index(saved.keeps)] if saved.keeps not in (None, "out") else []
            assert max(read + list(saved.when or ()), default=-1) < len(row.grads), (row, name)


def test_every_entry_is_recorded_with_pytorch():
    recorded = {case["name"].removeprefix("torch::autograd::")
                for case in load_golden("saved_tensors.json")["cases"]}
    assert set(saved_attributes.SAVED_ATTRIBUTES) - recorded == set()


def _leaf():
    return Tensor(np.array([[1.0, -2.0, 3.0], [0.5, 2.5, -1.5]], np.float32),
                  requires_grad=True)


def test_a_tensor_kept_for_pytorch_only_is_freed_with_the_graph():
    # gather's backward rule reads only the index; PyTorch's node also keeps `self`
    x = _leaf()
    t = x * 2
    y = t.gather(1, Tensor(np.array([[0, 2], [1, 1]])))
    kept = weakref.ref(t)
    del t
    gc.collect()
    assert kept() is not None and saved_attributes.read(y.grad_fn, "_saved_self") is kept()
    y.sum().backward()
    gc.collect()
    assert kept() is None


def test_a_node_whose_pytorch_node_saves_no_tensor_keeps_none():
    x, w = _leaf(), _leaf()
    for y in (x + w, x - 2, x.sum(), x.reshape(3, 2), x.t(), -x, x.clone()):
        assert not any(isinstance(value, SavedTensor) for value in y.grad_fn._saved.values())


def test_raw_saved_value_prints_as_pytorchs_saved_tensor():
    outcome = run_program("import torch\nx = torch.ones(2, requires_grad=True)\n"
                          "repr((x * x).grad_fn._raw_saved_self)")
    assert re.fullmatch(r"<torch\._C\._autograd\.SavedTensor object at 0x[0-9a-f]+>",
                        outcome.outputs[-1].value)
