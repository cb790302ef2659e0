"""Bar charts for `scast report`, drawn with matplotlib (an optional extra: scast[charts]).

matplotlib is imported inside the functions, so scast works without it (the report then has no
charts and the command says why on stderr). Figures are built on `matplotlib.figure.Figure` with
the Agg canvas and the style set in an `rc_context`, so nothing leaks into pyplot's global state.
Chinese text needs a CJK font: `cjk_font_status` finds one, rebuilding matplotlib's font list
when fonts were installed after it was cached; without one the caller draws no chart (never
English stand-ins or ids).
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

# Family names as matplotlib's font manager reports them, best first; a prefix matches any
# regional variant ("Noto Sans CJK" finds "Noto Sans CJK SC" or "... JP").
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK",
    "Source Han Sans SC",
    "Source Han Sans",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "PingFang",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Serif CJK SC",
    "Noto Serif CJK",
)
BAND_COLOURS = {"green": "#2e7d32", "yellow": "#f9a825", "orange": "#ef6c00", "red": "#c62828"}
UNSCORED_COLOUR = "#9e9e9e"
# A chart is as wide as an A4 page's text (15.6 cm with 公文 margins, 6.3 in), so a Word or printed
# report shows its text at the size it was drawn; each bar adds BAR_IN to the height.
WIDTH_IN, BAR_IN, BASE_IN = 6.3, 0.3, 1.2


@dataclass(frozen=True)
class Bar:
    label: str
    score: float | None
    band: str | None
    note: str | None = None  # shown instead of the score: the credit of a group that only adds credit (the "N")


def cjk_font() -> str | None:
    """The family name of an installed font that has Chinese glyphs, or None (tests monkeypatch this)."""
    return cjk_font_status()[0]


def _pick(entries) -> str | None:
    installed = sorted({entry.name for entry in entries})
    for wanted in CJK_FAMILIES:
        for name in installed:
            if name == wanted or name.startswith(wanted + " "):
                return name
    return None


def cjk_font_status() -> tuple[str | None, bool]:
    """(CJK family name or None, whether matplotlib's font list had to be rebuilt to find it).

    matplotlib caches the fonts it found on its first run; a font installed since is not in that
    list. When no CJK font is listed but the system has font files the list does not know, the
    list is rebuilt from the disk (and its cache rewritten), once per process.
    """
    _import_matplotlib()
    from matplotlib import font_manager

    found = _pick(font_manager.fontManager.ttflist)
    if found or _REBUILT:
        return found, False
    _REBUILT.append(True)
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    if all(path in known for path in font_manager.findSystemFonts()):
        return None, False
    font_manager.fontManager = font_manager._load_fontmanager(try_read_cache=False)
    found = _pick(font_manager.fontManager.ttflist)
    return found, found is not None


_REBUILT: list[bool] = []


def _import_matplotlib() -> None:
    """Import what the charts need. A matplotlib that is installed but cannot be imported (a
    library it needs is missing or broken: any exception on import) is raised as an ImportError
    named 'matplotlib', which the report treats as matplotlib missing: no charts, a note, exit 0."""
    try:
        import matplotlib  # noqa: F401
        from matplotlib import font_manager  # noqa: F401
        from matplotlib.backends import backend_agg  # noqa: F401
        from matplotlib.figure import Figure  # noqa: F401
        from matplotlib.patches import Patch  # noqa: F401
    except ImportError as exc:
        if (exc.name or "").startswith("matplotlib") and isinstance(exc, ModuleNotFoundError):
            raise
        raise ImportError(f"matplotlib cannot be imported ({type(exc).__name__}: {exc})", name="matplotlib") from exc
    except Exception as exc:  # noqa: BLE001 - a broken install fails in any way
        raise ImportError(f"matplotlib cannot be imported ({type(exc).__name__}: {exc})", name="matplotlib") from exc


def has_cjk(text: str) -> bool:
    """Whether the text holds wide (CJK) characters that a Latin font would draw as boxes."""
    return any(unicodedata.east_asian_width(c) in ("W", "F") for c in text)


def bar_chart(bars: list[Bar], *, title: str, axis: str, legend: dict[str, str], empty: str, font: str | None, fmt: str = "png") -> bytes:
    """Horizontal bars of scores 0–100, top to bottom in the given order, coloured by band.

    `legend` names the bands (green, yellow, orange, red) that appear; an unscored bar is drawn as
    an empty grey slot labelled with its note (a group's credit) or `empty`; `font` is the CJK family to draw with (None: the
    default sans-serif, for text without Chinese). Returns PNG or SVG bytes.
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    style = {
        "svg.hashsalt": "scast",  # stable ids in the SVG, so the same report gives the same file
        "svg.fonttype": "none",  # text stays text: searchable, and small
        "text.parse_math": False,  # a '$' in a region name or label is a dollar sign, not mathtext to parse
        "font.family": "sans-serif",
        "font.sans-serif": [font, "DejaVu Sans"] if font else ["DejaVu Sans"],
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with matplotlib.rc_context(style):
        fig = Figure(figsize=(WIDTH_IN, BAR_IN * len(bars) + BASE_IN), layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        rows = range(len(bars))
        scores = [b.score or 0.0 for b in bars]
        colours = [BAND_COLOURS.get(b.band or "", UNSCORED_COLOUR) for b in bars]
        ax.barh(rows, scores, color=colours, height=0.62)
        for row, bar in zip(rows, bars, strict=True):
            text = bar.note if bar.note is not None else f"{bar.score:.1f}" if bar.score is not None else empty
            ax.text((bar.score or 0.0) + 1.2, row, text, va="center", fontsize=8.5)
        ax.set_yticks(list(rows), [b.label for b in bars], fontsize=9)
        ax.invert_yaxis()
        ax.set_xlim(0, 108)
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.set_xlabel(axis)
        ax.set_title(title, loc="left", fontsize=11)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        shown = [band for band in BAND_COLOURS if any(b.band == band for b in bars)]
        if shown:
            handles = [Patch(color=BAND_COLOURS[band], label=legend[band]) for band in shown]
            ax.legend(handles=handles, loc="lower right", fontsize=8, frameon=False, bbox_to_anchor=(1.0, 1.0), ncols=len(shown))
        buffer = io.BytesIO()
        # no creation date or version in the file: the same scores give the same bytes
        metadata = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buffer, format=fmt, dpi=150, metadata=metadata)
    return buffer.getvalue()
