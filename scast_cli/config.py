"""indicators.yaml -> a validated `Config`: fields, indicators, groups, grades, scoring switches.

Loading is strict and reports every problem in the file at once, each at its YAML line:
pydantic validates shapes and values, then cross-checks (formula names, levers, group ids,
part-of relations) run on the whole model. A user's file may `extends: default` (or a path) and
override thresholds, weights or labels by id, add indicators, or `remove:` some.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import weakref
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from scast_cli import formulas
from scast_cli.errors import Problem, ScastError, UsageError
from scast_cli.limits import LIMITS, check_input, exceeds, limit, read_input

BANDS = ("green", "yellow", "orange", "red")
GROUP_KINDS = ("dimension", "framework", "standard")
FIELD_KINDS = ("count", "share", "money", "number", "flag")

# The one rule for figures whose period does not fit the field (research §5.5): a yearly field
# (`period: annual`) refuses a cumulative total or a flow of new additions; a stock field
# (`period: point`, "how many exist") refuses a flow ("新增", "新建": additions over a period).
# A refused figure stays in the region's data, shown with its period, and the indicators that
# read it are left unassessed with the figure's period as the reason.
REFUSED_PERIODS = {"annual": ("cumulative", "flow"), "point": ("flow",)}


class _Model(BaseModel):
    # defer_build: a model's validator is built when first used, not at import; the bundled file
    # loaded from the disk cache (`_from_disk`) is built with model_construct and never needs it.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)


class Label(_Model):
    zh: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def _as_list(value: Any) -> Any:
    if value is None:
        return []
    return [value] if isinstance(value, str | int | float) and not isinstance(value, bool) else value


class FieldSpec(_Model):
    """A raw figure a region reports."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    zh: str
    en: str
    aliases: list[str] = []
    kind: Literal["count", "share", "money", "number", "flag"]
    unit: Label | None = None
    min: float | None = None
    max: float | None = None
    part_of: list[str] = []
    period: Literal["annual", "point"] | None = None  # what the field holds; see REFUSED_PERIODS
    help: Label | None = None

    _lists = field_validator("aliases", "part_of", mode="before")(_as_list)

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def unit_label(self, lang: str) -> str:
        return self.unit(lang) if self.unit else ""


class BandsRule(_Model):
    """Ordered floors (ceilings when lower is better) -> band -> the band's score."""

    type: Literal["bands"]
    bands: dict[Literal["green", "yellow", "orange"], float]

    @field_validator("bands")
    @classmethod
    def _green_needed(cls, v: dict) -> dict:
        if "green" not in v:
            raise ValueError("bands need at least a green threshold")
        return v


class TargetRule(_Model):
    """Linear attainment of a target, capped at 100."""

    type: Literal["target"]
    target: float = Field(gt=0)


class GoalpostsRule(_Model):
    """Min-max between fixed lower and upper goalposts, clipped to 0..100."""

    type: Literal["goalposts"]
    lower: float
    upper: float

    @model_validator(mode="after")
    def _ordered(self) -> GoalpostsRule:
        if not self.upper > self.lower:
            raise ValueError(f"upper ({self.upper}) must be greater than lower ({self.lower})")
        return self


class FlagRule(_Model):
    """Yes/no: yes scores `yes`, no scores `no`."""

    type: Literal["flag"]
    yes: float = Field(100, ge=0, le=100)
    no: float = Field(0, ge=0, le=100)


Rule = Annotated[BandsRule | TargetRule | GoalpostsRule | FlagRule, Field(discriminator="type")]


class Indicator(_Model):
    """A scored indicator: formula over fields, rule, weight, tags, lever and source."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    zh: str
    en: str
    description: Label | None = None
    formula: str
    unit: str = ""
    direction: Literal["higher", "lower"] = "higher"
    dimension: str
    framework: list[str] = []
    standard: list[str] = []
    rule: Rule
    weight: float = Field(1.0, ge=0)
    bonus: bool = False
    bonus_points: float = Field(0.0, ge=0, le=100)
    lever: list[str] = []
    basis: Literal["reported", "derived", "proposed"] = "proposed"
    source: Label = Label(zh="", en="")  # where the thresholds come from; a plain string serves both languages
    why: Label | None = None  # one line: why it sits in its "3+1+N" part (or none) and its standardisation
    calibrated_on: list[str] = []  # bundled regions whose own sentence set a threshold: they score well by construction
    fallback_for: str | None = None  # scored only where that (per-unit) indicator cannot be, in its place

    _lists = field_validator("framework", "standard", "lever", "calibrated_on", mode="before")(_as_list)

    @field_validator("source", "why", mode="before")
    @classmethod
    def _source_both(cls, v: Any) -> Any:
        return {"zh": v, "en": v} if isinstance(v, str) else v

    @field_validator("framework", mode="before")
    @classmethod
    def _framework_strings(cls, v: Any) -> Any:
        return [str(x) for x in _as_list(v)]

    @model_validator(mode="after")
    def _bands_in_order(self) -> Indicator:
        if isinstance(self.rule, BandsRule):
            floors = [self.rule.bands[b] for b in ("green", "yellow", "orange") if b in self.rule.bands]
            ordered = sorted(floors, reverse=self.direction == "higher")
            if floors != ordered:
                word = "descending" if self.direction == "higher" else "ascending"
                raise ValueError(f"band thresholds must be {word} green -> yellow -> orange for direction '{self.direction}'")
        return self

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    @property
    def target(self) -> float:
        """The value that earns full marks, in the indicator's own unit."""
        rule = self.rule
        if isinstance(rule, BandsRule):
            return rule.bands["green"]
        if isinstance(rule, TargetRule):
            return rule.target
        if isinstance(rule, GoalpostsRule):
            return rule.upper if self.direction == "higher" else rule.lower
        return 1.0 if self.direction == "higher" else 0.0


