"""丽江市古城区自然资源局 2020年度项目支出绩效自评表（省级自然资源卫片执法补助经费）— 云南 丽江. Cut off.

Stored in traditional characters with pinyin glosses, as a repost site shows it.
"""

from decimal import Decimal as D

from tests.data.real.dsl import Expect, Ind, Sheet, num, pct

SOURCE = "http://m.jjiadianqingjie.com.cn/changyong/13241.html"
PROVINCE = "云南省"
UNIT = "丽江市古城区自然资源局"
KIND = "project"
YEAR = 2020
SPLIT = "tune"

NOTES = """\
Typed from a repost page ('最新資訊 … 來源: 微信公眾號:yn2553', not typed) that shows the unit's table
converted to traditional characters with pinyin glosses after some characters ('項(xiàng)目', '預(yù)算',
'執(zhí)行', '指標(biāo)', '結(jié)轉(zhuǎn)'). Every cell is typed AS STORED, glosses included; the cells are separated by '|'.
- CUT OFF: the stored copy ends in the 滿意度指標(biāo) row after its 分值 ('… | 95 | 10.00 |', no 得分); that row
  is left out. The sheet ends with the 效益指標(biāo) row (row 16); no 總分 row is shown.
- Layout is the Yunnan '公开' project table (as yunnan-minglang-2022-proj, without its '公开14表' line):
  年度指標(biāo)值 over 指標(biāo)性質(zhì) | 指標(biāo)值 | 度量單位 on a second header row (targets are their concatenation);
  實(shí)際完成值 / 分值 / 得分 / 偏差 merged down both header rows. Column positions inferred from minglang.
- The sub-row 其中:當(dāng)年財政撥款 shows '7.29 | 7.29 | 7.29 | 100%' — the 100% is put under 執(zhí)行率 with 分值
  and 得分 empty (inferred). 上年結(jié)轉(zhuǎn)資金 and 其他資金 are empty.
- The comparator '﹦' is U+FE66 (small equals sign), typed as stored. Completions are bare numbers (100, 95)
  under '%' targets. Weights/scores shown '10.00', '20.00', '9.00' are typed as numbers with a 0.00 format,
  '20', '19' as plain numbers (the table mixes both).
- 預(yù)期目標(biāo) and 實(shí)際完成情況 are the same words ('自然資源衛(wèi)片執(zhí)法補(bǔ)助經(jīng)費(fèi)').
- The search tool folds full-width punctuation to half-width ('其中:', '(萬元)'); typed as given.
"""

W = {"A": 10, "B": 12, "C": 24, "D": 8, "E": 10, "F": 8, "G": 12, "H": 8, "I": 8, "J": 20}

N = None
F2 = "0.00"
ROWS = [
    ["2020年度項(xiàng)目支出績效自評表", N, N, N, N, N, N, N, N, N],  # 1
    ["項(xiàng)目名稱", N, "2020年省級自然資源衛(wèi)片執(zhí)法補(bǔ)助經(jīng)費(fèi)支出績效自評表", N, N, N, N, N, N, N],  # 2
    ["主管部門", N, "麗江市自然資源和規(guī)劃局", N, N, "實(shí)施單位", N, "麗江市古城區(qū)自然資源局", N, N],  # 3
    ["項(xiàng)目資金\n(萬元)", N, N, N, "年初預(yù)算數(shù)", "全年預(yù)算數(shù)", "全年執(zhí)行數(shù)", "分值", "執(zhí)行率", "得分"],  # 4
    [N, N, "年度資金總額", N, num("7.29"), num("7.29"), num("7.29"), num("10.00", F2), pct("100%"),
     num("10.00", F2)],  # 5
    [N, N, "其中:當(dāng)年財政撥款", N, num("7.29"), num("7.29"), num("7.29"), N, pct("100%"), N],  # 6
    [N, N, "上年結(jié)轉(zhuǎn)資金", N, N, N, N, N, N, N],  # 7
    [N, N, "其他資金", N, N, N, N, N, N, N],  # 8
    ["年度\n總體\n目標(biāo)", N, "預(yù)期目標(biāo)", N, N, N, "實(shí)際完成情況", N, N, N],  # 9
    [N, N, "自然資源衛(wèi)片執(zhí)法補(bǔ)助經(jīng)費(fèi)", N, N, N, "自然資源衛(wèi)片執(zhí)法補(bǔ)助經(jīng)費(fèi)", N, N, N],  # 10
    ["績效指標(biāo)", N, N, "年度指標(biāo)值", N, N, "實(shí)際完成值", "分值", "得分", "偏差原因分析及改進(jìn)措施"],  # 11
    ["一級\n指標(biāo)", "二級指標(biāo)", "三級指標(biāo)", "指標(biāo)性質(zhì)", "指標(biāo)值", "度量單位", N, N, N, N],  # 12
    ["產(chǎn)出指標(biāo)", "數(shù)量指標(biāo)", "衛(wèi)片執(zhí)法補(bǔ)助經(jīng)費(fèi)", "﹦", 72890, "元", 72890, num("10.00", F2),
     num("9.00", F2), N],  # 13
    [N, "質(zhì)量指標(biāo)", "項(xiàng)目驗(yàn)收合格率", "﹦", 100, "%", 100, 20, 19, N],  # 14
    [N, "時效指標(biāo)", "項(xiàng)目完成及時率", "﹦", 100, "%", 100, num("20.00", F2), num("19.00", F2), N],  # 15
    ["效益指標(biāo)", "社會效益指標(biāo)", "違法行為責(zé)停率", "≥", 95, "%", 95, num("30.00", F2), num("27.00", F2), N],  # 16
]

