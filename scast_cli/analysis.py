"""Views over scored results: compare two regions, rank many, explain one score.

Pure functions that return plain dicts and lists (the JSON contracts in the README). Ranking works
on whole columns of the engine's tables, never a loop over regions; the loops here run over the
indicators of one region.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from scast_cli import engine
from scast_cli.config import BandsRule, Config, FlagRule, GoalpostsRule, Indicator, TargetRule
from scast_cli.engine import Result, _num, as_dict
from scast_cli.errors import UsageError, did_you_mean
from scast_cli.i18n import t

KINDS = ("dimension", "framework", "standard")
_SECTIONS = np.array(["ranked", "incomplete", "unscored"], dtype=object)  # by code 0, 1, 2


# ---------------------------------------------------------------- compare


def side_names(left: str, left_year: Any, right: str, right_year: Any) -> tuple[str, str]:
    """Names that tell the two sides apart: the same region in two years becomes '胶州市 2023' / '胶州市 2024'."""
    if left != right:
        return left, right
    if left_year != right_year and left_year is not None and right_year is not None:
        return f"{left} {left_year}", f"{right} {right_year}"
    return f"{left} (1)", f"{right} (2)"


def compare(left: Result, left_region: str, right: Result, right_region: str, lang: str = "en") -> dict[str, Any]:
    """Both sides indicator by indicator, group by group and overall; differences are left - right.

    Like with like: leads, and the overall and group differences, are computed on the indicators
    assessed on BOTH sides only (each side re-aggregated over that common set, as `score` adds up).
    An indicator assessed on one side only is listed, never scored as a difference; with nothing
    in common there is no difference at all. Each side's own score, range and grade are shown for
    context. Equal scores are level even when the values differ (both meet the same band).
    """
    config = left.config
    a, b = as_dict(left, left_region, lang), as_dict(right, right_region, lang)
    names = side_names(a["region"]["name"], a["region"]["year"], b["region"]["name"], b["region"]["year"])
    items = []
    for x, y in zip(a["indicators"], b["indicators"], strict=True):
        sx, sy = x["score"], y["score"]
        assessed = {(True, True): "both", (True, False): "left", (False, True): "right", (False, False): "neither"}[(sx is not None, sy is not None)]
        leader = None
        if assessed == "both":
            leader = "left" if sx - sy > 1e-9 else "right" if sy - sx > 1e-9 else "level"
        items.append(
            {
                "id": x["id"],
                "label": x["label"],
                "unit": x["unit"],
                "dimension": x["dimension"],
                "tags": x["tags"],
                "left": _side(x),
                "right": _side(y),
                "score_difference": _diff(sx, sy),
                "value_difference": _diff(x["value"], y["value"]),
                "assessed": assessed,
                "leader": leader,
                "calibrated_on": [r for r in config.indicator_by_id[x["id"]].calibrated_on if r in (a["region"]["name"], b["region"]["name"])],
            }
        )
    common = [i["assessed"] == "both" for i in items]
    pair = pd.concat([left.score.loc[[left_region]], right.score.loc[[right_region]]], ignore_index=True)
    groups_c, credit_c, overall_c = engine.aggregate(config, pair.where(np.array([common, common])))
    groups = []
    for g, h in zip(a["groups"], b["groups"], strict=True):
        key = (g["kind"], g["id"])
        cl, cr = _num(groups_c.at[0, key]), _num(groups_c.at[1, key])
        kl, kr = _num(credit_c.at[0, key]), _num(credit_c.at[1, key])
        groups.append(
            {
                "kind": g["kind"],
                "id": g["id"],
                "label": g["label"],
                "left": g["score"],
                "right": h["score"],
                "left_range": g["range"],
                "right_range": h["range"],
                "left_credit": g["credit"],
                "right_credit": h["credit"],
                "credit_only": g["credit_only"],
                "common": {"left": cl, "right": cr, "left_credit": kl, "right_credit": kr},
                "difference": (_diff(kl, kr) if _shares(config, g, common) else None) if g["credit_only"] else _diff(cl, cr),
            }
        )
    count = lambda key, value: sum(1 for i in items if i[key] == value)  # noqa: E731
    shared = count("assessed", "both")
    ol, or_ = _num(overall_c.iloc[0]), _num(overall_c.iloc[1])
    return {
        "left": {**a["region"], "label": names[0], "file": str(left.regions.meta.at[left_region, "file"])},
        "right": {**b["region"], "label": names[1], "file": str(right.regions.meta.at[right_region, "file"])},
        "overall": {
            "left": a["overall"],
            "right": b["overall"],
            "common": {"indicators": shared, "left": ol, "right": or_},
            "difference": _diff(ol, or_),
        },
        "summary": {
            "both": shared,
            "left_leads": count("leader", "left"),
            "right_leads": count("leader", "right"),
            "level": count("leader", "level"),
            "left_only": count("assessed", "left"),
            "right_only": count("assessed", "right"),
            "neither": count("assessed", "neither"),
        },
        "groups": groups,
        "indicators": items,
        "config": a["config"],
    }


def _shares(config: Config, group: dict, common: list[bool]) -> bool:
    """Whether any indicator of the group is assessed on both sides."""
    return any(c and group["id"] in config.members(i, group["kind"]) for i, c in zip(config.indicators, common, strict=True))


def _side(item: dict) -> dict:
    return {k: item[k] for k in ("value", "qualifier", "score", "band")}


def _diff(x: float | None, y: float | None) -> float | None:
    return None if x is None or y is None else round(x - y, 6)


# ---------------------------------------------------------------- rank


def resolve_key(config: Config, by: str | None, lang: str = "en") -> dict[str, Any]:
    """What `--by` names: the overall score, a group ('coverage', 'framework:3', a label) or an indicator."""
    if by in (None, "", "overall"):
        return {"kind": "overall", "id": "overall", "label": t(lang, "overall_key")}
    wanted = by.strip()
    kind, _, gid = wanted.partition(":")
    if gid and kind in KINDS:
        group = next((g for g in config.groups.get(kind, []) if g.id == gid), None)
        if group:
            return {"kind": kind, "id": group.id, "label": group.label(lang)}
    groups = [(k, g) for k in KINDS for g in config.groups.get(k, []) if wanted in (g.id, g.zh, g.en)]
    if len(groups) > 1:
        choices = ", ".join(f"{k}:{g.id}" for k, g in groups)
        raise UsageError.one(f"--by '{by}' names several groups; write one of {choices}", code="ambiguous-by")
    if groups:
        k, g = groups[0]
        return {"kind": k, "id": g.id, "label": g.label(lang)}
    ind = next((i for i in config.indicators if wanted in (i.id, i.zh, i.en)), None)
    if ind:
        return {"kind": "indicator", "id": ind.id, "label": ind.label(lang)}
    choices = ["overall"] + [g.id for k in KINDS for g in config.groups.get(k, [])] + [i.id for i in config.indicators]
    raise UsageError.one(f"--by '{by}' is not the overall score, a group or an indicator{did_you_mean(wanted, choices)}", code="unknown-by")


def group_completeness(result: Result) -> pd.DataFrame:
    """region x (kind, group): the share of a group's indicator weight that could be assessed."""
    config = result.config
    scored = [i for i in config.indicators if not i.bonus]
    assessed = result.score[[i.id for i in scored]].notna().to_numpy(dtype="float64")
    columns, weights = [], []
    for kind in KINDS:
        for g in config.groups.get(kind, []):
            columns.append((kind, g.id))
            weights.append([i.weight if g.id in config.members(i, kind) else 0.0 for i in scored])
    matrix = np.array(weights, dtype="float64").T.reshape(len(scored), len(columns))
    total = matrix.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, (assessed @ matrix) / total, np.nan)
    return pd.DataFrame(share, index=result.score.index, columns=pd.MultiIndex.from_tuples(columns, names=["kind", "group"]))


