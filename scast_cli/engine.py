"""Score regions against a config: pure, vectorised, no printing.

`score(regions, config)` evaluates each indicator once over all regions (one numpy column per
indicator, never a loop per region) and returns a `Result` holding region x indicator tables
(value, score, band, gap) and region x group tables. Missing inputs leave an indicator
unassessed; its weight is dropped and the others renormalised, and `completeness` reports the
share of the nominal weight that could be assessed.

Honesty about what is missing: beside every group and overall score the engine gives the range it
could reach if every unassessed indicator scored its worst or its best, and a grade is `final`
only when completeness reaches `scoring.min_completeness` or the whole range lies in one grade.
Bonus indicators (the "N" of "3+1+N") only add credit, capped at `scoring.bonus_cap`: they never
lower a score and never count in completeness or in the range. A `fallback_for` indicator (an
average standing in for a per-unit rule) fills its primary's slot only where the primary is
unassessed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import Any

import numpy as np
import pandas as pd

from scast_cli.config import REFUSED_PERIODS, BandsRule, Config, FlagRule, GoalpostsRule, Indicator, TargetRule
from scast_cli.readers import Regions

_SECANT_STEPS = 30
# Labels are taken from these object arrays by index, so every cell holding 'green' is the one
# string object: a new str per cell (np.select over strings, then .astype(object)) cost about
# 50 bytes a cell, a quarter of a GB for the band table alone at 100,000 regions.
_REASONS = np.array([None, "missing", "zero-denominator"], dtype=object)


def _labels(conditions: list[np.ndarray], names: list, default) -> np.ndarray:
    """np.select(conditions, names, default) as an object array of shared label objects."""
    table = np.array([*names, default], dtype=object)
    return table[np.select(conditions, np.arange(len(names)), default=len(names))]


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
    group_range: tuple[pd.DataFrame, pd.DataFrame]  # (low, high) region x (kind, group), as `groups`
    group_credit: pd.DataFrame  # region x (kind, group): bonus points its bonus members earn (NaN: none)

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
    return _score(regions, config, progress, full=True)


def _score(regions: Regions, config: Config, progress: Callable[[int, int], None] | None, full: bool) -> Result:
    """`score`; with `full` False only what ranking reads (score, groups, group_range, overall,
    nominal weights) is made and the other tables are None: bands, reasons, gaps and weights are
    most of the work, and a ranking shows none of them.

    Tables are kept indicator x region (one contiguous row per indicator or group) while scoring,
    and each sum over indicators adds whole rows in file order: the order the engine has always
    summed in, so the numbers are the same to the last bit.
    """
    values = regions.values
    index = values.index
    refused = refused_cells(regions, config)
    # row positions of the refused cells only (a dict over every region name was a loop per region)
    refused_rows = sorted({r for r, _ in refused})
    position = dict(zip(refused_rows, index.get_indexer(refused_rows), strict=True)) if refused else {}
    columns = _input_columns(regions, config, refused, position)
    inds = config.indicators
    ids = [i.id for i in inds]
    at = {i: k for k, i in enumerate(ids)}
    # one numpy row per indicator, written into each table's block as it is scored and made into
    # a DataFrame at the end without a copy (setting DataFrame columns one by one costs more than
    # scoring a small table; stacking kept every column twice at once)
    kinds = {"value": "float64", "score": "float64", "band": "object", "gap_field": "object", "gap_amount": "float64", "reason": "object"}
    blocks = {k: np.empty((len(ids), len(index)), dtype=dtype) for k, dtype in kinds.items() if full or k == "score"}
    for done, ind in enumerate(inds, start=1):
        formula = config.formulas[ind.id]
        row = at[ind.id]
        v = formula(columns)
        s, b = _rule_score(ind, v, config, band=full)
        blocks["score"][row] = s
        if full:
            if ind.bonus:  # credit only: a bonus indicator at zero is not a failure, so no red
                b = np.where(s > 0, b, None)
            blocks["value"][row], blocks["band"][row] = v, b
            blocks["reason"][row] = _reasons(regions, formula, columns, v, refused, position)
            blocks["gap_field"][row], blocks["gap_amount"][row] = _gap(ind, config, columns, v, s)
        if progress:
            progress(done, len(inds))
    _supersede(config, blocks["score"], blocks.get("reason"), at)

    def table(kind: str) -> pd.DataFrame | None:
        # dtype given: pandas would make None in strings NaN
        return pd.DataFrame(blocks[kind].T, index=index, columns=ids, dtype=blocks[kind].dtype, copy=False) if kind in blocks else None

    scores = table("score")
    slots = _slot_rows(config, blocks["score"], at)
    nominal = _nominal_weights(config)
    terms, weight = _terms(slots, _slot_weights(config), config)
    groups = _group_rows(config, terms, weight)
    bonus = _earned(config, scores, config.indicators)
    low, high = _filled(config, slots, terms, "low"), _filled(config, slots, terms, "high")
    matrix = np.array(list(groups.values())).reshape(len(groups), len(index))
    # a group with nothing assessed still has a range: all its indicators at worst .. all at best
    group_range = (_group_frame(tuple(groups), np.fmin(low[0], matrix), index), _group_frame(tuple(groups), np.fmax(high[0], matrix), index))
    overall = _overall(config, slots, groups, nominal, bonus, (low[1], high[1]), index)
    effective = credit = None
    if full:
        effective = _effective(config, slots, groups, blocks["score"], at)
        effective = pd.DataFrame(effective.T, index=index, columns=ids, copy=False)
        credit = _credit(config, scores)
    frames = (table(k) for k in ("value", "band", "gap_field", "gap_amount", "reason"))
    value, band, gap_field, gap_amount, reason = frames
    groups = _group_frame(tuple(groups), matrix, index)
    return Result(config, regions, value, scores, band, gap_field, gap_amount, reason, groups, overall, effective, nominal, group_range, credit)


def _reasons(regions: Regions, formula, columns: dict, v: np.ndarray, refused: list, position: dict) -> np.ndarray:
    """Why each region's value is NaN: a missing input, a zero denominator, or the refused figure's period."""
    n = len(v)
    inputs_missing = np.zeros(n, dtype=bool)
    for f in formula.fields:
        inputs_missing |= np.isnan(columns[f])
    why = _REASONS[np.where(np.isnan(v), np.where(inputs_missing, 1, 2), 0)]
    if refused:  # the refused figure's period (cumulative, flow) is the reason
        hit = np.full(n, None, dtype=object)
        for r, f in refused:
            if f in formula.fields:
                hit[position[r]] = regions.periods[(r, f)]
        why = np.where(np.isnan(v) & (hit != None), hit, why)  # noqa: E711 - elementwise
    return why


RANK_CHUNK = 100_000  # regions scored at a time by `score_for_rank`


def score_for_rank(regions: Regions, config: Config, progress: Callable[[int, int], None] | None = None, chunk: int | None = None) -> Result:
    """What `analysis.rank` reads (score, groups, group_range, overall), scored `chunk` regions at a time.

    The arithmetic is per region, so each table is what `score` gives; the other per-indicator
    tables (value, band, gap, reason, weights, credit) are never made and are None in the result:
    they are most of the scoring time, and a table of a million regions kept them at several GB.
    Use `score` for anything but ranking.
    """
    size = max(1, chunk or RANK_CHUNK)
    total = len(regions.values.index)
    if total <= size:
        return _score(regions, config, progress, full=False)
    steps = -(-total // size)
    n = len(config.indicators)
    parts: dict[str, list] = {"score": [], "groups": [], "overall": [], "low": [], "high": []}
    nominal = None
    for k, start in enumerate(range(0, total, size)):
        values = regions.values.iloc[start : start + size]
        names = set(values.index) if regions.periods else set()
        part = replace(
            regions,
            values=values,
            meta=regions.meta.iloc[start : start + size],
            periods={cell: p for cell, p in regions.periods.items() if cell[0] in names},
        )
        tick = progress and (lambda done, _total, k=k: progress(k * n + done, steps * n))
        r = _score(part, config, tick, full=False)
        parts["score"].append(r.score)
        parts["groups"].append(r.groups)
        parts["overall"].append(r.overall)
        parts["low"].append(r.group_range[0])
        parts["high"].append(r.group_range[1])
        nominal = r.nominal_weight
        del r, part
    joined = {k: pd.concat(v) for k, v in parts.items()}
    parts.clear()
    return Result(
        config,
        regions,
        None,
        joined["score"],
        None,
        None,
        None,
        None,
        joined["groups"],
        joined["overall"],
        None,
        nominal,
        (joined["low"], joined["high"]),
        None,
    )


def aggregate(config: Config, scores: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """(groups, group credit, overall score) from indicator scores, for views that keep only some
    indicators (compare keeps those assessed on both sides) and must add them up as `score` does."""
    groups = _group_rows(config, *_terms(slot_scores(config, scores).to_numpy(dtype="float64").T, _slot_weights(config), config))
    base = _base(config, groups)
    total = np.where(np.isnan(base), np.nan, np.minimum(100.0, base + _earned(config, scores, config.indicators)))
    frame = _group_frame(tuple(groups), np.array(list(groups.values())), scores.index)
    return frame, _credit(config, scores), pd.Series(total, index=scores.index)


def refused_cells(regions: Regions, config: Config) -> set[tuple[str, str]]:
    """(region, field) cells whose figure's period the field refuses (config.REFUSED_PERIODS)."""
    return [cell for cell, period in regions.periods.items() if period in REFUSED_PERIODS.get(config.field_by_id[cell[1]].period, ())]


