"""The rules: each a plain function from a CheckContext to violations, registered with its code.

A rule body says only where and what (`yield Violation(cell, message)`), as sqlfluff's
`LintResult` and ruff's `Diagnostic` do; `run_rule` stamps the code, the severity and the file
from the registration. The docstring is the rule's documentation (检查内容 / 原因 / 错误示例 /
正确示例 / 依据), entered into the one code catalogue (`core.codes`) that `perfeval explain` reads.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..core.codes import CODES, Code, register
from ..core.findings import Finding, Severity
from ..core.model import Loc, Value

__all__ = ["Rule", "RULES", "Violation", "rule", "get_rule", "matches", "run_rule"]


@dataclass(frozen=True)
class Violation:
    """What a rule found and where; the runner makes a Finding of it."""

    where: Value | Loc | None
    message: str
    expected: object = None
    actual: object = None
    severity: Severity | None = None  # a milder or stronger case than the rule's default
    code: str | None = None  # only for rules that forward several codes (see `forwards`)


@dataclass(frozen=True)
class Rule:
    code: str
    func: Callable[..., Iterable[Violation]]
    forwards: tuple[str, ...] = ()  # further codes this rule may emit (each in the catalogue)

    @property
    def info(self) -> Code:
        return CODES[self.code]

    @property
    def title(self) -> str:
        return self.info.title

    @property
    def severity(self) -> Severity:
        return self.info.severity

    @property
    def doc(self) -> str:
        return self.info.doc


RULES: dict[str, Rule] = {}


def rule(code: str, title: str, severity: Severity = Severity.ERROR, *, forwards: tuple[str, ...] = ()):
    """Register a check under `code`; its docstring is the documentation."""

    def deco(func):
        register(code, title, severity, inspect.cleandoc(func.__doc__ or ""))
        RULES[code] = Rule(code, func, forwards)
        return func

    return deco


def run_rule(r: Rule, ctx) -> Iterator[Finding]:
    allowed = {r.code, *r.forwards}
    for v in r.func(ctx):
        code = v.code or r.code
        if code not in allowed:  # a programming error, caught by the tests of the rule
            raise ValueError(f"rule {r.code} emitted {code}, which it does not declare")
        loc = v.where.loc if isinstance(v.where, Value) else v.where
        yield Finding(
            code=code,
            severity=v.severity or CODES[code].severity,
            sheet=loc.sheet if loc else "",
            cell=loc.cell if loc else "",
            message=v.message,
            expected=None if v.expected is None else str(v.expected),
            actual=None if v.actual is None else str(v.actual),
            file=ctx.form.source,
        )


def get_rule(code: str) -> Rule | None:
    return RULES.get(code.strip().upper())


def matches(code: str, patterns: Iterable[str]) -> bool:
    """'PE1' and 'PE10' select by prefix, 'PE101' by code."""
    return any(code.startswith(p.strip().upper()) for p in patterns if p.strip())
