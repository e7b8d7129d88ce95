"""Training on the toy language, its evaluation by distance, and unit discovery.

The model (embedding -> rnn | lstm | gru -> readout) scores the answers (she, he, the
languages) at every step; the loss is cross-entropy at the steps just before an answer.
Every update sees a fresh batch of passages from the seeded grammar.

Evaluation uses one fixed set of passages (the same for every model), so an RNN and an
LSTM are compared on the same sentences. An answer counts as right when the model's best
answer of the right type (a pronoun, or a language) is the true one.

Unit discovery (`discover_units`, measured by `explainer.probes.forget`): over the first
evaluation passages, the units that carry the largest share of the readout's he−she
evidence where a subject's pronoun is due, each with the sign of its state's correlation
with the subject's gender (+1 female, -1 male); for an LSTM also the forget gate on them at
a new subject, and how much of the change of c there is forgetting and how much writing.
"""

from __future__ import annotations

import numpy as np
import torch

from .. import names as N
from ..checkpoint import Checkpoint
from ..models import TokenModel
from ..tasks.language import ANSWERS, BUCKETS, PRONOUN_CLASSES, Grammar, Passage, accuracy_by_distance, batch, \
    bucket_name
from .config import TrainConfig
from .loop import Progress, fit

EVAL_SEED = 10_000
EVAL_PASSAGES = 600
UNIT_PASSAGES = 200
TOP_UNITS = 3
#: The learning curve: accuracy by distance on this many passages, measured about this many times in a run.
LEARNING_PASSAGES = 200
LEARNING_POINTS = 40
LANGUAGE_CLASSES = tuple(range(len(PRONOUN_CLASSES), len(ANSWERS)))


def train_language(config: TrainConfig, progress: Progress | None = None) -> Checkpoint:
    grammar = Grammar(seed=config.seed, distractors=config.distractors)
    model = initial_model(config)

    def batches():
        for _ in range(config.iters):
            ids, targets = batch([grammar.passage(max_filler=config.max_filler, short=config.short,
                                                  min_filler=config.min_filler)
                                  for _ in range(max(config.batch_size, 1))])
            yield torch.from_numpy(ids), torch.from_numpy(targets)

    def loss_fn(m, ids, targets):
        scores = m(ids)  # [batch, time, answers]
        return torch.nn.functional.cross_entropy(scores.reshape(-1, scores.shape[-1]), targets.reshape(-1), ignore_index=-1)

    learning = Learning(evaluation_passages(LEARNING_PASSAGES), every=learning_interval(config.iters))
    learning.measure(model, 0)

    def observe(done: int, total: int, loss: float) -> None:
        if done % learning.every == 0 or done == total:
            learning.measure(model, done)
        if progress is not None:
            progress(done, total, loss)

    history = fit(model, batches(), loss_fn, config, config.iters, observe)
    passages = evaluation_passages()
    predictions = predict(model, passages)
    by_distance = accuracy_by_distance(passages, predictions)
    languages = accuracy_by_distance(passages, predictions, LANGUAGE_CLASSES)
    units = discover_units(model, passages[:UNIT_PASSAGES])
    return Checkpoint(model, {
        "train": config.to_dict(),
        "history": {"loss": history, "accuracy_by_distance": learning.record()},
        "metrics": {
            "accuracy_by_distance": {b: v["accuracy"] for b, v in by_distance.items()},
            "count_by_distance": {b: v["count"] for b, v in by_distance.items()},
            "pronoun_accuracy": _overall(by_distance),
            "language_accuracy": _overall(languages),
        },
        "answers": ANSWERS,
        "units": units,
    })


def learning_interval(iters: int) -> int:
    """Updates between two learning measurements: about LEARNING_POINTS of them over the run."""
    return max(1, -(-iters // LEARNING_POINTS))


class Learning:
    """Accuracy by distance bucket on a fixed set of passages, measured while training (the `learning` figure)."""

    def __init__(self, passages: list[Passage], every: int) -> None:
        self.passages, self.every = passages, every
        self.updates: list[int] = []
        self.accuracy: list[list[float]] = []

    def measure(self, model: TokenModel, updates: int) -> None:
        was_training = model.training
        model.eval()
        buckets = accuracy_by_distance(self.passages, predict(model, self.passages))
        model.train(was_training)
        self.updates.append(updates)
        self.accuracy.append([v["accuracy"] for v in buckets.values()])

    def record(self) -> dict:
        buckets = [bucket_name(*b) for b in BUCKETS]
        return {"updates": self.updates, "buckets": buckets, "accuracy": self.accuracy, "passages": len(self.passages)}


def initial_model(config: TrainConfig) -> TokenModel:
    """The model of `config` as training starts: the same weights for the same seed, every time.

    The gradient-flow figure compares a trained model with this one (its weights at update 0).

        >>> from explainer.training import preset_config
        >>> a = initial_model(preset_config("language", "lstm", seed=0))
        >>> b = initial_model(preset_config("language", "lstm", seed=0))
        >>> all(bool((p == q).all()) for p, q in zip(a.parameters(), b.parameters()))
        True
    """
    torch.manual_seed(config.seed)
    model = TokenModel(config.kind, vocab_size=len(Grammar(seed=0).lexicon), num_classes=len(ANSWERS),
                       embed_size=config.embed_size, hidden_size=config.hidden_size)
    if "f" in model.core.spec.row.gates and config.forget_bias:
        open_forget_gates(model, config.forget_bias)
    return model


def open_forget_gates(model: TokenModel, bias: float) -> None:
    """Add `bias` to every forget gate's bias: the common LSTM initialisation (Gers et al. 2000; Jozefowicz et
    al. 2015) that starts the cell state remembering, so that gradients reach far back from the first update."""
    row = model.core.spec.row
    k = row.gates.index("f")
    hidden = model.core.spec.hidden_size
    with torch.no_grad():
        for name, p in model.core.named_parameters():
            if name.startswith("bias_ih"):
                p[k * hidden:(k + 1) * hidden] += bias  # [gates * hidden]: the f block


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
    """The units the model reads the subject's gender from, with their signs and (LSTM) their forget gate.

    The criterion and every measured number are defined in `explainer.probes.forget` (`measure`): the `top`
    units with the largest share of the readout's he−she evidence gap before a subject's pronoun, each one's
    correlation with the gender, and for an LSTM the forget gate's selectivity at a new subject and how much
    of the change of C there is reset (f) or written (i⊙C̃).
    """
    from ..probes.forget import measure

    return {"gender": measure(model, passages, top)}


def _overall(buckets: dict[str, dict[str, float]]) -> float:
    hits = sum(v["accuracy"] * v["count"] for v in buckets.values() if v["count"])
    count = sum(v["count"] for v in buckets.values())
    return float(hits / count) if count else float("nan")
