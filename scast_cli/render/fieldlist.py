"""The output of `scast fields`: every field with labels, aliases, kind, unit, bounds, part of."""

from __future__ import annotations

from scast_cli.config import Config, FieldSpec
from scast_cli.i18n import field_kind, t
from scast_cli.render import print_parts
from scast_cli.render.machine import to_json
from scast_cli.safe import markdown_text


def _bounds(spec: FieldSpec) -> str:
    low = spec.min if spec.min is not None else (0 if spec.kind in ("count", "share", "money") else None)
    high = spec.max if spec.max is not None else (1 if spec.kind == "share" else None)
    if low is None and high is None:
        return ""
    return f"{'' if low is None else f'{low:g}'}..{'' if high is None else f'{high:g}'}"


def rows(config: Config, lang: str) -> list[list[str]]:
    return [
        [
            f.id,
            f.zh if lang == "zh" else f.en,
            f.en if lang == "zh" else f.zh,
            ", ".join(f.aliases),
            field_kind(lang, f.kind),
            f.unit_label(lang),
            _bounds(f),
            " + ".join(f.part_of),
            (t(lang, f.period) if lang == "zh" else f.period) if f.period else "",
        ]
        for f in config.fields
    ]


HEAD = {
    "en": ["id", "label", "other language", "aliases", "kind", "unit", "bounds", "part of", "period"],
    "zh": ["字段", "名称", "English", "别名", "类型", "单位", "范围", "不大于", "期间"],
}


def as_json(config: Config) -> str:
    payload = [f.model_dump(exclude_none=True) for f in config.fields]
    return to_json(payload)


def as_markdown(config: Config, lang: str) -> str:
    head = HEAD.get(lang, HEAD["en"])
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    lines += ["| " + " | ".join(markdown_text(c) for c in row) + " |" for row in rows(config, lang)]
    return "\n".join(lines) + "\n"


def render(console, config: Config, lang: str) -> None:
    """Id, label, aliases, kind, unit, bounds and part-of (--format markdown has the other language
    and the period too); a terminal too narrow for those columns gets one block per field instead."""
    from rich.table import Table

    from scast_cli.render.layout import fit_or_stack

    keep = (0, 1, 3, 4, 5, 6, 7)
    head = HEAD.get(lang, HEAD["en"])
    table = Table(show_edge=False)
    for i in keep:
        table.add_column(head[i])
    for row in rows(config, lang):
        table.add_row(*(row[i] for i in keep))
    print_parts(console, fit_or_stack(table, console.width))
