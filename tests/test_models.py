"""The instrumented cores are torch's modules in all but implementation."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import explainer
from explainer import ExplainerError
from explainer.models import GRU, LSTM, RNN, Recurrent, SequenceModel, TokenModel, build_model, from_torch
from conftest import KINDS, torch_module


@pytest.mark.parametrize("kind", KINDS)
def test_parameter_names_shapes_and_order_are_torchs(kind):
    theirs = torch_module(kind, num_layers=2, bidirectional=True)
    ours = from_torch(theirs)
    assert [(n, p.shape) for n, p in ours.named_parameters()] == [(n, p.shape) for n, p in theirs.named_parameters()]


@pytest.mark.parametrize("kind", KINDS)
def test_to_torch_and_back_keeps_every_weight(kind):
    theirs = torch_module(kind, num_layers=2, batch_first=True)
    back = from_torch(theirs).to_torch()
    assert type(back) is type(theirs)
    for (n, a), (m, b) in zip(theirs.state_dict().items(), back.state_dict().items()):
        assert n == m and torch.equal(a, b)
    assert back.batch_first and back.num_layers == 2


def test_constructors_take_torchs_arguments():
    x = torch.randn(4, 6, 3)  # [batch, time, input]
    for ours, theirs in [
        (RNN(3, 5, 2, nonlinearity="relu", batch_first=True), torch.nn.RNN(3, 5, 2, nonlinearity="relu", batch_first=True)),
        (LSTM(3, 5, proj_size=2, batch_first=True), torch.nn.LSTM(3, 5, proj_size=2, batch_first=True)),
        (GRU(3, 5, bias=False, batch_first=True), torch.nn.GRU(3, 5, bias=False, batch_first=True)),
    ]:
        theirs.load_state_dict(ours.state_dict())
        torch.testing.assert_close(ours(x)[0], theirs(x)[0], atol=1e-5, rtol=1e-5)


def test_the_explicit_loop_trains_like_torch():
    """Gradients through our loop equal gradients through torch's kernel."""
    theirs = torch.nn.LSTM(2, 3)
    ours = from_torch(theirs)
    x = torch.randn(5, 2, 2)
    ours(x)[0].sum().backward()
    theirs(x)[0].sum().backward()
    for (n, a), b in zip(ours.named_parameters(), theirs.parameters()):
        torch.testing.assert_close(a.grad, b.grad, atol=1e-5, rtol=1e-5, msg=n)


def test_bad_configurations_are_clear_errors():
    with pytest.raises(ExplainerError, match="hidden_size must be an integer >= 1"):
        LSTM(3, 0)
    with pytest.raises(ExplainerError, match="proj_size is only available for LSTM"):
        Recurrent("GRU", 3, 4, proj_size=2)
    with pytest.raises(ExplainerError, match="unknown nonlinearity 'sigmoid'"):
        RNN(3, 4, nonlinearity="sigmoid")
    with pytest.raises(ExplainerError, match="cannot load a torch gru into LSTM"):
        LSTM.from_torch(torch.nn.GRU(3, 4))


def test_bad_inputs_say_what_shape_is_expected():
    lstm = LSTM(3, 4)
    with pytest.raises(ExplainerError, match=r"input has 2 features per step but the lstm has input_size=3"):
        lstm(torch.randn(5, 2))
    with pytest.raises(ExplainerError, match=r"expects \[time, batch, 3\]"):
        lstm(torch.randn(5))
    with pytest.raises(ExplainerError, match="initial state is a pair"):
        lstm(torch.randn(5, 3), torch.zeros(1, 4))
    with pytest.raises(ExplainerError, match=r"h0 has shape \(2, 4\); expected \(1, 4\)"):
        lstm(torch.randn(5, 3), (torch.zeros(2, 4), torch.zeros(1, 4)))
    with pytest.raises(ExplainerError, match="at least one step"):
        lstm(torch.randn(0, 3))