def _input_columns(regions: Regions, config: Config, refused: list, position: dict) -> dict[str, np.ndarray]:
    """Field columns as float arrays; refused figures hidden (NaN)."""
    values = regions.values
    columns = {f: values[f].to_numpy(dtype="float64") for f in values.columns}  # views where the figures are floats already
    for f in {f for _, f in refused}:
        columns[f] = columns[f].copy()  # the table's own figures are never written to
    for region, f in refused:
        columns[f][position[region]] = np.nan
    if config.scoring.missing == "zero":
        columns = {f: np.nan_to_num(c, nan=0.0) for f, c in columns.items()}
    return columns


def _rule_score(ind: Indicator, v: np.ndarray, config: Config, band: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
    """Score 0..100 and band for a value column; NaN in, NaN and None out (band None unless `band`)."""
    rule, higher = ind.rule, ind.direction == "higher"
    nan = np.isnan(v)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):  # a huge figure over a target: inf, clipped to 100
        if isinstance(rule, BandsRule):
            names = [b for b in ("green", "yellow", "orange") if b in rule.bands]
            conditions = [(v >= rule.bands[b]) if higher else (v <= rule.bands[b]) for b in names]
            s = np.select(conditions, [config.scoring.band_scores[b] for b in names], default=config.scoring.band_scores["red"])
            return np.where(nan, np.nan, s), np.where(nan, None, _labels(conditions, names, "red")) if band else None
        if isinstance(rule, FlagRule):
            yes = (v != 0) if higher else (v == 0)
            s = np.where(yes, rule.yes, rule.no)
            return np.where(nan, np.nan, s), np.where(nan, None, _labels([yes], ["green"], "red")) if band else None
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
    return s, _band_of_score(s, config) if band else None


