"""Score regions against a config: pure, vectorised, no printing.

`score(regions, config)` evaluates each indicator once over all regions (one numpy column per
indicator, never a loop per region) and returns a `Result` holding region x indicator tables
(value, score, band, gap) and region x group tables. Missing inputs leave an indicator
unassessed; its weight is dropped and the others renormalised, and `completeness` reports the
share of the nominal weight that could be assessed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from scast_cli.config import REFUSED_PERIODS, BandsRule, Config, FlagRule, GoalpostsRule, Indicator, TargetRule
from scast_cli.readers import Regions

_SECANT_STEPS = 30


@dataclass
class Result:
    """Everything scored, as tables indexed by region name."""

    config: Config
    regions: Regions
    value: pd.DataFrame  # region x indicator
    score: pd.DataFrame  # region x indicator, 0..100 or NaN when not assessed
    band: pd.DataFrame  # region x indicator: green | yellow | orange | red | None
    gap_field: pd.DataFrame  # region x indicator: the lever field, or None
    gap_amount: pd.DataFrame  # region x indicator: how much of it to add (0 when met)
    reason: pd.DataFrame  # region x indicator: why not assessed (missing | zero-denominator | cumulative)
    groups: pd.DataFrame  # region x (kind, group id)
    overall: pd.DataFrame  # region: score, base, bonus, grade, completeness
    effective_weight: pd.DataFrame  # region x indicator: share of the overall score, after renormalising
    nominal_weight: pd.Series  # indicator: share of the overall score when everything is assessed

    @cached_property
    def points(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(contributed, left) region x indicator: points of the overall score each indicator earns
        and points it leaves on the table; NaN when not assessed.

        A scored indicator earns effective weight x score and leaves effective weight x (100 - score),
        so under arithmetic aggregation the contributions add up to the base score exactly. A bonus
        indicator earns score/100 x bonus_points and leaves the rest of its bonus points.
        """
        s = self.score
        contributed = self.effective_weight * s
        left = self.effective_weight * (100 - s)
        for ind in self.config.indicators:
            if ind.bonus:
                contributed[ind.id] = s[ind.id] / 100 * ind.bonus_points
                left[ind.id] = ind.bonus_points - contributed[ind.id]
        return contributed, left

    def missing_fields(self, region: str, indicator: Indicator) -> list[str]:
        """The inputs of an unassessed indicator that the region does not give."""
        fields = self.config.formulas[indicator.id].fields
        row = self.regions.values.loc[region]
        refused = refused_cells(self.regions, self.config)
        return [f for f in fields if pd.isna(row[f]) or (region, f) in refused]


def score(regions: Regions, config: Config, progress: Callable[[int, int], None] | None = None) -> Result:
    """Score every region in `regions` against `config` in one pass.

    `progress(done, total)` is called after each indicator (a column over all regions), so a
    caller can show a progress bar for a large table; the engine itself never prints.
    """
    values = regions.values
    index = values.index
    refused = refused_cells(regions, config)
    position = {name: i for i, name in enumerate(index)}
    columns = _input_columns(regions, config, refused, position)
    inds = config.indicators
    ids = [i.id for i in inds]
    value = pd.DataFrame(index=index, columns=ids, dtype="float64")
    scores = value.copy()
    band = pd.DataFrame(index=index, columns=ids, dtype="object")
    gap_field, gap_amount = band.copy(), value.copy()
    reason = band.copy()
    for done, ind in enumerate(inds, start=1):
        formula = config.formulas[ind.id]
        v = formula(columns)
        s, b = _rule_score(ind, v, config)
        if ind.bonus:  # credit only: a bonus indicator at zero is not a failure, so no red
            b = np.where(s > 0, b, None)
        value[ind.id], scores[ind.id], band[ind.id] = v, s, b
        inputs_missing = np.zeros(len(index), dtype=bool)
        for f in formula.fields:
            inputs_missing |= np.isnan(columns[f])
        reason[ind.id] = np.where(np.isnan(v), np.where(inputs_missing, "missing", "zero-denominator"), None)
        if refused:  # the refused figure's period (cumulative, flow) is the reason
            hit = np.full(len(index), None, dtype=object)
            for r, f in refused:
                if f in formula.fields:
                    hit[position[r]] = regions.periods[(r, f)]
            reason[ind.id] = np.where(np.isnan(v) & (hit != None), hit, reason[ind.id])  # noqa: E711 - elementwise
        gap_field[ind.id], gap_amount[ind.id] = _gap(ind, config, columns, v, s)
        if progress:
            progress(done, len(inds))
    nominal = _nominal_weights(config)
    groups, effective = _aggregate(config, scores)
    overall = _overall(config, scores, groups, nominal)
    return Result(config, regions, value, scores, band, gap_field, gap_amount, reason, groups, overall, effective, nominal)


