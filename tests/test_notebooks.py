"""The source tutorial as two notebooks (docs/notebooks/rnn-lstm-{en,zh}.ipynb): they run top to bottom.

Each notebook is executed as scripts/run_notebooks.py executes it (a fresh `python3` kernel of
this very Python, whose kernel spec and Jupyter files live in a temporary directory, so nothing
is written to the home directory), on the shipped assets, offline. A cell that raises (also a
failed `assert` guarding a sentence of the text) fails the test. The English one runs with the
repository as the working directory, the Chinese one from the notebook's own directory: both must
find the assets.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("run_notebooks", ROOT / "scripts" / "run_notebooks.py")
run_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run_notebooks)
path, execute, NOTEBOOKS = run_notebooks.notebook_path, run_notebooks.execute, run_notebooks.NOTEBOOKS
#: The most a stored notebook (with its outputs) may weigh, so that it reads well on GitHub.
MAX_BYTES = 2_000_000


def outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]


def shown(nb: nbformat.NotebookNode, mime: str) -> list[str]:
    return [o["data"][mime] for o in outputs(nb) if mime in o.get("data", {})]


def printed(nb: nbformat.NotebookNode) -> str:
    return "".join(o["text"] for o in outputs(nb) if o["output_type"] == "stream" and o["name"] == "stdout")


@pytest.mark.parametrize("lang, cwd", [("en", ROOT), ("zh", NOTEBOOKS)])
def test_the_tutorial_notebook_runs_top_to_bottom_and_shows_traces_figures_the_video_and_the_page(lang, cwd):
    nb = execute(lang, cwd)  # raises CellExecutionError on the first cell that fails
    assert not [o for o in outputs(nb) if o["output_type"] == "error"]
    assert not [o["text"] for o in outputs(nb) if o.get("name") == "stderr"]  # no warning reaches the reader
    html = shown(nb, "text/html")
    traces = [h for h in html if "explainer-table" in h and "Trace ·" in h]
    assert len(traces) == 2  # the nn.RNN on the test window, the LSTM on the tutorial's sentence
    assert "<td>layers.0.h</td><td>[1, 10, 12]</td>" in traces[0] and "<td>layers.0.gates.f</td>" in traces[1]
    assert any("Checkpoint · task sine · rnn_tanh" in h for h in html)
    assert any(h.startswith("<video") and "data:video/mp4;base64," in h for h in html)
    assert any(h.startswith("<iframe") and "srcdoc=" in h for h in html)  # the interactive trace page, inline
    figures = sum(c.source.count("show(figures.make(") for c in nb.cells if c.cell_type == "code")
    assert figures >= 14 and len(shown(nb, "image/png")) == figures  # every figure of the story, shown
    text = printed(nb)
    assert "NameError: name 'state' is not defined" in text  # the tutorial's typo, shown failing
    assert "cannot record a MyRNN: it holds no recurrent module" in text
    # the numbers the prose quotes are the stored outputs: a fresh run prints exactly them
    assert text == printed(nbformat.read(path(lang), as_version=4))


def test_the_two_notebooks_are_the_same_story_stored_executed_and_small():
    en, zh = (nbformat.read(path(lang), as_version=4) for lang in ("en", "zh"))
    assert [c.cell_type for c in en.cells] == [c.cell_type for c in zh.cells]
    for a, b in zip(en.cells, zh.cells):
        if a.cell_type == "markdown":
            assert re.search(r"[\u4e00-\u9fff]", b.source) and a.source != b.source
        else:  # the same code; only the words it prints and its comments differ
            assert len(a.source.splitlines()) == len(b.source.splitlines())
            assert bool(a.outputs) == bool(b.outputs)
    for lang in ("en", "zh"):
        assert path(lang).stat().st_size < MAX_BYTES
        nb = nbformat.read(path(lang), as_version=4)
        assert all(c.execution_count for c in nb.cells if c.cell_type == "code")  # stored executed, in order
        assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o["output_type"] == "error"]
        assert str(ROOT) not in path(lang).read_text(encoding="utf-8")  # no path of this machine in the file
