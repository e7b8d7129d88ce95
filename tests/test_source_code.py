"""The source's code on screen is code that runs, and the SourceCode scene shows what it computes.

The files of `explainer/sourcecode/` are the tutorial's code; the scene shows their text.
These tests run the same files (with `runpy`, so every run has its own model, as the
tutorial's notebook would):

* the hand-written MyRNN and the fixed nn.RNN version, given the weights of an explainer
  `SequenceModel("rnn_tanh")`, compute the hidden states `explainer.record` records of
  it, and one SGD step of each file's own `train` (the source's settings) leaves all three
  with the same weights and the same states;
* the source's training loop, started from the seed preset's initial weights, makes the
  shipped `sine-rnn-seed` checkpoint, and MyRNN with those weights computes the numbers
  the scene shows;
* the tutorial's nn.RNN version fails as the scene says, on the line it marks, and the
  fixed file differs from it in that one name only;
* the scene's listings are the files' text, every word on screen is at least 14 px tall
  at 720p, and the scene renders.
"""

from __future__ import annotations

import runpy

import numpy as np
import pytest
import torch

import explainer
from animations.source_code import SourceCode, shown_listing, source_run
from explainer import assets
from explainer.checkpoint import Checkpoint
from explainer.errors import ExplainerError
from explainer.models import SequenceModel
from explainer.sourcecode import listing
from explainer.tasks.sine import make_data
from explainer.trace import Trace

HIDDEN = 12
#: What the scene shows of a tensor's values: float32 arithmetic in a different order.
CLOSE = dict(rtol=1e-5, atol=1e-6)


def run_file(name: str) -> dict:
    """A fresh run of one of the source files: its globals (model, optimizer, train, pred)."""
    return runpy.run_path(str(listing.path(name)))


def series() -> np.ndarray:
    """The source's y, shaped as it shapes it: y.reshape(-1, 1).astype("float32") (seed 0)."""
    return make_data(0).y.reshape(-1, 1).astype("float32")  # [points, 1]


