"""The gradient-flow probe: what it measures is what autograd on the fused model says.

‖∂ℓ/∂h_{t−d}‖ of the probe (one backward pass through an explicit unroll with retained
per-step states) must equal, answer by answer and distance by distance, the gradient
autograd gives when the fused kernel runs from the state h_{t−d} (and c_{t−d}) to the
answer at t. The `gradient-flow` figure and the `GradientFlow` scene draw what it measured,
in both languages.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from explainer.errors import ExplainerError
from explainer.models import TokenModel
from explainer.probes.gradient_flow import GradientFlow, answer_norms, answers, for_checkpoint, gradient_flow
from explainer.tasks.language import ANSWERS, Grammar
from explainer.training.language import evaluation_passages

DEPTH = 8


def small_model(kind: str, layers: int = 1) -> TokenModel:
    torch.manual_seed(3)
    model = TokenModel(kind, vocab_size=len(Grammar(seed=0).lexicon), num_classes=len(ANSWERS), embed_size=4,
                       hidden_size=5, num_layers=layers)
    with torch.no_grad():  # larger weights than torch's init, so that the gradients are not all tiny
        for p in model.core.parameters():
            p.mul_(3.0)
    return model.double().eval()


def reference(model: TokenModel, ids: np.ndarray, t: int, target: int, d: int, state: str) -> float:
    """‖∂ℓ/∂state_{t−d}‖ from autograd on the fused kernel, run from the state at t − d to the answer at t."""
    s = t - d
    x = model.embed(torch.from_numpy(ids)[None])  # [1, time, embed]
    lstm = model.core.spec.row.has_cell
    _, at_s = model.core.fast(x[:, : s + 1])  # the state after step s (every layer)
    h_s, c_s = (at_s if lstm else (at_s, None))
    top = h_s.shape[0] - 1
    if state == "h":
        leaf = h_s[top].detach().clone().requires_grad_()
        h_top, c_top = leaf, (c_s[top] if lstm else None)
    else:  # c_s: h_s = o_s ⊙ tanh(c_s) depends on it too
        leaf = c_s[top].detach().clone().requires_grad_()
        h_prev = model.core.fast(x[:, :s])[1][0][top] if s > 0 else torch.zeros_like(leaf)  # [1, hidden]
        w = model.core.spec.weights(model.core, top)
        pre = layer_input(model, x)[:, s] @ w.weight_ih.T + w.bias_ih + h_prev @ w.weight_hh.T + w.bias_hh  # [1, 4*hidden]
        o = torch.sigmoid(pre.chunk(4, dim=-1)[3])
        h_top, c_top = o * torch.tanh(leaf), leaf
    h0 = torch.cat([h_s[:top].detach(), h_top[None]])  # [layers, 1, hidden]
    hx = (h0, torch.cat([c_s[:top].detach(), c_top[None]])) if lstm else h0
    if d == 0:
        last = h_top  # the readout reads the top layer's h_t
    else:
        out, _ = model.core.fast(x[:, s + 1: t + 1], hx)
        last = out[:, -1]
    loss = torch.nn.functional.cross_entropy(model.readout(last), torch.tensor([target]))
    (grad,) = torch.autograd.grad(loss, leaf)
    return float(grad.norm())


def layer_input(model: TokenModel, x: torch.Tensor) -> torch.Tensor:
    """What the top layer reads: x, or the output of the layers below (torch's own module with their weights)."""
    spec = model.core.spec
    if spec.num_layers == 1:
        return x
    below = torch.nn.LSTM(spec.input_size, spec.hidden_size, spec.num_layers - 1, batch_first=True).double()
    below.load_state_dict({k: v for k, v in model.core.state_dict().items() if int(k.split("_l")[-1]) < spec.num_layers - 1})
    return below(x)[0]  # [1, time, hidden]


@pytest.mark.parametrize("kind,layers", [("rnn_tanh", 1), ("lstm", 1), ("gru", 1), ("lstm", 2)])
def test_the_probe_agrees_with_autograd_on_the_fused_model(kind, layers):
    model = small_model(kind, layers)
    passages = evaluation_passages(2)
    found, norms, _ = answer_norms(model, passages, depth=DEPTH, chunk=4)
    assert len(found) >= 4
    states = ["h", "c"] if kind == "lstm" else ["h"]
    assert sorted(norms) == sorted(states)
    for row in (0, len(found) // 2, len(found) - 1):
        k, t, target = found[row]
        for d in (0, 1, 3, DEPTH):
            for state in states:
                want = reference(model, passages[k].ids, t, target, d, state)
                assert norms[state][row, d] == pytest.approx(want, rel=1e-5, abs=1e-12), (kind, row, d, state)


def test_d_0_is_the_direct_gradient_of_the_readout():
    model = small_model("rnn_tanh")
    passages = evaluation_passages(2)
    found, norms, losses = answer_norms(model, passages, depth=DEPTH)
    w = model.readout.weight.detach()  # [answers, hidden]
    for row, (k, t, target) in enumerate(found):
        scores = model(torch.from_numpy(passages[k].ids)[None])[0, t].detach()  # [answers]
        p = torch.softmax(scores, -1)
        direct = w.T @ (p - torch.nn.functional.one_hot(torch.tensor(target), len(ANSWERS)).double())
        assert norms["h"][row, 0] == pytest.approx(float(direct.norm()), rel=1e-6)
        assert losses[row] == pytest.approx(float(-torch.log(p[target])), rel=1e-6)


def test_norms_are_finite_and_positive_and_summarised_with_their_count():
    flow = gradient_flow(small_model("lstm"), evaluation_passages(3), depth=DEPTH)
    assert flow.states == ("h", "c") and flow.count == len(answers(evaluation_passages(3), DEPTH))
    for s in flow.states:
        assert flow.mean[s].shape == flow.median[s].shape == (DEPTH + 1,)
        assert np.isfinite(flow.mean[s]).all() and (flow.mean[s] > 0).all()
        assert (flow.median[s] > 0).all()
    assert flow.ratio(4) == pytest.approx(flow.mean["h"][4] / flow.mean["h"][0])
    assert list(flow.d) == list(range(DEPTH + 1))


def test_the_measured_model_is_left_as_it_was():
    model = small_model("gru").float().train()
    before = [p.detach().clone() for p in model.parameters()]
    gradient_flow(model, evaluation_passages(2), depth=DEPTH)
    assert model.training and all(p.dtype == torch.float32 for p in model.parameters())
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))
    assert all(p.grad is None for p in model.parameters())


