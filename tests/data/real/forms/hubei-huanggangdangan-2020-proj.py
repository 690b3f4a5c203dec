"""黄冈市档案馆 2020年度项目绩效自评表（档案抢救与保护等专项经费）— 湖北 黄冈. Cut off before the indicators.

Stored in traditional characters with pinyin glosses, as a document-preview site shows it.
"""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Sheet, pct

SOURCE = "http://bubsandbeans.com/paper/218226069.html"
PROVINCE = "湖北省"
UNIT = "黄冈市档案馆"
KIND = "project"
YEAR = 2020
SPLIT = "tune"

NOTES = """\
Typed from the stored text of a document-preview page ('黃岡市檔案館2020年度_第1頁 … 全文預(yù)覽已結(jié)束'): the
site converted the text to traditional characters and inserted pinyin glosses after some characters
('預(yù)算', '執(zhí)行', '數(shù)', '經(jīng)費', '持續(xù)', '指標(biāo)'). Everything is typed AS STORED, glosses included — the
cells are what the importer will meet if such a copy is keyed in. The page runs all cells together with no
separators; the cell boundaries follow the template's field names.
- The lead described this as a 部门整体 form; the stored text is the unit's 項目績效自評表 (附件2, after the
  項目績效自評報告 which says '自評得分100分' — that is report text, not the form, and is not typed).
- The preview's page marker '2、' falls inside the title ('項目績效自' / '2、評表'); it is the site's page
  number, not form text, and is left out: the title is typed '附件2:黃岡市檔案館2020年度項目績效自評表'.
- CUT OFF: the stored copy ends inside the indicator header ('年度績效指標(biāo)一級指標(biāo)二級指標(biāo)三級指'),
  so the header row is left out and the sheet ends with the budget row. indicators=[]; the hand total is
  the execution score alone.
- Layout is the Hubei 2020 project template (as hubei-huangshitushuguan-2022-proj): 項目類別/屬性/類型 rows
  (their tick boxes are not in the text), '預(yù)算執(zhí)行情況(萬元)(20分) | 預(yù)算數(shù)(A) | 執(zhí)行數(shù)(B) |
  執(zhí)行率(B/A) | 得分(20分*執(zhí)行率)' and one row '年度財政資金總額 10萬 10萬 100% 20'. The amounts are typed
  as text with their unit ('10萬'); 100% as an Excel percent; 20 as a number. 主管部門 is empty.
- The 20分 execution weight is the form's own ('(20分)', '得分(20分*執(zhí)行率)').
- The search tool folds full-width punctuation to half-width; typed as given.
"""

W = {"A": 22, "B": 16, "C": 16, "D": 16, "E": 20}

N = None
ROWS = [
    ["附件2:黃岡市檔案館2020年度項目績效自評表", N, N, N, N],  # 1
    ["單位名稱:黃岡市檔案館", N, N, "填報日期:2021年4月", N],  # 2
    ["項目名稱", "檔案搶救與保護、檔案工作考評、查詢利用、檔案資料征集、數(shù)字化、編研、陳列等專項經(jīng)費", N, N, N],  # 3
    ["主管部門", N, "項目實施單位", "黃岡市檔案館", N],  # 4
    ["項目類別", "1、上級專項 2、本級專項", N, N, N],  # 5
    ["項目屬性", "1、持續(xù)性項目 2、新增性項目", N, N, N],  # 6
    ["項目類型", "1、一次性撥付項目 2、多次撥付項目", N, N, N],  # 7
    ["預(yù)算執(zhí)行情況(萬元)(20分)", "預(yù)算數(shù)(A)", "執(zhí)行數(shù)(B)", "執(zhí)行率(B/A)", "得分(20分*執(zhí)行率)"],  # 8
    ["年度財政資金總額", "10萬", "10萬", pct("100%"), 20],  # 9
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=["A1:E1", "A2:C2", "D2:E2", "B3:E3", "D4:E4", "B5:E5", "B6:E6", "B7:E7"],
        widths=W,
    )
]

EXPECT = Expect(
    kind="project",
    name="檔案搶救與保護、檔案工作考評、查詢利用、檔案資料征集、數(shù)字化、編研、陳列等專項經(jīng)費",
    year=2020,
    money_unit="万元",
    budget=[
        ("年度財政資金總額", "", "10萬", "10萬"),
    ],
    execution_rate=D("1.0000"),
    execution_weight=D("20"),
    execution_score=D("20.00"),
    indicators=[],
    dropped_placeholders=0,
    stated_total=None,
    hand_total=D("20.00"),
    hand_grade="差",
    provisional=0,
    profile="",
    findings=[],
    quiet_rows=[],
    narrative=(
        "Only the header and the budget block survive in the stored copy: 10萬 of 10萬 spent (100%), scored on "
        "the form's own 20-point execution weight → 20.00. The labels carry the preview site's pinyin glosses."
    ),
    truncated=True,
)