class Group(_Model):
    id: str
    zh: str
    en: str
    weight: float = Field(1.0, ge=0)
    credit: bool = False  # a credit-only group (the "N"): every member must be a bonus indicator

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Grade(_Model):
    id: str
    min: float = Field(ge=0, le=100)
    zh: str
    en: str

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Scoring(_Model):
    missing: Literal["skip", "zero"] = "skip"
    aggregation: Literal["arithmetic", "geometric"] = "arithmetic"
    geometric_floor: float = Field(1.0, gt=0, le=100)
    overall_by: Literal["dimension", "framework", "standard"] = "dimension"
    band_scores: dict[Literal["green", "yellow", "orange", "red"], float] = {"green": 100, "yellow": 75, "orange": 50, "red": 25}
    score_bands: dict[Literal["green", "yellow", "orange"], float] = {"green": 100, "yellow": 75, "orange": 50}
    min_completeness: float = Field(0.6, ge=0, le=1)
    bonus_cap: float = Field(5.0, ge=0, le=100)  # the most that all bonus ("N") indicators together can add

    @field_validator("band_scores")
    @classmethod
    def _all_bands(cls, v: dict) -> dict:
        missing = [b for b in BANDS if b not in v]
        if missing:
            raise ValueError(f"band_scores needs a score for {', '.join(missing)}")
        if any(not 0 <= s <= 100 for s in v.values()):
            raise ValueError("band scores must lie in 0..100")
        return v


class Config(_Model):
    """The validated indicators file; `path` and `sha256` identify what was scored."""

    version: int = 1
    scoring: Scoring = Scoring()
    grades: list[Grade]
    groups: dict[Literal["dimension", "framework", "standard"], list[Group]]
    fields: list[FieldSpec]
    indicators: list[Indicator]
    path: str = ""
    sha256: str = ""

    @cached_property
    def field_by_id(self) -> dict[str, FieldSpec]:
        return {f.id: f for f in self.fields}

    @cached_property
    def spellings(self) -> dict[str, str]:
        """Every spelling a field may arrive under (id, zh, en, alias), as readers.normalise folds
        it (width, case, traditional characters, a trailing unit) -> the field's id. Kept with the
        bundled config in the disk cache: folding Chinese loads OpenCC, ~50 ms of a one-region score."""
        from scast_cli.readers import normalise

        spellings: dict[str, str] = {}
        for f in self.fields:
            for name in (f.id, f.zh, f.en, *f.aliases):
                spellings.setdefault(normalise(name), f.id)
        return spellings

    @cached_property
    def indicator_by_id(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}

    @cached_property
    def formulas(self) -> dict[str, formulas.Formula]:
        return {i.id: formulas.parse(i.formula, self.field_by_id) for i in self.indicators}

    def group_ids(self, kind: str) -> list[str]:
        return [g.id for g in self.groups.get(kind, [])]

    def members(self, indicator: Indicator, kind: str) -> list[str]:
        """The groups of one kind that an indicator belongs to."""
        if kind == "dimension":
            return [indicator.dimension]
        return list(getattr(indicator, kind))

    def grade_for(self, score: float) -> Grade | None:
        for grade in sorted(self.grades, key=lambda g: -g.min):
            if score >= grade.min:
                return grade
        return None


_MODELS: dict[str, type[_Model]] = {
    m.__name__: m for m in (Label, FieldSpec, BandsRule, TargetRule, GoalpostsRule, FlagRule, Indicator, Group, Grade, Scoring, Config)
}


# ---------------------------------------------------------------- loading


def default_path() -> Path:
    """The bundled indicators.yaml: inside the installed package, else at the repo top."""
    packaged = Path(__file__).with_name("indicators.yaml")
    return packaged if packaged.exists() else Path(__file__).resolve().parent.parent / "indicators.yaml"


@dataclass
class _Layer:
    """One file in an `extends` chain, with its parsed data and its YAML node tree."""

    path: str
    data: dict
    root: yaml.Node
    raw: bytes | None = field(default=None, repr=False)  # the bytes read, for the digest


