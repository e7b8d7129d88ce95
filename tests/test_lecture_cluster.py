"""The chapters render on dask.distributed: a LocalCluster of --jobs workers, or an existing cluster.

A lecture on two local workers gives the chapters the one-process run gives; an existing
cluster (`--scheduler`) renders into the lecture directory with the cues' audio copied
beside the work; an unreachable scheduler is one line. (Ctrl-C during a parallel render:
tests/test_lecture.py.)
"""

from __future__ import annotations

import json
import pytest

from explainer import ExplainerError
from explainer.lecture import make_lecture
from explainer.lecture.plan import FULL
from explainer.lecture.tracks import video_seconds

TINY = (160, 90)
PLAN = [c for c in FULL if c.id in ("title", "sine", "summary")]


def test_two_local_workers_render_what_one_process_renders(tmp_path):
    one = make_lecture(tmp_path / "one", plan=PLAN, quality="l", jobs=1, resolution=TINY, voice="espeak")
    two = make_lecture(tmp_path / "two", plan=PLAN, quality="l", jobs=2, resolution=TINY, voice="espeak")
    assert two.rendered == one.rendered == ["title", "sine", "summary"]
    a = json.loads(one.chapters.read_text(encoding="utf-8"))["chapters"]
    b = json.loads(two.chapters.read_text(encoding="utf-8"))["chapters"]
    assert [(c["id"], c["start"], c["end"]) for c in a] == [(c["id"], c["start"], c["end"]) for c in b]
    assert one.subtitles.read_text(encoding="utf-8") == two.subtitles.read_text(encoding="utf-8")
    assert not list((tmp_path / "two").rglob(".explainer-run-*")), "the run's scratch directory is gone"


def test_an_existing_cluster_renders_into_the_lecture_directory(tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        result = make_lecture(tmp_path / "lecture", plan=PLAN, quality="l", jobs=2, resolution=TINY, voice="espeak",
                              scheduler=cluster.scheduler_address)
    assert result.rendered == ["title", "sine", "summary"]
    assert abs(video_seconds(result.video) - result.seconds) < 0.2


def test_an_unreachable_scheduler_is_one_line(tmp_path):
    with pytest.raises(ExplainerError, match=r"^cannot reach the dask scheduler at tcp://127.0.0.1:9"):
        make_lecture(tmp_path / "lecture", plan=PLAN, quality="l", resolution=TINY, voice="none",
                     scheduler="tcp://127.0.0.1:9")
