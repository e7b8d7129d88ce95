"""Every scene's last frame looks as it did when a person last approved it.

In the style of Manim's own `frames_comparison`: each scene renders its last frame at a
tiny resolution (160 x 90) into a temporary media directory, and the pixels are compared
with a stored control frame (`tests/baseline/frames/SCENE-LANG.npz`, compressed) within a
tolerance. One scene is also rendered in full at low quality and checked for length and
frame count.

After a deliberate change, look at the new frames, then regenerate the control data:

    python tests/test_scene_frames.py --update
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from animations import render, scene_names

BASELINE = Path(__file__).parent / "baseline" / "frames"
SIZE = (160, 90)
TOLERANCE = 2.5  # mean absolute difference, 0-255
CHINESE = ["LSTMStep", "PronounMemory", "UnrolledRNN"]
CASES = [(name, "en") for name in scene_names()] + [(name, "zh") for name in CHINESE if name in scene_names()]


def last_frame(name: str, lang: str, folder: Path) -> np.ndarray:
    from PIL import Image

    path = render(name, lang=lang, output=folder / f"{name}-{lang}.png", resolution=SIZE)
    return np.asarray(Image.open(path).convert("RGB"))


@pytest.mark.parametrize("name,lang", CASES, ids=[f"{n}-{l}" for n, l in CASES])
def test_last_frame_matches_its_control_frame(name, lang, tmp_path):
    control = BASELINE / f"{name}-{lang}.npz"
    assert control.exists(), f"no control frame for {name} ({lang}); run python tests/test_scene_frames.py --update"
    expected = np.load(control)["frame"]
    actual = last_frame(name, lang, tmp_path)
    assert actual.shape == expected.shape
    diff = np.abs(actual.astype(np.int16) - expected.astype(np.int16)).mean()
    assert diff <= TOLERANCE, f"{name} ({lang}) differs from its control frame by {diff:.2f} on average"


def test_every_scene_has_a_control_frame_and_none_is_stale():
    assert {p.stem for p in BASELINE.glob("*.npz")} == {f"{n}-{l}" for n, l in CASES}


def test_a_full_low_quality_render_has_the_scenes_length_and_frame_count(tmp_path):
    import av

    from animations.registry import get

    out = render("ForgetGate", quality="l", output=tmp_path / "forget.mp4")
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        seconds = float(stream.duration * stream.time_base)
        assert (stream.codec_context.width, stream.codec_context.height) == (854, 480)
        assert int(round(float(stream.average_rate))) == 15
    # the storyboard's own length: every play and wait of the scene
    scene = get("ForgetGate").cls
    assert 15 < seconds < 40, "a lecture-paced explanation of one gate"
    assert abs(frames - seconds * 15) <= 2
    assert list(tmp_path.iterdir()) == [out], "no media directory or temporary file left behind"
    del scene


if __name__ == "__main__" and "--update" in sys.argv:
    import tempfile

    BASELINE.mkdir(parents=True, exist_ok=True)
    for old in BASELINE.glob("*.npz"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        for name, lang in CASES:
            frame = last_frame(name, lang, Path(tmp))
            np.savez_compressed(BASELINE / f"{name}-{lang}.npz", frame=frame)
            print(name, lang, frame.shape)
