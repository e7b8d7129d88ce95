"""Interventions: replace a value as it is computed; everything downstream follows."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import explainer
from explainer import ExplainerError


@pytest.fixture
def lstm():
    return torch.nn.LSTM(2, 4)


def test_forget_gate_held_open_keeps_the_whole_old_cell_state(lstm):
    x = torch.randn(8, 2)
    plain = explainer.record(lstm, x)
    held = explainer.record(lstm, x, intervene={"layers.0.gates.f": 1.0})
    f, i, g, c = (held[f"layers.0.{n}"][0] for n in ("gates.f", "gates.i", "gates.g", "c"))
    assert np.all(f == 1.0)
    np.testing.assert_allclose(c[1:], c[:-1] + i[1:] * g[1:], atol=1e-6)  # c_t = c_{t-1} + i g
    np.testing.assert_allclose(held["layers.0.h"][0], held["layers.0.gates.o"][0] * np.tanh(c), atol=1e-6)
    assert not np.allclose(held["layers.0.h"], plain["layers.0.h"]), "h follows the changed cell state"
    np.testing.assert_array_equal(held["layers.0.gates.f"][:, 0], 1.0)
    assert held.meta["intervened"] == {"layers.0.gates.f": "constant 1"}
    assert plain.meta["intervened"] == {}


def test_the_first_step_is_unchanged_where_the_intervention_cannot_reach_yet(lstm):
    """With c0 = 0, f multiplies zero at step 0: only later steps differ."""
    x = torch.randn(6, 2)
    plain = explainer.record(lstm, x)
    held = explainer.record(lstm, x, intervene={"layers.0.gates.f": 1.0})
    np.testing.assert_allclose(held["layers.0.h"][:, 0], plain["layers.0.h"][:, 0], atol=1e-6)


def test_a_function_of_the_value_and_of_the_step():
    gru = torch.nn.GRU(2, 3, num_layers=2)
    x = torch.randn(5, 2)
    halved = explainer.record(gru, x, intervene={"layers.1.gates.z": lambda z: z / 2})
    plain = explainer.record(gru, x)
    np.testing.assert_allclose(halved["layers.0.h"], plain["layers.0.h"], atol=1e-6)  # upstream is untouched
    assert not np.allclose(halved["layers.1.h"], plain["layers.1.h"])
    late = explainer.record(gru, x, intervene={"layers.0.h": lambda h, t: h * 0 if t >= 3 else h})
    np.testing.assert_array_equal(late["layers.0.h"][0, 3:], 0)
    np.testing.assert_allclose(late["layers.0.h"][0, :3], plain["layers.0.h"][0, :3], atol=1e-6)
    assert late.meta["intervened"] == {"layers.0.h": "function <lambda>"}


def test_one_unit_only_through_an_array(lstm):
    keep = np.array([np.nan, 1.0, np.nan, np.nan])
    x = torch.randn(5, 2)
    out = explainer.record(lstm, x, intervene={"layers.0.gates.f": lambda f: torch.where(torch.isnan(torch.tensor(keep)), f, 1.0)})
    f = out["layers.0.gates.f"][0]
    assert np.all(f[:, 1] == 1.0) and not np.all(f[:, 0] == 1.0)


def test_reverse_direction_and_patterns():
    lstm = torch.nn.LSTM(2, 3, bidirectional=True)
    t = explainer.record(lstm, torch.randn(4, 2), intervene={"layers.0.*.gates.f": 0.0})
    assert np.all(t["layers.0.reverse.gates.f"] == 0) and not np.all(t["layers.0.gates.f"] == 0)


def test_bad_interventions_are_clear_errors(lstm):
    x = torch.randn(3, 2)
    with pytest.raises(ExplainerError, match="no recorded name matches 'layers.0.gates.q'"):
        explainer.record(lstm, x, intervene={"layers.0.gates.q": 1.0})
    with pytest.raises(ExplainerError, match="must broadcast to \\[batch, size\\]"):
        explainer.record(lstm, x, intervene={"layers.0.gates.f": np.ones(7)})
    with pytest.raises(ExplainerError, match="NaN or Inf"):
        explainer.record(lstm, x, intervene={"layers.0.gates.f": float("nan")})
    with pytest.raises(ExplainerError, match="must be a number, an array or a function"):
        explainer.record(lstm, x, intervene={"layers.0.gates.f": "open"})
