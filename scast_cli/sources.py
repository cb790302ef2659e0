"""The reference list that report citations resolve against (scast_cli/sources.yaml).

Indicator thresholds and region figures cite the domain research as `S-01` … `S-58` and the five
seed documents as `seed 000` … `seed 004` (in Chinese text `种子资料002`). scripts/sources.py
generates sources.yaml from the research; this module reads it (safe YAML, shipped in the
package) and finds citations in a text. Pure functions: nothing here prints.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

# 'S-01', 'S-32b', 'seed 003', 'Seed 002', 'seeds 000', '种子资料002'; brackets around one are part of it
CITATION = re.compile(r"\[?(?:(S-\d{2}[a-z]?)|(?:[Ss]eeds?|种子资料)\s?(\d{3}))\]?")
PATH = Path(__file__).with_name("sources.yaml")


@functools.cache
def catalogue() -> dict[str, dict]:
    """key ('S-01', 'seed 003') -> {'title', 'url', 'kind', 'note' or 'reliability'}."""
    import yaml

    data = yaml.safe_load(PATH.read_text(encoding="utf-8")) or {}
    return {str(k): dict(v) for k, v in data.items()}


def key_of(match: re.Match) -> str:
    return match.group(1) or f"seed {match.group(2)}"


def cited(text: str | None) -> list[str]:
    """The citation keys in a text, in order of first appearance, each once."""
    return list(dict.fromkeys(key_of(m) for m in CITATION.finditer(text or "")))