SHEETS = [
    Sheet(
        name="Sheet1",
        rows=ROWS,
        merges=[
            "A1:J1", "A2:B2", "C2:J2", "A3:B3", "C3:E3", "F3:G3", "H3:J3",
            "A4:B8", "C4:D4", "C5:D5", "C6:D6", "C7:D7", "C8:D8",
            "A9:B10", "C9:F9", "G9:J9", "C10:F10", "G10:J10",
            "A11:C11", "D11:F11", "G11:G12", "H11:H12", "I11:I12", "J11:J12",
            "A13:A15",
        ],
        widths=W,
    )
]

_met = "met, rule gives full {w}; stated {s} is a deduction on a met target with no reason"

EXPECT = Expect(
    kind="project",
    name="2020年省級自然資源衛(wèi)片執(zhí)法補(bǔ)助經(jīng)費(fèi)支出績效自評表",
    year=2020,
    money_unit="万元",
    budget=[
        ("年度資金總額", "7.29", "7.29", "7.29"),
        ("其中:當(dāng)年財政撥款", "7.29", "7.29", "7.29"),
        ("上年結(jié)轉(zhuǎn)資金", "", "", ""),
        ("其他資金", "", "", ""),
    ],
    execution_rate=D("1.0000"),
    execution_weight=D("10"),
    execution_score=D("10.00"),
    indicators=[
        Ind(13, "產(chǎn)出指標(biāo)", "數(shù)量指標(biāo)", "衛(wèi)片執(zhí)法補(bǔ)助經(jīng)費(fèi)", "﹦72890元", "72890", "10", "9", D("10"),
            "'﹦' (read as =) 72890元, completion 72890 (→ 元) " + _met.format(w=10, s=9)),
        Ind(14, "產(chǎn)出指標(biāo)", "質(zhì)量指標(biāo)", "項(xiàng)目驗(yàn)收合格率", "﹦100%", "100", "20", "19", D("20"),
            "'﹦'100%, completion 100 (→ %) " + _met.format(w=20, s=19)),
        Ind(15, "產(chǎn)出指標(biāo)", "時效指標(biāo)", "項(xiàng)目完成及時率", "﹦100%", "100", "20", "19", D("20"),
            "'﹦'100%, completion 100 (→ %) " + _met.format(w=20, s=19)),
        Ind(16, "效益指標(biāo)", "社會效益指標(biāo)", "違法行為責(zé)停率", "≥95%", "95", "30", "27", D("30"),
            "≥95%, completion 95 (→ %) " + _met.format(w=30, s=27)),
    ],
    dropped_placeholders=0,
    stated_total=None,
    hand_total=D("90.00"),
    hand_grade="优",
    provisional=0,
    profile="national-project",
    findings=[
        ("PE505", "G10"),  # 實(shí)際完成情況 copies 預(yù)期目標(biāo)
        ("PE401", "I13"), ("PE404", "I13"), ("PE403", "J13"),
        ("PE401", "I14"), ("PE404", "I14"), ("PE403", "J14"),
        ("PE401", "I15"), ("PE404", "I15"), ("PE403", "J15"),
        ("PE401", "I16"), ("PE404", "I16"), ("PE403", "J16"),
    ],
    quiet_rows=[],
    narrative=(
        "Every indicator shown is met exactly (72890元, 100%, 100%, 95%) and every one was marked down by 10% "
        "(9/10, 19/20, 19/20, 27/30) with no reason — the rules give full marks. 7.29万元 spent of 7.29. The "
        "satisfaction row is cut off before its 得分, so the hand total 90.00 covers execution (10), 产出 "
        "(50) and 效益 (30). The repost's pinyin glosses are kept in every label."
    ),
    truncated=True,
)
