"""The `text` figure: Karpathy's coloured text, as a slide (PNG/SVG/PDF) and as a web page.

Which unit it colours by (`--unit L.KIND.N`, `--feature`, the default) and the one-line
refusals; that the colours are the values' (the largest value gets the end colour, the
page's colours are the slide's); that padding is not text; how lines break, wrap and are
cut; that the page escapes the text; that the title says only what is stored; and the CLI.
Traces are made by hand (the values are known), and one is recorded from an untrained model.
"""

from __future__ import annotations

import re
from html import unescape

import matplotlib
import numpy as np
import pytest
from click.testing import CliRunner
from matplotlib.colors import to_hex
from matplotlib.text import Text

from explainer import figures
from explainer.cli.main import cli
from explainer.errors import ExplainerError
from explainer.figures.text import colouring, fit
from explainer.figures.text_html import page
from explainer.reading.one_unit import choose_unit
from explainer.reading.text_rows import text_rows
from explainer.trace import Trace

CODE = "def f(x):\n    if x:\n        return 1\n    return 0\n"
FOUND = {"indent": {"layer": 1, "state": "c", "units": [3, 1], "correlation": [0.79, 0.5]},
         "string": {"layer": 0, "state": "h", "units": [2], "correlation": [-0.46]}}


def text_trace(text: str = CODE, *, kind: str = "lstm", size: int = 4, found: dict | None = FOUND,
               values: np.ndarray | None = None, **meta) -> Trace:
    """A two-layer character trace of `text`; layers.1.c[3] holds `values` (default: the indentation depth)."""
    n = len(text)
    rng = np.random.default_rng(0)
    states = ("h", "c") if kind == "lstm" else ("h",)
    gates = {"lstm": "ifgo", "gru": "rzn", "rnn_tanh": ""}[kind]
    arrays = {}
    for layer in (0, 1):
        for s in states:
            arrays[f"layers.{layer}.{s}"] = rng.uniform(-0.5, 0.5, (1, n, size)).astype(np.float32)
        for g in gates:
            arrays[f"layers.{layer}.gates.{g}"] = rng.uniform(0, 1, (1, n, size)).astype(np.float32)
    if values is None:
        depth, lead, start = [], 0, True  # the indentation of each character's line, so far
        for ch in text:
            if ch == "\n":
                lead, start = 0, True
            elif start and ch == " ":
                lead += 1
            else:
                start = False
            depth.append(lead)
        values = np.array(depth, dtype=float) / 4
    target = "layers.1.c" if kind == "lstm" else "layers.1.h"
    arrays[target][0, :, 3] = np.asarray(values, dtype=np.float32)
    full = {"steps": list(text), "tokenizer": "chars", "kind": kind, "num_layers": 2, **meta}
    if found is not None:
        full["units_found"] = found
    return Trace(arrays, full)


def title(fig) -> str:
    return fig._suptitle.get_text()


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def one_line(e: pytest.ExceptionInfo) -> str:
    message = str(e.value)
    assert message and "\n" not in message
    return message


# -- which unit ---------------------------------------------------------------------------------------

def test_unit_is_layer_state_and_number_in_the_models_numbering():
    t = text_trace().select(units=[1, 3])  # unit 3 is now in column 1
    u = choose_unit(t, unit="1.c.3")
    assert (u.layer, u.letter, u.number, u.column, u.label) == (1, "c", 3, 1, "layers.1.c[3]")
    assert (u.feature, u.correlation) == ("indent", 0.79), "a unit discovery found keeps its feature and r"
    gate = choose_unit(t, unit="0.f.1")
    assert (gate.name, gate.column, gate.feature, gate.signed) == ("layers.0.gates.f", 0, None, False)


