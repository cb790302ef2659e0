"""The rules an indicators file must keep: one home for each, shared by `load_config` and
`scast indicators check`.

The checks read the raw merged data of an `extends:` chain (the dict before pydantic), not the
validated model, so that a file pydantic refuses is still checked for everything else in the
same run: duplicate ids, unknown names in formulas, non-finite numbers, and the rest. Every
check is defensive about shapes (a value of the wrong type is pydantic's to report, here it is
skipped). Nothing here reads files or prints: the caller passes `locate`, which turns a key path
into (file, line, column, where), and gets `Problem`s back with the variable parts of each
message in `Problem.params` (for a message in another language).

Errors make a config unusable; warnings (an unused field, an empty group, a missing source, a
zero under geometric aggregation) are reported and the config still loads.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Sequence
from typing import Any

from scast_cli import formulas
from scast_cli.errors import Problem, did_you_mean

GROUP_KINDS = ("dimension", "framework", "standard")
BAND_NAMES = ("green", "yellow", "orange")
SCORE_BANDS = ("green", "yellow", "orange", "red")
LANGS = ("zh", "en")
SHORT_FORMULA = 2000  # characters: longer formulas are read only through formulas.parse, which bounds them
DEFAULT_BAND_SCORES = {"green": 100, "yellow": 75, "orange": 50, "red": 25}

Locate = Callable[[list, "int | None"], tuple["str | None", "int | None", "int | None", "str | None"]]

# every code `check` can produce, with its severity (the README's catalogue is generated elsewhere)
CODES = {
    "duplicate-id": "error",
    "unknown-field": "error",
    "unknown-function": "error",
    "bad-formula": "error",
    "not-finite": "error",
    "bad-weight": "error",
    "bad-target": "error",
    "bad-bounds": "error",
    "bad-bands": "error",
    "bad-goalposts": "error",
    "share-as-percent": "error",
    "missing-label": "error",
    "unknown-group": "error",
    "unknown-indicator": "error",
    "bad-fallback": "error",
    "bad-bonus": "error",
    "credit-not-bonus": "error",
    "missing-group": "error",
    "missing-grades": "error",
    "nothing-to-score": "error",
    "bad-remove": "error",
    "extends-loop": "error",
    "geometric-zero": "warning",
    "missing-source": "warning",
    "unused-field": "warning",
    "empty-group": "warning",
}


def check(data: dict, layers: Sequence[dict], locate: Locate) -> list[Problem]:
    """Every problem in the merged data `data` of a chain whose files hold `layers` (base first).

    `locate(loc, layer)` maps a key path in the merged data (layer None) or in one layer's own
    data (layer = its index) to (file, line, column, where).
    """
    lint = _Lint(data if isinstance(data, dict) else {}, list(layers), locate)
    for step in (
        _structure,
        _duplicates,
        _scoring,
        _grades,
        _groups,
        _fields,
        _indicators,
        _geometric,
        _unused_fields,
        _group_members,
        _nothing_to_score,
        _removals,
    ):
        step(lint)
    return lint.problems


class _Lint:
    def __init__(self, data: dict, layers: list[dict], locate: Locate):
        self.data, self.layers, self.locate = data, layers, locate
        self.problems: list[Problem] = []
        self.fields = _items(data.get("fields"))
        self.indicators = _items(data.get("indicators"))
        self.field_by_id = {f["id"]: f for _, f in self.fields if isinstance(f.get("id"), str)}
        self.indicator_by_id = {d["id"]: d for _, d in self.indicators if isinstance(d.get("id"), str)}
        groups = data.get("groups") if isinstance(data.get("groups"), dict) else {}
        self.groups = {kind: _items(groups.get(kind)) for kind in GROUP_KINDS}
        scoring = data.get("scoring") if isinstance(data.get("scoring"), dict) else {}
        self.scoring = scoring

    def add(self, loc: list, code: str, message: str, layer: int | None = None, **params: Any) -> None:
        file, line, column, where = self.locate(list(loc), layer)
        self.problems.append(Problem(code, message, file, line, column, where, CODES[code], {k: _plain(v) for k, v in params.items()}))

    def number(self, container: Any, key: str, loc: list, **params: Any) -> float | None:
        """The finite number at container[key]; a not-finite problem for NaN and infinities;
        None when absent or not a number (pydantic reports the type)."""
        if not isinstance(container, dict) or key not in container:
            return None
        value = _num(container[key])
        if value is None:
            return None
        if not math.isfinite(value):
            found = _found(container[key])
            self.add(loc + [key], "not-finite", f"{key} is {found}; expected a finite number", key=key, found=found, **params)
            return None
        return value


# ---------------------------------------------------------------- helpers


def _items(value: Any) -> list[tuple[int, dict]]:
    """(index, item) for the mapping items of a list; anything else is pydantic's to report."""
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)] if isinstance(value, list) else []


