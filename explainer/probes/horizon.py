"""Multi-step prediction, measured: the error at each horizon, and whether a forecast collapses.

The source says 多步预测会导致误差的累积 (multi-step prediction accumulates error). One
forecast from one start point cannot show that: its error rises and falls with the wave.
This module measures it as a forecaster would, on the sine task's test range (points
320..399):

* `error_by_horizon`: from EVERY true window whose next point lies in the test range
  (start t = 320..399, window y[t-10..t-1]), run the model free, feeding each prediction
  back, and compare the h-th prediction with the truth y[t+h-1]. The MSE at horizon h is
  the mean over the starts whose h-th step is still inside the data (80 at h = 1,
  81 - h at h); the count is returned beside it. h = 1 is the single-step MSE. The
  default horizon is 30 steps, so every point averages at least 51 starts (about three
  quarters of the wave's period of ~70 points): beyond that, the few starts left all end
  on the same stretch of the wave and the mean says more about that stretch than about h.
* `collapse`: whether a free-running forecast settles to a constant. The named criterion
  (`COLLAPSE_SPREAD`): the last `COLLAPSE_TAIL` (20) forecast values spread (standard
  deviation) less than 5 % of the truth's spread over the test range. Its constant is
  their mean, and `settled_by` the first step from which every later value stays that
  close to it. A forecast that does not collapse and correlates with the truth at
  least `PHASE_CORR` (0.9) holds the phase; one that does neither drifts.

`collapse` is numpy only (figures and scenes apply it to the forecast a checkpoint or
trace records in its `eval.multi`); the functions that run a model import torch when
called, so importing this module does not.

    >>> from explainer import assets
    >>> seed = assets.root() / "checkpoints" / "sine-rnn-seed.safetensors"
    >>> e = error_by_horizon(seed)
    >>> round(e.at(1), 4), round(e.at(30), 4), int(e.count[0]), int(e.count[-1]), e.shape()
    (0.0604, 0.6687, 80, 51, 'grows')
    >>> c = collapse_of(seed)
    >>> c.verdict, round(c.value, 2), c.settled_by
    ('collapses', -0.14, 13)
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ExplainerError
from ..tasks.sine import SineData, make_data

#: Default number of steps ahead (every horizon then averages at least 51 of the 80 starts).
HORIZON = 30
#: The collapse criterion: the last COLLAPSE_TAIL forecast values spread less than
#: COLLAPSE_SPREAD x the truth's spread (standard deviations over the test range).
COLLAPSE_TAIL = 20
COLLAPSE_SPREAD = 0.05
#: A forecast that does not collapse holds the phase when it correlates with the truth at least this much.
PHASE_CORR = 0.9
#: An error that ends at least this many times its one-step value has grown (see `HorizonError.shape`).
GROWS = 2.0


# -- the collapse criterion (numpy) ---------------------------------------------------------------
@dataclass(frozen=True)
class Collapse:
    """What a free-running forecast does over the test range, by the named criteria above."""

    value: float  # mean of the last COLLAPSE_TAIL forecast values (the constant, when it collapses)
    spread: float  # their standard deviation
    truth_spread: float  # the truth's standard deviation over the same range
    settled_by: int | None  # first step (1-based) from which every value stays within the band; None if not collapsed
    corr: float  # correlation of forecast and truth
    steps: int  # forecast length

    @property
    def ratio(self) -> float:
        """Spread of the tail as a fraction of the truth's spread."""
        return self.spread / self.truth_spread if self.truth_spread > 0 else float("inf")

    @property
    def collapsed(self) -> bool:
        """The named criterion: the tail spreads less than COLLAPSE_SPREAD of the truth's spread."""
        return bool(np.isfinite(self.ratio) and self.ratio < COLLAPSE_SPREAD)

    @property
    def holds_phase(self) -> bool:
        return bool(not self.collapsed and np.isfinite(self.corr) and self.corr >= PHASE_CORR)

    @property
    def verdict(self) -> str:
        """collapses | holds | drifts."""
        return "collapses" if self.collapsed else "holds" if self.holds_phase else "drifts"


