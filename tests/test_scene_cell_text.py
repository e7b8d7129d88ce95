"""The CellText scene: a few lines of a text in one unit's colours, read beside that unit's LSTM cell.

Cheap checks of what the scene computes (the unit, as the figure chooses it; the lines it
shows; the chips' numbers at a character), its one-line refusals before anything renders,
the options through `explainer animate` and the environment, a readability pass at 720p
(as tests/test_readable.py plays every registered scene), and one render at a tiny size.
Traces are made by hand (tests/test_text_figure.py's `text_trace`).
"""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner
from test_text_figure import FOUND, text_trace

from animations import render
from animations.cell_text import COLUMNS, ROWS, CellText
from animations.inputs import from_environment
from animations.registry import get
from explainer.cli.main import cli
from explainer.errors import ExplainerError
from explainer.figures.text import colouring
from explainer.trace import Trace

CODE = "".join(f"def f{k}(x):\n    return x + {k}  # the {k}th one, a line long enough to wrap in the scene\n"
               for k in range(8))


@pytest.fixture
def make(tmp_path):
    """Build the scene with Manim's caches in a temporary folder."""
    from manim import tempconfig

    def build(traces, **kwargs):
        with tempconfig({"media_dir": str(tmp_path / "media")}):
            return CellText.of(traces, **kwargs)
    return build


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "code.safetensors"
    text_trace(CODE).save(path)
    return path


def test_it_follows_the_unit_the_figure_follows(make):
    t = text_trace(CODE)
    for options in ({}, {"feature": "string"}, {"unit": "0.f.2"}):
        scene = make([t], **options)
        assert scene.unit == colouring(t, **options).shown
    assert make([t]).unit.label == "layers.1.c[3]"


def test_it_shows_a_handful_of_rows_from_the_line_of_the_given_step(make):
    scene = make([text_trace(CODE)])
    assert len(scene.rows.rows) == ROWS and scene.rows.start == 0
    assert all(len(r.steps) <= COLUMNS + 1 for r in scene.rows.rows)
    assert any(r.continued for r in scene.rows.rows), "a long line wraps"
    assert [t for _, _, t in scene.visits] == list(range(scene.rows.shown))
    later = make([text_trace(CODE)], step=CODE.index("def f5") + 3)
    assert later.rows.start == CODE.index("def f5") and later.rows.rows[0].line == 10


def test_the_chips_show_the_units_gates_and_cell_state_at_the_playheads_character(make):
    t = text_trace(CODE)
    scene = make([t], unit="1.c.3")
    scene.build()
    scene.chips_at(7)
    for q, name in (("f", "layers.1.gates.f"), ("i", "layers.1.gates.i"), ("o", "layers.1.gates.o"),
                    ("c", "layers.1.c")):
        assert scene.strips[q].values[0] == pytest.approx(float(t[name][0, 7, 3]))
    assert scene.strips["c"].highlight == (0,), "the followed quantity is outlined"
    hidden = make([t], unit="1.h.3")
    hidden.build()
    assert set(hidden.strips) == {"f", "i", "o", "c", "h"} and hidden.strips["h"].highlight == (0,)


@pytest.mark.parametrize("trace,options,says", [
    (Trace({"layers.0.h": np.zeros((1, 3, 2), np.float32), "layers.0.c": np.zeros((1, 3, 2), np.float32)},
           {"steps": ["0.0", "0.1", "0.2"], "kind": "lstm"}), {}, r"^scene CellText colours the characters of a text"),
    (text_trace(CODE), {"unit": "1.c.99"}, r"^--unit '1\.c\.99': layers\.1\.c holds no unit 99"),
    (text_trace(CODE), {"unit": "1.c.3", "feature": "indent"}, r"give --unit or --feature, not both"),
    (text_trace(CODE), {"step": len(CODE) + 5}, r"^--step"),
    (text_trace(CODE).select(["layers.1.c", "layers.1.h"]), {},
     r"scene CellText shows the unit's cell state and its gates"),
    (text_trace(CODE, kind="gru"), {}, r"^scene CellText needs an LSTM trace"),
])
def test_what_it_cannot_show_is_refused_in_one_line_before_rendering(tmp_path, trace, options, says):
    import re

    with pytest.raises(ExplainerError) as e:
        render("CellText", [trace], output=tmp_path / "x.png", options=options)
    message = str(e.value)
    assert "\n" not in message and re.search(says, message), message
    assert list(tmp_path.iterdir()) == []


