"""The planted test batch: the seed, the real-form corpus, two generated departments, one planted.

- 01-人社局.xlsx: the seed as published (its 履职效果 rows copied from a 编办 form);
- 02-教育局.xlsx: a generated 教育局 form into which three of the seed's rows and the seed's
  “存在的问题” paragraph are planted;
- 03-卫健局.xlsx: a generated 卫生健康局 form, untouched;
- every workbook of the real-form corpus that is there (tests/data/real/xlsx/), untouched;
- last/教育局2022.xlsx: last year's 教育局 form, its 义务教育巩固率 target one point higher (so
  this year's is lowered below last year's actual), its narrative that of another year.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from perfeval.batch import expand_paths
from perfeval.loader import load_forms
from perfeval.review import Review, review_batch

from . import forms as F

REAL = Path(__file__).resolve().parents[1] / "data" / "real" / "xlsx"
PLANTED_ROWS = ("机构编制实名制管理", "事业单位改革", "综合行政执法改革")
PLANT_AT = 6  # after the sixth of the 教育局's own indicators
LOWERED = "义务教育巩固率"


@dataclass(frozen=True)
class Batch:
    root: Path
    this_year: Path
    last_year: Path
    seed: Path
    education: Path
    health: Path
    last_education: Path
    corpus: tuple[Path, ...]
    education_rows: tuple  # the 教育局's rows in form order (planted ones included)
    last_rows: tuple


def education_rows() -> list:
    own = list(F.EDUCATION)
    planted = [F.seed_row(name) for name in PLANTED_ROWS]
    return F.COMMON + own[:PLANT_AT] + planted + own[PLANT_AT:] + [F.SATISFACTION]


def last_year_rows() -> list:
    rows = [list(r) for r in F.COMMON + F.EDUCATION + [F.SATISFACTION]]
    for r in rows:
        if r[2] == LOWERED:
            r[3] = "≥99%"  # this year's is ≥98%; last year's actual 99.2% beats it
    return [tuple(r) for r in rows]


LAST_YEAR_NARRATIVE = {
    "functions": F.EDUCATION_NARRATIVE["functions"],  # functions repeat every year: not a finding
    "staffing": F.EDUCATION_NARRATIVE["staffing"],
    "overall_goal": "推进义务教育优质均衡发展创建，补齐农村学校办学条件短板，稳步提高学前教育保教质量。",
    "goal_completion": "2022年全县义务教育巩固率99.2%，学前三年毛入园率91%，新建改建农村幼儿园6所。",
    "problems": "一是寄宿制学校生活设施不足。二是教师年龄结构偏大，青年教师补充渠道有限。",
    "measures": "一是争取寄宿制学校改造项目资金。二是通过特岗计划和公开招聘补充青年教师。",
    "issuer": "正宁县教育局",
    "report_date": "2023年3月9日",
}


def build_batch(root: Path) -> Batch:
    this_year, last_year = root / "本年", root / "上年"
    seed = F.write(F.seed(), this_year / "01-人社局.xlsx")
    narrative = dict(F.EDUCATION_NARRATIVE, problems=F.seed().narrative.text("problems"))
    rows = education_rows()
    education = F.write(F.education(rows=rows, narrative=narrative), this_year / "02-教育局.xlsx")
    health = F.write(F.health(), this_year / "03-卫健局.xlsx")
    corpus = []
    for src in sorted(REAL.glob("*.xlsx")):
        if "zhengningrsj" in src.name:
            continue  # the seed's own published form: the batch has the seed already (planted from)
        corpus.append(Path(shutil.copy(src, this_year / src.name)))
    last = last_year_rows()
    last_education = F.write(F.education(2022, rows=last, narrative=LAST_YEAR_NARRATIVE),
                             last_year / "教育局2022.xlsx")
    return Batch(root=root, this_year=this_year, last_year=last_year, seed=seed, education=education,
                 health=health, last_education=last_education, corpus=tuple(corpus),
                 education_rows=tuple(rows), last_rows=tuple(last))


@pytest.fixture(scope="session")
def batch(tmp_path_factory) -> Batch:
    return build_batch(tmp_path_factory.mktemp("review-batch"))


@pytest.fixture(scope="session")
def reviewed(batch) -> Review:
    this = list(load_forms(expand_paths([batch.this_year]), jobs=1))
    last = list(load_forms(expand_paths([batch.last_year]), jobs=1))
    return review_batch(this, last)
