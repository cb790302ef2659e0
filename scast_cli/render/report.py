"""`scast report`: the payload of analysis.report put into words, then written as markdown.

`compose()` turns the payload into a list of blocks (headings, paragraphs, lists, tables, chart
slots) in the report's language: the words are chosen once, here, from i18n.REPORT_WORDS and the
shared rule texts (fmt_range, fmt_grade, grade_note, rule_text, threshold_text). Block text is
plain, never escaped: each writer escapes for its format (`markdown()` below, render.docx,
render.html). Nothing is computed here that the payload does not hold.

The body is for the leadership: plain words, no field ids, hashes or internal citations; field
ids, formulas, the indicators file and its hash, and the reference list are in the appendices.

The markdown passes markdownlint's default rules: MD013 also counts table rows, so only narrow
data go in tables and the rest are lists; prose is wrapped at 80 characters at spaces only (a
long CJK run has no space, which MD013 allows); every heading is unique (MD024); data text is
escaped and URLs become autolinks.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass, field

from scast_cli.i18n import (
    REPORT_EN_RECRUITED,
    REPORT_ZH_LEADING_VERBS,
    REPORT_ZH_NUMERALS,
    REPORT_ZH_RECRUITED,
    REPORT_ZH_VERB_ENDINGS,
    report_word,
    t,
)
from scast_cli.render import (
    QUALIFIER_SIGNS,
    REASONS,
    band_label,
    fmt_grade,
    fmt_group_score,
    fmt_number,
    fmt_range,
    fmt_score,
    fmt_value,
    grade_note,
    threshold_text,
)
from scast_cli.render.compare import _group_header, _group_rows, _signed, common_note, summary
from scast_cli.render.explain import _pct as _pct1  # one decimal, as explain shows weights
from scast_cli.render.explain import _pts, rule_text
from scast_cli.render.machine import display_width
from scast_cli.render.markdown import _table
from scast_cli.safe import markdown_code, markdown_fence, markdown_text

WIDTH = 80  # markdownlint's default MD013 line length
say = report_word


# ---------------------------------------------------------------- blocks


@dataclass
class Block:
    """One block of the report. `runs` are (style, text) pairs: style '' plain, 'b' bold, 'code'.

    kinds: 'h' (level, text), 'p' (runs), 'ul' / 'ol' (items: lists of runs), 'table' (header,
    rows of plain text), 'chart' (key, alt, bars: the text-bar fallback), 'defs' (items of a head
    and sub-lines: [(runs, [runs, ...]), ...]).
    """

    kind: str
    text: str = ""
    level: int = 0
    runs: list = field(default_factory=list)
    items: list = field(default_factory=list)
    header: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    key: str = ""
    bars: list = field(default_factory=list)
    appendix: bool = False  # in an appendix, where ids and citations may stand


@dataclass
class Report:
    markdown: str  # the markdown report, ending with a single newline ('' for another format)
    charts: dict[str, bytes] = field(default_factory=dict)  # chart files beside a markdown report: file name -> image bytes
    notices: list[str] = field(default_factory=list)  # codes for stderr: 'no-matplotlib', 'no-cjk-font', 'font-cache'
    font: str | None = None  # the CJK font the charts are drawn with
    data: bytes = b""  # the report file itself: markdown, DOCX, HTML or PDF bytes


# -o's extension -> the format written
FORMATS = {".md": "md", ".markdown": "md", ".docx": "docx", ".html": "html", ".htm": "html", ".pdf": "pdf"}


def P(*runs) -> list:
    """Runs from strings (plain) and tuples ((style, text))."""
    return [r if isinstance(r, tuple) else ("", r) for r in runs]


def compose(payload: dict, charts: list[str] | None = None) -> list[Block]:
    """The report as blocks. `charts` are the chart keys drawn ('groups', 'indicators', 'indicators-2', …)."""
    lang = payload["lang"]
    charts = charts or []
    out: list[Block] = []
    numbers = _Numbers(lang)
    _head(out, payload, lang)
    _summary(out, payload, lang, numbers)
    _groups(out, payload, lang, numbers, charts)
    _indicators(out, payload, lang, numbers, charts)
    _priorities(out, payload, lang, numbers)
    _quality(out, payload, lang, numbers)
    if payload["comparison"] is not None:
        _comparison(out, payload["comparison"], lang, numbers)
    appendix = len(out)
    _figures(out, payload, lang, numbers)
    _methodology(out, payload, lang, numbers)
    _references(out, payload, lang, numbers)
    _about(out, payload, lang, numbers)
    for block in out[appendix:]:
        block.appendix = True
    return out


class _Numbers:
    """公文-style heading numbers in Chinese: 一、 for sections, （一） below, 1. below that; appendices 附录一."""

    def __init__(self, lang: str) -> None:
        self.lang, self.section, self.sub, self.appendix = lang, 0, 0, 0

    def h2(self, text: str) -> Block:
        self.section += 1
        self.sub = 0
        return Block("h", level=2, text=f"{_zh_number(self.section)}、{text}" if self.lang == "zh" else text)

    def h3(self, text: str) -> Block:
        self.sub += 1
        return Block("h", level=3, text=f"（{_zh_number(self.sub)}）{text}" if self.lang == "zh" else text)

    def annex(self, what: str) -> Block:
        self.appendix += 1
        self.sub = 0
        n = _zh_number(self.appendix) if self.lang == "zh" else chr(ord("A") + self.appendix - 1)
        return Block("h", level=2, text=say(self.lang, "appendix", n=n, what=what))


def _zh_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一 (up to 99)."""
    digits = REPORT_ZH_NUMERALS
    if n <= 10:
        return digits[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens - 1]) + "十" + (digits[ones - 1] if ones else "")


