"""The lecture's mp4 files: video packets copied, the voice as AAC, subtitles as mov_text, chapter marks.

A player shows what the file holds, not the side files beside it: each chapter video and
`lecture.mp4` carry one video stream (joined without re-encoding), an AAC audio track of the
narration (silent with `--voice none`, so every file has the same streams), a mov_text
subtitle track in the lecture's language, timed to the speech, and chapter marks.

Joining: the video packets are copied file by file with their timestamps moved on by the
length of the videos before (no concat demuxer and its quoted manifest, so any path works:
"Bob's talk"). The audio is not joined packet by packet (each AAC stream starts with its own
priming samples): the caller gives the whole soundtrack and it is encoded once. The
container's comment tag is explainer's mark and it has no creation time, so the same inputs
give the same bytes.
"""

from __future__ import annotations

import struct
from collections import deque
from fractions import Fraction
from pathlib import Path

import numpy as np

from ..errors import ExplainerError
from ..files import disk_full
from .timing import Cue

#: The soundtrack's sample rate (espeak and piper speak at 22050: an exact doubling) and AAC bit rate.
RATE = 44100
BIT_RATE = 96_000
MS = Fraction(1, 1000)
#: ISO 639-2 codes of the lecture languages, as the mp4 tracks are tagged.
LANGUAGE = {"en": "eng", "zh": "chi"}


def video_seconds(path: Path) -> float:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return float(stream.duration * stream.time_base)


def soundtrack(cues: list[tuple[float, str]], seconds: float, rate: int = RATE) -> np.ndarray:
    """[samples] float32: each (start, WAV path) placed at its start, silence elsewhere, `seconds` long."""
    from ..voice.speech import Speech

    track = np.zeros(int(round(seconds * rate)), dtype=np.float32)  # [samples]
    for start, path in cues:
        speech = Speech.load(path)
        samples = resample(speech.samples, speech.rate, rate)
        at = int(round(start * rate))
        piece = samples[: max(0, len(track) - at)]
        track[at:at + len(piece)] += piece
    return np.clip(track, -1.0, 1.0)


def mono(frames, rate: int):
    """PyAV audio frames as mono float32 chunks ([n] each) at `rate`, the resampler flushed at the end."""
    import av

    resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
    for frame in frames:
        for out in resampler.resample(frame):
            yield out.to_ndarray().reshape(-1)
    for out in resampler.resample(None):
        yield out.to_ndarray().reshape(-1)


def resample(samples: np.ndarray, rate: int, to: int) -> np.ndarray:
    """`samples` [n] at `rate` as [m] at `to` (libswresample, through PyAV)."""
    if rate == to or samples.size == 0:
        return np.asarray(samples, dtype=np.float32)
    import av

    frame = av.AudioFrame.from_ndarray(np.asarray(samples, np.float32)[None, :], format="flt", layout="mono")
    frame.sample_rate = rate
    parts = list(mono([frame], to))
    return np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)


def read_soundtrack(path: Path, seconds: float, rate: int = RATE) -> np.ndarray:
    """The audio track of an mp4 we wrote, decoded, exactly `seconds` long ([samples] float32)."""
    import av

    track = np.zeros(int(round(seconds * rate)), dtype=np.float32)  # [samples]
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return track
        parts = list(mono(container.decode(container.streams.audio[0]), rate))
    decoded = np.concatenate(parts) if parts else np.zeros(0, np.float32)
    n = min(len(track), len(decoded))
    track[:n] = decoded[:n]
    return track


def with_voice(video: Path, output: Path, spoken: list, *, lang: str, title: str, comment: str) -> float:
    """Write `output`: the video of one chapter or scene with its voice, subtitles and one chapter mark;
    returns the video's length in seconds.

    `spoken`: (start in seconds, `explainer.voice.SpokenCue`) of each cue; a cue with no audio (no
    voice) gets its subtitle only, and without any audio the file has no audio track."""
    seconds = video_seconds(video)
    voiced = [(t, c.audio) for t, c in spoken if c.audio]
    concat([video], output, audio=soundtrack(voiced, seconds) if voiced else None, lang=lang,
           subtitles=[Cue(t, t + c.seconds, c.text) for t, c in spoken],
           chapters=[{"start": 0.0, "end": seconds, "title": title}], comment=comment)
    return seconds


