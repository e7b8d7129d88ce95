"""Training on the noisy sine: the source's recipe and the tuned one, every strategy.

The model reads windows [batch, seq_len, features] and predicts the next point from its
last step; the loss is MSE. Which windows each update sees is the strategy:

* `sequential`: one pass over the training windows in order (the source);
* `epochs`: `epochs` passes in order;
* `random`: `iters` updates, each on randomly drawn windows.

`batch_size` windows make one update (1 as in the source, 0 for all windows at once).
The checkpoint keeps the loss of every update, the metrics, and the untrained and trained
predictions on the test range, so figures never need torch.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import torch

from ..checkpoint import Checkpoint
from ..models import SequenceModel
from ..tasks.sine import SineData, SineEvaluation, evaluate, make_data
from .config import TrainConfig
from .loop import Progress, fit


def predictor(model: SequenceModel):
    """numpy windows [n, seq_len, features] -> predictions [n]."""
    def predict(windows: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return model(torch.from_numpy(np.ascontiguousarray(windows, dtype=np.float32)))[:, 0].numpy()
    return predict


class RandomWindows:
    """`count` updates of `size` windows drawn at random from `n`, drawn as they are used (a long run
    never holds them all), the same ones on every pass: the seed's generator is started afresh."""

    def __init__(self, seed: int, n: int, size: int, count: int) -> None:
        self.seed, self.n, self.size, self.count = seed, n, size, count

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[np.ndarray]:
        rng = np.random.default_rng(self.seed)
        for _ in range(self.count):
            yield rng.integers(0, self.n, self.size)


def window_schedule(config: TrainConfig, n: int) -> list[np.ndarray] | RandomWindows:
    """The window indices of every update, as the strategy prescribes."""
    size = n if config.batch_size == 0 else min(config.batch_size, n)
    if config.strategy == "random":
        return RandomWindows(config.seed + 1, n, size, config.iters)
    passes = 1 if config.strategy == "sequential" else config.epochs
    one_pass = [np.arange(i, min(i + size, n)) for i in range(0, n, size)]
    return one_pass * passes


def train_sine(config: TrainConfig, progress: Progress | None = None) -> Checkpoint:
    data = make_data(config.seed, config.seq_len, config.features)
    torch.manual_seed(config.seed)
    model = SequenceModel(config.kind, input_size=data.input_size, hidden_size=config.hidden_size).eval()
    before = evaluate(predictor(model), data)
    inputs, targets = data.train_windows()  # [n, seq_len, features], [n]
    schedule = window_schedule(config, len(inputs))
    batches = ((torch.from_numpy(inputs[idx]), torch.from_numpy(targets[idx])) for idx in schedule)

    def loss_fn(m, x, y):
        return torch.nn.functional.mse_loss(m(x)[:, 0], y)

    history = fit(model, batches, loss_fn, config, len(schedule), progress)
    after = evaluate(predictor(model), data)
    return Checkpoint(model, {
        "train": config.to_dict(),
        "history": _history(config, history, len(inputs)),
        "metrics": after.metrics(),
        "eval": _eval_meta(data, before, after),
        "units": {},
    })


def _history(config: TrainConfig, losses: list[float], n: int) -> dict:
    out: dict = {"loss": losses}
    if config.strategy in ("sequential", "epochs"):
        per = len(losses) // (1 if config.strategy == "sequential" else config.epochs)
        out["epoch_loss"] = [float(np.mean(losses[i:i + per])) for i in range(0, len(losses), per)]
        out["updates_per_epoch"] = per
    return out


def _eval_meta(data: SineData, before: SineEvaluation, after: SineEvaluation) -> dict:
    as_list = lambda a: [float(v) for v in a]  # noqa: E731
    return {
        "x": as_list(after.x), "truth": as_list(after.truth),
        "single": as_list(after.single), "multi": as_list(after.multi),
        "untrained_single": as_list(before.single), "untrained_multi": as_list(before.multi),
        "untrained_metrics": before.metrics(),
        "train_points": data.train_points, "seq_len": data.seq_len, "features": list(data.features),
        "data_seed": data.seed,
    }