def _num(value: Any) -> float | None:
    """A YAML value read as pydantic reads a float (numeric strings too); None if not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            return math.inf if value > 0 else -math.inf
    if isinstance(value, float):
        return value
    if isinstance(value, str) and len(value) < 400:
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _found(value: Any) -> str:
    """What the file holds, short: '.nan', '.inf', 'a 400-digit number', '70'."""
    if isinstance(value, int) and not isinstance(value, bool) and len(str(abs(value))) > 20:
        return f"a {len(str(abs(value)))}-digit number"
    number = _num(value)
    if number is not None and math.isnan(number):
        return ".nan"
    if number is not None and math.isinf(number):
        return ".inf" if number > 0 else "-.inf"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:40] + "…")
    return f"{number:g}" if number is not None else repr(value)


def _g(x: float) -> str:
    return f"{x:g}"


def _plain(value: Any) -> Any:
    """Params stay JSON-safe: no NaN or infinity, only str, int, finite float, lists of those."""
    if isinstance(value, float) and not math.isfinite(value):
        return _found(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _as_list(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, str | int | float) and not isinstance(value, bool) else []


def _members(ind: dict, kind: str) -> list[str]:
    """The groups of one kind an indicator names (strings; framework may be written as numbers)."""
    if kind == "dimension":
        value = ind.get("dimension")
        return [str(value)] if isinstance(value, str | int) and not isinstance(value, bool) else []
    return [str(x) for x in _as_list(ind.get(kind)) if isinstance(x, str | int | float) and not isinstance(x, bool)]


def _is_bonus(ind: dict) -> bool:
    return ind.get("bonus") is True


def _scored(ind: dict) -> bool:
    """Holds a slot in group scores: not a bonus, not a fallback."""
    return not _is_bonus(ind) and ind.get("fallback_for") is None


def _label(item: dict, lang: str) -> str:
    value = item.get(lang)
    return value.strip() if isinstance(value, str) else ""


def _short(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _names(text: Any) -> tuple[list[tuple[str, int]], list[tuple[str, int]]] | None:
    """(field names, function names) a formula mentions, each with its offset; None when the
    text does not parse (formulas.parse says why)."""
    if not isinstance(text, str) or not text.strip() or len(text) > SHORT_FORMULA:
        return None
    try:
        tree = ast.parse(text.strip(), mode="eval")
        nodes = list(ast.walk(tree))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    called = {id(n.func) for n in nodes if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    fields = [(n.id, n.col_offset) for n in nodes if isinstance(n, ast.Name) and id(n) not in called]
    functions = [(n.func.id, n.func.col_offset) for n in nodes if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    return _first_each(fields), _first_each(functions)


def _first_each(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Each name once, at its first offset, in the order of the text."""
    first: dict[str, int] = {}
    for name, offset in sorted(pairs, key=lambda p: p[1]):
        first.setdefault(name, offset)
    return list(first.items())


# ---------------------------------------------------------------- the checks