def window(start: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """(train_seq, target) as the source builds them: y[i:i+10] and y[i+10]."""
    y = series()
    return torch.from_numpy(y[start:start + 10]), torch.from_numpy(y[start + 10])  # [10, 1], [1]


def load_into_hand(net: torch.nn.Module, reference: torch.nn.Module) -> None:
    """The hand-written MyRNN gets a SequenceModel's weights: W_ih, b_ih, W_hh, b_hh, readout."""
    sd = reference.state_dict()
    with torch.no_grad():
        net.linear_ih.weight.copy_(sd["core.weight_ih_l0"])  # [hidden, 1]
        net.linear_ih.bias.copy_(sd["core.bias_ih_l0"])
        net.linear_hh.weight.copy_(sd["core.weight_hh_l0"])  # [hidden, hidden]
        net.linear_hh.bias.copy_(sd["core.bias_hh_l0"])
        net.linear_ho.weight.copy_(sd["readout.weight"])  # [1, hidden]
        net.linear_ho.bias.copy_(sd["readout.bias"])


def load_into_torch_version(net: torch.nn.Module, reference: torch.nn.Module) -> None:
    """The nn.RNN version gets them too: nn.RNN's parameters have torch's (= explainer's) names."""
    sd = reference.state_dict()
    net.rnn.load_state_dict({k.removeprefix("core."): v for k, v in sd.items() if k.startswith("core.")})
    net.linear_ho.load_state_dict({k.removeprefix("readout."): v for k, v in sd.items() if k.startswith("readout.")})


def hand_states(net: torch.nn.Module, seq: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The source's loop over a window (`for x in train_seq: output,state=my_rnn(x,state)`), keeping every state."""
    state, states = torch.zeros(1, HIDDEN), []
    with torch.no_grad():
        for x in seq:
            output, state = net(x, state)
            states.append(state[0])
    return torch.stack(states), output  # [time, hidden], [1]


def recorded(reference: SequenceModel, seq: torch.Tensor) -> tuple[np.ndarray, float]:
    trace = explainer.record(reference, seq[None])  # [batch 1, time, 1]
    return trace["layers.0.h"][0], float(trace["output"][0, -1, 0])  # [time, hidden]


def versions(reference: SequenceModel) -> tuple[dict, dict]:
    hand, torch_version = run_file("train_loop"), run_file("torch_train_loop")
    load_into_hand(hand["my_rnn"], reference)
    load_into_torch_version(torch_version["my_rnn"], reference)
    return hand, torch_version


# -- the on-screen code runs and computes what explainer records -----------------------------------------------------

def test_both_versions_compute_the_hidden_states_explainer_records_of_the_same_weights():
    reference = SequenceModel("rnn_tanh", input_size=1, hidden_size=HIDDEN)
    hand, torch_version = versions(reference)
    seq, _ = window(0)
    h, out = recorded(reference, seq)

    states, output = hand_states(hand["my_rnn"], seq)
    np.testing.assert_allclose(states.numpy(), h, **CLOSE)
    assert float(output[0]) == pytest.approx(out, rel=1e-5)
    assert float(hand["pred"](seq)[0]) == pytest.approx(out, rel=1e-5)

    net = torch_version["my_rnn"]
    with torch.no_grad():
        every, _ = net.rnn(seq, torch.zeros(1, HIDDEN))  # what its forward computes first: [time, hidden]
        output, state = net(seq, torch.zeros(1, HIDDEN))
    np.testing.assert_allclose(every.numpy(), h, **CLOSE)
    np.testing.assert_allclose(state[0].numpy(), h[-1], **CLOSE)  # the final state the fix returns
    assert state.shape == (1, HIDDEN) and output.shape == (1,)
    assert float(torch_version["pred"](seq)[0]) == pytest.approx(out, rel=1e-5)


def test_one_sgd_step_of_each_files_train_gives_the_same_model_as_one_step_of_the_explainer_model():
    reference = SequenceModel("rnn_tanh", input_size=1, hidden_size=HIDDEN)
    hand, torch_version = versions(reference)
    for ns in (hand, torch_version):  # the source's settings, as the files make them
        assert ns["hidden_size"] == HIDDEN
        assert isinstance(ns["optimizer"], torch.optim.SGD) and ns["optimizer"].param_groups[0]["lr"] == 0.01
        assert isinstance(ns["loss_func"], torch.nn.MSELoss)
    seq, target = window(0)
    before = [p.detach().clone() for p in reference.parameters()]

    loss_hand = hand["train"](seq, target)
    loss_torch = torch_version["train"](seq, target)
    optimizer = torch.optim.SGD(reference.parameters(), lr=0.01)
    loss = torch.nn.functional.mse_loss(reference(seq[None])[0], target)  # [1] against [1]
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    loss = float(loss.detach())

    assert loss_hand.shape == (1,) and loss_torch.shape == (1,)
    assert loss_hand[0] == pytest.approx(loss, rel=1e-5) and loss_torch[0] == pytest.approx(loss, rel=1e-5)
    assert any(not torch.equal(a, b) for a, b in zip(before, reference.parameters())), "the step changed nothing"
    h, out = recorded(reference, seq)
    states, output = hand_states(hand["my_rnn"], seq)
    np.testing.assert_allclose(states.numpy(), h, **CLOSE)
    with torch.no_grad():
        every, _ = torch_version["my_rnn"].rnn(seq, torch.zeros(1, HIDDEN))
    np.testing.assert_allclose(every.numpy(), h, **CLOSE)
    assert float(output[0]) == pytest.approx(out, rel=1e-5)


def test_the_source_training_loop_makes_the_shipped_seed_checkpoint_and_the_scene_shows_its_numbers():
    """The seed preset is the source's code: one pass of train() over the 310 windows, in order."""
    checkpoint = Checkpoint.load(assets.checkpoint_path("sine", "rnn", "seed"))
    config = checkpoint.meta["train"]
    assert (config["preset"], config["strategy"], config["optimizer"], config["lr"]) == ("seed", "sequential", "sgd", 0.01)
    torch.manual_seed(config["seed"])  # the preset's initial weights, as explainer's training draws them
    initial = SequenceModel("rnn_tanh", input_size=1, hidden_size=HIDDEN)
    hand = run_file("train_loop")
    load_into_hand(hand["my_rnn"], initial)
    losses = []
    for i in range(320 - 10):  # the source: train_datas, then `for train_seq,target in train_datas: train(...)`
        losses.append(float(hand["train"](*window(i))[0]))
    np.testing.assert_allclose(losses, checkpoint.meta["history"]["loss"], rtol=1e-4, atol=1e-6)
    trained = checkpoint.model.state_dict()
    net = hand["my_rnn"]
    for ours, theirs in ((net.linear_ih.weight, "core.weight_ih_l0"), (net.linear_hh.weight, "core.weight_hh_l0"),
                         (net.linear_ih.bias, "core.bias_ih_l0"), (net.linear_hh.bias, "core.bias_hh_l0"),
                         (net.linear_ho.weight, "readout.weight"), (net.linear_ho.bias, "readout.bias")):
        np.testing.assert_allclose(ours.detach().numpy(), trained[theirs].numpy(), rtol=1e-4, atol=1e-6)

    # the numbers on screen: the scene's window, run through the shown MyRNN with those weights
    run = SourceCode.of().run
    seq = torch.from_numpy(series()[run.start:run.start + run.steps])  # y[310:320]
    np.testing.assert_allclose(run.inputs, seq[:, 0].numpy(), rtol=1e-6)
    load_into_hand(net, checkpoint.model)
    states, output = hand_states(net, seq)
    np.testing.assert_allclose(run.states, states.numpy(), **CLOSE)
    assert run.output == pytest.approx(float(hand["pred"](seq)[0]), rel=1e-5)
    assert run.truth == pytest.approx(float(series()[run.start + run.steps, 0]))


# -- the typo, as the scene shows it ----------------------------------------------------------------------------------

def test_the_tutorials_nn_rnn_version_fails_as_the_scene_says_on_the_line_it_marks():
    ns = run_file("torch_rnn_typo")
    net = ns["MyRNN"](input_size=1, hidden_size=HIDDEN, output_size=1)
    seq, _ = window(0)
    with pytest.raises(NameError) as raised:
        net(seq, torch.zeros(1, HIDDEN))
    assert f"{type(raised.value).__name__}: {raised.value}" == listing.TYPO_ERROR
    last = raised.traceback[-1]
    assert str(last.path) == str(listing.path("torch_rnn_typo")) and last.lineno + 1 == listing.typo_line()
    lines = listing.text("torch_rnn_typo").splitlines()
    assert lines[listing.typo_line() - 1].strip() == "return output,state"
    assert "output_hidden,tate=" in lines[SourceCode.of().lines["tate"] - 1]


def test_the_fixed_file_is_the_tutorials_text_with_that_one_name_changed_on_the_same_lines():
    typo, first = listing.block("torch_rnn_typo", "MyRNN")
    fixed, fixed_first = listing.block("torch_rnn", "MyRNN")
    assert first == fixed_first, "the fixed class starts on the same line, so the line numbers on screen stay"
    changed = [(a, b) for a, b in zip(typo.splitlines(), fixed.splitlines()) if a != b]
    assert len(typo.splitlines()) == len(fixed.splitlines()) and len(changed) == 1
    (before, after), = changed
    assert after == before.replace(f",{listing.TYPO_NAME}=", f",{listing.FIXED_NAME}=") + " # tate -> state"


# -- what the scene shows ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("file,name", [("my_rnn", "MyRNN"), ("torch_rnn_typo", "MyRNN"), ("torch_rnn", "MyRNN"),
                                       ("my_rnn", "MyRNN.forward"), ("train_loop", "pred")])