def test_it_declares_its_options_and_refuses_others(tmp_path):
    assert get("CellText").options == ("unit", "feature", "step", "row")
    with pytest.raises(ExplainerError, match=r"^scene CellText takes no --layer; it takes: --unit, --feature, --step, "
                                             r"--row$"):
        render("CellText", [text_trace(CODE)], output=tmp_path / "x.png", options={"layer": 0})


def test_the_plain_manim_path_reads_the_unit_and_feature_from_the_environment(saved):
    inputs = from_environment(get("CellText"), {"EXPLAINER_TRACE": str(saved), "EXPLAINER_UNIT": "0.f.2",
                                                "EXPLAINER_LANG": "zh"})
    assert inputs.options == {"unit": "0.f.2", "feature": None, "step": None, "row": None} and inputs.lang == "zh"
    inputs = from_environment(get("CellText"), {"EXPLAINER_TRACE": str(saved), "EXPLAINER_FEATURE": "indent"})
    assert inputs.options["feature"] == "indent"


def test_explainer_animate_passes_unit_and_feature(saved, tmp_path, monkeypatch):
    from tiny_scene import tiny_renders

    bad = CliRunner().invoke(cli, ["animate", "CellText", "--trace", str(saved), "--feature", "comment", "-o",
                                   str(tmp_path / "b.png")])  # refused as the scene is built, before it draws
    assert bad.exit_code == 1 and "no discovered 'comment' units; it has units for indent, string" in bad.output
    assert not (tmp_path / "b.png").exists()
    tiny_renders(monkeypatch)  # everything but the drawing: the options are resolved and checked as for real
    ok = CliRunner().invoke(cli, ["animate", "CellText", "--trace", str(saved), "--unit", "1.c.3", "-o",
                                  str(tmp_path / "a.png")])
    assert ok.exit_code == 0, ok.output
    other = CliRunner().invoke(cli, ["animate", "ForgetGate", "--unit", "0.c.1", "-o", str(tmp_path / "c.png")])
    assert other.exit_code == 1 and "scene ForgetGate takes no --unit" in other.output


def captions_of(scene) -> list[str]:
    """The captions the storyboard says, in order (played through without drawing or waiting)."""
    said = []
    real = scene.caption_text
    scene.caption_text = lambda text: (said.append(text), real(text))[1]
    scene.play = lambda *a, **k: None
    scene.wait = lambda *a, **k: None
    scene.setup()
    scene.construct()
    return said


def test_the_captions_say_the_feature_and_its_r_only_when_discovery_stored_them(make):
    lines = CODE[:130]  # four rows: every caption on the way
    found = captions_of(make([text_trace(lines)]))
    assert found == ["Each character's background: layers.1.c[3] after reading it, red above 0, blue below.",
                     "Right: the same unit's gates f, i, o and its cell state c at the marked character.",
                     "Discovery found it follows indentation: r = +0.79 (stored with the trace).",
                     "The whole text, coloured the same way: explainer figure text --unit 1.c.3"]
    gate = captions_of(make([text_trace(lines)], unit="0.f.1", lang="zh"))  # a unit discovery did not find
    assert gate[0] == "每个字符的底色：读到它之后 layers.0.gates.f[1] 的值，从白色（0）到最深（1）。"
    assert gate[2] == "没有为这个神经元存下特征：它追踪什么，要从颜色里读。"
    assert not any("r = " in c for c in gate)
    short = captions_of(make([text_trace("x = 1\n")]))
    assert len(short) == 4, "a text of one line still says every caption"


def test_every_character_and_number_is_readable_at_720p(saved):
    from scene_watch import watch

    from explainer.words.glossary import variants

    short = saved.parent / "short.safetensors"
    text_trace(CODE[:60], found=FOUND).save(short)
    seen = watch("CellText", "zh", (str(short),))  # the Chinese words are the wider ones
    assert seen.samples and len(seen.captions) == 4
    assert not seen.small, seen.small[:3]
    assert not seen.overlaps and not seen.covered and not seen.clashes
    assert not {v for text in seen.texts | set(seen.captions) for v in variants(text)}, "the zh glossary's terms"


def test_a_tiny_render_writes_its_last_frame(saved, tmp_path):
    out = render("CellText", [str(saved)], output=tmp_path / "last.png", resolution=(160, 90), unit="1.c.3")
    from PIL import Image

    assert Image.open(out).size == (160, 90)
    assert set(tmp_path.iterdir()) == {saved, out}, "no media directory left behind"
