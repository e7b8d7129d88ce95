"""Unit discovery on text: the per-character features are right on Python code and prose, a unit
that follows a feature is found (its layer, state, number and sign), padding is never counted,
and `explainer units` prints the table, stores the units with --save and refuses bad input in one line.
"""

from __future__ import annotations

import io
import re
import sysconfig
import tokenize
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from explainer import reading
from explainer.cli.main import cli
from explainer.errors import ExplainerError
from explainer.probes.text_units import correlations, discover, states, with_units
from explainer.reading.text_features import FEATURES, feature, features, trace_features
from explainer.trace import Trace

CODE = '''def greet(name, *, loud=False):
    """Say hello (twice if loud)."""
    if loud:  # shout: it's "louder"
        print(f"HELLO {name!r}", [name, {"k": (1, 2)}])
    else:
\tprint('it\\'s', name)
    return {'a': [1, (2, 3)]}
'''


def values(text: str, name: str) -> list[int]:
    return feature(text, name).astype(int).tolist()


def marked(text: str, name: str) -> str:
    """The characters where a 0/1 feature is 1."""
    return "".join(c for c, v in zip(text, feature(text, name)) if v)


# -- features -------------------------------------------------------------------------------------
def test_a_string_is_marked_with_its_quotes_and_an_escaped_quote_does_not_end_it():
    assert marked('x = "a\\"b" + y', "string") == '"a\\"b"'
    assert marked("x = 'it\\'s' + y", "string") == "'it\\'s'"
    assert marked('x = "a\\\\" + y', "string") == '"a\\\\"'  # an escaped backslash: the quote after it closes


def test_a_hash_in_a_string_starts_no_comment_and_a_quote_in_a_comment_starts_no_string():
    text = 'url = "a#b"  # don\'t "quote"\nz = 1\n'
    assert marked(text, "string") == '"a#b"'
    assert marked(text, "comment") == "# don't \"quote\""
    assert values(text, "comment")[text.index("\n")] == 0  # the newline ends the comment


def test_a_triple_quoted_string_spans_lines_and_holds_single_quotes_and_hashes():
    text = 'x = """one \'q\'\n# not a comment\n"""\ny = 2  # yes\n'
    assert marked(text, "string") == '"""one \'q\'\n# not a comment\n"""'
    assert marked(text, "comment") == "# yes"


def test_a_one_line_string_left_open_ends_at_the_end_of_its_line():
    text = 'x = "open\ny = (1)\n'
    assert marked(text, "string") == '"open'
    assert values(text, "bracket")[text.index("(")] == 1


def test_a_string_prefix_opens_a_string_and_an_apostrophe_in_a_word_does_not():
    assert marked("x = rb'\\d' + f\"{a}\"", "string") == "'\\d'\"{a}\""
    prose = "It's Alice's book (and 'quoted' words)."
    assert marked(prose, "string") == "'quoted'"
    assert values(prose, "bracket")[prose.index("and")] == 1


def test_bracket_depth_counts_nested_brackets_outside_strings_and_comments():
    text = "f(a[1], {'(': 2}) # (\nb"
    assert values(text, "bracket") == [0, 1, 1, 2, 2, 2, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 1] + [0] * 6
    assert values(")) x", "bracket") == [0, 0, 0, 0]  # stray closing brackets never go below 0


def test_indent_is_the_lines_leading_whitespace_with_tabs_as_four_on_every_character_of_the_line():
    text = "a\n    b c\n\t d\n\n"
    assert values(text, "indent") == [0, 0, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 0]


def test_column_restarts_at_every_line_and_word_start_marks_each_words_first_character():
    assert values("ab\n cd\n", "column") == [0, 1, 2, 0, 1, 2, 3]
    assert marked("self.x_1 = don't(2)", "word_start") == "sxd2"


def test_every_feature_has_one_value_per_character_in_order():
    found = features(CODE)
    assert list(found) == list(FEATURES)
    assert all(v.shape == (len(CODE),) and v.dtype == np.float32 for v in found.values())
    assert all(len(v) == 0 for v in features("").values())


