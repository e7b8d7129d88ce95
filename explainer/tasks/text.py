"""Real text, one character per step: the Python standard library's own source, or a corpus of yours.

Karpathy's char-rnn task ("The Unreasonable Effectiveness of Recurrent Neural Networks"):
read a text one character at a time and predict the next one. Its score is bits per
character (bpc) on held-out text: log2 of the vocabulary size for a model that knows
nothing (about 6.6 bits here), about 4.5 for letter frequencies alone, under 2 for a model
that has learnt words, indentation and brackets.

**The corpus.** With no `--corpus`, the `.py` files of the Python standard library this
Python runs on (found through `sysconfig.get_paths()["stdlib"]`): real text on every
machine, written by nobody here. Left out: `site-packages` and `dist-packages` (not the
standard library), and every directory named `test`, `tests` or `idle_test` (the test
suite is an optional package on some systems, so with it the corpus would differ between
two installs of the same Python). `--corpus FILE` is one UTF-8 text file; `--corpus DIR`
every file under DIR (recursively, hidden names skipped, symbolic links not followed)
that is UTF-8 text: a file that is not UTF-8 or holds a NUL byte (a binary) is skipped and
counted, never an error. Files are taken in the sorted order of their paths relative to the
corpus, so the same corpus gives the same text on every machine. Line endings become "\\n".

**The held-out split.** A corpus of at least `HOLD_EVERY` files holds out every
`HOLD_EVERY`-th file of that sorted list (the 10th, 20th, ...): whole modules the model
never saw. A smaller one (or one FILE) holds out the last tenth of its text, from a line
start. Both are fixed by the corpus alone.

**How much is read.** At most `MAX_TRAIN_CHARS` (4,000,000) characters to train on and
`MAX_HELDOUT_CHARS` (250,000) held out. When the files hold more, every s-th file of each
part is read, s the smallest stride whose files' bytes fit (so the text spans the whole
library instead of its first modules), and reading stops at the cap, at a line end. For
the standard library of Python 3.11 (734 files) that is every 3rd training file (220 files,
4.0 million characters: the cap) and every 5th held-out one (18 files, 178,000 characters).
Nothing is ever read past `MAX_TRAIN_CHARS + MAX_HELDOUT_CHARS` bytes of one file.

**The vocabulary.** The characters of the training text seen at least `MIN_COUNT` (10)
times, plus `PLACEHOLDER` (U+FFFD, "�"), sorted by code point; id = position. Every rarer
character, and every character of a held-out or recorded text the vocabulary lacks, reads
as the placeholder (the step label keeps the real character). It is stored in the
checkpoint as `vocab`, one character per id, as an imported character model's is.

**The score.** Bits per character over the whole held-out text (as read, at most 250,000
characters), read as `EVAL_STREAMS` contiguous streams side by side, each from a zero
state carried through the stream: every character but a stream's first is predicted from
all the characters before it in its stream.

**The preset** (`tuned`, the only one): a 2-layer LSTM of 128 units on an embedding of 16
(`explainer train text` trains an LSTM unless `--model` says otherwise), 32 streams, 100
characters per update, 8,000 updates (25.6 million characters, about six passes over the
standard library's 4 million), Adam at 0.005 annealed to 0 (cosine), gradient norm clipped
at 1. Bounded by updates, not by the clock, so a run is the same everywhere. Measured
(`benchmarks/task_targets.py text`, 2 threads, Python 3.11.7): LSTM 1.74 bits per character
in 214 s (169 s on an idle machine); GRU 1.74 in 573 s (its fused kernel trains about half
as fast here); RNN 2.03 in 241 s. Half as many updates give the LSTM 1.84 bpc, but
vaguer cells (its best indentation unit r = +0.59 on the snippet, against -0.81).

**What `explainer trace` records.** The held-out snippet: `SNIPPET_CHARS` characters of
whole lines from the middle of the held-out text, from a line that is not indented, stored in the checkpoint (`corpus.snippet`),
so a checkpoint is recorded the same without its corpus; or `--text-file FILE`, as for an
imported character model.

    >>> vocab = build_vocab("ab\\n" * 10 + "é")
    >>> vocab                                       # 'é' is rare: it reads as the placeholder
    ['\\n', 'a', 'b', '\\ufffd']
    >>> encode("abé", vocab).tolist()
    [1, 2, 3]
    >>> meta = {"vocab": vocab, "corpus": {"snippet": "ab\\nba\\n"}}
    >>> e = explain(meta)
    >>> e.x.tolist(), e.steps[:3], e.meta["tokenizer"]
    ([[1, 2, 0, 2, 1, 0]], ['a', 'b', '\\n'], 'chars')
"""

