"""Named things declared where they are defined, found by importing their package.

Figures and scenes each live in their own module and declare themselves with a
decorator; a `Registry` imports every module of the package the first time the list is
asked for, so adding a figure or a scene never means editing a central list.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Generic, TypeVar

from .errors import UnknownNameError

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, what: str, package: str, private: set[str]) -> None:
        self.what, self.package, self.private = what, package, private
        self._items: dict[str, T] = {}

    def add(self, name: str, item: T) -> None:
        self._items[name] = item

    def all(self) -> dict[str, T]:
        """Every item, ordered by its `rank` (the package's modules are imported first)."""
        package = importlib.import_module(self.package)
        for info in pkgutil.iter_modules(package.__path__):
            if info.name not in self.private:
                importlib.import_module(f"{self.package}.{info.name}")
        return dict(sorted(self._items.items(), key=lambda kv: kv[1].rank))

    def get(self, name: str) -> T:
        items = self.all()
        if name not in items:
            raise UnknownNameError(self.what, name, list(items))
        return items[name]
