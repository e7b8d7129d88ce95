"""The cell-kind table is the one source of what a kind is, and it matches torch.

Every row's step function, torch class and fused kernel exist; its gate count is the
number of row blocks in torch's weights; its sigmoid gates are the ones whose recorded
values lie in [0, 1]. And a new kind really is one row plus its step function: a copy of
the package with a minimal gated unit added that way records, intervenes and trains.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

import explainer
from explainer.kinds import KIND, KINDS_TABLE, MODES
from explainer.models import Recurrent, cells
from explainer.models.resolve import fused_kernel, step, torch_class
from explainer.models.spec import CoreSpec

ROWS = [k.name for k in KINDS_TABLE]


@pytest.mark.parametrize("name", ROWS)
def test_every_row_names_things_that_exist(name):
    row = KIND[name]
    assert callable(getattr(cells, row.step)), f"explainer.models.cells.{row.step}"
    assert issubclass(getattr(torch.nn, row.torch_class), torch.nn.RNNBase)
    assert getattr(torch._VF, row.fused) is fused_kernel(name)
    assert torch_class(name) is getattr(torch.nn, row.torch_class)
    assert step(name).func is getattr(cells, row.step)
    assert row.sigmoid <= set(row.gates), "sigmoid gates are gates of the kind"


@pytest.mark.parametrize("name", ROWS)
def test_gate_count_is_the_number_of_weight_blocks_torch_holds(name):
    row = KIND[name]
    kwargs = {"nonlinearity": row.nonlinearity} if row.nonlinearity else {}
    module = torch_class(name)(3, 5, **kwargs)
    assert module.weight_ih_l0.shape[0] == row.gate_count * 5
    assert module.weight_hh_l0.shape[0] == row.gate_count * 5
    assert MODES[module.mode] == name and CoreSpec.of(module).kind == name
    assert type(Recurrent.from_torch(module).to_torch()) is type(module)


@pytest.mark.parametrize("name", ROWS)
def test_sigmoid_gates_lie_in_zero_one_and_the_others_are_signed(name):
    row = KIND[name]
    kwargs = {"nonlinearity": row.nonlinearity} if row.nonlinearity else {}
    module = torch_class(name)(3, 16, **kwargs)
    with torch.no_grad():
        for p in module.parameters():
            p.mul_(4)  # push the pre-activations wide, so tanh gates go negative
    trace = explainer.record(module, torch.randn(30, 4, 3) * 3)
    for letter in row.gates:
        values = trace[f"layers.0.gates.{letter}"]
        if letter in row.sigmoid:
            assert values.min() >= 0 and values.max() <= 1, letter
        else:
            assert values.min() < -0.1 and values.max() > 0.1, letter
    assert ("layers.0.c" in trace.names) == row.has_cell


def test_projection_and_nonlinearity_come_from_the_table():
    assert [k.name for k in KINDS_TABLE if k.projection] == ["lstm"]
    assert {k.name: k.nonlinearity for k in KINDS_TABLE if k.nonlinearity} == {"rnn_tanh": "tanh", "rnn_relu": "relu"}


NEW_ROW = '''    CellKind("mgu", ("f", "n"), frozenset("f"), False, "mgu_step", None, None),
'''

NEW_STEP = '''

def mgu_step(xw, h, c, w, tap=no_tap):
    """The minimal gated unit: f = σ(·), n = tanh(W_n x + f ⊙ (U_n h)), h_t = (1 - f) ⊙ h + f ⊙ n."""
    xf, xn = xw.chunk(2, dim=-1)
    hf, hn = _hidden_term(h, w).chunk(2, dim=-1)
    f = tap("gates.f", torch.sigmoid(xf + hf))
    n = tap("gates.n", torch.tanh(xn + f * hn))
    return tap("h", (1 - f) * h + f * n), None
'''

USE_IT = '''
import numpy as np, torch, explainer
assert explainer.__file__.startswith(%r), explainer.__file__
from explainer.models import Recurrent
from explainer.training import preset_config, train

torch.manual_seed(0)
core = Recurrent("MGU", 3, 4, num_layers=2, bidirectional=True)
x = torch.randn(6, 2, 3)
trace = explainer.record(core, x)
assert trace.names[:4] == ["input", "layers.0.h", "layers.0.gates.f", "layers.0.gates.n"], trace.names
assert 0 <= trace["layers.1.reverse.gates.f"].min() and trace["layers.1.reverse.gates.f"].max() <= 1
out, _ = core(x)
np.testing.assert_allclose(trace["layers.1.h"], out[..., :4].detach().transpose(0, 1).numpy(), atol=1e-6)
held = explainer.record(core, x, intervene={"layers.0.gates.f": 0.0})
assert np.abs(held["layers.0.h"]).max() == 0, "f = 0 keeps h at its zero start"
ckpt = train(preset_config("sine", "mgu", "seed", strategy="random", iters=30))
assert ckpt.kind == "mgu" and np.isfinite(ckpt.meta["metrics"]["mse_single"])
from explainer.checkpoint import Checkpoint
from explainer.explain import trace_checkpoint
back = Checkpoint.load(ckpt.save("mgu.safetensors"))
assert trace_checkpoint(back, windows=2)["layers.0.gates.n"].shape == (2, 10, 12)
print("ok")
'''


def test_a_new_kind_is_one_row_plus_its_step_function(tmp_path):
    """Copy the package, add a row to kinds.py and a step to cells.py, and use the new kind."""
    package = Path(explainer.__file__).parent
    copy = tmp_path / "explainer"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    kinds = copy / "kinds.py"
    last_row = '"GRU", "gru"),\n'
    assert kinds.read_text().count(last_row) == 1, "the table's last row moved; update this test"
    kinds.write_text(kinds.read_text().replace(last_row, last_row + NEW_ROW))
    (copy / "models" / "cells.py").write_text((copy / "models" / "cells.py").read_text() + NEW_STEP)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", USE_IT % str(copy)], cwd=tmp_path, capture_output=True,
                         text=True, env=env, timeout=300)
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr[-3000:]
