"""A lecture document written out as TOML (`explainer lecture --init`): every chapter whole, ready to edit.

The standard library reads TOML but does not write it; a lecture document is a small,
fixed shape (a [lecture] table, then [[chapter]] tables of strings, integers, lists of them
and the say table), so it is written here: strings as TOML basic strings (escaped), a code
panel's source as a multi-line literal string when it can be one.

    >>> print(toml_value(["one", 'a "quote"']))
    ["one", "a \\"quote\\""]
"""

from __future__ import annotations

import json

from ..style import LANGS

ORDER = ("id", "use", "title", "kind", "style", "figure", "scene", "trace", "checkpoint", "text", "step", "focus", "layer",
         "units", "row", "file", "language", "code")


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} in a lecture file")


def _code(text: str) -> str:
    if "'''" not in text:
        return "'''\n" + text + "\n'''"
    return toml_value(text)


def document_text(title: str, chapters: list[dict], header: str = "") -> str:
    """The TOML of a lecture: `chapters` as tables ({key: value, "say": {lang: [cue, ...]}})."""
    out = [header.rstrip() + "\n"] if header else []
    out += ["[lecture]", f"title = {toml_value(title)}", ""]
    for table in chapters:
        out.append("[[chapter]]")
        keys = [k for k in ORDER if k in table] + sorted(k for k in table if k not in ORDER and k != "say")
        for key in keys:
            value = table[key]
            if isinstance(value, dict):  # title.en = ..., title.zh = ...
                out += [f"{key}.{k} = {toml_value(v)}" for k, v in value.items()]
                continue
            out.append(f"{key} = {_code(value) if key == 'code' else toml_value(value)}")
        say = table.get("say", {})
        for lang in LANGS:
            lines = say.get(lang)
            if lines:
                out.append(f"say.{lang} = [")
                out += [f"  {toml_value(line)}," for line in lines]
                out.append("]")
        out.append("")
    return "\n".join(out)
