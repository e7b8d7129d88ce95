"""The package's shape: `explainer.record` is a function, `import explainer` needs no torch,
and the file layer knows the schemas without importing the formats that use it."""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import explainer
from explainer import files


def fresh(code: str) -> subprocess.CompletedProcess:
    """Run `code` in a new interpreter (nothing imported yet)."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_record_is_simply_the_function():
    from explainer.recorder import record

    assert inspect.isfunction(explainer.record) and explainer.record is record
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("explainer.record")


def test_importing_explainer_does_not_import_torch():
    run = fresh("import explainer, sys; assert 'torch' not in sys.modules, 'torch'; "
                "import explainer.checkpoint, explainer.describe, explainer.assets, explainer.tasks.registry; "
                "explainer.tasks.registry.tasks(); assert 'torch' not in sys.modules, 'torch after the tasks'; "
                "explainer.record; assert 'torch' in sys.modules")
    assert run.returncode == 0, run.stderr


def test_files_imports_neither_trace_nor_checkpoint():
    tree = ast.parse(Path(files.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imported |= {node.module or ""} | {f"{node.module or ''}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
    assert not {n for n in imported if n.split(".")[-1] in ("trace", "checkpoint")}, imported


@pytest.mark.parametrize("module", ["explainer.files", "explainer.checkpoint", "explainer.trace"])
def test_each_file_module_imports_first_in_a_fresh_interpreter(module):
    run = fresh(f"import {module} as m; from explainer.files import SCHEMAS; print(SCHEMAS)")
    assert run.returncode == 0, run.stderr


def test_the_formats_read_their_schema_from_the_file_layer():
    from explainer import checkpoint, trace

    assert (trace.SCHEMA, checkpoint.SCHEMA) == (files.SCHEMAS["trace"], files.SCHEMAS["checkpoint"])