def _band_of_score(s: np.ndarray, config: Config) -> np.ndarray:
    floors = config.scoring.score_bands
    names = [b for b in ("green", "yellow", "orange") if b in floors]
    with np.errstate(invalid="ignore"):
        return _labels([np.isnan(s), *(s >= floors[b] for b in names)], [None, *names], "red")


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
    levers = list(ind.lever or ())
    names = np.array([*levers, None], dtype=object)  # the field by lever number; -1: none
    which = np.full(n, -1)  # numbers, not an object array compared to None for every lever
    amount = np.full(n, np.nan)
    assessed = ~np.isnan(v)
    met = assessed & _meets(ind, v)
    which[met] = 0 if levers else -1
    amount[met] = 0.0
    todo = assessed & ~met
    if not todo.any() or not levers:
        return names[which], amount
    formula = config.formulas[ind.id]
    target = ind.target
    for k, lever in enumerate(levers):
        spec = config.field_by_id[lever]
        x0 = columns[lever]
        open_ = todo & ~np.isnan(x0) & (which < 0)
        if not open_.any():
            continue
        if spec.kind == "flag":
            trial = _with(columns, lever, np.where(open_, 1.0 - x0, x0))
            ok = open_ & _meets(ind, np.nan_to_num(formula(trial), nan=-np.inf if ind.direction == "higher" else np.inf))
            which[ok], amount[ok] = k, 1.0
            continue
        # solved on the open rows only (each row's arithmetic is its own, so the same numbers),
        # not on every region for each of up to 30 secant steps
        rows = np.flatnonzero(open_)
        delta = np.full(n, np.nan)
        delta[rows] = _solve(formula, {f: columns[f][rows] for f in formula.fields}, lever, x0[rows], target, np.ones(len(rows), dtype=bool))
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
        which[feasible], amount[feasible] = k, delta[feasible]
    return names[which], amount


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


