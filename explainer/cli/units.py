"""`explainer units`: which units of a character model follow which feature of its text.

Reads a trace of any character model (the `text` task's, an imported model's recorded with
`--text-file`), correlates every unit of every layer's c and h with the text's features
(`explainer.probes.text_units.discover`), and prints the best units per feature as a table,
best first over all layers and states. The discovery is always made afresh from the
trace's own states and text: a trace that already stores units (`meta units_found`, e.g.
found on another snippet when the model was trained) is measured again, and the stored
units are neither shown nor changed unless `--save` writes a copy with the fresh ones.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from ..errors import ExplainerError
from ..reading.text_features import FEATURES as BUILT_IN
from . import options


@click.command(help="Find the units that follow features of a text.\n\nThe features: inside a string, inside a "
                    "comment, indentation, bracket depth, column, start of a word, or features of your own.\n\n"
                    "TRACE is a trace of a character model on a text (explainer trace CHECKPOINT --text-file FILE). "
                    "Every unit of every layer's c and h (h only, for a GRU or an RNN) is correlated with each "
                    "feature over the real steps; the table lists the best units of each feature over all layers "
                    "and states, by |r| (r is Pearson's correlation, signed). Always measured afresh; units stored "
                    "in the trace are not shown.")
@click.argument("trace", type=click.Path())
@click.option("--feature", "chosen", multiple=True, metavar="NAME",
              help=f"A built-in feature (repeatable): {', '.join(BUILT_IN)} [default: all of them].")
@click.option("--feature-file", "files", multiple=True, metavar="NAME=FILE.npy",
              help="A feature of your own (repeatable): a .npy file of one number per real step of the trace "
                   "(the rows' real steps one after another).")
@click.option("--top", type=int, default=5, show_default=True, help="How many units to list per feature.")
@click.option("--save", type=click.Path(), default=None, metavar="OUT",
              help="Also write a copy of the trace holding the units found (meta units_found), which "
                   "`explainer figure text --feature NAME` follows.")
@options.force
def command(trace, chosen, files, top, save, force) -> None:
    if top < 1:
        raise ExplainerError(f"--top {top}: give 1 or more units per feature")
    unknown = [name for name in chosen if name not in BUILT_IN]
    if unknown:
        raise ExplainerError(f"unknown --feature {unknown[0]!r}; the built-in ones are {', '.join(BUILT_IN)} "
                             "(a feature of your own: --feature-file NAME=FILE.npy)")
    own = _parse_files(files, chosen)
    if save is not None:
        from ..files import check_output

        check_output(save, force, kind="trace", inputs=[trace])
    from ..names import state
    from ..probes.text_units import discover, states, with_units
    from ..reading.lengths import row_lengths
    from ..reading.text_features import check_feature, real_text

    loaded = _load(trace, whole=save is not None)
    texts = real_text(loaded)
    total = sum(row_lengths(loaded))
    given = {name: None for name in dict.fromkeys(chosen)}
    for name, path in own.items():
        try:
            given[name] = check_feature(name, _read_npy(path), total)
        except ExplainerError as e:
            raise ExplainerError(f"--feature-file {name}={path}: {e}") from None
    found = discover(loaded, given or None, top=top)
    measured = states(loaded)
    rows = f" in {len(texts)} rows" if len(texts) > 1 else ""
    layers = sorted({layer for layer, _ in measured})
    kinds = "/".join(sorted({which for _, which in measured}))
    click.echo(f"{trace}: {total:,} characters{rows}; {len(layers)} layer{'s' * (len(layers) != 1)} "
               f"({kinds}), {sum(loaded[state(l, w)].shape[2] for l, w in measured):,} units correlated")
    click.echo(_table(found))
    for name in (given or BUILT_IN):
        if name not in found:
            click.echo(f"{name}: constant over this text (or no unit varies), so no unit can follow it; left out")
    if found:
        first = next(iter(found.values()))["ranking"][0]
        click.echo(f"draw one: explainer figure text --trace {shlex.quote(str(save or trace))} "
                   f"--unit {first['layer']}.{first['state']}.{first['unit']} -o text.png")
    if save is not None:
        with_units(loaded, found).save(save)
        click.echo(f"wrote {save} (units_found: {', '.join(found) or 'none'})")


def _table(found: dict[str, dict]) -> str:
    """One row per unit of each feature's ranking: feature, layer, state, unit, r (signed, 2 decimals)."""
    head = ("feature", "layer", "state", "unit", "r")
    rows = [(name, str(u["layer"]), u["state"], str(u["unit"]), f"{u['correlation']:+.2f}")
            for name, entry in found.items() for u in entry["ranking"]]
    width = [max(len(row[k]) for row in [head, *rows]) for k in range(len(head))]
    right = (False, True, False, True, True)
    lines = ["  ".join(cell.rjust(w) if r else cell.ljust(w) for cell, w, r in zip(row, width, right)).rstrip()
             for row in [head, *rows]]
    return "\n".join(lines)


def _parse_files(files: tuple[str, ...], chosen: tuple[str, ...]) -> dict[str, Path]:
    """{name: path} of `--feature-file NAME=FILE.npy`, or one line saying what is wrong."""
    out: dict[str, Path] = {}
    for given in files:
        name, sep, path = given.partition("=")
        name = name.strip()
        if not sep or not name or not path:
            raise ExplainerError(f"--feature-file {given!r}: write NAME=FILE.npy, e.g. --feature-file quotes=q.npy")
        if name in BUILT_IN:
            raise ExplainerError(f"--feature-file {given!r}: {name} is a built-in feature; give yours another name")
        if name in out:
            raise ExplainerError(f"--feature-file: the feature {name!r} is given twice; give each feature once")
        out[name] = Path(path)
    return out


def _read_npy(path: Path):
    """The array in a .npy file (never unpickled), or one line."""
    import numpy as np

    if not path.is_file():
        raise ExplainerError("no such file" if not path.exists() else "not a file")
    try:
        with open(path, "rb") as f:
            array = np.load(f, allow_pickle=False)
    except (ValueError, OSError, EOFError) as e:
        pickled = "pickle" in str(e).lower()
        raise ExplainerError("not a .npy file of numbers" + (" (it holds pickled objects, which explainer never "
                             "loads)" if pickled else "") + "; save one with numpy.save(FILE, values)") from None
    if not isinstance(array, np.ndarray):
        raise ExplainerError("holds several arrays (a .npz); save one array with numpy.save(FILE, values)")
    if array.dtype.kind not in "biuf":
        raise ExplainerError(f"holds {array.dtype} values; a feature is numbers, one per step")
    return array


def _load(path: str, whole: bool):
    """The trace at `path`: only its states unless `whole` (to write a copy of it)."""
    from ..names import split
    from ..trace import Trace, read_header

    if whole:
        return Trace.load(path)
    header, _ = read_header(path)
    parts = {name: split(name) for name in header}
    wanted = [name for name, p in parts.items() if p is not None and not p[1] and p[2] in ("h", "c")]
    return Trace.load(path, names=wanted or None)  # no state: all of it, to say what it holds
