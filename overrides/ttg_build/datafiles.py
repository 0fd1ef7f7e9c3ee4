"""Data files (docs/_data/*.yml) read once per change, not once per page: the result of a loader
is kept while the file's size and modification time stay the same, so a live preview (`mkdocs
serve`) picks up an edit on its next rebuild. A loader that fails is run again next time."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")
_cache: dict[tuple[str, str], tuple[tuple[int, int], object]] = {}


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_mtime_ns, stat.st_size)


def load(path: Path, loader: Callable[[Path], T], name: str = "") -> T:
    """loader(path), cached on the file's stamp (name tells apart two loaders of one file)."""
    key = (str(Path(path).resolve()), name or getattr(loader, "__qualname__", ""))
    stamp = _stamp(Path(path))
    hit = _cache.get(key)
    if hit and hit[0] == stamp:
        return hit[1]  # type: ignore[return-value]
    value = loader(Path(path))
    _cache[key] = (stamp, value)
    return value
