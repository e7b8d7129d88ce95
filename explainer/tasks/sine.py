"""The noisy sine of the source tutorial, its windows, and its evaluation.

Exactly the source's data: `x = linspace(0, 36, 400)`, `y = sin(x) + U(0, 0.2)` noise
(seeded), float32; the first 320 points train, and a window of `seq_len` (10) points
predicts the next one. The test range is points 320..399.

Evaluation on the test range, as the source describes it:

* single-step: every prediction reads a window of true values;
* multi-step: from the last true window, each prediction is fed back as input, so errors
  accumulate;
* the noise floor: the MSE of the best possible predictor, sin(x) + 0.1 (the noise mean),
  against the data, about 0.2²/12 ≈ 0.0033.

The FAQ's input_size > 1 case (temperature with wind and pressure) is served by
`features`: derived columns added beside y, e.g. `("cos",)` for a second signal or
`("diff",)` for the last change. Models predict y from all columns.

The task's declaration (end of file) gives its presets: `seed`, the source's setup exactly
(hidden 12, SGD lr 0.01, MSE, one pass of per-window updates in order), and `tuned`, what
a careful practitioner does (hidden 64, full-batch Adam, lr 0.01 with cosine decay, 500
epochs); its training strategies of the source's FAQ: `sequential` (one pass in order),
`epochs` (N passes in order), `random` (N updates, each on random windows); and what
`explainer trace` records: a window of the data (by default the first test window,
points 310..319, whose next point is the first test point) or any range of points.

    >>> data = make_data(seed=0)
    >>> data.y.shape, data.y.dtype, data.train_points
    ((400,), dtype('float32'), 320)
    >>> inputs, targets = data.windows(0, 320)
    >>> inputs.shape, targets.shape                  # [windows, seq_len, features], [windows]
    ((310, 10, 1), (310,))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ExplainerError
from .registry import Explanation, Option, Task, register

START, STOP, POINTS = 0.0, 36.0, 400
NOISE = 0.2
TRAIN_POINTS = 320
SEQ_LEN = 10
#: The longest window: it must leave training pairs among the 320 points.
MAX_SEQ_LEN = 200
#: Which windows each update sees (the FAQ's training strategies).
STRATEGIES = ("sequential", "epochs", "random")
#: The most passes of `--strategy epochs` (the tuned preset makes 500).
MAX_EPOCHS = 10_000

#: Derived input columns, each a function of (x, y) -> column. y may hold predictions.
FEATURES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "cos": lambda x, y: np.cos(x),  # a second, known signal (like a weather forecast)
    "diff": lambda x, y: np.diff(y, prepend=y[:1]),  # the last change of y
    "lag3": lambda x, y: np.concatenate([y[:3], y[:-3]]),  # y three points earlier
}

#: A function from windows [n, seq_len, features] to predictions [n].
Predictor = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class SineData:
    x: np.ndarray  # [points] float64, the time axis
    y: np.ndarray  # [points] float32, sin(x) + noise
    seq_len: int = SEQ_LEN
    features: tuple[str, ...] = ()
    train_points: int = TRAIN_POINTS
    seed: int = 0
    columns: np.ndarray = field(init=False, repr=False)  # [points, 1 + len(features)] float32

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", self.feature_columns(self.y))

    @property
    def input_size(self) -> int:
        return 1 + len(self.features)

    def feature_columns(self, y: np.ndarray) -> np.ndarray:
        """[points, input_size]: y and the derived columns computed from (x, y)."""
        cols = [y] + [FEATURES[f](self.x[: len(y)], y) for f in self.features]
        return np.stack(cols, axis=1).astype(np.float32)

    def windows(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """Every window of seq_len points and its next point inside points [start, stop).

        Returns inputs [n, seq_len, features] and targets [n]; n = stop - start - seq_len.
        """
        starts = np.arange(start, stop - self.seq_len)
        idx = starts[:, None] + np.arange(self.seq_len)  # [n, seq_len]
        return self.columns[idx], self.y[starts + self.seq_len]

    def train_windows(self) -> tuple[np.ndarray, np.ndarray]:
        """The source's training pairs: y[i:i+seq_len] -> y[i+seq_len] for i < 320 - seq_len."""
        return self.windows(0, self.train_points)

    def test_windows(self) -> tuple[np.ndarray, np.ndarray]:
        """Single-step test pairs: targets 320..399, each read from true values."""
        return self.windows(self.train_points - self.seq_len, len(self.y))

    @property
    def test_x(self) -> np.ndarray:
        return self.x[self.train_points:]

    @property
    def test_y(self) -> np.ndarray:
        return self.y[self.train_points:]

    def noise_floor(self) -> float:
        """MSE of sin(x) + 0.1 (the best predictor) against the test data."""
        best = np.sin(self.test_x) + NOISE / 2
        return float(np.mean((best - self.test_y) ** 2))