def test_strings_comments_and_brackets_agree_with_pythons_tokenizer_on_a_standard_library_file():
    source = (Path(sysconfig.get_paths()["stdlib"]) / "textwrap.py").read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    offset = np.cumsum([0] + [len(line) for line in lines])
    string, comment, change = (np.zeros(len(source)) for _ in range(3))
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.start[0] > len(lines):
            continue
        a, b = offset[tok.start[0] - 1] + tok.start[1], offset[tok.end[0] - 1] + tok.end[1]
        if tok.type == tokenize.STRING:
            string[a + re.match(r"\w*", tok.string).end():b] = 1  # the prefix is not the string
        elif tok.type == tokenize.COMMENT:
            comment[a:b] = 1
        elif tok.type == tokenize.OP and tok.string in "([{":
            change[a] += 1
        elif tok.type == tokenize.OP and tok.string in ")]}" and b < len(source):
            change[b] -= 1
    found = features(source)
    np.testing.assert_array_equal(found["string"], string)
    np.testing.assert_array_equal(found["comment"], comment)
    np.testing.assert_array_equal(found["bracket"], np.cumsum(change))


# -- traces ---------------------------------------------------------------------------------------
def text_trace(text: str, kind: str = "lstm", layers: int = 2, units: int = 8, seed: int = 0,
               plant: dict | None = None, lengths=None, texts=None) -> Trace:
    """A character trace of noise, with `plant` {(layer, state, unit): [batch, time] values} set."""
    rng = np.random.default_rng(seed)
    batch = 1 if lengths is None else len(lengths)
    arrays = {}
    for layer in range(layers):
        for which in (("c", "h") if kind == "lstm" else ("h",)):
            arrays[f"layers.{layer}.{which}"] = rng.normal(size=(batch, len(text), units)).astype(np.float32)
    for (layer, which, unit), v in (plant or {}).items():
        arrays[f"layers.{layer}.{which}"][:, :, unit] = v
    meta = {"steps": list(text), "tokenizer": "chars", "kind": kind}
    if lengths is not None:
        meta["lengths"] = list(lengths)
    if texts is not None:
        meta["texts"] = list(texts)
    return Trace(arrays, meta)


def test_a_planted_unit_that_follows_a_feature_is_found_with_its_layer_state_number_and_sign():
    text = CODE * 3
    indent, depth = feature(text, "indent"), feature(text, "bracket")
    t = text_trace(text, plant={(1, "c", 5): -indent, (0, "h", 2): 0.5 * depth + 3})
    found = discover(t, top=3)
    assert (found["indent"]["layer"], found["indent"]["state"], found["indent"]["units"][0]) == (1, "c", 5)
    assert found["indent"]["correlation"][0] == pytest.approx(-1.0, abs=1e-4)
    assert (found["bracket"]["layer"], found["bracket"]["state"], found["bracket"]["units"][0]) == (0, "h", 2)
    assert found["bracket"]["correlation"][0] == pytest.approx(1.0, abs=1e-4)
    assert found["indent"]["ranking"][0] == {"layer": 1, "state": "c", "unit": 5, "correlation": -1.0}


def test_the_entry_lists_the_top_units_of_the_best_state_and_a_ranking_over_every_state_by_size_of_r():
    text = CODE * 2
    t = text_trace(text, units=10, plant={(1, "h", 3): feature(text, "column")})
    entry = discover(t, ["column"], top=4)["column"]
    assert len(entry["units"]) == len(entry["correlation"]) == len(entry["ranking"]) == 4
    size = [abs(r["correlation"]) for r in entry["ranking"]]
    assert size == sorted(size, reverse=True)
    r = correlations(t, ["column"])["column"][(1, "h")]  # [units]
    best = np.argsort(-np.abs(r))[:4]
    assert entry["units"] == best.tolist()
    assert entry["correlation"] == pytest.approx(r[best], abs=1e-4)
    assert np.corrcoef(t["layers.1.h"][0, :, 7], feature(text, "column"))[0, 1] == pytest.approx(r[7], abs=1e-5)


