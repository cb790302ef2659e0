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
from scast_cli.i18n import form_word, level_choices
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


def meta_help(lang: str) -> list[str]:
    """How to fill the three columns that are not fields: region, level, year."""
    levels = " / ".join(level_choices(lang))
    return [form_word(lang, "region_help"), form_word(lang, "level_help", levels=levels), form_word(lang, "year_help")]


def help_text(spec: FieldSpec, lang: str) -> str:
    zh, en = KIND_HELP[spec.kind]
    shown = spec.unit_label(lang)
    parts = [shown, zh if lang == "zh" else en]
    if spec.kind == "flag" and shown:  # the unit already says 是/否
        parts = [shown]
    if spec.help:
        parts.append(spec.help(lang))
    return ("；" if lang == "zh" else "; ").join(p for p in parts if p)


def yaml_form(config: Config, lang: str) -> str:
    lines = [
        "# scast region form: fill in the figures you have; leave the others empty." if lang == "en" else "# scast 地区数据表：填写已有数据，没有的留空。",
        "region:            # " + ("name, e.g. 胶州市" if lang == "en" else "地区名称，如 胶州市"),
        "level: county      # province | prefecture | county | township" if lang == "en" else "level:             # 层级：" + " | ".join(level_choices(lang)),
        "year:              # " + ("report year" if lang == "en" else form_word(lang, "year_help")),
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
    levels = " | ".join(level_choices(lang))
    writer.writerow(spreadsheet_row([form_word(lang, "note_row"), levels, form_word(lang, "year_prompt"), *(help_text(f, lang) for f in config.fields)]))
    return ("\ufeff" if bom else "") + buffer.getvalue()


def xlsx_form(config: Config, lang: str, rows: int = 200) -> bytes:
    """A workbook: frozen header, help as cell comments and on a notes sheet that explains every
    column (region, level and year too), a level dropdown in the language of the form, number checks.

    The checks warn rather than refuse: scast reads more than a dropdown offers (县, 区, 2024年,
    5.36万), so a person who types such a value is told, not stopped.
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from scast_cli.render.machine import display_width, row_heights

    book = Workbook()
    sheet = book.active
    sheet.title = form_word(lang, "sheet")
    heads = [*META[lang], *(header(f, lang) for f in config.fields)]
    append_xlsx_row(sheet, heads)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for c, text in enumerate(heads, start=1):
        cell = sheet.cell(row=1, column=c)
        cell.font, cell.fill = bold, fill
        sheet.column_dimensions[get_column_letter(c)].width = max(10, min(30, display_width(text) + 2))
    sheet.freeze_panes = "B2"
    levels = level_choices(lang)
    level_rule = DataValidation(type="list", formula1='"' + ",".join(levels) + '"', allow_blank=True)
    level_rule.errorStyle, level_rule.error = "warning", form_word(lang, "level_error", levels=" / ".join(levels))
    # 2024 or 2024年: a whole number in range, or four digits and 年 (the rule is relative to C2)
    year_rule = DataValidation(type="custom", formula1='OR(AND(ISNUMBER(C2),C2>=2000,C2<=2100),AND(LEN(C2)=5,RIGHT(C2,1)="年",ISNUMBER(--LEFT(C2,4))))')
    year_rule.errorStyle, year_rule.error = "warning", form_word(lang, "year_error")
    year_rule.prompt, level_rule.prompt = form_word(lang, "year_prompt"), " / ".join(levels)
    year_rule.showInputMessage = level_rule.showInputMessage = True
    for rule, letter in ((level_rule, "B"), (year_rule, "C")):
        sheet.add_data_validation(rule)
        rule.add(f"{letter}2:{letter}{rows + 1}")
    notes = book.create_sheet(form_word(lang, "notes"))
    append_xlsx_row(notes, [form_word(lang, "column"), form_word(lang, "field"), form_word(lang, "help")])
    for c, (name, text) in enumerate(zip(META[lang], meta_help(lang), strict=True), start=1):
        sheet.cell(row=1, column=c).comment = Comment(terminal_text(text), "scast")
        append_xlsx_row(notes, [name, META["en"][c - 1], text])
    flags = "是,否" if lang == "zh" else "yes,no"
    for c, spec in enumerate(config.fields, start=4):
        letter = get_column_letter(c)
        sheet.cell(row=1, column=c).comment = Comment(terminal_text(f"{spec.id}\n{help_text(spec, lang)}"), "scast")
        append_xlsx_row(notes, [header(spec, lang), spec.id, help_text(spec, lang)])
        # Numbers only where a number belongs; text like "5.36万" is still accepted by scast, so
        # the check warns rather than refuses.
        if spec.kind == "flag":
            rule = DataValidation(type="list", formula1=f'"{flags}"', allow_blank=True)
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
    wrap = Alignment(wrap_text=True, vertical="top")
    for cell in notes[1]:
        cell.font, cell.fill = bold, fill
    for letter, width in (("A", 30), ("B", 34), ("C", 60)):
        notes.column_dimensions[letter].width = width
        for cell in notes[letter]:
            cell.alignment = wrap
    row_heights(notes)
    notes.freeze_panes = "A2"
    notes.page_setup.orientation, notes.page_setup.paperSize = "landscape", notes.PAPERSIZE_A4  # printed one page wide
    notes.sheet_properties.pageSetUpPr.fitToPage = True
    notes.page_setup.fitToWidth, notes.page_setup.fitToHeight = 1, 0
    notes.print_title_rows = "1:1"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
