"""Rule profiles: every number of a scoring rule lives in a TOML file, not in code.

Provinces and counties differ (execution score out of 10 or 20, proportional or stepped,
qualitative bands 80/60 or 80/50, 全年 or 年初 as the execution base), so the rules are data a
department can copy and edit. A bad profile fails with a Chinese message naming the key.
"""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import PerfevalError

__all__ = [
    "Profile",
    "ProfileError",
    "load_profile",
    "list_profiles",
    "DEFAULT_PROFILE",
    "Band",
    "Step",
    "GradeBand",
    "default_profile",
    "profile_notes",
    "builtin_profile",
    "best_profile",
    "sibling_profile",
    "PROFILE_ALIASES",
]

DEFAULT_PROFILE = "gansu-department"


class ProfileError(PerfevalError, ValueError):
    """A profile that cannot be used (PE920); the message is Chinese and names the key."""

    def __init__(self, message: str, code: str = "PE920") -> None:
        super().__init__(code, message)


# Names people type for the shipped profiles (the CLI and the 配置 sheet accept them too).
PROFILE_ALIASES: dict[str, str] = {
    "甘肃": "gansu-department", "甘肃省": "gansu-department", "部门": "gansu-department",
    "部门整体": "gansu-department", "默认": "gansu-department", "gansu": "gansu-department",
    "湖北": "hubei-department", "湖北省": "hubei-department", "hubei": "hubei-department",
    "江西": "jiangxi-department", "江西省": "jiangxi-department", "jiangxi": "jiangxi-department",
    "项目": "national-project", "项目支出": "national-project", "project": "national-project",
    "national": "national-project", "财预〔2020〕10号": "national-project",
}

_MAX_NAME = 200  # longer texts are not names (a path component may not exceed 255 bytes)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Step(_Strict):
    """One row of a stepped execution score: rate ≥ min_rate earns `score`."""

    min_rate: Decimal
    score: Decimal


class Band(_Strict):
    """A qualitative band: completion ≥ lower (or > lower when not inclusive)."""

    name: str
    lower: Decimal
    lower_inclusive: bool = True


class GradeBand(_Strict):
    name: str
    min_total: Decimal


class TotalCap(_Strict):
    """The 一体化 manual's rule: a low execution rate caps the total score."""

    below_rate: Decimal
    max_total: Decimal


class ExecutionRule(_Strict):
    base: Literal["full_year", "initial"] = "full_year"
    method: Literal["proportional", "steps"] = "proportional"
    weight: Decimal = Decimal(10)
    steps: tuple[Step, ...] = ()
    adjustment_warning: Decimal = Decimal("0.10")  # 年初→全年 change needing an explanation

    @model_validator(mode="after")
    def _steps_when_stepped(self) -> "ExecutionRule":
        if self.method == "steps" and not self.steps:
            raise ValueError("method = \"steps\" 时必须给出 steps")
        if self.steps and list(self.steps) != sorted(self.steps, key=lambda s: -s.min_rate):
            raise ValueError("steps 必须按 min_rate 从高到低排列")
        return self


class IndicatorRule(_Strict):
    over_achievement_threshold: Decimal = Decimal("0.30")
    over_achievement_deduction: Decimal = Decimal(0)  # points, 0 = only ask for an explanation
    reverse_keywords: tuple[str, ...] = ()


class Rounding(_Strict):
    money: int = 2
    rate: int = 4  # as a fraction: 0.9567 = 95.67%
    score: int = 2


