"""One Chinese glossary (explainer/words/glossary.py), used by everything a Chinese viewer reads.

The review of the lecture found the same thing called two ways: 单元 for the cell (单元状态)
and for a unit, 候选值 beside 候选状态, 读出层 beside 线性输出层, unit lists written "7, 5, 22"
(a Chinese enumeration is "5、7、22"), and a half-English "预设 seed". The glossary picks one
term for each concept and lists the variants; these tests scan every zh word table, the zh
narration, and the zh words actually on screen (every registered scene, played through, and
every registered figure, drawn) for them.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from scene_watch import watch

import explainer.words as words_package
from animations.registry import scene_names
from explainer.style import word
from explainer.words.glossary import SEP, TERMS, join, variants


def zh_words():
    """(module, key, zh) of every word table entry but the glossary's own terms."""
    for info in pkgutil.iter_modules(words_package.__path__):
        module = importlib.import_module(f"{words_package.__name__}.{info.name}")
        for key, value in module.WORDS.items():
            if not key.startswith("term."):
                yield info.name, key, value["zh"]


def test_the_variants_the_review_found_are_caught():
    for text in ("单元 7", "32 个单元", "性别单元 {units}", "这些单元上", "候选状态", "候选信息", "读出层", "读出：下一个代词",
                 "线性输出层", "f ≈ 0.05, 0.86, 0.40", "神经元 7, 5, 22", "预设 seed", "预设“tuned”", "预设 {preset}"):
        assert variants(text), f"{text!r} should be caught"
    for text in ("单元状态", "门控单元", "LSTM 单元内部", "同一个单元 A", "神经元 7、5、22", "候选值 C̃", "输出层",
                 "[B, 10, 1]", "U(0, 0.2) 噪声", "输出层从它们读出性别", "P(她) = 0.93", "原教程设置",
                 "训练预算相同（调优设置）："):
        assert not variants(text), f"{text!r} is the glossary's own usage: {variants(text)}"


def test_every_zh_word_table_uses_the_glossary():
    found = [f"{module}: {key}: {v}" for module, key, zh in zh_words() for v in variants(zh)]
    assert not found, f"{len(found)} zh words use a variant of a glossary term:\n" + "\n".join(found)


def test_the_zh_narration_uses_the_glossary():
    from explainer.lecture.document import built_in

    cues = [cue for lines in built_in("full").lines("zh").values() for cue in lines]
    found = [f"cue {n}: {v}" for n, cue in enumerate(cues, start=1) for v in variants(cue)]
    assert not found, "the zh narration uses variants of glossary terms:\n" + "\n".join(found)


def test_the_word_tables_say_the_glossary_terms():
    zh = {key: word(key, "zh") for key in ("state.c", "state.h", "gate.f", "gate.i", "gate.o", "gate.g", "cell.name.g",
                                           "axis.unit", "label.found_units", "sine.preset.seed", "sine.preset.tuned")}
    assert zh["state.c"] == TERMS["cell_state"].zh == "单元状态"
    assert zh["state.h"] == TERMS["hidden_state"].zh
    assert (zh["gate.f"], zh["gate.i"], zh["gate.o"]) == tuple(TERMS[k].zh for k in ("forget_gate", "input_gate",
                                                                                     "output_gate"))
    assert zh["gate.g"].startswith(TERMS["candidate"].zh) and zh["cell.name.g"] == TERMS["candidate"].zh
    assert zh["axis.unit"] == TERMS["unit"].zh == "神经元"
    assert zh["label.found_units"] == TERMS["gender_units"].zh
    assert (zh["sine.preset.seed"], zh["sine.preset.tuned"]) == (TERMS["seed_preset"].zh, TERMS["tuned_preset"].zh)
    assert word("cell.list_sep", "zh") == SEP["zh"] == "、"


def test_lists_are_enumerated_in_each_languages_way():
    assert join([7, 5, 22], "zh") == "7、5、22"
    assert join(["0.05", "0.86"], "en") == "0.05, 0.86"


@pytest.mark.parametrize("name", scene_names())
def test_the_zh_words_on_screen_in_every_scene_use_the_glossary(name):
    seen = watch(name, "zh")
    found = sorted({v for text in seen.texts | set(seen.captions) for v in variants(text)})
    assert not found, f"{name} (zh) shows variants of glossary terms:\n" + "\n".join(found)


def test_the_zh_words_in_every_figure_use_the_glossary():
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    from explainer import figures
    from explainer.figures.registry import specs

    found = []
    for name in specs():
        fig = figures.make(name, None, lang="zh")
        texts = {t.get_text() for t in fig.findobj(Text) if t.get_text()}
        found += [f"{name}: {v}" for text in texts for v in variants(text)]
        plt.close(fig)
    assert not found, "figures show variants of glossary terms in zh:\n" + "\n".join(sorted(set(found)))
