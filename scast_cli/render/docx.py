"""The report as a Word document (python-docx), from the blocks that render.report composes.

An office document as a Chinese office makes it (GB/T 9704 公文 conventions where they apply):
A4 pages with 公文 margins, 仿宋 body text, 黑体 first-level and 楷体 second-level headings
numbered 一、 and （一）, a centred title, page numbers in the footer, tables that span the
text width with a repeated header row, and charts scaled to the text width. Every font is set
with its East Asian name (w:eastAsia) as well as its Latin one, so Word and WPS both pick it.
A reference document (--reference-doc) replaces these styles and page setup with its own.

Text from the inputs is cleaned of control characters (safe.terminal_text), which XML cannot
hold; python-docx escapes the rest.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from scast_cli.render.report import Block
from scast_cli.safe import terminal_text

# GB/T 9704-2012: A4, top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (text 156 x 225 mm)
PAGE = {"width": 21.0, "height": 29.7, "top": 3.7, "bottom": 3.5, "left": 2.8, "right": 2.6}
# style -> (East Asian font, Latin font, size in points, bold)
FONTS = {
    "Normal": ("仿宋", "Times New Roman", 14, False),
    "Title": ("黑体", "Arial", 22, False),
    "Heading 1": ("黑体", "Arial", 16, False),
    "Heading 2": ("楷体", "Times New Roman", 15, False),
    "Heading 3": ("仿宋", "Times New Roman", 14, True),
    "List Bullet": ("仿宋", "Times New Roman", 14, False),
    "Table Text": ("仿宋", "Times New Roman", 10.5, False),
    "Caption": ("仿宋", "Times New Roman", 10.5, False),
}
CODE_FONT = "Consolas"


def clean(text: str) -> str:
    """Text from the inputs as XML can hold it: no control characters or escape sequences."""
    return terminal_text(text, one_line=True)


def set_font(target, east_asian: str, latin: str, size: float | None = None, bold: bool | None = None) -> None:
    """Set a style's or run's font, its East Asian font (w:eastAsia) included."""
    font = target.font
    font.name = latin
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asian), ("w:cs", latin)):
        fonts.set(qn(attr), name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _styles(doc, lang: str) -> None:
    from docx.enum.style import WD_STYLE_TYPE

    styles = doc.styles
    if "Table Text" not in [s.name for s in styles]:
        styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH).base_style = styles["Normal"]
    for name, (east, latin, size, bold) in FONTS.items():
        style = styles[name]
        set_font(style, east, latin, size, bold)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
        fmt = style.paragraph_format
        if name == "Normal":
            fmt.line_spacing = 1.25
            fmt.space_after = Pt(4)
        if name.startswith("Heading"):
            fmt.space_before, fmt.space_after = Pt(12), Pt(6)
            fmt.keep_with_next = True
        if name == "Table Text":
            fmt.line_spacing, fmt.space_after, fmt.first_line_indent = 1.0, Pt(0), None
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles["Title"].paragraph_format.space_after = Pt(18)
    # the default template draws a rule under the title: a 公文 title has none
    ppr = styles["Title"].element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    language = styles["Normal"].element.get_or_add_rPr()
    lang_el = OxmlElement("w:lang")
    lang_el.set(qn("w:val"), "zh-CN" if lang == "zh" else "en-GB")
    lang_el.set(qn("w:eastAsia"), "zh-CN")
    language.append(lang_el)


def _page(doc) -> None:
    for section in doc.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(PAGE["width"]), Cm(PAGE["height"])
        section.top_margin, section.bottom_margin = Cm(PAGE["top"]), Cm(PAGE["bottom"])
        section.left_margin, section.right_margin = Cm(PAGE["left"]), Cm(PAGE["right"])
        section.footer_distance = Cm(2.0)


def _page_numbers(doc) -> None:
    """'— 1 —' centred in the footer, as a PAGE field."""
    for section in doc.sections:
        para = section.footer.paragraphs[0] if section.footer.paragraphs else section.footer.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.add_run("— ")
        run = para.add_run()
        for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            else:
                el = OxmlElement("w:instrText" if text == "PAGE" else "w:t")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            run._r.append(el)
        para.add_run(" —")


def _style(doc, name: str):
    """A style of the document, or None (the default) when a reference document does not define it."""
    try:
        return doc.styles[name]
    except KeyError:
        return None


def _text_width(doc):
    section = doc.sections[-1]
    return section.page_width - section.left_margin - section.right_margin


def _runs(para, runs: list) -> None:
    for style, text in runs:
        text = clean(text)
        if style == "url":
            text = " " + text
        run = para.add_run(text)
        if style == "b":
            run.bold = True
        elif style == "code":
            set_font(run, FONTS["Normal"][0], CODE_FONT, 10.5)


def _table(doc, block: Block, lang: str) -> None:
    rows = [block.header, *block.rows]
    table = doc.add_table(rows=len(rows), cols=len(block.header))
    table.style = _style(doc, "Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    width = _text_width(doc)
    # columns share the width by their longest cell (a CJK character counts double), each at least 1.5 cm
    from scast_cli.render.machine import display_width

    longest = [max(display_width(str(r[c])) for r in rows) + 2 for c in range(len(block.header))]
    total = sum(longest)
    widths = [max(Cm(1.5), int(width * n / total)) for n in longest]
    scale = width / sum(widths)
    widths = [int(w * scale) for w in widths]
    for column, w in zip(table.columns, widths, strict=True):
        column.width = w  # w:gridCol, which LibreOffice and WPS lay the table out by
    for r, values in enumerate(rows):
        row = table.rows[r]
        if r == 0:  # the header row repeats on every page the table spans
            trpr = row._tr.get_or_add_trPr()
            header = OxmlElement("w:tblHeader")
            header.set(qn("w:val"), "true")
            trpr.append(header)
        for c, value in enumerate(values):
            cell = row.cells[c]
            cell.width = widths[c]
            para = cell.paragraphs[0]
            para.style = _style(doc, "Table Text")
            run = para.add_run(clean(str(value)))
            run.bold = r == 0
    # a fixed layout (table.autofit = False above) at the text width: Word and WPS keep the table inside the margins
    tblpr = table._tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:  # after w:tblStyle, where the schema puts it
        tblw = OxmlElement("w:tblW")
        tblpr.insert(1 if tblpr.find(qn("w:tblStyle")) is not None else 0, tblw)
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(int(sum(widths) / 635)))  # EMU -> twentieths of a point
    doc.add_paragraph()


def _chart(doc, block: Block, images: dict[str, bytes]) -> None:
    data = images.get(block.key)
    if data is None:
        return  # the table beside it holds the same scores
    doc.add_picture(io.BytesIO(data), width=_text_width(doc))
    picture = doc.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True
    for prop in picture._p.iter(qn("wp:docPr")):
        prop.set("descr", clean(block.text))
    caption = doc.add_paragraph(clean(block.text), style=_style(doc, "Caption"))
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER


def render(blocks: list[Block], images: dict[str, bytes], lang: str, reference: str | Path | None = None) -> bytes:
    """The report as .docx bytes. `images` are PNG charts by key; `reference` a .docx whose styles and page setup to use."""
    if reference is not None:
        doc = Document(str(reference))
        body = doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
    else:
        doc = Document()
        _styles(doc, lang)
        _page(doc)
        _page_numbers(doc)
    indent = Pt(FONTS["Normal"][2] * 2) if lang == "zh" else None  # 首行缩进两字
    for b in blocks:
        if b.kind == "h":
            style = {1: "Title", 2: "Heading 1", 3: "Heading 2"}.get(b.level, "Heading 3")
            doc.add_paragraph(clean(b.text), style=_style(doc, style))
        elif b.kind == "p":
            para = doc.add_paragraph()
            para.paragraph_format.first_line_indent = indent
            _runs(para, b.runs)
        elif b.kind == "ul":
            for item in b.items:
                _runs(doc.add_paragraph(style=_style(doc, "List Bullet")), item)
        elif b.kind == "ol":
            for n, item in enumerate(b.items, start=1):
                para = doc.add_paragraph()
                para.paragraph_format.left_indent = Cm(0.9)
                para.paragraph_format.first_line_indent = Cm(-0.9)
                _runs(para, [("", f"{n}.\t"), *item])
        elif b.kind == "table":
            _table(doc, b, lang)
        elif b.kind == "chart":
            _chart(doc, b, images)
        elif b.kind == "defs":
            for head, subs in b.items:
                para = doc.add_paragraph()
                para.paragraph_format.keep_with_next = True
                _runs(para, head)
                for sub in subs:
                    para = doc.add_paragraph()
                    para.paragraph_format.left_indent = Cm(0.9)
                    para.paragraph_format.space_after = Pt(0)
                    _runs(para, sub)
    title = next((b.text for b in blocks if b.kind == "h" and b.level == 1), "")
    doc.core_properties.title = clean(title)
    doc.core_properties.author = "scast"
    doc.core_properties.language = "zh-CN" if lang == "zh" else "en"
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def pdf_converter() -> str | None:
    """LibreOffice's command (soffice or libreoffice) when installed, else None."""
    import shutil

    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes, converter: str, timeout: float = 180) -> bytes:
    """The Word file converted to PDF by LibreOffice headless, in a private folder and profile.

    Raises RuntimeError with LibreOffice's own words when it produces no PDF.
    """
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="scast-pdf-") as folder:
        source = Path(folder) / "report.docx"
        source.write_bytes(docx)
        profile = (Path(folder) / "profile").as_uri()  # its own profile: no clash with a running LibreOffice
        try:
            done = subprocess.run(
                [converter, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],
                capture_output=True,
                text=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise RuntimeError(str(exc)) from None
        pdf = Path(folder) / "report.pdf"
        if not pdf.exists():
            raise RuntimeError((done.stderr or done.stdout or f"exit code {done.returncode}").strip().splitlines()[-1])
        return pdf.read_bytes()