def _structure(lint: _Lint) -> None:
    groups = lint.data.get("groups")
    if isinstance(groups, dict) or groups is None:
        for kind in GROUP_KINDS:
            if not isinstance((groups or {}).get(kind), list):
                lint.add(["groups"], "missing-group", f"groups need a '{kind}' list", group_kind=kind)
    grades = lint.data.get("grades")
    if grades is None or grades == []:
        lint.add(["grades"], "missing-grades", "at least one grade is needed")


def _duplicates(lint: _Lint) -> None:
    """An id twice in one file: the loader would silently merge the two, so say so."""
    for layer_index, layer in enumerate(lint.layers):
        if not isinstance(layer, dict):
            continue
        sections: list[tuple[list, Any]] = [(["fields"], layer.get("fields")), (["indicators"], layer.get("indicators")), (["grades"], layer.get("grades"))]
        groups = layer.get("groups")
        if isinstance(groups, dict):
            sections += [(["groups", kind], groups.get(kind)) for kind in GROUP_KINDS]
        for path, items in sections:
            first: dict[str, int] = {}
            for i, item in _items(items):
                item_id = item.get("id")
                if not isinstance(item_id, str | int) or isinstance(item_id, bool):
                    continue
                item_id = str(item_id)
                if item_id in first:
                    _, line, _, _ = lint.locate(path + [first[item_id], "id"], layer_index)
                    at = f" (first at line {line})" if line else ""
                    section = ".".join(path)
                    lint.add(
                        path + [i, "id"],
                        "duplicate-id",
                        f"id '{item_id}' is used twice in {section}{at}; give each its own id, or merge the two",
                        layer_index,
                        id=item_id,
                        section=section,
                        first_line=line,
                    )
                else:
                    first[item_id] = i


def _scoring(lint: _Lint) -> None:
    scoring = lint.scoring
    for key in ("geometric_floor", "min_completeness", "bonus_cap"):
        lint.number(scoring, key, ["scoring"])
    for key, names in (("band_scores", SCORE_BANDS), ("score_bands", BAND_NAMES)):
        table = scoring.get(key)
        if not isinstance(table, dict):
            continue
        values = [(b, lint.number(table, b, ["scoring", key])) for b in names if b in table]
        values = [(b, v) for b, v in values if v is not None]
        for (b1, v1), (b2, v2) in zip(values, values[1:], strict=False):
            if v2 > v1:
                lint.add(
                    ["scoring", key, b2],
                    "bad-bands",
                    f"{key}: {b2} ({_g(v2)}) is above {b1} ({_g(v1)}); expected {' ≥ '.join(names)}",
                    key=key,
                    band=b2,
                    found=v2,
                    above=b1,
                    limit=v1,
                )
                break


def _grades(lint: _Lint) -> None:
    for i, grade in _items(lint.data.get("grades")):
        lint.number(grade, "min", ["grades", i], id=grade.get("id"))
        _labels(lint, ["grades", i], grade)


def _labels(lint: _Lint, loc: list, item: dict) -> None:
    for lang in LANGS:
        if not _label(item, lang):
            word = "Chinese" if lang == "zh" else "English"
            found = "missing" if lang not in item else "empty"
            lint.add(
                loc + [lang], "missing-label", f"the {word} label ({lang}) is {found}; every label is needed in both languages", id=item.get("id"), lang=lang
            )


def _groups(lint: _Lint) -> None:
    for kind, items in lint.groups.items():
        for i, group in items:
            loc = ["groups", kind, i]
            _labels(lint, loc, group)
            weight = lint.number(group, "weight", loc, id=group.get("id"))
            if weight is not None and weight <= 0 and group.get("credit") is not True:
                lint.add(
                    loc + ["weight"],
                    "bad-weight",
                    f"weight is {_g(weight)}; expected a number above 0 (to leave a group out, remove its indicators)",
                    id=group.get("id"),
                    found=weight,
                )