@dataclass
class _Merged:
    data: dict
    layers: list[_Layer] = field(default_factory=list)  # base first
    _ids: dict = field(default_factory=dict, repr=False, compare=False)  # (layer, section) -> {id: index}, built once

    def locate(self, loc: Iterable) -> tuple[str, int | None, int | None]:
        """The file, line and column a pydantic `loc` points at (newest layer that has it)."""
        loc = list(loc)
        item_id = None
        if len(loc) >= 2 and loc[0] in ("fields", "indicators") and isinstance(loc[1], int):
            items = self.data.get(loc[0]) or []
            item_id = items[loc[1]].get("id") if loc[1] < len(items) and isinstance(items[loc[1]], dict) else None
        best: tuple[int, str, yaml.Node] | None = None
        for layer in reversed(self.layers):
            path = list(loc)
            if item_id is not None:
                index = self._index(layer, loc[0], item_id)
                if index is None:
                    continue
                path[1] = index
            depth, node = _walk(layer.root, path)
            if best is None or depth > best[0]:
                best = (depth, layer.path, node)
            if depth == len(path):
                break
        if best is None:
            return self.layers[-1].path, None, None
        mark = best[2].start_mark
        return best[1], mark.line + 1, mark.column + 1

    def _index(self, layer: _Layer, section: str, item_id: Any) -> int | None:
        """`_index_by_id` in one layer's own list, from an index built once: a file of thousands
        of items with a problem each is located in linear time."""
        if not _hashable(item_id):
            return _index_by_id(layer.data.get(section), item_id)
        key = (id(layer), section)
        if key not in self._ids:
            self._ids[key] = _id_index(layer.data.get(section))
        return self._ids[key].get(item_id)


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _id_index(items: Any) -> dict:
    """id -> the index of the first dict item with that id (what `_index_by_id` finds)."""
    index: dict = {}
    for i, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict) and _hashable(item.get("id")):
            index.setdefault(item.get("id"), i)
    return index


def _index_by_id(items: Any, item_id: str) -> int | None:
    for i, item in enumerate(items or []):
        if isinstance(item, dict) and item.get("id") == item_id:
            return i
    return None


def _walk(node: yaml.Node, path: list) -> tuple[int, yaml.Node]:
    """Follow `path` through a composed YAML tree as far as it goes."""
    depth = 0
    for key in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = _keys(node).get(str(key))
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            child = node.value[key]
        if child is None:
            break
        node, depth = child, depth + 1
    return depth, node


# ---------------------------------------------------------------- reading YAML

_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's C parser when PyYAML was built with it


class YamlLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """PyYAML's safe loader (libyaml's C parser where available) with YAML 1.2 core-schema numbers.

    PyYAML follows YAML 1.1, where `012` is octal 10, `1:30` is the base-60 number 90 and `1_000`
    is 1000. Here, as in YAML 1.2: `012` is 12, `0o12` is octal, `0x1A` hex, `1e3` is 1000.0;
    `1:30` and `1_000` stay text (and are then refused where a figure is expected); `.inf` and
    `.nan` are floats, refused as figures and as indicator settings.
    """


YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in (_INT, _FLOAT)] for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
YamlLoader.add_implicit_resolver(_INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789"))
YamlLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."),
)


def _construct_int(loader: YamlLoader, node: yaml.ScalarNode) -> int | str:
    text = loader.construct_scalar(node)
    try:
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text, 10)
    except ValueError:
        if re.fullmatch(r"[-+]?[0-9]+", text):
            return text  # too many digits for Python's int(); kept as written, refused as a figure
        raise yaml.constructor.ConstructorError(None, None, f"expected an integer, found {text[:40]!r}", node.start_mark) from None


def _construct_float(loader: YamlLoader, node: yaml.ScalarNode) -> float | str:
    text = loader.construct_scalar(node)
    if text.lower() in (".inf", "+.inf", "-.inf", ".nan"):
        return float(text.replace(".", ""))
    try:
        number = float(text)
    except ValueError:
        raise yaml.constructor.ConstructorError(None, None, f"expected a number, found {text[:40]!r}", node.start_mark) from None
    return number if math.isfinite(number) else text  # 1e999 overflows: kept as written, refused as a figure


def _construct_timestamp(loader: YamlLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)  # 2024-13-45 is no date: kept as written


YamlLoader.add_constructor(_INT, _construct_int)
YamlLoader.add_constructor(_FLOAT, _construct_float)
YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


_KEYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _keys(node: yaml.MappingNode) -> dict[str, yaml.Node]:
    """A mapping node's value for each text key (the first, as a scan would find), built once per
    node: locating thousands of problems in a mapping of thousands of keys stays linear."""
    keys = _KEYS.get(node)
    if keys is None:
        keys = {}
        for k, v in node.value:
            if isinstance(k.value, str):
                keys.setdefault(k.value, v)
        _KEYS[node] = keys
    return keys


