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
    config = load_config()
    cell = lambda s: str(s).replace("|", "\\|")  # noqa: E731
    lines = ["| id | 指标 / indicator | formula | rule (target) | weight | basis: source |", "| --- | --- | --- | --- | --- | --- |"]
    for ind in config.indicators:
        weight = f"bonus +{ind.bonus_points:g}" if ind.bonus else f"{ind.weight:g}"
        lines.append(
            f"| `{ind.id}` | {cell(ind.zh)} / {cell(ind.en)} | `{cell(ind.formula)}` | {_rule(ind)} | {weight} | {ind.basis}: {cell(ind.source('en'))} |"
        )
    return "\n".join(lines)


def render(text: str) -> str:
    for name, content in (("example", example_output()), ("indicators", indicator_table())):
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