def _fields(lint: _Lint) -> None:
    ids = list(lint.field_by_id)
    for i, spec in lint.fields:
        loc = ["fields", i]
        _labels(lint, loc, spec)
        low = lint.number(spec, "min", loc, id=spec.get("id"))
        high = lint.number(spec, "max", loc, id=spec.get("id"))
        if low is not None and high is not None and low > high:
            lint.add(loc + ["min"], "bad-bounds", f"min ({_g(low)}) is above max ({_g(high)})", id=spec.get("id"), min=low, max=high)
        for whole in _as_list(spec.get("part_of")):
            if isinstance(whole, str) and whole not in lint.field_by_id:
                lint.add(
                    loc + ["part_of"],
                    "unknown-field",
                    f"unknown field '{whole}'{did_you_mean(whole, ids)}",
                    id=spec.get("id"),
                    name=whole,
                    suggestion=_suggest(whole, ids),
                )


def _suggest(name: str, choices) -> str | None:
    hint = did_you_mean(name, choices)
    return hint.split("'")[1] if hint else None


def _indicators(lint: _Lint) -> None:
    field_ids = list(lint.field_by_id)
    indicator_ids = list(lint.indicator_by_id)
    credit = {kind: {str(g.get("id")) for _, g in items if g.get("credit") is True} for kind, items in lint.groups.items()}
    declared = lint.data.get("groups") if isinstance(lint.data.get("groups"), dict) else {}
    known_groups = {
        kind: [str(g.get("id")) for _, g in lint.groups[kind] if g.get("id") is not None] for kind in GROUP_KINDS if isinstance(declared.get(kind), list)
    }
    for i, ind in lint.indicators:
        loc = ["indicators", i]
        ind_id = ind.get("id")
        _labels(lint, loc, ind)
        _source(lint, loc, ind)
        _formula(lint, loc, ind, field_ids)
        for lever in _as_list(ind.get("lever")):
            if isinstance(lever, str) and lever not in lint.field_by_id:
                lint.add(
                    loc + ["lever"],
                    "unknown-field",
                    f"unknown field '{lever}'{did_you_mean(lever, field_ids)}",
                    id=ind_id,
                    name=lever,
                    suggestion=_suggest(lever, field_ids),
                )
        weight = lint.number(ind, "weight", loc, id=ind_id)
        if weight is not None and weight <= 0 and not _is_bonus(ind):
            lint.add(
                loc + ["weight"],
                "bad-weight",
                f"weight is {_g(weight)}; expected a number above 0 (an indicator of weight 0 counts for nothing: remove it instead)",
                id=ind_id,
                found=weight,
            )
        points = lint.number(ind, "bonus_points", loc, id=ind_id)
        if _is_bonus(ind) and ("bonus_points" not in ind or (points is not None and points <= 0)):
            lint.add(loc + ["bonus_points"], "bad-bonus", "a bonus indicator needs bonus_points > 0", id=ind_id, found=points)
        _rule(lint, loc, ind)
        for kind in GROUP_KINDS:
            for gid in _members(ind, kind):
                if kind in known_groups and gid not in known_groups[kind]:
                    known = known_groups[kind]
                    lint.add(
                        loc + [kind],
                        "unknown-group",
                        f"unknown {kind} '{gid}'{did_you_mean(gid, known)}; known: {', '.join(known)}",
                        id=ind_id,
                        group_kind=kind,
                        group=gid,
                        suggestion=_suggest(gid, known),
                        known=known,
                    )
            hit = sorted(credit.get(kind, set()) & set(_members(ind, kind)))
            if hit and not _is_bonus(ind):
                lint.add(
                    loc + [kind],
                    "credit-not-bonus",
                    f"'{ind_id}' is in the credit-only group {', '.join(hit)}, so it must be a bonus indicator (bonus: true): it may add credit, never lower a score",
                    id=ind_id,
                    groups=hit,
                )
        primary_id = ind.get("fallback_for")
        if isinstance(primary_id, str):
            primary = lint.indicator_by_id.get(primary_id)
            if primary is None:
                lint.add(
                    loc + ["fallback_for"],
                    "unknown-indicator",
                    f"unknown indicator '{primary_id}'{did_you_mean(primary_id, indicator_ids)}",
                    id=ind_id,
                    name=primary_id,
                    suggestion=_suggest(primary_id, indicator_ids),
                )
            elif primary.get("fallback_for") is not None or _is_bonus(primary) or _is_bonus(ind):
                lint.add(
                    loc + ["fallback_for"],
                    "bad-fallback",
                    "a fallback stands in for a scored indicator that is not itself a fallback or a bonus",
                    id=ind_id,
                    primary=primary_id,
                )


