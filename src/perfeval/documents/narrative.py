"""The 自评报告's text filed under the report's sections (`core.model.NARRATIVE_SECTIONS`).

Real reports number and word their headings differently — "（一）部门主要职能", "一、部门基本情况",
"(五) 当年部门预算及执行情况", "4. 满意度指标完成情况", "（一）存在问题：一是……" with the text on
the heading's own line — so a heading is recognised by what it says, not by its number or style:
a paragraph is a heading when it is shaped like one (numbered, or in a heading style, or bold
throughout) and its heading part names a section. A numbered paragraph that names none
("（1）数量指标。2023年……") is text of the section it is in.

Each section keeps its text verbatim and where it is (sheet "正文", cell "第37段" or "第21–25段"),
so a narrative finding (PE5xx) points at the paragraph the department wrote.

Around the sections: the 文号 and the 主送机关 ("县财政局：") before the first heading, the 落款 and
the date after the last text; a date line ends the report (the 版记, attachments and the table
come after it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from ..core.model import NARRATIVE_SECTIONS, Loc, Narrative, Value
from .content import Paragraph

__all__ = ["narrative_from_paragraphs", "section_of_heading", "BODY_SHEET"]

BODY_SHEET = "正文"

# "一、" "（一）" "(一)" "1." "1、" "（1）" "第一部分" "一是"? (not: 一是 starts a sentence)
_NUMBERING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十]+[部分章节]\s*|[一二三四五六七八九十]+\s*[、.．]\s*|"
    r"[（(]\s*[一二三四五六七八九十\d]+\s*[）)]\s*|\d+(?:\.\d+)*\s*[、.．]\s*(?!\d))"
)
_HEAD_END = re.compile(r"[：:。]")
_MAX_HEADING = 40

# Ordered: the first rule whose words all appear wins. A rule with key None is a part heading
# ("一、部门概况") whose own text, if any comes before a sub-heading, goes to its fallback key.
_RULES: tuple[tuple[tuple[str, ...], tuple[str, ...], str | None], ...] = (
    # (words that must all appear, words that must not, key)
    (("问题", "措施"), (), "problems"),  # "存在的问题及改进措施": a part; its text is the problems
    (("问题", "改进"), (), "problems"),
    (("问题", "建议"), (), "problems"),
    (("各项指标",), (), None),
    (("指标完成情况",), ("产出", "效益", "满意", "效果"), None),
    (("预算调整",), (), "adjustment_reason"),
    (("调整说明",), (), "adjustment_reason"),
    (("绩效管理",), (), "management"),
    (("绩效评价工作",), (), "management"),
    (("自评工作",), (), "management"),
    (("预算", "执行"), ("绩效目标",), "budget_execution"),
    (("预算", "安排"), (), "budget_execution"),
    (("收支",), (), "budget_execution"),
    (("资金使用",), (), "budget_execution"),
    (("满意度",), (), "satisfaction_analysis"),
    (("产出",), (), "output_analysis"),
    (("效益",), (), "benefit_analysis"),
    (("效果指标",), (), "benefit_analysis"),
    (("目标", "完成"), (), "goal_completion"),
    (("目标", "实现"), (), "goal_completion"),
    (("绩效实际情况",), (), "goal_completion"),
    (("绩效目标",), (), "performance_goals"),
    (("总体目标",), (), "overall_goal"),
    (("履职目标",), (), "overall_goal"),
    (("工作目标",), (), "overall_goal"),
    (("工作任务",), (), "overall_goal"),
    (("机构设置",), (), "staffing"),
    (("人员编制",), (), "staffing"),
    (("编制",), ("绩效",), "staffing"),
    (("人员情况",), (), "staffing"),
    (("人员构成",), (), "staffing"),
    (("职能",), (), "functions"),
    (("职责",), (), "functions"),
    (("概况",), (), "functions"),
    (("基本情况",), (), "functions"),
    (("改进",), (), "measures"),
    (("措施",), (), "measures"),
    (("建议",), (), "measures"),
    (("下一步",), (), "measures"),
    (("整改",), (), "measures"),
    (("问题",), (), "problems"),
    (("不足",), (), "problems"),
)
_PART_FALLBACK = {"problems"}  # keys whose heading is a part with sub-headings of its own
_DATE = re.compile(r"^\s*(?:\d{4}|[〇零一二三四五六七八九○]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
                   r"\s*[\d一二三四五六七八九十]{1,3}\s*日\s*$")
_DOC_NUMBER = re.compile(r"[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+\s*号")
_PAGE_NUMBER = re.compile(r"^[\s\-—–－·]*\d+[\s\-—–－·]*$|^第\s*\d+\s*页.*$")


# The report's three parts, in the order every 自评报告 follows (部门概况 → 绩效实际情况 → 问题与措施).
# A heading that would go back to an earlier part is a point of the current section — "（一）加强
# 预算绩效管理" under 改进措施 is a measure, not the 绩效管理 section.
_PART_OF = {
    **dict.fromkeys(("functions", "staffing", "overall_goal", "performance_goals", "management",
                     "budget_execution", "adjustment_reason"), 1),
    **dict.fromkeys(("goal_completion", "output_analysis", "benefit_analysis", "satisfaction_analysis"), 2),
    **dict.fromkeys(("problems", "measures"), 3),
}


def _bare(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def section_of_heading(text: str) -> tuple[str | None, bool]:
    """(section key, is a part heading) for a heading's words; (None, False) when none fits."""
    bare = _bare(text)
    for needed, forbidden, key in _RULES:
        if all(w in bare for w in needed) and not any(w in bare for w in forbidden):
            return key, key is None or (len(needed) > 1 and key in _PART_FALLBACK)
    return None, False