def _brackets(lang: str) -> tuple[str, str]:
    return ("（", "）") if lang == "zh" else (" (", ")")


def _paren(text: str, lang: str) -> str:
    """' (text)' in English, '（text）' in Chinese."""
    lp, rp = _brackets(lang)
    return f"{lp}{text}{rp}"


def _join(items: list[str], lang: str) -> str:
    """'a, b and c' / 'a、b和c'."""
    if len(items) <= 1:
        return "".join(items)
    return say(lang, "list_sep").join(items[:-1]) + say(lang, "and") + items[-1]


def _sentence(text: str) -> str:
    """A clause from the shared wording made to start a sentence."""
    return text[:1].upper() + text[1:]


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.0f}%"


# ---------------------------------------------------------------- gaps in words


def gap_text(gap: dict | None, score: float | None, lang: str, qualifier: str | None = None) -> str:
    """What closes the gap, as an instruction in the lever's natural unit.

    `gap` is the payload's: field, amount, label, kind, unit (in `lang`) and the indicator's
    direction. zh '新增3个乡镇(街道)科协', '再招募1,240名注册科技志愿者', '…占比提高1.83个百分点';
    en 'add 3 township CASTs', 'raise … by 1.83 pp'. A negative amount means less is better.
    """
    if score is None:
        return ""
    if gap is None:
        return t(lang, "no_gap")
    amount = gap["amount"]
    if amount == 0:
        return t(lang, "met")
    label, unit, kind = gap["label"], gap["unit"], gap["kind"]
    more, n = amount > 0, fmt_number(abs(amount))
    if kind == "flag":
        text = say(lang, "flag_yes" if gap["direction"] == "higher" else "flag_no", label=label)
    elif kind == "share":
        pp = f"{abs(amount) * 100:.2f}".rstrip("0").rstrip(".")
        text = say(lang, "raise_pp" if more else "lower_pp", label=label, n=pp)
    elif lang == "zh":
        text = _zh_change(label, unit, kind, more, n)
    elif kind == "money":
        text = say(lang, "add_money" if more else "cut_money", label=label, n=n, unit=unit)
    elif kind == "count":
        recruit = any(word in label.lower() for word in REPORT_EN_RECRUITED)
        text = say(lang, ("recruit" if recruit else "add") if more else "cut", label=label, n=n)
    else:
        text = say(lang, "raise_by" if more else "lower_by", label=label, n=f"{n} {unit}".strip())
    if qualifier in ("lower_bound", "upper_bound"):
        text += say(lang, f"gap_{qualifier}_{gap['direction']}")
    elif qualifier == "approx":
        text += say(lang, "gap_approx")
    return text


def _zh_change(label: str, unit: str, kind: str, more: bool, n: str) -> str:
    """'新增3个乡镇(街道)科协' when the label is a noun + 数, else '年度科普活动场次增加62场'."""
    noun = label[:-1] if label.endswith("数") and not label.endswith("次数") else None
    if noun and unit == "人" and noun.endswith("人"):
        noun = noun[:-1]
    if not more or kind != "count" or not noun or noun.endswith(REPORT_ZH_VERB_ENDINGS):
        return say("zh", "more" if more else "less", label=label, n=n, unit=unit)
    verb = "再招募" if any(word in noun for word in REPORT_ZH_RECRUITED) else "新增"
    for lead, lead_verb in REPORT_ZH_LEADING_VERBS.items():
        if noun.startswith(lead):
            verb, noun = lead_verb, noun[len(lead) :]
    measure = "名" if unit == "人" else unit
    return f"{verb}{n}{measure}{noun}"


