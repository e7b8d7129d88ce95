"""A sequence of tokens or points with a cursor.

Shows at most `window` items; when the cursor leaves the view, the row slides. Each
visible item is a Text (or a number), and only the visible ones exist, so a long passage
costs no more than a short one.

    >>> seq = TokenSequence(["Alice", "is a", "female", "teacher"], lang="en")   # doctest: +SKIP
    >>> self.play(seq.move_cursor(2))                                             # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence

from manim import (DOWN, LEFT, RIGHT, AnimationGroup, FadeIn, FadeOut, Group, RoundedRectangle, Succession, VGroup,
                   Transform)

from explainer.style import COLORS

from ..text import label


class TokenSequence(VGroup):
    def __init__(self, items: Sequence[str], *, lang: str = "en", window: int = 12, size: float = 26,
                 spacing: float = 0.22, emphasis: dict[int, str] | None = None) -> None:
        super().__init__()
        self.items, self.lang, self.window, self.size, self.spacing = list(items), lang, window, size, spacing
        self.emphasis = emphasis or {}
        self.start = 0
        self.cursor_at = -1
        self.row = self._row(0)
        self.cursor = RoundedRectangle(corner_radius=0.08, width=0.5, height=0.6, stroke_color=COLORS["highlight"],
                                       stroke_width=4, fill_opacity=0.0)
        self.cursor.set_opacity(0)
        self.add(self.row, self.cursor)

    def _item(self, k: int):
        color = self.emphasis.get(k, COLORS["text"])
        return label(self.items[k], self.lang, self.size, color)

    def _row(self, start: int) -> VGroup:
        stop = min(len(self.items), start + self.window)
        row = VGroup(*[self._item(k) for k in range(start, stop)])
        row.arrange(RIGHT, buff=self.spacing, aligned_edge=DOWN)
        if hasattr(self, "row"):
            row.move_to(self.row, aligned_edge=LEFT)
        return row

    def item(self, k: int):
        """The mobject of item k (it must be in view)."""
        return self.row[k - self.start]

    def in_view(self, k: int) -> bool:
        return self.start <= k < self.start + len(self.row)

    def move_cursor(self, k: int, **kwargs):
        """Move the cursor to item k, sliding the row when k is out of view."""
        anims = []
        if not self.in_view(k):
            new_start = max(0, min(k - self.window // 2, len(self.items) - self.window))
            new_row = self._row(new_start)
            anims.append(AnimationGroup(FadeOut(self.row, shift=LEFT * 0.5), FadeIn(new_row, shift=LEFT * 0.5)))
            self.remove(self.row)
            self.row, self.start = new_row, new_start
            self.add(self.row)
        target = self.item(k)
        box = RoundedRectangle(corner_radius=0.08, width=target.width + 0.2, height=max(target.height, 0.35) + 0.22,
                               stroke_color=COLORS["highlight"], stroke_width=4, fill_opacity=0.0).move_to(target)
        if self.cursor_at < 0:
            self.cursor.become(box).set_opacity(0)
            anims.append(FadeIn(self.cursor))
            self.cursor.set_stroke(opacity=1)
        anims.append(Transform(self.cursor, box))
        self.cursor_at = k
        return Succession(*anims, **kwargs) if len(anims) > 1 else anims[0]


__all__ = ["TokenSequence", "Group"]
