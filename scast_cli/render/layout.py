"""Terminal tables that never crop or break a word: every column wide enough for its longest
word, lines broken only between words (or between Chinese characters), and when a table cannot
fit the terminal that way, a stacked layout (one block per row) instead.

Rich wraps a cell at spaces and, when a word is longer than its column, cuts the word; and when
the columns' least widths add up to more than the terminal, it cuts the table's right edge. Here
the widths are chosen first and every cell is broken into lines before rich sees it, so rich has
nothing left to cut. Words are runs of characters that are neither spaces nor CJK; a line may
break at a space, before or after a CJK character, never before closing punctuation, after
opening punctuation or between a number and the Chinese word after it ("4 个"); a short cell (a region name, a score range) stays on one line.
"""

from __future__ import annotations

import re

# CJK ideographs, kana, hangul and full-width forms: a line may break on either side of each
_CJK = r"\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_TOKEN = re.compile(rf"\s+|[{_CJK}]|[^\s{_CJK}]+")
_CLOSING = set(")]}）】」』》〉，。、；：！？”’,.;:!?%…·")
_OPENING = set("([{（【「『《〈“‘")
SHORT = 10  # cells this wide or narrower are never broken: names, numbers, ranges, grades
GAP = 3  # rich's padding (one either side) and the rule between columns, per column


def _width(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def units(text: str) -> list[tuple[int, int, bool]]:
    """The unbreakable pieces of `text` as (start, end, space_before), in order: a line may break
    at a space, or between two pieces one of which is CJK, unless the second starts with closing
    punctuation or the first ends with opening punctuation; a number, one space and a CJK
    character are one piece ("4 个")."""
    out: list[list] = []
    space = ""
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token.isspace():
            space = token
            continue
        if out and space == " " and text[out[-1][1] - 1].isdigit() and _cjk(token[0]):
            out[-1][1] = match.end()  # a number and the Chinese word after it stay together: "4 个"
            space = ""
            continue
        if out and not space:
            last = text[out[-1][1] - 1]
            if not (_cjk(last) or _cjk(token[0])) or token[0] in _CLOSING or last in _OPENING:
                out[-1][1] = match.end()
                continue
        out.append([match.start(), match.end(), bool(space)])
        space = ""
    return [(a, b, s) for a, b, s in out]


def _cjk(ch: str) -> bool:
    return bool(re.match(rf"[{_CJK}]", ch))


def least_width(text: str, short: int = SHORT) -> int:
    """The narrowest a column can be for `text` without breaking a word (or a cell up to `short` wide)."""
    if "\n" not in text and len(text) <= short and _width(text) <= short:
        return _width(text)  # a short cell: its whole width (the common case, a number or a name)
    lines = text.split("\n")
    widest_line = max((_width(line) for line in lines), default=0)
    longest = max((_width(line[a:b]) for line in lines for a, b, _ in units(line)), default=0)
    return max(longest, min(widest_line, short))


def breaks(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy line breaking of one line of `text` at `width`: (start, end) of each line. A piece
    wider than `width` gets a line of its own (only a stacked layout at a tiny width needs that)."""
    lines: list[list[int]] = []
    used = 0
    for start, end, space in units(text):
        piece = _width(text[start:end])
        if lines and used + (1 if space else 0) + piece <= width:
            lines[-1][1] = end
            used += (1 if space else 0) + piece
        else:
            lines.append([start, end])
            used = piece
    return [(a, b) for a, b in lines] or [(0, 0)]


def wrap(cell, width: int):
    """`cell` (str or rich Text) broken into lines no wider than `width`, styles kept."""
    from rich.text import Text

    text = cell if isinstance(cell, Text) else Text(str(cell))
    if _width(text.plain) <= width and "\n" not in text.plain:
        return text
    out = []
    offset = 0
    for line in text.plain.split("\n"):
        for a, b in breaks(line, width):
            out.append(text[offset + a : offset + b])
        offset += len(line) + 1
    return Text("\n").join(out)


def _cell_text(cell) -> str:
    return getattr(cell, "plain", cell) if not isinstance(cell, str) else cell


def fit(table, width: int) -> bool:
    """Give every column of a rich Table a fixed width at least its least width and break every cell
    to it, so that nothing is cut; False (the table untouched) when the least widths do not fit."""
    columns = table.columns
    texts = [[_cell_text(column.header), *(_cell_text(c) for c in column._cells)] for column in columns]
    least = [max(least_width(col[0], short=0), *(least_width(t) for t in col[1:])) for col in texts]  # a header may wrap anywhere between words
    most = [max(max((_width(line) for line in t.split("\n")), default=0) for t in col) for col in texts]
    room = width - GAP * len(columns) + 1
    if sum(least) > room:
        return False
    widths = _share_out(least, most, room)
    for column, w in zip(columns, widths, strict=True):
        column.width, column.min_width, column.max_width, column.no_wrap = w, None, None, False
        column.overflow = "fold"
        column.header = wrap(column.header, w)
        column._cells[:] = [wrap(c, w) for c in column._cells]  # rich has no public setter
    return True


def _share_out(least: list[int], most: list[int], room: int) -> list[int]:
    """Widths from `least` up to `most`, the spare room going to the columns that want it most."""
    widths = list(least)
    spare = room - sum(widths)
    while spare > 0:
        wanting = [i for i, w in enumerate(widths) if w < most[i]]
        if not wanting:
            break
        step = max(1, spare // len(wanting))
        for i in sorted(wanting, key=lambda i: widths[i] - most[i]):
            grant = min(step, most[i] - widths[i], spare)
            widths[i] += grant
            spare -= grant
            if spare <= 0:
                break
    return widths


def stacked(table, width: int, lead: int = 1) -> list:
    """The rows of a table as blocks, for a terminal too narrow for its columns: the first cell on a
    line of its own (the first `lead` cells), then 'header: value' for every other non-empty cell,
    indented, side by side where they fit, broken only between words.
    Returned as Text parts, which print_parts cleans like any other."""
    from rich.text import Text

    columns = table.columns
    heads = [_cell_text(c.header).replace("\n", " ") for c in columns]
    blocks: list = []
    if table.title:
        blocks.append(table.title if isinstance(table.title, Text) else Text(str(table.title), style="bold"))
    rows = zip(*(column._cells for column in columns), strict=True) if columns else []
    for cells in rows:
        first = Text("  ").join(cell if isinstance(cell, Text) else Text(str(cell)) for cell in cells[:lead])
        blocks.append(wrap(Text.assemble(first, style="bold"), width))
        pairs = [(head, cell if isinstance(cell, Text) else Text(str(cell))) for head, cell in zip(heads[lead:], cells[lead:], strict=True)]
        pairs = [(head, value) for head, value in pairs if value.plain.strip() not in ("", "—")]
        lines: list = []
        for head, value in pairs:  # 'header: value' pairs side by side, a pair broken only when it alone is too wide
            pair = Text.assemble((head, "dim"), ": ", value)
            if lines and _width(lines[-1].plain) + 3 + _width(pair.plain) <= width - 2:
                lines[-1] = Text.assemble(lines[-1], "   ", pair)
            else:
                lines += wrap(pair, max(8, width - 2)).split("\n")
        blocks += [Text.assemble("  ", line) for line in lines]
    return blocks


def fit_or_stack(table, width: int, lead: int = 1) -> list:
    """[the table] with fitted columns, or, when it cannot fit `width`, its stacked layout."""
    return [table] if fit(table, width) else stacked(table, width, lead)