def collapse(forecast: Sequence[float] | np.ndarray, truth: Sequence[float] | np.ndarray,
             tail: int = COLLAPSE_TAIL) -> Collapse:
    """Apply the collapse criterion to a free-running forecast and the truth at the same points.

    >>> x = np.linspace(0, 7, 80)
    >>> collapse(np.full(80, -0.14), np.sin(x)).verdict
    'collapses'
    >>> collapse(np.sin(x) + 0.01, np.sin(x)).verdict
    'holds'
    """
    f = np.asarray([np.nan if v is None else v for v in forecast], dtype=float)  # [steps]
    t = np.asarray([np.nan if v is None else v for v in truth], dtype=float)  # [steps]
    if f.shape != t.shape or f.ndim != 1:
        raise ExplainerError(f"a forecast and its truth must be two series of one length, got {f.shape} and {t.shape}")
    if len(f) < tail:
        raise ExplainerError(f"the collapse criterion reads the last {tail} forecast values; this forecast has {len(f)}")
    last = f[-tail:]
    truth_spread = float(np.nanstd(t))
    if not np.isfinite(f).all():
        return Collapse(float("nan"), float("nan"), truth_spread, None, float("nan"), len(f))
    value, spread = float(np.mean(last)), float(np.std(last))
    band = COLLAPSE_SPREAD * truth_spread
    settled = None
    if spread < band:
        outside = np.flatnonzero(np.abs(f - value) > band)
        settled = int(outside[-1]) + 2 if len(outside) else 1
    ok = np.isfinite(t)
    corr = float(np.corrcoef(f[ok], t[ok])[0, 1]) if ok.sum() > 1 and np.std(f[ok]) > 0 else float("nan")
    return Collapse(value, spread, truth_spread, settled, corr, len(f))


def collapse_in(meta: Mapping[str, Any]) -> Collapse:
    """The criterion applied to the forecast a sine checkpoint's or trace's metadata records (`eval.multi`:
    from the last training window over the test range, each prediction fed back)."""
    ev = meta.get("eval") or {}
    if not ev.get("multi") or not ev.get("truth"):
        raise ExplainerError("this has no multi-step forecast (meta eval.multi); record it from a trained sine "
                             "checkpoint with `explainer trace`")
    return collapse(ev["multi"], ev["truth"])


# -- error by horizon (runs the model) -------------------------------------------------------------
@dataclass(frozen=True)
class HorizonError:
    """The multi-step MSE at every horizon h = 1..H, over every test start point."""

    horizons: np.ndarray  # [H] 1..H
    mse: np.ndarray  # [H] mean squared error of the h-step-ahead forecast
    count: np.ndarray  # [H] start points averaged at each h (those whose h-th step is in the data)
    starts: np.ndarray  # [starts] first forecast point of each start (320..399)
    forecasts: np.ndarray  # [starts, H] the forecasts; NaN past the data
    noise_floor: float  # MSE of the best possible predictor (the noise alone)
    variance: float  # the truth's variance over the test range: the MSE of always guessing its mean
    kind: str = ""  # rnn_tanh, lstm, gru ("" when not known)
    preset: str = ""  # seed, tuned, ... ("" when not known)
    source: str = field(default="", compare=False)  # where the model came from, for messages

    def at(self, h: int) -> float:
        """The MSE h steps ahead."""
        if not 1 <= h <= len(self.mse):
            raise ExplainerError(f"horizon {h} is outside 1..{len(self.mse)}")
        return float(self.mse[h - 1])

    @property
    def monotone(self) -> bool:
        """The error never goes down from one horizon to the next."""
        return bool(np.all(np.diff(self.mse) >= 0))

    @property
    def growth(self) -> float:
        """Error at the last horizon over the error one step ahead."""
        return float(self.mse[-1] / self.mse[0]) if self.mse[0] > 0 else float("inf")

    @property
    def peak(self) -> tuple[int, float]:
        """(h, MSE) where the error is largest."""
        k = int(np.argmax(self.mse))
        return int(self.horizons[k]), float(self.mse[k])

    @property
    def low(self) -> tuple[int, float]:
        """(h, MSE) where the error is smallest."""
        k = int(np.argmin(self.mse))
        return int(self.horizons[k]), float(self.mse[k])

    def shape(self) -> str:
        """What the line does: grows (up at every step, ending >= GROWS x its start), rises (ends >= GROWS x
        its start, but not at every step), falls (ends <= 1/GROWS of it), stays (neither)."""
        if self.growth >= GROWS:
            return "grows" if self.monotone else "rises"
        if self.growth <= 1 / GROWS:
            return "falls"
        return "stays"


