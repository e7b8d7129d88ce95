"""The claims of the lecture, each a named check over measurements (see `measurements.py`).

A claim holds when its measured value passes its test. The words (`says`) are what the
narration claims, in both languages; the lecture names the claim by them when it is false.

    >>> from explainer.claims import Measurements, check, claims_of
    >>> [v.claim.name for v in check(claims_of(["long-term"]), Measurements())]
    ['rnn-right-when-close', 'rnn-at-chance-when-far', 'lstm-right-everywhere', 'gru-right-everywhere',
     'lstm-misses-the-country']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import ExplainerError
from .measurements import Measurements, show


@dataclass(frozen=True)
class Claim:
    name: str
    chapter: str  # the chapter whose narration makes it
    says: dict[str, str]  # the claim in words, per language
    measure: str  # the measurement it rests on
    test: str  # ">=" or "<="
    bound: float | int | str  # a number, or the name of another measurement

    def needs(self, m: Measurements) -> float | int:
        if isinstance(self.bound, str):
            return m[self.bound]
        return self.bound if isinstance(self.bound, int) else float(self.bound)


@dataclass(frozen=True)
class Verdict:
    claim: Claim
    value: float
    needed: float
    holds: bool

    def line(self, lang: str = "en") -> str:
        c = self.claim
        return (f"chapter {c.chapter!r}: the claim {c.name!r} (\"{c.says.get(lang, c.says['en'])}\") is false for these "
                f"models: {c.measure} = {show(self.value)}, it needs {c.test} {show(self.needed)}")


def _c(name: str, chapter: str, en: str, zh: str, measure: str, test: str, bound: float | str) -> Claim:
    return Claim(name, chapter, {"en": en, "zh": zh}, measure, test, bound)


CLAIMS: list[Claim] = [
    _c("seed-forecast-collapses", "multistep", "fed its own predictions, the source's RNN collapses to a constant",
       "把预测值当作输入后，原教程的 RNN 收敛成一个常数", "sine.rnn.seed.collapsed", ">=", 1),
    _c("tuned-forecast-holds-the-phase", "multistep", "the tuned RNN, fed back the same way, keeps following the wave",
       "调优后的 RNN 用同样方式预测，一直跟着波形走", "sine.rnn.tuned.phase_corr", ">=", 0.9),
    _c("seed-error-grows-with-horizon", "horizon", "the source's RNN's error grows at every step of the horizon",
       "原教程的 RNN，误差随预测步数每一步都在增大", "sine.rnn.seed.horizon_monotone", ">=", 1),
    _c("seed-error-grows-tenfold", "horizon", "thirty steps ahead its error is ten times its one-step error or more",
       "向前 30 步的误差至少是 1 步误差的十倍", "sine.rnn.seed.horizon_growth", ">=", 10),
    _c("tuned-error-stays-small", "horizon", "the tuned RNN's error stays within four times the noise floor",
       "调优后的 RNN，误差一直在噪声下限的四倍以内", "sine.rnn.tuned.horizon_peak_over_floor", "<=", 4),
    _c("rnn-right-when-close", "long-term", "the plain RNN is right when the clue is close (1-10 tokens)",
       "普通 RNN 在线索很近时（1–10 个词元）是对的", "language.rnn.short", ">=", 0.90),
    _c("rnn-at-chance-when-far", "long-term", "the plain RNN falls to chance when the clue is 51 or more tokens back",
       "线索在 51 个词元以外时，普通 RNN 只能靠猜", "language.rnn.long_max", "<=", 0.70),
    _c("lstm-right-everywhere", "long-term", "the LSTM is right at every distance",
       "LSTM 在每个距离上都是对的", "language.lstm.lowest", ">=", 0.95),
    _c("gru-right-everywhere", "long-term", "the GRU is right at every distance",
       "GRU 在每个距离上都是对的", "language.gru.lowest", ">=", 0.95),
    _c("lstm-misses-the-country", "long-term", "the LSTM does not learn which language goes with the country",
       "LSTM 没有学会国家和语言的对应", "language.lstm.country", "<=", 0.60),
    _c("output-gate-open-throughout", "output",
       "the output gate lets the gender units out about as much everywhere as where a pronoun is due",
       "无论是否该说代词，输出门对性别神经元的开合都差不多", "language.lstm.output_gate.gap", "<=", 0.15),
    _c("all-learn-short-first", "learning", "every model learns the short distances first",
       "每个模型都先学会短距离", "learning.rnn.short_from", "<=", "learning.lstm.every_from"),
    _c("lstm-learns-every-distance", "learning", "the LSTM is right at every distance within the training budget",
       "LSTM 在训练预算内学会了每个距离", "learning.lstm.every_from", "<=", 1000),
    _c("gru-learns-every-distance", "learning", "the GRU is right at every distance within the training budget",
       "GRU 在训练预算内学会了每个距离", "learning.gru.every_from", "<=", 1000),
    _c("rnn-never-learns-far", "learning", "the plain RNN never learns a distance beyond ten tokens",
       "普通 RNN 始终没有学会十个词元以外的距离", "learning.rnn.learned_beyond_short", "<=", 0),
    _c("rnn-gradient-fades-first-at-init", "gradient-flow",
       "already at initialisation, the RNN keeps less of the gradient fifty steps back than the LSTM",
       "初始化时，往回五十步 RNN 剩下的梯度就比 LSTM 少", "gradient.rnn.initial.ratio50", "<=",
       "gradient.lstm.initial.ratio50"),
    _c("rnn-gradient-fades-first-trained", "gradient-flow",
       "after training, the RNN keeps less of the gradient fifty steps back than the LSTM",
       "训练后，往回五十步 RNN 剩下的梯度比 LSTM 少", "gradient.rnn.trained.ratio50", "<=",
       "gradient.lstm.trained.ratio50"),
    _c("rnn-gradient-gone-at-50", "gradient", "the RNN's gradient is gone long before fifty steps back",
       "RNN 的梯度不到五十步就没了", "gradient.rnn.trained.ratio50", "<=", 1e-12),
    _c("lstm-gradient-reaches-100", "gradient", "the LSTM's gradient still reaches a hundred steps back",
       "LSTM 的梯度还能传回一百步", "gradient.lstm.trained.ratio100", ">=", 1e-12),
    _c("evidence-moves-at-the-new-name", "pronoun", "the model's gender evidence moves at the new name",
       "模型的性别证据在新名字处改变", "language.lstm.forget.explained_is_name", ">=", 1),
    _c("forget-lower-at-the-new-name", "pronoun", "at the new name the forget gate on these units closes",
       "新名字出现时，这些神经元的遗忘门关上", "language.lstm.forget.drop", ">=", 0.1),
    _c("forget-lower-already-at-the-boundary", "pronoun",
       "already at the semicolon before the new name the forget gate on these units is lower than elsewhere",
       "在新名字之前的分号处，这些神经元的遗忘门就已低于其他位置", "language.lstm.forget.units.before", "<=",
       "language.lstm.forget.units.elsewhere"),
    _c("forget-half-closes", "pronoun", "it closes only half: it stays above a fifth",
       "只关上一半：仍高于五分之一", "language.lstm.forget.at_step", ">=", 0.2),
    _c("forget-closes-at-least-half", "pronoun", "it closes at least half: it falls to 0.6 or below",
       "至少关上一半：降到 0.6 或以下", "language.lstm.forget.at_step", "<=", 0.6),
    _c("rest-of-the-memory-stays-open", "pronoun", "the other units' forget gate stays open there",
       "其余神经元的遗忘门在这里保持打开", "language.lstm.forget.others_at_step", ">=", 0.8),
    _c("forgets-about-half", "pronoun", "forgetting does about half of the change of C (30% or more)",
       "C 的变化中约一半来自遗忘（30% 或以上）", "language.lstm.forget.reset_share", ">=", 0.3),
    _c("writes-the-rest", "pronoun", "writing does the rest of it (30% or more)",
       "其余来自写入（30% 或以上）", "language.lstm.forget.write_share", ">=", 0.3),
    _c("lstm-holds-the-long-passage", "long-range", "the LSTM holds the subject across the whole long passage",
       "在整段长文字里，LSTM 都记住了主语", "language.lstm.long_passage.p_right_far", ">=", 0.90),
    _c("rnn-guesses-on-the-long-passage", "long-range", "far from the clue, the RNN only guesses the pronoun",
       "离线索很远时，RNN 只是在猜代词", "language.rnn.long_passage.p_right_far", "<=", 0.70),
]


def claims_of(chapters: Iterable[str]) -> list[Claim]:
    """The claims the given chapters make, in lecture order."""
    wanted = list(chapters)
    return [c for chapter in wanted for c in CLAIMS if c.chapter == chapter]


def check(claims: Iterable[Claim], m: Measurements) -> list[Verdict]:
    """Measure every claim; a measurement that cannot be made is a one-line error naming the claim."""
    out = []
    for c in claims:
        try:
            value, needed = m[c.measure], c.needs(m)
        except ExplainerError as e:
            raise ExplainerError(f"chapter {c.chapter!r}: cannot check the claim {c.name!r}: {e}") from None
        holds = value >= needed if c.test == ">=" else value <= needed
        out.append(Verdict(c, value, needed, bool(holds)))
    return out


def first_false(verdicts: Iterable[Verdict]) -> Verdict | None:
    return next((v for v in verdicts if not v.holds), None)