def refused_cells(regions: Regions, config: Config) -> set[tuple[str, str]]:
    """(region, field) cells whose figure's period the field refuses (config.REFUSED_PERIODS)."""
    return [cell for cell, period in regions.periods.items() if period in REFUSED_PERIODS.get(config.field_by_id[cell[1]].period, ())]


def _input_columns(regions: Regions, config: Config, refused: list, position: dict) -> dict[str, np.ndarray]:
    """Field columns as float arrays; refused figures hidden (NaN)."""
    values = regions.values
    columns = {f: values[f].to_numpy(dtype="float64", copy=True) for f in values.columns}
    for region, f in refused:
        columns[f][position[region]] = np.nan
    if config.scoring.missing == "zero":
        columns = {f: np.nan_to_num(c, nan=0.0) for f, c in columns.items()}
    return columns


def _rule_score(ind: Indicator, v: np.ndarray, config: Config) -> tuple[np.ndarray, np.ndarray]:
    """Score 0..100 and band for a value column; NaN in, NaN and None out."""
    rule, higher = ind.rule, ind.direction == "higher"
    nan = np.isnan(v)
    with np.errstate(invalid="ignore", divide="ignore"):
        if isinstance(rule, BandsRule):
            names = [b for b in ("green", "yellow", "orange") if b in rule.bands]
            conditions = [(v >= rule.bands[b]) if higher else (v <= rule.bands[b]) for b in names]
            band = np.select(conditions, names, default="red").astype(object)
            s = np.select(conditions, [config.scoring.band_scores[b] for b in names], default=config.scoring.band_scores["red"])
            return np.where(nan, np.nan, s), np.where(nan, None, band)
        if isinstance(rule, FlagRule):
            yes = (v != 0) if higher else (v == 0)
            s = np.where(yes, rule.yes, rule.no)
            band = np.where(yes, "green", "red").astype(object)
            return np.where(nan, np.nan, s), np.where(nan, None, band)
        if isinstance(rule, TargetRule):
            t = rule.target
            s = v / t * 100 if higher else np.where(v <= t, 100.0, t / v * 100)
        elif isinstance(rule, GoalpostsRule):
            lo, up = rule.lower, rule.upper
            s = (v - lo) / (up - lo) * 100 if higher else (up - v) / (up - lo) * 100
        else:  # pragma: no cover - the config model admits only the rules above
            raise TypeError(rule)
    s = np.clip(s, 0, 100)
    s = np.where(nan, np.nan, s)
    return s, _band_of_score(s, config)


def _band_of_score(s: np.ndarray, config: Config) -> np.ndarray:
    floors = config.scoring.score_bands
    names = [b for b in ("green", "yellow", "orange") if b in floors]
    band = np.select([s >= floors[b] for b in names], names, default="red").astype(object)
    return np.where(np.isnan(s), None, band)


def _meets(ind: Indicator, v: np.ndarray) -> np.ndarray:
    target = ind.target
    # a hair of tolerance: 0.1 + 0.2 must meet a target of 0.3
    return v >= target - 1e-9 if ind.direction == "higher" else v <= target + 1e-9