def test_every_listing_is_the_files_text_with_its_comments_in_the_viewers_language(file, name):
    text, first = listing.block(file, name)
    zh, zh_first = shown_listing(file, name, "zh")
    en, _ = shown_listing(file, name, "en")
    assert (zh, zh_first) == (text, first), "the tutorial's comments are Chinese: in zh the text is the file's"
    for a, b in zip(text.splitlines(), en.splitlines(), strict=True):
        assert a.partition("#")[0] == b.partition("#")[0], "only the words after # change"
    assert not any("\u4e00" <= c <= "\u9fff" for c in en), "no Chinese left in the English listing"


def test_every_comment_of_every_source_file_has_words_in_both_languages():
    for file in listing.FILES:
        for comment in listing.comments(listing.text(file)):
            assert comment in listing.COMMENTS, f"{file}.py: comment {comment!r} has no words"


def test_the_scene_reads_the_source_models_window_and_refuses_another_model():
    run = source_run(Trace.load(assets.trace_path("sine-rnn-seed")))
    assert (run.start, run.steps, run.hidden, run.windows, run.preset) == (310, 10, HIDDEN, 310, "seed")
    scene = SourceCode.of()
    text = {f: listing.text(f).splitlines() for f in listing.FILES}
    assert text["my_rnn"][scene.lines["step_first"] - 1].strip() == "curr_state=self.tanh("
    assert text["my_rnn"][scene.lines["step_last"] - 1].strip() == ")"
    assert text["train_loop"][scene.lines["call"] - 1].strip() == "output,state=my_rnn(x,state)"
    with pytest.raises(ExplainerError, match="hidden 64"):
        SourceCode.of([assets.trace_path("sine-rnn-tuned")])
    with pytest.raises(ExplainerError, match="needs an RNN trace"):
        SourceCode.of([assets.trace_path("sine-lstm-seed")])


