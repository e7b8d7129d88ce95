"""Execute the tutorial notebooks (docs/notebooks/rnn-lstm-{en,zh}.ipynb) top to bottom, and store them.

Each notebook runs in a fresh `python3` kernel of this very interpreter: the kernel spec is
written into a temporary JUPYTER_PATH, with Jupyter's and IPython's own files beside it, so no
user's kernel spec is picked up and nothing is written to the home directory. The tests execute
the notebooks the same way (`execute`); this script also writes the executed notebooks back, which
is how the stored outputs are made. Run it after changing a notebook or the assets it reads, then
look at what it shows:

    .venv/bin/python scripts/run_notebooks.py           # both, stored in place
    .venv/bin/python scripts/run_notebooks.py --only zh
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "docs" / "notebooks"
LANGS = ("en", "zh")
#: The most one cell may take (the slowest renders a small video).
CELL_TIMEOUT = 120


def notebook_path(lang: str) -> Path:
    return NOTEBOOKS / f"rnn-lstm-{lang}.ipynb"


@contextmanager
def isolated_kernel() -> Iterator[None]:
    """A python3 kernel spec for this interpreter; Jupyter's and IPython's files in a temporary directory."""
    saved = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="explainer-kernel-") as tmp:
        spec = Path(tmp, "jupyter", "kernels", "python3")
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (ipykernel)", "language": "python"}))
        os.environ.update({"JUPYTER_PATH": str(Path(tmp, "jupyter")),
                           "JUPYTER_RUNTIME_DIR": str(Path(tmp, "runtime")),
                           "IPYTHONDIR": str(Path(tmp, "ipython")),
                           "JUPYTER_PLATFORM_DIRS": "1"})
        os.environ.pop("MPLBACKEND", None)  # the notebook's own inline backend, not a caller's Agg
        try:
            yield
        finally:
            os.environ.clear()
            os.environ.update(saved)


def execute(lang: str, cwd: Path = NOTEBOOKS) -> nbformat.NotebookNode:
    """The notebook of `lang`, its stored outputs dropped, executed top to bottom from `cwd`.

    Raises nbclient's CellExecutionError on the first cell that fails (a failed `assert`
    guarding a sentence of the text included).
    """
    nb = nbformat.read(notebook_path(lang), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []  # only what this run shows counts
    with isolated_kernel():
        NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", record_timing=False,
                       resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=LANGS, help="one notebook only")
    args = parser.parse_args()
    for lang in [args.only] if args.only else LANGS:
        start = time.perf_counter()
        nb = execute(lang)
        nbformat.write(nb, notebook_path(lang))
        size = notebook_path(lang).stat().st_size
        print(f"{notebook_path(lang).relative_to(ROOT)}: executed in {time.perf_counter() - start:.1f} s, "
              f"{size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
