"""User-facing problems: what went wrong, where, and what was expected.

Every problem scast can blame on its input (a file, a row, a YAML line, a formula) is a
`Problem`; a `ScastError` carries all the problems found in one pass so a user fixes a file
in one go rather than one error per run. Nothing here prints: the CLI renders these.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    code: str  # stable machine id, e.g. "unknown-field"
    message: str  # what was found and what was expected
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    where: str | None = None  # the field, key path or row the problem is about
    severity: str = "error"  # error | warning | info
    params: dict | None = field(default=None, compare=False)  # for a message in another language

    def __str__(self) -> str:
        return self.place() + self.message

    def place(self) -> str:
        """'file:line:col: where: ', as much of it as is known."""
        place = ""
        if self.file:
            place = self.file
            if self.line is not None:
                place += f":{self.line}"
                if self.column is not None:
                    place += f":{self.column}"
            place += ": "
        return place + (f"{self.where}: " if self.where else "")

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None and k != "params"}


@dataclass
class ScastError(Exception):
    """Raised with every problem found in one input; the CLI exits 1 on it."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @classmethod
    def one(cls, message: str, **where) -> ScastError:
        return cls([Problem(code=where.pop("code", "error"), message=message, **where)])


class UsageError(ScastError):
    """Asked for something the input cannot give (e.g. an unknown --region); exit 2."""