def read_yaml(path: Path, expected: str = "a YAML file") -> tuple[Any, yaml.Node | None]:
    """Read a YAML file within the limits and return its data and its node tree (for line numbers).

    Problems become a ScastError at their line: not a regular file, too large, not UTF-8, invalid
    YAML, over a limit (aliases, nesting, keys, value length), a key given twice.
    """
    return _read_yaml(path, expected)[1:]


def _read_yaml(path: Path, expected: str, error: type[ScastError] = UsageError) -> tuple[bytes, Any, yaml.Node | None]:
    name = str(path)
    raw = read_input(path, expected, size="yaml_mb", error=error)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScastError.one(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", file=name, code="encoding") from None
    try:
        _check_yaml_limits(text, name)
        loader = YamlLoader(text)
        try:  # compose once, construct from the same tree
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message, code = f"invalid YAML: {exc.problem or exc.context}", "yaml-syntax"
        if "maximum nesting depth" in message:  # libyaml's own limit, met while it reads ahead of ours
            message, code = f"nested more than {limit('yaml_depth')} levels deep; {exceeds('yaml_depth')}", "too-deep"
        raise ScastError.one(message, file=name, line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None, code=code) from None
    except yaml.reader.ReaderError as exc:
        message = f"invalid YAML: character #x{_codepoint(exc.character):04x} at position {exc.position}: {exc.reason}"
        raise ScastError.one(message, file=name, code="yaml-syntax") from None
    except yaml.YAMLError as exc:
        raise ScastError.one(f"invalid YAML: {exc}", file=name, code="yaml-syntax") from None
    duplicates = _duplicate_keys(root, name)
    if duplicates:
        raise ScastError(duplicates)
    return raw, data, root


def _codepoint(character: Any) -> int:
    return character if isinstance(character, int) else ord(str(character)[:1] or "\0")


def _check_yaml_limits(text: str, name: str) -> None:
    """Walk the event stream (no tree is built) and refuse a document over a limit before it is
    composed: aliases, nesting (recursive parsers), keys, values and value length.

    Keys and values are counted as if every alias were written out in full, from the size of the
    subtree its anchor names: an alias bomb (aliases of aliases, each doubling the document) is
    refused by its expanded size, which is what would exhaust anything that walks it.
    """
    max_aliases, max_depth, max_keys = limit("yaml_aliases"), limit("yaml_depth"), limit("yaml_keys")
    max_nodes, max_chars = limit("yaml_nodes"), limit("cell_chars")
    aliases = keys = nodes = 0
    anchors: dict[str, tuple[int, int]] = {}  # anchor -> (nodes, keys) of the subtree it names, aliases expanded
    open_: list[list] = []  # per open collection: [entries seen (-1 in a sequence), nodes before it, keys before it, anchor]

    def refuse(event: yaml.Event, code: str, message: str, what: str) -> None:
        mark = event.start_mark
        raise ScastError.one(f"{message}; {exceeds(what)}", file=name, line=mark.line + 1, column=mark.column + 1, code=code, params={"limit": limit(what)})

    for event in yaml.parse(text, Loader=YamlLoader):
        if isinstance(event, yaml.CollectionEndEvent):
            _, nodes_before, keys_before, anchor = open_.pop()
            if anchor is not None:
                anchors[anchor] = (nodes - nodes_before, keys - keys_before)
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        is_key = 0
        if open_ and open_[-1][0] >= 0:
            open_[-1][0] += 1
            is_key = open_[-1][0] % 2
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > max_aliases:
                refuse(event, "too-many-aliases", f"more than {max_aliases:,} aliases (*name)", "yaml_aliases")
            more_nodes, more_keys = anchors.get(event.anchor, (1, 0))
        else:
            more_nodes, more_keys = 1, 0
            if isinstance(event, yaml.ScalarEvent):
                if len(event.value) > max_chars:
                    refuse(event, "value-too-long", f"a value of {len(event.value):,} characters", "cell_chars")
                if event.anchor is not None:
                    anchors[event.anchor] = (1, 0)
            elif isinstance(event, yaml.CollectionStartEvent):
                open_.append([0 if isinstance(event, yaml.MappingStartEvent) else -1, nodes, keys + is_key, event.anchor])
                if len(open_) > max_depth:
                    refuse(event, "too-deep", f"nested more than {max_depth} levels deep", "yaml_depth")
        nodes += more_nodes
        keys += more_keys + is_key
        if keys > max_keys:
            refuse(event, "too-many-keys", f"more than {max_keys:,} keys, counting what aliases repeat", "yaml_keys")
        if nodes > max_nodes:
            refuse(event, "too-many-values", f"more than {max_nodes:,} values, counting what aliases repeat (an alias bomb?)", "yaml_nodes")


def _duplicate_keys(root: yaml.Node | None, name: str) -> list[Problem]:
    """PyYAML keeps the last of two equal keys silently; a user almost never means that.

    The tree is walked with a stack, each node once (an alias points at a node already seen)."""
    problems: list[Problem] = []
    stack, seen_nodes = [root], set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    if k.value in seen:
                        message = f"key '{k.value}' appears twice in the same mapping"
                        problems.append(Problem("duplicate-key", message, name, k.start_mark.line + 1, k.start_mark.column + 1))
                    seen.add(k.value)
                stack.extend((k, v))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return sorted(problems, key=lambda p: (p.line, p.column))


_CHAINS: dict[str, list[Path]] = {}  # an indicators file (resolved) -> every file its extends: chain read, base first


def _load_layers(path: Path, chain: tuple[str, ...] = ()) -> list[_Layer]:
    """Every file of an `extends:` chain, base first, each read within the limits.

    `path` is named by the user, so a missing one is a usage error; a file it extends is named
    by a config, so a problem with that one is a broken config (exit 1) at the `extends:` line.
    The chain is followed in a loop, not by recursion, and a file met twice is a loop.
    """
    layers: list[_Layer] = []
    seen, current = list(chain), path
    while True:
        resolved = str(current.resolve())
        if resolved in seen:
            raise ScastError.one("extends itself in a loop", file=str(current), code="extends-loop")
        seen.append(resolved)
        raw, data, root = _read_yaml(current, "an indicators file (.yaml)")
        if not isinstance(data, dict):
            raise ScastError.one("expected a mapping with fields: and indicators:", file=str(current), line=1, code="not-a-mapping")
        layers.append(_Layer(str(current), data, root, raw))
        if data.get("extends") is None:
            break
        current = _extends_target(layers[-1])
    layers.reverse()
    _CHAINS[str(path.resolve())] = [Path(layer.path) for layer in layers]
    return layers


def _extends_target(layer: _Layer) -> Path:
    """The file a layer's `extends:` names, checked to be a regular file within the size limit
    before it is opened; a problem with it is the extending file's, at its `extends:` line."""
    parent = layer.data.get("extends")
    if parent == "default":
        base: Path | None = default_path()
    elif isinstance(parent, str) and parent.strip():
        base = Path(parent) if Path(parent).is_absolute() else Path(layer.path).parent / parent
    else:
        base = None
    try:
        if base is None:
            raise ScastError.one("expected 'default' or a path to an indicators file", code="bad-extends")
        check_input(base, "an indicators file (.yaml)", size="yaml_mb", error=ScastError)
        return base
    except ScastError as exc:
        _, line, col = _Merged(layer.data, [layer]).locate(["extends"])
        problem = exc.problems[0]
        if problem.code == "file-not-found":
            message = f"no indicators file at {base}"
        elif base is None:
            message = problem.message
        else:
            message = f"{base} {problem.message}"
        raise ScastError.one(f"extends: {message}", file=layer.path, line=line, column=col, code=problem.code if base else "bad-extends") from None


def extends_chain(path: str | Path | None = None) -> list[Path]:
    """Every file that loading the indicators file `path` reads (its `extends:` chain, base
    first; the bundled file when `path` is None), so that no output is written over one.
    Known without reading again when the file was loaded in this run."""
    path = Path(path) if path is not None else default_path()
    known = _CHAINS.get(str(path.resolve()))
    return list(known) if known is not None else [Path(layer.path) for layer in _load_layers(path)]


def _merge_by_id(base: list, overrides: list) -> list:
    """Items with a known id update that item key by key; new ids are appended."""
    out = [dict(item) if isinstance(item, dict) else item for item in base or []]
    index = _id_index(out)  # kept in step with `out`: linear, not quadratic, in the number of items
    for item in overrides or []:
        if not isinstance(item, dict):
            out.append(item)
            continue
        key = item.get("id")
        at = index.get(key) if _hashable(key) else _index_by_id(out, key)
        if at is None:
            out.append(item)
            if _hashable(key):
                index.setdefault(key, len(out) - 1)
        else:
            out[at] = {**out[at], **item}
    return out


def _merge(layers: list[_Layer]) -> dict:
    data: dict = {}
    for layer in layers:
        new = layer.data
        for key, value in new.items():
            if key in ("extends", "remove"):
                continue
            if key in ("fields", "indicators") and isinstance(value, list):
                data[key] = _merge_by_id(data.get(key, []), value)
            elif key == "groups" and isinstance(value, dict):
                groups = dict(data.get("groups") or {})
                for kind, items in value.items():
                    groups[kind] = _merge_by_id(groups.get(kind, []), items) if isinstance(items, list) else items
                data["groups"] = groups
            elif key == "scoring" and isinstance(value, dict):
                data["scoring"] = {**(data.get("scoring") or {}), **value}
            else:
                data[key] = value
        removed = set(_as_list(new.get("remove")))
        if removed:
            data["indicators"] = [i for i in data.get("indicators", []) if not (isinstance(i, dict) and i.get("id") in removed)]
    return data


# Validated configs of this process, by what they were read from (see `load_config`): the bundled
# file costs about 30-100 ms to read, check and validate, and one run or the test suite loads the
# same few files again and again. Bounded, least recently used first out; a file that fails is
# never cached, so every error is raised (at its line) each time.
@dataclass(frozen=True)
class _Loaded:
    config: Config
    warnings: tuple[Problem, ...]
    layers: tuple[tuple[str, str], ...]  # every file of the extends: chain, base first: (path, sha256 of its bytes)


_LOADED: OrderedDict[tuple, _Loaded] = OrderedDict()
_LOADED_MAX = 32


def load_config(path: str | Path | None = None, warnings: list[Problem] | None = None) -> Config:
    """Load and fully validate an indicators file (the bundled default when `path` is None).

    Every error in the file is raised at once: pydantic's shape errors and the rules of
    `scast_cli.lint`, which run on the merged data whether or not the shapes are valid (where
    both speak of the same key, the rule's own code wins). Warnings (an unused field, an empty
    group, …) do not stop loading: they are appended to `warnings` when a list is given (before
    any error is raised).
    `scast indicators check` reports exactly these errors and warnings.

    A file loaded before in this process, with the same bytes in every file of its `extends:`
    chain and the same limits, is not read again: the same (frozen, never modified) `Config` is
    returned and its warnings are appended again. The files are still opened within the limits
    and hashed, so an edited file is always loaded afresh.
    """
    path = Path(path) if path is not None else default_path()
    key = _cache_key(path)
    hit = _LOADED.get(key) if key is not None else None
    if hit is not None and _unchanged(hit.layers[:-1]):  # the file named is in the key
        _LOADED.move_to_end(key)
        _CHAINS[str(path.resolve())] = [Path(p) for p, _ in hit.layers]
        if warnings is not None:
            warnings.extend(hit.warnings)
        return hit.config
    bundled = key is not None and key[1] == str(default_path().resolve())
    cached = _from_disk(key) if bundled else None
    if cached is not None:
        config, found, layers = cached
        if warnings is not None:
            warnings.extend(found)
        _CHAINS[key[1]] = [Path(p) for p, _ in layers]
        _LOADED[key] = _Loaded(config, tuple(found), layers)
        return config
    found = []
    try:
        config, layers = _load(path, found)
    finally:
        if warnings is not None:
            warnings.extend(found)
    if bundled and len(layers) == 1:
        _to_disk(key, config, found, layers[0])
    if key is not None:
        _LOADED[key] = _Loaded(config, tuple(found), tuple((layer.path, hashlib.sha256(layer.raw or b"").hexdigest()) for layer in layers))
        while len(_LOADED) > _LOADED_MAX:
            _LOADED.popitem(last=False)
    return config


def _cache_key(path: Path) -> tuple | None:
    """What a load depends on besides the files it extends: the name given, the file named and its
    bytes, and every limit a user may set. None when the file cannot be read (the load says why)."""
    try:
        raw = read_input(path, "an indicators file (.yaml)", size="yaml_mb")
        resolved = str(path.resolve())
        limits = tuple(os.environ.get(spec.env) for spec in LIMITS.values() if spec.env)
    except (ScastError, OSError):
        return None
    return str(path), resolved, hashlib.sha256(raw).hexdigest(), limits


def _unchanged(layers: tuple[tuple[str, str], ...]) -> bool:
    """Every file the named one extends still holds the bytes it was loaded from."""
    try:
        return all(hashlib.sha256(read_input(Path(p), "an indicators file (.yaml)", size="yaml_mb", error=ScastError)).hexdigest() == sha for p, sha in layers)
    except (ScastError, OSError):
        return False


# ---------------------------------------------------------------- the bundled file, cached on disk
# Loading the bundled indicators.yaml (YAML within the limits, pydantic, the lint rules) costs more
# than the rest of a one-region score, and gives the same Config every time. Once loaded, it is kept
# as plain JSON in the user's cache folder, named and keyed by the file's bytes (sha256), scast's
# and pydantic's versions and every limit a user may set, and later built from it with
# model_construct. The cache is an input too: it is used only when it is a regular file of this
# user that nobody else may write, within the YAML size limit, holding exactly that key and a
# checksum of its payload, and made only of the config's own model classes; anything else (a
# corrupt or foreign file, an unknown class or key) is ignored and the YAML loaded as before.
# Only the bundled file is cached; a user's own file is always read.


def _cache_folder() -> Path:
    home = os.environ.get("XDG_CACHE_HOME") or (os.environ.get("LOCALAPPDATA") if os.name == "nt" else None)
    return (Path(home) if home else Path.home() / ".cache") / "scast"


def _disk_key(key: tuple) -> tuple[Path, str]:
    import json

    import pydantic

    from scast_cli import __version__

    text = json.dumps([*key, __version__, pydantic.VERSION], ensure_ascii=True)
    return _cache_folder() / f"config-{hashlib.sha256(text.encode()).hexdigest()[:32]}.json", text


def _tree(value: Any) -> Any:
    """A model as plain JSON data that names its classes: {"M": class, "F": fields, "S": fields set},
    {"L": [...]} for a list, {"D": {...}} for a mapping; str, numbers, bools and None as they are."""
    if isinstance(value, _Model):
        fields = {name: _tree(getattr(value, name)) for name in type(value).model_fields}
        return {"M": type(value).__name__, "F": fields, "S": sorted(value.model_fields_set)}
    if isinstance(value, list):
        return {"L": [_tree(v) for v in value]}
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"D": {k: _tree(v) for k, v in value.items()}}
    if value is None or isinstance(value, str | int | float):  # bool is an int
        return value
    raise TypeError(type(value).__name__)  # not cached


