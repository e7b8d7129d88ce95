"""Models trained elsewhere, brought in with `explainer import`: what `explainer trace` records them on.

An imported checkpoint holds a user's weights in one of our task models (checked, at
import, to compute what the user's own module computes; `explainer/importing.py`) and, for
a character model, its vocabulary: the characters in id order. It is not trained here, so
its `train` section says where it came from (the factory, the weights file and its
SHA-256) instead of a training recipe.

It is recorded on the user's own input:

* `--text-file FILE` (a character model): the file's characters, each one step, through the
  vocabulary (`--tokenizer chars`, the default and, today, the only tokenizer); a
  character the vocabulary lacks is a one-line error naming it and where it is;
* `--input X.npy`: token ids `[time]` / `[batch, time]` for a model with an embedding, or
  floats `[time, features]` / `[batch, time, features]` for one without (read with
  `allow_pickle=False`).

    >>> meta = {"model": {"model": "token", "vocab_size": 3}, "vocab": ["a", "b", "\\n"]}
    >>> e = explain(meta, text_chars="ab\\nba")
    >>> e.x.tolist(), e.steps
    ([[0, 1, 2, 1, 0]], ['a', 'b', '\\n', 'b', 'a'])
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ExplainerError
from .registry import Explanation, Option, Task, register

#: Tokenizers a text input is read with (a character model: one step per character).
TOKENIZERS = ("chars",)
#: The longest text or input `explainer trace` records from an imported model (steps x rows).
MAX_STEPS = 1_000_000


def explain(meta: Mapping[str, Any], text_file: str | None = None, input: str | None = None,
            tokenizer: str | None = None, text_chars: str | None = None) -> Explanation:
    """The user's text file (or `text_chars`, its contents) or array, as the imported model reads it."""
    model = meta["model"]
    if sum(v is not None for v in (text_file, input, text_chars)) != 1:
        raise ExplainerError("an imported model is recorded on your own input: give --text-file FILE (a character "
                             "model) or --input X.npy")
    if tokenizer not in (None, *TOKENIZERS):
        raise ExplainerError(f"unknown tokenizer {tokenizer!r}; valid: {', '.join(TOKENIZERS)}")
    if input is not None:
        return _array(model, Path(input))
    vocab = meta.get("vocab")
    if model.get("model") != "token" or not vocab:
        raise ExplainerError("this imported model has no character vocabulary (import it with --vocab FILE); "
                             "record it on --input X.npy")
    chars = text_chars if text_chars is not None else _read_text(Path(text_file))
    if not chars:
        raise ExplainerError(f"'{text_file}' is empty; give a text with at least one character")
    if len(chars) > MAX_STEPS:
        raise ExplainerError(f"'{text_file}' has {len(chars):,} characters; record at most {MAX_STEPS:,} at a time "
                             "(cut the file)")
    ids = {c: i for i, c in enumerate(vocab)}
    missing = next((k for k, c in enumerate(chars) if c not in ids), None)
    if missing is not None:
        line = chars.count("\n", 0, missing) + 1
        raise ExplainerError(f"the text has {chars[missing]!r} (line {line}), which the model's vocabulary of "
                             f"{len(vocab)} characters lacks; remove it or import the model with a vocabulary "
                             "that has it")
    x = np.array([[ids[c] for c in chars]], dtype=np.int64)  # [1, time]
    return Explanation(x, list(chars), {"tokenizer": "chars", "token_ids": x[0].tolist()})


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ExplainerError(f"no text file '{path}'") from None
    except IsADirectoryError:
        raise ExplainerError(f"'{path}' is a directory; give one text file") from None
    except UnicodeDecodeError as e:
        raise ExplainerError(f"'{path}' is not UTF-8 text (byte {e.start}); give a text file") from None
    except OSError as e:
        raise ExplainerError(f"cannot read '{path}': {e.strerror}") from None


def _array(model: Mapping[str, Any], path: Path) -> Explanation:
    """X.npy as the model's input: ids [batch, time] for a token model, floats [batch, time, features] otherwise."""
    try:
        a = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise ExplainerError(f"no input file '{path}'") from None
    except (ValueError, OSError) as e:
        raise ExplainerError(f"'{path}' is not a numpy .npy array without pickles ({str(e).splitlines()[0]})") from None
    if not isinstance(a, np.ndarray) or a.dtype.kind not in "biuf":
        raise ExplainerError(f"'{path}' holds {getattr(a, 'dtype', type(a).__name__)} values; give numbers")
    if a.size > MAX_STEPS * 64:
        raise ExplainerError(f"'{path}' holds {a.size:,} values; record a smaller input")
    if model.get("model") == "token":
        if a.dtype.kind not in "iu" or a.ndim not in (1, 2):
            raise ExplainerError(f"this model reads token ids: an integer array [time] or [batch, time]; '{path}' "
                                 f"is {a.dtype} {list(a.shape)}")
        vocab = int(model["vocab_size"])
        if a.size and (a.min() < 0 or a.max() >= vocab):
            raise ExplainerError(f"'{path}': token ids must lie in 0..{vocab - 1} (the vocabulary size is {vocab})")
        x = a.astype(np.int64).reshape((1,) * (2 - a.ndim) + a.shape)  # [batch, time]
        steps = [str(i) for i in x[0]]
    else:
        features = int(model["input_size"])
        if a.dtype.kind not in "iuf" or a.ndim not in (2, 3) or a.shape[-1] != features:
            raise ExplainerError(f"this model reads {features} features per step: an array [time, {features}] or "
                                 f"[batch, time, {features}]; '{path}' is {a.dtype} {list(a.shape)}")
        if not np.isfinite(a).all():
            raise ExplainerError(f"'{path}' holds NaN or Inf values; give finite numbers")
        x = a.astype(np.float32).reshape((1,) * (3 - a.ndim) + a.shape)  # [batch, time, features]
        steps = [str(t) for t in range(x.shape[1])]
    if 0 in x.shape[:2]:
        raise ExplainerError(f"'{path}' has shape {list(a.shape)}: it needs at least one step")
    return Explanation(x, steps, {})


def _summary(meta: Mapping[str, Any]) -> list[str]:
    train = meta["train"]
    vocab = meta.get("vocab")
    return [f"imported from {train['factory']} with the weights of {train['weights']}"
            + (f"; a vocabulary of {len(vocab)} characters" if vocab else "")]


register(Task(
    name="imported", rank=90,
    description="a model trained elsewhere, brought in with `explainer import`",
    presets={"imported": {}},
    recipe="",
    explain=lambda meta, **given: explain(meta, **given),
    summary=_summary,
    trainable=False,
    trace_options=(
        Option("text_file", "A text FILE to record a character model on (one step per character).", str),
        Option("input", "An array X.npy: token ids [batch, time] or floats [batch, time, features].", str),
        Option("tokenizer", "How --text-file is split into tokens. [default: chars]", str, TOKENIZERS),
    ),
))
