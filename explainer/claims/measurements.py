"""Measurements of the lecture's models, by name, computed once per run.

A name is a dotted path: `language.rnn.short` (the RNN's accuracy at distance 1-10),
`language.lstm.lowest` (the LSTM's worst bucket), `language.rnn.long_max` (the RNN's best
bucket from 51-60 on), `language.rnn.accuracy.51-60`, ... Every value is read from the
checkpoints the lecture's figures and scenes use (the shipped assets, or `EXPLAINER_ASSETS`),
or computed from them by the probes in `explainer/probes/`. Narration lines name them in
braces and `fill` puts the numbers in, formatted as the pictures format them.

    >>> m = Measurements()
    >>> 0.0 <= m["language.lstm.lowest"] <= 1.0
    True
    >>> fill("the RNN is right {language.rnn.short:%} of the time", m)
    'the RNN is right 100% of the time'
    >>> fill("its best long bucket: {language.rnn.long_max}", m)
    'its best long bucket: 0...'

"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..errors import ExplainerError
from ..reading.numbers import number

#: Buckets from here on are "long": the RNN must be at chance there.
LONG_FROM = 51
#: {name} is the value as the pictures print numbers; {name:%} a share as a whole percentage.
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_.\-]*)(:%)?\}")


class Measurements:
    """Named measurements of the shipped (or `EXPLAINER_ASSETS`) checkpoints, each computed at most once.

    With `kept=True` (the lecture's), values are also kept on disk (`explainer.caching`), keyed by
    the bytes of every asset and explainer's code: a second lecture run measures nothing again.
    """

    def __init__(self, kept: bool = False) -> None:
        self._values: dict[str, float] = {}
        self._checkpoints: dict[tuple, Any] = {}
        self._kept = _Kept() if kept else None

    # -- the models ---------------------------------------------------------------------------
    def checkpoint(self, task: str, model: str, preset: str | None = None):
        """The checkpoint the lecture shows for (task, model, preset), loaded once."""
        from ..assets import checkpoint_path
        from ..checkpoint import Checkpoint

        key = (task, model, preset)
        if key not in self._checkpoints:
            self._checkpoints[key] = Checkpoint.load(checkpoint_path(task, model, preset))
        return self._checkpoints[key]

    # -- values -------------------------------------------------------------------------------
    def __getitem__(self, name: str) -> float | int:
        if name not in self._values:
            known = self._kept.get(name) if self._kept else None
            v = known if known is not None else _resolve(self, name)
            self._values[name] = v if isinstance(v, int) else float(v)  # counts (updates, buckets) stay whole
            if self._kept and known is None:
                self._kept.put(name, self._values[name])
        return self._values[name]

    def trace(self, name: str):
        """A shipped trace the lecture's scenes read (e.g. 'language-lstm-long'), loaded once."""
        from ..assets import trace_path
        from ..trace import Trace

        key = ("trace", name)
        if key not in self._checkpoints:
            self._checkpoints[key] = Trace.load(trace_path(name))
        return self._checkpoints[key]

    def cached(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """`compute()` once per run for `key` (a probe's whole result, read by several measurements)."""
        key = ("probe", *key)
        if key not in self._checkpoints:
            self._checkpoints[key] = compute()
        return self._checkpoints[key]

    def names(self) -> list[str]:
        """The names measured so far, in order."""
        return list(self._values)


class _Kept:
    """Measured values on disk: `<cache>/claims/<key>.json`, the key a hash of the assets and the code."""

    def __init__(self) -> None:
        import hashlib
        import json

        from .. import assets
        from ..caching import cache_root
        from ..lecture.build import code_version

        digest = hashlib.sha256(code_version().encode())
        for folder in ("checkpoints", "traces"):
            for path in sorted((assets.root() / folder).glob("*.safetensors")):
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
        self.path = cache_root() / "claims" / f"{digest.hexdigest()[:32]}.json"
        try:
            self.values = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(self.values, dict):
                self.values = {}
        except (OSError, ValueError):
            self.values = {}

    def get(self, name: str) -> float | int | None:
        v = self.values.get(name)
        return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None

    def put(self, name: str, value: float | int) -> None:
        import json

        from ..files import atomic_output

        self.values[name] = value
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_output(self.path) as tmp:
                tmp.write_text(json.dumps(self.values), encoding="utf-8")
        except (OSError, ExplainerError):
            pass  # a cache that cannot be written only costs time


def _resolve(m: Measurements, name: str) -> float:
    for pattern, compute in MEASURES:
        match = re.fullmatch(pattern, name)
        if match:
            return compute(m, *match.groups())
    raise ExplainerError(f"unknown measurement {{{name}}}; known forms: "
                         + ", ".join(p.replace("\\", "").replace("(rnn|lstm|gru)", "<model>") for p, _ in MEASURES))


def _buckets(m: Measurements, model: str) -> dict[str, float]:
    return m.checkpoint("language", model).meta["metrics"]["accuracy_by_distance"]


def _long(m: Measurements, model: str) -> list[float]:
    return [v for b, v in _buckets(m, model).items() if int(b.split("-")[0]) >= LONG_FROM]


def _far_answers(m: Measurements, model: str) -> float:
    """On the long passage the LongRange scene shows: the mean probability the model gives the right pronoun
    where its clue is LONG_FROM or more tokens back."""
    from ..reading.passage import Passage

    p = Passage.of(m.trace(f"language-{model}-long"), "en")
    far = [s.p_she if s.answer == p.answers[0] else 1 - s.p_she for s in p.slots if s.distance >= LONG_FROM]
    if not far:
        raise ExplainerError(f"the long passage of the {model} has no pronoun {LONG_FROM} or more tokens from its clue")
    return sum(far) / len(far)


def _output_gate(m: Measurements):
    return m.cached(("output_gate",), lambda: _probe("output_gate", "output_gate_at_answers")(
        m.checkpoint("language", "lstm")))


def _flow(m: Measurements, model: str, at: str):
    """The gradient flow of a pronoun's loss back through time (the `gradient-flow` figure's probe)."""
    from ..assets import checkpoint_path

    return m.cached(("gradient", model, at), lambda: _probe("gradient_flow", "for_checkpoint")(
        checkpoint_path("language", model), at=at))


def _learning(m: Measurements, model: str):
    from ..reading.learning import Learning

    return Learning.of(m.checkpoint("language", model).meta)


def _never(u: int | None) -> int | float:
    return float("inf") if u is None else int(u)


def _horizon(m: Measurements, model: str, preset: str):
    from ..assets import checkpoint_path

    return m.cached(("horizon", model, preset), lambda: _probe("horizon", "error_by_horizon")(
        checkpoint_path("sine", model, preset)))


def _collapse(m: Measurements, model: str, preset: str):
    from ..assets import checkpoint_path

    return m.cached(("collapse", model, preset), lambda: _probe("horizon", "collapse_of")(
        checkpoint_path("sine", model, preset)))


def _forget(m: Measurements, key: str) -> float:
    """A number of the forget gate's measurement stored with the language LSTM (`explainer.probes.forget.named`)."""
    from ..probes.forget import named

    entry = (m.checkpoint("language", "lstm").meta.get("units") or {}).get("gender") or {}
    values = named(entry)
    if key not in values:
        raise ExplainerError(f"the language LSTM's checkpoint has no measured forget gate value {key!r} "
                             "(meta units.gender); re-make it with `explainer train language --model lstm`")
    return values[key]


def _probe(module: str, function: str) -> Callable:
    import importlib

    return getattr(importlib.import_module(f"explainer.probes.{module}"), function)


MODEL = "(rnn|lstm|gru)"
#: (name pattern, compute(measurements, *groups)) in the order they are tried.
MEASURES: list[tuple[str, Callable[..., float]]] = [
    (rf"language\.{MODEL}\.accuracy\.(\d+-\d+)", lambda m, model, b: _buckets(m, model)[b]),
    (rf"language\.{MODEL}\.short", lambda m, model: _buckets(m, model)["1-10"]),
    (rf"language\.{MODEL}\.long_max", lambda m, model: max(_long(m, model))),
    (rf"language\.{MODEL}\.long_mean", lambda m, model: sum(_long(m, model)) / len(_long(m, model))),
    (rf"language\.{MODEL}\.lowest", lambda m, model: min(_buckets(m, model).values())),
    (rf"language\.{MODEL}\.long_passage\.p_right_far", _far_answers),
    (r"language\.lstm\.output_gate\.(at_answers|elsewhere|others_at_answers)",
     lambda m, field: getattr(_output_gate(m), field)),
    (r"language\.lstm\.output_gate\.gap", lambda m: abs(_output_gate(m).at_answers - _output_gate(m).elsewhere)),
    (rf"gradient\.{MODEL}\.(initial|trained)\.ratio(\d+)(?:\.(h|c))?",
     lambda m, model, at, d, state: _flow(m, model, at).ratio(int(d), state or "h")),
    (r"gradient\.lstm_over_rnn\.(initial|trained)\.ratio(\d+)",
     lambda m, at, d: _flow(m, "lstm", at).ratio(int(d)) / _flow(m, "rnn", at).ratio(int(d))),
    (rf"learning\.{MODEL}\.short_from", lambda m, model: _never(_learning(m, model).learned_at()[0])),
    (rf"learning\.{MODEL}\.every_from", lambda m, model: _never(_learning(m, model).every_from())),
    (rf"learning\.{MODEL}\.learned_beyond_short",
     lambda m, model: len([b for b in _learning(m, model).learned() if b != "1-10"])),
    (rf"sine\.{MODEL}\.(seed|tuned)\.horizon\.(\d+)", lambda m, model, preset, h: _horizon(m, model, preset).at(int(h))),
    (rf"sine\.{MODEL}\.(seed|tuned)\.horizon_growth", lambda m, model, preset: _horizon(m, model, preset).growth),
    (rf"sine\.{MODEL}\.(seed|tuned)\.horizon_monotone",
     lambda m, model, preset: int(_horizon(m, model, preset).monotone)),
    (rf"sine\.{MODEL}\.(seed|tuned)\.horizon_peak", lambda m, model, preset: _horizon(m, model, preset).peak[1]),
    (rf"sine\.{MODEL}\.(seed|tuned)\.horizon_low", lambda m, model, preset: _horizon(m, model, preset).low[1]),
    (rf"sine\.{MODEL}\.(seed|tuned)\.horizon_peak_over_floor",
     lambda m, model, preset: _horizon(m, model, preset).peak[1] / _horizon(m, model, preset).noise_floor),
    (rf"sine\.{MODEL}\.(seed|tuned)\.collapsed", lambda m, model, preset: int(_collapse(m, model, preset).collapsed)),
    (rf"sine\.{MODEL}\.(seed|tuned)\.collapse_value", lambda m, model, preset: _collapse(m, model, preset).value),
    (rf"sine\.{MODEL}\.(seed|tuned)\.phase_corr", lambda m, model, preset: _collapse(m, model, preset).corr),
    (rf"sine\.{MODEL}\.(seed|tuned)\.hidden_size",
     lambda m, model, preset: int(m.checkpoint("sine", model, preset).meta["train"]["hidden_size"])),
    (r"language\.lstm\.forget\.([a-z_.]+)", lambda m, key: _forget(m, key)),
    (rf"language\.{MODEL}\.country", lambda m, model: m.checkpoint("language", model).meta["metrics"]["language_accuracy"]),
]


def register(pattern: str, compute: Callable[..., float]) -> None:
    """Add a measurement form (probes register theirs in `checks.py`, next to the claims that use them)."""
    MEASURES.append((pattern, compute))


def show(v: float) -> str:
    """A measured value as the narration says it: counts as whole numbers (update 175), the rest as the
    pictures print numbers (0.52, 7e−24)."""
    return str(v) if isinstance(v, int) else number(v)


def fill(text: str, m: Measurements) -> str:
    """`text` with every {name} replaced by its measured value, formatted as the pictures format numbers."""
    def value(match: re.Match) -> str:
        v = m[match.group(1)]
        return f"{v * 100:.0f}%" if match.group(2) else show(v)

    return PLACEHOLDER.sub(value, text)


def placeholders(text: str) -> list[str]:
    return [name for name, _ in PLACEHOLDER.findall(text)]
