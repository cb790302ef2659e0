"""scast report as Word, HTML and PDF: checked structurally, all three from the one payload the
markdown is written from; the reference list; formats refused before anything is written."""

import datetime
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from scast_cli import analysis, sources
from scast_cli.cli import app
from scast_cli.config import load_config
from scast_cli.engine import score
from scast_cli.readers import read_regions
from scast_cli.render import fmt_range, fmt_score, report
from tests.conftest import ROOT

pytestmark = pytest.mark.filterwarnings("ignore:Glyph .* missing from font")  # DejaVu stands in for a CJK font
DAY = datetime.date(2025, 1, 15)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
JIAOZHOU = ROOT / "data" / "regions" / "jiaozhou.yaml"


@pytest.fixture(scope="module")
def config():
    return load_config()


def make(scored, name, lang, fmt, **kwargs):
    result, region = scored[name]
    return report.render_report(result, region, lang, fmt=fmt, today=DAY, **kwargs)


def docx_parts(data: bytes) -> tuple[ET.Element, ET.Element, list[str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return ET.fromstring(z.read("word/document.xml")), ET.fromstring(z.read("word/styles.xml")), z.namelist()


def paragraphs(document: ET.Element) -> list[tuple[str, str]]:
    """(style id, text) of every body paragraph, tables' included."""
    out = []
    for p in document.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        out.append((style.get(f"{W}val") if style is not None else "", "".join(t.text or "" for t in p.iter(f"{W}t"))))
    return out


def style_fonts(styles: ET.Element, name: str) -> dict[str, str]:
    style = next(s for s in styles.iter(f"{W}style") if s.find(f"{W}name").get(f"{W}val") == name)
    fonts = style.find(f"{W}rPr/{W}rFonts")
    return {k.replace(W, ""): v for k, v in fonts.attrib.items()}


def field_ids(config) -> set[str]:
    return {f.id for f in config.fields if "_" in f.id} | {i.id for i in config.indicators if "_" in i.id}


def body_text(texts: list[str], lang: str) -> str:
    """The text before the first appendix: what the leadership reads."""
    cut = next(i for i, t in enumerate(texts) if t.startswith("附录一" if lang == "zh" else "Appendix A"))
    return "\n".join(texts[:cut])


# ---------------------------------------------------------------- DOCX


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_docx_is_an_a4_office_document(scored, config, cjk, lang):
    data = make(scored, "jiaozhou", lang, "docx", against=scored["binzhou"]).data
    assert data[:2] == b"PK"
    document, styles, names = docx_parts(data)
    # A4 (210 x 297 mm = 11906 x 16838 twentieths of a point) with 公文 margins: left 28 mm, right 26 mm
    size = document.find(f"{W}body/{W}sectPr/{W}pgSz")
    assert abs(int(size.get(f"{W}w")) - 11906) <= 2 and abs(int(size.get(f"{W}h")) - 16838) <= 2
    margins = document.find(f"{W}body/{W}sectPr/{W}pgMar")
    assert abs(int(margins.get(f"{W}left")) - 1587) <= 2 and abs(int(margins.get(f"{W}right")) - 1474) <= 2
    # Chinese fonts in the styles, East Asian attribute set: 仿宋 body, 黑体 headings
    assert style_fonts(styles, "Normal")["eastAsia"] == "仿宋"
    assert style_fonts(styles, "heading 1")["eastAsia"] == "黑体" and style_fonts(styles, "Title")["eastAsia"] == "黑体"
    assert style_fonts(styles, "heading 2")["eastAsia"] == "楷体"
    paras = paragraphs(document)
    headings = [text for style, text in paras if style == "Heading1"]
    if lang == "zh":
        assert headings[:3] == ["一、摘要", "二、分组得分", "三、指标得分"]
        assert [text for style, text in paras if style == "Heading2"][0] == "（一）组织覆盖（100.0）"
        assert headings[-4:] == ["附录一　所用数据及来源", "附录二　评分方法", "附录三　参考文献", "附录四　报告信息"]
    else:
        assert headings[:3] == ["Summary", "Group scores", "Indicator scores"]
    assert [text for style, text in paras if style == "Title"] == [report.say(lang, "title", region="胶州市")]
    # a chart embedded per chart drawn (groups, indicators), scaled to the 15.6 cm text width
    assert sorted(n for n in names if n.startswith("word/media/")) == ["word/media/image1.png", "word/media/image2.png"]
    extents = [int(e.get("cx")) for e in document.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")]
    assert extents and all(abs(cx - 15.6 * 360000) < 2000 for cx in extents)
    # tables fit the text width (in twentieths of a point)
    for table in document.iter(f"{W}tbl"):
        tblpr = [child.tag.replace(W, "") for child in table.find(f"{W}tblPr")]
        assert tblpr.count("tblLayout") == 1 and tblpr.index("tblW") < tblpr.index("tblLayout") < tblpr.index("tblLook")  # schema order
        assert int(table.find(f"{W}tblPr/{W}tblW").get(f"{W}w")) <= 8845 + 5
        assert sum(int(c.get(f"{W}w")) for c in table.iter(f"{W}gridCol")) <= 8845 + 5
    # the body: no field ids, hashes or internal citations; the appendix has them
    texts = [text for _, text in paras]
    body = body_text(texts, lang)
    assert not re.search(r"\bS-\d\d|[Ss]eed \d{3}|种子资料|SHA-256", body)
    assert config.sha256 not in body and config.sha256 in "\n".join(texts)
    assert not set(re.findall(r"[a-z][a-z0-9_]+", body)) & field_ids(config)
    assert "population_resident" in "\n".join(texts)


def test_docx_without_matplotlib_has_no_image_and_no_install_advice(scored, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    made = make(scored, "jiaozhou", "zh", "docx")
    document, _, names = docx_parts(made.data)
    assert made.notices == ["no-matplotlib"] and not [n for n in names if n.startswith("word/media/")]
    text = "\n".join(t for _, t in paragraphs(document))
    assert "pip" not in text and "100.0" in text  # the group table still gives the scores


def test_docx_cleans_control_characters_from_the_inputs(config, write):
    path = write("r.yaml", 'region: "甲县\\e[31m<b>&\\a"\nlevel: county\nyear: 2024\nfigures:\n  township_count: 12\n  township_cast_count: 9\n')
    result = score(read_regions(path, config), config)
    region = result.regions.names[0]
    data = report.render_report(result, region, "zh", fmt="docx", chart_format="none", today=DAY).data
    document, _, _ = docx_parts(data)  # parses: no control character reached the XML
    assert "甲县<b>&基层科协组织建设评估报告" in [t for _, t in paragraphs(document)]


def test_reference_doc_gives_its_styles(scored, tmp_path):
    from docx import Document
    from docx.shared import Pt

    reference = Document()
    reference.styles["Normal"].font.name = "Georgia"
    reference.styles["Normal"].font.size = Pt(11)
    reference.add_paragraph("template text that must not stay")
    path = tmp_path / "ref.docx"
    reference.save(path)
    data = make(scored, "jiaozhou", "en", "docx", chart_format="none", reference=path).data
    document, styles, _ = docx_parts(data)
    assert style_fonts(styles, "Normal")["ascii"] == "Georgia"
    texts = [t for _, t in paragraphs(document)]
    assert "template text that must not stay" not in texts and "Summary" in texts


# ---------------------------------------------------------------- HTML


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text, self.attrs = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_is_one_printable_self_contained_page(scored, config, cjk, lang):
    page = make(scored, "jiaozhou", lang, "html", against=scored["wuzhou"]).data.decode("utf-8")
    parsed = _Page()
    parsed.feed(page)
    assert page.startswith("<!DOCTYPE html>") and f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in page
    assert "@page { size: A4;" in page and "@media print" in page
    images = [a["src"] for tag, a in parsed.attrs if tag == "img"]
    assert len(images) == 2 and all(src.startswith("data:image/png;base64,") for src in images)
    # nothing fetched: no script, no external style sheet, no remote image
    assert "script" not in parsed.tags and "link" not in parsed.tags
    assert not [a for tag, a in parsed.attrs if tag in ("img", "iframe") and not a.get("src", "").startswith("data:")]
    assert parsed.tags.count("h1") == 1 and "table" in parsed.tags
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings[0] == ("一、摘要" if lang == "zh" else "Summary")
    body = page.split("<h2>附录一" if lang == "zh" else "<h2>Appendix A", 1)[0]
    assert not re.search(r"\bS-\d\d|[Ss]eed \d{3}|SHA-256", body) and config.sha256 not in body
    assert not set(re.findall(r"[a-z][a-z0-9_]+", re.sub(r"<[^>]*>|data:[^\"]*", "", body))) & field_ids(config)
    assert '<a href="https://m.lebk.net/t/%e8%83%b6%e5%b7%9e%e6%b9%be.html">' in page


def test_html_escapes_what_the_inputs_say(config, write):
    path = write(
        "r.yaml",
        'region: "<script>alert(1)</script>县"\nlevel: county\nyear: 2024\nfigures:\n'
        '  township_count: {value: 12, source: "\\"><img src=x onerror=alert(2)> javascript:alert(3) https://e.org/a?b=1&c=\\"2\\""}\n'
        "  township_cast_count: 9\n",
    )
    result = score(read_regions(path, config), config)
    page = report.render_report(result, result.regions.names[0], "en", fmt="html", chart_format="none", today=DAY).data.decode()
    parsed = _Page()
    parsed.feed(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;县" in page
    hrefs = [a["href"] for tag, a in parsed.attrs if tag == "a"]
    # only an http(s) address becomes a link, cut before the quote; the input's source is reference 1
    assert hrefs[0] == "https://e.org/a?b=1&c=" and all(h.startswith(("http://", "https://")) for h in hrefs)


# ---------------------------------------------------------------- one payload


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_number_of_the_payload_is_in_the_markdown(scored, lang):
    result, region = scored["jiaozhou"]
    payload = analysis.report(result, region, lang, against=scored["binzhou"], today=DAY)
    md = report.markdown(report.compose(payload))
    flat = re.sub(r"\s*\n\s*", " ", md)
    o = payload["overall"]
    assert fmt_score(o["score"]) in flat and fmt_range(o["range"]) in flat
    for g in payload["groups"]:
        if not g["credit_only"]:
            assert f"| {g['label']} | {fmt_score(g['score'])} | {fmt_range(g['range'])} |" in md
    for dim in payload["dimensions"]:
        for item in dim["assessed"]:
            line = next(x for x in flat.split("- **")[1:] if x.startswith(report.md(item["label"]) + "**"))
            assert fmt_score(item["score"]) in line.split(" - ")[0]
    for row in payload["priorities"]:
        assert f"{row['points_left']:.2f}" in flat
    missing = len(payload["not_assessed"])
    assert report.say(lang, "not_assessed", n=missing) in flat
    refs = payload["references"]
    listed = re.findall(r"^(\d+)\. ", md.split(report.say(lang, "appendix", n="三" if lang == "zh" else "C", what=report.say(lang, "references")), 1)[1], re.M)
    assert [int(n) for n in listed][: len(refs)] == [r["n"] for r in refs] == list(range(1, len(refs) + 1))
    for r in refs:
        assert report.md(r["title"]) in flat
    cited = {int(n) for n in re.findall(r"\\\[(\d+)\\\]", md)}
    assert cited == {r["n"] for r in refs}  # every reference is cited, every citation listed


def test_payload_is_codes_and_numbers_not_sentences(scored):
    result, region = scored["jiaozhou"]
    payload = analysis.report(result, region, "zh", today=DAY)
    figure = next(f for f in payload["figures"] if f["field"] == "population_resident")
    assert figure["notes"] == ["old"] and figure["age"] == 10 and figure["year"] == 2014
    assert payload["summary"]["best"]["id"] == "coverage" and payload["summary"]["incomplete"] is True
    assert payload["about"]["date"] == "2025-01-15" and payload["about"]["config"]["bundled"] is True
    gap = payload["priorities"][0]["gap"]
    assert gap == {**gap, "field": "kepu_participant_person_times_year", "amount": 596800.0, "kind": "count", "direction": "higher"}


# ---------------------------------------------------------------- references


def test_every_citation_in_the_bundled_files_resolves():
    catalogue = sources.catalogue()
    files = [ROOT / "indicators.yaml", *sorted((ROOT / "data" / "regions").glob("*.yaml"))]
    seen = set()
    for path in files:
        text = path.read_text(encoding="utf-8")
        keys = sources.cited(text)
        missing = [k for k in keys if k not in catalogue]
        assert not missing, (path.name, missing)
        seen |= set(keys)
    assert {"S-01", "S-02", "seed 000", "seed 001", "seed 002", "seed 003", "seed 004"} <= seen
    for key in seen:
        entry = catalogue[key]
        assert entry["title"] and (entry["url"] is None or re.match(r"https?://\S+$", entry["url"])), key
    assert catalogue["seed 002"]["url"] == "https://www.scimall.org.cn/article/detail?id=5944815"
    assert catalogue["S-01"]["url"] == "http://sundayf.cn/show-1449.html"


def test_citations_are_found_in_every_spelling():
    assert sources.cited("[S-38]; S-01“…” and S-32b, seed 003 (normalised), Seed 002's, 种子资料004, seeds 000–004") == [
        "S-38",
        "S-01",
        "S-32b",
        "seed 003",
        "seed 002",
        "seed 004",
        "seed 000",
    ]


def test_the_reference_list_ships_in_the_package():
    """The wheel packs scast_cli/ whole (pyproject: packages = ["scast_cli"]), sources.yaml with it."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["scast_cli"]
    assert sources.PATH.parent == ROOT / "scast_cli" and sources.PATH.is_file()


# ---------------------------------------------------------------- the command


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("name", ["r.txt", "r.doc", "r.odt", "report"])
def test_an_extension_scast_cannot_write_is_refused_before_anything_is_written(tmp_path, name):
    result = invoke("report", JIAOZHOU, "--lang", "zh", "-o", tmp_path / name)
    assert result.exit_code == 2
    assert "scast report 可写 .md、.docx、.html 或 .pdf 文件" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_pdf_without_libreoffice_is_refused_in_one_line(tmp_path, monkeypatch):
    from scast_cli.render import docx

    monkeypatch.setattr(docx, "pdf_converter", lambda: None)
    result = invoke("report", JIAOZHOU, "--lang", "en", "-o", tmp_path / "r.pdf")
    assert result.exit_code == 2 and list(tmp_path.iterdir()) == []
    assert "PDF needs LibreOffice (soffice)" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_docx_and_html_from_the_command(tmp_path, cjk):
    for name in ("报告.docx", "报告.html"):
        result = invoke("report", JIAOZHOU, "--lang", "zh", "-o", tmp_path / name)
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.docx", "报告.html"]  # charts inside, no files beside
    assert (tmp_path / "报告.docx").read_bytes()[:2] == b"PK"
    assert "data:image/png;base64," in (tmp_path / "报告.html").read_text(encoding="utf-8")


def test_pdf_through_libreoffice_when_installed(tmp_path):
    from scast_cli.render import docx

    if docx.pdf_converter() is None:
        pytest.skip("LibreOffice is not installed: scast report -o FILE.pdf refuses (tested above)")
    result = invoke("report", JIAOZHOU, "--lang", "zh", "--charts", "none", "-o", tmp_path / "r.pdf")
    assert result.exit_code == 0, result.output
    data = (tmp_path / "r.pdf").read_bytes()
    assert data[:5] == b"%PDF-" and re.search(rb"/MediaBox\s*\[\s*0 0 595\.\d+ 841\.\d+", data)  # A4: 595 x 842 points


def test_a_reference_doc_that_is_not_word_is_refused_and_nothing_written(tmp_path):
    (tmp_path / "bad.docx").write_text("not a zip", encoding="utf-8")
    result = invoke("report", JIAOZHOU, "--lang", "en", "-o", tmp_path / "r.docx", "--reference-doc", tmp_path / "bad.docx")
    assert result.exit_code == 1 and "is not a Word document scast can read" in result.stderr
    result = invoke("report", JIAOZHOU, "--lang", "en", "-o", tmp_path / "r.docx", "--reference-doc", tmp_path / "style.dotx")
    assert result.exit_code == 2 and "--reference-doc needs a .docx file" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.docx"]


@pytest.mark.parametrize("error", [ImportError("numpy.core.multiarray failed to import"), RuntimeError("broken")])
def test_a_matplotlib_that_fails_to_import_is_like_none(tmp_path, monkeypatch, error):
    """matplotlib installed but failing on import (ImportError from a library it needs, or any
    exception): the report is written without charts, the stderr note says so, exit 0."""
    import builtins

    real = builtins.__import__

    def failing(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise error
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", failing)
    result = invoke("report", JIAOZHOU, "--lang", "zh", "-o", tmp_path / "r.docx")
    assert result.exit_code == 0, result.output
    assert "matplotlib" in result.stderr and "内部错误" not in result.stderr
    names = zipfile.ZipFile(tmp_path / "r.docx").namelist()
    assert "word/document.xml" in names and not [n for n in names if n.startswith("word/media/")]