def scored_indicators(config: Config) -> list[Indicator]:
    """The indicators that hold a slot in group scores: not bonus, not a fallback."""
    return [i for i in config.indicators if not i.bonus and i.fallback_for is None]


def fallbacks(config: Config) -> dict[str, list[str]]:
    """primary id -> the fallback indicators that may stand in for it, in file order."""
    out: dict[str, list[str]] = {}
    for i in config.indicators:
        if i.fallback_for is not None:
            out.setdefault(i.fallback_for, []).append(i.id)
    return out


def _supersede(config: Config, scores: np.ndarray, reason: np.ndarray | None, at: dict[str, int]) -> None:
    """A fallback is not scored where its primary is: the per-unit figure wins (reason 'superseded').

    `scores` and `reason` are indicator x region blocks, `at` an indicator's row in them."""
    for primary, subs in fallbacks(config).items():
        assessed = ~np.isnan(scores[at[primary]])
        for sub in subs:
            hit = assessed & ~np.isnan(scores[at[sub]])
            scores[at[sub]][hit] = np.nan
            if reason is not None:
                reason[at[sub]][hit] = "superseded"


def slot_scores(config: Config, scores: pd.DataFrame) -> pd.DataFrame:
    """region x scored indicator: each primary's score, filled from its fallback where it has none."""
    slots = scores[[i.id for i in scored_indicators(config)]].copy()
    for primary, subs in fallbacks(config).items():
        for sub in subs:
            slots[primary] = slots[primary].fillna(scores[sub])
    return slots


def _slot_rows(config: Config, scores: np.ndarray, at: dict[str, int]) -> np.ndarray:
    """`slot_scores` as a scored indicator x region array, from an indicator x region block."""
    scored = scored_indicators(config)
    slots = scores[[at[i.id] for i in scored]]  # a copy: the score table keeps its own rows
    row = {i.id: k for k, i in enumerate(scored)}
    for primary, subs in fallbacks(config).items():
        for sub in subs:
            np.copyto(slots[row[primary]], scores[at[sub]], where=np.isnan(slots[row[primary]]))
    return slots


def score_bounds(ind: Indicator, config: Config) -> tuple[float, float]:
    """The lowest and highest score an indicator's rule can give."""
    rule = ind.rule
    if isinstance(rule, BandsRule):
        possible = [config.scoring.band_scores[b] for b in (*rule.bands, "red")]
        return min(possible), max(possible)
    if isinstance(rule, FlagRule):
        return min(rule.yes, rule.no), max(rule.yes, rule.no)
    return 0.0, 100.0


def _slot_bounds(config: Config) -> tuple[pd.Series, pd.Series]:
    """Per slot: the widest bounds of the primary and any fallback that may fill it."""
    subs = fallbacks(config)
    low, high = {}, {}
    for ind in scored_indicators(config):
        bounds = [score_bounds(config.indicator_by_id[i], config) for i in (ind.id, *subs.get(ind.id, []))]
        low[ind.id], high[ind.id] = min(b[0] for b in bounds), max(b[1] for b in bounds)
    return pd.Series(low, dtype="float64"), pd.Series(high, dtype="float64")


def _filled(config: Config, slots: np.ndarray, terms: np.ndarray, end: str) -> tuple[np.ndarray, np.ndarray]:
    """Group (group x region) and base scores with every unassessed slot at its worst ('low') or best ('high').

    `terms` are the slots' `_terms`: only the unassessed cells' terms are new (the same numbers as
    the terms of the filled table), and with every slot filled each weight counts in full."""
    low, high = _slot_bounds(config)
    fill = (low if end == "low" else high).to_numpy(dtype="float64")[:, None]  # in slot order
    w = _slot_weights(config)
    filled = np.where(np.isnan(slots), _terms(fill, w, config)[0], terms)
    groups = _group_rows(config, filled, np.broadcast_to(w[:, None], slots.shape))
    return np.array(list(groups.values())).reshape(len(groups), slots.shape[1]), _base(config, groups)