def error_by_horizon(source: Any, horizon: int = HORIZON, *, data: SineData | None = None) -> HorizonError:
    """The h-step-ahead MSE for h = 1..horizon, averaged over every start point of the test range.

    `source`: a sine checkpoint (a path or a loaded `Checkpoint`) or a `SequenceModel`
    (then `data`, default the source's series with noise seed 0).

    >>> from explainer import assets
    >>> e = error_by_horizon(assets.root() / "checkpoints" / "sine-rnn-tuned.safetensors", 10)
    >>> e.horizons.tolist() == list(range(1, 11)), e.count.tolist()[:3], e.shape()
    (True, [80, 79, 78], 'rises')
    """
    model, data, kind, preset, label = _model_and_data(source, data)
    if not isinstance(horizon, int) or isinstance(horizon, bool) or not 1 <= horizon <= len(data.y) - data.train_points:
        raise ExplainerError(f"the horizon must be a whole number of steps from 1 to {len(data.y) - data.train_points} "
                             f"(the test range), got {horizon!r}")
    starts = np.arange(data.train_points, len(data.y))  # [starts]
    forecasts = run_free(model, data, starts, horizon)  # [starts, H]
    targets = starts[:, None] + np.arange(horizon)  # [starts, H] the point each forecast is of
    inside = targets < len(data.y)
    truth = np.where(inside, data.y[np.minimum(targets, len(data.y) - 1)], np.nan)  # [starts, H]
    sq = (forecasts - truth) ** 2  # [starts, H]
    count = inside.sum(axis=0)  # [H]
    mse = np.array([np.mean(sq[inside[:, k], k]) for k in range(horizon)])  # [H] NaN if a forecast is not finite
    if not np.isfinite(mse).all():
        raise ExplainerError(f"{label}: the multi-step forecast holds NaN/Inf values; retrain the model (try --clip 1.0)")
    return HorizonError(np.arange(1, horizon + 1), mse, count, starts, forecasts, data.noise_floor(),
                        float(np.var(data.test_y)), kind, preset, label)


def collapse_of(source: Any, *, data: SineData | None = None) -> Collapse:
    """Run the model free from the last training window over the test range and apply the collapse criterion
    (for a checkpoint this is its recorded `eval.multi`, re-measured)."""
    model, data, *_ = _model_and_data(source, data)
    start = np.array([data.train_points])
    forecast = run_free(model, data, start, len(data.y) - data.train_points)[0]  # [test]
    return collapse(forecast, data.test_y)


def run_free(model: Any, data: SineData, starts: np.ndarray, horizon: int) -> np.ndarray:
    """Forecasts [starts, horizon]: row s starts from the true window before point starts[s] and feeds each
    prediction back (the source's multi-step prediction); NaN where the forecast runs past the data."""
    import torch

    from ..models.threads import pinned_threads

    points = len(data.y)
    series = np.tile(data.y.astype(np.float32), (len(starts), 1))  # [starts, points] true, then forecasts
    out = np.full((len(starts), horizon), np.nan)  # [starts, H]
    with torch.no_grad(), pinned_threads(1):  # tiny batches: one thread is fastest, and machine-independent
        for h in range(horizon):
            pos = starts + h  # [starts] the point each row predicts now
            rows = np.flatnonzero(pos < points)
            if not len(rows):
                break
            windows = np.stack([_window(data, series[r], pos[r]) for r in rows])  # [rows, seq_len, features]
            pred = model(torch.from_numpy(windows))[:, 0].numpy()  # [rows]
            series[rows, pos[rows]] = pred
            out[rows, h] = pred
    return out


def _window(data: SineData, series: np.ndarray, pos: int) -> np.ndarray:
    """The input window before point `pos`: y (true or forecast) and its derived feature columns."""
    if not data.features:
        return series[pos - data.seq_len:pos, None]  # [seq_len, 1]
    return data.feature_columns(series[:pos])[-data.seq_len:]  # [seq_len, features]


def _model_and_data(source: Any, data: SineData | None) -> tuple[Any, SineData, str, str, str]:
    """(model, data, kind, preset, label) of a checkpoint path, a Checkpoint or a model."""
    from ..checkpoint import Checkpoint

    if isinstance(source, (str, os.PathLike)):
        label = str(source)
        source = Checkpoint.load(source)
    else:
        label = "the given model"
    if isinstance(source, Checkpoint):
        meta = source.meta
        train, ev = meta.get("train", {}), meta.get("eval", {})
        if train.get("task") != "sine":
            raise ExplainerError(f"{label}: multi-step error is measured on the sine task; this checkpoint is from the "
                                 f"{train.get('task') or 'unknown'} task")
        if data is None:
            data = make_data(int(ev.get("data_seed", train.get("seed", 0))), int(ev.get("seq_len", train["seq_len"])),
                             tuple(ev.get("features", train.get("features", ()))))
        return source.model.eval(), data, meta["model"]["kind"], str(train.get("preset") or ""), label
    from ..models import SequenceModel

    if not isinstance(source, SequenceModel):
        raise ExplainerError(f"multi-step error needs a sine checkpoint (a path or a Checkpoint) or a SequenceModel, "
                             f"not {type(source).__name__}")
    data = make_data() if data is None else data
    if source.spec.input_size != data.input_size:
        raise ExplainerError(f"the model reads {source.spec.input_size} input columns but the data has "
                             f"{data.input_size}; pass data=make_data(features=...) with its features")
    return source.eval(), data, source.spec.kind, "", label