def _source(lint: _Lint, loc: list, ind: dict) -> None:
    source = ind.get("source")
    texts = {lang: source for lang in LANGS} if isinstance(source, str) else source if isinstance(source, dict) else {}
    empty = [lang for lang in LANGS if not (isinstance(texts.get(lang), str) and texts[lang].strip())]
    if len(empty) == 2:
        lint.add(
            loc + ["source"],
            "missing-source",
            "no source: say where the thresholds come from (a document, the arithmetic, or 'proposed' with the reasoning)",
            id=ind.get("id"),
            lang="zh, en",
        )
    elif empty:
        word = "Chinese" if empty[0] == "zh" else "English"
        lint.add(
            loc + ["source", empty[0]],
            "missing-source",
            f"no {word} source ({empty[0]}): a report in that language would show none",
            id=ind.get("id"),
            lang=empty[0],
        )


def _formula(lint: _Lint, loc: list, ind: dict, field_ids: list[str]) -> None:
    """The whitelist parser first (it bounds a formula's size before anything else reads it);
    when it refuses a short formula, every unknown field in it (with a suggestion), then the
    first other thing refused (an unknown function, `**`, a call, …): the parser stops at its
    first problem, this lists every unknown name."""
    if "formula" not in ind:
        return
    text = ind.get("formula")
    ind_id = ind.get("id")
    shown = _short(str(text).strip()) if isinstance(text, str) else text
    try:
        formulas.parse(text, lint.field_by_id)
        return
    except formulas.FormulaError as exc:
        refused = exc
    except (RecursionError, MemoryError):
        lint.add(loc + ["formula"], "bad-formula", "the formula is nested too deeply to check", id=ind_id, detail="too deep", formula=shown)
        return
    names = _names(text)
    unknown: set[str] = set()
    for name, offset in names[0] if names else []:
        if name not in lint.field_by_id:
            unknown.add(name)
            lint.add(
                loc + ["formula"],
                "unknown-field",
                f"unknown field '{name}'{did_you_mean(name, field_ids)} in '{shown}' at character {offset + 1}",
                id=ind_id,
                name=name,
                suggestion=_suggest(name, field_ids),
                formula=shown,
                offset=offset + 1,
            )
    if unknown:
        try:
            formulas.parse(text, set(lint.field_by_id) | unknown)
            return
        except formulas.FormulaError as exc:
            refused = exc
        except (RecursionError, MemoryError):
            return
    message = f"{refused} in '{shown}' at character {refused.offset + 1}"
    called = [n for n, offset in (names[1] if names else []) if offset == refused.offset and n not in formulas.FUNCTIONS and f"'{n}'" in str(refused)]
    if called:
        name = called[0]
        lint.add(
            loc + ["formula"],
            "unknown-function",
            f"unknown function '{name}'{did_you_mean(name, formulas.FUNCTIONS)} in '{shown}' at character {refused.offset + 1}; allowed: {', '.join(formulas.FUNCTIONS)}",
            id=ind_id,
            name=name,
            suggestion=_suggest(name, formulas.FUNCTIONS),
            formula=shown,
            offset=refused.offset + 1,
            allowed=list(formulas.FUNCTIONS),
        )
    else:  # a long formula's unknown field is still one (names are only listed for short ones)
        code = "unknown-field" if str(refused).startswith("unknown field") else "bad-formula"
        lint.add(loc + ["formula"], code, message, id=ind_id, detail=str(refused), formula=shown, offset=refused.offset + 1)