@pytest.mark.parametrize("given,says", [
    ("1.x.3", r"^--unit '1\.x\.3': give LAYER\.STATE\.UNIT like 1\.c\.98; this trace has layers 0-1, states h, c, "
              r"gates f, i, g, o, units 0-3$"),
    ("c98", r"^--unit 'c98': give LAYER\.STATE\.UNIT like 1\.c\.98; this trace has layers 0-1"),
    ("1.c", r"give LAYER\.STATE\.UNIT"),
    ("5.c.1", r"^--unit '5\.c\.1': there is no layer 5; this trace has layers 0-1"),
    ("1.c.40", r"^--unit '1\.c\.40': layers\.1\.c holds no unit 40; this trace has .*units 0-3$"),
    ("0.r.1", r"^--unit '0\.r\.1': layer 0 holds no r \(h, c, f, i, g, o\)"),
])
def test_a_unit_that_is_not_in_the_trace_is_refused_in_one_line_saying_what_is(given, says):
    with pytest.raises(ExplainerError) as e:
        choose_unit(text_trace(), unit=given)
    assert re.search(says, one_line(e)), str(e.value)


def test_feature_picks_its_best_unit_and_the_default_is_the_first_features_best():
    t = text_trace()
    by_feature = choose_unit(t, feature="string")
    assert (by_feature.label, by_feature.correlation, by_feature.why) == ("layers.0.h[2]", -0.46, "feature")
    default = choose_unit(t)
    assert (default.label, default.feature, default.why) == ("layers.1.c[3]", "indent", "found")


def test_without_discovered_units_the_default_is_unit_0_of_the_top_layers_state():
    assert choose_unit(text_trace(found=None)).label == "layers.1.c[0]"
    assert choose_unit(text_trace(kind="gru", found=None)).label == "layers.1.h[0]"


def test_feature_refusals_name_what_there_is():
    with pytest.raises(ExplainerError) as e:
        choose_unit(text_trace(), feature="comment")
    assert "no discovered 'comment' units; it has units for indent, string" in one_line(e)
    with pytest.raises(ExplainerError) as e:
        choose_unit(text_trace(found=None), feature="indent")
    assert "no discovered units (meta units_found)" in one_line(e) and "--unit L.KIND.N" in str(e.value)
    with pytest.raises(ExplainerError) as e:
        choose_unit(text_trace(), unit="1.c.3", feature="indent")
    assert one_line(e) == "figure text follows one unit: give --unit or --feature, not both"


# -- colours ----------------------------------------------------------------------------------------------

def test_the_largest_value_gets_the_end_colour_and_zero_the_middle():
    values = np.array([0.0, 2.0, -1.0, 0.5, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])  # 12 characters
    paint = colouring(text_trace("abc\ndef\ngh\n", found=None, values=values[:11]), unit="1.c.3")
    cmap = matplotlib.colormaps["RdBu_r"]
    assert paint.limits == (-2.0, 2.0), "symmetric at the largest |value|"
    assert to_hex(paint.rgba[1]) == to_hex(cmap(1.0)), "+max is the top colour"
    assert to_hex(paint.rgba[2]) == to_hex(cmap(0.25))
    assert to_hex(paint.rgba[0]) == to_hex(cmap(0.5))


def test_a_gate_goes_from_white_at_0_to_its_colour_at_1():
    from explainer.style import GATE_COLORS

    t = text_trace("ab\n", found=None)
    t["layers.0.gates.f"][0, :, 1] = [0.0, 1.0, 0.5]
    paint = colouring(t, unit="0.f.1")
    assert paint.limits == (0.0, 1.0)
    assert to_hex(paint.rgba[0]) == "#ffffff" and to_hex(paint.rgba[1]) == GATE_COLORS["f"].lower()


def test_padding_is_not_text_and_not_counted_in_the_colours():
    t = text_trace("abcdef", found=None)
    arrays = {n: np.concatenate([t[n], t[n]]) for n in t.names}  # [2, 6, 4]
    arrays["layers.1.c"][1, 4:, 3] = 100.0  # padding past row 1's end
    arrays["layers.1.c"][1, :4, 3] = [0.1, -0.4, 0.2, 0.0]
    padded = Trace(arrays, {**t.meta, "lengths": [6, 4], "texts": ["abcdef", "wxyz"]})
    fig = figures.make("text", padded, unit="1.c.3", row=1)
    paint = colouring(padded, unit="1.c.3", row=1)
    assert paint.text == "wxyz" and paint.limits == pytest.approx((-0.4, 0.4)), "row 1's own text, to its end"
    assert "4 characters, one line" in " ".join(texts(fig))
    assert {"w", "x", "y", "z"} <= set(texts(fig)) and not {"a", "e", "f"} & set(texts(fig))


# -- lines -----------------------------------------------------------------------------------------------

