"""JSON and CSV: written with plain writes, never through rich (no wrapping, no markup)."""

from __future__ import annotations

import csv
import io
import json
import math
import re

from scast_cli.safe import spreadsheet_row

CSV_COLUMNS = [
    "region",
    "year",
    "indicator",
    "label",
    "dimension",
    "framework",
    "standard",
    "value",
    "qualifier",
    "unit",
    "target",
    "score",
    "band",
    "gap_field",
    "gap_amount",
    "missing",
    "weight",
    "effective_weight",
    "region_score",
    "region_score_low",
    "region_score_high",
    "region_grade",
    "region_grade_status",
    "region_completeness",
]


# Characters json.dumps leaves raw with ensure_ascii=False that a terminal may obey or that
# reorder the text shown (DEL, C1 controls such as the 8-bit CSI, bidi overrides, line separators).
_RAW = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def to_json(payload) -> str:
    """Every JSON scast prints: strict JSON (a non-finite number becomes null, never NaN or
    Infinity, which are not JSON) with every control or bidi character \\u-escaped, so the data
    stay exact and nothing in them acts on the terminal that shows them."""
    text = json.dumps(finite(payload), ensure_ascii=False, indent=2, allow_nan=False)
    return _RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n"


def finite(value):
    """`value` with every NaN or infinite float, at any depth, replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def to_csv(payloads: list[dict]) -> str:
    """One row per region x indicator, each row carrying its region's overall score, range and grade
    status; the group scores are in JSON and markdown."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for payload in payloads:
        overall = payload["overall"]
        for item in payload["indicators"]:
            gap = item["gap"] or {}
            writer.writerow(
                spreadsheet_row(
                    {
                        "region": payload["region"]["name"],
                        "year": payload["region"]["year"],
                        "indicator": item["id"],
                        "label": item["label"],
                        "dimension": item["dimension"],
                        "framework": "|".join(item["tags"]["framework"]),
                        "standard": "|".join(item["tags"]["standard"]),
                        "value": item["value"],
                        "qualifier": item["qualifier"],
                        "unit": item["unit"],
                        "target": item["target"],
                        "score": item["score"],
                        "band": item["band"],
                        "gap_field": gap.get("field"),
                        "gap_amount": gap.get("amount"),
                        "missing": "|".join(item["missing"]),
                        "weight": item["weight"],
                        "effective_weight": item["effective_weight"],
                        "region_score": overall["score"],
                        "region_score_low": overall["range"][0],
                        "region_score_high": overall["range"][1],
                        "region_grade": overall["grade"],
                        "region_grade_status": overall["grade_status"],
                        "region_completeness": overall["completeness"],
                    }
                )
            )
    return buffer.getvalue()