def concat(videos: list[Path], output: Path, *, audio: np.ndarray | None = None, rate: int = RATE,
           subtitles: list[Cue] = (), chapters: list[dict] = (), lang: str = "en", comment: str | None = None,
           title: str | None = None) -> None:
    """Write `output`: the videos' packets joined, `audio` ([samples] at `rate`; None: no audio track) as
    AAC, `subtitles` (`timing.Cue`) as a mov_text track, `chapters` ({"start", "end", "title"} in seconds) as marks."""
    import av

    from ..ownership import video_comment

    try:
        with av.open(str(output), mode="w", format="mp4") as target:
            target.metadata["comment"] = comment or video_comment("a lecture, joined from scenes rendered with Manim")
            if title:
                target.metadata["title"] = title
            video = _VideoJoin(target, videos[0])
            side = []  # (time in seconds, packet): audio and subtitles, muxed in time with the video
            if audio is not None:
                audio_out = target.add_stream("aac", rate=rate, layout="mono")
                audio_out.bit_rate = BIT_RATE
                audio_out.metadata["language"] = LANGUAGE.get(lang, "und")
                side += _encode_audio(audio_out, audio, rate)
            text_out = target.add_mux_stream("mov_text")
            text_out.time_base = MS
            text_out.metadata["language"] = LANGUAGE.get(lang, "und")
            for cue in subtitles:
                data = cue.text.encode("utf-8")[:65535]
                packet = av.Packet(struct.pack(">H", len(data)) + data)  # a tx3g sample: length, then the text
                packet.pts = packet.dts = _ms(cue.start)
                packet.duration = max(1, _ms(cue.end) - _ms(cue.start))
                packet.time_base = MS
                packet.stream = text_out
                side.append((cue.start, packet))
            if chapters:
                target.set_chapters([{"id": k, "start": _ms(c["start"]), "end": _ms(c["end"]), "time_base": MS,
                                      "metadata": {"title": c["title"]}} for k, c in enumerate(chapters, start=1)])
            video.side = deque(sorted(side, key=lambda item: item[0]))
            for path in videos:
                video.add(path)
            video.flush(float("inf"))
    except ExplainerError:
        raise
    except Exception as e:
        if disk_full(e):
            raise ExplainerError(f"disk full while writing '{output}'; free some space and run again") from None
        raise


def _ms(seconds: float) -> int:
    return int(round(seconds * 1000))


def _encode_audio(stream, audio: np.ndarray, rate: int) -> list:
    """The AAC packets of `audio`, with their times in seconds (muxed later, between the video's)."""
    import av

    out = []
    samples = np.asarray(audio, dtype=np.float32).reshape(-1)  # [samples]
    size = stream.codec_context.frame_size or 1024
    for at in range(0, len(samples), size):
        frame = av.AudioFrame.from_ndarray(samples[None, at:at + size], format="flt", layout="mono")
        frame.sample_rate, frame.pts = rate, at
        out += [(float(p.pts * p.time_base), p) for p in stream.encode(frame)]
    out += [(float(p.pts * p.time_base), p) for p in stream.encode(None)]
    return out


class _VideoJoin:
    """Copies the video packets of file after file into one stream, each moved on by the ones before."""

    def __init__(self, target, first: Path) -> None:
        import av

        with av.open(str(first)) as source:
            self.stream = target.add_stream_from_template(template=source.streams.video[0])
            self.time_base = source.streams.video[0].time_base
        self.target, self.offset, self.last_dts = target, 0, None
        self.side: deque = deque()  # (seconds, packet) of the other streams, in time order

    def flush(self, until: float) -> None:
        """Mux the other streams' packets up to `until` seconds."""
        while self.side and self.side[0][0] <= until:
            self.target.mux(self.side.popleft()[1])

    def add(self, path: Path) -> None:
        import av

        with av.open(str(path)) as source:
            stream_in = source.streams.video[0]
            if stream_in.time_base != self.time_base:
                raise ExplainerError(f"cannot join '{path}': its time base {stream_in.time_base} differs from "
                                     f"the first chapter's {self.time_base}; render the lecture again")
            end = self.offset
            for packet in source.demux(stream_in):
                if packet.dts is None or packet.pts is None:
                    continue
                packet.pts += self.offset
                packet.dts += self.offset
                if self.last_dts is not None and packet.dts <= self.last_dts:
                    packet.dts = self.last_dts + 1
                self.last_dts = packet.dts
                end = max(end, packet.pts + (packet.duration or 0))
                packet.stream = self.stream
                packet.time_base = self.time_base
                self.flush(float(packet.dts * self.time_base))
                self.target.mux(packet)
            self.offset = end
