"""The source's code as text: which file, which lines, what fails where (no torch).

The files of this package are the tutorial's code; the `SourceCode` scene shows their
text and the tests run the same files. This module reads them as text only (with `ast`,
which parses without running anything), so a scene can show them without importing
torch:

* `block(file, name)`: the text of a top-level class or function, or of a method
  (`"MyRNN.forward"`), with the file line it starts on;
* `line_of(file, text)`: the file line that holds a piece of code;
* `line_in(file, name, text)`: the same, inside one block;
* `setting(file, name)`: a setting the file makes (`hidden_size=12`);
* `shown(text, lang)`: the text with its comments in the lecture's language (the
  tutorial's comments are Chinese; code is never changed, only the words after `#`);
* `TYPO_ERROR`, `typo_line()`: what the tutorial's `nn.RNN` version raises when its forward
  runs, and on which line (the tests run it and check both).

    >>> text, first = block("my_rnn", "MyRNN.forward")
    >>> first, text.splitlines()[0]
    (25, '    def forward(self,x,prev_state):')
    >>> setting("train_loop", "hidden_size")
    12
    >>> line_of("torch_rnn_typo", "output_hidden,tate"), typo_line()
    (23, 25)
    >>> shown("    state=torch.zeros(1,hidden_size) #初始状态", "en")
    '    state=torch.zeros(1,hidden_size) #initial state'
"""

from __future__ import annotations

import ast
import io
import tokenize
from functools import lru_cache
from pathlib import Path

from ..errors import ExplainerError
from ..style import check_lang, word

HERE = Path(__file__).parent

#: The files, by name: the hand-written MyRNN, the nn.RNN version (fixed, and as the tutorial
#: writes it), and the loops that train and predict with each.
FILES = ("my_rnn", "torch_rnn", "torch_rnn_typo", "train_loop", "torch_train_loop")

#: What running the tutorial's nn.RNN forward raises (`type: message`), and where.
TYPO_ERROR = "NameError: name 'state' is not defined"
TYPO_FILE = "torch_rnn_typo"
TYPO_NAME = "tate"  # what the tutorial wrote
FIXED_NAME = "state"  # what it meant

#: Every comment the files hold, by its text after '#': the word it is shown as
#: (None: it reads the same in every language, e.g. "tate -> state").
COMMENTS: dict[str, str | None] = {
    "初始状态": "code.comment.initial_state",
    "返回损失": "code.comment.return_loss",
    "取最后一个时间点的输出": "code.comment.last_step",
    "一次得到输出": "code.comment.one_call",
    "tate -> state": None,
}


def path(file: str) -> Path:
    """The path of one of the files (FILES)."""
    if file not in FILES:
        raise ExplainerError(f"no source file {file!r}; the source's code is in: {', '.join(FILES)}")
    return HERE / f"{file}.py"


@lru_cache(maxsize=None)
def text(file: str) -> str:
    """The whole text of one of the files."""
    return path(file).read_text(encoding="utf-8")


def block(file: str, name: str) -> tuple[str, int]:
    """The text of class or function `name` ("MyRNN", "train", "MyRNN.forward") and its first file line."""
    body: list[ast.stmt] = ast.parse(text(file)).body
    node = None
    for part in name.split("."):
        node = next((n for n in body if isinstance(n, (ast.ClassDef, ast.FunctionDef)) and n.name == part), None)
        if node is None:
            raise ExplainerError(f"{file}.py defines no {name}")
        body = node.body
    lines = text(file).splitlines()
    return "\n".join(lines[node.lineno - 1:node.end_lineno]), node.lineno


def statements(file: str, first: str, last: str) -> tuple[str, int]:
    """The lines from the one that starts with `first` to the one that starts with `last` (top level)."""
    lines = text(file).splitlines()
    a, b = _start(file, lines, first), _start(file, lines, last)
    return "\n".join(lines[a - 1:b]), a


def setting(file: str, name: str):
    """The value a top-level `name=<literal>` line of the file sets (e.g. hidden_size=12)."""
    for node in ast.parse(text(file)).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            try:
                return ast.literal_eval(node.value)
            except ValueError:
                break
    raise ExplainerError(f"{file}.py sets no {name} to a plain value")


def line_of(file: str, code: str, nth: int = 0) -> int:
    """The file line (from 1) of the `nth` line of code (after the module docstring) that holds `code`."""
    after = _docstring_end(file)
    found = [k + 1 for k, line in enumerate(text(file).splitlines()) if k >= after and code in line]
    if len(found) <= nth:
        raise ExplainerError(f"{file}.py has no line with {code!r}")
    return found[nth]


def line_in(file: str, name: str, code: str) -> int:
    """The file line of the first line of block `name` (see `block`) that holds `code`."""
    text_, first = block(file, name)
    for k, line in enumerate(text_.splitlines()):
        if code in line:
            return first + k
    raise ExplainerError(f"{name} in {file}.py has no line with {code!r}")


def comments(source: str) -> list[str]:
    """The comments of a piece of code, as written after '#'."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    try:
        return [t.string[1:].strip() for t in tokens if t.type == tokenize.COMMENT]
    except tokenize.TokenError:  # a block cut out of a file may end inside brackets: its comments are read already
        return [line.split("#", 1)[1].strip() for line in source.splitlines() if "#" in line]


def shown(source: str, lang: str) -> str:
    """`source` with every comment in `lang` (the code itself untouched; one line per line)."""
    check_lang(lang)
    out = []
    for line in source.splitlines():
        code, sep, comment = line.partition("#")
        said = comment.strip()
        if sep and said not in COMMENTS:
            raise ExplainerError(f"the comment {said!r} has no words in explainer/words/scenes_code.py (COMMENTS)")
        key = COMMENTS.get(said) if sep else None
        out.append(code + sep + comment.replace(said, word(key, lang)) if key else line)
    return "\n".join(out)


def _docstring_end(file: str) -> int:
    """The last line of the module docstring (0 when there is none)."""
    body = ast.parse(text(file)).body
    first = body[0] if body else None
    is_doc = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)
    return first.end_lineno if is_doc else 0


def _start(file: str, lines: list[str], start: str) -> int:
    for k, line in enumerate(lines):
        if k >= _docstring_end(file) and line.startswith(start):
            return k + 1
    raise ExplainerError(f"{file}.py has no line starting with {start!r}")


def typo_line() -> int:
    """The line of the tutorial's nn.RNN version that raises TYPO_ERROR (its `return output,state`)."""
    return line_of(TYPO_FILE, "return output,state")
