"""The rule catalogue: every check has a stable code, a default severity and a documentation page.

A rule is a plain function from a CheckContext to findings (beancount's validations); its
docstring is its documentation, with the sections 检查内容 / 原因 / 错误示例 / 正确示例 / 依据,
printed by `perfeval explain CODE` (ruff's `rule`). Rules that the reader or the file opener
raise (PE6xx, PE9xx) are registered with `func=None` so they are documented all the same.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..core.findings import Finding, Severity

__all__ = ["Rule", "RULES", "rule", "documented", "get_rule", "matches"]


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    severity: Severity
    func: Callable[..., Iterable[Finding]] | None
    doc: str


RULES: dict[str, Rule] = {}


def rule(code: str, title: str, severity: Severity = Severity.ERROR):
    def deco(func):
        RULES[code] = Rule(code, title, severity, func, inspect.cleandoc(func.__doc__ or ""))
        return func

    return deco


def documented(code: str, title: str, severity: Severity, doc: str) -> None:
    """A rule raised elsewhere (reader, opener): documented here, produced there."""
    RULES[code] = Rule(code, title, severity, None, inspect.cleandoc(doc))


def get_rule(code: str) -> Rule | None:
    return RULES.get(code.strip().upper())


def matches(code: str, patterns: Iterable[str]) -> bool:
    """'PE1' and 'PE10' select by prefix, 'PE101' by code."""
    return any(code.startswith(p.strip().upper()) for p in patterns if p.strip())
