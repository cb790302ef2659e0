"""Blank forms for people to fill in: YAML, CSV (UTF-8 with BOM, for Excel) and XLSX.

Every form lists every field with its label in the chosen language, its unit and a short help
text; a form filled in by hand and saved by Excel, WPS or LibreOffice scores without editing.
Labels and help come from the indicators file, so every cell is written as text, never a formula
(safe.spreadsheet_cell), and every YAML comment stays on its line.
"""

from __future__ import annotations

import csv
import io

from scast_cli.config import Config, FieldSpec
from scast_cli.safe import append_xlsx_row, spreadsheet_row, terminal_text

KIND_HELP = {
    "count": ("整数，可写 5.36万、4200多", "whole number; 5.36万 and 4200多 are read too"),
    "share": ("比例，写 0.7317 或 73.17%", "share: 0.7317 or 73.17%"),
    "money": ("金额（元），可写 12万", "amount in yuan; 12万 is read too"),
    "number": ("数值", "number"),
    "flag": ("是 / 否", "yes / no"),
}
META = {"zh": ("地区", "层级", "年份"), "en": ("region", "level", "year")}


def header(spec: FieldSpec, lang: str) -> str:
    return spec.zh if lang == "zh" else spec.en


def help_text(spec: FieldSpec, lang: str) -> str:
    zh, en = KIND_HELP[spec.kind]
    parts = [spec.unit_label(lang), zh if lang == "zh" else en]
    if spec.help:
        parts.append(spec.help(lang))
    return "; ".join(p for p in parts if p)


def yaml_form(config: Config, lang: str) -> str:
    lines = [
        "# scast region form: fill in the figures you have; leave the others empty." if lang == "en" else "# scast 地区数据表：填写已有数据，没有的留空。",
        "region:            # " + ("name, e.g. 胶州市" if lang == "en" else "地区名称，如 胶州市"),
        "level: county      # province | prefecture | county | township",
        "year:              # " + ("report year" if lang == "en" else "数据年份"),
        "figures:",
    ]
    for spec in config.fields:
        comment = terminal_text(f"{header(spec, lang)} — {help_text(spec, lang)}", one_line=True)
        lines.append(f"  {spec.id}:{' ' * max(1, 40 - len(spec.id))}# {comment}")
    return "\n".join(lines) + "\n"


def csv_form(config: Config, lang: str, bom: bool = True) -> str:
    """Header row, then a '#' row of units and help (scast skips rows starting with '#'); led by a
    UTF-8 byte order mark, which Excel and WPS need to read Chinese, unless `bom` is False."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(spreadsheet_row([*META[lang], *(header(f, lang) for f in config.fields)]))
    note = "# 单位/说明" if lang == "zh" else "# unit/help"
    writer.writerow(spreadsheet_row([note, "province | prefecture | county | township", "2000-2100", *(help_text(f, lang) for f in config.fields)]))
    return ("\ufeff" if bom else "") + buffer.getvalue()


def xlsx_form(config: Config, lang: str, rows: int = 200) -> bytes:
    """A workbook: frozen header, help as cell comments and on a notes sheet, number checks."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "地区数据" if lang == "zh" else "regions"
    heads = [*META[lang], *(header(f, lang) for f in config.fields)]
    append_xlsx_row(sheet, heads)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for c, text in enumerate(heads, start=1):
        cell = sheet.cell(row=1, column=c)
        cell.font, cell.fill = bold, fill
        sheet.column_dimensions[get_column_letter(c)].width = max(10, min(30, len(text) * 2))
    sheet.freeze_panes = "B2"
    levels = DataValidation(type="list", formula1='"province,prefecture,county,township"', allow_blank=True)
    years = DataValidation(type="whole", operator="between", formula1="2000", formula2="2100", allow_blank=True)
    sheet.add_data_validation(levels)
    sheet.add_data_validation(years)
    levels.add(f"B2:B{rows + 1}")
    years.add(f"C2:C{rows + 1}")
    notes = book.create_sheet("说明" if lang == "zh" else "notes")
    append_xlsx_row(notes, ["列" if lang == "zh" else "column", "字段" if lang == "zh" else "field id", "单位/说明" if lang == "zh" else "unit/help"])
    for c, spec in enumerate(config.fields, start=4):
        letter = get_column_letter(c)
        sheet.cell(row=1, column=c).comment = Comment(terminal_text(f"{spec.id}\n{help_text(spec, lang)}"), "scast")
        append_xlsx_row(notes, [header(spec, lang), spec.id, help_text(spec, lang)])
        # Numbers only where a number belongs; text like "5.36万" is still accepted by scast, so
        # the check warns rather than refuses.
        if spec.kind == "flag":
            rule = DataValidation(type="list", formula1='"是,否"' if lang == "zh" else '"yes,no"', allow_blank=True)
        else:
            low = spec.min if spec.min is not None else 0
            high = spec.max if spec.max is not None else (1 if spec.kind == "share" else None)
            rule = DataValidation(
                type="decimal",
                operator="between" if high is not None else "greaterThanOrEqual",
                formula1=str(low),
                formula2=str(high) if high is not None else None,
                allow_blank=True,
            )
            rule.errorStyle = "warning"
        rule.error = terminal_text(help_text(spec, lang), one_line=True)
        sheet.add_data_validation(rule)
        rule.add(f"{letter}2:{letter}{rows + 1}")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
