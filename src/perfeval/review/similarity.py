"""Text as the review compares it: normalised keys, character n-grams, near-duplicate joins.

Two forms say "the same thing" when their texts agree after normalisation: full-width folded to
half-width (NFKC), whitespace, punctuation and symbols dropped, letters lower-cased. For indicator
names a leading template number ("指标1：", "1.", "（2）") is dropped too. For narrative, runs of
digits become one "0": a paragraph copied with this year's figures typed over it is still copied.

Near-identical paragraphs are found with an exact set-similarity join (prefix filtering, as in
Chaudhuri et al. 2006 and Bayardo et al.'s All-Pairs): every paragraph is a set of character
trigrams; two sets whose Jaccard similarity reaches t must share one of the n − ⌈t·n⌉ + 1 rarest
trigrams of either, so only those are indexed. A batch of hundreds of forms is compared in well
under a second and no pair above the threshold is missed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

__all__ = [
    "normalise",
    "indicator_name_key",
    "narrative_key",
    "ngrams",
    "jaccard",
    "Item",
    "similar_pairs",
]

# \w keeps letters, digits and CJK; everything else (punctuation, symbols, spaces) goes, and the
# underscore too. One regex pass: a per-character category lookup was the review's hot spot.
_DROP = re.compile(r"[\W_]+")
_DROP_KEEPING_SYMBOLS = re.compile(r"(?:[^\w%≥≤<>=～~]|_)+")
_NUMBER_PREFIX = re.compile(
    r"^(?:指标\s*\d+\s*[.、:：]?|\d+\s*[.、:：)）](?!\d)|[(（]\s*\d+\s*[)）]|[一二三四五六七八九十]+\s*[、.:：])")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def normalise(text: str, *, keep_symbols: bool = False) -> str:
    """NFKC, lower case, without whitespace, punctuation and symbols (≥ ≤ % … kept on request)."""
    s = unicodedata.normalize("NFKC", text or "").lower()
    s = s.replace("≧", "≥").replace("≦", "≤")
    return (_DROP_KEEPING_SYMBOLS if keep_symbols else _DROP).sub("", s)


def indicator_name_key(text: str) -> str:
    """A 三级指标 as compared: normalised, a template number in front ("指标1：") dropped."""
    s = unicodedata.normalize("NFKC", text or "").strip()
    s = _NUMBER_PREFIX.sub("", s, count=1)
    return normalise(s)


def narrative_key(text: str) -> str:
    """A paragraph as compared: normalised, each run of digits one "0"."""
    return _DIGITS.sub("0", normalise(text))


def ngrams(text: str, n: int) -> frozenset[str]:
    if len(text) < n:
        return frozenset((text,)) if text else frozenset()
    return frozenset(text[i:i + n] for i in range(len(text) - n + 1))


def jaccard(a: frozenset, b: frozenset) -> float:
    if not a and not b:
        return 1.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


@dataclass(frozen=True)
class Item:
    """One text to join: its owner (never paired with itself) and its n-gram set."""

    owner: Hashable
    grams: frozenset[str]
    ref: object  # whatever the caller needs back (a paragraph's location)


def similar_pairs(items: Sequence[Item], threshold: float,
                  skip: set[frozenset] | None = None) -> list[tuple[int, int, float]]:
    """(i, j, similarity) for every pair of items of different owners with Jaccard ≥ threshold.

    skip: owner pairs (frozenset of two owners) that are not to be compared.
    Exact: prefix filtering never drops a qualifying pair (see the module docstring).
    """
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    freq = Counter(g for it in items for g in it.grams)
    ordered = [sorted(it.grams, key=lambda g: (freq[g], g)) for it in items]
    index: dict[str, list[int]] = defaultdict(list)
    out: list[tuple[int, int, float]] = []
    # Shorter sets first: a later (longer) set then only needs to meet earlier ones of at least
    # threshold × its own size, which the length check below enforces.
    order = sorted(range(len(items)), key=lambda i: (len(items[i].grams), i))
    for i in order:
        grams = ordered[i]
        n = len(grams)
        if n == 0:
            continue
        prefix = n - math.ceil(threshold * n) + 1
        seen: set[int] = set()
        for g in grams[:prefix]:
            for j in index[g]:
                if j in seen:
                    continue
                seen.add(j)
                if items[j].owner == items[i].owner:
                    continue
                if skip and frozenset((items[i].owner, items[j].owner)) in skip:
                    continue
                if len(items[j].grams) < threshold * n:
                    continue
                sim = jaccard(items[i].grams, items[j].grams)
                if sim >= threshold:
                    out.append((min(i, j), max(i, j), sim))
            index[g].append(i)
    out.sort()
    return out
