"""Recording a user's own model: recurrent submodules found by hooks, packed and padded batches, wrapped modules.

The reference is torch itself: the h a recording holds at every real step equals the
output torch's module gives (on the PackedSequence, for padded rows), and the gates equal
the recording of that module alone on the same input.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

import explainer
from explainer.errors import ExplainerError

torch.set_num_threads(1)


class CharLSTM(nn.Module):
    """The pattern a user brings: embedding, a 2-layer batch-first LSTM, a linear readout."""

    def __init__(self, vocab: int = 11, embed: int = 5, hidden: int = 7) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, embed)
        self.lstm = nn.LSTM(embed, hidden, num_layers=2, batch_first=True)
        self.fc = nn.Linear(hidden, vocab)

    def forward(self, ids):
        return self.fc(self.lstm(self.embed(ids))[0])


class EncoderDecoder(nn.Module):
    """Two recurrent submodules over the same steps, one of them nested."""

    def __init__(self) -> None:
        super().__init__()
        self.encoder = nn.Module()
        self.encoder.lstm = nn.LSTM(3, 4, batch_first=True, bidirectional=True)
        self.decoder = nn.GRU(8, 5, batch_first=True)

    def forward(self, x):
        return self.decoder(self.encoder.lstm(x)[0])[0]


def ids(batch: int = 3, time: int = 9, vocab: int = 11) -> torch.Tensor:
    return torch.randint(0, vocab, (batch, time), generator=torch.Generator().manual_seed(0))


def close(a, b, atol: float = 2e-5) -> bool:
    return np.allclose(np.asarray(a), np.asarray(b), atol=atol)


def test_a_users_char_model_is_recorded_through_its_own_forward_with_the_names_of_a_bare_lstm():
    torch.manual_seed(0)
    model, x = CharLSTM(), ids()
    trace = explainer.record(model, x)
    direct = explainer.record(model.lstm, model.embed(x).detach())
    assert [n for n in trace.names if n != "output"] == direct.names
    for name in direct.names:
        assert close(trace[name], direct[name], 0), name
    assert close(trace["output"], model(x).detach()), "output is the model's own, [batch, time, vocab]"
    assert trace.meta["module"] == "lstm" and trace.meta["model"] == "CharLSTM" and trace.meta["num_layers"] == 2


def test_several_recurrent_submodules_are_named_by_their_module_paths():
    torch.manual_seed(0)
    model, x = EncoderDecoder(), torch.randn(2, 6, 3)
    trace = explainer.record(model, x)
    assert trace.modules == ["encoder.lstm", "decoder"]
    assert "encoder.lstm.layers.0.reverse.gates.f" in trace.names and "decoder.layers.0.gates.z" in trace.names
    encoder = explainer.record(model.encoder.lstm, x)
    for name in encoder.names:
        assert close(trace.module("encoder.lstm")[name], encoder[name], 0), name
    assert trace.module("decoder").kind == "gru" and trace.module("encoder.lstm").meta["num_directions"] == 2
    assert close(trace["output"], model(x).detach())


def test_modules_picks_some_submodules_and_an_unknown_one_is_one_line():
    model, x = EncoderDecoder(), torch.randn(2, 6, 3)
    trace = explainer.record(model, x, modules="decoder")
    assert trace.meta["module"] == "decoder" and "layers.0.gates.r" in trace.names
    with pytest.raises(ExplainerError, match=r"^EncoderDecoder has no recurrent module 'lstm'; it has: encoder\.lstm, decoder$"):
        explainer.record(model, x, modules="lstm")


@pytest.mark.parametrize("bidirectional", [False, True], ids=["one direction", "bidirectional"])
@pytest.mark.parametrize("kind", [nn.LSTM, nn.GRU, nn.RNN])
def test_a_packed_batch_records_what_torch_computes_on_each_row_and_zeros_past_its_end(kind, bidirectional):
    torch.manual_seed(0)
    module = kind(3, 4, num_layers=2, batch_first=True, bidirectional=bidirectional)
    lengths = torch.tensor([7, 3, 5])
    x = torch.randn(3, 7, 3)
    packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    trace = explainer.record(module, packed)
    assert trace.meta["lengths"] == [7, 3, 5]
    with torch.no_grad():
        theirs, _ = pad_packed_sequence(module(packed)[0], batch_first=True)  # [batch, time, dirs*hidden]
    top = np.concatenate([trace["layers.1.h"]] + ([trace["layers.1.reverse.h"]] if bidirectional else []), axis=2)
    assert close(top, theirs), "h at every real step (and 0 past it, as torch pads)"
    for row, n in enumerate(lengths.tolist()):  # each row alone, unpadded: the gates too
        alone = explainer.record(module, x[row:row + 1, :n])
        for name in alone.names:
            assert close(trace[name][row, :n], alone[name][0]), (name, row)
            assert not trace[name][row, n:].any(), f"{name} past row {row}'s end is 0"


def test_lengths_for_a_padded_batch_equal_packing_it():
    torch.manual_seed(1)
    module = nn.LSTM(3, 4, bidirectional=True)  # time-major
    x = torch.randn(6, 2, 3)
    padded = explainer.record(module, x, lengths=[6, 2])
    packed = explainer.record(module, pack_padded_sequence(x, torch.tensor([6, 2])))
    for name in packed.names:
        assert close(padded[name], packed[name], 0), name


def test_a_model_that_packs_its_own_batch_is_recorded_on_what_its_lstm_received():
    class Packing(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(3, 4, batch_first=True)

        def forward(self, x, lengths):
            out, _ = self.lstm(pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False))
            return pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])[0]

    torch.manual_seed(0)
    model, x, lengths = Packing(), torch.randn(2, 5, 3), torch.tensor([2, 5])
    trace = explainer.record(model, (x, lengths))
    assert trace.meta["lengths"] == [2, 5]
    assert close(trace["output"], model(x, lengths).detach()) and close(trace["layers.0.h"], trace["output"])


@pytest.mark.parametrize("bad, message", [
    ([5, 0], r"^lengths must lie from 1 to the 5 steps of the input; got \[5, 0\]$"),
    ([5], r"^lengths has 1 entries but the batch has 2 rows; give one per row$"),
    ([2.5, 1.0], r"^lengths must be one integer per batch row \(a 1-d list\), got torch\.float64 of shape \[2\]$"),
])
def test_lengths_that_do_not_fit_the_batch_are_one_line(bad, message):
    with pytest.raises(ExplainerError, match=message):
        explainer.record(nn.GRU(3, 4, batch_first=True), torch.randn(2, 5, 3), lengths=bad)


def test_padding_does_not_count_in_what_the_reading_layer_reads():
    from explainer.reading.lengths import real_values

    torch.manual_seed(0)
    module = nn.LSTM(3, 4, batch_first=True)
    x = torch.randn(2, 8, 3)
    x[1, 3:] = 50.0  # padding that would saturate every gate were it counted
    trace = explainer.record(module, x, lengths=[8, 3])
    forget = real_values(trace, "layers.0.gates.f")  # [11 real steps, hidden]
    reference = np.concatenate([explainer.record(module, x[0:1])["layers.0.gates.f"][0],
                                explainer.record(module, x[1:2, :3])["layers.0.gates.f"][0]])
    assert forget.shape == (11, 4) and close(forget, reference)


def test_a_compiled_module_is_recorded_as_the_module_it_wraps():
    torch.manual_seed(0)
    lstm = nn.LSTM(3, 4, batch_first=True)
    compiled = torch.compile(lstm, backend="eager")
    x = torch.randn(2, 5, 3)
    bare, direct = explainer.record(compiled, x), explainer.record(lstm, x)

    class Holder(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = compiled

        def forward(self, x):
            return self.lstm(x)[0]

    held = explainer.record(Holder(), x)
    assert held.meta["module"] == "lstm", "named by its path, not lstm._orig_mod"
    for name in direct.names:
        assert close(bare[name], direct[name], 0) and close(held[name], direct[name], 0), name


@pytest.mark.parametrize("how", ["script", "trace"])
def test_a_scripted_or_traced_module_is_recorded_through_a_torch_module_with_its_weights(how):
    torch.manual_seed(0)
    gru = nn.GRU(3, 4, num_layers=2, batch_first=True)
    x = torch.randn(2, 5, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wrapped = torch.jit.script(gru) if how == "script" else torch.jit.trace(gru, (x,))
    direct = explainer.record(gru, x)
    if how == "trace":  # a traced module keeps no batch_first: it is found by running both layouts

        class Holder(nn.Module):
            def __init__(self):
                super().__init__()
                self.rnn = wrapped

            def forward(self, x):
                return self.rnn(x)[0]

        recorded = explainer.record(Holder(), x)
        assert recorded.meta["module"] == "rnn"
    else:
        recorded = explainer.record(wrapped, x)
    for name in direct.names:
        assert close(recorded[name], direct[name]), name


def test_a_scripted_module_that_is_not_an_rnn_lstm_or_gru_is_one_line():
    from explainer.models.wrapped import unwrap

    class Odd(nn.Module):
        def forward(self, x):
            return x

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scripted = torch.jit.script(Odd())
        traced = torch.jit.trace(nn.LSTM(3, 4), (torch.randn(5, 1, 3),))
    with pytest.raises(ExplainerError, match=r"^'core' is a scripted Odd, not a recognisable torch\.nn\.RNN/LSTM/GRU; "
                                             r"record the module before torch\.jit\.script/trace$"):
        unwrap(scripted, "core")
    traced.weight_hh_l0.data = torch.zeros(16, 5)  # not the hidden size its weight_ih_l0 says
    with pytest.raises(ExplainerError, match=r"^'lstm' is a traced LSTM whose parameters"):
        unwrap(traced, "lstm", (torch.randn(5, 1, 3),))


def test_a_model_without_a_recurrent_module_names_what_it_holds():
    model = nn.Sequential(nn.Embedding(5, 3), nn.Linear(3, 2))
    with pytest.raises(ExplainerError, match=r"^cannot record a Sequential: it holds no recurrent module "
                                             r"\(0: Embedding, 1: Linear\); record a model with a torch\.nn\.RNN, "
                                             r"LSTM or GRU inside$"):
        explainer.record(model, torch.zeros(1, 4, dtype=torch.long))


def test_a_forward_that_calls_its_lstm_twice_or_never_is_refused_in_one_line():
    class Twice(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm, self.spare = nn.LSTM(3, 3), nn.GRU(3, 3)

        def forward(self, x):
            return self.lstm(self.lstm(x)[0])[0]

    with pytest.raises(ExplainerError, match=r"^Twice's forward called 'lstm' 2 times; a trace records one run"):
        explainer.record(Twice(), torch.randn(4, 1, 3), modules="lstm")
    with pytest.raises(ExplainerError, match=r"^Twice's forward never called 'spare'; pick the modules it uses"):
        explainer.record(Twice(), torch.randn(4, 1, 3), modules="spare")


def test_a_forward_that_fails_is_one_line_and_the_model_is_left_as_it_was():
    model = CharLSTM()
    with pytest.raises(ExplainerError, match=r"^CharLSTM's forward raised IndexError: index out of range"):
        explainer.record(model, torch.full((1, 3), 99))
    assert not model.lstm._forward_pre_hooks and model.training


def test_h0_and_interventions_go_to_the_recurrent_module_itself():
    with pytest.raises(ExplainerError, match=r"^h0= is the initial state of a bare recurrent module"):
        explainer.record(CharLSTM(), ids(), h0=torch.zeros(2, 3, 7))
    with pytest.raises(ExplainerError, match=r"^interventions are made on a recurrent module itself"):
        explainer.record(CharLSTM(), ids(), intervene={"layers.0.gates.f": 1.0})


def test_modules_over_different_time_axes_do_not_share_a_trace():
    class Seq2Seq(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder, self.decoder = nn.GRU(3, 4), nn.GRU(4, 4)

        def forward(self, x):
            return self.decoder(self.encoder(x)[0][-2:])[0]

    with pytest.raises(ExplainerError, match=r"^a trace holds one time axis, but 'encoder' 6 steps x 1 rows, "
                                             r"'decoder' 2 steps x 1 rows; record them one at a time"):
        explainer.record(Seq2Seq(), torch.randn(6, 1, 3))
    assert explainer.record(Seq2Seq(), torch.randn(6, 1, 3), modules="decoder").num_steps == 2


def test_a_trace_of_several_modules_saves_and_loads(tmp_path):
    trace = explainer.record(EncoderDecoder(), torch.randn(2, 4, 3), lengths=[4, 2])
    trace.save(tmp_path / "t.safetensors")
    back = explainer.Trace.load(tmp_path / "t.safetensors", names="decoder.*")
    assert back.names == [n for n in trace.names if n.startswith("decoder.")]
    assert back.meta["lengths"] == [4, 2] and set(back.meta["modules"]) == {"encoder.lstm", "decoder"}


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device on this machine")
def test_a_model_on_the_gpu_is_recorded_there_and_matches_the_cpu():
    torch.manual_seed(0)
    model, x = CharLSTM(), ids()
    on_cpu = explainer.record(model, x)
    on_gpu = explainer.record(model.cuda(), x.cuda())
    for name in on_cpu.names:
        assert close(on_gpu[name], on_cpu[name], 1e-4), name


def test_the_readmes_own_model_example_runs_as_written():
    import re
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "class CharLSTM" in b)
    scope = {"torch": torch, "explainer": explainer, "encoder_decoder": EncoderDecoder(), "x": torch.randn(2, 6, 3)}
    exec(block, scope)
    assert scope["trace"].meta["lengths"] == [50, 50, 31, 12] and scope["seq2seq"].modules == ["encoder.lstm", "decoder"]


def test_a_padded_trace_is_drawn_one_row_at_a_time_to_its_end(tmp_path):
    from explainer.figures import make

    torch.manual_seed(0)
    x = torch.randn(2, 12, 3)
    x[1, 4:] = 40.0  # padding that would set the colour scale were it drawn
    trace = explainer.record(nn.LSTM(3, 4, batch_first=True), x, lengths=[12, 4])
    fig = make("gates", trace, row=1)
    shown = [a for a in fig.axes if a.images]
    assert shown and all(a.images[0].get_array().shape[-1] == 4 for a in shown), "4 real steps drawn, not 12"


def test_a_figure_of_a_trace_of_several_modules_names_them():
    from explainer.figures import make

    trace = explainer.record(EncoderDecoder(), torch.randn(1, 4, 3))
    with pytest.raises(ExplainerError, match=r"records several recurrent modules \(encoder\.lstm, decoder\); a figure "
                                             r"draws one: trace\.module\('encoder\.lstm'\)"):
        make("gates", trace)
    assert make("gates", trace.module("decoder")) is not None
