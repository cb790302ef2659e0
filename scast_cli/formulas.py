"""Indicator formulas: parsed by a whitelist, compiled to column operations.

A formula is arithmetic over field ids: numbers, `+ - * /`, parentheses, unary minus and the
functions `min`, `max` and `coalesce`. The text is parsed into a Python syntax tree with
`ast.parse` (parsing only: nothing is ever evaluated by Python), every node is checked against
the whitelist, and the tree is turned into a closure over numpy arrays, so one call scores a
formula for every region at once. Missing inputs are NaN and stay NaN; division by zero gives
NaN ("not assessed"), never inf.

A formula comes from a file someone else may have edited, so it is bounded before Python's parser
sees it (`formula_chars` characters, `formula_nesting` levels of parentheses) and after
(`formula_depth` levels of syntax tree, measured without recursion), and a constant must be a
finite number: `1e999` is refused at its place rather than scoring with infinity.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from scast_cli.errors import did_you_mean
from scast_cli.limits import exceeds, limit

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
    text = text.strip()
    _check_size(text)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"not a valid formula: {exc.msg}", max((exc.offset or 1) - 1, 0)) from None
    except (RecursionError, MemoryError, ValueError):  # the parser's own limits, should the checks above miss one
        raise FormulaError(f"too complex to parse; {exceeds('formula_depth')}") from None
    _check_tree(tree.body, text)
    used: list[str] = []
    fn = _compile(tree.body, known, used)
    return Formula(text, tuple(dict.fromkeys(used)), fn)


def _check_size(text: str) -> None:
    """Length, and nesting of parentheses counted in one pass, before the parser sees the text."""
    if len(text) > limit("formula_chars"):
        raise FormulaError(f"a formula of {len(text):,} characters is too long; {exceeds('formula_chars')}", limit("formula_chars"))
    depth, deepest = 0, limit("formula_nesting")
    for at, char in enumerate(text):
        if char == "(":
            depth += 1
            if depth > deepest:
                raise FormulaError(f"parentheses nested more than {deepest} deep; {exceeds('formula_nesting')}", at)
        elif char == ")":
            depth -= 1


def _check_tree(root: ast.AST, text: str) -> None:
    """The syntax tree's depth, walked with a stack: a long chain such as - - - … x or a + b + …
    (a tree as deep as it is long) is refused before the recursive compiler meets it; and every
    numeric constant must be finite, quoted as written (1e999, not inf)."""
    deepest = limit("formula_depth")
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            raise FormulaError(f"nested more than {deepest} levels deep; {exceeds('formula_depth')}", getattr(node, "col_offset", 0))
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool) and not _finite(node.value):
            written = ast.get_source_segment(text, node) or repr(node.value)
            raise FormulaError(f"the constant {_shown(written)} is too large: expected a finite number", node.col_offset)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def _finite(value: int | float) -> bool:
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an int of hundreds of digits
        return False


def _compile(node: ast.AST, known: set[str], used: list[str]) -> Compiled:
    import numpy as np

    at = getattr(node, "col_offset", 0)
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise FormulaError(f"only numbers may appear as constants, found {_shown(repr(node.value))}", at)
        if not _finite(node.value):  # _check_tree refuses it first, quoted as written
            raise FormulaError("a constant is too large: expected a finite number", at)
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


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else f"{text[:40]}… ({len(text):,} characters)"


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
