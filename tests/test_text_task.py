"""The text task: a character model trained on real text, scored in bits per character on held-out text.

Its corpus (the standard library's source by default, or a FILE or DIR of yours) is read in
a fixed order with a fixed held-out split; its vocabulary is stored in the checkpoint, so
`explainer trace` records it on the held-out snippet or on a text file; a corpus it cannot
use is refused in one line.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from explainer import ExplainerError
from explainer.checkpoint import read_meta
from explainer.tasks.text import HOLD_EVERY, PLACEHOLDER, bits_per_char, build_vocab, encode, nats, read_corpus, \
    stdlib_files
from explainer.training import preset_config, train
from cli_checks import one_line_error, run

TINY = ["--hidden", 8, "--iters", 3, "--batch-size", 2, "--bptt", 20]
LINES = ["def f{k}(x):\n", "    return (x + {k}) * 2  # twice\n", "\n", "class C{k}:\n", '    """A class."""\n',
         "    value = [{k}, 'a', \"b\"]\n"]


def module(k: int) -> str:
    return "".join(line.format(k=k) for line in LINES) * 2


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A directory of 12 small Python files (the 10th in sorted order held out) and a binary to skip (sorted last)."""
    root = tmp_path / "corpus"
    (root / "pkg").mkdir(parents=True)
    for k in range(12):
        (root / ("pkg" if k % 2 else "") / f"m{k:02d}.py").write_text(module(k))
    (root / "zz-logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe")
    return root


def test_the_default_corpus_is_the_standard_librarys_own_source_in_sorted_order():
    root, files = stdlib_files()
    relative = [f.relative_to(root).as_posix() for f in files]
    assert len(files) > 100 and relative == sorted(relative) and all(r.endswith(".py") for r in relative)
    assert not any(set(Path(r).parts[:-1]) & {"site-packages", "dist-packages", "test", "tests", "idle_test"}
                   for r in relative), "no installed packages, no test suite"
    first, again = read_corpus(), read_corpus()
    assert first.split == "every 10th file" and first.describe() == again.describe(), "the same text, every time"
    assert 1_000_000 <= len(first.train) <= 4_000_000 and 50_000 <= len(first.heldout) <= 250_000
    assert first.heldout[:2000] not in first.train, "held-out modules are not trained on"


def test_a_directory_holds_out_every_10th_file_of_its_sorted_list_and_skips_binaries(corpus):
    c = read_corpus(corpus)
    files = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*.py"))
    held = files[HOLD_EVERY - 1::HOLD_EVERY]
    assert held == ["pkg/m07.py"] and c.heldout == module(7)
    assert c.train == "".join(module(int(Path(f).stem[1:])) for f in files if f not in held)
    assert (c.files, c.train_files, c.heldout_files, c.skipped) == (13, 11, 1, 1), "the PNG is skipped, counted"