def test_a_plain_rnn_loses_its_gradient_faster_than_an_lstm_with_an_open_forget_gate():
    """Not a property of every pair of weights; of these two (torch's init, the LSTM's forget bias at +1),
    the textbook's picture."""
    from explainer.training import preset_config
    from explainer.training.language import initial_model

    passages = evaluation_passages(20)
    rnn = gradient_flow(initial_model(preset_config("language", "rnn", seed=0)), passages, depth=50)
    lstm = gradient_flow(initial_model(preset_config("language", "lstm", seed=0)), passages, depth=50)
    assert rnn.ratio(50) < 1e-3 * lstm.ratio(50)


def test_bad_input_is_one_line():
    with pytest.raises(ExplainerError, match="no pronoun answer lies 1000 steps"):
        gradient_flow(small_model("rnn_tanh"), evaluation_passages(2), depth=1000)
    with pytest.raises(ExplainerError, match="depth must be"):
        gradient_flow(small_model("rnn_tanh"), evaluation_passages(2), depth=-1)
    flow = GradientFlow("rnn_tanh", 2, 1, 0.5, {"h": np.ones(3)}, {"h": np.ones(3)})
    with pytest.raises(ExplainerError, match="no state 'c'"):
        flow.ratio(1, "c")
    with pytest.raises(ExplainerError, match="d must be between 0 and 2"):
        flow.ratio(5)
    with pytest.raises(ExplainerError, match="no checkpoint at"):
        for_checkpoint("/no/such/file.safetensors")
    with pytest.raises(ExplainerError, match="at must be one of"):
        for_checkpoint("/no/such/file.safetensors", at="halfway")


def test_a_bidirectional_model_is_refused():
    model = TokenModel("lstm", vocab_size=len(Grammar(seed=0).lexicon), num_classes=len(ANSWERS), embed_size=4,
                       hidden_size=5, bidirectional=True)
    with pytest.raises(ExplainerError, match="bidirectional"):
        gradient_flow(model, evaluation_passages(2), depth=DEPTH)


def test_a_checkpoint_is_measured_trained_and_at_update_0(tiny_language):
    from explainer.checkpoint import Checkpoint
    from explainer.training.language import initial_model
    from explainer.probes.gradient_flow import config_of

    path, ckpt = tiny_language
    trained = for_checkpoint(path, passages=20, depth=DEPTH)
    initial = for_checkpoint(path, at="initial", passages=20, depth=DEPTH)
    again = gradient_flow(initial_model(config_of(ckpt.meta["train"])), evaluation_passages(20), depth=DEPTH)
    assert np.allclose(initial.mean["h"], again.mean["h"], rtol=1e-12)
    assert not np.allclose(trained.mean["h"], initial.mean["h"])
    assert for_checkpoint(path, passages=20, depth=DEPTH) is trained, "a file is measured once per run"
    loaded = Checkpoint.load(path)
    assert np.allclose(for_checkpoint(loaded, passages=20, depth=DEPTH).mean["h"], trained.mean["h"], rtol=1e-12)
    assert GradientFlow.from_dict(trained.to_dict()).ratio(5) == pytest.approx(trained.ratio(5))