def _rule(lint: _Lint, loc: list, ind: dict) -> None:
    rule = ind.get("rule")
    if not isinstance(rule, dict):
        return
    ind_id = ind.get("id")
    at = loc + ["rule"]
    kind = rule.get("type")
    direction = ind.get("direction", "higher")
    thresholds: list[tuple[list, str, float]] = []  # (loc, key, value): what a share's threshold is checked on
    if kind == "bands" and isinstance(rule.get("bands"), dict):
        bands = rule["bands"]
        floors = [(b, lint.number(bands, b, at + ["bands"], id=ind_id)) for b in BAND_NAMES if b in bands]
        floors = [(b, v) for b, v in floors if v is not None]
        thresholds = [(at + ["bands", b], b, v) for b, v in floors]
        if direction in ("higher", "lower"):
            higher = direction == "higher"
            for (b1, v1), (b2, v2) in zip(floors, floors[1:], strict=False):
                if (v2 > v1) if higher else (v2 < v1):
                    word = "descending" if higher else "ascending"
                    lint.add(
                        at + ["bands"],
                        "bad-bands",
                        f"{b2} ({_g(v2)}) is {'above' if higher else 'below'} {b1} ({_g(v1)}); for direction '{direction}' the floors must be {word} green -> yellow -> orange",
                        id=ind_id,
                        direction=direction,
                        band=b2,
                        found=v2,
                        limit_band=b1,
                        limit=v1,
                    )
                    break
    elif kind == "target":
        target = lint.number(rule, "target", at, id=ind_id)
        if target is not None and target <= 0:
            lint.add(at + ["target"], "bad-target", f"target is {_g(target)}; expected a number above 0", id=ind_id, found=target)
        elif target is not None:
            thresholds = [(at + ["target"], "target", target)]
    elif kind == "goalposts":
        lower = lint.number(rule, "lower", at, id=ind_id)
        upper = lint.number(rule, "upper", at, id=ind_id)
        if lower is not None and upper is not None and lower >= upper:
            lint.add(
                at + ["upper"],
                "bad-goalposts",
                f"upper ({_g(upper)}) must be greater than lower ({_g(lower)})",
                id=ind_id,
                lower=lower,
                upper=upper,
            )
        thresholds = [(at + [k], k, v) for k, v in (("upper", upper), ("lower", lower)) if v is not None]
    elif kind == "flag":
        for key in ("yes", "no"):
            lint.number(rule, key, at, id=ind_id)
    over = [(where, key, value) for where, key, value in thresholds if value > 1]
    if over and _share_like(ind, lint.field_by_id):
        where, key, value = over[0]
        meant = f"; for {_g(value)}% write {_g(value / 100)}" if value <= 100 else ""
        lint.add(
            where,
            "share-as-percent",
            f"'{ind_id}' is a share (0 to 1) but its {key} threshold is {_g(value)}, which no share can reach{meant}",
            id=ind_id,
            key=key,
            found=value,
            suggestion=value / 100 if value <= 100 else None,
        )


def _wholes(field_by_id: dict, name: str) -> set[str]:
    """The fields `name` is part of, directly or through other parts."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        spec = field_by_id.get(todo.pop())
        for whole in _as_list(spec.get("part_of")) if spec else []:
            if isinstance(whole, str) and whole not in seen:
                seen.add(whole)
                todo.append(whole)
    return seen


def _share_like(ind: dict, field_by_id: dict) -> bool:
    """An indicator measured as a share of 1: `unit: share`, a share field, a part over its
    whole, or min(1, …)."""
    if ind.get("unit") == "share":
        return True
    text = ind.get("formula")
    if not isinstance(text, str) or len(text) > SHORT_FORMULA:
        return False
    try:
        node = ast.parse(text.strip(), mode="eval").body
        return _share_node(node, field_by_id) is True
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False


def _share_node(node: ast.AST, field_by_id: dict) -> bool | None:
    """True: a share; False: not; None: a constant between 0 and 1 (neutral in min/max)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return None if 0 <= node.value <= 1 else False
    if isinstance(node, ast.Name):
        spec = field_by_id.get(node.id)
        return bool(spec and spec.get("kind") == "share")
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
        parts = [_share_node(a, field_by_id) for a in node.args]
        if node.func.id == "min":
            return any(p is not False for p in parts)
        if node.func.id in ("max", "coalesce"):
            return all(p is not False for p in parts) and any(p is True for p in parts)
        return False
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        top, bottom = _summands(node.left), _summands(node.right)
        if top and bottom:
            return all(_wholes(field_by_id, name) & set(bottom) for name in top)
    return False