def test_line_breaks_are_kept_and_long_lines_wrap_marked_as_continuations():
    text = "short\n" + "x" * 150 + "\nend\n"
    rows, _ = fit(text)
    assert rows.width == 100
    assert [(r.line, r.continued, len(r.steps)) for r in rows.rows] == [(0, False, 6), (1, False, 100), (1, True, 51),
                                                                        (2, False, 4)]
    fig = figures.make("text", text_trace(text, found=None))
    drawn = texts(fig)
    assert drawn.count("↪") == 1 and drawn.count("↵") == 3
    assert any("↪ wrapped line" in s for s in drawn) and any("↵ line break" in s for s in drawn)


def test_a_long_text_is_cut_after_whole_rows_and_says_how_much_is_shown():
    text = "".join(f"line {k:4d} of the text\n" for k in range(400))  # 8,800 characters
    fig = figures.make("text", text_trace(text, found=None))
    rows, size = fit(text)
    assert rows.cut and size >= 10 and len(rows.rows) >= 20
    note = f"the first {rows.shown:,} of 8,800 characters ({len(rows.rows)} of 400 lines)"
    assert note in " ".join(texts(fig))
    zh = figures.make("text", text_trace(text, found=None), lang="zh")
    assert f"8800 个字符中的前 {rows.shown} 个（400 行中的 {len(rows.rows)} 行）" in " ".join(texts(zh))


def test_spaces_are_coloured_cells_and_tabs_and_breaks_have_visible_signs():
    rows = text_rows("a b\tc\n", 20)
    assert rows.rows[0].steps == (0, 1, 2, 3, 4, 5)
    fig = figures.make("text", text_trace("a b\tc\n", found=None))
    drawn = texts(fig)
    assert "⇥" in drawn and "↵" in drawn and " " not in drawn


# -- the title ----------------------------------------------------------------------------------------------

def test_the_title_names_the_unit_and_its_stored_r_and_only_then():
    t = text_trace()
    assert title(figures.make("text", t)) == "layers.1.c[3] — indentation unit, r = +0.79"
    assert title(figures.make("text", t, feature="string")) == "layers.0.h[2] — string unit, r = −0.46"
    assert title(figures.make("text", t, lang="zh")) == "layers.1.c[3] — 缩进神经元，r = +0.79"
    assert title(figures.make("text", t, unit="1.c.0")) == "layers.1.c[0], character by character"
    assert "r = " not in " ".join(texts(figures.make("text", t, unit="1.c.0")))
    bare = figures.make("text", text_trace(found=None))
    assert title(bare) == "layers.1.c[0] — the first unit of the top layer's cell state"
    assert "this trace has no discovered units" in " ".join(texts(bare))
    assert "the unit discovery found most strongly, of any feature" in " ".join(texts(figures.make("text", t)))


def test_a_feature_of_the_users_own_is_named_as_stored():
    t = text_trace(found={"my_vowels": {"layer": 1, "state": "c", "units": [3], "correlation": [0.61]}})
    assert title(figures.make("text", t)) == "layers.1.c[3] — “my_vowels” unit, r = +0.61"


def test_a_trace_that_is_not_of_a_text_is_refused_in_one_line():
    t = Trace({"layers.0.h": np.zeros((1, 3, 2), np.float32)}, {"steps": ["0.00", "0.31", "0.62"], "kind": "rnn_tanh"})
    with pytest.raises(ExplainerError) as e:
        figures.make("text", t)
    assert one_line(e).startswith("figure text colours the characters of a text, and this trace's steps are not")


def test_an_untrained_models_recording_draws_in_both_languages():
    import torch

    import explainer
    from explainer.models import TokenModel

    torch.set_num_threads(1)
    text = "for i in range(3):\n    print(i)\n"
    vocab = sorted(set(text))
    model = TokenModel("lstm", len(vocab), len(vocab), embed_size=4, hidden_size=6, num_layers=2)
    trace = explainer.record(model, torch.tensor([[vocab.index(c) for c in text]]), steps=list(text),
                             meta={"tokenizer": "chars"})
    for lang in ("en", "zh"):
        fig = figures.make("text", trace, lang=lang, unit="1.c.5")
        assert title(fig).startswith("layers.1.c[5]")
    assert title(figures.make("text", trace)) == "layers.1.c[0] — the first unit of the top layer's cell state"