def _heading(p: Paragraph) -> tuple[str | None, bool, str] | None:
    """(key, part, text after the heading on the same line) when `p` is a section heading."""
    text = p.text.strip()
    m = _NUMBERING.match(text)
    rest = text[m.end():] if m else text
    if m is None and not p.heading:
        return None
    # A heading never holds a full stop: "（1）数量指标。2023年……" is a lead-in whose heading part
    # is "数量指标"; "（一）存在问题：一是……" carries its text after the colon.
    colon = _HEAD_END.search(rest)
    if colon and colon.start() <= _MAX_HEADING:
        head = rest[:colon.start()]
        after = rest[colon.end():].strip() if rest[colon.start()] in "：:" else text
    elif len(_bare(rest)) <= _MAX_HEADING:
        head, after = rest, ""
    else:
        return None
    if re.search(r"[，,；;！？!?]", head):
        return None  # a sentence, however short or bold, is not a heading
    key, part = section_of_heading(head)
    if key is None and not part:
        return None
    return key, part, after


def narrative_from_paragraphs(paragraphs: Sequence[Paragraph], *, sheet: str = BODY_SHEET) -> Narrative:
    texts: dict[str, list[tuple[str, str]]] = {}  # key -> [(paragraph name, text)]
    headings: dict[str, str] = {}  # key -> the heading's paragraph, for a section left empty
    extra: dict[str, Value] = {}
    current: str | None = None
    started = False
    finished = False
    part_reached = 0
    body = [p for p in paragraphs if not _PAGE_NUMBER.match(p.text.strip())]
    for i, p in enumerate(body):
        text = p.text.strip()
        if finished:
            break
        if _DATE.match(text):
            if started:
                extra.setdefault("report_date", Value(raw=text, loc=Loc(sheet=sheet, cell=p.name)))
                finished = True
            continue
        if started and _is_issuer(body, i):
            extra.setdefault("issuer", Value(raw=text, loc=Loc(sheet=sheet, cell=p.name)))
            continue
        head = _heading(p)
        if head is not None and head[0] is not None and _PART_OF.get(head[0], 0) < part_reached:
            head = None
        if head is not None:
            key, _part, after = head
            part_reached = max(part_reached, _PART_OF.get(key, 0))
            started = True
            current = key
            if key is not None:
                headings.setdefault(key, p.name)
                texts.setdefault(key, [])
                if after:
                    texts[key].append((p.name, after))
            continue
        if not started:
            _front_matter(p, text, extra, sheet)
            continue
        if current is not None:
            texts.setdefault(current, []).append((p.name, text))
    sections = {key: _value(items, sheet, headings[key]) for key, items in texts.items()
                if key in NARRATIVE_SECTIONS}
    for key, value in extra.items():
        sections.setdefault(key, value)
    return Narrative(sections={k: sections[k] for k in NARRATIVE_SECTIONS if k in sections})


def _value(items: list[tuple[str, str]], sheet: str, heading: str) -> Value:
    if not items:
        return Value(raw="", loc=Loc(sheet=sheet, cell=heading))
    names = [n for n, _ in items]
    where = names[0] if len(names) == 1 else _span(names[0], names[-1])
    return Value(raw="\n".join(t for _, t in items), loc=Loc(sheet=sheet, cell=where))


def _span(first: str, last: str) -> str:
    a, b = re.fullmatch(r"(.*?)(\d+)段", first), re.fullmatch(r"(.*?)(\d+)段", last)
    if a and b and a.group(1) == b.group(1):
        return f"{a.group(1)}{a.group(2)}–{b.group(2)}段"
    return f"{first}–{last}"


def _is_issuer(body: Sequence[Paragraph], i: int) -> bool:
    """The 落款: a short line without a sentence's punctuation right above the date."""
    text = body[i].text.strip()
    if len(text) > 30 or re.search(r"[。，；：:,]", text):
        return False
    nxt = body[i + 1].text.strip() if i + 1 < len(body) else ""
    return bool(_DATE.match(nxt))


def _front_matter(p: Paragraph, text: str, extra: dict[str, Value], sheet: str) -> None:
    loc = Loc(sheet=sheet, cell=p.name)
    if len(text) <= 40 and _DOC_NUMBER.search(text) and "doc_number" not in extra:
        extra["doc_number"] = Value(raw=text, loc=loc)
    elif len(text) <= 30 and text.endswith(("：", ":")) and "recipient" not in extra:
        extra["recipient"] = Value(raw=text.rstrip("：:"), loc=loc)