def test_a_gru_has_only_h_to_correlate():
    t = text_trace(CODE, kind="gru", plant={(1, "h", 0): feature(CODE, "string")})
    assert states(t) == [(0, "h"), (1, "h")]
    assert discover(t, ["string"])["string"]["state"] == "h"


def test_padding_is_not_counted_and_each_row_is_read_as_its_own_text():
    text = CODE * 2
    other = "def g():\n    if x:\n        return [1,\n                2]\n"  # row 1's own, shorter text
    short = len(other)
    row0 = feature(text, "indent")  # [time]
    row1 = np.full(len(text), 50.0)  # [time]: padding, far from anything the feature does
    row1[:short] = feature(other, "indent")
    t = text_trace(text, plant={(0, "c", 1): np.stack([row0, row1])}, lengths=[len(text), short],
                   texts=[text, other])
    entry = discover(t, ["indent"])["indent"]
    assert (entry["layer"], entry["state"], entry["units"][0]) == (0, "c", 1)
    assert entry["correlation"][0] == pytest.approx(1.0, abs=1e-4)
    with_pads = np.corrcoef(t["layers.0.c"][:, :, 1].ravel(), np.concatenate([row0, feature(text, "indent")]))[0, 1]
    assert with_pads < 0.5  # counting the padding would have hidden the unit


def test_a_batch_of_texts_without_each_rows_text_is_refused_in_one_line():
    t = text_trace(CODE, lengths=[len(CODE), 5])
    with pytest.raises(ExplainerError, match=r"has 2 rows but one text .*meta=\{'texts'"):
        discover(t)


def test_a_constant_unit_and_a_constant_feature_are_left_out():
    prose = "The cat sat on the mat. It was warm and the mat was soft.\n" * 3
    t = text_trace(prose, plant={(0, "h", 4): 7.0})
    found = discover(t, top=8)
    assert "comment" not in found and "string" not in found  # prose has neither
    assert all(not (e["layer"] == 0 and e["state"] == "h" and 4 in e["units"]) for e in found.values())
    assert np.isnan(correlations(t, ["column"])["column"][(0, "h")][4])


def test_units_are_named_by_the_models_numbers_in_a_trace_cut_to_some_units():
    t = text_trace(CODE, plant={(1, "c", 6): feature(CODE, "bracket")}).select(units=[2, 6, 7])
    entry = discover(t, ["bracket"], top=1)["bracket"]
    assert entry["units"] == [6] and entry["ranking"][0]["unit"] == 6
    assert reading.found_units(with_units(t, {"bracket": entry}), "bracket").columns == [1]


def test_features_of_ones_own_are_arrays_over_the_real_steps_or_functions_of_the_text():
    text = CODE
    vowels = np.array([c in "aeiou" for c in text], float)
    t = text_trace(text, plant={(0, "c", 0): vowels, (1, "h", 1): -vowels})
    found = discover(t, {"vowel": vowels, "vowel_fn": lambda s: [c in "aeiou" for c in s], "indent": None}, top=2)
    assert list(found) == ["vowel", "vowel_fn", "indent"]
    assert found["vowel"]["units"][0] == found["vowel_fn"]["units"][0] == 0
    assert abs(found["vowel"]["ranking"][1]["correlation"]) == pytest.approx(1.0, abs=1e-4)


@pytest.mark.parametrize("given, message", [
    ({"mine": np.zeros(3)}, "feature 'mine' has 3 values for"),
    ({"mine": lambda s: [1.0]}, "feature 'mine' has 1 value"),
    ({"mine": np.full(len(CODE), np.nan)}, "feature 'mine' holds nan at step 0"),
    ({"mine": np.zeros((2, len(CODE)))}, "should be a flat list of numbers"),
    (["indentation"], "unknown text feature 'indentation'; the built-in ones are string, comment"),
])
def test_a_bad_feature_is_one_line(given, message):
    with pytest.raises(ExplainerError, match=re.escape(message)):
        trace_features(text_trace(CODE), given)