def test_a_single_file_holds_out_its_last_tenth_from_a_line_start(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("".join(module(k) for k in range(12)))
    c = read_corpus(path)
    assert c.split == "the last tenth" and c.train + c.heldout == path.read_text()
    assert c.train.endswith("\n") and 0.08 < len(c.heldout) / len(path.read_text()) < 0.12


def test_rare_characters_read_as_the_placeholder_and_the_vocabulary_is_sorted():
    vocab = build_vocab("abc\n" * 20 + "é")
    assert vocab == sorted(vocab) and PLACEHOLDER in vocab and "é" not in vocab
    ids = encode("cabé→", vocab)
    assert ids.tolist() == [vocab.index(c) for c in "cab"] + [vocab.index(PLACEHOLDER)] * 2


def test_bits_per_character_of_a_model_that_knows_nothing_is_log2_of_the_vocabulary():
    scores = np.zeros((3, 7, 100), np.float32)  # [streams, steps, vocab]: every character equally likely
    targets = np.random.default_rng(0).integers(0, 100, (3, 7))
    assert bits_per_char(nats(scores, targets), targets.size) == pytest.approx(math.log2(100), rel=1e-5)
    scores[np.arange(3)[:, None], np.arange(7), targets] = 30.0  # sure, and right
    assert bits_per_char(nats(scores, targets), targets.size) < 1e-6


def test_train_text_on_a_corpus_directory_writes_a_character_lstm_with_its_vocabulary_and_bpc(corpus, tmp_path):
    out = tmp_path / "text.safetensors"
    result = run("train", "text", "--corpus", corpus, *TINY, "-o", out)
    assert result.exit_code == 0, result.output
    assert "bits per character on held-out text" in result.output and f"wrote {out}" in result.output
    meta = read_meta(out)
    assert meta["model"]["kind"] == "lstm" and meta["model"]["num_layers"] == 2, "the text task's default model"
    assert meta["vocab"] == sorted(set(meta["vocab"])) and len(meta["vocab"]) == meta["model"]["vocab_size"]
    assert 0 < meta["metrics"]["bpc"] < 10 and meta["train"]["corpus"] == str(corpus)
    assert meta["corpus"]["snippet"] == module(7) and meta["corpus"]["split"] == "every 10th file"
    assert isinstance(meta["units"], dict)
    info = json.loads(run("inspect", out, "--json").output)
    assert info["metrics"]["bpc"] == meta["metrics"]["bpc"]


def test_trace_records_the_held_out_snippet_or_a_text_file_one_character_per_step(corpus, tmp_path):
    ckpt = tmp_path / "text.safetensors"
    assert run("train", "text", "--corpus", corpus, *TINY, "-o", ckpt).exit_code == 0
    from explainer.trace import Trace

    result = run("trace", ckpt, "-o", tmp_path / "t.safetensors")
    assert result.exit_code == 0 and "text: 'def f7(x)" in result.output, result.output
    trace = Trace.load(tmp_path / "t.safetensors")
    vocab = read_meta(ckpt)["vocab"]
    assert trace.meta["tokenizer"] == "chars" and "".join(trace.steps) == module(7)
    rare = vocab.index(PLACEHOLDER)  # '7' is seen in the held-out file only
    assert trace.meta["token_ids"] == [vocab.index(c) if c in vocab else rare for c in module(7)]
    mine = tmp_path / "mine.py"
    mine.write_text("x = 'é'\n")
    assert run("trace", ckpt, "--text-file", mine, "-o", tmp_path / "m.safetensors").exit_code == 0
    trace = Trace.load(tmp_path / "m.safetensors")
    assert trace.steps == list("x = 'é'\n") and trace.meta["token_ids"][5] == vocab.index(PLACEHOLDER)


@pytest.mark.parametrize("kind", ["rnn", "gru"])
def test_rnn_and_gru_text_models_train_too(kind, corpus):
    ckpt = train(preset_config("text", kind, corpus=str(corpus), hidden_size=4, iters=2, batch_size=2, bptt=10))
    assert ckpt.model.core.spec.kind.startswith(kind) and math.isfinite(ckpt.meta["metrics"]["bpc"])


def corpora(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binaries").mkdir()
    for k in range(3):
        (tmp_path / "binaries" / f"b{k}.bin").write_bytes(bytes(range(256)))
    (tmp_path / "latin1.txt").write_bytes("caf\xe9\n".encode("latin-1") * 500)
    (tmp_path / "small.txt").write_text("print(1)\n" * 30)
    return {name: tmp_path / name for name in ("missing", "empty", "empty.txt", "binaries", "latin1.txt", "small.txt")}


@pytest.mark.parametrize("name,pattern", [
    ("missing", r"^error: no corpus '.*missing'; give a text FILE or a DIR of text files$"),
    ("empty", r"^error: the corpus directory '.*empty' holds no files; give a text FILE or a DIR of text files$"),
    ("empty.txt", r"^error: the corpus '.*empty.txt' holds no text: its text is empty; give a text FILE"),
    ("binaries", r"^error: the corpus '.*binaries' holds no text: no file read is UTF-8 text \(each is not UTF-8, "
                 r"or a binary\)"),
    ("latin1.txt", r"^error: the corpus '.*latin1.txt' is not UTF-8 text \(byte 3\); give a UTF-8 text file$"),
    ("small.txt", r"^error: the corpus '.*small.txt' is too small to hold text out: 243 characters to train on and "
                  r"27 held out \(the last tenth\); it needs at least 1,000 and 100: give more text$"),
])
def test_a_corpus_it_cannot_use_is_refused_in_one_line(name, pattern, tmp_path):
    path = corpora(tmp_path)[name]
    one_line_error(run("train", "text", "--corpus", path, *TINY, "-o", tmp_path / "c.safetensors"), pattern)
    assert not (tmp_path / "c.safetensors").exists()


def test_streams_longer_than_the_text_are_refused_in_one_line(corpus, tmp_path):
    result = run("train", "text", "--corpus", corpus, "--batch-size", 64, "--iters", 1, "-o", tmp_path / "c.st")
    one_line_error(result, r"^error: the training text \([\d,]+ characters\) is too short for 64 streams of 101 "
                           r"characters; lower --batch-size or --bptt, or give more text$")


def test_a_text_file_that_is_not_text_is_refused_when_tracing(corpus, tmp_path):
    ckpt = train(preset_config("text", "lstm", corpus=str(corpus), hidden_size=4, iters=1, batch_size=2, bptt=10))
    from explainer.explain import trace_checkpoint

    (tmp_path / "x.bin").write_bytes(b"\xff\xfe\0")
    with pytest.raises(ExplainerError, match=r"^'.*x.bin' is not UTF-8 text \(byte 0\); give a text file$"):
        trace_checkpoint(ckpt, text_file=str(tmp_path / "x.bin"))
    with pytest.raises(ExplainerError, match=r"^no text file '.*nothing.txt'$"):
        trace_checkpoint(ckpt, text_file=str(tmp_path / "nothing.txt"))


def test_the_text_checkpoint_says_what_it_read(corpus):
    ckpt = train(preset_config("text", "gru", corpus=str(corpus), hidden_size=4, iters=1, batch_size=2, bptt=10))
    c = ckpt.meta["corpus"]
    trained = sum(len(module(k)) for k in range(12) if k != 7)
    assert (c["train_chars"], c["heldout_chars"], c["files"], c["skipped"]) == (trained, len(module(7)), 13, 1)
    assert len(c["sha256"]) == 64 and c["name"] == str(corpus)


def test_the_snippet_is_whole_lines_from_the_middle_of_the_held_out_text_from_an_unindented_line():
    from explainer.tasks.text import Corpus

    held = "".join(module(k) for k in range(200))  # about 50,000 characters
    snippet = Corpus("x", "", held, 0, 0, 0, 0, "").snippet(4000)
    start = held.index(snippet)
    assert len(held) / 2 - 4000 < start < len(held) / 2 and held[start - 1] == "\n" and not snippet[0].isspace()
    assert 2000 < len(snippet) <= 4000 and snippet.endswith("\n")
