"""Re-make the README's pictures (docs/images/) from the shipped assets.

The figures at 80 dpi (1024 x 576), the scenes' last frames at 854 x 480, a frame of the
PronounMemory scene at its slow motion (the new subject's name), and the ForgetGate GIF
(480 x 270, sampled from a 480p15 render). Run after re-making the assets, then look at
every picture before committing:

    .venv/bin/python scripts/make_readme_images.py            # all of them
    .venv/bin/python scripts/make_readme_images.py --only figures
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "docs" / "images"

#: (figure, language, options, file)
FIGURES = [
    ("unrolled", "en", {}, "unrolled-en.png"),
    ("lstm-cell", "zh", {}, "lstm-cell-zh.png"),
    ("lstm-cell", "en", {"focus": "forget"}, "lstm-cell-forget-en.png"),
    ("forget-reset", "en", {}, "forget-reset-en.png"),
    ("multistep", "en", {}, "multistep-en.png"),
    ("horizon", "en", {}, "horizon-en.png"),
    ("distance", "en", {}, "distance-en.png"),
    ("gradient-flow", "en", {}, "gradient-flow-en.png"),
    ("learning", "en", {}, "learning-en.png"),
    ("gates", "zh", {}, "gates-zh.png"),
    ("windows", "zh", {}, "windows-zh.png"),
    ("text", "en", {"feature": "indent"}, "text-indent-en.png"),
    ("text", "en", {"feature": "string"}, "text-string-en.png"),
]
#: (scene, language, file): the last frame
SCENES = [
    ("LSTMStep", "en", "scene-lstmstep-en.png"),
    ("LongRange", "en", "scene-longrange-en.png"),
    ("SinePrediction", "zh", "scene-sine-zh.png"),
    ("GradientFlow", "en", "scene-gradientflow-en.png"),
    ("SourceCode", "en", "scene-sourcecode-en.png"),
]
#: (scene, language, seconds into a 480p15 render, file): a frame from the middle of a scene
MIDDLE = [("PronounMemory", "zh", 34.0, "scene-pronoun-zh.png")]
GIF = ("ForgetGate", "forget-gate.gif", (480, 270), 30)


def figures_() -> None:
    from explainer import figures

    for name, lang, options, file in FIGURES:
        print(figures.save(figures.make(name, lang=lang, **options), OUT / file, dpi=80))


def scenes_() -> None:
    from animations import render

    for name, lang, file in SCENES:
        print(render(name, lang=lang, output=OUT / file, resolution=(854, 480)))


def frames_at(video: Path, seconds: list[float]):
    """The decoded frames of `video` at (just after) each of `seconds`, as PIL images."""
    import av

    out, want = [], sorted(seconds)
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            if len(out) < len(want) and float(frame.pts * stream.time_base) >= want[len(out)]:
                out.append(frame.to_image())
    return out


def middle_and_gif() -> None:
    import av

    from animations import render

    with tempfile.TemporaryDirectory() as tmp:
        for name, lang, at, file in MIDDLE:
            video = render(name, lang=lang, quality="l", output=Path(tmp) / f"{name}-{lang}.mp4")
            frames_at(video, [at])[0].resize((854, 480)).save(OUT / file)
            print(OUT / file)
        name, file, size, count = GIF
        video = render(name, lang="en", quality="l", output=Path(tmp) / f"{name}.mp4")
        with av.open(str(video)) as container:
            stream = container.streams.video[0]
            length = float(stream.duration * stream.time_base)
        # the second half of the scene: the gate multiplies C_{t-1}, and the verdict
        times = [length * (0.45 + 0.55 * k / count) for k in range(count)]
        frames = [f.resize(size).quantize(colors=48) for f in frames_at(video, times)]
        frames[0].save(OUT / file, save_all=True, append_images=frames[1:], duration=220, loop=0, optimize=True)
        print(OUT / file)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["figures", "scenes", "middle"], help="re-make only these pictures")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for part, make in (("figures", figures_), ("scenes", scenes_), ("middle", middle_and_gif)):
        if args.only in (None, part):
            make()


if __name__ == "__main__":
    main()