def test_a_trace_that_is_not_of_a_text_or_holds_several_modules_is_refused_in_one_line():
    words = Trace({"layers.0.h": np.ones((1, 2, 3), np.float32)}, {"steps": ["Alice", "is"]})
    with pytest.raises(ExplainerError, match="steps are not characters of a text"):
        discover(words)
    two = Trace({"a.layers.0.h": np.ones((1, 2, 3), np.float32), "b.layers.0.h": np.ones((1, 2, 3), np.float32)},
                {"steps": list("ab")})
    with pytest.raises(ExplainerError, match=r"several recurrent modules \(a, b\).*trace.module"):
        discover(two)
    with pytest.raises(ExplainerError, match="top should be 1 or more"):
        discover(text_trace(CODE), top=0)


def test_stored_units_survive_save_and_load_and_found_units_reads_them(tmp_path):
    t = text_trace(CODE, plant={(1, "c", 5): feature(CODE, "indent")})
    t.meta["units_found"] = {"gender": {"layer": 0, "state": "c", "units": [1], "correlation": [0.5]}}
    stored = with_units(t, discover(t))
    back = Trace.load(stored.save(tmp_path / "t.safetensors"))
    assert back.meta["units_found"] == stored.meta["units_found"]
    assert "gender" in back.meta["units_found"]  # other features' units are kept
    found = reading.found_units(back, "indent")
    assert (found.name, found.numbers[0], found.signs[0]) == ("layers.1.c", 5, 1)


def test_a_ranking_naming_a_unit_the_trace_does_not_have_is_refused():
    entry = {"layer": 0, "state": "c", "units": [1], "correlation": [0.5],
             "ranking": [{"layer": 0, "state": "c", "unit": 99, "correlation": 0.5}]}
    with pytest.raises(ExplainerError, match=r"units_found\.x\.ranking\[0\]\.unit names unit 99"):
        Trace({"layers.0.c": np.zeros((1, 2, 8), np.float32)}, {"units_found": {"x": entry}})


def test_discovery_reads_a_recorded_character_model():
    import torch

    import explainer
    from explainer.models.task_models import TokenModel

    torch.manual_seed(0)
    text = CODE
    chars = sorted(set(text))
    model = TokenModel("lstm", len(chars), len(chars), hidden_size=6, num_layers=2).eval()
    t = explainer.record(model, torch.tensor([[chars.index(c) for c in text]]), steps=list(text))
    found = discover(t, top=2)
    assert set(found) == set(FEATURES)
    assert all(e["layer"] in (0, 1) and e["state"] in ("c", "h") and -1 <= e["correlation"][0] <= 1
               for e in found.values())
    assert reading.found_units(with_units(t, found), "indent") is not None


# -- explainer units ------------------------------------------------------------------------------
def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def planted(tmp_path):
    text = CODE * 2
    t = text_trace(text, plant={(1, "c", 5): -feature(text, "indent"), (0, "h", 3): feature(text, "string")})
    return t.save(tmp_path / "code.safetensors")


