"""`explainer lecture`: the source's narrative as one video, with subtitles and chapters."""

from __future__ import annotations

import click

from . import options


@click.command()
@options.lang
@options.quality()
@click.option("--jobs", type=int, default=None, help="Chapters rendered in parallel [default: the number of cores].")
@click.option("--plan", type=click.Choice(["full", "short"]), default="full", show_default=True,
              help="full: every chapter; short: the story's spine (the demo's).")
@click.option("--narration", type=click.Path(), default=None,
              help="Your own narration file (same format as explainer/lecture/narration/en.txt).")
@click.option("-o", "--output", "output", type=click.Path(), required=True, help="Directory to write the lecture into.")
@click.option("--force", is_flag=True,
              help="Replace files in the directory that explainer did not make (or that changed since it did).")
def command(lang, quality, jobs, plan, narration, output, force) -> None:
    """Render the whole lecture (video, subtitles, chapters)."""
    from ..lecture import make_lecture
    from ..system import check_cairo, check_cjk_font

    check_cairo()
    check_cjk_font(lang)

    result = make_lecture(output, lang=lang, quality=quality, jobs=jobs, plan=plan, narration=narration,
                          progress=lambda message: click.echo(message, err=True), force=force)
    click.echo(f"lecture: {result.video} ({result.seconds:.0f} s, {len(result.rendered)} chapters rendered, "
               f"{len(result.cached)} reused)")
    click.echo(f"subtitles: {result.subtitles}")
    click.echo(f"chapters: {result.chapters} and {result.ffmetadata}")
    click.echo(f"figures: {len(result.figures)} in {result.directory / 'figures'}")