def _summands(node: ast.AST) -> list[str]:
    """The field names of a plain sum (a + b + c); [] for anything else."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _summands(node.left), _summands(node.right)
        return left + right if left and right else []
    return []


def _geometric(lint: _Lint) -> None:
    """Under geometric aggregation a score of 0 is raised to geometric_floor, and one such score
    pulls its whole group towards the floor whatever the others score."""
    if lint.scoring.get("aggregation") != "geometric":
        return
    floor = _num(lint.scoring.get("geometric_floor", 1.0))
    floor_text = _g(floor) if floor is not None and math.isfinite(floor) else _found(lint.scoring.get("geometric_floor"))
    why = f"under geometric aggregation a 0 counts as the geometric_floor {floor_text}, so one such score drags its groups towards {floor_text} whatever the other scores are"
    band_scores = lint.scoring.get("band_scores")
    band_scores = band_scores if isinstance(band_scores, dict) else DEFAULT_BAND_SCORES
    scores = {b: _num(band_scores.get(b, DEFAULT_BAND_SCORES[b])) for b in SCORE_BANDS}
    zero_bands = [b for b, v in scores.items() if v is not None and v <= 0]
    uses_bands = any(isinstance(d.get("rule"), dict) and d["rule"].get("type") == "bands" and not _is_bonus(d) for _, d in lint.indicators)
    if zero_bands and uses_bands:
        band = zero_bands[-1]
        lint.add(
            ["scoring", "band_scores", band] if "band_scores" in lint.scoring else ["scoring", "aggregation"],
            "geometric-zero",
            f"band_scores gives the {band} band 0: {why}",
            band=band,
            floor=floor_text,
        )
    for i, ind in lint.indicators:
        rule = ind.get("rule")
        if _is_bonus(ind) or not isinstance(rule, dict):
            continue
        kind = rule.get("type")
        if kind in ("target", "goalposts"):
            can = "a target rule scores 0 at a value of 0" if kind == "target" else "a goalposts rule scores 0 at or beyond the lower goalpost"
            if ind.get("direction") == "lower":
                can = "a target rule scores near 0 far above the target" if kind == "target" else "a goalposts rule scores 0 at or beyond the upper goalpost"
        elif kind == "flag":
            yes, no = _num(rule.get("yes", 100)), _num(rule.get("no", 0))
            if min(x for x in (yes, no, 1.0) if x is not None) > 0:
                continue
            can = "a flag rule scores 0 for 'no'" if (no or 0) <= 0 else "a flag rule scores 0 for 'yes'"
        else:
            continue
        lint.add(["indicators", i, "rule"], "geometric-zero", f"{can}; {why}", id=ind.get("id"), rule=kind, floor=floor_text)


def _used_fields(lint: _Lint) -> set[str]:
    used: set[str] = set()
    for _, ind in lint.indicators:
        try:
            used.update(formulas.parse(ind.get("formula"), lint.field_by_id).fields)
        except (formulas.FormulaError, RecursionError, MemoryError):
            names = _names(ind.get("formula"))
            used.update(name for name, _ in (names[0] if names else []))
    return used


def _unused_fields(lint: _Lint) -> None:
    used = _used_fields(lint)
    parts_of: dict[str, list[str]] = {}
    for _, spec in lint.fields:
        for whole in _as_list(spec.get("part_of")):
            if isinstance(whole, str):
                parts_of.setdefault(whole, []).append(str(spec.get("id")))
    for i, spec in lint.fields:
        field_id = spec.get("id")
        if not isinstance(field_id, str) or field_id in used:
            continue
        whole_of = parts_of.get(field_id, [])
        also = f" (it is only the whole that {', '.join(whole_of)} {'is' if len(whole_of) == 1 else 'are'} checked against)" if whole_of else ""
        lint.add(
            ["fields", i, "id"],
            "unused-field",
            f"no indicator's formula reads '{field_id}': a region may report it, but it never changes a score{also}",
            id=field_id,
            whole_of=whole_of,
        )


def _group_members(lint: _Lint) -> None:
    for kind, items in lint.groups.items():
        for i, group in items:
            gid = group.get("id")
            if gid is None:
                continue
            members = [d for _, d in lint.indicators if str(gid) in _members(d, kind)]
            if not members:
                lint.add(
                    ["groups", kind, i, "id"],
                    "empty-group",
                    f"no indicator belongs to the {kind} group '{gid}'",
                    group_kind=kind,
                    group=str(gid),
                    reason="empty",
                )
            elif group.get("credit") is not True and all(_is_bonus(d) for d in members):
                lint.add(
                    ["groups", kind, i, "id"],
                    "empty-group",
                    f"only bonus indicators belong to the {kind} group '{gid}', so it never has a score of its own; mark it credit: true",
                    group_kind=kind,
                    group=str(gid),
                    reason="bonus-only",
                )


def _nothing_to_score(lint: _Lint) -> None:
    scored = [d for _, d in lint.indicators if _scored(d)]
    if not isinstance(lint.data.get("indicators"), list):
        return  # pydantic reports the missing or malformed list
    if not scored:
        removed = any(isinstance(layer, dict) and layer.get("remove") for layer in lint.layers)
        because = "remove: takes out every scored indicator" if removed else "there is no scored indicator (every indicator is a bonus or a fallback)"
        lint.add(["remove"] if removed else ["indicators"], "nothing-to-score", f"nothing is left to score: {because}", reason="removed" if removed else "none")
        return
    kind = lint.scoring.get("overall_by", "dimension")
    groups = lint.data.get("groups")
    if kind not in GROUP_KINDS or not isinstance(groups, dict) or not isinstance(groups.get(kind), list):
        return  # pydantic or missing-group says so
    if not any(str(g.get("id")) in _members(d, kind) for _, g in lint.groups[kind] for d in scored):
        lint.add(
            ["scoring", "overall_by"] if "overall_by" in lint.scoring else ["groups", kind],
            "nothing-to-score",
            f"nothing is left to score: the overall score is by {kind}, and no scored indicator belongs to any {kind} group",
            reason="groups-empty",
            group_kind=kind,
        )


def _removals(lint: _Lint) -> None:
    """`remove:` names indicators an earlier file in the chain defines: a misspelt id would
    silently keep the indicator meant to go."""
    defined: list[str] = []
    for layer_index, layer in enumerate(lint.layers):
        if not isinstance(layer, dict):
            continue
        if "remove" in layer:
            value = layer["remove"]
            entries = value if isinstance(value, list) else [value] if isinstance(value, str) else None
            if entries is None:
                lint.add(["remove"], "bad-remove", f"remove: expected a list of indicator ids, found {_found(value)}", layer_index, found=_found(value))
            for j, name in enumerate(entries or []):
                at = ["remove", j] if isinstance(value, list) else ["remove"]
                if not isinstance(name, str):
                    lint.add(at, "bad-remove", f"remove: expected an indicator id, found {_found(name)}", layer_index, found=_found(name))
                elif name not in defined:
                    lint.add(
                        at,
                        "unknown-indicator",
                        f"remove: no indicator '{name}' in the files this one extends{did_you_mean(name, defined)}",
                        layer_index,
                        name=name,
                        suggestion=_suggest(name, defined),
                    )
        defined += [str(d.get("id")) for _, d in _items(layer.get("indicators")) if isinstance(d.get("id"), str)]