def make_data(seed: int = 0, seq_len: int = SEQ_LEN, features: tuple[str, ...] | list[str] = ()) -> SineData:
    """The source's noisy sine with noise drawn from `seed`."""
    _check_window(seq_len, features)
    x = np.linspace(START, STOP, POINTS)
    noise = np.random.default_rng(seed).random(POINTS) * NOISE  # U(0, 0.2), as numpy.random.rand * 0.2
    y = (np.sin(x) + noise).astype(np.float32)
    return SineData(x=x, y=y, seq_len=seq_len, features=tuple(features), seed=seed)


@dataclass(frozen=True)
class SineEvaluation:
    x: np.ndarray  # [80] test x
    truth: np.ndarray  # [80]
    single: np.ndarray  # [80] single-step predictions
    multi: np.ndarray  # [80] multi-step predictions
    noise_floor: float

    @property
    def mse_single(self) -> float:
        return float(np.mean((self.single - self.truth) ** 2))

    @property
    def mse_multi(self) -> float:
        return float(np.mean((self.multi - self.truth) ** 2))

    def metrics(self) -> dict[str, float]:
        return {"mse_single": self.mse_single, "mse_multi": self.mse_multi, "noise_floor": self.noise_floor}


def evaluate(predict: Predictor, data: SineData) -> SineEvaluation:
    """Single-step and multi-step predictions on the test range, and their errors."""
    inputs, truth = data.test_windows()
    single = np.asarray(predict(inputs), dtype=np.float32).reshape(-1)
    return SineEvaluation(data.test_x, truth, single, predict_multistep(predict, data), data.noise_floor())


def predict_multistep(predict: Predictor, data: SineData) -> np.ndarray:
    """From the last training window, predict the test range feeding each prediction back."""
    series = data.y[: data.train_points].copy()
    n = len(data.y) - data.train_points
    for _ in range(n):
        window = data.feature_columns(series)[-data.seq_len:]  # [seq_len, features]
        nxt = np.asarray(predict(window[None]), dtype=np.float32).reshape(-1)[0]
        series = np.append(series, nxt)
    return series[data.train_points:]


# -- the task ---------------------------------------------------------------------------------
def _check_window(seq_len: int, features: tuple[str, ...] | list[str]) -> None:
    if not isinstance(seq_len, int) or isinstance(seq_len, bool) or seq_len < 1:
        raise ExplainerError(f"sequence length must be a positive integer, got {seq_len!r}")
    if seq_len > MAX_SEQ_LEN:
        raise ExplainerError(f"sequence length {seq_len} is longer than the {TRAIN_POINTS} training points allow; "
                             f"use at most {MAX_SEQ_LEN}")
    unknown = [f for f in features if f not in FEATURES]
    if unknown:
        raise ExplainerError(f"unknown feature {unknown[0]!r}; valid: {', '.join(FEATURES)}")


def _check(options: Mapping[str, Any]) -> None:
    """What the declared ranges do not say: the window must leave training pairs, the features must exist."""
    _check_window(options["seq_len"], options["features"])


