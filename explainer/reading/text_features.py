"""Per-character features of a text, the quantities unit discovery correlates units with.

Karpathy, Johnson and Fei-Fei ("Visualizing and Understanding Recurrent Networks", 2015)
found LSTM cells that track where a character model is in its text: inside a quote, how
deep in brackets, how far along the line. These are those quantities, one float per
character, computed from the text alone by a small hand-written scanner (no `tokenize`:
it must also take prose, and text cut off anywhere). It is correct on Python code and
reasonable on prose:

- `string`: 1 inside a string literal, its quotes included ('…', "…", triple-quoted across
  lines), 0 elsewhere. Backslash escapes are honoured (also in raw strings, as Python does
  for finding a string's end); a one-line string left open ends at the line's end. A prefix
  (`r`, `b`, `f`, …) is not part of the string. A quote right after a word that is not a
  string prefix is an apostrophe (`don't`, `Alice's`), not an opening quote.
- `comment`: 1 from `#` (outside strings) to the end of the line; the newline is 0.
- `indent`: the width of the current line's leading spaces and tabs (a tab counts 4), the
  same value for every character of the line, its newline included.
- `bracket`: how many of `( [ {` (outside strings and comments) are open around the character;
  a bracket counts as inside its own pair (`f(a)` is 0 1 1 1); a stray closing bracket at
  depth 0 is ignored.
- `column`: the position in the line, 0 at the line's first character (a newline is at the
  column after the line's last character).
- `word_start`: 1 at the first character of a word (a run of letters, digits and `_`; an
  apostrophe inside a word does not start another: `don't` is one word).

`show` prints a feature under its text, one digit per character (`↵` a newline, `→` a tab):

    >>> print(show('s = "a#b"  # it\\'s', "string"))
    s = "a#b"  # it's
    00001111100000000
    >>> print(show('s = "a#b"  # it\\'s', "comment"))
    s = "a#b"  # it's
    00000000000111111

A user's own feature is a per-step array or a function of the text (`trace_features`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Union

import numpy as np

from ..errors import ExplainerError
from ..trace import Trace
from .lengths import row_lengths
from .text import is_text, text_of

#: The built-in features, in the order they are reported.
FEATURES = ("string", "comment", "indent", "bracket", "column", "word_start")

#: What each built-in feature is, in a few words (for tables and help).
MEANINGS = {
    "string": "inside a string literal (1) or not (0)",
    "comment": "inside a # comment (1) or not (0)",
    "indent": "the line's leading whitespace, in spaces (a tab counts 4)",
    "bracket": "how many ( [ { are open",
    "column": "the position in the line (0 at its start)",
    "word_start": "the first character of a word (1) or not (0)",
}

#: How many spaces a tab counts for in `indent`.
TAB = 4

#: A user's feature: values over the real steps, or a function of a row's text giving one value per character.
Feature = Union[np.ndarray, Iterable[float], Callable[[str], Iterable[float]]]

_PREFIXES = frozenset({"r", "u", "f", "b", "t", "br", "rb", "fr", "rf", "tr", "rt"})
_TOKEN = re.compile(r"(?P<word>\w+)|(?P<quote>'''|\"\"\"|'|\")|(?P<comment>#[^\n]*)|(?P<open>[(\[{])|(?P<close>[)\]}])")
_REST = {  # what follows an opening quote, up to and including the closing one (or the end)
    "'''": re.compile(r"(?:[^'\\]|\\[\s\S]?|'(?!''))*(?:'''|\Z)"),
    '"""': re.compile(r'(?:[^"\\]|\\[\s\S]?|"(?!""))*(?:"""|\Z)'),
    "'": re.compile(r"(?:[^'\\\n]|\\[\s\S]?)*'?"),
    '"': re.compile(r'(?:[^"\\\n]|\\[\s\S]?)*"?'),
}
_WORD = re.compile(r"\w+")
_LEADING = re.compile(r"^[ \t]*", re.MULTILINE)


def features(text: str) -> dict[str, np.ndarray]:
    """Every built-in feature of `text`: {name: [time] float32 array}, in `FEATURES` order.

    >>> f = features("if x:\\n\\tf(a[0])  # ok\\n")
    >>> list(f) == list(FEATURES), f["bracket"].shape          # [time]
    (True, (21,))
    """
    string, comment, bracket = _scan(text)
    column, indent = _lines(text)
    word_start = np.zeros(len(text), np.float32)  # [time]
    word_start[[m.start() for m in _WORD.finditer(text)]] = 1
    after = np.flatnonzero(word_start[2:]) + 2  # word starts with two characters before them
    for s in after:  # ...after a word and an apostrophe that opens no string: the same word (don't)
        if text[s - 1] == "'" and _WORD.match(text[s - 2]) and not (string[s - 1] and not string[s - 2]):
            word_start[s] = 0
    found = {"string": string, "comment": comment, "indent": indent, "bracket": bracket, "column": column,
             "word_start": word_start}
    return {name: found[name] for name in FEATURES}


def feature(text: str, name: str) -> np.ndarray:
    """One built-in feature of `text` ([time] float32), or one line listing the built-in ones.

    Examples, one per feature (strings honour escapes and span lines when triple-quoted):

    >>> print(show('x = "a\\\\"b" + \\'(\\'', "string"))
    x = "a\\"b" + '('
    0000111111000111
    >>> print(show("t = '''a\\n#b'''  # c", "string"))
    t = '''a↵
    000011111
    #b'''  # c
    1111100000
    >>> print(show("x = 1  # 'q'\\ny", "comment"))
    x = 1  # 'q'↵
    0000000111110
    y
    0
    >>> print(show("if x:\\n  \\ty\\n", "indent"))
    if x:↵
    000000
      →y↵
    66666
    >>> print(show("f(a[1], {'(': 2})", "bracket"))
    f(a[1], {'(': 2})
    01122211222222221
    >>> print(show("ab\\n cd", "column"))
    ab↵
    012
     cd
    012
    >>> print(show("don't x_1.y(2)", "word_start"))
    don't x_1.y(2)
    10000010001010
    """
    if name not in FEATURES:
        raise ExplainerError(f"unknown text feature {name!r}; the built-in ones are {', '.join(FEATURES)}")
    return features(text)[name]


def show(text: str, name: str) -> str:
    """Each line of `text` with one digit of a feature under each character (values above 9 as 9)."""
    values = feature(text, name)  # [time]
    out, start = [], 0
    for line in text.splitlines(keepends=True) or [""]:
        end = start + len(line)
        out.append(line.replace("\n", "↵").replace("\t", "→"))
        out.append("".join(str(int(min(v, 9))) for v in values[start:end]))
        start = end
    return "\n".join(out)


def _scan(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """([time] string, comment, bracket) of `text`: one pass over its strings, comments and brackets."""
    n = len(text)
    string = np.zeros(n, np.float32)  # [time]
    comment = np.zeros(n, np.float32)  # [time]
    change = np.zeros(n + 1, np.int64)  # [time + 1]: bracket depth change at each position
    depth, pos, word_end, word = 0, 0, -1, ""
    search = _TOKEN.search
    while True:
        token = search(text, pos)
        if token is None:
            break
        kind, start, pos = token.lastgroup, token.start(), token.end()
        if kind == "word":
            word_end, word = pos, token.group()
        elif kind == "quote":
            if start == word_end and word.lower() not in _PREFIXES:  # an apostrophe: don't, Alice's
                pos = start + 1
                continue
            pos = _REST[token.group()].match(text, pos).end()
            string[start:pos] = 1
        elif kind == "comment":
            comment[start:pos] = 1
        elif kind == "open":
            depth += 1
            change[start] += 1
        elif depth > 0:  # a closing bracket is still inside its pair; depth drops after it
            depth -= 1
            change[start + 1] -= 1
    bracket = np.cumsum(change[:n]).astype(np.float32)  # [time]
    return string, comment, bracket


def _lines(text: str) -> tuple[np.ndarray, np.ndarray]:
    """([time] column, indent) of `text`, line by line (a newline belongs to the line it ends)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)  # [time]
    newline = codes == 10  # [time]
    line = np.cumsum(newline) - newline  # [time]: which line each character is on
    starts = np.concatenate([[0], np.flatnonzero(newline) + 1])  # [lines]
    column = (np.arange(len(text)) - starts[line]).astype(np.float32)  # [time]
    widths = np.array([len(m.group()) + (TAB - 1) * m.group().count("\t") for m in _LEADING.finditer(text)],
                      dtype=np.float32)  # [lines]
    if len(widths) < len(starts):  # a text ending in "\n": the empty last line (re finds it; be safe)
        widths = np.concatenate([widths, np.zeros(len(starts) - len(widths), np.float32)])
    return column, widths[line]


# -- over a trace ---------------------------------------------------------------------------------
def real_text(trace: Trace) -> list[str]:
    """The text of every batch row, up to each row's real end (one line if the trace is not of a text)."""
    if not is_text(trace):
        raise ExplainerError("this trace's steps are not characters of a text, so it has no text features; record a "
                             "character model on a text (explainer trace CHECKPOINT --text-file FILE, or "
                             "record(model, ids, steps=list(text)))")
    return [text_of(trace, row) for row in range(trace.batch_size)]


def trace_features(trace: Trace, given: Iterable[str] | Mapping[str, Feature | None] | None = None
                   ) -> dict[str, np.ndarray]:
    """{name: [real steps] float64}: features over every real step of a character trace, rows one after another.

    `given`: None for every built-in feature; names of built-in ones; or a mapping of names to
    a user's feature (None: the built-in of that name): an array with one value per real step
    (`sum(reading.lengths.row_lengths(trace))`), or a function of a row's text returning one
    value per character. A wrong length or a value that is not a finite number is one line.

    >>> t = Trace({"layers.0.h": np.zeros((1, 4, 2), np.float32)}, {"steps": list("(a)b"), "tokenizer": "chars"})
    >>> f = trace_features(t, {"bracket": None, "is_a": lambda s: [c == "a" for c in s], "mine": [0, 1, 2, 3]})
    >>> {k: v.tolist() for k, v in f.items()}
    {'bracket': [1.0, 1.0, 1.0, 0.0], 'is_a': [0.0, 1.0, 0.0, 0.0], 'mine': [0.0, 1.0, 2.0, 3.0]}
    """
    texts = real_text(trace)
    if given is None:
        given = dict.fromkeys(FEATURES)
    elif isinstance(given, str):
        given = {given: None}
    elif not isinstance(given, Mapping):
        given = dict.fromkeys(given)
    unknown = [name for name, f in given.items() if f is None and name not in FEATURES]
    if unknown:
        raise ExplainerError(f"unknown text feature {unknown[0]!r}; the built-in ones are {', '.join(FEATURES)} "
                             "(a feature of your own: give its values or a function of the text)")
    built = [features(text) for text in texts] if any(f is None for f in given.values()) else []
    total = sum(row_lengths(trace))
    out = {}
    for name, f in given.items():
        if f is None:
            out[name] = np.concatenate([b[name] for b in built]).astype(np.float64)  # [real steps]
        elif callable(f):
            out[name] = np.concatenate([check_feature(name, f(text), len(text), "characters in the row's text")
                                        for text in texts])  # [real steps]
        else:
            out[name] = check_feature(name, f, total, "real steps in the trace")
    return out


def check_feature(name: str, values, length: int, what: str = "real steps in the trace") -> np.ndarray:
    """A user's feature as [length] float64, or one line saying what is wrong with it.

    >>> check_feature("mine", [1, 2], 3)
    Traceback (most recent call last):
    ...
    explainer.errors.ExplainerError: feature 'mine' has 2 values for 3 real steps in the trace; give one per step
    """
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ExplainerError(f"feature {name!r} should be numbers, one per step, not {type(values).__name__}") from None
    if array.ndim != 1:
        raise ExplainerError(f"feature {name!r} should be a flat list of numbers, one per step, not an array of "
                             f"shape {list(array.shape)}")
    if len(array) != length:
        raise ExplainerError(f"feature {name!r} has {len(array):,} values for {length:,} {what}; give one per step")
    bad = np.flatnonzero(~np.isfinite(array))
    if len(bad):
        raise ExplainerError(f"feature {name!r} holds {array[bad[0]]} at step {bad[0]}; every value should be a "
                             "finite number")
    return array
