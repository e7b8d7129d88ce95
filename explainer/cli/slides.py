"""`explainer slides [LECTURE_FILE] -o DIR`: a lecture as slides to teach from (reveal.js page and PPTX)."""

from __future__ import annotations

import click

from . import options


@click.command()
@click.argument("lecture_file", required=False, type=click.Path())
@options.lang
@options.quality("l")
@click.option("--jobs", type=int, default=None,
              help="Chapters rendered in parallel, on a local dask cluster of single-threaded workers "
                   "[default: the number of cores].")
@click.option("-o", "--output", "output", type=click.Path(), required=True,
              help="Directory to write slides.html and slides.pptx into.")
@click.option("--force", is_flag=True,
              help="Replace slides.html or slides.pptx in the directory though explainer did not make them "
                   "(or they changed since it did).")
def command(lecture_file, lang, quality, jobs, output, force) -> None:
    """Write LECTURE_FILE (default: the built-in full lecture; `short` names the demo's) as slides.

    One slide per beat of every scene (where you would click), one per figure, card and
    code panel; the narration's cues in --lang are the speaker notes. DIR/slides.html is
    one file that works offline (open it in a browser: arrow keys step, S opens the speaker
    notes); DIR/slides.pptx holds the same slides with the notes.
    """
    from ..slides import make_slides
    from ..system import check_cairo, check_cjk_font

    check_cairo()
    check_cjk_font(lang)
    result = make_slides(output, lang=lang, quality=quality, plan=lecture_file or "full", force=force, jobs=jobs,
                         progress=lambda message: click.echo(message, err=True))
    click.echo(f"deck: {result.deck} ({result.deck_slides} slides)")
    click.echo(f"pptx: {result.pptx} ({result.pptx_slides} slides)")