def explain(meta: Mapping[str, Any], start: int | None = None, steps: int | None = None,
            windows: int | None = None) -> Explanation:
    """`windows` consecutive windows of `steps` points from point `start`, as batch rows.

    Row k starts at point start + k (each from a zero state), so a picture can slide the
    window. Defaults: the first test window, one row.
    """
    train = meta["train"]
    data = make_data(train["seed"], train["seq_len"], tuple(train.get("features", ())))
    start = data.train_points - data.seq_len if start is None else start
    steps = data.seq_len if steps is None else steps
    windows = 1 if windows is None else windows
    points = len(data.y)
    if not 0 <= start < points:
        raise ExplainerError(f"--start {start} is outside the data: points are 0..{points - 1} "
                             f"(the test range starts at {data.train_points})")
    if steps < 1 or start + steps > points:
        raise ExplainerError(f"--steps {steps} from --start {start} runs past the end: at most {points - start} steps fit")
    if windows < 1 or start + steps + windows - 1 > points:
        raise ExplainerError(f"--windows {windows} from --start {start} runs past the end: "
                             f"at most {points - start - steps + 1} fit")
    x = np.stack([data.columns[start + k:start + k + steps] for k in range(windows)])  # [windows, steps, features]
    nxt = start + steps
    return Explanation(x, [f"{v:.2f}" for v in data.x[start:start + steps]], {
        "eval": meta.get("eval", {}),
        "window_starts": [start + k for k in range(windows)],
        "positions": list(range(start, start + steps)),
        "x": [float(v) for v in data.x[start:start + steps]],
        "y": [float(v) for v in data.y[start:start + steps]],
        "next_x": float(data.x[nxt]) if nxt < points else None,
        "next_y": float(data.y[nxt]) if nxt < points else None,
        "train_points": data.train_points,
        "seq_len": data.seq_len,
    })


def _extra_traces(train: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The source's RNN also ships four consecutive test windows, for the sliding-window pictures."""
    if train.get("preset") == "seed" and train.get("strategy") == "sequential":
        return {"-windows": {"windows": 4}}
    return {}


def _summary(meta: Mapping[str, Any]) -> list[str]:
    m, u = meta["metrics"], meta["eval"]["untrained_metrics"]
    return [f"single-step MSE {m['mse_single']:.4f} (untrained {u['mse_single']:.4f})",
            f"multi-step MSE  {m['mse_multi']:.4f} (untrained {u['mse_multi']:.4f})",
            f"noise floor     {m['noise_floor']:.4f}  (single-step / floor = {m['mse_single'] / m['noise_floor']:.2f})"]


def _features(text: str) -> tuple[str, ...]:
    return tuple(f.strip() for f in text.split(",") if f.strip())


register(Task(
    name="sine", rank=10,
    description="the source's noisy sine: predict the next point from a window",
    presets={
        "seed": dict(hidden_size=12, optimizer="sgd", lr=0.01, schedule="constant", strategy="sequential",
                     epochs=1, batch_size=1),
        "tuned": dict(hidden_size=64, optimizer="adam", lr=0.01, schedule="cosine", strategy="epochs",
                      epochs=500, batch_size=0),
    },
    options=(
        Option("seq_len", f"Window length, 1 to {MAX_SEQ_LEN} [preset: {SEQ_LEN}].", low=1, what="sequence length"),
        Option("strategy", "sequential: one pass in order; epochs: N passes; random: N random windows.",
               str, STRATEGIES),
        Option("epochs", f"Passes for --strategy epochs (at most {MAX_EPOCHS:,}).", low=1, high=MAX_EPOCHS),
        Option("features", f"Extra input columns, comma-separated: {', '.join(FEATURES)} (input_size > 1).",
               str, parse=_features),
    ),
    defaults=dict(seq_len=SEQ_LEN, features=(), strategy="sequential", epochs=1),
    check=_check,
    recipe="explainer.training.sine:train_sine",
    explain=explain,
    trace_options=(
        Option("start", f"First data point of the window [default: {TRAIN_POINTS - SEQ_LEN}, the first test window]."),
        Option("steps", f"Points to record [default: the window length]; {POINTS - TRAIN_POINTS} from "
                        f"{TRAIN_POINTS} is the whole test range."),
        Option("windows", "Record this many consecutive windows as batch rows (for sliding-window pictures). "
                          "[default: 1]"),
    ),
    extra_traces=_extra_traces,
    metrics=("mse_single", "mse_multi", "noise_floor"),
    sections=("eval",),
    summary=_summary,
))
