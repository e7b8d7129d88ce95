"""`explainer import`: a user's own module and safetensors weights become a checkpoint the other commands read."""

from __future__ import annotations

import json
import sys
import textwrap

import numpy as np
import pytest
import torch
from click.testing import CliRunner
from safetensors.torch import save_file

from explainer.checkpoint import Checkpoint
from explainer.cli.main import cli
from explainer.trace import Trace
from cli_checks import one_line_error, run

torch.set_num_threads(1)

USER_MODELS = textwrap.dedent('''
    import torch
    from torch import nn

    class CharLSTM(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(12, 6)
            self.lstm = nn.LSTM(6, 8, num_layers=2, batch_first=True)
            self.fc = nn.Linear(8, 12)

        def forward(self, ids):
            return self.fc(self.lstm(self.embed(ids))[0])

    class Regressor(nn.Module):  # time-major, real-valued input
        def __init__(self):
            super().__init__()
            self.rnn = nn.GRU(3, 5)
            self.out = nn.Linear(5, 1)

        def forward(self, x):
            return self.out(self.rnn(x)[0])

    class Normed(CharLSTM):
        def __init__(self):
            super().__init__()
            self.norm = nn.LayerNorm(8)

        def forward(self, ids):
            return self.fc(self.norm(self.lstm(self.embed(ids))[0]))

    def broken():
        raise RuntimeError("no GPU here")
''')
VOCAB = "abcdef(): \nx"  # 12 characters, ids 0..11


@pytest.fixture
def user(tmp_path, monkeypatch):
    """A directory holding the user's models module and the weights of each model."""
    (tmp_path / "usermodels.py").write_text(USER_MODELS)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("usermodels", None)
    import usermodels

    torch.manual_seed(0)
    for name in ("CharLSTM", "Regressor", "Normed"):
        save_file(getattr(usermodels, name)().state_dict(), tmp_path / f"{name}.safetensors")
    (tmp_path / "vocab.txt").write_text(VOCAB, encoding="utf-8")
    (tmp_path / "code.txt").write_text("def f(a):\n  b(c)\n", encoding="utf-8")
    yield tmp_path
    sys.modules.pop("usermodels", None)


def test_a_char_model_is_imported_traced_on_a_text_file_and_its_trace_is_the_users_model(user):
    result = run("import", "usermodels:CharLSTM", "--weights", "CharLSTM.safetensors", "--vocab", "vocab.txt",
                 "-o", "char.safetensors")
    assert result.exit_code == 0, result.output
    assert "a 2-layer LSTM of 8 units (lstm, 12 characters)" in result.output
    ckpt = Checkpoint.load(user / "char.safetensors")
    assert ckpt.task == "imported" and ckpt.meta["vocab"] == list(VOCAB)
    assert ckpt.meta["train"]["factory"] == "usermodels:CharLSTM" and len(ckpt.meta["train"]["weights_sha256"]) == 64
    result = run("trace", "char.safetensors", "--text-file", "code.txt", "-o", "trace.safetensors")
    assert result.exit_code == 0, result.output
    trace = Trace.load(user / "trace.safetensors")
    assert "".join(trace.steps) == "def f(a):\n  b(c)\n"
    import explainer
    import usermodels

    theirs = usermodels.CharLSTM()
    theirs.load_state_dict(__import__("safetensors.torch").torch.load_file("CharLSTM.safetensors"))
    ids = torch.tensor([[VOCAB.index(c) for c in trace.steps]])
    direct = explainer.record(theirs, ids)
    for name in direct.names:
        assert np.allclose(trace[name], direct[name], atol=1e-5), name
    assert run("inspect", "char.safetensors").exit_code == 0


def test_a_real_valued_time_major_model_is_imported_and_traced_on_an_array(user):
    assert run("import", "usermodels:Regressor", "--weights", "Regressor.safetensors", "-o", "r.safetensors").exit_code == 0
    np.save(user / "x.npy", np.random.default_rng(0).normal(size=(7, 3)).astype(np.float32))  # [time, features]
    result = run("trace", "r.safetensors", "--input", "x.npy", "-o", "t.safetensors")
    assert result.exit_code == 0, result.output
    assert Trace.load(user / "t.safetensors")["layers.0.gates.z"].shape == (1, 7, 5)