class Profile(_Strict):
    name: str
    title: str
    form_kind: Literal["department", "project"]
    description: str = ""
    execution: ExecutionRule = Field(default_factory=ExecutionRule)
    first_level: dict[str, Decimal]
    bands: tuple[Band, ...]
    grades: tuple[GradeBand, ...]
    indicators: IndicatorRule = Field(default_factory=IndicatorRule)
    rounding: Rounding = Field(default_factory=Rounding)
    total_caps: tuple[TotalCap, ...] = ()
    total: Decimal = Decimal(100)
    notes: str = ""  # printed under the form; composed from the rules when empty

    @field_validator("bands")
    @classmethod
    def _bands_descend_to_zero(cls, bands: tuple[Band, ...]) -> tuple[Band, ...]:
        if not bands:
            raise ValueError("至少需要一个档次")
        lowers = [b.lower for b in bands]
        if lowers != sorted(lowers, reverse=True) or len(set(lowers)) != len(lowers):
            raise ValueError("档次下限必须从高到低、互不相同")
        if bands[-1].lower != 0 or not bands[-1].lower_inclusive:
            raise ValueError("最低一档的下限必须是 0（含）")
        return bands

    @field_validator("grades")
    @classmethod
    def _grades_descend(cls, grades: tuple[GradeBand, ...]) -> tuple[GradeBand, ...]:
        mins = [g.min_total for g in grades]
        if not grades or mins != sorted(mins, reverse=True) or mins[-1] != 0:
            raise ValueError("等级必须从高到低排列，最低一档下限为 0")
        return grades

    @model_validator(mode="after")
    def _weights_add_up(self) -> "Profile":
        total = sum(self.first_level.values(), Decimal(0))
        if total != self.total:
            raise ValueError(f"first_level 各一级指标分值之和为 {total}，应为 {self.total}")
        return self

    def first_level_weight(self, name: str) -> Decimal | None:
        """The profile's 分值 for a 一级指标 name as typed ('产出' and '产出指标' are the same)."""
        key = canonical_first_level(name)
        for k, v in self.first_level.items():
            if canonical_first_level(k) == key:
                return v
        return None


def best_profile(kind, first_levels, execution_weight: Decimal | None = None) -> str:
    """The shipped profile of `kind` whose rules a form's own structure states: the most of its
    一级指标 names, then its 预算执行率 分值 (20 on a Hubei form). The kind's default on a tie, so a
    form that says nothing keeps the default."""
    kind_value = getattr(kind, "value", kind)
    names = {canonical_first_level(n) for n in first_levels if n and canonical_first_level(n)}
    default = default_profile(kind)

    def fit(name: str) -> tuple[int, int, int]:
        p = load_profile(name)
        known = {canonical_first_level(k) for k in p.first_level}
        weight_fits = execution_weight is not None and p.execution.weight == execution_weight
        return (len(names & known), int(weight_fits), int(name == default))

    candidates = [n for n in list_profiles() if load_profile(n).form_kind == kind_value]
    return max(candidates, key=fit) if candidates else default


def sibling_profile(profile: "Profile", kind) -> str | None:
    """The same region's profile for the other form kind ("湖北" on a project form → hubei-project)."""
    kind_value = getattr(kind, "value", kind)
    region = profile.name.rsplit("-", 1)[0]
    name = f"{region}-{kind_value}"
    return name if name in list_profiles() else None


def default_profile(kind) -> str:
    """The profile a new form of this kind ("department" / "project") uses."""
    return "national-project" if getattr(kind, "value", kind) == "project" else DEFAULT_PROFILE


def profile_notes(profile: Profile) -> str:
    """The notes printed under the form: the profile's own text, or one composed from its rules
    so that a form never prints weights its own cells contradict."""
    if profile.notes.strip():
        return profile.notes.strip()

    from .decimal_math import fmt_decimal
    from .decimal_math import fmt_percent as pct

    weights = "、".join(f"{k}{fmt_decimal(v)}分" for k, v in profile.first_level.items())
    edges = [b.lower for b in profile.bands]
    bands = "、".join(
        f"{b.name}按分值的{pct(Decimal(1) if i == 0 else edges[i - 1])}-{pct(b.lower)}"
        + ("（含）" if b.lower_inclusive and b.lower > 0 else "")
        for i, b in enumerate(profile.bands))
    base = "全年预算数" if profile.execution.base == "full_year" else "年初预算数"
    method = ("执行率×分值，最高为分值" if profile.execution.method == "proportional"
              else "；".join(f"执行率≥{pct(st.min_rate)}得{fmt_decimal(st.score)}分" for st in profile.execution.steps))
    return (f"注：1.满分{fmt_decimal(profile.total)}分，一级指标分值：{weights}；各项指标得分不超过其分值。"
            f"2.预算执行率=实际支出数÷{base}，得分按{method}。"
            f"3.定量指标完成年度指标值的记满分，未完成的按完成值与指标值的比例记分；定性指标{bands}记分。"
            "4.得分低于分值的，须填写偏差原因分析及改进措施。")