# ---------------------------------------------------------------- sections


def _head(out: list[Block], payload: dict, lang: str) -> None:
    region, overall = payload["region"], payload["overall"]
    out.append(Block("h", level=1, text=say(lang, "title", region=region["name"])))
    colon = t(lang, "colon")
    facts = [
        (t(lang, "region"), region["name"]),
        (t(lang, "level"), t(lang, region["level"]) if region["level"] else "—"),
        (t(lang, "year"), str(region["year"] or "—")),
        (say(lang, "date"), payload["about"]["date"]),
        (t(lang, "overall"), fmt_score(overall["score"])),
        (t(lang, "range"), fmt_range(overall["range"])),
        (t(lang, "grade"), fmt_grade(overall, lang)),
        (t(lang, "completeness"), _pct(overall["completeness"]) + _paren(t(lang, "assessed", n=overall["assessed"], total=overall["indicators"]), lang)),
    ]
    out.append(Block("ul", items=[P(("b", k), colon + v) for k, v in facts]))


def _summary(out: list[Block], payload: dict, lang: str, numbers: _Numbers) -> None:
    region, overall, s = payload["region"], payload["overall"], payload["summary"]
    name = region["name"]
    out.append(numbers.h2(say(lang, "summary")))
    if overall["score"] is None:
        sentences = [say(lang, "unscored", region=name)]
    else:
        year = say(lang, "in_year", year=region["year"]) if region["year"] else ""
        sentences = [say(lang, "scores", region=name, year=year, score=fmt_score(overall["score"]), grade=fmt_grade(overall, lang))]
    kinds = t(lang, f"{s['overall_by']}_word")
    best, worst = s["best"], s["worst"]
    if s["scored_groups"] == 1:
        sentences.append(say(lang, "only_one", kinds=kinds, best=best["label"], best_score=fmt_score(best["score"])))
    elif best:
        if fmt_score(best["score"]) == fmt_score(worst["score"]):
            sentences.append(say(lang, "all_equal", n=s["scored_groups"], kinds=kinds, score=fmt_score(best["score"])))
        else:
            sentences.append(
                say(
                    lang,
                    "strong_weak",
                    n=s["scored_groups"],
                    kinds=kinds,
                    best=best["label"],
                    best_score=fmt_score(best["score"]),
                    worst=worst["label"],
                    worst_score=fmt_score(worst["score"]),
                )
            )
    if s["top"]:
        items = [say(lang, "points_of", label=r["label"], points=_pts(r["points"])) for r in s["top"]]
        sentences.append(say(lang, "most_left", items=_join(items, lang)))
    elif s["all_met"]:
        sentences.append(say(lang, "all_met"))
    sentences.append(say(lang, "complete", n=overall["assessed"], total=overall["indicators"], pct=_pct(overall["completeness"])))
    if s["incomplete"]:
        sentences.append(say(lang, "incomplete", threshold=_pct(s["min_completeness"])))
    if note := grade_note(overall, lang):
        sentences.append(_sentence(note) + ("。" if lang == "zh" else "."))
    out.append(Block("p", runs=P((" " if lang == "en" else "").join(sentences))))


def _group_name(g: dict, lang: str) -> str:
    return f"{t(lang, g['kind'])} · {g['label']}"


def _groups(out: list[Block], payload: dict, lang: str, numbers: _Numbers, charts: list[str]) -> None:
    out.append(numbers.h2(say(lang, "groups")))
    out.append(Block("p", runs=P(say(lang, "groups_intro", kinds=t(lang, f"{payload['summary']['overall_by']}_word")))))
    cap = payload["overall"]["bonus_cap"]
    rows = [[t(lang, g["kind"]), g["label"], fmt_group_score(g, cap, lang), fmt_range(g["range"]), band_label(g["band"], lang)] for g in payload["groups"]]
    out.append(Block("table", header=[say(lang, "kind"), t(lang, "group"), t(lang, "score"), t(lang, "range"), t(lang, "band")], rows=rows))
    bars = [(_group_name(g, lang), g["score"], _credit_note(g, cap, lang)) for g in payload["groups"]]
    out.append(Block("chart", key="groups", text=say(lang, "group_chart"), bars=bars if "groups" not in charts else []))