def _gap(ind: Indicator, config: Config, columns: dict, v: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """How much of the lever field, changed alone, reaches the target (0 when already met).

    Solved for all regions at once by the secant method on the compiled formula, so it works
    for any formula (ratios, sums, per-capita rates, coalesce); the result is rounded up to the
    lever's natural unit (whole units for counts, 0.0001 for shares, whole yuan for money);
    negative when lower is better.
    """
    n = len(v)
    field = np.full(n, None, dtype=object)
    amount = np.full(n, np.nan)
    assessed = ~np.isnan(v)
    met = assessed & _meets(ind, v)
    field[met] = ind.lever[0] if ind.lever else None
    amount[met] = 0.0
    todo = assessed & ~met
    if not todo.any() or not ind.lever:
        return field, amount
    formula = config.formulas[ind.id]
    target = ind.target
    for lever in ind.lever:
        spec = config.field_by_id[lever]
        x0 = columns[lever]
        open_ = todo & ~np.isnan(x0) & (field == None)  # noqa: E711 - elementwise on an object array
        if not open_.any():
            continue
        if spec.kind == "flag":
            trial = _with(columns, lever, np.where(open_, 1.0 - x0, x0))
            ok = open_ & _meets(ind, np.nan_to_num(formula(trial), nan=-np.inf if ind.direction == "higher" else np.inf))
            field[ok], amount[ok] = lever, 1.0
            continue
        delta = _solve(formula, columns, lever, x0, target, open_)
        delta = _round_away(delta, spec.kind)
        upper = spec.max if spec.max is not None else (1.0 if spec.kind == "share" else np.inf)
        lower = spec.min if spec.min is not None else 0.0
        # higher-is-better closes the gap by adding to the lever, lower-is-better by taking away
        # (if the lever sits in a denominator the sign flips, and the check below decides)
        moved = x0 + np.nan_to_num(delta)
        feasible = open_ & np.isfinite(delta) & (delta != 0) & (moved <= upper + 1e-9) & (moved >= lower - 1e-9)
        if feasible.any():
            check = formula(_with(columns, lever, np.where(feasible, x0 + np.nan_to_num(delta), x0)))
            feasible &= _meets(ind, np.nan_to_num(check, nan=-np.inf if ind.direction == "higher" else np.inf))
        field[feasible], amount[feasible] = lever, delta[feasible]
    return field, amount


def _with(columns: dict, name: str, column: np.ndarray) -> dict:
    return {**columns, name: column}


def _solve(formula, columns, lever, x0, target, rows) -> np.ndarray:
    """Secant iterations on f(x0 + d) = target, all rows at once; NaN where it cannot."""
    scale = np.where(np.abs(x0) > 0, np.abs(x0), 1.0)
    d0, d1 = np.zeros_like(x0), scale.copy()
    f0 = formula(_with(columns, lever, x0 + d0)) - target
    f1 = formula(_with(columns, lever, x0 + d1)) - target
    with np.errstate(divide="ignore", invalid="ignore"):
        for _ in range(_SECANT_STEPS):
            slope = (f1 - f0) / (d1 - d0)
            step = np.where(rows & (slope != 0) & np.isfinite(slope), d1 - f1 / slope, np.nan)
            d0, f0 = d1, f1
            d1 = step
            f1 = formula(_with(columns, lever, x0 + np.nan_to_num(d1))) - target
            if np.all(~rows | np.isnan(d1) | (np.abs(f1) < 1e-12) | (np.abs(d1 - d0) < 1e-9)):
                break
    return np.where(rows, d1, np.nan)


def _round_away(delta: np.ndarray, kind: str) -> np.ndarray:
    """Round the change away from zero to the lever's unit, so the rounded change still reaches."""
    step = {"count": 1.0, "money": 1.0, "flag": 1.0, "share": 1e-4}.get(kind, 1e-4)
    scaled = np.round(delta / step, 6)
    return np.where(scaled >= 0, np.ceil(scaled), np.floor(scaled)) * step


def _nominal_weights(config: Config) -> pd.Series:
    """Each scored indicator's share of the overall score when every indicator is assessed."""
    kind = config.scoring.overall_by
    groups = config.groups[kind]
    total = sum(g.weight for g in groups) or 1.0
    share = pd.Series(0.0, index=[i.id for i in config.indicators])
    for g in groups:
        members = [i for i in config.indicators if not i.bonus and g.id in config.members(i, kind)]
        within = sum(i.weight for i in members)
        for i in members:
            if within:
                share[i.id] += g.weight / total * i.weight / within
    return share


def _weighted(scores: pd.DataFrame, weights: np.ndarray, config: Config) -> np.ndarray:
    """Weighted mean across columns per row, skipping NaN (weights renormalised)."""
    s = scores.to_numpy(dtype="float64")
    w = np.broadcast_to(weights, s.shape)
    present = ~np.isnan(s)
    den = np.where(present, w, 0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        if config.scoring.aggregation == "geometric":
            logs = np.log(np.maximum(np.nan_to_num(s), config.scoring.geometric_floor))
            out = np.exp(np.where(present, w * logs, 0).sum(axis=1) / den)
        else:
            out = np.where(present, w * np.nan_to_num(s), 0).sum(axis=1) / den
    return np.where(den > 0, out, np.nan)


def _aggregate(config: Config, scores: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Group scores for every kind, and each indicator's effective share of the overall."""
    out = {}
    effective = pd.DataFrame(0.0, index=scores.index, columns=scores.columns)
    overall_kind = config.scoring.overall_by
    group_presence = {}
    for kind in ("dimension", "framework", "standard"):
        for g in config.groups.get(kind, []):
            members = [i for i in config.indicators if not i.bonus and g.id in config.members(i, kind)]
            ids = [i.id for i in members]
            weights = np.array([i.weight for i in members], dtype="float64")
            out[(kind, g.id)] = _weighted(scores[ids], weights, config) if ids else np.full(len(scores), np.nan)
            if kind == overall_kind and ids:
                present = scores[ids].notna().to_numpy()
                within = np.where(present, weights, 0).sum(axis=1, keepdims=True)
                with np.errstate(invalid="ignore", divide="ignore"):
                    share = np.where(present, weights / within, 0.0)
                group_presence[g.id] = (ids, np.nan_to_num(share), g.weight)
    groups = pd.DataFrame(out, index=scores.index)
    groups.columns = pd.MultiIndex.from_tuples(groups.columns, names=["kind", "group"])
    assessed_weight = sum(w * groups[(overall_kind, gid)].notna().to_numpy() for gid, (_, _, w) in group_presence.items())
    for gid, (ids, share, w) in group_presence.items():
        with np.errstate(invalid="ignore", divide="ignore"):
            gshare = np.where(groups[(overall_kind, gid)].notna(), w / assessed_weight, 0.0)
        effective[ids] += share * np.nan_to_num(gshare)[:, None]
    return groups, effective


def _overall(config: Config, scores: pd.DataFrame, groups: pd.DataFrame, nominal: pd.Series) -> pd.DataFrame:
    kind = config.scoring.overall_by
    weights = np.array([g.weight for g in config.groups[kind]], dtype="float64")
    ids = [(kind, g.id) for g in config.groups[kind]]
    base = _weighted(groups[ids], weights, config)
    bonus_ids = [i for i in config.indicators if i.bonus]
    bonus = np.zeros(len(scores))
    for i in bonus_ids:  # credit only: an unassessed or zero bonus indicator adds nothing
        bonus += np.nan_to_num(scores[i.id].to_numpy()) / 100 * i.bonus_points
    total = np.where(np.isnan(base), np.nan, np.minimum(100.0, base + bonus))
    assessed = scores.notna().to_numpy()
    completeness = (assessed * nominal.reindex(scores.columns).to_numpy()).sum(axis=1) / (nominal.sum() or 1.0)
    ordered = sorted(config.grades, key=lambda g: -g.min)
    grades = np.select([total >= g.min for g in ordered], [g.id for g in ordered], default="").astype(object)
    grades[(grades == "") | np.isnan(total)] = None
    return pd.DataFrame({"score": total, "base": base, "bonus": bonus, "grade": grades, "completeness": completeness}, index=scores.index)


def as_dict(result: Result, region: str, lang: str = "en") -> dict[str, Any]:
    """The JSON contract for one region (see README): plain Python values only."""
    config = result.config
    meta = result.regions.meta.loc[region]
    overall = result.overall.loc[region]
    grade = config.grade_for(overall["score"]) if pd.notna(overall["score"]) else None
    row_values = result.regions.values.loc[region]
    contributed, left = result.points
    indicators = []
    for ind in config.indicators:
        formula = config.formulas[ind.id]
        value = _num(result.value.at[region, ind.id])
        gap = None
        if result.gap_field.at[region, ind.id] is not None and pd.notna(result.gap_amount.at[region, ind.id]):
            gap = {"field": result.gap_field.at[region, ind.id], "amount": _num(result.gap_amount.at[region, ind.id])}
        inputs = {f: _num(row_values[f]) for f in formula.fields if pd.notna(row_values[f])}
        qualifiers = {f: q for f in formula.fields if (q := result.regions.qualifiers.get((region, f)))}
        qualifier = _combined_qualifier(qualifiers.values()) if value is not None else None
        indicators.append(
            {
                "id": ind.id,
                "label": ind.label(lang),
                "dimension": ind.dimension,
                "tags": {"framework": ind.framework, "standard": ind.standard, "bonus": ind.bonus},
                "value": value,
                "qualifier": qualifier,
                "unit": ind.unit,
                "target": ind.target,
                "score": _num(result.score.at[region, ind.id]),
                "band": _text(result.band.at[region, ind.id]),
                "gap": gap,
                "missing": result.missing_fields(region, ind) if value is None else [],
                "reason": _text(result.reason.at[region, ind.id]),
                "inputs": inputs,
                "qualifiers": qualifiers,
                "weight": ind.weight,
                "effective_weight": _num(result.effective_weight.at[region, ind.id]),
                "points": {"contributed": _num(contributed.at[region, ind.id]), "left": _num(left.at[region, ind.id])},
            }
        )
    groups = []
    for kind in ("dimension", "framework", "standard"):
        for g in config.groups.get(kind, []):
            groups.append({"kind": kind, "id": g.id, "label": g.label(lang), "score": _num(result.groups.at[region, (kind, g.id)]), "weight": g.weight})
    return {
        "region": {"name": region, "level": meta["level"], "year": None if pd.isna(meta["year"]) else int(meta["year"])},
        "overall": {
            "score": _num(overall["score"]),
            "grade": grade.label(lang) if grade else None,
            "grade_id": grade.id if grade else None,
            "completeness": _num(overall["completeness"]),
            "bonus": _num(overall["bonus"]),
            "assessed": int(result.score.loc[region].notna().sum()),
            "indicators": len(config.indicators),
        },
        "groups": groups,
        "indicators": indicators,
        "config": {"path": config.path, "sha256": config.sha256},
    }


def _combined_qualifier(qualifiers) -> str:
    """What the inputs' qualifiers make of the value: one kind of bound carries, mixed is approx."""
    kinds = {q for q in qualifiers if q not in ("exact", "claimed")}
    if not kinds:
        return "claimed" if "claimed" in set(qualifiers) else "exact"
    return kinds.pop() if len(kinds) == 1 else "approx"


def _text(x) -> str | None:
    """A label cell: pandas may hold None as NaN in object columns of several rows."""
    return x if isinstance(x, str) else None


def _num(x) -> float | None:
    """NaN -> None, numpy scalars -> float, rounded to 6 decimals for stable output."""
    if x is None or (isinstance(x, float | np.floating) and np.isnan(x)):
        return None
    return round(float(x), 6)