_LEVEL_WEIGHT = re.compile(r"[(（]?\s*\d+(?:\.\d+)?\s*分?\s*[)）]?$")


def canonical_first_level(name: str) -> str:
    """'产出指标（50分）', '产出指标\n(50)', '产出' → '产出'; the weight a label carries is not its name."""
    s = "".join(name.split())
    s = _LEVEL_WEIGHT.sub("", s)
    for suffix in ("指标", "类"):
        if s.endswith(suffix) and len(s) > len(suffix):
            s = s[: -len(suffix)]
    return {"服务对象满意度": "满意度", "预算资金执行率": "预算执行率"}.get(s, s)


def _format_validation_error(source: str, exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"]) or "（顶层）"
        parts.append(f"{key}：{err['msg']}")
    return f"规则配置「{source}」有误：" + "；".join(parts)


def parse_profile(data: dict, source: str) -> Profile:
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(_format_validation_error(source, exc)) from None


def _builtin_dir():
    return resources.files("perfeval") / "profiles"


def list_profiles() -> list[str]:
    return sorted(p.name[:-5] for p in _builtin_dir().iterdir() if p.name.endswith(".toml"))


_CACHE: dict[object, Profile] = {}


def _shown(text: str) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= 60 else text[:59] + "…"


def builtin_profile(name: str | None) -> Profile:
    """A shipped profile by name or alias, never a file: what a workbook's 配置 sheet may name."""
    key = (name or DEFAULT_PROFILE).strip()
    key = PROFILE_ALIASES.get(key, key)
    if len(key) > _MAX_NAME or key not in list_profiles():
        raise ProfileError(f"没有名为「{_shown(key)}」的内置评分规则；可用：{'、'.join(list_profiles())}"
                           f"（也可写：{'、'.join(sorted({a for a in PROFILE_ALIASES if not a.isascii()}))}）")
    return load_profile(key)


def load_profile(name_or_path: str | Path | None = None) -> Profile:
    """A built-in profile by name or alias, or a TOML file a department edited.

    Files are cached by resolved path and modification time: a worksheet function server runs
    for hours, and an edited profile must take effect at the next recalculation.
    """
    key = str(name_or_path or DEFAULT_PROFILE).strip()
    key = PROFILE_ALIASES.get(key, key)
    if key.lower().endswith(".toml"):
        path = Path(key)
        try:
            resolved = path.resolve()
            cache_key: object = (str(resolved), resolved.stat().st_mtime_ns)
            if cache_key in _CACHE:
                return _CACHE[cache_key]
            raw = resolved.read_bytes()
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or type(exc).__name__
            raise ProfileError(f"无法读取规则配置文件「{_shown(key)}」（{reason}）") from None
        source = str(path)
    else:
        cache_key = key
        if cache_key in _CACHE:
            return _CACHE[cache_key]
        if len(key) > _MAX_NAME or "/" in key or "\\" in key or key not in list_profiles():
            raise ProfileError(f"没有名为「{_shown(key)}」的规则配置；可用：{'、'.join(list_profiles())}")
        raw = (_builtin_dir() / f"{key}.toml").read_bytes()
        source = key
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"规则配置「{source}」不是有效的 TOML：{exc}") from None
    profile = parse_profile(data, source)
    _CACHE[cache_key] = profile
    return profile