def chart_keys(n_bars: int, most: int) -> list[str]:
    """'indicators', then 'indicators-2', … when the bars need more than one chart of at most `most`."""
    parts = -(-n_bars // most) if n_bars else 0
    return [("indicators" if i == 0 else f"indicators-{i + 1}") for i in range(parts)]


def _indicators(out: list[Block], payload: dict, lang: str, numbers: _Numbers, charts: list[str]) -> None:
    out.append(numbers.h2(say(lang, "indicators")))
    out.append(Block("p", runs=P(say(lang, "indicators_intro"))))
    keys = [k for k in charts if k.startswith("indicators")]
    for i, key in enumerate(keys, start=1):
        alt = say(lang, "indicator_chart")
        out.append(Block("chart", key=key, text=alt if len(keys) == 1 else say(lang, "chart_part", what=alt, n=i, m=len(keys))))
    for dim in payload["dimensions"]:
        out.append(numbers.h3(dim["label"] + _paren(fmt_score(dim["score"]), lang)))
        if dim["assessed"]:
            out.append(Block("ul", items=[_indicator_line(i, lang) for i in dim["assessed"]]))
        if dim["unassessed"]:
            out.append(Block("p", runs=P(say(lang, "unassessed_here", n=dim["unassessed"]))))


def _label(item: dict, lang: str) -> list:
    return [("b", item["label"]), *([("", say(lang, "bonus_tag"))] if item["bonus"] else [])]


def _indicator_line(item: dict, lang: str) -> list:
    sep = " " if lang == "en" else ""
    text = say(
        lang,
        "indicator_line",
        value=fmt_value(item["value"], item["unit"], lang, item["qualifier"]),
        target=fmt_value(item["target"], item["unit"], lang),
        score=fmt_score(item["score"]),
        band=say(lang, "band_part", band=band_label(item["band"], lang)) if item["band"] else "",
        gap=gap_text(item["gap"], item["score"], lang, item["qualifier"]),
    )
    return [*_label(item, lang), ("", (":" if lang == "en" else "：") + sep + text)]


def _priorities(out: list[Block], payload: dict, lang: str, numbers: _Numbers) -> None:
    out.append(numbers.h2(say(lang, "priorities")))
    rows = payload["priorities"]
    if not rows:
        out.append(Block("p", runs=P(say(lang, "all_met" if payload["any_assessed"] else "none_assessed"))))
        return
    out.append(Block("p", runs=P(say(lang, "priorities_intro"))))
    items = [
        [
            *_label(r, lang),
            (
                "",
                say(
                    lang, "priority_line", score=fmt_score(r["score"]), points=_pts(r["points_left"]), gap=gap_text(r["gap"], r["score"], lang, r["qualifier"])
                ),
            ),
        ]
        for r in rows
    ]
    out.append(Block("ol", items=items))
    if payload["additive"]:
        out.append(Block("p", runs=P(say(lang, "priorities_total", left=_pts(payload["totals"]["left"]), overall=fmt_score(payload["overall"]["score"])))))


def _quality(out: list[Block], payload: dict, lang: str, numbers: _Numbers) -> None:
    out.append(numbers.h2(say(lang, "quality")))
    missing = payload["not_assessed"]
    if missing:
        out.append(numbers.h3(say(lang, "not_assessed", n=len(missing))))
        out.append(Block("p", runs=P(say(lang, "not_assessed_intro"))))
        out.append(Block("ul", items=[_missing_line(r, lang) for r in missing]))
    out.append(numbers.h3(say(lang, "care")))
    careful = [f for f in payload["figures"] if f["notes"]]
    if careful:
        sep = t(lang, "semi")
        out.append(
            Block(
                "ul", items=[[("b", f["label"]), ("", say(lang, "care_line", value=figure_value(f, lang), notes=sep.join(_notes(f, lang))))] for f in careful]
            )
        )
    else:
        out.append(Block("p", runs=P(say(lang, "care_none"))))


def _missing_line(r: dict, lang: str) -> list:
    share = t(lang, "bonus") if r["bonus"] else say(lang, "share_of_score", share=_pct1(r["nominal_weight"]))
    if r["reason"] in REASONS:
        return [("b", r["label"]), ("", say(lang, "why_line", share=share, why=t(lang, r["reason"])))]
    fields = say(lang, "list_sep").join(m["label"] for m in r["missing"])
    return [("b", r["label"]), ("", say(lang, "needs_line", share=share, fields=fields))]


def _notes(figure: dict, lang: str) -> list[str]:
    return [say(lang, "note_old", year=figure["year"], n=figure["age"]) if n == "old" else say(lang, f"note_{n}") for n in figure["notes"]]


def figure_value(figure: dict, lang: str) -> str:
    """A raw figure as given: shares in percent to two decimals, counts and money with their unit."""
    value, kind = figure["value"], figure["kind"]
    sign = QUALIFIER_SIGNS.get(figure["qualifier"] or "", "")
    if kind == "flag":
        return fmt_value(value, "flag", lang)
    if kind == "share":
        return f"{sign}{round(value * 100, 4):g}%"
    unit = figure["unit"]
    return f"{sign}{fmt_number(value, 4)}" + (f" {unit}" if unit else "")


def _comparison(out: list[Block], data: dict, lang: str, numbers: _Numbers) -> None:
    left, right = data["left"]["label"], data["right"]["label"]
    out.append(numbers.h2(say(lang, "comparison", other=right)))
    o = data["overall"]
    head = say(
        lang,
        "overall_both",
        left=left,
        ls=fmt_score(o["left"]["score"]),
        lg=fmt_grade(o["left"], lang),
        right=right,
        rs=fmt_score(o["right"]["score"]),
        rg=fmt_grade(o["right"], lang),
    )
    sp = " " if lang == "en" else ""
    if o["difference"] is None:
        # nothing shared: say so once (common_note), then only what each side assessed alone
        text = head + sp + common_note(data, lang)
    else:
        diff = say(
            lang,
            "common_diff",
            n=o["common"]["indicators"],
            left=left,
            cl=fmt_score(o["common"]["left"]),
            right=right,
            cr=fmt_score(o["common"]["right"]),
            diff=_signed(o["difference"]),
        )
        text = head + sp + diff + sp + _sentence(summary(data, lang))
    out.append(Block("p", runs=P(text)))
    if o["common"]["indicators"]:
        out.append(Block("table", header=_group_header(data, lang), rows=_group_rows(data, lang)))
    both = [i for i in data["indicators"] if i["assessed"] == "both"]
    if both:
        out.append(numbers.h3(say(lang, "both")))
        lines = []
        for i in both:
            a, b = i["left"], i["right"]
            if i["leader"] in ("left", "right"):
                lead = say(lang, "leads_by", name=data[i["leader"]]["label"], diff=f"{abs(i['score_difference']):.1f}")
            else:
                lead = say(lang, "level")
            line = say(
                lang,
                "both_line",
                left=left,
                lv=fmt_value(a["value"], i["unit"], lang, a["qualifier"]),
                ls=fmt_score(a["score"]),
                right=right,
                rv=fmt_value(b["value"], i["unit"], lang, b["qualifier"]),
                rs=fmt_score(b["score"]),
                lead=lead,
            )
            lines.append([("b", i["label"]), ("", line)])
        out.append(Block("ul", items=lines))
    sides = [(side, [i for i in data["indicators"] if i["assessed"] == side]) for side in ("left", "right")]
    if any(items for _, items in sides):
        out.append(numbers.h3(say(lang, "one_side")))
        sep, colon = say(lang, "list_sep"), t(lang, "colon")
        out.append(
            Block(
                "ul",
                items=[
                    [
                        ("b", say(lang, "only_line", name=data[side]["label"])),
                        ("", colon + sep.join(i["label"] for i in items) + ("。" if lang == "zh" else ".")),
                    ]
                    for side, items in sides
                    if items
                ],
            )
        )


# ---------------------------------------------------------------- appendices


def _cites(numbers: list[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _figures(out: list[Block], payload: dict, lang: str, numbers: _Numbers) -> None:
    out.append(numbers.annex(say(lang, "figures")))
    figures = payload["figures"]
    out.append(Block("p", runs=P(say(lang, "figures_intro" if any(f["refs"] for f in figures) else "figures_intro_nosource"))))
    colon = t(lang, "colon")
    lines = []
    for f in figures:
        lp, rp = _brackets(lang)
        runs = [("", f["label"] + lp), ("code", f["field"]), ("", rp + colon + figure_value(f, lang) + _cites(f["refs"]))]
        if f["quote"]:
            runs.append(("", ("——" if lang == "zh" else " — ") + f"“{f['quote']}”"))
        lines.append(runs)
    if lines:
        out.append(Block("ul", items=lines))


def _methodology(out: list[Block], payload: dict, lang: str, numbers: _Numbers) -> None:
    m = payload["method"]
    colon, sep, comma = t(lang, "colon"), t(lang, "semi"), say(lang, "list_sep")
    out.append(numbers.annex(say(lang, "method")))
    out.append(numbers.h3(say(lang, "aggregation")))
    mean = say(lang, "arithmetic") if m["aggregation"] == "arithmetic" else say(lang, "geometric", floor=f"{m['geometric_floor']:g}")
    weights = comma.join(f"{w['label']} {w['weight']:g}" for w in m["weights"])
    scores = comma.join(f"{band_label(b, lang)} {s:g}" for b, s in m["band_scores"].items())
    floors = comma.join(f"{band_label(b, lang)} ≥ {v:g}" for b, v in m["score_bands"].items())
    grades = comma.join(f"{g['label']} ≥ {g['min']:g}" for g in m["grades"])
    lines = [
        say(lang, "agg_overall", mean=mean, kinds=t(lang, f"{m['overall_by']}_word"), weights=weights, bonus=say(lang, "plus_bonus") if m["has_bonus"] else ""),
        say(lang, "agg_groups"),
        say(lang, "agg_skip" if m["missing"] == "skip" else "agg_zero"),
        say(lang, "agg_bands", scores=scores, floors=floors),
        say(lang, "agg_grades", grades=grades),
        say(lang, "agg_threshold", pct=_pct(m["min_completeness"])),
        say(lang, "agg_range", pct=_pct(m["min_completeness"])),
        *([say(lang, "agg_n", cap=f"{m['bonus_cap']:g}")] if m["has_bonus"] else []),
        say(lang, "agg_basis", n=len(m["indicators"]), calibrated=m["calibrated"], **m["basis"]),
    ]
    out.append(Block("ul", items=[P(x) for x in lines]))
    out.append(numbers.h3(say(lang, "method_indicators", n=len(m["indicators"]))))
    items = []
    for ind in m["indicators"]:
        lp, rp = _brackets(lang)
        head = [("b", ind["label"]), ("", lp), ("code", ind["id"]), ("", rp)]
        if ind["description"]:
            head.append(("", colon + ind["description"]))
        groups = sep.join(f"{t(lang, k)}{colon}" + comma.join(labels) for k, labels in ind["groups"].items())
        weight = f"{ind['weight']:g}{sep}{t(lang, 'weight_nominal', nominal=_pct1(ind['nominal_weight']))}" if not ind["bonus"] else t(lang, "bonus_weight")
        rule = rule_text({"rule": ind["rule"], "indicator": {"unit": ind["unit"]}}, lang)
        basis = threshold_text(ind["basis"], ind["source"], lang)
        if ind["calibrated_on"]:
            basis += sep + t(lang, "calibrated_on", regions=t(lang, "list_sep").join(ind["calibrated_on"]))
        subs = [P(f"{t(lang, 'why')}{colon}{ind['why']}")] if ind["why"] else []
        subs += [
            [("", f"{t(lang, 'formula')}{colon}"), ("code", ind["formula"])],
            P(f"{t(lang, 'rule')}{colon}{rule}"),
            P(f"{t(lang, 'weight')}{colon}{weight}"),
            P(f"{say(lang, 'groups_of')}{colon}{groups}"),
            P(f"{t(lang, 'threshold_source')}{colon}{basis}"),
        ]
        items.append((head, subs))
    out.append(Block("defs", items=items))


def _references(out: list[Block], payload: dict, lang: str, numbers: _Numbers) -> None:
    out.append(numbers.annex(say(lang, "references")))
    refs = payload["references"]
    if not refs:
        out.append(Block("p", runs=P(say(lang, "references_none"))))
        return
    out.append(Block("p", runs=P(say(lang, "references_intro"))))
    items = []
    for r in refs:
        runs = [("", r["title"])]
        runs.append(("url", r["url"]) if r["url"] else ("", _paren(say(lang, "no_address"), lang)))
        if r["note"]:
            runs.append(("", _paren(r["note"], lang)))
        items.append(runs)
    out.append(Block("ol", items=items))


def _about(out: list[Block], payload: dict, lang: str, numbers: _Numbers) -> None:
    about = payload["about"]
    out.append(numbers.annex(say(lang, "about")))
    colon, config = t(lang, "colon"), about["config"]
    facts = [
        [("b", say(lang, "tool")), ("", colon + f"scast {about['version']}")],
        [("b", t(lang, "config")), ("", colon), ("", say(lang, "bundled_config", version=about["version"])) if config["bundled"] else ("code", config["path"])],
        [("b", say(lang, "sha256")), ("", colon), ("code", config["sha256"])],
        [("b", say(lang, "date")), ("", colon + about["date"])],
    ]
    out.append(Block("ul", items=facts))


# ---------------------------------------------------------------- markdown


# Data text made literal in the report (safe.markdown_text), its URLs as <autolinks>: a source
# cites a web page and the reader sees the address a link goes to.
md = functools.partial(markdown_text, autolink=True)


def _md_runs(runs: list) -> str:
    out = []
    for style, text in runs:
        # only the start of a line can open a list or a heading: later runs are escaped as mid-line text
        escaped = md(text) if not out else md("a" + text)[1:]
        if style == "b":
            out.append(f"**{escaped}**")
        elif style == "code":
            out.append(markdown_code(text))
        elif style == "url":
            out.append(" " + md(text))
        else:
            out.append(escaped)
    return "".join(out)


def markdown(blocks: list[Block], links: dict[str, str] | None = None) -> str:
    """The blocks as markdown; `links` maps a chart key to the file name it is written as."""
    links = links or {}
    parts: list[list[str]] = []
    for b in blocks:
        if b.kind == "h":
            parts.append([f"{'#' * b.level} {md(b.text)}"])
        elif b.kind == "p":
            parts.append(wrap(_md_runs(b.runs)))
        elif b.kind == "ul":
            parts.append([line for item in b.items for line in wrap(_md_runs(item), "- ", "  ")])
        elif b.kind == "ol":
            lines = []
            for n, item in enumerate(b.items, start=1):
                marker = f"{n}. "
                lines += wrap(_md_runs(item), marker, " " * len(marker))
            parts.append(lines)
        elif b.kind == "table":
            parts.append(_table(b.header, b.rows))
        elif b.kind == "chart":
            if b.key in links:
                parts.append([f"![{md(b.text)}]({_link(links[b.key])})"])
            elif b.bars:
                parts.append(markdown_fence(text_bars(b.bars), "text"))
        elif b.kind == "defs":
            lines = []
            for head, subs in b.items:
                lines += wrap(_md_runs(head), "- ", "  ")
                for sub in subs:
                    lines += wrap(_md_runs(sub), "  - ", "    ")
            parts.append(lines)
    return "\n\n".join("\n".join(p) for p in parts) + "\n"


# A line must not start with what markdown (CommonMark or pandoc's) reads as a list marker,
# quote, heading, rule, line block or definition; such a word stays on the line before.
_BLOCK_START = re.compile(r"^(?:[-+*:~|]|[-=_*]+|#{1,6}|>.*|\(?(?:\d{1,9}|[A-Za-z]|[ivxlcdmIVXLCDM]+|#)[.)])$")


def wrap(text: str, first: str = "", rest: str = "", width: int = WIDTH) -> list[str]:
    """Fill words into lines of at most `width` characters, breaking at spaces only.

    A word longer than a line (a CJK sentence has no spaces) gets a line of its own: MD013 only
    objects to a long line with a space beyond the limit.
    """
    words: list[str] = []
    for word in text.split():
        if words and _BLOCK_START.match(word):
            words[-1] += " " + word
        else:
            words.append(word)
    lines, line, empty = [], first, True
    for word in words:
        if empty:
            line += word
        elif len(line) + 1 + len(word) > width:
            lines.append(line)
            line = rest + word
        else:
            line += " " + word
        empty = False
    lines.append(line)
    return [x.rstrip() for x in lines]


def _link(name: str) -> str:
    """A file name as a link target: spaces and parentheses would end it early."""
    return name.replace("%", "%25").replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def text_bars(rows: list[tuple], cells: int = 10) -> list[str]:
    """'组织覆盖 · …  █████████░ 91.7': one line per (label, score[, note shown instead of the
    score]), labels padded to the same display width."""
    widths = [display_width(row[0]) for row in rows]
    longest = max(widths, default=0)
    out = []
    for (label, score, *note), w in zip(rows, widths, strict=True):
        filled = 0 if score is None else round(score / 100 * cells)
        shown = note[0] if note and note[0] is not None else fmt_score(score)
        out.append(f"{label}{' ' * (longest - w)}  {'█' * filled}{'░' * (cells - filled)} {shown}")
    return out


def _credit_note(group: dict, cap: float, lang: str) -> str | None:
    """What a group that only adds credit (the "N") shows instead of a score, as its table row says it."""
    return fmt_group_score(group, cap, lang) if group.get("credit_only") and group.get("credit") is not None else None


# ---------------------------------------------------------------- charts


MOST_BARS = 18  # bars in one chart: 18 fit an A4 page at text width with room for the heading


def draw_charts(payload: dict, fmt: str = "png") -> tuple[dict[str, bytes], list[str], str | None]:
    """The charts of a report, keyed 'groups', 'indicators', 'indicators-2', …; notices; the font.

    A chart with more than MOST_BARS indicators is split into parts of nearly equal size, so none
    grows taller than a page. No matplotlib: no charts, notice 'no-matplotlib'. Text with Chinese
    characters and no font to draw them: no charts, notice 'no-cjk-font' (never English stand-ins
    or ids). When matplotlib's font list was stale and scast rebuilt it: notice 'font-cache'.
    """
    from scast_cli.render import charts

    lang = payload["lang"]
    try:
        font, refreshed = charts.cjk_font_status()
    except ImportError as exc:
        if not (exc.name or "").startswith("matplotlib"):
            raise
        return {}, ["no-matplotlib"], None
    notices = ["font-cache"] if refreshed and font else []
    cap = payload["overall"]["bonus_cap"]
    groups = [charts.Bar(_group_name(g, lang), g["score"], g["band"], _credit_note(g, cap, lang)) for g in payload["groups"]]
    items = [charts.Bar(i["label"], i["score"], i["band"]) for d in payload["dimensions"] for i in d["assessed"]]
    keys = chart_keys(len(items), MOST_BARS)
    # parts of nearly equal size (10 at most 4: 4, 3, 3), in reading order
    sizes = [len(items) // len(keys) + (1 if i < len(items) % len(keys) else 0) for i in range(len(keys))]
    starts = [sum(sizes[:i]) for i in range(len(keys))]
    region = payload["region"]["name"]
    words = {
        "axis": t(lang, "score"),
        "legend": {b: t(lang, b) for b in ("green", "yellow", "orange", "red")},
        "empty": say(lang, "unscored_bar"),
    }
    wanted = [("groups", groups, say(lang, "chart_title", what=say(lang, "groups"), region=region))]
    for n, key in enumerate(keys):
        title = say(lang, "chart_title", what=say(lang, "indicators"), region=region)
        if len(keys) > 1:
            title = say(lang, "chart_part", what=title, n=n + 1, m=len(keys))
        wanted.append((key, items[starts[n] : starts[n] + sizes[n]], title))
    texts = [w for _, bars, title in wanted for w in (title, *(b.label for b in bars), *(b.note for b in bars if b.note))]
    texts += [words["axis"], words["empty"], *words["legend"].values()]
    if not font and any(charts.has_cjk(x) for x in texts):
        return {}, ["no-cjk-font"], None
    out = {key: charts.bar_chart(bars, title=title, font=font, fmt=fmt, **words) for key, bars, title in wanted}
    return out, notices, font


# ---------------------------------------------------------------- one call


def build_report(
    result,
    region: str,
    lang: str,
    *,
    against: tuple | None = None,
    chart_stem: str | None = "report",
    chart_format: str = "png",
    today: datetime.date | None = None,
) -> Report:
    """The markdown report for one region of an engine.Result, optionally compared with (other_result, other_region).

    Charts are named '<chart_stem>-groups.<format>' and '<chart_stem>-indicators.<format>' (then
    '-indicators-2', …) and linked by those relative names; chart_stem None draws none (a report
    to stdout has no folder for them).

    Example: build_report(result, "胶州市", "zh", chart_stem="胶州市报告").charts.keys()
    """
    return render_report(result, region, lang, fmt="md", against=against, chart_stem=chart_stem, chart_format=chart_format, today=today)


def render_report(
    result,
    region: str,
    lang: str,
    *,
    fmt: str = "md",
    against: tuple | None = None,
    chart_stem: str | None = "report",
    chart_format: str = "png",
    reference=None,
    converter: str | None = None,
    today: datetime.date | None = None,
) -> Report:
    """The report in one format ('md', 'docx', 'html', 'pdf'), all from one analysis.report payload.

    Markdown links its charts as files named after `chart_stem` (None: no charts, text bars);
    DOCX, HTML and PDF embed them (DOCX and PDF as PNG; `chart_format` 'none' leaves them out).
    `reference` is a .docx whose styles the DOCX takes; `converter` LibreOffice's command for PDF.
    """
    from scast_cli import analysis

    payload = analysis.report(result, region, lang, against=against, today=today)
    wanted = chart_format != "none" and (chart_stem is not None or fmt != "md")
    image_format = chart_format if fmt in ("md", "html") else "png"
    images, notices, font = draw_charts(payload, image_format) if wanted else ({}, [], None)
    blocks = compose(payload, list(images))
    if fmt == "md":
        links = {key: f"{chart_stem}-{key}.{image_format}" for key in images}
        text = markdown(blocks, links)
        return Report(text, {links[k]: v for k, v in images.items()}, notices, font, text.encode("utf-8"))
    if fmt == "html":
        from scast_cli.render import html

        return Report("", {}, notices, font, html.render(blocks, images, lang).encode("utf-8"))
    from scast_cli.render import docx

    data = docx.render(blocks, images, lang, reference)
    if fmt == "pdf":
        data = docx.to_pdf(data, converter or docx.pdf_converter() or "soffice")
    return Report("", {}, notices, font, data)
