"""Progress of a long run on stderr: one transient bar through reading, scoring and writing.

The library reports stages through an optional callback, `report(stage, done, total)` with stage
"read" (after each field's column), "score" (after each indicator) or "write"; it never prints.
This module only shows what it is told: one redraw per update, a hundred or two a run (one per
field and per indicator), so the bar costs nothing measurable. It shows only on a terminal (`wanted`), and is gone
once the run ends, so that nothing of it is left in a log or between lines of output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from scast_cli.i18n import t

Report = Callable[[str, int, int], None]


def wanted(path: Path, stderr, large: int) -> bool:
    """Whether a bar is worth showing: stderr is a terminal and the input is at least `large` bytes."""
    try:
        return stderr.isatty() and path.is_file() and path.stat().st_size >= large
    except OSError:
        return False


def _word(lang: str, stage: str) -> str:
    return t(lang, f"progress_{stage}")


@contextmanager
def stages(console, path: Path, lang: str, show: bool) -> Iterator[Report | None]:
    """A `report(stage, done, total)` callback drawing one bar on `console` (None when not `show`)."""
    if not show:
        yield None
        return
    from rich.markup import escape
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    from scast_cli.safe import terminal_text

    name = escape(terminal_text(path.name, one_line=True))  # text from the input: cleaned, and not markup
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(name, total=None)

        def report(stage: str, done: int, total: int) -> None:
            bar.update(task, description=f"{name} · {escape(_word(lang, stage))}", completed=done, total=total or None, refresh=True)

        yield report
