"""Indicator formulas: parsed by a whitelist, compiled to column operations.

A formula is arithmetic over field ids: numbers, `+ - * /`, parentheses, unary minus and the
functions `min`, `max` and `coalesce`. The text is parsed into a Python syntax tree with
`ast.parse` (parsing only: nothing is ever evaluated by Python), every node is checked against
the whitelist, and the tree is turned into a closure over numpy arrays, so one call scores a
formula for every region at once. Missing inputs are NaN and stay NaN; division by zero gives
NaN ("not assessed"), never inf.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from scast_cli.errors import did_you_mean

FUNCTIONS = ("min", "max", "coalesce")

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}

# What a rejected node is called in a message, so the user learns what is not allowed.
_NODE_NAMES = {
    ast.Attribute: "attribute access",
    ast.Lambda: "a lambda",
    ast.Subscript: "indexing",
    ast.Compare: "a comparison",
    ast.BoolOp: "and/or",
    ast.IfExp: "if/else",
    ast.Pow: "the ** operator",
    ast.Mod: "the % operator",
    ast.FloorDiv: "the // operator",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.Dict: "a dict",
    ast.Set: "a set",
    ast.ListComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.NamedExpr: "the := operator",
    ast.JoinedStr: "a string",
    ast.Starred: "*arguments",
}


class FormulaError(ValueError):
    """A formula outside the whitelist; `offset` is the 0-based column in the formula text."""

    def __init__(self, message: str, offset: int = 0):
        super().__init__(message)
        self.offset = offset


Columns = Mapping[str, "object"]  # field id -> 1-D numpy float array (NaN = missing)
Compiled = Callable[[Columns], "object"]


@dataclass(frozen=True)
class Formula:
    """A checked formula: its text, the fields it reads, and the compiled column function."""

    text: str
    fields: tuple[str, ...]
    _fn: Compiled

    def __call__(self, columns: Columns):
        """Evaluate over all regions at once; inf and -inf become NaN."""
        import numpy as np

        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = np.asarray(self._fn(columns), dtype="float64")
        return np.where(np.isfinite(out), out, np.nan)


def parse(text: str, known_fields: Iterable[str]) -> Formula:
    """Check `text` against the whitelist and compile it; raise FormulaError otherwise."""
    known = set(known_fields)
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("a formula must be a non-empty string")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"not a valid formula: {exc.msg}", max((exc.offset or 1) - 1, 0)) from None
    used: list[str] = []
    fn = _compile(tree.body, known, used)
    return Formula(text.strip(), tuple(dict.fromkeys(used)), fn)


def _compile(node: ast.AST, known: set[str], used: list[str]) -> Compiled:
    import numpy as np

    at = getattr(node, "col_offset", 0)
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise FormulaError(f"only numbers may appear as constants, found {node.value!r}", at)
        number = float(node.value)
        return lambda cols: number
    if isinstance(node, ast.Name):
        if node.id not in known:
            hint = did_you_mean(node.id, known)
            raise FormulaError(f"unknown field '{node.id}'{hint}", at)
        used.append(node.id)
        name = node.id
        return lambda cols: cols[name]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _compile(node.operand, known, used)
        if isinstance(node.op, ast.USub):
            return lambda cols: -inner(cols)
        return inner
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _compile(node.left, known, used), _compile(node.right, known, used)
        op = type(node.op)
        if op is ast.Add:
            return lambda cols: left(cols) + right(cols)
        if op is ast.Sub:
            return lambda cols: left(cols) - right(cols)
        if op is ast.Mult:
            return lambda cols: left(cols) * right(cols)

        def divide(cols):
            num, den = np.asarray(left(cols), "float64"), np.asarray(right(cols), "float64")
            return np.where(den == 0, np.nan, num / np.where(den == 0, 1.0, den))

        return divide
    if isinstance(node, ast.Call):
        return _compile_call(node, known, used)
    what = _NODE_NAMES.get(type(node)) or _NODE_NAMES.get(type(getattr(node, "op", None)))
    what = what or type(node).__name__
    raise FormulaError(f"{what} is not allowed in a formula; use field ids, numbers, + - * / and {', '.join(FUNCTIONS)}", at)


def _compile_call(node: ast.Call, known: set[str], used: list[str]) -> Compiled:
    import numpy as np

    at = node.col_offset
    if not isinstance(node.func, ast.Name):
        raise FormulaError("only min(), max() and coalesce() may be called", at)
    name = node.func.id
    if name not in FUNCTIONS:
        raise FormulaError(f"unknown function '{name}'{did_you_mean(name, FUNCTIONS)}; allowed: {', '.join(FUNCTIONS)}", at)
    if node.keywords or not node.args:
        raise FormulaError(f"{name}() takes one or more plain arguments", at)
    args = [_compile(arg, known, used) for arg in node.args]

    def evaluate(cols):
        values = [np.asarray(arg(cols), "float64") for arg in args]
        if name == "coalesce":
            # first argument that is assessable, region by region
            out = values[-1]
            for v in reversed(values[:-1]):
                out = np.where(np.isnan(v), out, v)
            return out
        reduce = np.minimum if name == "min" else np.maximum  # NaN propagates: missing stays missing
        out = values[0]
        for v in values[1:]:
            out = reduce(out, v)
        return out

    return evaluate
