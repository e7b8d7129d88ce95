"""Training a character model on real text: truncated backpropagation through time, as char-rnn does.

The training text (`explainer/tasks/text.py`: the standard library's source or your
corpus) is cut into `batch_size` contiguous streams read side by side. Every update reads
the next `bptt` characters of every stream and predicts each one's successor; the state
at the end of the chunk starts the next one (detached: gradients flow back at most `bptt`
steps). At the end of a stream every stream starts over from a zero state (a new pass
over the text). Adam, the gradient norm clipped, the learning rate annealed (cosine).

After training: bits per character on the whole held-out text (its score, streamed with
state carried, `score`), and unit discovery on the held-out snippet: its trace, recorded
as `explainer trace` records it, is read by `explainer.probes.text_units.discover` (the
units of every layer, c and h, that best follow each text feature), stored as `units`.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import torch

from ..checkpoint import Checkpoint
from ..errors import ExplainerError
from ..models import TokenModel
from ..tasks.text import bits_per_char, build_vocab, encode, eval_streams, explain, nats, read_corpus, \
    streams
from .config import TrainConfig
from .loop import Progress, fit

#: Held-out characters scored per forward pass of every stream (the state is carried between them).
EVAL_CHUNK = 1_000


def train_text(config: TrainConfig, progress: Progress | None = None) -> Checkpoint:
    if config.batch_size < 1:
        raise ExplainerError("the text task reads --batch-size streams side by side; give at least 1")
    corpus = read_corpus(config.corpus)
    vocab = build_vocab(corpus.train)
    rows = streams(encode(corpus.train, vocab), config.batch_size)  # [batch, length]
    if rows.shape[1] < config.bptt + 1:
        raise ExplainerError(
            f"the training text ({len(corpus.train):,} characters) is too short for {config.batch_size} streams of "
            f"{config.bptt + 1} characters; lower --batch-size or --bptt, or give more text")
    torch.manual_seed(config.seed)
    model = TokenModel(config.kind, vocab_size=len(vocab), num_classes=len(vocab), embed_size=config.embed_size,
                       hidden_size=config.hidden_size, num_layers=config.layers)
    carried: dict[str, object] = {"state": None}

    def loss_fn(m: TokenModel, inputs: tuple[torch.Tensor, bool], targets: torch.Tensor) -> torch.Tensor:
        x, fresh = inputs
        out, state = m.states(x, None if fresh else carried["state"])  # [batch, bptt, hidden]
        carried["state"] = _detached(state)
        scores = m.readout(out)  # [batch, bptt, vocab]
        return torch.nn.functional.cross_entropy(scores.reshape(-1, scores.shape[-1]), targets.reshape(-1))

    history = fit(model, chunks(rows, config.bptt, config.iters), loss_fn, config, config.iters, progress)
    heldout = encode(corpus.heldout, vocab)  # [chars]
    meta = {"vocab": vocab, "corpus": corpus.describe()}
    return Checkpoint(model, {
        "train": config.to_dict(),
        "history": {"loss": history},
        "metrics": {"bpc": score(model, heldout)},
        **meta,
        "units": discover_units(model, meta),
    })


def chunks(rows: np.ndarray, bptt: int, iters: int) -> Iterator[tuple[tuple[torch.Tensor, bool], torch.Tensor]]:
    """`iters` updates over streams [batch, length]: ((x [batch, bptt], fresh), y [batch, bptt]), y = x shifted.

    `fresh` marks the first chunk of a pass: the state starts from zero there.

        >>> rows = np.arange(10).reshape(2, 5)
        >>> [(x.tolist(), fresh, y.tolist()) for (x, fresh), y in chunks(rows, 2, 3)]
        [([[0, 1], [5, 6]], True, [[1, 2], [6, 7]]),
         ([[2, 3], [7, 8]], False, [[3, 4], [8, 9]]),
         ([[0, 1], [5, 6]], True, [[1, 2], [6, 7]])]
    """
    per_pass = (rows.shape[1] - 1) // bptt
    for update in range(iters):
        start = (update % per_pass) * bptt
        window = torch.from_numpy(np.ascontiguousarray(rows[:, start:start + bptt + 1]))  # [batch, bptt + 1]
        yield (window[:, :-1], start == 0), window[:, 1:]


def score(model: TokenModel, ids: np.ndarray) -> float:
    """Bits per character over the whole of `ids` [chars], read as `eval_streams` streams with state carried."""
    rows = streams(ids, eval_streams(len(ids)))  # [streams, length]
    total, count, state = 0.0, 0, None
    model.eval()
    with torch.no_grad():
        for start in range(0, rows.shape[1] - 1, EVAL_CHUNK):
            x = torch.from_numpy(np.ascontiguousarray(rows[:, start:start + EVAL_CHUNK]))  # [streams, chunk]
            targets = rows[:, start + 1:start + EVAL_CHUNK + 1]  # [streams, chunk or one less at the end]
            out, state = model.states(x, state)  # [streams, chunk, hidden]
            scores = model.readout(out).numpy()[:, :targets.shape[1]]  # [streams, chunk, vocab]
            total += nats(scores, targets)
            count += targets.size
    return bits_per_char(total, count)


def discover_units(model: TokenModel, meta: dict) -> dict:
    """The best units per text feature on the held-out snippet, as `explainer.probes.text_units` finds them."""
    from ..probes.text_units import discover
    from ..recorder import record

    e = explain(meta)
    trace = record(model, torch.from_numpy(e.x), steps=e.steps, meta=e.meta)
    return discover(trace)


def _detached(state):
    """The state (h, or (h, c) for an LSTM) cut from the graph of the chunk that made it."""
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()