def test_sequence_model_predicts_from_the_last_step_and_records_its_readout():
    model = SequenceModel("rnn_tanh", input_size=1, hidden_size=12)
    x = torch.randn(3, 10, 1)  # [batch, time, features]
    assert model(x).shape == (3, 1)
    torch.testing.assert_close(model(x), model(x, explicit=True), atol=1e-5, rtol=1e-5)
    trace = explainer.record(model, x)
    assert trace["output"].shape == (3, 10, 1)
    np.testing.assert_allclose(trace["output"][:, -1], model(x).detach().numpy(), atol=1e-5)


def test_token_model_records_the_embedding_as_input():
    model = TokenModel("lstm", vocab_size=9, num_classes=3, embed_size=5, hidden_size=6)
    tokens = torch.tensor([[1, 4, 2, 8]])
    trace = explainer.record(model, tokens, steps=["Alice", "is", "a", "teacher"])
    np.testing.assert_allclose(trace["input"][0], model.embedding(tokens)[0].detach().numpy())
    assert trace["output"].shape == (1, 4, 3) and trace.steps[0] == "Alice"
    assert explainer.record(model, tokens[0])["layers.0.c"].shape == (1, 4, 6), "unbatched token ids"
    with pytest.raises(ExplainerError, match="token ids must lie in 0..8"):
        explainer.record(model, torch.tensor([[1, 9]]))
    with pytest.raises(ExplainerError, match="reads token ids"):
        explainer.record(model, torch.randn(1, 4))


def test_config_rebuilds_the_same_architecture():
    for model in (SequenceModel("gru", 2, 7, num_layers=2), TokenModel("lstm", 11, 2, proj_size=3, hidden_size=6)):
        clone = build_model(model.config())
        clone.load_state_dict(model.state_dict())
        assert clone.config() == model.config()
    with pytest.raises(ExplainerError, match="unknown model type"):
        build_model({"model": "transformer"})


def test_record_refuses_what_it_cannot_record():
    with pytest.raises(ExplainerError, match="cannot record a Linear"):
        explainer.record(torch.nn.Linear(2, 2), torch.randn(3, 2))
    with pytest.raises(ExplainerError, match="unknown dtype 'float64'"):
        explainer.record(torch.nn.GRU(2, 2), torch.randn(3, 2), dtype="float64")
    with pytest.raises(ExplainerError, match="2 step labels given for 3 steps"):
        explainer.record(torch.nn.GRU(2, 2), torch.randn(3, 2), steps=["a", "b"])


def test_token_ids_given_to_a_module_without_embedding_say_they_need_one():
    ids = torch.tensor([[1, 4, 2, 8, 5, 7, 3]])  # [batch, time] integer token ids
    expected = (r"^this LSTM reads float vectors \[time, batch, 3\]; token ids \(an integer tensor\) need an embedding "
                r"first: record a model with an nn.Embedding, or embed the ids yourself$")
    with pytest.raises(ExplainerError, match=expected):
        explainer.record(torch.nn.LSTM(3, 5), ids)
    with pytest.raises(ExplainerError, match=r"^this GRU reads float vectors \[batch, time, 2\]; token ids"):
        explainer.record(torch.nn.GRU(2, 5, batch_first=True), ids[0])
    with pytest.raises(ExplainerError, match="^this RNN reads float vectors"):
        RNN(3, 4)(ids)


def test_nonfinite_values_are_counted_in_the_meta():
    x = torch.randn(4, 2)
    x[2, 0] = float("nan")
    t = explainer.record(torch.nn.GRU(2, 3), x)
    assert t.meta["nonfinite"]["input"] == 1
    assert t.meta["nonfinite"]["layers.0.h"] == 3 * 2, "steps 2 and 3 of every unit"


def test_a_recording_that_cannot_fit_in_memory_is_refused_before_allocating(monkeypatch):
    monkeypatch.setattr("explainer.memory.available_memory", lambda: 10 * 2**20)
    x = torch.zeros(1, 1).expand(400_000, 1)  # a long input that costs nothing to make
    with pytest.raises(ExplainerError, match=r"needs about [\d.]+ MiB but only 10.0 MiB of memory is free; record fewer names"):
        explainer.record(torch.nn.LSTM(1, 16), x)