from __future__ import annotations

import codecs
import hashlib
import math
import os
import re
import sys
import sysconfig
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ExplainerError
from .imported import MAX_STEPS
from .registry import Explanation, Option, Task, register

#: Every HOLD_EVERY-th file of a corpus's sorted list is held out (a corpus of fewer files: its last tenth).
HOLD_EVERY = 10
#: The most characters read to train on, and held out.
MAX_TRAIN_CHARS = 4_000_000
MAX_HELDOUT_CHARS = 250_000
#: The least text a corpus needs: to train on, and held out.
MIN_TRAIN_CHARS = 1_000
MIN_HELDOUT_CHARS = 100
#: A character seen fewer times in the training text reads as PLACEHOLDER.
MIN_COUNT = 10
PLACEHOLDER = "\ufffd"
#: The held-out text is scored as this many streams side by side (fewer for a short text: each at least MIN_STREAM).
EVAL_STREAMS = 25
MIN_STREAM = 50
#: The held-out snippet `explainer trace` records and discovery reads.
SNIPPET_CHARS = 1_500
#: Directories of the standard library left out of the default corpus.
STDLIB_SKIPPED = frozenset({"site-packages", "dist-packages", "test", "tests", "idle_test", "__pycache__"})
#: The largest embedding (the preset uses 16; the same declaration as the language task's).
MAX_EMBED = 4096
MAX_LAYERS = 8
MAX_BPTT = 10_000


@dataclass(frozen=True)
class Corpus:
    """A corpus as read: the training text, the held-out text, and how they were chosen."""

    name: str  # what the corpus is, for people: "the Python 3.11.7 standard library" or the path given
    train: str
    heldout: str
    files: int  # files in the corpus (text or not)
    train_files: int  # files the training text was read from
    heldout_files: int  # ... and the held-out text
    skipped: int  # files left out: not UTF-8, binary, unreadable
    split: str  # "every 10th file" or "the last tenth"

    def snippet(self, chars: int = SNIPPET_CHARS) -> str:
        """`chars` characters of whole lines from the middle of the held-out text (all of it when shorter),
        from the first line there that is not indented (in code: a statement at the top of a module)."""
        text = self.heldout
        if len(text) <= chars:
            return text
        middle = len(text) // 2 - chars // 2
        top = re.compile(r"\n(?=[^\s])").search(text, middle, len(text) - chars)
        start = top.end() if top else text.find("\n", middle) + 1  # a line start (0 if there is none)
        piece = text[start:start + chars]
        end = piece.rfind("\n")
        return piece[:end + 1] if end >= chars // 2 else piece

    def describe(self) -> dict[str, Any]:
        """The checkpoint's `corpus` section: what was read, a digest of it, and the snippet."""
        digest = hashlib.sha256(self.train.encode() + b"\0" + self.heldout.encode()).hexdigest()
        return {"name": self.name, "files": self.files, "train_files": self.train_files,
                "heldout_files": self.heldout_files, "skipped": self.skipped, "split": self.split,
                "train_chars": len(self.train), "heldout_chars": len(self.heldout), "sha256": digest,
                "snippet": self.snippet()}


# -- finding the files ----------------------------------------------------------------------------
def stdlib_files() -> tuple[Path, list[Path]]:
    """The standard library's root and its `.py` files, sorted by relative path (no site-packages, no tests)."""
    root = Path(sysconfig.get_paths()["stdlib"])
    return root, _walk(root, lambda name: name.endswith(".py"), STDLIB_SKIPPED)