def rank(
    result: Result,
    by: str | None = None,
    min_completeness: float | None = None,
    top: int | None = None,
    lang: str = "en",
    stability_options: dict | None = None,
) -> dict[str, Any]:
    """Every region ordered by a key (overall score by default), in one pass over the columns.

    Ties (equal to 6 decimals) share the best rank ("1, 2, 2, 4"). Regions whose completeness on
    the key is below the threshold are ranked in a separate 'incomplete' list; regions with no
    score on the key are 'unscored' and get no rank. The completeness is that of what is ranked:
    the overall score, the group, or (for one indicator) simply whether it is assessed, so no
    threshold applies. `top` keeps ranks <= top in each ranked list and drops the unscored;
    'hidden' counts what it left out, so a view can say so. `stability_options` (a dict, possibly
    empty, of `stability` keywords) adds each region's median rank and 5th-95th percentile rank
    under perturbed weights.
    """
    config = result.config
    key = resolve_key(config, by, lang)
    threshold = config.scoring.min_completeness if min_completeness is None else min_completeness
    overall = result.overall
    # plain float arrays, every table's rows in one order: rows are taken by position, never looked
    # up by name, and no pandas Series indexed by 100,000 names is made along the way
    floats = lambda column: column.to_numpy(dtype="float64")  # noqa: E731
    if key["kind"] == "overall":
        series = overall["score"]
        value, completeness = floats(series), floats(overall["completeness"])
        low, high = floats(overall["low"]), floats(overall["high"])
    elif key["kind"] == "indicator":
        series = result.score[key["id"]]
        value = floats(series)
        completeness = (~np.isnan(value)).astype("float64")
        low = high = value
    else:
        group = (key["kind"], key["id"])
        series = result.groups[group]
        value, completeness = floats(series), floats(group_completeness(result)[group])
        low, high = (floats(frame[group]) for frame in result.group_range)
    index = series.index
    value = np.round(value, 6)
    applies = key["kind"] != "indicator"
    with np.errstate(invalid="ignore"):
        complete = (completeness >= threshold - 1e-9) | (not applies)
    scored = ~np.isnan(value)
    code = np.where(scored & complete, 0, np.where(scored, 1, 2))  # ranked, incomplete, unscored
    section = _SECTIONS[code]
    ranks = np.full(len(value), np.nan)
    for c in (0, 1):
        mask = code == c
        ranks[mask] = pd.Series(value[mask]).rank(method="min", ascending=False).to_numpy()
    order = _order(index, code, np.where(np.isnan(ranks), np.inf, ranks))
    listed = code[order] < 2
    shown = listed & (ranks[order] <= top) if top is not None else np.ones(len(order), dtype=bool)
    hidden = {"below_top": int((listed & ~shown).sum()), "unscored": int((~listed & ~shown).sum())}
    pos = order[shown]
    names = index[pos]
    meta = result.regions.meta
    at = pos if meta.index.equals(index) else meta.index.get_indexer(names)
    stable = stability(result, key, pd.Series(section, index=index), **(stability_options or {})) if stability_options is not None else None
    labels = {g.id: g.label(lang) for g in config.grades}
    rounded = lambda column: np.round(column[pos], 6)  # noqa: E731
    texts = {  # object columns (a pandas string column would be made here only to be undone by `column`)
        "section": section[pos],
        "region": index.to_numpy(dtype=object)[pos],
        "level": _shared(meta["level"], at),
        "grade": _shared(overall["grade"], pos, labels),
        "grade_id": _shared(overall["grade"], pos),
        "grade_status": _shared(overall["grade_status"], pos),
    }
    numbers = {
        "rank": ranks[pos],
        "year": meta["year"].to_numpy()[at],
        "value": value[pos],
        "low": rounded(low),
        "high": rounded(high),
        "score": rounded(floats(overall["score"])),
        "score_low": rounded(floats(overall["low"])),
        "score_high": rounded(floats(overall["high"])),
        "completeness": rounded(floats(overall["completeness"])),
        "key_completeness": rounded(completeness),
        "assessed": (~np.isnan(result.score.to_numpy(dtype="float64"))).sum(axis=1)[pos],  # counted in the table's order, then taken
    }
    keys = ("rank", "section", "region", "level", "year", "value", "low", "high", "score", "score_low", "score_high", "grade", "grade_id", "grade_status")
    keys += ("completeness", "key_completeness", "assessed")
    frame = pd.DataFrame({k: pd.Series(texts[k], index=names, dtype=object, copy=False) if k in texts else numbers[k] for k in keys}, index=names)
    if stable is not None:
        for column in stable.columns:
            frame[column] = stable[column].to_numpy()[pos]
    kinds = [kind for kind in KINDS if kind in result.groups.columns.get_level_values(0)]
    groups = {}
    for kind in kinds:
        part = result.groups[kind]
        groups[kind] = pd.DataFrame(np.round(part.to_numpy(dtype="float64")[pos], 6), index=names, columns=part.columns)
    rows = Rows(frame, groups)
    return {
        "by": key,
        "min_completeness": threshold if applies else None,
        "regions": rows,
        "counts": {s: int((code == c).sum()) for c, s in enumerate(("ranked", "incomplete", "unscored"))},
        "top": top,
        "hidden": hidden,
        "stability": None
        if stable is None
        else {
            "draws": (stability_options or {}).get("draws", DRAWS),
            "spread": (stability_options or {}).get("spread", SPREAD),
            "seed": (stability_options or {}).get("seed", SEED),
        },
        "group_labels": {kind: {g.id: g.label(lang) for g in config.groups.get(kind, [])} for kind in KINDS},
        "config": {"path": config.path, "sha256": config.sha256},
    }


