"""共性指标: indicators every department may share (财预〔2013〕53号's 部门整体 framework).

The list is data (src/perfeval/data/review-common-indicators.toml): the framework's 三级指标 by
name, plus fragments ("三公经费", "满意度", "预算执行" …) that mark the same indicators however a
form words them. Rows that are common are never reported as copied from another department, nor
judged for their field.
"""

from __future__ import annotations

import tomllib
from functools import cache, lru_cache
from importlib import resources

from .similarity import indicator_name_key

__all__ = ["common_indicators", "is_common"]

DATA_FILE = "review-common-indicators.toml"


@cache
def common_indicators() -> tuple[frozenset[str], tuple[str, ...]]:
    """(names, fragments), both normalised as indicator names are."""
    raw = (resources.files("perfeval") / "data" / DATA_FILE).read_bytes()
    data = tomllib.loads(raw.decode("utf-8"))
    names = frozenset(indicator_name_key(n) for n in data.get("names", ()))
    fragments = tuple(sorted({indicator_name_key(f) for f in data.get("fragments", ())} - {""}))
    return names, fragments


@lru_cache(maxsize=16384)
def is_common(name: str) -> bool:
    """Whether a 三级指标 (as typed) is one of the 共性指标."""
    key = indicator_name_key(name)
    if not key:
        return False
    names, fragments = common_indicators()
    return key in names or any(f in key for f in fragments)