# The error catalogue: every code a Problem can carry, with what it means in English and Chinese.
# One home: the README's table of codes is generated from it, messages under --lang zh lead with
# its Chinese title, and a test fails when the code raises a Problem whose code is not listed here.
CATALOGUE: dict[str, tuple[str, str]] = {
    # files and formats
    "file-not-found": ("a file named on the command line does not exist", "命令行中指定的文件不存在"),
    "not-a-file": ("the input is a folder, pipe or device, not a regular file", "输入不是普通文件（是文件夹、管道或设备）"),
    "file-type": ("the file's type is not one scast reads", "文件类型不受支持"),
    "unreadable": ("the file cannot be read", "文件无法读取"),
    "too-large": ("the file is larger than the limit", "文件超过大小上限"),
    "encoding": ("the text is not in a known encoding", "文件编码无法识别"),
    "bad-limit": ("a limit set in the environment is not a positive number", "环境变量设置的上限不是正数"),
    "too-many-problems": ("reading stopped after the maximum number of problems", "问题过多，已停止列出"),
    # YAML
    "yaml-syntax": ("the YAML is not well formed", "YAML 格式错误"),
    "duplicate-key": ("a key appears twice in the same mapping", "同一层中出现重复的键"),
    "too-many-aliases": ("the YAML uses more aliases than allowed", "YAML 别名过多"),
    "too-deep": ("the YAML or a formula is nested deeper than allowed", "嵌套层数过深"),
    "too-many-keys": ("the YAML has more keys than allowed", "YAML 键的数量过多"),
    "too-many-values": ("the YAML has more values than allowed", "YAML 值的数量过多"),
    "value-too-long": ("a YAML value is longer than allowed", "YAML 中的值过长"),
    "not-a-mapping": ("expected a mapping (key: value)", "应为“键: 值”形式的映射"),
    # tables
    "bad-csv": ("the CSV cannot be parsed", "CSV 无法解析"),
    "bad-xlsx": ("the workbook cannot be read as .xlsx", "无法按 .xlsx 读取该工作簿"),
    "xml-entities": ("the workbook declares XML entities (refused as unsafe)", "工作簿含 XML 实体声明（不安全，拒绝读取）"),
    "unknown-sheet": ("no sheet of that name", "没有该名称的工作表"),
    "no-header": ("no header row with a region column", "找不到含“地区”列的表头"),
    "unknown-column": ("a column matches no field", "列名与任何指标字段都不匹配"),
    "duplicate-column": ("two columns name the same field", "两列对应同一字段"),
    "too-many-rows": ("the table has more rows than allowed", "表格行数超过上限"),
    "too-many-columns": ("the table has more columns than allowed", "表格列数超过上限"),
    "too-many-cells": ("the table has more cells than allowed", "表格单元格数超过上限"),
    "cell-too-long": ("a cell is longer than allowed", "单元格内容过长"),
    "total-row": ("a 合计/总计 row (a total, not a region) is left out", "合计/总计行不是地区，已略去"),
    "uncached-formula": (
        "formula cells hold no saved result: open and save the file in Excel or WPS",
        "公式单元格没有保存计算结果：请用 Excel 或 WPS 打开后保存",
    ),
    "old-format": ("an .xls or .ods workbook: save it as .xlsx", "旧版 .xls 或 .ods 工作簿：请另存为 .xlsx"),
    "no-stdin": ("'-' reads standard input, but nothing was piped to it", "“-”表示从标准输入读取，但没有通过管道输入数据"),
    "rows-left-out": ("rows with errors were left out; the other rows were read", "有错误的行已略去，其余行照常读取"),
    # regions and figures
    "no-regions": ("the file holds no region", "文件中没有地区数据"),
    "missing-region": ("a region has no name", "缺少地区名称"),
    "duplicate-region": ("the same region appears twice", "同一地区出现两次"),
    "unknown-region": ("no region of that name in the file", "文件中没有该地区"),
    "choose-region": ("the file holds several regions: say which", "文件含多个地区，请指定其一"),
    "unknown-key": ("a key scast does not know", "无法识别的键"),
    "unknown-field": ("a name that matches no field", "无法识别的字段名"),
    "duplicate-field": ("the same field is given twice", "同一字段填写了两次"),
    "bad-figures": ("figures: is not a mapping of field to value", "figures 应为“字段: 数值”的映射"),
    "no-figures": ("a region reports no figure at all: nothing can be scored", "该地区没有填写任何数据，无法评分"),
    "bad-value": ("a value is not what its field expects (kind, bounds, part of a whole, finite)", "数值不符合字段要求（类型、范围、部分不大于整体、有限数）"),
    "bad-level": ("the level is not one scast knows", "层级无法识别"),
    "bad-year": ("the year is not a year", "年份无效"),
    "bad-qualifier": ("the qualifier is not one scast knows", "限定词无法识别"),
    "bad-period": ("the period is not one scast knows", "期间类型无法识别"),
    "cumulative-figure": (
        "a cumulative total in a yearly field: indicators that need a yearly figure leave it unassessed",
        "年度字段填写了累计数，需要年度数据的指标不予评估",
    ),
    "flow-figure": (
        "a flow of new additions in a stock field: indicators that need a stock leave it unassessed",
        "存量字段填写了新增数，需要现有总数的指标不予评估",
    ),
    "old-denominator": ("a denominator is more than three years older than the report year", "分母数据早于报告年份三年以上"),
    "approximate": ("an approximate figure or a bound, scored as the stated number", "近似数或上下限，按所填数字计分"),
    "inferred": ("a figure worked out rather than reported", "推算所得的数据，并非直接报道"),
    # indicators file
    "invalid-config": ("the indicators file does not match its format", "指标文件不符合格式要求"),
    "bad-extends": ("extends: names no indicators file", "extends 指向的指标文件不存在"),
    "extends-loop": ("extends: files extend each other in a loop", "extends 形成循环引用"),
    "duplicate-id": ("the same id is used twice", "同一编号使用了两次"),
    "unknown-function": ("a formula calls a function that is not allowed", "公式调用了不允许的函数"),
    "bad-formula": ("a formula is outside the allowed arithmetic", "公式超出允许的运算"),
    "not-finite": ("a number is NaN or infinite", "数值为 NaN 或无穷大"),
    "bad-weight": ("a weight is zero, negative or not finite", "权重为零、负数或非有限数"),
    "bad-target": ("a target is zero, negative or not finite", "目标值为零、负数或非有限数"),
    "bad-bounds": ("min is above max", "下限高于上限"),
    "bad-bands": ("band floors are out of order for the direction", "分档阈值顺序与方向不符"),
    "bad-goalposts": ("goalposts: lower is not below upper", "区间下限不低于上限"),
    "share-as-percent": ("a share threshold above 1 (write 0.7, not 70)", "比例阈值大于1（应写0.7，而非70）"),
    "missing-label": ("a label is missing in Chinese or English", "缺少中文或英文名称"),
    "missing-source": ("an indicator says nowhere where its thresholds come from", "指标未注明阈值依据"),
    "unknown-group": ("a group id that is not declared", "未声明的分组"),
    "missing-group": ("a group kind is missing", "缺少分组类别"),
    "empty-group": ("no indicator belongs to a group", "分组中没有指标"),
    "unknown-indicator": ("no indicator of that id", "没有该编号的指标"),
    "bad-fallback": ("fallback_for names an indicator a fallback cannot stand in for", "fallback_for 指向的指标不能被替代"),
    "bad-bonus": ("a bonus indicator without bonus points", "加分项没有设置加分分值"),
    "credit-not-bonus": ("a non-bonus indicator in a credit-only group", "只加分的分组中含有非加分指标"),
    "missing-grades": ("no grades are defined", "未定义等级"),
    "nothing-to-score": ("nothing is left to score", "没有可计分的指标"),
    "bad-remove": ("remove: names something that cannot be removed", "remove 中的条目无法删除"),
    "unused-field": ("a field no indicator reads", "没有指标使用的字段"),
    "geometric-zero": ("geometric aggregation over scores that can be zero", "几何平均汇总的得分可能为零"),
    # usage and output
    "ambiguous-by": ("--by names several groups", "--by 同时匹配多个分组"),
    "unknown-by": ("--by names no score, group or indicator", "--by 无法匹配总分、分组或指标"),
    "two-regions": ("compare needs two sides", "对比需要指定两个地区"),
    "explain-args": ("explain takes [INDICATOR] FILE", "explain 的参数应为 [指标] 文件"),
    "csv-one-indicator": ("CSV is for the list, not one indicator", "单项指标解释不支持 CSV"),
    "xlsx-needs-output": ("XLSX output needs -o FILE", "输出 XLSX 需要用 -o 指定文件"),
    "overwrite-input": ("-o names a file the run reads", "-o 指定的是本次读取的文件"),
    "output-is-dir": ("-o names a folder", "-o 指定的是文件夹"),
    "no-output-dir": ("the folder for -o does not exist", "-o 所在的文件夹不存在"),
    "output-denied": ("no permission to write there", "没有写入权限"),
    "write-failed": ("the output could not be written", "输出文件写入失败"),
    "output-type": ("-o names a file type the command does not write", "-o 指定的文件类型不是该命令能输出的"),
    "error": ("a problem with the input", "输入有误"),
}


def title(code: str, lang: str) -> str:
    """The catalogue's one-line meaning of a code, in `lang`; '' for a code not listed."""
    entry = CATALOGUE.get(code)
    return "" if entry is None else entry[1 if lang == "zh" else 0]


def did_you_mean(name: str, choices, n: int = 1) -> str:
    """A ' (did you mean 'x'?)' suffix, or '' when nothing is close."""
    close = difflib.get_close_matches(name, list(choices), n=n, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
