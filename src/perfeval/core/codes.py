"""Every code a user can see: its title, default severity, whether it ends the reading, its docs.

One catalogue (ruff's `codes.rs`, sqlfluff's rule registry): checks register here through
`checks.registry.rule`, and everything else — the reader, the file opener, the importer,
consolidation, profiles, outputs, the worksheet functions — is defined below as data. A code is
never emitted without being here: `perfeval explain CODE` documents all of them, and a test scans
the sources for code literals that are missing.

A doc follows the rule pages' sections: 检查内容 / 原因 / 错误示例 / 正确示例 / 依据.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from .findings import Severity

__all__ = ["Code", "CODES", "FAMILIES", "register", "code_info", "severity_of", "is_fatal"]

FAMILIES: dict[str, str] = {
    "1": "预算执行",
    "2": "分值与得分",
    "3": "指标值与完成值",
    "4": "评分判断",
    "5": "报告素材与表格",
    "6": "工作簿结构",
    "7": "汇总与复核",
    "8": "导入",
    "9": "文件、规则与命令",
}


@dataclass(frozen=True)
class Code:
    code: str
    title: str
    severity: Severity
    doc: str
    fatal: bool = False  # an error with this code leaves no form to check

    @property
    def family(self) -> str:
        return FAMILIES.get(self.code[2:3], "")


CODES: dict[str, Code] = {}


def register(code: str, title: str, severity: Severity, doc: str, *, fatal: bool = False) -> Code:
    if code in CODES:
        raise ValueError(f"code {code} registered twice")
    entry = Code(code, title, severity, inspect.cleandoc(doc), fatal)
    CODES[code] = entry
    return entry


def code_info(code: str) -> Code | None:
    return CODES.get(code.strip().upper())


def severity_of(code: str) -> Severity:
    entry = CODES.get(code)
    return entry.severity if entry is not None else Severity.ERROR


def is_fatal(code: str) -> bool:
    entry = CODES.get(code)
    return entry is not None and entry.fatal


def _doc(what: str, why: str, wrong: str, right: str, basis: str) -> str:
    return f"检查内容：{what}\n原因：{why}\n错误示例：{wrong}\n正确示例：{right}\n依据：{basis}"


# ----------------------------------------------------------------------------- PE6xx workbook
register("PE601", "缺少模板工作表", Severity.ERROR, _doc(
    "工作簿中是否有模板的工作表（自评表、报告素材、下属单位、评分规则、校验结果、隐藏的配置表）。",
    "缺少“自评表”而又认不出其他版式的自评表时，没有可检查的内容；缺少其他表会丢失报告素材或汇总信息（此时为警告）。",
    "把自评表复制到新工作簿后上报；删除了“报告素材”表。",
    "直接在模板中填写；其他版式的旧表可直接校验，或先用 perfeval import 转换。",
    "模板结构（由读取程序检查）。"), fatal=True)
register("PE602", "模板标识或版本不符", Severity.ERROR, _doc(
    "隐藏配置表中的模板标识、版本和表格类型是否与本程序一致。",
    "版本不同的模板单元格位置可能不同，按错位的地址读取会把数字读进错误的栏目。",
    "用旧版模板填写后用新版程序校验。",
    "用“新建”生成当前版本的模板，把内容复制过去。",
    "模板结构（由读取程序检查）。"))
register("PE603", "模板的行或列被插入、删除或移动", Severity.ERROR, _doc(
    "自评表和报告素材中的固定标签（“年度资金预算情况”“一级指标”“合计”……）是否仍在原位置。",
    "插入或删除行会让后面的单元格全部错位；为避免读错，发现错位时停止读取并指出位置。",
    "在预算块中删除了“其中：基本支出”一行。",
    "不要插入或删除行；指标行不够时使用空白指标行（模板预留 60 行）。",
    "模板结构（由读取程序检查）。"), fatal=True)
register("PE604", "数字栏中填了文字或日期", Severity.ERROR, _doc(
    "金额等数字栏（年初预算数、全年预算数、实际支出数、下属单位资金额度）和年度中是否是数字。",
    "文字或日期无法参与计算，执行率和汇总都会出错；单元格设成日期格式时，1745.81 会显示成 1904 年的某一天。",
    "全年预算数填“一千七百万”或“1745.81万元”；全年预算数单元格被设成了日期格式。",
    "1745.81（单位万元已在表头注明），单元格格式为“常规”或“数值”。",
    "模板结构（由读取程序检查）。"))
register("PE607", "工作表保护被取消", Severity.WARNING, _doc(
    "自评表的工作表保护和工作簿结构保护是否仍然开启。",
    "保护用来防止误改公式和表格结构（不是保密措施，没有密码）；取消保护后公式容易被覆盖。",
    "撤销工作表保护后修改了得分公式。",
    "保持保护；确需修改结构时使用“新建”生成新模板。",
    "模板结构（由读取程序检查）。"))

# ----------------------------------------------------------------------------- PE7xx consolidation
register("PE701", "没有可以汇总的单位自评表", Severity.ERROR, _doc(
    "汇总命令是否拿到了至少一份可以读取、类型相同的单位自评表。",
    "汇总要以部门本级和所属单位的自评表为基础；一份也读不出时没有可汇总的内容。",
    "给出的文件夹中只有无法打开的文件，或全是项目支出表而汇总的是部门整体表。",
    "检查文件是否齐全、能否打开；部门整体表与项目支出表分开汇总。",
    "seed 自评表注 2：部门整体支出绩效自评结果应根据部门本级和所属单位整体支出自评情况汇总形成。"),
    fatal=True)
register("PE702", "数值与权重无法加权平均", Severity.ERROR, _doc(
    "按资金额度加权平均时（单元格函数 WAVG、汇总命令），数值与权重是否一一对应、都是数字、权重之和不为 0。",
    "相对值和定性得分要以资金额度为权重加权平均；缺少或多出权重，结果就没有意义。",
    "=WAVG(E2:E10, C2:C9)（两个区域行数不同）；某单位资金额度为空。",
    "两个区域等长；每个单位都有资金额度。",
    "seed 自评表注 2：相对值按照资金额度加权平均计算。"))
register("PE703", "同一份自评表被提供了不止一次", Severity.WARNING, _doc(
    "汇总的输入中是否有同一个文件出现多次：同一路径的不同写法（单位1.xlsx 与 ./单位1.xlsx）、链接，或内容完全相同"
    "的副本；以及文件夹中此前生成的汇总结果（含“汇总说明”表）。",
    "每份自评表只能计入一次：重复计入会让金额翻倍、权重失真；文件夹中的旧汇总结果已含各单位的数，再计入也是重复。",
    "perfeval consolidate 本级.xlsx 单位1.xlsx ./单位1.xlsx -o 汇总.xlsx；单位文件夹里留着上次的 汇总.xlsx。",
    "每个单位的自评表只给一次；重复的文件已跳过并列在“汇总说明”的“未计入汇总的文件”中。"
    "确需把汇总结果作为单位（上一级汇总）时，单独列出该文件。",
    "seed 自评表注 2（部门本级和所属单位的自评情况各计一次）。"))
register("PE704", "单位之间的数值无法相加或平均（待核实）", Severity.WARNING, _doc(
    "同一指标在各单位的完成值能否按同一计量单位相加或加权：每个单位的完成值是否是与其年度指标值同一单位的数值，"
    "各单位的计量单位是否相同，是否有的填数值、有的填文字。",
    "一个单位填“4个”、另一个填“100%”，或完成值是文字，强行相加会得出没有意义的数（如把 100% 当作 1 个机构）；"
    "该行在汇总表中标为“待核实”、不计分，“汇总说明”列出各单位的值，请核实后人工填写。",
    "年度指标值“整合组建了4个机构”，完成值填 100%（单元格显示为百分数）；或年度指标值“≥100人”，完成值“已完成”。",
    "按年度指标值的计量单位填写完成值（如“4个”）；定性指标填完成比例（如 95%）。",
    "seed 自评表注 2：绝对值直接累加，相对值按资金额度加权平均。"))
register("PE705", "单位自评表与汇总表类型不同", Severity.WARNING, _doc(
    "参与汇总的单位自评表是否与汇总表是同一类型（部门整体支出或项目支出）。",
    "两类表的一级指标和预算栏不同，不能合并；类型不同的表未参与汇总。",
    "汇总部门整体支出时混入了项目支出自评表。",
    "把项目支出自评表另行汇总。",
    "财预〔2020〕10号；seed 自评表。"))

# ----------------------------------------------------------------------------- PE8xx import
_IMPORT_WHY = ("各单位的旧表是手工制作的，版式各不相同；导入程序按标题文字找到各栏，找不到或放不下的内容一律报告出来，"
               "不会悄悄丢弃。")
_IMPORT_FIX = "核对导入时打印的“源单元格 → 模板栏目”对照表，把未能放置的内容补填到模板相应位置。"


def _import(code: str, title: str, severity: Severity, what: str, wrong: str, *, fatal: bool = False) -> None:
    register(code, title, severity, _doc(f"导入其他版式的自评表（perfeval import，或直接校验非模板文件）时，{what}",
                                         _IMPORT_WHY, wrong, _IMPORT_FIX, "导入程序的对照规则（见 perfeval import 输出的对照表）。"),
             fatal=fatal)


_import("PE801", "表头未找到", Severity.ERROR,
        "在工作簿或文档中找不到自评表的指标表头（至少要有“年度指标值”和“实际完成值”两列标题及另一项指标列标题）。"
        "消息列出未找到的标题；此时不导入任何内容。",
        "表头写成“指标完成情况”而没有“实际完成值”一类的标题。", fatal=True)
_import("PE802", "缺少必需列", Severity.ERROR,
        "找到了表头，但缺少某一必需列（三级指标、分值、得分，或预算表的年初预算数、全年预算数、实际支出数、执行率）；"
        "该列的值无法导入。缺一级、二级指标列为警告。",
        "指标表没有“分值”列。")
_import("PE803", "未能放置的单元格", Severity.WARNING,
        "表格区域内有内容的单元格既不是标题，也无法对应到自评表的任何字段（例如没有列标题的列中的数值）。"
        "内容未丢失：见导入结果的“未能放置的单元格”清单。",
        "表格右侧另起一列写了备注，却没有列标题。")
_import("PE804", "合并单元格异常", Severity.WARNING,
        "指标表中出现了一级、二级指标以外的纵向合并（值只计入第一行），或一个合并单元格横跨了几个字段列"
        "（值只计入左上角所在的列）。",
        "“实际完成值”一格合并了三个指标行。")
_import("PE805", "发现多个自评表", Severity.WARNING,
        "同一工作簿（或同一工作表、同一文档）中有不止一份自评表表头；只导入了第一份，其余内容列为未能放置。",
        "一个工作表里先后放了两个项目的自评表。")
_import("PE806", "未找到预算执行情况", Severity.WARNING,
        "没有找到“年度资金预算情况”一栏（年初预算数、全年预算数、实际支出数/全年执行数、执行率等列标题），"
        "导入的表中没有预算行。",
        "只上报了指标表部分。")
_import("PE807", "无法识别的资金行", Severity.WARNING,
        "预算栏中某一行的行名不是全年支出、基本支出、项目支出、年度资金总额、财政拨款、上年结转、其他资金之一；"
        "该行的值列为未能放置。",
        "预算栏多了一行“专项资金”。")
_import("PE808", "其他工作表未导入", Severity.INFO,
        "工作簿中另有含内容的工作表，其中没有自评表，未导入。",
        "工作簿中还有“Sheet2”，写着草稿。")
_import("PE809", "缺少基本信息", Severity.WARNING,
        "没有找到部门（单位）名称/项目名称，或标题及单元格中都没有年度。",
        "表头只有“自评表”三个字，没有单位名称。")
_import("PE810", "工作表不存在", Severity.ERROR,
        "指定导入的工作表在工作簿中不存在。",
        "perfeval import 旧表.xlsx --sheet 自评表，而工作表名为“Sheet1”。", fatal=True)
_import("PE811", "模板占位行未导入", Severity.INFO,
        "指标表中只写着“指标1”“指标2”“……”而没有任何数值的行，是模板的占位行，不是指标，未导入也不计分。",
        "“数量指标 | 指标1 | （空）”。")
_import("PE812", "合计与分项不一致，按分项计算", Severity.WARNING,
        "预算栏的合计行（年度资金总额、全年支出）为空或为 0，而其下的资金来源或支出分项填了金额；"
        "执行率和执行率得分按分项之和计算。",
        "年度资金总额 0 / 0 / 0，其中本年财政拨款 90 / 89.974 / 89.974。")

# ----------------------------------------------------------------------------- PE9xx files, profiles, commands
_OPEN_WHY = ("上报文件经邮件、U 盘传递，可能损坏、被加密、是别的格式或被改了扩展名，个别可能是恶意构造的文件；程序在解析之前逐项检查，"
             "任何一项不通过都给出此代码和原因，批量校验继续处理下一个文件。")
_OPEN_FIX = "在 Excel 或 WPS 中打开后“另存为”Excel 工作簿（*.xlsx），去掉打开密码后重新上报。"
for _code, _title, _wrong in (
    ("PE901", "文件不存在或无法读取", "文件名写错；给出的是文件夹。"),
    ("PE902", "文件为空", "附件只下载了 0 字节。"),
    ("PE903", "不是可识别的文件格式", "把 .txt 改名为 .xlsx。"),
    ("PE904", "旧版 .xls 格式无法读取", "Excel 97-2003 工作簿已损坏或使用了不支持的功能。"),
    ("PE905", "已加密（设置了打开密码）", "用“文件→信息→保护工作簿→用密码进行加密”设置了密码。"),
    ("PE906", "缺少必需部件", "压缩包中缺少 [Content_Types].xml 或工作表部件。"),
    ("PE907", "文件损坏、截断或校验错误", "邮件附件只下载了一半。"),
    ("PE908", "疑似压缩炸弹", "解压后体积是原文件的上千倍。"),
    ("PE909", "XML 格式错误", "工作表 XML 的标签没有闭合。"),
    ("PE910", "XML 含 DTD 或实体声明", "工作表中嵌入了 <!DOCTYPE> 和实体定义（XML 炸弹或外部实体攻击）。"),
    ("PE911", "工作表尺寸异常", "一个工作表有几百万行，或合并区域覆盖整张表。"),
    ("PE912", "共享字符串过多或过大", "共享字符串表有上千万条。"),
    ("PE913", "文件被其他程序占用或无权限", "文件正在 Excel 或 WPS 中打开并被锁定；没有读取权限。"),
    ("PE914", "不支持的文件类型", "上报了 .csv、.xlsb、扫描件 PDF，或把网页另存成了 .xls。"),
    ("PE915", "文件过大", "把 100 MB 以上的文件当作自评表。"),
    ("PE916", "扫描版 PDF 或图片，没有可读取的文字", "把纸质自评表扫描成 PDF 上报。"),
    ("PE917", "WPS 专用格式无法读取", "上报了 WPS 表格的 .et 文件。"),
    ("PE919", "其他无法读取的原因", "文件内部结构有本程序不认识的错误。"),
):
    register(_code, _title, Severity.ERROR, _doc(f"文件能否安全打开并读取（{_title}）。", _OPEN_WHY, _wrong, _OPEN_FIX,
                                                 "OWASP 文件上传安全建议；Office Open XML（ECMA-376）包结构。"),
             fatal=True)

register("PE920", "评分规则配置不可用", Severity.ERROR, _doc(
    "单元格函数（SCORE、EXEC_SCORE 等）或命令所用的评分规则名称或 .toml 文件能否载入，类型是否与表格一致。",
    "规则决定执行率基数、分值、档次和等级；名称写错或改坏的规则文件无法计分，单元格显示此代码和原因，命令以退出码 2 结束。",
    "--profile 甘肃省（没有这个名称）；自己改的 .toml 中 first_level 合计不是 100；对部门整体表指定项目支出规则。",
    "用 perfeval profiles 列出的名称或别名（如 gansu-department、甘肃、项目），或修正 .toml 中报错的键。",
    "规则配置（src/perfeval/profiles/*.toml）。"))
register("PE921", "工作簿指定的评分规则不可用，已改用默认规则", Severity.WARNING, _doc(
    "工作簿配置表中写的评分规则名称是否是内置规则之一。",
    "工作簿只能指定内置规则（自定义的 .toml 由使用者在命令中用 --profile 给出），以免一份上报文件读取审核人电脑上的任意文件；"
    "名称不可用时按表格类型的默认规则计分。",
    "配置表的评分规则写成“../../规则.toml”或一个不存在的名称。",
    "用“新建”时选择规则；财政局复核时用 --profile 指定规则文件。",
    "规则配置。"))

register("PE930", "输出文件已存在", Severity.ERROR, _doc(
    "要写出的文件是否已经存在。",
    "为防止覆盖已有的工作成果，输出文件已存在时不写出，除非加上 --force。",
    "perfeval report 表.xlsx -o 报告.docx，而报告.docx 已存在。",
    "换一个文件名，或确认后加 --force。",
    "本程序的输出规则（从不改写输入文件，输出先写临时文件再改名）。"))
register("PE931", "输出文件就是输入文件", Severity.ERROR, _doc(
    "输出路径是否与某个输入文件相同（包括同一文件的不同写法、链接）。",
    "输入文件永远不会被改写；写到输入文件上会毁掉原件。",
    "perfeval consolidate 本级.xlsx 单位/ -o 单位/单位1.xlsx --force。",
    "把输出写到另一个文件。",
    "本程序的输出规则。"))
register("PE932", "输出文件被占用", Severity.ERROR, _doc(
    "要覆盖的输出文件是否正被 Excel、WPS 或 Word 打开。",
    "被打开的文件在 Windows 上不能替换。",
    "上次生成的报告还在 Word 中打开，又加 --force 重新生成。",
    "关闭该文件后重试，或换一个文件名。",
    "本程序的输出规则。"))
register("PE933", "无法写出输出文件", Severity.ERROR, _doc(
    "输出文件能否写到指定位置（文件夹存在、有写入权限、磁盘未满、路径有效）。",
    "写入失败时不留下半个文件，原有文件保持不变，并说明失败的原因和路径。",
    "输出到只读的 U 盘或光盘；磁盘已满；文件名过长；路径中的某一级是文件而不是文件夹。",
    "换一个可写的文件夹，腾出磁盘空间，或缩短文件名。",
    "本程序的输出规则。"))
register("PE940", "命令参数有误", Severity.ERROR, _doc(
    "命令的参数和选项是否有效、能否一起使用。",
    "参数不对时不做任何事，说明哪个参数有误、应当怎样写，退出码 2。",
    "perfeval validate a.xlsx b.xlsx --annotate 标注.xlsx（标注只能用于单个文件）；--format xml。",
    "按 perfeval 命令 --help 的说明填写参数。",
    "命令行用法。"))
register("PE941", "输出文件的扩展名不对", Severity.ERROR, _doc(
    "输出文件的扩展名是否与要写出的内容一致（工作簿 .xlsx、报告 .docx、汇总表 .xlsx）。",
    "扩展名不对的文件双击后打不开，或被当成另一种文件。",
    "perfeval new -o 模板.docx；perfeval report 表.xlsx -o 报告.pdf（PDF 请用 export --pdf）。",
    "perfeval new -o 模板.xlsx；perfeval report 表.xlsx -o 报告.docx。",
    "命令行用法。"))
register("PE942", "没有找到可处理的文件", Severity.ERROR, _doc(
    "给出的文件和文件夹中是否有可以处理的自评表（.xlsx、.xlsm、.xls、.ods、.docx、.pdf）。",
    "批量命令要逐个处理文件；一个也没有时多半是路径写错了。",
    "perfeval summary 空文件夹/。",
    "检查路径；文件夹中放入各部门的自评表。",
    "命令行用法。"))
register("PE943", "内容超出模板容量", Severity.ERROR, _doc(
    "导入或汇总后的自评表能否放进模板（指标行、扣分行、下属单位行的行数有上限）。",
    "放不下的内容不能悄悄丢掉；超出时不写出文件，并说明超出了哪一部分、上限是多少。",
    "一份旧表有 80 个三级指标，模板预留 60 行。",
    "合并或精简指标；确需更多行的，请联系财政局统一调整模板。",
    "模板结构。"))
register("PE950", "表中有错误，不能生成正式报告", Severity.ERROR, _doc(
    "生成自评报告或导出 PDF 前，自评表是否还有“错误”级别的问题。",
    "有错误的表生成的正式报告会与表格矛盾；可以加 --draft 生成页眉标“草稿”、问题以批注标出的报告，改正后再生成正式报告。",
    "执行率按年初预算数计算、得分超过分值，仍直接生成报告报送。",
    "先按 perfeval validate 的清单改正；需要先看草稿时加 --draft。",
    "各地自评通知：自评报告应与自评表一致。"))
register("PE951", "无法转换为 PDF", Severity.ERROR, _doc(
    "导出 PDF 所需的 LibreOffice 是否已安装、转换是否成功。",
    "PDF 由 LibreOffice 转换；未安装或转换失败时不写出 PDF。",
    "在没有安装 LibreOffice 的电脑上运行 perfeval export --pdf。",
    "安装 LibreOffice（Windows 上也可用 WPS/Word 打开 .docx 后另存为 PDF）。",
    "perfeval doctor 会检查 LibreOffice。"))
register("PE960", "加载项无法安装或运行环境不完整", Severity.ERROR, _doc(
    "Excel 加载项的安装条件：Windows、Excel、xlwings 及其 DLL、加载项文件。",
    "功能区按钮和单元格函数需要加载项；不满足条件时说明缺什么、怎样补。",
    "在 Linux 上运行 perfeval addin install；Python 是 32 位而 Excel 是 64 位。",
    "按 perfeval doctor 的提示处理；表格中的得分在没有加载项时由表内公式计算。",
    "docs/excel-check.md。"))
register("PE961", "工作表有密码保护，无法写入", Severity.ERROR, _doc(
    "功能区按钮要写入的工作表（校验结果、自评表上的标注）是否被设置了密码保护。",
    "模板的保护没有密码；使用者自己加了密码的工作表，程序不会去掉或改动这个密码。",
    "给自评表设置了保护密码后点“校验”。",
    "撤销工作表保护（审阅 → 撤销工作表保护）后再点按钮，完成后可重新设置密码。",
    "Excel 工作表保护。"))
register("PE999", "内部错误", Severity.ERROR, _doc(
    "程序自身的错误（不是表格的问题）。",
    "本不应发生；为了不丢失工作，程序停止当前操作并给出此代码。",
    "单元格显示“PE999 内部错误：……”。",
    "把完整的提示文字截图发给技术支持；表格内容不受影响。",
    "—"))
