"""JSON and CSV: written with plain writes, never through rich (no wrapping, no markup)."""

from __future__ import annotations

import csv
import io
import json

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


def to_json(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


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
    return buffer.getvalue()