def table(output: str) -> list[list[str]]:
    """The table's rows, split into cells (after its header row)."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:2] == ["feature", "layer"])
    return [line.split() for line in lines[start + 1:] if line.split() and line.split()[0] in FEATURES + ("mine",)]


def test_units_prints_each_features_best_units_as_a_table(planted):
    result = run("units", planted, "--top", "2")
    assert result.exit_code == 0, result.output
    rows = table(result.output)
    assert rows[0] == ["string", "0", "h", "3", "+1.00"]
    assert ["indent", "1", "c", "5", "-1.00"] in rows
    assert [row[0] for row in rows] == [name for name in FEATURES for _ in range(2)]
    lines = [line for line in result.output.splitlines() if line.split()[:1] in (["feature"], *([n] for n in FEATURES))]
    assert len(lines) == 1 + len(rows) and len({len(line) for line in lines}) == 1  # aligned: r ends every line


def test_units_feature_chooses_features_and_save_stores_them_for_found_units(planted, tmp_path):
    out = tmp_path / "found.safetensors"
    result = run("units", planted, "--feature", "indent", "--save", out)
    assert result.exit_code == 0, result.output
    assert {row[0] for row in table(result.output)} == {"indent"}
    saved = Trace.load(out)
    assert set(saved.names) == set(Trace.load(planted).names)
    found = reading.found_units(saved, "indent")
    assert (found.name, found.numbers[0], found.signs[0]) == ("layers.1.c", 5, -1)


def test_units_feature_file_is_a_feature_of_ones_own(planted, tmp_path):
    text = CODE * 2
    np.save(tmp_path / "mine.npy", feature(text, "string"))
    result = run("units", planted, "--feature-file", f"mine={tmp_path / 'mine.npy'}", "--top", "1")
    assert result.exit_code == 0, result.output
    assert table(result.output) == [["mine", "0", "h", "3", "+1.00"]]


def test_units_save_refuses_to_replace_what_explainer_did_not_make_without_force(planted, tmp_path):
    mine = tmp_path / "mine.safetensors"
    mine.write_bytes(b"the user's own file")
    result = run("units", planted, "--save", mine)
    assert result.exit_code == 1 and "pass --force" in result.output
    assert mine.read_bytes() == b"the user's own file"
    assert run("units", planted, "--save", mine, "--force").exit_code == 0
    assert reading.found_units(Trace.load(mine), "string") is not None


@pytest.mark.parametrize("args, message", [
    (["{garbage}"], "is not a readable trace file"),
    (["{words}"], "steps are not characters of a text"),
    (["{trace}", "--feature", "indentation"], "unknown --feature 'indentation'; the built-in ones are string, comment, "
                                              "indent, bracket, column, word_start"),
    (["{trace}", "--top", "0"], "--top 0: give 1 or more units per feature"),
    (["{trace}", "--feature-file", "mine={short}"], "--feature-file mine={short}: feature 'mine' has 5 values for"),
    (["{trace}", "--feature-file", "mine={pickled}"], "holds pickled objects, which explainer never loads"),
    (["{trace}", "--feature-file", "mine={npz}"], "holds several arrays (a .npz)"),
    (["{trace}", "--feature-file", "mine={missing}"], "no such file"),
    (["{trace}", "--feature-file", "indent={short}"], "indent is a built-in feature; give yours another name"),
    (["{trace}", "--feature-file", "mine"], "write NAME=FILE.npy"),
])
def test_units_refuses_bad_input_in_one_line(planted, tmp_path, args, message):
    paths = {"trace": planted, "garbage": tmp_path / "garbage.safetensors", "words": tmp_path / "words.safetensors",
             "short": tmp_path / "short.npy", "pickled": tmp_path / "pickled.npy", "npz": tmp_path / "two.npz",
             "missing": tmp_path / "missing.npy"}
    paths["garbage"].write_bytes(b"\x00" * 64)
    Trace({"layers.0.h": np.ones((1, 2, 3), np.float32)}, {"steps": ["Alice", "is"]}).save(paths["words"])
    np.save(paths["short"], np.zeros(5))
    np.save(paths["pickled"], np.array([{"a": 1}], dtype=object), allow_pickle=True)
    np.savez(paths["npz"], a=np.zeros(3), b=np.zeros(3))
    result = run("units", *[a.format(**paths) for a in args])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in result.output
    assert message.format(**paths) in lines[0]


def test_the_readmes_discovery_example_runs_as_written(tmp_path, monkeypatch):
    import torch

    import explainer
    from explainer.models import TokenModel

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "discover(trace" in b)
    code = "def f(x):\n    return [x,\n            'a#b']  # done\n" * 3
    (tmp_path / "some_code.py").write_text(code)
    monkeypatch.chdir(tmp_path)
    vocab = sorted(set(code))
    scope = {"torch": torch, "explainer": explainer, "vocab": vocab,
             "model": TokenModel("lstm", len(vocab), len(vocab), hidden_size=8, num_layers=2)}
    exec(block, scope)
    saved = explainer.Trace.load(tmp_path / "code.safetensors")
    assert set(saved.meta["units_found"]) == {"indent", "vowel"}
    assert reading.found_units(saved, "vowel") is not None