@pytest.fixture
def tiny_language():
    from tiny_language import tiny_language_run

    return tiny_language_run("rnn")


# -- the figure -------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_figure_draws_what_was_measured_and_names_the_model_that_keeps_least(tiny_language, lang, tmp_path):
    from explainer import assets, figures
    from explainer.probes.gradient_flow import fading
    from explainer.reading import number
    from explainer.style import word

    lstm_path = assets.checkpoint_path("language", "lstm")  # the shipped one (the scene's tests measure it too)
    fig = figures.make("gradient-flow", [tiny_language[0], lstm_path], lang=lang)
    flows = fig.gradient_flows
    assert [f.kind for f in flows["trained"]] == ["rnn_tanh", "lstm"]
    assert flows["trained"][1] is for_checkpoint(lstm_path)
    least = {when: word(f"model.{fading(fs, 50)[0][0].kind}", lang) for when, fs in flows.items()}
    title = fig._suptitle.get_text()
    assert least["trained"] in title.split("\n")[1] and least["initial"] in title.split("\n")[1]
    left, right = fig.axes[:2]
    for ax, when in ((left, "initial"), (right, "trained")):
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        rnn, lstm = flows[when]
        assert len(legend) == 3, "RNN h, LSTM h, LSTM C"
        assert number(rnn.ratio(50)) in legend[0] and number(lstm.ratio(50, "c")) in legend[2]
        drawn = ax.get_lines()[0].get_ydata()
        assert np.allclose(drawn, rnn.mean["h"]), "the line is the measured mean"
    assert ax.get_yscale() == "log"
    assert figures.save(fig, tmp_path / f"flow-{lang}.png").stat().st_size > 10_000


def test_the_figure_needs_checkpoint_files(tiny_language):
    from explainer import figures

    with pytest.raises(ExplainerError, match="needs checkpoint files"):
        figures.make("gradient-flow", [tiny_language[1]])


# -- the scene --------------------------------------------------------------------------------------
def test_the_scene_shows_the_probes_numbers_of_the_traces_checkpoints():
    from animations.gradient_flow import GradientFlow
    from explainer import assets
    from explainer.reading import number

    scene = GradientFlow.of(lang="en")
    rnn, lstm = scene.flows
    assert (rnn.kind, lstm.kind) == (scene.traces[0].kind, scene.traces[1].kind) == ("rnn_tanh", "lstm")
    shipped = for_checkpoint(assets.checkpoint_path("language", "lstm"))
    assert lstm is shipped, "the measurement of the checkpoint the trace was recorded from"
    scene.build()
    at_50 = [t.text for t in scene.numbers[1][50]]
    assert number(lstm.norm(50, "h")) in at_50 and number(lstm.norm(50, "c")) in at_50
    assert scene.scale.top == max(rnn.norm(0), lstm.norm(0), lstm.norm(0, "c"))


def test_the_scene_captions_say_the_measured_ratios():
    from scene_watch import watch

    from explainer.reading import number

    seen = watch("GradientFlow", "en")
    assert not seen.small and not seen.overlaps
    from animations.gradient_flow import GradientFlow

    rnn, lstm = GradientFlow.of(lang="en").flows
    said = "\n".join(seen.captions)
    for d in (10, 25, 50, 100):
        assert f"d = {d}: left of the gradient at d = 0: RNN {number(rnn.ratio(d))}, LSTM {number(lstm.ratio(d))}" in said
    assert f"the LSTM keeps {number(lstm.ratio(50) / rnn.ratio(50))} times as large a share of its gradient as the RNN" \
        in seen.captions[-1]


def test_the_scene_renders_its_last_frame_in_chinese(tmp_path):  # the English one: tests/test_scene_frames.py
    from PIL import Image

    from animations import render

    path = render("GradientFlow", lang="zh", output=tmp_path / "flow-zh.png", resolution=(160, 90))
    frame = np.asarray(Image.open(path).convert("RGB"), dtype=float)
    assert frame.shape == (90, 160, 3)
    red = (frame[..., 0] > 150) & (frame[..., 1] < 110) & (frame[..., 2] < 110)
    assert red.sum() > 30, "the gradient's band is on screen at the end"


def test_a_trace_not_recorded_from_the_shipped_checkpoint_is_refused():
    from animations.gradient_flow import GradientFlow
    from explainer import assets
    from explainer.trace import Trace

    trace = Trace.load(assets.trace_path("language-lstm"))
    meta = dict(trace.meta, metrics={**trace.meta["metrics"], "pronoun_accuracy": 0.123})
    other = Trace({n: trace[n] for n in trace.names}, meta)
    with pytest.raises(ExplainerError, match="was not recorded from the shipped"):
        GradientFlow.of([assets.trace_path("language-rnn"), other])
