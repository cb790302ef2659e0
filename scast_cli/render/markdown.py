"""Markdown for one scored region: GitHub pipe tables, one blank line between blocks."""

from __future__ import annotations

from scast_cli.config import Config
from scast_cli.i18n import t
from scast_cli.render import band_label, fmt_gap, fmt_grade, fmt_group_score, fmt_missing, fmt_range, fmt_score, fmt_value, grade_note, indicator_label
from scast_cli.render.terminal import sections
from scast_cli.safe import markdown_code, markdown_text


def _table(header: list[str], rows: list[list]) -> list[str]:
    """A GitHub pipe table; every header and cell is plain text, escaped here (safe.markdown_text)."""
    lines = ["| " + " | ".join(map(markdown_text, header)) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(map(markdown_text, row)) + " |" for row in rows]
    return lines


def score_markdown(payload: dict, config: Config, lang: str, by: str = "dimension") -> str:
    region, overall = payload["region"], payload["overall"]
    lines = [f"# {markdown_text(t(lang, 'score_title', region=region['name']))}", ""]
    facts = [
        (t(lang, "region"), region["name"]),
        (t(lang, "level"), t(lang, region["level"]) if region["level"] else "—"),
        (t(lang, "year"), region["year"] or "—"),
        (t(lang, "overall"), fmt_score(overall["score"])),
        (t(lang, "range"), fmt_range(overall["range"])),
        (t(lang, "grade"), fmt_grade(overall, lang)),
        (t(lang, "completeness"), f"{(overall['completeness'] or 0) * 100:.0f}% ({t(lang, 'assessed', n=overall['assessed'], total=overall['indicators'])})"),
    ]
    lines += [f"- **{markdown_text(k)}**: {markdown_text(v)}" for k, v in facts] + [""]
    if note := grade_note(overall, lang):
        lines += [markdown_text(note), ""]
    lines += [f"## {markdown_text(t(lang, 'group'))}", ""]
    rows = [
        [f"{t(lang, g['kind'])} · {g['label']}", fmt_group_score(g, overall["bonus_cap"], lang), fmt_range(g["range"]), f"{g['weight']:g}"]
        for g in payload["groups"]
    ]
    lines += _table([t(lang, "group"), t(lang, "score"), t(lang, "range"), t(lang, "weight")], rows) + [""]
    for title, items in sections(payload, by, lang):
        lines += [f"## {markdown_text(title)}", ""]
        rows = [
            [
                indicator_label(i, lang),
                fmt_value(i["value"], i["unit"], lang, i["qualifier"]),
                fmt_value(i["target"], i["unit"], lang),
                fmt_score(i["score"]),
                band_label(i["band"], lang),
                fmt_gap(i, config, lang),
            ]
            for i in items
        ]
        lines += _table([t(lang, k) for k in ("indicator", "value", "target", "score", "band", "gap")], rows) + [""]
    missing = [i for i in payload["indicators"] if i["score"] is None]
    if missing:
        lines += [f"## {markdown_text(t(lang, 'not_assessed'))} ({len(missing)})", ""]
        lines += _table([t(lang, "indicator"), t(lang, "lacks")], [[i["label"], fmt_missing(i, config, lang)] for i in missing]) + [""]
    lines += [f"{markdown_text(t(lang, 'config'))}: {markdown_code(payload['config']['path'])} (sha256 `{payload['config']['sha256'][:12]}`)", ""]
    return "\n".join(lines)
