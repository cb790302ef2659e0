"""Regenerate the generated parts of README.md from the code and the bundled data.

The README's example output and its table of default indicators are produced here, and
tests/test_docs.py fails when the README drifts from what this script writes.
Usage: python scripts/readme.py [--check]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from typer.testing import CliRunner

from scast_cli.cli import app
from scast_cli.config import BandsRule, FlagRule, GoalpostsRule, TargetRule, load_config
from scast_cli.render import threshold_text

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
EXAMPLE = ["score", "data/regions/jiaozhou.yaml", "--lang", "en"]


def example_output() -> str:
    result = CliRunner().invoke(app, EXAMPLE, env={"NO_COLOR": "1", "COLUMNS": "110", "TERM": "dumb"})
    if result.exit_code != 0:
        raise SystemExit(f"example failed: {result.stderr}")
    # the last line names the indicators file by its installed path, which differs per machine
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    cut = next((i for i, line in enumerate(lines) if line.startswith("Indicators file:")), len(lines))
    body = "\n".join(lines[:cut])
    return f"```console\n$ scast {' '.join(EXAMPLE)}\n{body}\n```"


def _rule(ind) -> str:
    rule = ind.rule
    if isinstance(rule, BandsRule):
        return "bands " + " / ".join(f"{k[0].upper()} {v:g}" for k, v in rule.bands.items())
    if isinstance(rule, TargetRule):
        return f"target {rule.target:g}"
    if isinstance(rule, GoalpostsRule):
        return f"goalposts {rule.lower:g}–{rule.upper:g}"
    if isinstance(rule, FlagRule):
        return "flag yes/no"
    return ""


def indicator_table() -> str:
    """The default indicators: part, standard and why, rule, weight, and where each threshold comes from."""
    config = load_config()
    cell = lambda s: str(s).replace("|", "\\|")  # noqa: E731
    by_basis = {b: sum(1 for i in config.indicators if i.basis == b) for b in ("reported", "derived", "proposed")}
    calibrated = [i for i in config.indicators if i.calibrated_on]
    parts = {p: [i.id for i in config.indicators if p in i.framework] for p in ("3", "1", "N")}
    lines = [
        f'{len(config.indicators)} indicators: {len(parts["3"])} in part "3", {len(parts["1"])} in part "1", '
        f'{len(parts["N"])} in part "N" (credit only), the rest in no part. Thresholds: {by_basis["reported"]} reported, '
        f"{by_basis['derived']} derived, {by_basis['proposed']} proposed; {len(calibrated)} calibrated on a bundled region's own "
        "figure (marked *calibrated on*), so that region's score on them is not independent evidence.",
        "",
        "| id | 指标 / indicator | part · standard: why | formula | rule (target) | weight | basis: source |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for ind in config.indicators:
        weight = f"bonus +{ind.bonus_points:g}" if ind.bonus else f"{ind.weight:g}"
        if ind.fallback_for:
            weight += f" (fallback for `{ind.fallback_for}`)"
        part = "/".join(ind.framework) or "—"
        why = f"{part} · {', '.join(ind.standard) or '—'}" + (f": {cell(ind.why('en'))}" if ind.why else "")
        source = cell(threshold_text(ind.basis, ind.source("en"), "en"))  # the kind once, as every view says it
        if ind.calibrated_on:
            source += f" *calibrated on {', '.join(ind.calibrated_on)}*"
        lines.append(f"| `{ind.id}` | {cell(ind.zh)} / {cell(ind.en)} | {why} | `{cell(ind.formula)}` | {_rule(ind)} | {weight} | {source} |")
    return "\n".join(lines)


def codes_table() -> str:
    """Every problem code from errors.CATALOGUE, in English and Chinese."""
    from scast_cli.errors import CATALOGUE

    lines = ["| code | meaning | 含义 |", "| --- | --- | --- |"]
    lines += [f"| `{code}` | {en} | {zh} |" for code, (en, zh) in CATALOGUE.items()]
    return "\n".join(lines)


def render(text: str) -> str:
    for name, content in (("example", example_output()), ("indicators", indicator_table()), ("codes", codes_table())):
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(\n<!-- {name}:end -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"README.md lacks the <!-- {name}:start/end --> markers")
        text = pattern.sub(lambda m, c=content: m.group(1) + c + m.group(2), text)
    return text


def main() -> None:
    current = README.read_text(encoding="utf-8")
    fresh = render(current)
    if "--check" in sys.argv:
        sys.exit(0 if fresh == current else "README.md is out of date: run python scripts/readme.py")
    README.write_text(fresh, encoding="utf-8")


if __name__ == "__main__":
    main()
