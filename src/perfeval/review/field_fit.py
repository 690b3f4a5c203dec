"""Does an indicator belong to the department's own field? A keyword measure anyone can redo.

The field vocabularies are data (src/perfeval/data/review-fields.toml): a list of words per field
(机构编制, 人社, 教育, 卫生健康 …) and a list of neutral phrases. How a row is judged:

1. Texts are normalised (full-width folded, no whitespace or punctuation) and scanned from left
   to right for the listed words, longest first, each stretch of text counted once: "人事档案管理"
   is "人事档案" (人社), not also "档案管理"; "预算编制" (neutral) is not "编制".
2. The department's own fields are the fields of the words found in its 部门主要职能 text.
3. For each indicator row that is not a 共性指标, in its 三级指标 + 年度指标值:
   foreign = words of fields that are not the department's own (and not themselves in its
   functions text); own = words of its own fields; overlap = the share of the row's two-character
   pieces (generic ones such as 管理, 工作, 完成 left out) that also occur in the functions text.
4. The row is reported when foreign ≥ 1, own = 0 and overlap < 0.5: it speaks of another
   field's work, and of nothing the department says it does.

A department whose form has no 部门主要职能 text is not judged (there is nothing to judge by).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .similarity import normalise

__all__ = ["Field", "FieldFit", "FunctionsText", "Vocabulary", "vocabulary", "own_fields", "judge_row", "MAX_OVERLAP"]

DATA_FILE = "review-fields.toml"
MAX_OVERLAP = 0.5
NEUTRAL = ""

# Two-character pieces that any department's text has; they say nothing about a field.
_GENERIC_BIGRAMS = frozenset(
    "管理 工作 情况 完成 提高 提升 加强 推进 落实 开展 服务 建设 制度 机制 规范 全面 进行 实现 保障 工程 项目 "
    "达到 以上 按时 及时 有效 效果 水平 质量 数量 时效 成本 目标 任务 全县 本县 县直 部门 单位 年度 全年 资金 "
    "经费 使用 执行 组织 实施 相关 持续 不断 进一 一步 确保 完善 健全 推行 统筹 责任 要求 问题 整改 监督 检查 "
    "指标 考核 合格 达标 覆盖 比例 人数 次数 力度 贯彻 坚持 原则 党的 领导".split()
)


@dataclass(frozen=True)
class Field:
    key: str
    name: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Vocabulary:
    fields: tuple[Field, ...]
    field_of: dict[str, str]  # normalised word -> field key ("" for neutral)
    pattern: re.Pattern[str]

    def name_of(self, key: str) -> str:
        return next((f.name for f in self.fields if f.key == key), key)

    def scan(self, text: str) -> list[str]:
        """The listed words found in `text` (normalised), leftmost-longest, each stretch once."""
        return self.pattern.findall(normalise(text)) if text else []


@cache
def vocabulary() -> Vocabulary:
    raw = (resources.files("perfeval") / "data" / DATA_FILE).read_bytes()
    data = tomllib.loads(raw.decode("utf-8"))
    field_of: dict[str, str] = {}
    fields = []
    for f in data.get("field", ()):
        words = tuple(w for w in (normalise(x) for x in f.get("words", ())) if w)
        fields.append(Field(key=f["key"], name=f["name"], words=words))
        for w in words:
            field_of.setdefault(w, f["key"])
    for w in (normalise(x) for x in data.get("neutral", ())):
        if w:
            field_of[w] = NEUTRAL
    # Python's alternation takes the first alternative that matches at a position: longest first
    # makes it leftmost-longest.
    alternatives = sorted(field_of, key=lambda w: (-len(w), w))
    pattern = re.compile("|".join(re.escape(w) for w in alternatives))
    return Vocabulary(fields=tuple(fields), field_of=field_of, pattern=pattern)


def own_fields(functions_text: str) -> dict[str, list[str]]:
    """field key -> the words of that field found in the department's 部门主要职能 text."""
    vocab = vocabulary()
    out: dict[str, list[str]] = {}
    for w in vocab.scan(functions_text):
        key = vocab.field_of[w]
        if key != NEUTRAL and w not in out.setdefault(key, []):
            out[key].append(w)
    return out


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


@dataclass(frozen=True)
class FieldFit:
    """How one row was judged against the department's functions text."""

    foreign: dict[str, tuple[str, ...]]  # field key -> words of that field in the row
    own: tuple[str, ...]  # words of the department's own fields in the row
    shared: int  # the row's content bigrams also in the functions text
    bigrams: int  # the row's content bigrams

    @property
    def overlap(self) -> float:
        return self.shared / self.bigrams if self.bigrams else 0.0

    @property
    def mismatched(self) -> bool:
        return bool(self.foreign) and not self.own and self.overlap < MAX_OVERLAP

    @property
    def main_field(self) -> str:
        """The foreign field with the most words in the row (ties: the vocabulary's order)."""
        order = [f.key for f in vocabulary().fields]
        return max(self.foreign, key=lambda k: (len(self.foreign[k]), -order.index(k)))


@dataclass(frozen=True)
class FunctionsText:
    """A department's 部门主要职能 text, prepared once for judging all its rows."""

    own: dict[str, list[str]]
    normalised: str
    bigrams: frozenset[str]

    @classmethod
    def of(cls, functions_text: str) -> FunctionsText:
        norm = normalise(functions_text)
        return cls(own=own_fields(functions_text), normalised=norm, bigrams=frozenset(_bigrams(norm)))


def judge_row(row_text: str, functions: str | FunctionsText) -> FieldFit:
    """Judge one indicator's text (三级指标 + 年度指标值) against the department's functions text."""
    vocab = vocabulary()
    fn = functions if isinstance(functions, FunctionsText) else FunctionsText.of(functions)
    foreign: dict[str, list[str]] = {}
    native: list[str] = []
    for w in vocab.scan(row_text):
        key = vocab.field_of[w]
        if key == NEUTRAL:
            continue
        if key in fn.own or w in fn.normalised:
            if w not in native:
                native.append(w)
        elif w not in foreign.setdefault(key, []):
            foreign[key].append(w)
    grams = {g for g in _bigrams(normalise(row_text)) - _GENERIC_BIGRAMS if not g.isdigit()}
    return FieldFit(foreign={k: tuple(v) for k, v in foreign.items()}, own=tuple(native),
                    shared=len(grams & fn.bigrams), bigrams=len(grams))
