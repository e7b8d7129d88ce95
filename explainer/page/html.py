"""The page itself: one self-contained HTML file holding its style, its script and its data.

The style and the script are package files (`assets/page.css`, `assets/page.js`, plain CSS and
JavaScript, no library), inlined; the data (`payload.py`) sits in two inert script blocks, the
meta as JSON (with `<` escaped, so no text of the trace can close its block) and the codes as
base64. Nothing is fetched: the page works from a file, offline, in an iframe's `srcdoc`.
The head carries explainer's mark (`<meta name="generator" content="explainer">`), so an
older page may be replaced without --force (`explainer.ownership`).
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from html import escape
from importlib.resources import files

from ..ownership import MARK
from ..style import word
from .payload import Payload


@lru_cache(maxsize=None)
def asset(name: str) -> str:
    """The text of one of the page's asset files."""
    return files("explainer.page").joinpath("assets", name).read_text(encoding="utf-8")


def _json(data) -> str:
    """JSON safe inside a <script> block: no `<`, `>` or `&` appears literally."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def notes(p: Payload) -> list[str]:
    """The lines under the title: what is shown, how precisely, and what the colours are."""
    m, lang = p.meta, p.meta["lang"]
    w = m["window"]
    rows = m["rows"]
    shown_steps = max(len(r["labels"]) for r in rows)
    if w["start"] == 0 and w["end"] == w["total"]:
        lines = [word("page.window.all", lang, n=_count(w["total"], lang))]
    else:
        lines = [word("page.window.cut", lang, a=_count(w["start"], lang), b=_count(w["end"] - 1, lang),
                      n=_count(w["total"], lang))]
    first = m["layers"][0]["quantities"][0]
    lines[0] = word("page.shape", lang, layers=len(m["layers"]), units=len(first["units"]),
                    steps=_count(shown_steps, lang)) + " · " + lines[0]
    from .quantize import levels

    top = levels(m["bits"])
    lines.append(word("page.precision", lang, bits=m["bits"], pct=f"{100 / (top // 2 * 2):.2g}%",
                      gate=f"{100 / (2 * top):.2g}%", decimals=3 if m["bits"] == 8 else 4))
    if m["diff"]:
        lines.append(word("page.diff", lang))
    return lines


def _count(n: int, lang: str) -> str:
    return f"{n:,}" if lang == "en" else str(n)


def html(p: Payload) -> str:
    """The whole page for a payload."""
    m, lang = p.meta, p.meta["lang"]
    title = " · ".join(m["header"])
    head_lines = "".join(f'<p class="note">{escape(x)}</p>' for x in m["header"][1:] + notes(p))
    w = lambda key: escape(word(key, lang))  # noqa: E731
    data = base64.b64encode(p.data).decode("ascii")
    return f"""<!DOCTYPE html>
<html lang="{'zh-Hans' if lang == 'zh' else 'en'}">
<head>
<meta charset="utf-8">
<meta name="generator" content="{MARK}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>
{asset("page.css")}
</style>
</head>
<body>
<header>
<h1 id="title">{escape(m["header"][0])}</h1>
<div id="notes">{head_lines}</div>
</header>
<div id="controls">
<label id="row-box">{w("page.row")} <select id="row"></select></label>
<label>{w("page.layer")} <select id="layer"></select></label>
<span>{w("page.quantity")}</span><span id="quantities"></span>
<label>{w("page.unit")} <select id="unit"></select></label>
<button id="prev" type="button">‹</button><button id="next" type="button">›</button>
<span class="legend"><span id="legend-lo"></span><span class="bar" id="legend-bar"></span><span id="legend-hi"></span></span>
</div>
<main>
<section id="left">
<h2 id="text-head"></h2>
<div id="steps"></div>
<h2 id="heat-head"></h2>
<p class="hint">{w("page.heatmap.hint")} <label id="own-box"><input type="checkbox" id="own-scale"> {w("page.heatmap.own")}</label></p>
<div id="heat-wrap"><canvas id="heatmap"></canvas><div id="heat-sel"></div><div id="heat-cursor"></div><div id="heat-unit"></div></div>
</section>
<aside>
<section id="hover">
<h2 id="hover-head"></h2>
<div id="strips"></div>
<div id="hover-unit"></div>
</section>
<section id="tools">
<h2>{w("page.tools.head")}</h2>
<p class="hint">{w("page.tools.how")}</p>
<div class="tool-row">
<label>{w("page.tools.threshold")} <input id="threshold" type="number" step="0.05" value="0.3"></label>
<label>{w("page.tools.pad")} <input id="pad" type="number" min="0" step="1" value="1"></label>
</div>
<p class="hint" id="rule"></p>
<p id="selected"></p>
<div id="units-head"></div>
<div class="chips" id="units-on"></div>
<div class="tool-row">
<label>{w("page.tools.least")} <input id="least" type="number" min="1" step="1" value="1"> {w("page.tools.least_of")}</label>
<button id="search" type="button" disabled>{w("page.tools.search")}</button>
</div>
<div id="match-count"></div>
<ul id="matches"></ul>
<p class="hint">{w("page.tools.values")}</p>
</section>
<section id="found">
<h2>{w("page.found.head")}</h2>
<div id="found-list"></div>
</section>
</aside>
</main>
<script type="application/json" id="explainer-meta">{_json(m)}</script>
<script type="application/octet-stream" id="explainer-data">{data}</script>
<script>
{asset("page.js")}
</script>
</body>
</html>
"""