# -- the page ---------------------------------------------------------------------------------------------

def test_the_page_escapes_the_text_and_shows_each_value_on_hover():
    text = 'if a < b && c > "d":\n'
    html = page(text_trace(text, found=None), unit="1.c.3")
    body = html.split("<pre>")[1].split("</pre>")[0]
    shown = re.sub(r"</?span[^>]*>", "", body)  # what the page shows, with the tags taken away
    assert "<" not in shown and ">" not in shown and "&lt;" in shown and "&amp;&amp;" in shown
    assert unescape(shown).strip("\n") == " " + text.replace("\n", "↵")
    assert 'title="step 5 · “&lt;” · ' in body
    assert html.count('title="step ') == len(text)
    assert '<meta name="generator" content="explainer">' in html and "<script" not in html


def test_the_page_has_the_slides_colours_title_and_legend():
    t = text_trace()
    paint = colouring(t)
    html = page(t)
    classes = re.findall(r'<span class="(c\d+|nan)" title="step (\d+) ', html)
    css = dict(re.findall(r"\.(c\d+) \{ background: (#[0-9a-f]{6});", html))
    assert len(classes) == len(CODE)
    for kind, t_ in classes:
        assert css[kind] == to_hex(paint.rgba[int(t_)]), f"step {t_}"
    assert "<title>layers.1.c[3] — indentation unit, r = +0.79</title>" in html
    assert 'class="bar"' in html and "linear-gradient" in html
    assert "layers.1.c[3] after reading the character" in html
    assert '<html lang="zh-Hans">' in page(t, lang="zh") and "缩进神经元" in page(t, lang="zh")


# -- the command --------------------------------------------------------------------------------------------

def run(*args):
    return CliRunner().invoke(cli, ["figure", *map(str, args)], catch_exceptions=False)


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "code.safetensors"
    text_trace().save(path)
    return path


@pytest.mark.parametrize("suffix,magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF"),
                                          (".html", b"<!DOCTYPE html>")])
def test_the_command_writes_every_format(saved, tmp_path, suffix, magic):
    out = tmp_path / f"text{suffix}"
    result = run("text", "--trace", saved, "--feature", "indent", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(magic)


def test_the_command_never_replaces_a_users_file_without_force(saved, tmp_path):
    mine = tmp_path / "mine.png"
    mine.write_bytes(b"my own picture")
    result = run("text", "--trace", saved, "-o", mine)
    assert result.exit_code == 1 and "exists and was not made by explainer; pass --force" in result.output
    assert mine.read_bytes() == b"my own picture"
    assert run("text", "--trace", saved, "-o", mine, "--force").exit_code == 0
    assert run("text", "--trace", saved, "-o", mine).exit_code == 0, "explainer's own PNG is replaced"
    page_out = tmp_path / "mine.html"
    page_out.write_text("<p>notes</p>")
    assert run("text", "--trace", saved, "-o", page_out).exit_code == 1
    assert page_out.read_text() == "<p>notes</p>"
    assert run("text", "--trace", saved, "-o", page_out, "--force").exit_code == 0


def test_the_commands_refusals_are_one_line(saved, tmp_path):
    for args, says in [
        (("--unit", "1.q.3"), r"^error: --unit '1\.q\.3': give LAYER\.STATE\.UNIT like 1\.c\.98"),
        (("--feature", "comment"), r"no discovered 'comment' units"),
        (("--step", "3"), r"^error: figure text takes no --step \(it takes only --unit, --feature, --row\)"),
    ]:
        result = run("text", "--trace", saved, *args, "-o", tmp_path / "x.png")
        lines = [l for l in result.output.splitlines() if l.strip()]
        assert result.exit_code == 1 and len(lines) == 1 and re.search(says, lines[0]), result.output
    result = run("gates", "--trace", saved, "-o", tmp_path / "x.html")
    assert result.exit_code == 1 and "figure gates has no web page form (only text has)" in result.output
    result = run("gates", "--trace", saved, "--unit", "1.c.3", "-o", tmp_path / "x.png")
    assert result.exit_code == 1 and "figure gates takes no --unit" in result.output
    assert not list(tmp_path.glob("x.*"))