@pytest.mark.parametrize("args, pattern", [
    (["usermodels"], r"^error: give the factory as MODULE:NAME, e\.g\. mymodels:CharLSTM; got 'usermodels'$"),
    (["nosuchmodule:Model"], r"^error: cannot import 'nosuchmodule' \(No module named 'nosuchmodule'\); run from the "
                             r"directory that holds it, or install it$"),
    (["usermodels:Missing"], r"^error: 'usermodels' has no 'Missing'; name a class or function defined in it$"),
    (["usermodels:broken"], r"^error: usermodels:broken\(\) raised RuntimeError: no GPU here; the factory must build"),
])
def test_a_factory_that_cannot_be_built_is_one_line(user, args, pattern):
    one_line_error(run("import", *args, "--weights", "CharLSTM.safetensors", "-o", "c.safetensors"), pattern)
    assert not (user / "c.safetensors").exists()


def test_weights_that_do_not_match_name_the_first_missing_and_unexpected_keys(user):
    state = {k.replace("fc.", "head."): v for k, v in
             __import__("safetensors.torch").torch.load_file(str(user / "CharLSTM.safetensors")).items()}
    save_file(state, user / "renamed.safetensors")
    one_line_error(run("import", "usermodels:CharLSTM", "--weights", "renamed.safetensors", "-o", "c.safetensors"),
                   r"^error: the weights in 'renamed\.safetensors' do not match CharLSTM's state dict \(missing "
                   r"'fc\.bias' and 1 more; unexpected 'head\.bias' and 1 more\); build the model they were saved from$")


def test_a_pickle_is_refused_without_being_read(user):
    import usermodels

    torch.save(usermodels.CharLSTM().state_dict(), user / "w.pt")
    one_line_error(run("import", "usermodels:CharLSTM", "--weights", "w.pt", "-o", "c.safetensors"),
                   r"^error: 'w\.pt' is a pickle \(torch\.save\), which runs code when read; save the weights with "
                   r"safetensors\.torch\.save_file")


def test_a_model_that_is_more_than_embedding_recurrent_linear_is_refused_with_the_gap(user):
    one_line_error(run("import", "usermodels:Normed", "--weights", "Normed.safetensors", "-o", "c.safetensors"),
                   r"^error: Normed computes something besides embedding -> recurrent module -> linear readout "
                   r"\(its output differs from that by up to [0-9.]+\); record it from Python with explainer\.record")


@pytest.mark.parametrize("vocab, pattern", [
    ("abc", r"^error: the vocabulary 'v\.txt' has 3 characters but the model's embedding has 12 token ids"),
    ("abcabcabcabc", r"^error: 'v\.txt' lists 'a' twice; each character is one token id$"),
])
def test_a_vocabulary_that_does_not_fit_the_embedding_is_one_line(user, vocab, pattern):
    (user / "v.txt").write_text(vocab)
    one_line_error(run("import", "usermodels:CharLSTM", "--weights", "CharLSTM.safetensors", "--vocab", "v.txt",
                       "-o", "c.safetensors"), pattern)


def test_a_json_vocabulary_is_read_as_a_list_of_characters(user):
    (user / "v.json").write_text(json.dumps(list(VOCAB)))
    assert run("import", "usermodels:CharLSTM", "--weights", "CharLSTM.safetensors", "--vocab", "v.json",
               "-o", "c.safetensors").exit_code == 0


@pytest.mark.parametrize("setup, args, pattern", [
    (lambda d: (d / "t.txt").write_text("def é"), ["--text-file", "t.txt"],
     r"^error: the text has 'é' \(line 1\), which the model's vocabulary of 12 characters lacks"),
    (lambda d: np.save(d / "x.npy", np.array([[1.5, 2.0]])), ["--input", "x.npy"],
     r"^error: this model reads token ids: an integer array \[time\] or \[batch, time\]; 'x\.npy' is float64 \[1, 2\]$"),
    (lambda d: np.save(d / "x.npy", np.array([3, 40])), ["--input", "x.npy"],
     r"^error: 'x\.npy': token ids must lie in 0\.\.11 \(the vocabulary size is 12\)$"),
    (lambda d: np.save(d / "x.npy", np.array([{"a": 1}], dtype=object)), ["--input", "x.npy"],
     r"^error: 'x\.npy' is not a numpy \.npy array without pickles"),
    (lambda d: None, [], r"^error: an imported model is recorded on your own input: give --text-file FILE"),
])
def test_an_input_the_imported_model_cannot_read_is_one_line(user, setup, args, pattern):
    assert run("import", "usermodels:CharLSTM", "--weights", "CharLSTM.safetensors", "--vocab", "vocab.txt",
               "-o", "c.safetensors").exit_code == 0
    setup(user)
    one_line_error(run("trace", "c.safetensors", *args, "-o", "t.safetensors"), pattern)
    assert not (user / "t.safetensors").exists()


def test_an_imported_model_is_not_offered_for_training():
    result = CliRunner().invoke(cli, ["train", "imported", "-o", "x.safetensors"])
    assert result.exit_code == 2 and "'imported' is not one of" in result.output
