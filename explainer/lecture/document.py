"""A lecture as a document a lecturer edits: its chapters in order, each with its options and its words.

A lecture file is TOML. Each `[[chapter]]` is a card, a figure, a scene or a code panel,
with what it shows and what is said over it, cue by cue, per language:

    [lecture]
    title = "My RNN lecture"
    base = "full"                 # optional: chapters may be taken from this lecture by id

    [[chapter]]
    use = "title"                 # the built-in title card, its words too

    [[chapter]]
    id = "my-example"
    kind = "scene"
    scene = "PronounMemory"
    text = "Alice is a teacher ; she likes her students ; Bob is a driver ; he drinks ."
    checkpoint = "my-language-lstm.safetensors"   # optional (default: the shipped LSTM)
    units = [28, 10, 26]
    say.en = ["My own sentence, read by the shipped LSTM."]
    say.zh = ["我自己的句子，由这个 LSTM 读。"]

    [[chapter]]
    id = "loop"
    kind = "code"
    file = "train.py"             # or code = '''...'''
    say.en = ["The training loop, as we wrote it."]

Every chapter may have a `title` (a string, or `title.en`/`title.zh`): its name in the
video's chapter marks (default: the built-in chapter's name, a card's first cue, or its id).
Kinds and their keys: `card` (`style` = "title" or "summary"), `figure` (`figure`, and the
figure's options `step`, `focus`, `layer`, `units`, `row`, `unit` ("1.c.98"), `feature`
("indent"), its `trace` or `checkpoint` path(s)), `scene` (`scene`, its options `step`,
`layer`, `units`, `row`, `unit`, `feature`, its `trace` path(s), or `text` traced through
a language `checkpoint`), `code` (`file` or `code`,
`language`). Paths are relative to the document. `say.<lang>` is the list of cues. The
built-in lectures are `documents/full.toml` and `documents/short.toml`;
`explainer lecture --init FILE` writes an editable copy.

Everything is checked when the document is read, one line per fault naming the file and
the chapter: invalid TOML (with its line), an unknown key, kind, figure or scene, an option
the figure or scene does not take, a missing trace, a chapter id used twice. A chapter with
cues in one language only is a warning: in the other it is shown without narration.
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import ExplainerError
from ..style import LANGS
from .plan import Chapter

HERE = Path(__file__).parent / "documents"
BUILT_IN = ("full", "short")
KINDS = ("card", "figure", "scene", "code")
#: The keys each kind of chapter takes besides id, kind, say (and use).
KEYS = {
    "card": ("style",),
    "figure": ("figure", "trace", "checkpoint", "step", "focus", "layer", "units", "row", "unit", "feature"),
    "scene": ("scene", "trace", "text", "checkpoint", "step", "layer", "units", "row", "unit", "feature"),
    "code": ("file", "code", "language"),
}
CARD_STYLES = ("title", "summary")
#: The largest lecture file (bytes) and code panel (lines).
MAX_FILE = 2_000_000
MAX_CODE_LINES = 22  # what fits the frame at the listing font size (capitals 14.6 px at 720p)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class Lecture:
    """The chapters in order and their cues: {lang: {chapter id: [cue, ...]}}."""

    chapters: list[Chapter]
    cues: dict[str, dict[str, list[str]]]
    title: str = ""
    path: Path | None = None
    tables: list[dict] = field(default_factory=list)  # each chapter as written (for --init)

    def lines(self, lang: str) -> dict[str, list[str]]:
        """{chapter id: cues in `lang`} of every chapter (an empty list where it has none)."""
        said = self.cues.get(lang, {})
        return {c.id: list(said.get(c.id, [])) for c in self.chapters}

    def select(self, ids: list[str]) -> Lecture:
        chosen = [c for c in self.chapters if c.id in ids]
        return replace(self, chapters=chosen,
                       tables=[t for t in self.tables if t.get("id") in ids])


def built_in(name: str = "full") -> Lecture:
    """The lecture shipped with explainer: "full" (the source's whole story) or "short" (the demo's)."""
    if name not in BUILT_IN:
        raise ExplainerError(f"unknown lecture {name!r}; the built-in ones are: {', '.join(BUILT_IN)}")
    return load_document(HERE / f"{name}.toml")


def load_document(path: str | os.PathLike) -> Lecture:
    """Read and check a lecture file (see the module's docstring)."""
    path = Path(path)
    data = _read_toml(path)
    where = f"'{path}'"
    unknown = [k for k in data if k not in ("lecture", "chapter")]
    if unknown:
        raise ExplainerError(f"{where}: unknown key {unknown[0]!r} at the top; a lecture file has [lecture] and [[chapter]]")
    head = data.get("lecture", {})
    if not isinstance(head, dict):
        raise ExplainerError(f"{where}: [lecture] must be a table (title = ..., base = ...)")
    bad = [k for k in head if k not in ("title", "base")]
    if bad:
        raise ExplainerError(f"{where}: [lecture] has no key {bad[0]!r}; it takes title and base")
    base = _base(head.get("base"), path) if head.get("base") is not None else None
    tables = data.get("chapter")
    if not isinstance(tables, list) or not tables:
        raise ExplainerError(f"{where} has no chapters; add one: [[chapter]] id = \"title\" kind = \"card\"")
    chapters: list[Chapter] = []
    cues: dict[str, dict[str, list[str]]] = {lang: {} for lang in LANGS}
    written: list[dict] = []
    for number, table in enumerate(tables, start=1):
        if not isinstance(table, dict):
            raise ExplainerError(f"{where}: chapter {number} is not a table; write it as [[chapter]]")
        chapter, said, as_written = _chapter(table, number, path, base)
        if chapter.id in [c.id for c in chapters]:
            raise ExplainerError(f"{where}: chapter id {chapter.id!r} is used twice (chapters {[c.id for c in chapters].index(chapter.id) + 1} and {number}); give each chapter its own id")
        chapters.append(chapter)
        written.append(as_written)
        for lang, lines in said.items():
            cues[lang][chapter.id] = lines
        _warn_one_language(where, chapter, said)
    title = head.get("title") or ""
    if not isinstance(title, str):
        raise ExplainerError(f"{where}: [lecture] title must be a string")
    return Lecture(chapters, cues, title, path, written)


def _read_toml(path: Path) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    try:
        if path.is_dir():
            raise ExplainerError(f"the lecture file '{path}' is a directory; give a .toml file")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ExplainerError(f"no lecture file '{path}'; `explainer lecture --init {path}` writes one to edit") from None
    except OSError as e:
        raise ExplainerError(f"cannot read the lecture file '{path}': {(e.strerror or str(e)).lower()}") from None
    if len(data) > MAX_FILE:
        raise ExplainerError(f"the lecture file '{path}' holds {len(data):,} bytes; a lecture file holds at most {MAX_FILE:,}")
    try:
        return tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise ExplainerError(f"'{path}' is not UTF-8 text (byte {data[e.start]:#04x} at offset {e.start}); "
                             "save the lecture file as UTF-8") from None
    except tomllib.TOMLDecodeError as e:
        raise ExplainerError(f"'{path}' is not valid TOML: {e}") from None


def _base(name, path: Path) -> Lecture:
    if not isinstance(name, str):
        raise ExplainerError(f"'{path}': [lecture] base must be a string: a built-in lecture ({', '.join(BUILT_IN)}) or a path")
    if name in BUILT_IN:
        return built_in(name)
    target = (path.parent / name).resolve()
    if target == path.resolve():
        raise ExplainerError(f"'{path}': [lecture] base names the file itself")
    return load_document(target)


def _chapter(table: dict, number: int, path: Path, base: Lecture | None) -> tuple[Chapter, dict[str, list[str]], dict]:
    where = f"'{path}' chapter {number}"
    if "use" in table:
        return _used(table, where, path, base)
    cid = table.get("id")
    if not isinstance(cid, str) or not _ID.match(cid):
        raise ExplainerError(f"{where}: give it an id of letters, digits, '-' or '_' (id = \"my-chapter\")"
                             + (f", not {cid!r}" if cid is not None else ""))
    where = f"'{path}' chapter {cid!r}"
    kind = table.get("kind")
    if kind not in KINDS:
        raise ExplainerError(f"{where}: unknown kind {kind!r}; a chapter is a card, figure, scene or code"
                             if kind is not None else f"{where}: give its kind: card, figure, scene or code")
    unknown = [k for k in table if k not in ("id", "kind", "say", "title") + KEYS[kind]]
    if unknown:
        raise ExplainerError(f"{where} (a {kind}) has no key {unknown[0]!r}; it takes: {', '.join(KEYS[kind])}, "
                             "title, say")
    said = _say(table.get("say", {}), where)
    chapter = {"card": _card, "figure": _figure, "scene": _scene, "code": _code}[kind](cid, table, where, path)
    if "title" in table:
        chapter = replace(chapter, titles=_titles(table["title"], where))
    if kind == "card" and not any(said.values()):
        raise ExplainerError(f"{where}: a card shows its cues; give it say.en = [\"...\"] (and say.zh)")
    return chapter, said, dict(table)


def _used(table: dict, where: str, path: Path, base: Lecture | None) -> tuple[Chapter, dict[str, list[str]], dict]:
    name = table["use"]
    extra = [k for k in table if k not in ("use", "say")]
    if extra:
        raise ExplainerError(f"{where}: a chapter taken with use = ... takes only say besides; {extra[0]!r} is more")
    if base is None:
        raise ExplainerError(f"{where}: use = {name!r} needs a base lecture: [lecture] base = \"full\"")
    found = [c for c in base.chapters if c.id == name]
    if not found:
        raise ExplainerError(f"{where}: the base lecture has no chapter {name!r}; "
                             f"it has: {', '.join(c.id for c in base.chapters)}")
    said = {lang: list(base.cues.get(lang, {}).get(name, [])) for lang in LANGS}
    if "say" in table:
        said.update({k: v for k, v in _say(table["say"], where).items() if v})
    written = dict(next(t for t in base.tables if t.get("id") == name))
    written["say"] = {lang: lines for lang, lines in said.items() if lines}
    return found[0], said, written


def _say(say, where: str) -> dict[str, list[str]]:
    if not isinstance(say, dict):
        raise ExplainerError(f"{where}: say is a table of cue lists, e.g. say.en = [\"First cue.\", \"Second.\"]")
    bad = [k for k in say if k not in LANGS]
    if bad:
        raise ExplainerError(f"{where}: say.{bad[0]} is not a lecture language; use say.en and say.zh")
    out = {}
    for lang in LANGS:
        lines = say.get(lang, [])
        if isinstance(lines, str):
            lines = [lines]
        if not isinstance(lines, list) or not all(isinstance(x, str) and x.strip() for x in lines):
            raise ExplainerError(f"{where}: say.{lang} must be a list of non-empty strings, one per cue")
        bad_char = next((ch for x in lines for ch in x if ch in "\0\r\n\x0b\x0c\u2028\u2029"), None)
        if bad_char is not None:
            raise ExplainerError(f"{where}: a cue of say.{lang} holds a line break or control character "
                                 f"(U+{ord(bad_char):04X}); one cue is one line: split it into two cues")
        out[lang] = [x.strip() for x in lines]
    return out


def _titles(title, where: str) -> dict[str, str]:
    """`title = "..."` (every language) or `title.en = "..."`, `title.zh = "..."`."""
    if isinstance(title, str) and title.strip():
        return {lang: title.strip() for lang in LANGS}
    if isinstance(title, dict) and title and all(k in LANGS and isinstance(v, str) and v.strip() for k, v in title.items()):
        return {k: v.strip() for k, v in title.items()}
    raise ExplainerError(f"{where}: title is the chapter's name in the chapter marks: title = \"...\" or "
                         "title.en = \"...\" and title.zh = \"...\"")


def _warn_one_language(where: str, chapter: Chapter, said: dict[str, list[str]]) -> None:
    has = [lang for lang in LANGS if said.get(lang)]
    if has and len(has) < len(LANGS):
        missing = [lang for lang in LANGS if lang not in has]
        warnings.warn(f"{where} chapter {chapter.id!r} has cues in {', '.join(has)} only; in {', '.join(missing)} "
                      "it is shown without narration", UserWarning, stacklevel=3)


def _paths(value, key: str, where: str, path: Path, must: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(v, str) and v for v in items):
        raise ExplainerError(f"{where}: {key} is a path or a list of paths")
    out = []
    for item in items:
        p = Path(item).expanduser()
        p = p if p.is_absolute() else path.parent / p
        if not p.is_file():
            raise ExplainerError(f"{where}: no {must} '{item}' (looked for {p})")
        out.append(str(p))
    return tuple(out)


def _options(table: dict, names: tuple[str, ...], where: str) -> dict:
    out = {}
    for name in names:
        if name not in table:
            continue
        value = table[name]
        if name == "units":
            if not (isinstance(value, list) and value and all(isinstance(u, int) and not isinstance(u, bool) and u >= 0
                                                             for u in value)):
                raise ExplainerError(f"{where}: units is a list of unit numbers, e.g. units = [28, 10, 26]")
            value = list(value)
        elif name == "focus":
            if not isinstance(value, str):
                raise ExplainerError(f"{where}: focus is a name, e.g. focus = \"forget\"")
        elif name == "unit":
            if not (isinstance(value, str) and value):
                raise ExplainerError(f"{where}: unit is LAYER.QUANTITY.NUMBER as a string, e.g. unit = \"1.c.98\"")
        elif name == "feature":
            if not (isinstance(value, str) and value):
                raise ExplainerError(f"{where}: feature is a discovered feature's name, e.g. feature = \"indent\"")
        elif not (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
            raise ExplainerError(f"{where}: {name} is a whole number ≥ 0, not {value!r}")
        out[name] = value
    return out


def _check_unit(chapter: Chapter, where: str) -> Chapter:
    """The chapter, once its unit or feature is found to name one its (first) trace holds: checked when the file
    is read, not mid-render. (Only trace readers take a unit: the text figure and the CellText scene.)"""
    options = chapter.options
    if "unit" not in options and "feature" not in options:
        return chapter
    from ..reading.one_unit import choose_unit
    from ..trace import Trace
    from .build import chapter_inputs

    traces = chapter_inputs(chapter, None)[1]  # the files it is made from: its own trace, else the shipped one
    try:
        choose_unit(Trace.load(traces[0]), options.get("unit"), options.get("feature"), by=where)
    except ExplainerError as e:
        message = str(e)
        raise ExplainerError(message if message.startswith(where) else f"{where}: {message}") from None
    return chapter


def _card(cid: str, table: dict, where: str, path: Path) -> Chapter:
    style = table.get("style", "title")
    if style not in CARD_STYLES:
        raise ExplainerError(f"{where}: a card's style is title or summary, not {style!r}")
    return Chapter(cid, "card", style)


def _figure(cid: str, table: dict, where: str, path: Path) -> Chapter:
    from .. import figures
    from ..figures.registry import get

    name = table.get("figure")
    if name not in figures.names():
        raise ExplainerError(f"{where}: unknown figure {name!r}; figures: {', '.join(figures.names())}"
                             if name is not None else f"{where}: name its figure: figure = \"data\"")
    spec = get(name)
    options = _options(table, ("step", "focus", "layer", "units", "row", "unit", "feature"), where)
    refused = [o for o in options if o not in spec.options]
    if refused:
        takes = ", ".join(spec.options) or "no options"
        raise ExplainerError(f"{where}: figure {name} takes no {refused[0]} (it takes {takes})")
    wants = "trace" if spec.source == "trace" else "checkpoint"
    other = "checkpoint" if wants == "trace" else "trace"
    if other in table:
        raise ExplainerError(f"{where}: figure {name} reads a {wants}, not a {other}")
    sources = _paths(table[wants], wants, where, path, wants) if wants in table else ()
    if sources and spec.source != "checkpoints" and len(sources) != 1:
        raise ExplainerError(f"{where}: figure {name} reads one {wants}, not {len(sources)}")
    return _check_unit(Chapter(cid, "figure", name, options, sources=sources), f"{where}: figure {name}")


def _scene(cid: str, table: dict, where: str, path: Path) -> Chapter:
    from animations.registry import get, scene_names

    name = table.get("scene")
    if name not in scene_names():
        raise ExplainerError(f"{where}: unknown scene {name!r}; scenes: {', '.join(scene_names())}"
                             if name is not None else f"{where}: name its scene: scene = \"ForgetGate\"")
    spec = get(name)
    options = _options(table, ("step", "layer", "units", "row", "unit", "feature"), where)
    refused = [o for o in options if o not in spec.options]
    if refused:
        raise ExplainerError(f"{where}: scene {name} takes no {refused[0]}; it takes: {', '.join(spec.options) or 'none'}")
    if "text" in table and "trace" in table:
        raise ExplainerError(f"{where}: give a trace or a text to trace, not both")
    sources = _paths(table["trace"], "trace", where, path, "trace") if "trace" in table else ()
    text, checkpoint = table.get("text"), None
    if "checkpoint" in table and text is None:
        raise ExplainerError(f"{where}: a scene's checkpoint is for tracing its text = \"...\"; give a trace instead")
    if text is not None:
        if not isinstance(text, str) or not text.strip():
            raise ExplainerError(f"{where}: text is the sentence to trace, a non-empty string")
        checkpoint = _paths(table["checkpoint"], "checkpoint", where, path, "checkpoint")[0] if "checkpoint" in table else None
        if len(spec.default) != 1 or not spec.default[0].startswith("language"):
            raise ExplainerError(f"{where}: scene {name} does not read one language trace; "
                                 "text = \"...\" goes to a scene of the pronoun example (PronounMemory, ForgetGate, ...)")
    chapter = Chapter(cid, "scene", name, options, sources=sources, text=text, checkpoint=checkpoint)
    return chapter if text is not None else _check_unit(chapter, f"{where}: scene {name}")


def _code(cid: str, table: dict, where: str, path: Path) -> Chapter:
    if ("file" in table) == ("code" in table):
        raise ExplainerError(f"{where}: a code panel shows a file = \"...\" or code = '''...''' (one of them)")
    if "file" in table:
        source = Path(_paths(table["file"], "file", where, path, "file")[0])
        try:
            code = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise ExplainerError(f"{where}: cannot read the code file '{source}' as UTF-8 text ({type(e).__name__})") from None
    else:
        code = table["code"]
        if not isinstance(code, str):
            raise ExplainerError(f"{where}: code is the source text, a string")
    code = code.strip("\n")
    if not code.strip():
        raise ExplainerError(f"{where}: the code panel is empty")
    if code.count("\n") + 1 > MAX_CODE_LINES:
        raise ExplainerError(f"{where}: the code has {code.count(chr(10)) + 1} lines; a panel shows at most "
                             f"{MAX_CODE_LINES} (readable at 720p): show a part of it, or split it over two chapters")
    language = table.get("language", "python")
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        get_lexer_by_name(language) if isinstance(language, str) else None
    except ClassNotFound:
        language = None
    if not isinstance(language, str):
        raise ExplainerError(f"{where}: language {table.get('language')!r} is not a language Pygments colours; "
                             "e.g. language = \"python\"")
    return Chapter(cid, "code", language, code=code)
