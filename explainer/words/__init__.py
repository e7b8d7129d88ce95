"""Every label a person reads, in English and Chinese, one module per topic.

Each module defines `WORDS = {key: {"en": ..., "zh": ...}}`; this package merges them and
checks that every key has both languages and no key is defined twice. Keys are dotted by
topic (`gate.f`, `sine.title.data`, `lstm.label.belt`); `{placeholders}` are filled by
`style.word(key, lang, **values)`.
"""

from __future__ import annotations

import importlib
import pkgutil

from ..style import LANGS

WORDS: dict[str, dict[str, str]] = {}

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    for _key, _value in _module.WORDS.items():
        if _key in WORDS:
            raise ValueError(f"word {_key!r} is defined twice (again in {_info.name})")
        if set(_value) != set(LANGS):
            raise ValueError(f"word {_key!r} in {_info.name} needs exactly 'en' and 'zh'")
        WORDS[_key] = _value
