"""The report as one self-contained HTML page, from the blocks that render.report composes.

One file, nothing fetched: the style sheet is inline and the charts are embedded as data URIs.
It prints on A4 (@page with 公文 margins; headings stay with what follows; a chart or a table
row is not split across pages) and reads on a screen. Every text from the inputs is cleaned of
control characters (safe.terminal_text) and HTML-escaped; a link is made only from an http(s)
address, escaped as an attribute.
"""

from __future__ import annotations

import base64
import html
import re

from scast_cli.render.report import Block
from scast_cli.safe import terminal_text

_URL = re.compile(r"https?://[^\s<>\"'`，。；）】」]+")

STYLE = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
html { font-family: "FangSong", "仿宋", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC", "Times New Roman", serif;
       font-size: 14pt; line-height: 1.6; color: #000; background: #fff; }
body { max-width: 156mm; margin: 2em auto; padding: 0 1em; }
h1, h2 { font-family: "SimHei", "黑体", "Heiti SC", "Noto Sans CJK SC", "Source Han Sans SC", Arial, sans-serif; font-weight: normal; }
h1 { font-size: 22pt; text-align: center; margin: 0 0 1em; }
h2 { font-size: 16pt; margin: 1.2em 0 0.4em; }
h3 { font-family: "KaiTi", "楷体", "STKaiti", serif; font-size: 15pt; font-weight: normal; margin: 1em 0 0.3em; }
p.body { text-indent: 2em; margin: 0.3em 0; }
html[lang="en"] p.body { text-indent: 0; }
ul, ol { margin: 0.3em 0; padding-left: 1.6em; }
ul.sub { padding-left: 1.2em; list-style: circle; }
table { border-collapse: collapse; width: 100%; font-size: 10.5pt; line-height: 1.35; margin: 0.6em 0; }
th, td { border: 1px solid #000; padding: 2pt 4pt; text-align: left; vertical-align: top; }
thead { display: table-header-group; }
figure { margin: 0.8em 0; text-align: center; }
figure img { max-width: 100%; max-height: 220mm; }
figcaption { font-size: 10.5pt; }
code { font-family: Consolas, "Courier New", monospace; font-size: 0.85em; overflow-wrap: anywhere; }
a { color: inherit; overflow-wrap: anywhere; }
h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
figure, tr, li { break-inside: avoid; page-break-inside: avoid; }
@media print { body { max-width: none; margin: 0; padding: 0; } a { text-decoration: none; } }
"""


def esc(text) -> str:
    """Text from anywhere as HTML text: control characters gone, & < > " ' escaped."""
    return html.escape(terminal_text(str(text), one_line=True), quote=True)


def _link(url: str) -> str:
    match = _URL.match(terminal_text(url, one_line=True).strip())
    if not match:
        return esc(url)
    href = match.group(0).rstrip(".,;:")
    return f'<a href="{esc(href)}">{esc(href)}</a>'


def _runs(runs: list) -> str:
    out = []
    for style, text in runs:
        if style == "b":
            out.append(f"<strong>{esc(text)}</strong>")
        elif style == "code":
            out.append(f"<code>{esc(text)}</code>")
        elif style == "url":
            out.append(" " + _link(text))
        else:
            out.append(esc(text))
    return "".join(out)


def _image(data: bytes) -> str:
    kind = "image/svg+xml" if data.lstrip()[:5] in (b"<?xml", b"<svg ") else "image/png"
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def render(blocks: list[Block], images: dict[str, bytes], lang: str) -> str:
    """The report as a complete HTML document (str)."""
    title = next((b.text for b in blocks if b.kind == "h" and b.level == 1), "")
    body = []
    for b in blocks:
        if b.kind == "h":
            level = min(b.level, 3)
            body.append(f"<h{level}>{esc(b.text)}</h{level}>")
        elif b.kind == "p":
            body.append(f'<p class="body">{_runs(b.runs)}</p>')
        elif b.kind in ("ul", "ol"):
            items = "".join(f"<li>{_runs(item)}</li>" for item in b.items)
            body.append(f"<{b.kind}>{items}</{b.kind}>")
        elif b.kind == "table":
            head = "".join(f"<th>{esc(h)}</th>" for h in b.header)
            rows = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in b.rows)
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif b.kind == "chart" and b.key in images:
            body.append(f'<figure><img src="{_image(images[b.key])}" alt="{esc(b.text)}"><figcaption>{esc(b.text)}</figcaption></figure>')
        elif b.kind == "defs":
            items = []
            for head, subs in b.items:
                inner = "".join(f"<li>{_runs(sub)}</li>" for sub in subs)
                items.append(f'<li>{_runs(head)}<ul class="sub">{inner}</ul></li>')
            body.append(f"<ul>{''.join(items)}</ul>")
    page_lang = "zh-CN" if lang == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{page_lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )
