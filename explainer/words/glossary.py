"""The one glossary of terms, Chinese beside English: every zh word table uses these and no variant.

The source (学习RNN和LSTM) is the authority where it names a thing: 单元 is the cell (the
RNN cell A, the LSTM cell, 单元状态 its state, 门控单元 the gate unit), 神经元 a unit (隐藏层有12个
神经元), 输出层 the readout (输出层linear_ho). Where it does not, colah's translation is used
(候选值 for C̃). So 单元 never stands alone for a unit: "unit 7" is 神经元 7, "32 hidden
units" 32 个隐藏神经元, "the gender units" 性别神经元.

`TERMS` is the table; `VARIANTS` are the zh spellings a review found or that would say the
same thing another way, each with what to write instead; tests/test_glossary.py scans every
zh word table, the zh narration and the zh words on screen for them. Lists are enumerated
with "、" in Chinese ("5、7、22"), never ", " (`join`); a training preset has a Chinese name
(原教程设置, not "预设 seed").

    >>> TERMS["unit"].zh, TERMS["cell_state"].zh, TERMS["readout"].zh
    ('神经元', '单元状态', '输出层')
    >>> join([7, 5, 22], "zh"), join([7, 5, 22], "en")
    ('7、5、22', '7, 5, 22')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple


class Term(NamedTuple):
    en: str
    zh: str
    note: str = ""


TERMS: dict[str, Term] = {
    "cell": Term("cell", "单元", "the RNN cell A, the LSTM cell (the source: 上一个单元(cell))"),
    "cell_state": Term("cell state", "单元状态", "C_t (the source)"),
    "gate_unit": Term("gate unit", "门控单元", "a sigmoid layer and a pointwise product (the source)"),
    "unit": Term("unit", "神经元", "one number of a state vector (the source: 隐藏层有12个神经元)"),
    "hidden_units": Term("hidden units", "隐藏神经元"),
    "gender_units": Term("gender units", "性别神经元", "the units that follow the subject's gender"),
    "hidden_state": Term("hidden state", "隐藏状态", "h_t (the source)"),
    "candidate": Term("candidate", "候选值", "C̃_t, colah's new candidate values"),
    "readout": Term("readout", "输出层", "the Linear layer after the last step (the source: 输出层linear_ho)"),
    "forget_gate": Term("forget gate", "遗忘门"),
    "input_gate": Term("input gate", "输入门"),
    "output_gate": Term("output gate", "输出门"),
    "sigmoid": Term("sigmoid", "sigmoid", "written as in the source's formulas, σ in equations"),
    "tanh": Term("tanh", "tanh"),
    "seed_preset": Term("seed preset", "原教程设置", "the source's own training setup"),
    "tuned_preset": Term("tuned preset", "调优设置"),
}

#: (pattern, what to write instead): a zh string matching a pattern uses a variant of a glossary term.
VARIANTS: list[tuple[str, str]] = [
    # 单元 is the cell; a unit is 神经元. Allowed uses of 单元: its state, the gate unit, a named cell.
    (r"单元(?!状态)", "单元 means the cell (单元状态, 门控单元, LSTM 单元, 同一个单元, 单元 A); a unit is 神经元"),
    (r"候选(?!值)", "the candidate is 候选值 (not 候选状态, 候选信息)"),
    (r"读出层|读出[：:]", "the readout is 输出层 (not 读出层; 读出 as a verb, to read out, is fine)"),
    (r"线性输出层", "the readout is 输出层 (not 线性输出层)"),
    (r"隐状态|隐层状态|隐含状态", "the hidden state is 隐藏状态"),
    (r"忘记门|遗忘闸", "the forget gate is 遗忘门"),
    (r"[0-9}]\s*,\s*[0-9{−-]|[0-9]，[0-9−-]", "a Chinese list is enumerated with 、 (5、7、22), not commas"),
    (r"预设\s*[“\"']?\s*(seed|tuned|\{)", "a preset has a Chinese name (原教程设置, 调优设置), not 预设 seed"),
]

#: Uses of 单元 that mean the cell (or the source's 门控单元); checked before the 单元 rule above.
CELL_PHRASES = r"单元状态|门控单元|(LSTM|RNN|GRU)\s*单元|单元\s*A|同一个单元|一个单元、|一个带自反馈的单元|单元相同|单元内部"

#: Notation, not prose: a bracket holding no Chinese (a shape [B, 10, 1], U(0, 0.2), P(she)) keeps its commas.
NOTATION = r"[\[(][^\[\]()\u3000-\u9fff\uff00-\uffef]*[\])]"

SEP = {"en": ", ", "zh": "、"}


def join(items: Iterable, lang: str) -> str:
    """Items listed in `lang`: '7, 5, 22' in English, '7、5、22' in Chinese."""
    return SEP[lang].join(str(i) for i in items)


def variants(text: str) -> list[str]:
    """Which variants of glossary terms a zh string uses (empty: none), one line per kind of variant.

    >>> variants("性别神经元 7、5、22")
    []
    >>> variants("单元 7, 5, 22")[0]    # the excerpt: the variant and 8 characters either side
    '“单元 7, 5, 2”: 单元 means the cell (单元状态, 门控单元, LSTM 单元, 同一个单元, 单元 A); a unit is 神经元'
    """
    found = []
    mask = lambda m: "□" * len(m.group(0))  # noqa: E731  (keeps the positions for the excerpt)
    cleaned = re.sub(CELL_PHRASES, mask, text)
    cleaned = re.sub(NOTATION, mask, cleaned)
    for pattern, instead in VARIANTS:
        m = re.search(pattern, cleaned)
        if m:
            start = max(0, m.start() - 8)
            found.append(f"“{text[start:m.end() + 8]}”: {instead}")
    return found


WORDS = {f"term.{key}": {"en": term.en, "zh": term.zh} for key, term in TERMS.items()}
WORDS["term.list_sep"] = dict(SEP)
