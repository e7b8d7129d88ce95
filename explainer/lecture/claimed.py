"""The lecture's narration with its claims checked and its numbers filled in.

Before anything is rendered, every claim the planned chapters make is measured on the
models they show (`explainer.claims`). A false claim stops the lecture with one line naming
the chapter, the claim and the measured value; with `mark=True` the lecture is rendered
anyway and the chapter says, on screen and in the subtitles, that the claim is false.
Then every `{measurement}` in the narration becomes its number.
"""

from __future__ import annotations

from ..claims import Measurements, Verdict, check, claims_of, fill
from ..errors import ExplainerError
from ..claims.measurements import show

#: What a chapter says of a claim its models do not bear out (rendered with --mark-false-claims).
MARK = {
    "en": "⚠ Not true of the models shown: {says} ({measure} = {value}, needs {test} {needed}).",
    "zh": "⚠ 与所示模型不符：{says}（{measure} = {value}，需要 {test} {needed}）。",
}


def checked_narration(lines: dict[str, list[str]], chapters: list[str], lang: str, *,
                      mark: bool = False) -> tuple[dict[str, list[str]], list[Verdict]]:
    """(the narration of `chapters` with numbers filled and false claims marked, every verdict)."""
    measured = Measurements(kept=True)
    verdicts = check(claims_of(chapters), measured)
    false = [v for v in verdicts if not v.holds]
    if false and not mark:
        raise ExplainerError(f"{false[0].line(lang)}; retrain the model, change the narration, "
                             "or pass --mark-false-claims to render the lecture with the claim marked false")
    out = dict(lines)
    for chapter in chapters:
        try:
            out[chapter] = [fill(line, measured) for line in lines.get(chapter, [])]
        except ExplainerError as e:
            raise ExplainerError(f"chapter {chapter!r} of the narration: {e}") from None
    for v in false:
        c = v.claim
        out[c.chapter] = out[c.chapter] + [MARK[lang].format(says=c.says.get(lang, c.says["en"]), measure=c.measure,
                                                             value=show(v.value), test=c.test, needed=show(v.needed))]
    return out, verdicts


def verdicts_json(verdicts: list[Verdict]) -> list[dict]:
    """The claims as chapters.json lists them: what was claimed, measured and needed."""
    return [{"claim": v.claim.name, "chapter": v.claim.chapter, "says": v.claim.says["en"], "measure": v.claim.measure,
             "value": round(v.value, 6), "test": v.claim.test, "needed": round(v.needed, 6), "holds": v.holds}
            for v in verdicts]
