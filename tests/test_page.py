"""The trace page without a browser: its data, its self-containment, the CLI's refusals, the notebook view."""

from __future__ import annotations

import html as htmllib
import re

import numpy as np
import pytest
from click.testing import CliRunner

from explainer import page
from explainer.cli.main import cli
from explainer.errors import ExplainerError
from explainer.page.payload import MOST_STEPS, decoded, ink, payload
from explainer.page.quantize import dequantize, quantize
from explainer.reading import lstmvis
from explainer.reading.text import text_of
from explainer.trace import Trace

TEXT = "assets/traces/text-lstm.safetensors"
LANGUAGE = "assets/traces/language-lstm.safetensors"


def small(steps: int = 6, batch: int = 1, units: int = 3, seed: int = 0, **meta) -> Trace:
    rng = np.random.default_rng(seed)
    arrays = {f"layers.0.{q}": rng.normal(size=(batch, steps, units)).astype(np.float32) for q in ("h", "c")}
    arrays.update({f"layers.0.gates.{g}": rng.uniform(size=(batch, steps, units)).astype(np.float32) for g in "ifgo"})
    return Trace(arrays, {"kind": "lstm", "steps": [f"s{t}" for t in range(steps)], **meta})


# -- values ---------------------------------------------------------------------------------------
def test_quantized_values_read_back_within_half_a_step_of_their_unit():
    rng = np.random.default_rng(1)
    v = rng.normal(size=(5, 400)) * np.array([[0.01], [1], [30], [1e-6], [0]])  # [units, time]
    for signed in (True, False):
        for bits in (8, 16):
            q = quantize(v, signed, bits)
            back = dequantize(q.codes, q.lo, q.step, bits)
            assert (np.abs(back - v) <= q.step[:, None] / 2 + 1e-12).all()


def test_a_signed_zero_is_stored_exactly():
    v = np.array([[0.0, 0.3, -2.0, 0.0]])
    q = quantize(v, signed=True)
    assert dequantize(q.codes, q.lo, q.step, 8)[0, [0, 3]].tolist() == [0.0, 0.0]


def test_the_page_holds_the_trace_values_to_the_stated_precision():
    t = Trace.load(TEXT)
    p = payload(t)
    assert p.meta["bits"] == 8  # 2.3 million values: 8 bits
    for layer, letter in [(1, "c"), (0, "f"), (1, "g")]:
        got = decoded(p, 0, layer, letter)  # [steps, units]
        q = next(q for q in p.meta["layers"][layer]["quantities"] if q["letter"] == letter)
        want = t[f"layers.{layer}.{'c' if letter == 'c' else 'gates.' + letter}"][0].astype(np.float64)
        assert (np.abs(got - want) <= np.array(q["step"]) / 2 + 1e-9).all()


def test_a_small_trace_is_stored_in_16_bits_unless_told():
    assert payload(Trace.load(LANGUAGE)).meta["bits"] == 16
    assert payload(Trace.load(LANGUAGE), bits=8).meta["bits"] == 8


# -- what is shown ---------------------------------------------------------------------------------
def test_a_text_trace_shows_its_characters_and_a_language_trace_its_words_in_the_language():
    assert "".join(payload(Trace.load(TEXT)).meta["rows"][0]["labels"]) == text_of(Trace.load(TEXT))
    assert payload(Trace.load(LANGUAGE), lang="zh").meta["rows"][0]["labels"][:3] == ["Alice", "是一名", "女"]


def test_every_quantity_of_the_kind_is_offered_in_order():
    p = payload(Trace.load(TEXT))
    assert [len(layer["quantities"]) for layer in p.meta["layers"]] == [6, 6]
    assert [q["letter"] for q in p.meta["layers"][1]["quantities"]] == ["h", "c", "i", "f", "g", "o"]


def test_padded_rows_hold_only_their_real_steps():
    t = small(steps=6, batch=2, lengths=[6, 4])
    p = payload(t)
    assert [len(r["labels"]) for r in p.meta["rows"]] == [6, 4]
    assert decoded(p, 1, 0, "h").shape == (4, 3)
    np.testing.assert_allclose(decoded(p, 1, 0, "h"), t["layers.0.h"][1, :4], atol=1e-3)