def _nominal_weights(config: Config) -> pd.Series:
    """Each scored indicator's share of the overall score when every indicator is assessed."""
    kind = config.scoring.overall_by
    groups = config.groups[kind]
    scored = scored_indicators(config)
    total = sum(g.weight for g in groups if any(g.id in config.members(i, kind) for i in scored)) or 1.0
    share = pd.Series(0.0, index=[i.id for i in config.indicators])
    for g in groups:
        members = [i for i in scored if g.id in config.members(i, kind)]
        within = sum(i.weight for i in members)
        for i in members:
            if within:
                share[i.id] += g.weight / total * i.weight / within
    return share


def _terms(rows: np.ndarray, weights: np.ndarray, config: Config) -> tuple[np.ndarray, np.ndarray]:
    """(weight x score, or weight x log score when geometric; weight) per cell of a row x region
    array, 0 where the score is missing: a missing score is masked out, never summed."""
    present = ~np.isnan(rows)
    w = weights[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.log(np.maximum(rows, config.scoring.geometric_floor)) if config.scoring.aggregation == "geometric" else rows
        return np.where(present, w * s, 0), np.where(present, w, 0)


def _mean(terms: np.ndarray, weight: np.ndarray, members: list[int], config: Config) -> np.ndarray:
    """Weighted mean per region of the `members` rows of `_terms` (weights renormalised over what is
    present); NaN where nothing is. Rows are added one at a time, in order."""
    num, den = terms[members[0]].copy(), weight[members[0]].copy()
    for m in members[1:]:
        num += terms[m]
        den += weight[m]
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.exp(num / den) if config.scoring.aggregation == "geometric" else num / den
    return np.where(den > 0, out, np.nan)


def _slot_weights(config: Config) -> np.ndarray:
    """Each scored indicator's weight, in slot order."""
    return np.array([i.weight for i in scored_indicators(config)], dtype="float64")


def _group_rows(config: Config, terms: np.ndarray, weight: np.ndarray) -> dict[tuple[str, str], np.ndarray]:
    """(kind, group id) -> the group's score per region, from the `_terms` of the scored indicator x region slots."""
    scored = scored_indicators(config)
    out = {}
    for kind in ("dimension", "framework", "standard"):
        for g in config.groups.get(kind, []):
            members = [k for k, i in enumerate(scored) if g.id in config.members(i, kind)]
            out[(kind, g.id)] = _mean(terms, weight, members, config) if members else np.full(terms.shape[1], np.nan)
    return out


def _base(config: Config, groups: dict[tuple[str, str], np.ndarray]) -> np.ndarray:
    """The base score per region: the weighted mean of the `overall_by` groups' scores."""
    kind = config.scoring.overall_by
    rows = np.array([groups[(kind, g.id)] for g in config.groups[kind]], dtype="float64")
    terms, weight = _terms(rows, np.array([g.weight for g in config.groups[kind]], dtype="float64"), config)
    return _mean(terms, weight, list(range(len(rows))), config)


def _effective(config: Config, slots: np.ndarray, groups: dict, scores: np.ndarray, at: dict[str, int]) -> np.ndarray:
    """indicator x region: each indicator's effective share of the overall score, after renormalising.

    (group weight / assessed group weights) x (indicator weight / assessed weights in the group);
    where a fallback filled a slot, the fallback carries the slot's weight and the primary none.
    """
    kind = config.scoring.overall_by
    scored = scored_indicators(config)
    present = ~np.isnan(slots)
    n = slots.shape[1]
    shares = {}
    for g in config.groups[kind]:
        members = [k for k, i in enumerate(scored) if g.id in config.members(i, kind)]
        if not members:
            continue
        within = np.where(present[members[0]], scored[members[0]].weight, 0.0)
        for m in members[1:]:
            within = within + np.where(present[m], scored[m].weight, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = [(scored[m].id, np.nan_to_num(np.where(present[m], scored[m].weight / within, 0.0))) for m in members]
        shares[g.id] = (share, g.weight)
    effective = np.zeros((len(config.indicators), n))
    assessed_weight = sum(w * ~np.isnan(groups[(kind, gid)]) for gid, (_, w) in shares.items())
    for gid, (share, w) in shares.items():
        with np.errstate(invalid="ignore", divide="ignore"):
            gshare = np.nan_to_num(np.where(~np.isnan(groups[(kind, gid)]), w / assessed_weight, 0.0))
        for i, s in share:
            effective[at[i]] += s * gshare
    for primary, subs in fallbacks(config).items():
        for sub in subs:
            used = np.isnan(scores[at[primary]]) & ~np.isnan(scores[at[sub]])
            effective[at[sub]][used] = effective[at[primary]][used]
            effective[at[primary]][used] = 0.0
    return effective


@lru_cache(maxsize=16)
def _group_columns(keys: tuple) -> pd.MultiIndex:
    return pd.MultiIndex.from_tuples(keys, names=["kind", "group"])


def _group_frame(keys: tuple, rows: np.ndarray, index: pd.Index) -> pd.DataFrame:
    """region x (kind, group) from a group x region array, without a copy (a MultiIndex is slow to make)."""
    return pd.DataFrame(rows.reshape(len(keys), len(index)).T, index=index, columns=_group_columns(keys), copy=False)


def _credit(config: Config, scores: pd.DataFrame) -> pd.DataFrame:
    """region x (kind, group): bonus points earned by a group's bonus members, capped at bonus_cap.

    NaN for a group with no bonus members; 0 when its bonus items are missing or zero, because a
    bonus ("N") item adds credit and never takes any away.
    """
    out = {}
    for kind in ("dimension", "framework", "standard"):
        for g in config.groups.get(kind, []):
            members = [i for i in config.indicators if i.bonus and g.id in config.members(i, kind)]
            out[(kind, g.id)] = _earned(config, scores, members) if members else np.full(len(scores), np.nan)
    return _group_frame(tuple(out), np.array(list(out.values())), scores.index)


def _earned(config: Config, scores: pd.DataFrame, indicators: list[Indicator]) -> np.ndarray:
    """Bonus points earned by the bonus indicators among `indicators`, capped at bonus_cap."""
    earned = np.zeros(len(scores))
    for i in indicators:
        if i.bonus:  # credit only: an unassessed or zero bonus indicator adds nothing
            earned += np.nan_to_num(scores[i.id].to_numpy()) / 100 * i.bonus_points
    return np.minimum(config.scoring.bonus_cap, earned)


def _overall(config: Config, slots: np.ndarray, groups: dict, nominal: pd.Series, bonus: np.ndarray, bases: tuple, index: pd.Index) -> pd.DataFrame:
    """Overall score, grade, completeness, range and grade status per region."""
    base = _base(config, groups)
    total = np.where(np.isnan(base), np.nan, np.minimum(100.0, base + bonus))
    share = nominal.reindex([i.id for i in scored_indicators(config)]).to_numpy()
    assessed = ~np.isnan(slots)
    completeness = assessed[0] * share[0] if len(share) else np.zeros(len(index))
    for k in range(1, len(share)):
        completeness = completeness + assessed[k] * share[k]
    completeness = completeness / (nominal.sum() or 1.0)
    with np.errstate(invalid="ignore"):
        low = np.minimum(100.0, bases[0] + bonus)
        high = np.minimum(100.0, bases[1] + bonus)
    low = np.where(np.isnan(total), low, np.fmin(low, total))
    high = np.where(np.isnan(total), high, np.fmax(high, total))
    grades, grade_low, grade_high = (_grade_ids(config, x) for x in (total, low, high))
    complete = completeness >= config.scoring.min_completeness - 1e-9
    unscored, one_grade = np.isnan(total), grade_low == grade_high
    status = _labels([unscored, complete | one_grade], [None, "final"], "provisional")
    why = _labels([unscored, complete, one_grade], [None, "complete", "range-in-one-grade"], "incomplete")
    return pd.DataFrame(
        {
            "score": total,
            "base": base,
            "bonus": bonus,
            "grade": grades,
            "completeness": completeness,
            "low": low,
            "high": high,
            "grade_low": grade_low,
            "grade_high": grade_high,
            "grade_status": status,
            "grade_reason": why,
        },
        index=index,
    )


def _grade_ids(config: Config, score: np.ndarray) -> np.ndarray:
    ordered = sorted(config.grades, key=lambda g: -g.min)
    with np.errstate(invalid="ignore"):
        return _labels([np.isnan(score), *(score >= g.min for g in ordered)], [None, *(g.id for g in ordered)], None)


def as_dict(result: Result, region: str, lang: str = "en") -> dict[str, Any]:
    """The JSON contract for one region (see README): plain Python values only."""
    config = result.config
    meta = result.regions.meta.loc[region]
    overall = result.overall.loc[region]
    grade = config.grade_for(overall["score"]) if pd.notna(overall["score"]) else None
    labels = {g.id: g.label(lang) for g in config.grades}
    row_values = result.regions.values.loc[region]
    contributed, left = result.points
    values, scores, bands, reasons, weights, gap_fields, gap_amounts, contributed, left = (
        _row(frame, region)
        for frame in (result.value, result.score, result.band, result.reason, result.effective_weight, result.gap_field, result.gap_amount, contributed, left)
    )
    indicators = []
    for ind in config.indicators:
        formula = config.formulas[ind.id]
        value = _num(values[ind.id])
        gap = None
        if gap_fields[ind.id] is not None and pd.notna(gap_amounts[ind.id]):
            gap = {"field": gap_fields[ind.id], "amount": _num(gap_amounts[ind.id])}
        inputs = {f: _num(row_values[f]) for f in formula.fields if pd.notna(row_values[f])}
        qualifiers = {f: q for f in formula.fields if (q := result.regions.qualifiers.get((region, f)))}
        qualifier = _combined_qualifier(qualifiers.values()) if value is not None else None
        indicators.append(
            {
                "id": ind.id,
                "label": ind.label(lang),
                "dimension": ind.dimension,
                "tags": {"framework": ind.framework, "standard": ind.standard, "bonus": ind.bonus, "fallback_for": ind.fallback_for},
                "value": value,
                "qualifier": qualifier,
                "unit": ind.unit,
                "target": ind.target,
                "score": _num(scores[ind.id]),
                "band": _text(bands[ind.id]),
                "gap": gap,
                "missing": result.missing_fields(region, ind) if value is None else [],
                "reason": _text(reasons[ind.id]),
                "inputs": inputs,
                "qualifiers": qualifiers,
                "weight": ind.weight,
                "effective_weight": _num(weights[ind.id]),
                "points": {"contributed": _num(contributed[ind.id]), "left": _num(left[ind.id])},
            }
        )
    groups = []
    groups_, credits, low, high = (_row(frame, region) for frame in (result.groups, result.group_credit, *result.group_range))
    scored = scored_indicators(config)
    for kind in ("dimension", "framework", "standard"):
        for g in config.groups.get(kind, []):
            key = (kind, g.id)
            score_ = _num(groups_[key])
            groups.append(
                {
                    "kind": kind,
                    "id": g.id,
                    "label": g.label(lang),
                    "score": score_,
                    "range": None if _num(low[key]) is None else [_num(low[key]), _num(high[key])],
                    "credit": _num(credits[key]),
                    "credit_only": not any(g.id in config.members(i, kind) for i in scored),
                    "weight": g.weight,
                }
            )
    return {
        "region": {"name": region, "level": meta["level"], "year": None if pd.isna(meta["year"]) else int(meta["year"])},
        "overall": {
            "score": _num(overall["score"]),
            "grade": grade.label(lang) if grade else None,
            "grade_id": grade.id if grade else None,
            "grade_status": _text(overall["grade_status"]),
            "grade_reason": _text(overall["grade_reason"]),
            "range": [_num(overall["low"]), _num(overall["high"])],
            "grade_range": [labels.get(_text(overall["grade_low"])), labels.get(_text(overall["grade_high"]))],
            "completeness": _num(overall["completeness"]),
            "min_completeness": config.scoring.min_completeness,
            "bonus": _num(overall["bonus"]),
            "assessed": int(slot_scores(config, result.score.loc[[region]]).notna().to_numpy().sum()),
            "indicators": len(scored_indicators(config)),
            "bonus_assessed": sum(1 for i in config.indicators if i.bonus and pd.notna(scores[i.id])),
            "bonus_indicators": sum(1 for i in config.indicators if i.bonus),
            "bonus_cap": config.scoring.bonus_cap,
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


def _row(frame: pd.DataFrame, region: str) -> dict:
    """One region's cells of a table, by column: one lookup per table instead of one per cell."""
    return dict(zip(frame.columns, frame.loc[region].tolist(), strict=True))


def _text(x) -> str | None:
    """A label cell: pandas may hold None as NaN in object columns of several rows."""
    return x if isinstance(x, str) else None


def _num(x) -> float | None:
    """NaN -> None, numpy scalars -> float, rounded to 6 decimals for stable output."""
    if x is None or (isinstance(x, float | np.floating) and np.isnan(x)):
        return None
    return round(float(x), 6)