def _built(node: Any) -> Any:
    """`_tree` backwards, refusing (ValueError, KeyError) anything that is not one of the config's models."""
    if node is None or isinstance(node, str | int | float):
        return node
    if isinstance(node, dict) and len(node) == 1 and isinstance(node.get("L"), list):
        return [_built(v) for v in node["L"]]
    if isinstance(node, dict) and len(node) == 1 and isinstance(node.get("D"), dict):
        return {k: _built(v) for k, v in node["D"].items()}
    if isinstance(node, dict) and node.keys() == {"M", "F", "S"} and isinstance(node["F"], dict) and isinstance(node["S"], list):
        model = _MODELS[node["M"]]
        if node["F"].keys() != model.model_fields.keys() or not set(node["S"]) <= node["F"].keys():
            raise ValueError("fields")
        return model.model_construct(set(node["S"]), **{k: _built(v) for k, v in node["F"].items()})
    raise ValueError("shape")


def _to_disk(key: tuple, config: Config, warnings: list[Problem], layer: _Layer) -> None:
    """Keep the bundled file's config for the next run; quietly nothing when it cannot be written."""
    import json
    import tempfile
    from dataclasses import asdict

    try:
        where, text = _disk_key(key)
        tree = _tree(config)
        if _tree(_built(json.loads(json.dumps(tree)))) != tree:
            return
        layer_key = [layer.path, hashlib.sha256(layer.raw or b"").hexdigest()]
        payload = json.dumps({"config": tree, "spellings": config.spellings, "warnings": [asdict(w) for w in warnings], "layer": layer_key})
        body = json.dumps({"key": text, "sha256": hashlib.sha256(payload.encode()).hexdigest(), "payload": payload}, ensure_ascii=True)
        where.parent.parent.mkdir(exist_ok=True)  # ~/.cache, in a home folder that exists
        where.parent.mkdir(mode=0o700, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=where.parent, prefix=".config-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(body)
            os.replace(temporary, where)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except (OSError, TypeError, ValueError, KeyError, RecursionError, RuntimeError):  # RuntimeError: no home folder
        return


def _from_disk(key: tuple) -> tuple[Config, list[Problem], tuple[tuple[str, str], ...]] | None:
    """The bundled file's config as `_to_disk` kept it, or None (not there, or not to be trusted)."""
    import json
    import stat

    try:
        where, text = _disk_key(key)
        handle = os.open(where, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(handle, "rb") as source:
            info = os.fstat(source.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o022 or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
                return None
            raw = source.read(limit("yaml_mb") * 1_000_000 + 1)
        if len(raw) > limit("yaml_mb") * 1_000_000:
            return None
        body = json.loads(raw)
        if not isinstance(body, dict) or body.get("key") != text or not isinstance(body.get("payload"), str):
            return None
        if hashlib.sha256(body["payload"].encode()).hexdigest() != body.get("sha256"):
            return None
        payload = json.loads(body["payload"])
        config = _built(payload["config"])
        warnings = [Problem(**w) for w in payload["warnings"]]
        layer = tuple(payload["layer"])
        spellings = payload["spellings"]
        if not isinstance(config, Config) or not all(isinstance(w, Problem) for w in warnings) or len(layer) != 2 or layer[1] != key[2]:
            return None
        if not isinstance(spellings, dict) or not all(isinstance(k, str) and isinstance(v, str) and v in config.field_by_id for k, v in spellings.items()):
            return None
        config.__dict__["spellings"] = spellings  # what the cached_property would compute
        return config, warnings, (layer,)
    except (OSError, TypeError, ValueError, KeyError, AttributeError, RecursionError, RuntimeError):
        return None


def _load(path: Path, warnings: list[Problem]) -> tuple[Config, list[_Layer]]:
    """`load_config` without the cache: the config and the layers it was read from."""
    try:
        layers = _load_layers(path)
    except ScastError as exc:
        if [p.code for p in exc.problems] != ["extends-loop"]:
            raise
        try:  # say which files loop, at the `extends:` line that closes the loop
            chain, current = [], path
            while str(current.resolve()) not in {str(c.resolve()) for c in chain}:
                chain.append(current)
                data, root = read_yaml(current)
                parent = data["extends"]
                current = default_path() if parent == "default" else current.parent / parent
            _, line, col = _Merged(data, [_Layer(str(chain[-1]), data, root)]).locate(["extends"])
        except Exception:  # noqa: BLE001 - the loader's own message is still right
            raise exc from None
        names = [str(c) for c in (*chain, current)]
        message = f"the chain loops ({' -> '.join(names)}); one of these files must stop extending the other"
        raise ScastError([Problem("extends-loop", message, str(chain[-1]), line, col, "extends", params={"chain": names})]) from None
    merged = _Merged(_merge(layers), layers)
    config, shapes = None, []
    try:
        config = Config.model_validate({**merged.data, "path": str(path), "sha256": _sha256(layers)})
    except ValidationError as exc:
        shapes = [_problem_at(merged, err["loc"], _pydantic_message(err), "invalid-config") for err in exc.errors(include_url=False)]
    found = _cross_check(merged)
    errors = [p for p in found if p.severity == "error"]
    # a lint line covers its key and every key above it: one set of those paths, so the filter
    # stays linear in the number of problems
    ruled = {w[:i] for p in errors if (w := p.where) for i in [len(w), *(i for i, c in enumerate(w) if c in ".[")]}
    shapes = [p for p in shapes if not (p.where and p.where in ruled)]
    rank = {layer.path: n for n, layer in enumerate(reversed(layers))}  # the user's own file first
    order = lambda p: (rank.get(p.file, len(rank)), p.line or 0, p.column or 0)  # noqa: E731
    problems = sorted(shapes + errors, key=order)
    warnings.extend(sorted((p for p in found if p.severity != "error"), key=order))  # also when the errors below are raised: `check` lists both
    if problems or config is None:
        raise ScastError(problems or shapes)
    return config, layers


def _sha256(layers: list[_Layer]) -> str:
    digest = hashlib.sha256()
    for layer in layers:
        digest.update(layer.raw if layer.raw is not None else Path(layer.path).read_bytes())
    return digest.hexdigest()


def _pydantic_message(err: dict) -> str:
    message = err["msg"]
    if err["type"] == "extra_forbidden":
        return "unknown key (check the spelling against the indicators file format)"
    if err["type"] == "missing":
        return "required key is missing"
    if "input" in err and err["type"] not in ("model_type", "dict_type") and not isinstance(err["input"], dict | list):
        message += f", found {err['input']!r}"
    return message


def _problem_at(merged: _Merged, loc, message: str, code: str) -> Problem:
    # pydantic puts the discriminator's tag into the path (rule.bands.bands.green); drop it
    loc = [part for i, part in enumerate(loc) if not (i and loc[i - 1] == "rule" and part in ("bands", "target", "goalposts", "flag"))]
    file, line, col = merged.locate(loc)
    where = _dotted(merged.data, loc)
    return Problem(code, message, file, line, col, where)


def _dotted(data: dict, loc) -> str:
    """indicators[3].formula, or indicators[township_cast_coverage].formula when an id exists."""
    out, node = "", data
    for part in loc:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            label = item.get("id") if isinstance(item, dict) and item.get("id") else part
            out += f"[{label}]"
            node = item
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out


def _cross_check(merged: _Merged) -> list[Problem]:
    """The rules of `scast_cli.lint` over the merged data, each problem at its file and YAML line."""
    from scast_cli import lint

    def locate(loc: list, layer: int | None = None) -> tuple[str, int | None, int | None, str]:
        if layer is not None:  # a key path in one file's own data (an id used twice in it)
            own = merged.layers[layer]
            _, node = _walk(own.root, loc)
            return own.path, node.start_mark.line + 1, node.start_mark.column + 1, _dotted(own.data, loc)
        if len(loc) >= 3 and loc[0] == "groups" and isinstance(loc[2], int):
            # groups merge by id as fields and indicators do: look for the group's own entry
            groups = merged.data.get("groups") or {}
            items = groups.get(loc[1]) if isinstance(groups, dict) else None
            item = items[loc[2]] if isinstance(items, list) and loc[2] < len(items) else None
            best = None
            for own in reversed(merged.layers) if isinstance(item, dict) else ():
                kinds = own.data.get("groups")
                index = _index_by_id(kinds.get(loc[1]) if isinstance(kinds, dict) else None, item.get("id"))
                if index is not None:
                    depth, node = _walk(own.root, [*loc[:2], index, *loc[3:]])
                    if best is None or depth > best[0]:
                        best = (depth, own.path, node)
                    if depth == len(loc):
                        break
            if best is not None:
                return best[1], best[2].start_mark.line + 1, best[2].start_mark.column + 1, _dotted(merged.data, loc)
        file, line, col = merged.locate(loc)
        return file, line, col, _dotted(merged.data, loc)

    return lint.check(merged.data, [layer.data for layer in merged.layers], locate)