def corpus_files(root: Path) -> list[Path]:
    """Every file under `root` (not hidden, links not followed), sorted by relative path."""
    return _walk(root, lambda name: True, frozenset())


def _walk(root: Path, wanted, skipped: frozenset[str]) -> list[Path]:
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in skipped and not d.startswith(".")]
        found += [Path(folder, n) for n in names if wanted(n) and not n.startswith(".")]
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


# -- reading -----------------------------------------------------------------------------------------
class NotText(Exception):
    """A file that is not UTF-8 text: why."""


def read_text(path: Path, limit: int) -> str:
    """The first `limit` bytes of `path` as text (UTF-8, line endings "\\n"); `NotText` if it is not text."""
    try:
        with open(path, "rb") as f:
            data = f.read(limit)
    except OSError as e:
        raise NotText(f"cannot be read ({e.strerror})") from None
    try:  # a character cut by the limit is left out, not an error
        text = codecs.getincrementaldecoder("utf-8")().decode(data, final=len(data) < limit)
    except UnicodeDecodeError as e:
        raise NotText(f"is not UTF-8 text (byte {e.start})") from None
    if "\0" in text:
        raise NotText("holds NUL bytes (a binary file)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _stride(files: list[Path], limit: int) -> list[Path]:
    """Every s-th file, s the smallest stride whose files' bytes fit in `limit` (roughly: sizes vary)."""
    total = sum(_size(f) for f in files)
    return files[::max(1, math.ceil(total / limit))]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _gather(files: list[Path], limit: int) -> tuple[str, int, int]:
    """The text of `files` in order up to `limit` characters (cut at a line end), files read, files skipped."""
    parts: list[str] = []
    size = read = skipped = 0
    for path in files:
        if size >= limit:
            break
        try:
            text = read_text(path, limit - size)
        except NotText:
            skipped += 1
            continue
        if not text:
            continue
        if not text.endswith("\n"):
            text += "\n"
        if size + len(text) > limit:
            text = text[:text.rfind("\n", 0, limit - size) + 1]
            if not text:  # no line end before the cap
                break
        parts.append(text)
        size += len(text)
        read += 1
    return "".join(parts), read, skipped


def read_corpus(corpus: str | os.PathLike | None = None) -> Corpus:
    """The corpus (None: the standard library's `.py` files), split and capped as the module says."""
    if corpus is None:
        root, files = stdlib_files()
        v = sys.version_info
        name = f"the Python {v.major}.{v.minor}.{v.micro} standard library"
        if not files:
            raise ExplainerError(f"found no .py files in the Python standard library at '{root}'; give a corpus with "
                                 "--corpus FILE|DIR")
        return _split(name, files)
    path = Path(corpus)
    if path.is_dir():
        files = corpus_files(path)
        if not files:
            raise ExplainerError(f"the corpus directory '{path}' holds no files; give a text FILE or a DIR of text "
                                 "files")
        return _split(str(path), files)
    if not path.exists():
        raise ExplainerError(f"no corpus '{path}'; give a text FILE or a DIR of text files")
    try:
        text = read_text(path, MAX_TRAIN_CHARS + MAX_HELDOUT_CHARS)
    except NotText as e:
        raise ExplainerError(f"the corpus '{path}' {e}; give a UTF-8 text file") from None
    return _tail(str(path), text, files=1, read=int(bool(text)), skipped=0)


def _split(name: str, files: list[Path]) -> Corpus:
    """Every HOLD_EVERY-th file held out, or (fewer files) the last tenth of their text."""
    if len(files) < HOLD_EVERY:
        text, read, skipped = _gather(files, MAX_TRAIN_CHARS + MAX_HELDOUT_CHARS)
        return _tail(name, text, len(files), read, skipped)
    held = files[HOLD_EVERY - 1::HOLD_EVERY]
    kept = [f for k, f in enumerate(files) if (k + 1) % HOLD_EVERY]
    train, train_read, skipped = _gather(_stride(kept, MAX_TRAIN_CHARS), MAX_TRAIN_CHARS)
    heldout, held_read, held_skipped = _gather(_stride(held, MAX_HELDOUT_CHARS), MAX_HELDOUT_CHARS)
    return _checked(Corpus(name, train, heldout, len(files), train_read, held_read, skipped + held_skipped,
                           f"every {_ordinal(HOLD_EVERY)} file"))


def _tail(name: str, text: str, files: int, read: int, skipped: int) -> Corpus:
    """The last tenth of `text` held out (at most MAX_HELDOUT_CHARS), from a line start where one is near."""
    cut = len(text) - min(len(text) // 10, MAX_HELDOUT_CHARS)
    line = text.find("\n", cut) + 1
    if 0 < line < len(text) and len(text) - line >= MIN_HELDOUT_CHARS:
        cut = line
    return _checked(Corpus(name, text[:min(cut, MAX_TRAIN_CHARS)], text[cut:], files, read, min(read, 1), skipped,
                           "the last tenth"))


def _checked(corpus: Corpus) -> Corpus:
    """`corpus`, or one line saying that it holds no text or too little to hold some out."""
    if not corpus.train and not corpus.heldout:
        why = ("no file read is UTF-8 text (each is not UTF-8, or a binary)" if corpus.skipped
               else "its text is empty")
        raise ExplainerError(f"the corpus '{corpus.name}' holds no text: {why}; give a text FILE or a DIR of text "
                             "files")
    if len(corpus.train) < MIN_TRAIN_CHARS or len(corpus.heldout) < MIN_HELDOUT_CHARS:
        raise ExplainerError(
            f"the corpus '{corpus.name}' is too small to hold text out: {len(corpus.train):,} characters to train on "
            f"and {len(corpus.heldout):,} held out ({corpus.split}); it needs at least {MIN_TRAIN_CHARS:,} and "
            f"{MIN_HELDOUT_CHARS:,}: give more text")
    return corpus


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


# -- the vocabulary -----------------------------------------------------------------------------------
def build_vocab(text: str, min_count: int = MIN_COUNT) -> list[str]:
    """The characters of `text` seen at least `min_count` times, and PLACEHOLDER, sorted by code point."""
    counts = Counter(text)
    return sorted({c for c, n in counts.items() if n >= min_count} | {PLACEHOLDER})


def encode(text: str, vocab: list[str]) -> np.ndarray:
    """Token ids [len(text)] of `text` (int64); a character the vocabulary lacks reads as PLACEHOLDER."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)  # [chars]
    known = np.array([ord(c) for c in vocab], dtype=np.uint32)  # [vocab]
    order = np.argsort(known, kind="stable")  # [vocab]
    at = np.minimum(np.searchsorted(known[order], codes), len(known) - 1)  # [chars]
    found = known[order][at] == codes  # [chars]
    if not found.all() and PLACEHOLDER not in vocab:
        c = text[int(np.argmin(found))]
        raise ExplainerError(f"the text has {c!r}, which the model's vocabulary of {len(vocab)} characters lacks")
    return np.where(found, order[at], vocab.index(PLACEHOLDER) if PLACEHOLDER in vocab else 0).astype(np.int64)


# -- the score ----------------------------------------------------------------------------------------
def streams(ids: np.ndarray, rows: int) -> np.ndarray:
    """`ids` [n] as `rows` contiguous streams side by side [rows, n // rows] (the last n % rows ids left out)."""
    length = len(ids) // rows
    return ids[:rows * length].reshape(rows, length)  # [rows, length]


def eval_streams(n: int) -> int:
    """How many streams a held-out text of `n` characters is scored in."""
    return max(1, min(EVAL_STREAMS, n // MIN_STREAM))


def nats(scores: np.ndarray, targets: np.ndarray) -> float:
    """The summed cross-entropy (nats) of unnormalised scores [..., vocab] for target ids [...]."""
    top = scores.max(-1, keepdims=True)  # [..., 1]
    log_z = np.log(np.exp(scores - top).sum(-1)) + top[..., 0]  # [...]
    picked = np.take_along_axis(scores, targets[..., None], -1)[..., 0]  # [...]
    return float((log_z - picked).astype(np.float64).sum())


def bits_per_char(total_nats: float, count: int) -> float:
    """Bits per predicted character."""
    return total_nats / math.log(2) / count


# -- the task -----------------------------------------------------------------------------------------
def explain(meta: Mapping[str, Any], text_file: str | None = None) -> Explanation:
    """The held-out snippet (or your text file), one step per character, through the checkpoint's vocabulary."""
    vocab = meta["vocab"]
    if text_file is None:
        text = meta["corpus"]["snippet"]
    else:
        path = Path(text_file)
        if path.is_dir():
            raise ExplainerError(f"'{path}' is a directory; give one text file")
        if not path.exists():
            raise ExplainerError(f"no text file '{path}'")
        try:
            text = read_text(path, 4 * MAX_STEPS + 4)
        except NotText as e:
            raise ExplainerError(f"'{path}' {e}; give a text file") from None
        if not text:
            raise ExplainerError(f"'{path}' is empty; give a text with at least one character")
        if len(text) > MAX_STEPS:
            raise ExplainerError(f"'{path}' has more than {MAX_STEPS:,} characters; record at most {MAX_STEPS:,} at a "
                                 "time (cut the file)")
    ids = encode(text, vocab)  # [time]
    return Explanation(ids[None], list(text), {"tokenizer": "chars", "token_ids": ids.tolist()})  # x [1, time]


def _summary(meta: Mapping[str, Any]) -> list[str]:
    c = meta["corpus"]
    lines = [f"bits per character on held-out text {meta['metrics']['bpc']:.3f} ({c['heldout_chars']:,} characters "
             f"of {c['heldout_files']} files, {c['split']} held out)",
             f"trained on {c['train_chars']:,} characters of {c['train_files']} files of {c['name']}; "
             f"a vocabulary of {len(meta['vocab'])} characters"]
    found = meta.get("units") or {}
    if found:
        lines.append("units: " + "; ".join(
            f"{feature} {u['layer']}.{u['state']}.{u['units'][0]} (r = {u['correlation'][0]:+.2f})"
            for feature, u in found.items() if u.get("units") and u.get("correlation")))
    return lines


register(Task(
    name="text", rank=30,
    description="real text, one character at a time: the Python standard library's source, or your --corpus",
    presets={
        "tuned": dict(hidden_size=128, layers=2, embed_size=16, bptt=100, optimizer="adam", lr=0.005,
                      schedule="cosine", iters=8000, batch_size=32, clip=1.0),
    },
    options=(
        Option("corpus", "A text FILE, or a DIR of text files, to train on [default: the Python standard library's "
                         ".py files].", str),
        Option("layers", f"Recurrent layers, 1 to {MAX_LAYERS} [preset: 2].", low=1, high=MAX_LAYERS),
        Option("embed_size", f"Embedding size, 1 to {MAX_EMBED} [preset: 16].", low=1, high=MAX_EMBED,
               what="embedding size"),
        Option("bptt", f"Characters per update of each stream (truncated backpropagation through time), 1 to "
                       f"{MAX_BPTT} [preset: 100].", low=1, high=MAX_BPTT, what="bptt length"),
    ),
    defaults=dict(corpus=None, layers=2, embed_size=16, bptt=100),
    recipe="explainer.training.text:train_text",
    explain=explain,
    trace_options=(
        Option("text_file", "A text FILE to record a character model on (one step per character).", str),
    ),
    metrics=("bpc",),
    sections=("corpus", "units"),
    summary=_summary,
    default_model="lstm",
    shipped_dtype="float16",  # 1,500 steps of 2 layers' every gate and state: 4.6 MB, not 9.2
    shipped_models=("lstm",),  # assets/ ship the default model only (the GRU trains at half its speed)
))