def test_a_long_trace_is_windowed_and_the_page_says_which_steps_of_how_many():
    t = small(steps=MOST_STEPS + 5)
    p = payload(t)
    assert p.meta["window"] == {"start": 0, "end": MOST_STEPS, "total": MOST_STEPS + 5}
    text = page.build(t, start=3, steps=4)
    assert "steps 3–6 of 10,005 shown" in text


def test_each_sliding_sine_window_shows_its_own_x_values():
    from explainer import assets
    from explainer.checkpoint import Checkpoint
    from explainer.explain import trace_checkpoint

    trace = trace_checkpoint(Checkpoint.load(assets.checkpoint_path("sine", "rnn", "seed")), windows=3)
    rows = payload(trace).meta["rows"]
    assert [r["labels"][0] for r in rows] == ["27.97", "28.06", "28.15"]  # points 310, 311, 312
    assert rows[2]["labels"][:2] == rows[0]["labels"][2:4]


def test_the_discovered_feature_units_are_listed_with_their_r():
    found = payload(Trace.load(TEXT)).meta["found"]
    indent = next(f for f in found if f["feature"] == "indent")
    assert indent["units"][0] == {"number": 52, "column": 52, "r": -0.7893} and indent["letter"] == "c"


def test_the_colours_are_the_text_figures_colour_map_entry_by_entry():
    from matplotlib.colors import to_hex

    from explainer.figures.draw import text_color
    from explainer.style import value_cmap

    palettes = payload(Trace.load(LANGUAGE)).meta["palettes"]
    for letter in ("c", "f"):
        cmap = value_cmap(letter)
        assert palettes[letter]["fill"] == [to_hex(cmap(k)) for k in range(cmap.N)]
        assert palettes[letter]["ink"] == [text_color(cmap(k)) for k in range(cmap.N)]
    assert ink((0, 0, 0, 1)) == text_color((0, 0, 0, 1))


# -- self-contained ---------------------------------------------------------------------------------
def test_the_page_fetches_nothing_and_carries_explainers_mark():
    text = page.build(Trace.load(LANGUAGE))
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.I)
    assert "fetch(" not in text and "XMLHttpRequest" not in text and "import(" not in text
    assert '<meta name="generator" content="explainer">' in text.split("</head>")[0]


def test_no_text_of_the_trace_can_close_the_data_block():
    t = small(steps=3)
    t.meta["steps"] = ["</script>", "<b>", "&amp;"]
    text = page.build(t)
    assert text.count("</script>") == 3  # the meta's, the data's, the script's


# -- LSTMVis --------------------------------------------------------------------------------------
def test_units_on_needs_every_selected_step_on_and_the_padding_off():
    v = np.array([[0.0, 0.0], [0.9, 0.9], [0.9, 0.9], [0.0, 0.9]])  # [time, units]
    assert lstmvis.units_on(v, 1, 3, 0.5) == [0]
    assert lstmvis.units_on(v, 1, 3, 0.5, pad=0) == [0, 1]
    assert lstmvis.units_on(v, 0, 0, 0.5) == []


def test_matches_are_ranked_by_units_on_then_length_and_leave_out_the_selection():
    v = np.zeros((12, 2))
    v[1:3] = 1  # both on, 2 steps (the selection)
    v[5:9, 0] = 1  # unit 0 alone, 4 steps
    v[10:11] = 1  # both on, 1 step
    ranked = lstmvis.matches(v, [0, 1], 0.5, least=1, exclude=(1, 3))
    assert [(m.range, m.on) for m in ranked] == [((10, 11), 2), ((5, 9), 1)]


# -- difference ----------------------------------------------------------------------------------
def test_mismatched_traces_are_refused_in_one_line():
    with pytest.raises(ExplainerError, match="do not line up") as e:
        payload(small(steps=5), baseline=small(steps=6))
    assert "\n" not in str(e.value)


def test_the_difference_is_zero_where_the_traces_agree():
    a, b = small(seed=0), small(seed=0)
    b._arrays["layers.0.c"] = b["layers.0.c"] + 1.0
    p = payload(b, baseline=a)
    assert p.meta["diff"] and (decoded(p, 0, 0, "h") == 0).all() and (decoded(p, 0, 0, "f") == 0).all()
    np.testing.assert_allclose(decoded(p, 0, 0, "c"), 1.0, atol=1e-3)