def _shared(column: pd.Series, pos: np.ndarray, words: dict | None = None) -> np.ndarray:
    """A column of few distinct texts at rows `pos`, as an object array of one shared object per
    text (or its word in `words`; NaN when missing or not in `words`): a new str per cell costs
    memory here and time in every writer that reads the cells."""
    codes, uniques = pd.factorize(column)
    table = np.array([*(uniques if words is None else (words.get(u, np.nan) for u in uniques)), np.nan], dtype=object)
    return table[codes[pos]]  # code -1 (missing) takes the last entry


def _order(names: pd.Index, code: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Row positions by section code, then rank, then name; stable, so rows alike in all three keep
    the table's order. Names are compared only among rows tied on both numbers (all the unscored,
    few others): sorting 100,000 names costs more than the rest of a ranking."""
    order = np.lexsort((rank, code))
    same = (code[order][1:] == code[order][:-1]) & (rank[order][1:] == rank[order][:-1])
    tied = np.zeros(len(order), dtype=bool)
    tied[1:] |= same
    tied[:-1] |= same
    if tied.any():
        rows = order[tied]  # in runs of equal (code, rank), the runs in order
        by_name = np.empty(len(rows), dtype="int64")
        by_name[np.asarray(names[rows].argsort(kind="stable"))] = np.arange(len(rows))
        order[tied] = rows[np.lexsort((by_name, rank[rows], code[rows]))]
    return order


DRAWS, SPREAD, SEED = 1000, 0.25, 0


def stability(result: Result, key: dict, section: pd.Series, draws: int = DRAWS, spread: float = SPREAD, seed: int = SEED) -> pd.DataFrame:
    """Each region's median rank and 5th-95th percentile rank when the weights are uncertain.

    Every draw multiplies each indicator weight and each group weight by an independent factor in
    [1 - spread, 1 + spread] (seeded, so a run repeats), and alternates arithmetic and geometric
    aggregation; regions are re-ranked within their own list ('ranked' or 'incomplete') in every
    draw. Vectorised over regions and draws (in chunks, to bound memory); no loop per region.
    An indicator key has no weights to perturb, so its rank is certain.
    """
    config = result.config
    index = result.score.index
    out = pd.DataFrame({"rank_median": np.nan, "rank_p5": np.nan, "rank_p95": np.nan}, index=index)
    if key["kind"] == "indicator":
        value = result.score[key["id"]]
        for name in ("ranked", "incomplete"):
            mask = section == name
            r = value[mask].rank(method="min", ascending=False)
            out.loc[mask, ["rank_median", "rank_p5", "rank_p95"]] = np.repeat(r.to_numpy()[:, None], 3, axis=1)
        return out
    scored = engine.scored_indicators(config)
    slots = engine.slot_scores(config, result.score).to_numpy(dtype="float64")
    present = ~np.isnan(slots)
    arith = np.nan_to_num(slots)
    logs = np.where(present, np.log(np.maximum(arith, config.scoring.geometric_floor)), 0.0)
    if key["kind"] == "overall":
        kind = config.scoring.overall_by
        groups = [g for g in config.groups[kind]]
    else:
        kind = key["kind"]
        groups = [g for g in config.groups[kind] if g.id == key["id"]]
    member = np.array([[g.id in config.members(i, kind) for i in scored] for g in groups], dtype="float64")  # K x I
    w0 = np.array([i.weight for i in scored], dtype="float64")
    g0 = np.array([g.weight for g in groups], dtype="float64")
    bonus = result.overall["bonus"].to_numpy() if key["kind"] == "overall" else np.zeros(len(index))
    rng = np.random.default_rng(seed)
    scores = np.empty((len(index), draws))
    chunk = max(1, min(draws, 20_000_000 // max(1, len(index) * len(groups) * 2)))
    for start in range(0, draws, chunk):
        d = min(chunk, draws - start)
        w = w0 * rng.uniform(1 - spread, 1 + spread, size=(d, len(w0)))  # D x I
        gw = g0 * rng.uniform(1 - spread, 1 + spread, size=(d, len(g0)))  # D x K
        wk = w[:, None, :] * member[None, :, :]  # D x K x I
        den = np.einsum("ri,dki->rdk", present.astype("float64"), wk)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.einsum("ri,dki->rdk", arith, wk) / den
            geo = np.exp(np.einsum("ri,dki->rdk", logs, wk) / den)
        geometric = (np.arange(start, start + d) % 2 == 1)[None, :, None]
        group = np.where(geometric, geo, mean)  # R x D x K
        has = den > 0
        weight = np.where(has, gw[None], 0)
        floor = config.scoring.geometric_floor
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_total = (np.nan_to_num(group) * weight).sum(axis=2) / weight.sum(axis=2)
            geo_total = np.exp((np.log(np.maximum(np.nan_to_num(group), floor)) * weight).sum(axis=2) / weight.sum(axis=2))
        total = np.where(geometric[:, :, 0], geo_total, mean_total)
        scores[:, start : start + d] = np.minimum(100.0, total + bonus[:, None])
    frame = pd.DataFrame(scores, index=index).round(6)
    for name in ("ranked", "incomplete"):
        mask = (section == name).to_numpy()
        if not mask.any():
            continue
        ranks = frame[mask].rank(method="min", ascending=False).to_numpy()
        out.loc[mask, "rank_median"] = np.median(ranks, axis=1)
        out.loc[mask, "rank_p5"] = np.floor(np.percentile(ranks, 5, axis=1))
        out.loc[mask, "rank_p95"] = np.ceil(np.percentile(ranks, 95, axis=1))
    return out


_INT_KEYS = ("rank", "year", "assessed", "rank_p5", "rank_p95")


class Rows(Sequence):
    """The ranked regions of `rank`, kept as columns: one row per region, as the JSON contract has it.

    A writer that works on columns (CSV) asks for `column(key)` and never builds a dict per
    region; indexing or iterating gives the rows as plain dicts (the README's JSON contract: NaN
    -> None, whole numbers in int columns -> int, group scores under "groups" by kind), made
    once, when first asked for.
    """

    def __init__(self, frame: pd.DataFrame, groups: dict[str, pd.DataFrame]) -> None:
        self.frame, self.groups = frame, groups

    @cached_property
    def records(self) -> list[dict[str, Any]]:
        rows = _records(self.frame)
        groups = {kind: _records(frame) for kind, frame in self.groups.items()}
        for i, row in enumerate(rows):
            row["groups"] = {kind: records[i] for kind, records in groups.items()}
        return rows

    def __len__(self) -> int:
        return len(self.frame)

    def __getitem__(self, i):
        return self.records[i]

    def __iter__(self):
        return iter(self.records)

    def __eq__(self, other) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    def __repr__(self) -> str:
        return repr(self.records)

    def layout(self) -> tuple[list[str], dict[str, list[str]]]:
        """The keys of a row in order, and under "groups" each kind's group ids: what `column` takes
        ('kind:id' for a group) to write the rows without building them (machine.to_json)."""
        return list(self.frame.columns), {kind: list(frame.columns) for kind, frame in self.groups.items()}

    def column(self, key: str) -> list:
        """One flat column of the rows ('score', or a group as 'kind:id'), as the rows hold its values."""
        values = self.array(key)
        if values.dtype.kind not in "fO":
            return values.tolist()
        out = values.astype(object)  # numpy floats become Python floats, as pandas makes them
        out[pd.isna(values)] = None
        return out.tolist()

    def array(self, key: str) -> np.ndarray:
        """`column` as numpy, for writers that work on arrays (CSV): no Python object per number and
        no pass over the text. float64 for numbers (NaN: no value), int64 for whole numbers none
        missing, else object (text, or whole numbers with gaps; None or NaN: no value)."""
        kind, _, gid = key.partition(":")
        if key in self.frame.columns:
            return _values(self.frame[key], key)
        if kind in self.groups and gid in self.groups[kind].columns:
            return _values(self.groups[kind][gid], gid)
        return np.full(len(self), None, dtype=object)


def _values(column: pd.Series, key: str) -> np.ndarray:
    """A column as Rows.array gives it: as pandas holds it, but whole floats in int columns as int
    (_records's cells)."""
    values = column.to_numpy()
    if key not in _INT_KEYS:
        return values
    present = ~np.isnan(values) if values.dtype.kind == "f" else column.notna().to_numpy()
    if values.dtype.kind in "iu" or (values.dtype.kind == "f" and present.all()):
        return values.astype("int64")
    if not present.any():
        return values
    out = np.full(len(values), None, dtype=object)
    whole = values[present]
    out[present] = whole.astype("int64").astype(object) if whole.dtype.kind in "fiu" else [int(v) for v in whole]
    return out


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain dicts: NaN -> None, whole floats in int columns -> int."""
    out = frame.astype(object).where(frame.notna(), None).to_dict("records")
    for row in out:
        for k in _INT_KEYS:
            if row.get(k) is not None:
                row[k] = int(row[k])
    return out


# ---------------------------------------------------------------- explain


def explain(result: Result, region: str, indicator_id: str, lang: str = "en") -> dict[str, Any]:
    """The arithmetic behind one indicator's score for one region, every step as data."""
    config = result.config
    ind = find_indicator(config, indicator_id)
    payload = as_dict(result, region, lang)
    item = next(i for i in payload["indicators"] if i["id"] == ind.id)
    regions = result.regions
    inputs = []
    for f in config.formulas[ind.id].fields:
        spec = config.field_by_id[f]
        raw = regions.values.at[region, f]
        inputs.append(
            {
                "field": f,
                "label": spec.label(lang),
                "kind": spec.kind,
                "unit": spec.unit_label(lang),
                "value": _num(raw),
                "qualifier": regions.qualifiers.get((region, f), "exact") if pd.notna(raw) else None,
                "period": regions.periods.get((region, f)),
                "inferred": (region, f) in regions.inferred,
                "year": regions.years.get((region, f)),
                "source": regions.sources.get((region, f)),
            }
        )
    return {
        "region": payload["region"],
        "indicator": {
            "id": ind.id,
            "label": ind.label(lang),
            "description": ind.description(lang) if ind.description else None,
            "formula": ind.formula,
            "unit": ind.unit,
            "direction": ind.direction,
            "dimension": ind.dimension,
            "tags": item["tags"],
            "why": ind.why(lang) if ind.why else None,
        },
        "inputs": inputs,
        "value": item["value"],
        "qualifier": item["qualifier"],
        "reason": item["reason"],
        "missing": item["missing"],
        "rule": rule_dict(ind, config),
        "score": item["score"],
        "band": item["band"],
        "weight": _weights(result, region, ind, lang),
        "points": item["points"],
        "gap": _gap(item, config, lang),
        "threshold": {"target": ind.target, "basis": ind.basis, "source": ind.source(lang), "calibrated_on": ind.calibrated_on},
        "overall": payload["overall"] | {"base": _num(result.overall.at[region, "base"])},
        "additive": config.scoring.aggregation == "arithmetic",
        "config": payload["config"],
    }


def priorities(result: Result, region: str, lang: str = "en") -> dict[str, Any]:
    """Every indicator with the points it earns and leaves on the table, largest loss first.

    Not-assessed indicators follow, heaviest first, with the share of the overall score they
    would carry (their nominal weight) and the figures that would assess them.
    """
    config = result.config
    payload = as_dict(result, region, lang)
    nominal = result.nominal_weight
    assessed, missing = [], []
    for item in payload["indicators"]:
        ind = config.indicator_by_id[item["id"]]
        row = {
            "id": item["id"],
            "label": item["label"],
            "dimension": item["dimension"],
            "bonus": ind.bonus,
            "value": item["value"],
            "qualifier": item["qualifier"],
            "unit": item["unit"],
            "target": item["target"],
            "score": item["score"],
            "band": item["band"],
            "effective_weight": item["effective_weight"],
            "nominal_weight": _num(nominal[ind.id]),
            "points": item["points"],
            "gap": _gap(item, config, lang),
            "missing": item["missing"],
            "reason": item["reason"],
        }
        (assessed if item["score"] is not None else missing).append(row)
    assessed.sort(key=lambda r: (-(r["points"]["left"] or 0), r["bonus"]))
    missing.sort(key=lambda r: (r["bonus"], -(r["nominal_weight"] or 0)))
    base_ids = [i.id for i in config.indicators if not i.bonus]
    contributed, left = (frame.loc[region, base_ids].sum() for frame in result.points)
    return {
        "region": payload["region"],
        "overall": payload["overall"] | {"base": _num(result.overall.at[region, "base"])},
        "assessed": assessed,
        "not_assessed": missing,
        "totals": {
            "contributed": _num(contributed),
            "left": _num(left),
            "bonus": payload["overall"]["bonus"],
        },
        "additive": config.scoring.aggregation == "arithmetic",
        "config": payload["config"],
    }


def find_indicator(config: Config, wanted: str) -> Indicator:
    """An indicator by id or by its Chinese or English label; a usage error with a suggestion."""
    for ind in config.indicators:
        if wanted in (ind.id, ind.zh, ind.en):
            return ind
    ids = [i.id for i in config.indicators]
    raise UsageError.one(f"no indicator '{wanted}'{did_you_mean(wanted, ids)}; `scast explain FILE` lists them all", code="unknown-indicator")


def rule_dict(ind: Indicator, config: Config) -> dict[str, Any]:
    """A rule with everything needed to recompute a score by hand."""
    rule = ind.rule
    out: dict[str, Any] = {"type": rule.type, "direction": ind.direction}
    if isinstance(rule, BandsRule):
        out["bands"] = dict(rule.bands)
        out["band_scores"] = dict(config.scoring.band_scores)
    elif isinstance(rule, FlagRule):
        out |= {"yes": rule.yes, "no": rule.no}
    elif isinstance(rule, TargetRule):
        out["target"] = rule.target
    elif isinstance(rule, GoalpostsRule):
        out |= {"lower": rule.lower, "upper": rule.upper}
    if not isinstance(rule, BandsRule | FlagRule):
        out["score_bands"] = dict(config.scoring.score_bands)
    if ind.bonus:
        out["bonus_points"] = ind.bonus_points
    return out


def _weights(result: Result, region: str, ind: Indicator, lang: str) -> dict[str, Any]:
    """How the indicator's weight becomes its effective share of the overall score.

    effective = (group weight / assessed group weights) x (indicator weight / assessed weights
    in the group), with the overall score made of the groups of `overall_by`.
    """
    config = result.config
    kind = config.scoring.overall_by
    scores = result.score.loc[region]
    out: dict[str, Any] = {
        "indicator": ind.weight,
        "nominal": _num(result.nominal_weight[ind.id]),
        "effective": _num(result.effective_weight.at[region, ind.id]),
        "overall_by": kind,
        "groups": [],
    }
    if ind.bonus:
        return out
    group_row = result.groups.loc[region]
    assessed_groups = [g for g in config.groups[kind] if pd.notna(group_row[(kind, g.id)])]
    assessed_weight = sum(g.weight for g in assessed_groups)
    for gid in config.members(ind, kind):
        group = next(g for g in config.groups[kind] if g.id == gid)
        members = [i for i in config.indicators if not i.bonus and gid in config.members(i, kind)]
        within = sum(i.weight for i in members if pd.notna(scores[i.id]))
        out["groups"].append(
            {
                "kind": kind,
                "id": gid,
                "label": group.label(lang),
                "weight": group.weight,
                "assessed_group_weight": assessed_weight,
                "assessed_members": sum(1 for i in members if pd.notna(scores[i.id])),
                "assessed_member_weight": within,
                "score": _num(group_row[(kind, gid)]),
            }
        )
    return out


def _gap(item: dict, config: Config, lang: str) -> dict[str, Any] | None:
    """The gap with the lever's label and unit, ready for a sentence."""
    gap = item["gap"]
    if gap is None:
        return None
    spec = config.field_by_id[gap["field"]]
    return {**gap, "label": spec.label(lang), "kind": spec.kind, "unit": spec.unit_label(lang)}


# ---------------------------------------------------------------- report


def report(result: Result, region: str, lang: str = "en", against: tuple[Result, str] | None = None, today: Any = None) -> dict[str, Any]:
    """What `scast report` says about one region, as data: codes and numbers, no sentences.

    Sections in reading order: `summary`, `groups` (each with its band), `dimensions` (the
    assessed indicators of each with the gap that closes them), `priorities`, `not_assessed`,
    `figures` (every figure given, with notes as codes and its sources as reference numbers),
    an optional `comparison` (compare()), `method` (how the scores are computed) and
    `references`: every citation (S-xx, seed nnn) and every free-text source resolved to a title
    and an address, numbered in order of first use. Texts from the indicators file keep their
    words but cite by number ('[3]') instead of by internal id. `about` holds the version, the
    indicators file and its hash, which a report shows in its appendix only.
    """
    import datetime

    from scast_cli import __version__
    from scast_cli.config import default_path

    config = result.config
    payload = as_dict(result, region, lang)
    todo = priorities(result, region, lang)
    refs = _References()
    kind = config.scoring.overall_by
    score_col = np.array([np.nan if g["score"] is None else g["score"] for g in payload["groups"]], dtype="float64")
    bands = engine._band_of_score(score_col, config) if len(score_col) else []
    groups = [g | {"band": b} for g, b in zip(payload["groups"], bands, strict=True)]
    scored = [g for g in groups if g["kind"] == kind and g["score"] is not None]
    opened = [r for r in todo["assessed"] if (r["points"]["left"] or 0) >= 0.005]
    best = max(scored, key=lambda g: g["score"]) if scored else None
    worst = min(scored, key=lambda g: g["score"]) if scored else None
    overall = payload["overall"]
    by_id = {r["id"]: r for r in todo["assessed"] + todo["not_assessed"]}
    dimensions = []
    for group in config.groups["dimension"]:
        items = [i for i in payload["indicators"] if i["dimension"] == group.id]
        if not items:
            continue
        dimensions.append(
            {
                "id": group.id,
                "label": group.label(lang),
                "score": next(g["score"] for g in groups if g["kind"] == "dimension" and g["id"] == group.id),
                "assessed": [_report_item(i, by_id[i["id"]], config) for i in items if i["score"] is not None],
                "unassessed": sum(1 for i in items if i["score"] is None),
            }
        )
    figures = _report_figures(result, region, overall, payload["region"]["year"], lang, refs)
    method = _report_method(config, todo, lang, refs)
    return {
        "lang": lang,
        "region": payload["region"],
        "overall": overall,
        "summary": {
            "overall_by": kind,
            "scored_groups": len(scored),
            "best": _ref(best),
            "worst": _ref(worst),
            "top": [{"id": r["id"], "label": r["label"], "points": r["points"]["left"]} for r in opened[:3]],
            "all_met": not opened and overall["score"] is not None,
            "incomplete": overall["score"] is not None and (overall["completeness"] or 0) < config.scoring.min_completeness - 1e-9,
            "min_completeness": config.scoring.min_completeness,
        },
        "groups": groups,
        "dimensions": dimensions,
        "priorities": [_report_item(r, r, config) for r in opened],
        "totals": todo["totals"],
        "additive": todo["additive"],
        "any_assessed": bool(todo["assessed"]),
        "not_assessed": [
            {
                "id": r["id"],
                "label": r["label"],
                "bonus": r["bonus"],
                "nominal_weight": r["nominal_weight"],
                "reason": r["reason"] if r["reason"] in ("zero-denominator", "cumulative", "flow", "superseded") else None,
                "missing": [{"field": f, "label": config.field_by_id[f].label(lang)} for f in r["missing"]],
            }
            for r in todo["not_assessed"]
        ],
        "figures": figures,
        "comparison": compare(result, region, against[0], against[1], lang) if against is not None else None,
        "method": method,
        "references": refs.listed(),
        "about": {
            "version": __version__,
            "date": (today or datetime.date.today()).isoformat(),
            "config": {"path": config.path, "bundled": config.path == str(default_path()), "sha256": config.sha256},
        },
    }


def _ref(group: dict | None) -> dict | None:
    return None if group is None else {"id": group["id"], "label": group["label"], "score": group["score"]}


def _report_item(item: dict, row: dict, config: Config) -> dict[str, Any]:
    """One assessed indicator: value, target, score, band and the gap as a lever change."""
    ind = config.indicator_by_id[item["id"]]
    gap = row["gap"] if "gap" in row and (row["gap"] is None or "kind" in row["gap"]) else None
    return {
        "id": item["id"],
        "label": item["label"],
        "bonus": ind.bonus,
        "value": item["value"],
        "qualifier": item["qualifier"],
        "unit": item["unit"],
        "target": item["target"],
        "score": item["score"],
        "band": item["band"],
        "points_left": item["points"]["left"],
        "direction": ind.direction,
        "gap": None if gap is None else {**gap, "direction": ind.direction},
    }


_NOTE = re.compile(r"\s*\[note:[^\]]*\]|\s*\(research\.md[^)]*\)")  # editors' notes, not the source's words
_QUOTE = re.compile(r"(?:S-\d{2}[a-z]?|[Ss]eeds? \d{3}|种子资料\s?\d{3})\s*(?:\(normalised\))?\s*[:：]\s*")
_MOJIBAKE = re.compile(r"\?\?|\ufffd")


class _References:
    """Numbers for cited sources, in order of first use: a key ('S-01') or a free text source."""

    def __init__(self) -> None:
        self.order: dict[str, int] = {}
        self.free: dict[str, str] = {}

    def number(self, key: str, free: str | None = None) -> int:
        if key not in self.order:
            self.order[key] = len(self.order) + 1
            if free is not None:
                self.free[key] = free
        return self.order[key]

    def cite(self, text: str | None) -> tuple[str | None, list[int]]:
        """The text with each known citation replaced by its number ('[3]'), and the numbers."""
        from scast_cli import sources

        if not text:
            return text, []
        known = sources.catalogue()
        numbers: list[int] = []

        def swap(match: re.Match) -> str:
            key = sources.key_of(match)
            if key not in known:
                return match.group(0)
            n = self.number(key)
            numbers.append(n)
            return f"[{n}]"

        return sources.CITATION.sub(swap, text), list(dict.fromkeys(numbers))

    def listed(self) -> list[dict[str, Any]]:
        from scast_cli import sources

        known, out = sources.catalogue(), []
        for key, n in self.order.items():
            if key in self.free:
                text = self.free[key]
                url = re.search(r"https?://[^\s<>\"'`，。；）】」]+", text)
                out.append({"n": n, "key": None, "title": text, "url": url.group(0).rstrip(".,;:") if url else None, "note": None})
            else:
                entry = known[key]
                out.append({"n": n, "key": key, "title": entry["title"], "url": entry.get("url"), "note": entry.get("reliability") or None})
        return out


def _report_figures(result: Result, region: str, overall: dict, report_year: int | None, lang: str, refs: _References) -> list[dict[str, Any]]:
    """Every figure given for the region with what a reader should know about it (codes) and its sources."""
    from scast_cli import sources

    config, regions = result.config, result.regions
    row = regions.values.loc[region]
    out = []
    for spec in config.fields:
        if pd.isna(row[spec.id]):
            continue
        cell = (region, spec.id)
        notes = []
        qualifier = regions.qualifiers.get(cell)
        if qualifier in ("approx", "lower_bound", "upper_bound", "claimed"):
            notes.append(qualifier)
        if cell in regions.inferred:
            notes.append("inferred")
        if regions.periods.get(cell) == "cumulative":
            notes.append("cumulative")
        year = regions.years.get(cell)
        if year is not None and report_year is not None and year < report_year:
            notes.append("old")
        text = regions.sources.get(cell)
        numbers, quote = [], None
        if text:
            keys = [k for k in sources.cited(text) if k in sources.catalogue()]
            if keys:
                numbers = [refs.number(k) for k in keys]
                parts = _QUOTE.split(_NOTE.sub("", text))
                quote = parts[-1].strip() if len(parts) > 1 else None
                if quote and _MOJIBAKE.search(quote):
                    quote = None  # a quote garbled in the source document is left to the document itself
                quote = refs.cite(quote)[0]  # a citation inside the quote by its number too
            else:
                numbers = [refs.number("free:" + text, free=_NOTE.sub("", text).strip())]
        out.append(
            {
                "field": spec.id,
                "label": spec.label(lang),
                "kind": spec.kind,
                "unit": spec.unit_label(lang),
                "value": _num(row[spec.id]),
                "qualifier": qualifier,
                "notes": notes,
                "year": year,
                "age": None if year is None or report_year is None else report_year - year,
                "refs": numbers,
                "quote": quote or None,
            }
        )
    return out


def _report_method(config: Config, todo: dict, lang: str, refs: _References) -> dict[str, Any]:
    """How the scores are computed: the aggregation and every indicator with its rule and sources."""
    scoring = config.scoring
    nominal = {r["id"]: r["nominal_weight"] for r in todo["assessed"] + todo["not_assessed"]}
    labels = {(k, g.id): g.label(lang) for k in KINDS for g in config.groups.get(k, [])}
    indicators = []
    for ind in config.indicators:
        source, numbers = refs.cite(ind.source(lang))
        why, why_numbers = refs.cite(ind.why(lang) if ind.why else None)
        description, _ = refs.cite(ind.description(lang) if ind.description else None)
        indicators.append(
            {
                "id": ind.id,
                "label": ind.label(lang),
                "description": description,
                "why": why,
                "formula": ind.formula,
                "unit": ind.unit,
                "rule": rule_dict(ind, config),
                "weight": ind.weight,
                "nominal_weight": nominal.get(ind.id),
                "bonus": ind.bonus,
                "groups": {k: [labels[(k, gid)] for gid in config.members(ind, k)] for k in KINDS if config.members(ind, k)},
                "basis": ind.basis,
                "source": source,
                "refs": list(dict.fromkeys(numbers + why_numbers)),
                "calibrated_on": list(ind.calibrated_on),
            }
        )
    return {
        "overall_by": scoring.overall_by,
        "aggregation": scoring.aggregation,
        "geometric_floor": scoring.geometric_floor,
        "missing": scoring.missing,
        "weights": [{"label": g.label(lang), "weight": g.weight} for g in config.groups[scoring.overall_by]],
        "has_bonus": any(i.bonus for i in config.indicators),
        "bonus_cap": scoring.bonus_cap,
        "band_scores": dict(scoring.band_scores),
        "score_bands": dict(scoring.score_bands),
        "grades": [{"label": g.label(lang), "min": g.min} for g in sorted(config.grades, key=lambda g: -g.min)],
        "min_completeness": scoring.min_completeness,
        "basis": {b: sum(1 for i in config.indicators if i.basis == b) for b in ("reported", "derived", "proposed")},
        "calibrated": sum(1 for i in config.indicators if i.calibrated_on),
        "indicators": indicators,
    }
