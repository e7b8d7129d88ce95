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

    >>> data = make_data(seed=0)
    >>> data.y.shape, data.y.dtype, data.train_points
    ((400,), dtype('float32'), 320)
    >>> inputs, targets = data.windows(0, 320)
    >>> inputs.shape, targets.shape                  # [windows, seq_len, features], [windows]
    ((310, 10, 1), (310,))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..errors import ExplainerError

START, STOP, POINTS = 0.0, 36.0, 400
NOISE = 0.2
TRAIN_POINTS = 320
SEQ_LEN = 10

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
    if not isinstance(seq_len, int) or not 1 <= seq_len <= 200:
        raise ExplainerError(f"seq_len must be between 1 and 200 (the source uses 10), got {seq_len}")
    unknown = [f for f in features if f not in FEATURES]
    if unknown:
        raise ExplainerError(f"unknown feature {unknown[0]!r}; valid: {', '.join(FEATURES)}")
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