# -- the command ----------------------------------------------------------------------------------
def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_the_command_writes_a_page(tmp_path):
    out = tmp_path / "trace.html"
    result = run("page", LANGUAGE, "-o", str(out), "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert run("page", LANGUAGE, "-o", str(out)).exit_code == 0  # our own page is replaced without --force


@pytest.mark.parametrize("args, says", [
    (["missing.safetensors"], "no such file"),
    (["assets/checkpoints/language-lstm.safetensors"], "checkpoint, not a trace"),
    (["README.md"], "not a readable trace file"),
    ([LANGUAGE, "--unit", "0.c.99"], "holds no unit 99"),
    ([LANGUAGE, "--start", "16"], "out of range"),
    ([LANGUAGE, "--baseline", TEXT], "different arrays"),
])
def test_the_command_refuses_bad_input_in_one_line(tmp_path, args, says):
    out = tmp_path / "trace.html"
    result = run("page", *args, "-o", str(out))
    assert result.exit_code == 1 and says in result.output and result.output.count("\n") == 1
    assert list(tmp_path.iterdir()) == []  # nothing written, no temporary left


def test_an_existing_file_not_ours_is_kept_without_force(tmp_path):
    out = tmp_path / "mine.html"
    out.write_text("<!DOCTYPE html><p>my notes</p>")
    result = run("page", LANGUAGE, "-o", str(out))
    assert result.exit_code == 1 and "--force" in result.output and "my notes" in out.read_text()
    assert run("page", LANGUAGE, "-o", str(out), "--force").exit_code == 0
    assert "my notes" not in out.read_text()


@pytest.fixture(scope="module")
def encoder_decoder(tmp_path_factory):
    """A trace of a model with two recurrent modules: a GRU encoder and an LSTM decoder."""
    import torch

    import explainer

    class EncoderDecoder(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.enc, self.dec = torch.nn.GRU(3, 8, batch_first=True), torch.nn.LSTM(8, 6, batch_first=True)

        def forward(self, x):
            return self.dec(self.enc(x)[0])[0]

    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("two") / "two.safetensors"
    explainer.record(EncoderDecoder(), torch.randn(1, 12, 3)).save(path)
    return path


def test_a_trace_of_several_modules_shows_the_one_chosen_and_names_it(encoder_decoder, tmp_path):
    trace = Trace.load(encoder_decoder)
    p = payload(trace, module="dec", name="two.safetensors")
    assert [q["letter"] for q in p.meta["layers"][0]["quantities"]] == ["h", "c", "i", "f", "g", "o"]
    assert np.abs(decoded(p, 0, 0, "f") - trace["dec.layers.0.gates.f"][0]).max() < 1e-4
    assert p.meta["header"][0].endswith("· two.safetensors · dec")
    assert run("page", str(encoder_decoder), "--module", "enc", "-o", str(tmp_path / "enc.html")).exit_code == 0


@pytest.mark.parametrize("args, says", [
    ([], "this trace records 2 recurrent modules (enc, dec); a page shows one: choose it with --module enc"),
    (["--module", "decoder"], "--module decoder: this trace has no such module; it has: enc, dec"),
])
def test_a_trace_of_several_modules_without_a_known_module_is_refused_in_one_line(encoder_decoder, tmp_path,
                                                                                  args, says):
    result = run("page", str(encoder_decoder), *args, "-o", str(tmp_path / "two.html"))
    assert result.exit_code == 1 and says in result.output and result.output.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_a_module_is_refused_for_a_trace_of_one():
    with pytest.raises(ExplainerError, match="records one recurrent module; leave --module out"):
        payload(Trace.load(LANGUAGE), module="lstm")


def test_the_command_wants_an_html_name(tmp_path):
    result = run("page", LANGUAGE, "-o", str(tmp_path / "trace.png"))
    assert result.exit_code == 1 and ".html" in result.output


# -- notebook ------------------------------------------------------------------------------------
def test_the_notebook_shows_the_page_in_a_sandboxed_iframe():
    from explainer.notebook import page as inline

    t = Trace.load(LANGUAGE)
    shown = inline(t, lang="zh")._repr_html_()
    found = re.fullmatch(r'<iframe sandbox="allow-scripts" srcdoc="([^"]*)" style="[^"]*"></iframe>', shown)
    assert found is not None
    assert htmllib.unescape(found.group(1)) == page.build(t, lang="zh")
