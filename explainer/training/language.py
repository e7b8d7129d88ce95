"""Training on the toy language, its evaluation by distance, and unit discovery.

The model (embedding -> rnn | lstm | gru -> readout) scores the answers (she, he, the
languages) at every step; the loss is cross-entropy at the steps just before an answer.
Every update sees a fresh batch of passages from the seeded grammar.

Evaluation uses one fixed set of passages (the same for every model), so an RNN and an
LSTM are compared on the same sentences. An answer counts as right when the model's best
answer of the right type (a pronoun, or a language) is the true one.

Unit discovery: over the evaluation passages, the correlation of each unit's state (the
cell state c for an LSTM, h otherwise) with the current subject's gender (+1 female, -1
male). The units with the largest |correlation| are stored in the checkpoint, and for an
LSTM the mean forget gate on them is measured at a new subject's name and elsewhere.
"""

from __future__ import annotations

import numpy as np
import torch

from .. import names as N
from ..checkpoint import Checkpoint
from ..models import TokenModel
from ..tasks.language import ANSWERS, PRONOUN_CLASSES, Grammar, Passage, accuracy_by_distance, batch
from .config import TrainConfig
from .loop import Progress, fit

EVAL_SEED = 10_000
EVAL_PASSAGES = 600
UNIT_PASSAGES = 200
TOP_UNITS = 3
LANGUAGE_CLASSES = tuple(range(len(PRONOUN_CLASSES), len(ANSWERS)))


def train_language(config: TrainConfig, progress: Progress | None = None) -> Checkpoint:
    grammar = Grammar(seed=config.seed, distractors=config.distractors)
    torch.manual_seed(config.seed)
    model = TokenModel(config.kind, vocab_size=len(grammar.lexicon), num_classes=len(ANSWERS),
                       embed_size=config.embed_size, hidden_size=config.hidden_size)

    def batches():
        for _ in range(config.iters):
            ids, targets = batch([grammar.passage(max_filler=config.max_filler, short=config.short)
                                  for _ in range(max(config.batch_size, 1))])
            yield torch.from_numpy(ids), torch.from_numpy(targets)

    def loss_fn(m, ids, targets):
        scores = m(ids)  # [batch, time, answers]
        return torch.nn.functional.cross_entropy(scores.reshape(-1, scores.shape[-1]), targets.reshape(-1), ignore_index=-1)

    history = fit(model, batches(), loss_fn, config, config.iters, progress)
    passages = evaluation_passages()
    predictions = predict(model, passages)
    by_distance = accuracy_by_distance(passages, predictions)
    languages = accuracy_by_distance(passages, predictions, LANGUAGE_CLASSES)
    units = discover_units(model, passages[:UNIT_PASSAGES])
    return Checkpoint(model, {
        "train": config.to_dict(),
        "history": {"loss": history},
        "metrics": {
            "accuracy_by_distance": {b: v["accuracy"] for b, v in by_distance.items()},
            "count_by_distance": {b: v["count"] for b, v in by_distance.items()},
            "pronoun_accuracy": _overall(by_distance),
            "language_accuracy": _overall(languages),
        },
        "answers": ANSWERS,
        "units": units,
    })


def evaluation_passages(n: int = EVAL_PASSAGES) -> list[Passage]:
    """The fixed evaluation set: passages with uniform filler lengths up to distance 100."""
    grammar = Grammar(seed=EVAL_SEED)
    return [grammar.passage() for _ in range(n)]


def scores(model: TokenModel, passages: list[Passage], chunk: int = 100) -> list[np.ndarray]:
    """Answer scores [time, answers] of every passage (padding at the end changes nothing before it)."""
    out = []
    with torch.no_grad():
        for start in range(0, len(passages), chunk):
            group = passages[start:start + chunk]
            ids, _ = batch(group)
            s = model(torch.from_numpy(ids)).numpy()  # [batch, time, answers]
            out += [s[k, : len(p)] for k, p in enumerate(group)]
    return out


def predict(model: TokenModel, passages: list[Passage]) -> list[np.ndarray]:
    """The predicted class at every step: the best pronoun where a pronoun is due, else the best language."""
    out = []
    for p, s in zip(passages, scores(model, passages)):
        pronoun = np.asarray(PRONOUN_CLASSES)[s[:, list(PRONOUN_CLASSES)].argmax(-1)]
        language = np.asarray(LANGUAGE_CLASSES)[s[:, list(LANGUAGE_CLASSES)].argmax(-1)]
        out.append(np.where(np.isin(p.targets, LANGUAGE_CLASSES), language, pronoun))
    return out


def discover_units(model: TokenModel, passages: list[Passage], top: int = TOP_UNITS) -> dict:
    """The units whose state follows the subject's gender, and (LSTM) their forget gate."""
    from ..recorder import record

    row = model.core.spec.row
    layer = model.core.spec.num_layers - 1
    state = N.state(layer, "c" if row.has_cell else "h")
    forget = N.gate(layer, "f") if "f" in row.gates else None
    names = [state] + ([forget] if forget else [])
    ids, _ = batch(passages)
    trace = record(model, torch.from_numpy(ids), names=names)
    valid = np.zeros(ids.shape, dtype=bool)
    gender = np.zeros(ids.shape, dtype=np.float64)
    new_subject = np.zeros(ids.shape, dtype=bool)
    new_gender = np.zeros(ids.shape, dtype=bool)
    for k, p in enumerate(passages):
        valid[k, : len(p)] = True
        gender[k, : len(p)] = p.gender
        new_subject[k, : len(p)] = p.new_subject
        new_gender[k, : len(p)] = p.new_gender
    active = valid & (gender != 0)
    x = trace[state][active].astype(np.float64)  # [positions, units]
    y = gender[active]  # [positions]
    corr = _correlation(x, y)  # [units]
    order = np.argsort(-np.abs(corr), kind="stable")[:top]
    found = {
        "layer": layer, "state": N.letter_of(state),
        "units": [int(u) for u in order],
        "correlation": [float(corr[u]) for u in order],
        "all_correlations": [float(c) for c in corr],
    }
    if forget:
        f = trace[forget][..., order].astype(np.float64)  # [batch, time, top]
        elsewhere = valid & ~new_subject & ~new_gender
        found["forget_at_new_subject"] = float(f[new_subject].mean())  # the new subject's name
        found["forget_at_new_gender_word"] = float(f[new_gender].mean())  # its "male"/"female"
        found["forget_elsewhere"] = float(f[elsewhere].mean())
        found["new_subject_tokens"] = int(new_subject.sum())
    return {"gender": found}


def _correlation(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    xc = x - x.mean(0)
    yc = y - y.mean()
    denom = np.sqrt((xc ** 2).sum(0) * (yc ** 2).sum()) + 1e-12
    return (xc * yc[:, None]).sum(0) / denom


def _overall(buckets: dict[str, dict[str, float]]) -> float:
    hits = sum(v["accuracy"] * v["count"] for v in buckets.values() if v["count"])
    count = sum(v["count"] for v in buckets.values())
    return float(hits / count) if count else float("nan")