def test_every_listing_is_drawn_at_least_14_px_tall_at_720p():
    """Tall = the height of the listing's capitals and line numbers: 14 of the 720 px (8 units) of a 720p frame."""
    from animations.mobjects.code_panel import CodePanel

    for lang in ("en", "zh"):
        for file, name in (("my_rnn", "MyRNN"), ("torch_rnn_typo", "MyRNN"), ("my_rnn", "MyRNN.forward"),
                           ("train_loop", "pred")):
            panel = CodePanel(*shown_listing(file, name, lang))
            assert panel.cap_height() / 8 * 720 >= 14, f"{file} {name} ({lang})"


def test_the_scene_renders_its_last_frame_with_every_text_at_least_14_px_tall_on_the_way(tmp_path):
    """Rendered once, tiny (as the frame tests do); after every play and wait, every text on screen is measured
    with the lecture's one definition of tall (`animations.text.cap_height`, at least `MIN_PX` at 720p)."""
    from manim import VMobject
    from PIL import Image

    from animations.inputs import resolve
    from animations.registry import get
    from animations.render import render_scene
    from animations.text import MIN_PX, cap_height

    smallest: dict[str, float] = {}

    def visible(m) -> bool:
        parts = m.family_members_with_points() if isinstance(m, VMobject) else []
        return not parts or max(float(p.fill_rgbas[:, 3].max()) if len(p.fill_rgbas) else 0.0 for p in parts) > 0.02

    class Measured(SourceCode):
        def measure(self) -> None:
            for top in self.mobjects:
                for m in top.get_family():
                    height = cap_height(m)
                    if height is not None and visible(m):
                        key = getattr(m, "text", type(m).__name__)
                        smallest[key] = min(smallest.get(key, 9.0), height)

        def play(self, *args, **kwargs):
            super().play(*args, **kwargs)
            self.measure()

        def wait(self, *args, **kwargs):
            super().wait(*args, **kwargs)
            self.measure()

    inputs = resolve(get("SourceCode"), None, "en", {})
    out = render_scene(lambda: Measured(inputs), "SourceCode", output=tmp_path / "last.png", resolution=(160, 90))
    frame = np.asarray(Image.open(out).convert("RGB"), dtype=float)  # [90, 160, 3]
    ink = frame.min(axis=2) < 200  # [90, 160] not white
    assert ink[:25].mean() > 0.05, "the listings are on the last frame"
    assert ink[25:70, 135:].any(), "and the readout at the right, where the prediction is written"
    assert len(smallest) > 40 and "Paragraph" in smallest, "the captions, the numbers and the listings were measured"
    small = {k: round(v / 8 * 720, 1) for k, v in smallest.items() if v / 8 * 720 < MIN_PX}
    assert not small, f"shorter than {MIN_PX} px at 720p: {small}"
