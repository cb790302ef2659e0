"""The typer app: parse arguments, call the library, render, choose the exit code.

Heavy modules (pandas, numpy, pydantic) are imported inside command bodies so that
`scast --help` and `scast --version` start fast.
"""

from __future__ import annotations

import io
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from scast_cli import __version__
from scast_cli.i18n import detect_lang, t

app = typer.Typer(
    name="scast",
    help="Score grassroots 科协 (science and technology association) figures against the "
    '"3+1+N" and five-standardisation indicators.\n\nExample: scast score data/regions/jiaozhou.yaml',
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_state = {"debug": False}


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class Lang(str, Enum):
    en = "en"
    zh = "zh"


class By(str, Enum):
    dimension = "dimension"
    framework = "framework"
    standard = "standard"


def _err_console():
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True)


@contextmanager
def user_errors(lang: str):
    """One place where problems become messages and exit codes: 1 bad input, 2 bad usage."""
    from scast_cli.errors import ScastError, UsageError

    try:
        yield
    except ScastError as exc:
        console = _err_console()
        for problem in exc.problems:
            console.print(f"error: {problem}", markup=False, highlight=False)
        if len(exc.problems) > 1:
            console.print(f"{len(exc.problems)} problems", markup=False, highlight=False)
        if _state["debug"]:
            raise
        raise typer.Exit(2 if isinstance(exc, UsageError) else 1) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:
        if _state["debug"]:
            raise
        _err_console().print(t(lang, "internal", error=f"{type(exc).__name__}: {exc}"), markup=False, highlight=False)
        raise typer.Exit(1) from None


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"scast {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback on errors.")] = False,
) -> None:
    """Score grassroots 科协 figures against the "3+1+N" and five-standardisation indicators."""
    _state["debug"] = debug


FileArg = Annotated[Path, typer.Argument(help="A region file: YAML, CSV or XLSX.", show_default=False)]
RegionOpt = Annotated[str | None, typer.Option("--region", "-r", help="The region to use when the file holds several.")]
IndicatorsOpt = Annotated[Path | None, typer.Option("--indicators", "-i", help="An indicators file (default: the bundled indicators.yaml).")]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
LangOpt = Annotated[Lang | None, typer.Option("--lang", "-l", help="Label language (default: from the locale, else en).")]
SheetOpt = Annotated[str | None, typer.Option("--sheet", help="XLSX: the sheet to read (default: the first).")]
EncodingOpt = Annotated[str | None, typer.Option("--encoding", help="CSV: the text encoding (default: detect UTF-8 or GB18030).")]
IgnoreOpt = Annotated[bool, typer.Option("--ignore-unknown", help="Skip columns or keys that match no field instead of failing.")]


def _language(lang: Lang | None) -> str:
    return (lang or Lang(detect_lang())).value


@app.command()
def score(
    file: FileArg,
    region: RegionOpt = None,
    indicators: IndicatorsOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = None,
    by: Annotated[By, typer.Option("--by", help="Group the indicator tables by this kind.")] = By.dimension,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = None,
    ignore_unknown: IgnoreOpt = False,
) -> None:
    """Score one region against the indicators.

    Example: scast score data/regions/jiaozhou.yaml --format json
    """
    language = _language(lang)
    with user_errors(language):
        from scast_cli import engine
        from scast_cli.config import load_config
        from scast_cli.readers import read_regions

        config = load_config(indicators)
        regions = read_regions(file, config, sheet=sheet, encoding=encoding, ignore_unknown=ignore_unknown).select(region)
        _warn(regions.warnings)
        result = engine.score(regions, config)
        payload = engine.as_dict(result, regions.names[0], language)
        _emit(payload, config, fmt, language, by.value)


class CheckFormat(str, Enum):
    table = "table"
    json = "json"


@app.command()
def validate(
    file: FileArg,
    indicators: IndicatorsOpt = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.table,
    lang: LangOpt = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = None,
    ignore_unknown: IgnoreOpt = False,
) -> None:
    """Check a region file against the fields without scoring; list every problem.

    Errors (wrong type, negative count, part larger than its whole, share outside [0, 1],
    duplicate region or column, unknown column) exit 1; warnings and notes exit 0.

    Example: scast validate data/regions.xlsx
    """
    language = _language(lang)
    with user_errors(language):
        from scast_cli.config import load_config
        from scast_cli.readers import load_regions
        from scast_cli.render.checks import check_json, check_text

        config = load_config(indicators)
        regions, problems = load_regions(file, config, sheet=sheet, encoding=encoding, ignore_unknown=ignore_unknown)
        names = regions.names if regions is not None else []
        sys.stdout.write(check_json(str(file), names, problems) if fmt is CheckFormat.json else check_text(str(file), names, problems, language))
        if any(p.severity == "error" for p in problems):
            raise typer.Exit(1)


class ListFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


@app.command()
def fields(
    indicators: IndicatorsOpt = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.table,
    lang: LangOpt = None,
) -> None:
    """List every field a region can report: id, labels, aliases, kind, unit, bounds, part of.

    Example: scast fields --lang zh --format markdown
    """
    language = _language(lang)
    with user_errors(language):
        from scast_cli.config import load_config
        from scast_cli.render import fieldlist

        config = load_config(indicators)
        if fmt is ListFormat.json:
            sys.stdout.write(fieldlist.as_json(config))
        elif fmt is ListFormat.markdown:
            sys.stdout.write(fieldlist.as_markdown(config, language))
        else:
            from rich.console import Console

            fieldlist.render(Console(), config, language)


class FormFormat(str, Enum):
    yaml = "yaml"
    csv = "csv"
    xlsx = "xlsx"


@app.command()
def template(
    fmt: Annotated[FormFormat, typer.Option("--format", "-f", help="Form format.")] = FormFormat.xlsx,
    lang: LangOpt = None,
    output: Annotated[str | None, typer.Option("--output", "-o", help="File to write; '-' for stdout (not for xlsx).")] = None,
    indicators: IndicatorsOpt = None,
) -> None:
    """Write a blank form with every field, to fill in and score.

    Example: scast template --format xlsx --lang zh -o 科协数据.xlsx
    """
    language = _language(lang)
    with user_errors(language):
        from scast_cli import forms
        from scast_cli.config import load_config
        from scast_cli.errors import UsageError
        from scast_cli.output import write_output

        config = load_config(indicators)
        if fmt is FormFormat.xlsx:
            if output in (None, "-") and sys.stdout.isatty():
                raise UsageError.one("an xlsx form is binary: give a file with -o, e.g. -o form.xlsx", code="xlsx-needs-output")
            data: str | bytes = forms.xlsx_form(config, language)
        elif fmt is FormFormat.csv:
            data = forms.csv_form(config, language)
        else:
            data = forms.yaml_form(config, language)
        write_output(output, data, [p for p in (indicators,) if p])


InputOptions = tuple[str | None, str | None, bool]


def _read(path, config, region: str | None, options: InputOptions, cache: dict | None = None):
    """Read a region file once (cached by path), select one region and print its warnings once."""
    from scast_cli.readers import read_regions

    cache = {} if cache is None else cache
    sheet, encoding, ignore_unknown = options
    if str(path) not in cache:
        cache[str(path)] = read_regions(path, config, sheet=sheet, encoding=encoding, ignore_unknown=ignore_unknown)
    selected = cache[str(path)].select(region)
    warned = cache.setdefault("warned", set())
    _warn([w for w in selected.warnings if str(w) not in warned])
    warned.update(str(w) for w in selected.warnings)
    return selected


def _side(spec: str, config, default_table, options: InputOptions, cache: dict):
    """One side of a comparison, scored: (result, region name, path)."""
    from scast_cli import engine
    from scast_cli.readers import parse_side

    path, name = parse_side(spec, default_table)
    regions = _read(path, config, name, options, cache)
    return engine.score(regions, config), regions.names[0], path


SideArg = Annotated[str, typer.Argument(help="A region file, TABLE:REGION (data/regions.xlsx:胶州市), or a region name in --in TABLE.", show_default=False)]


@app.command()
def compare(
    left: SideArg,
    right: SideArg,
    table: Annotated[Path | None, typer.Option("--in", help="A table holding both regions; LEFT and RIGHT are then region names.")] = None,
    indicators: IndicatorsOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = None,
    ignore_unknown: IgnoreOpt = False,
) -> None:
    """Compare two regions indicator by indicator, group by group and overall.

    Differences are LEFT minus RIGHT; a side leads an indicator where its score is higher.
    Indicators assessed on one side only are listed as such and never counted as a lead.

    Examples: scast compare data/regions/jiaozhou.yaml data/regions/binzhou.yaml
              scast compare --in data/regions.xlsx 胶州市 新沂市
    """
    language = _language(lang)
    with user_errors(language):
        from scast_cli import analysis
        from scast_cli.config import load_config

        config = load_config(indicators)
        options, cache = (sheet, encoding, ignore_unknown), {}
        if table is not None:
            left, right = f"{table}:{left}", f"{table}:{right}"
        a, a_name, a_path = _side(left, config, None, options, cache)
        b, b_name, _ = _side(right, config, a_path if a_path.suffix.lower() not in (".yaml", ".yml") else None, options, cache)
        data = analysis.compare(a, a_name, b, b_name, language)
        if fmt is Format.json:
            from scast_cli.render.machine import to_json

            sys.stdout.write(to_json(data))
        else:
            from scast_cli.render import compare as view

            if fmt is Format.csv:
                sys.stdout.write(view.to_csv(data))
            elif fmt is Format.markdown:
                sys.stdout.write(view.markdown(data, language))
            else:
                from rich.console import Console

                view.render(Console(), data, language)


class RankFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    xlsx = "xlsx"


OutputOpt = Annotated[str | None, typer.Option("--output", "-o", help="File to write (atomically); '-' or none for stdout.")]
LARGE_INPUT = 256 * 1024  # bytes: above this a progress bar is worth showing


@app.command()
def rank(
    table: Annotated[Path, typer.Argument(help="A table (CSV or XLSX) or YAML file with one region per row or entry.", show_default=False)],
    by: Annotated[str | None, typer.Option("--by", help="Rank by a group ('coverage', 'framework:3') or an indicator id instead of the overall score.")] = None,
    min_completeness: Annotated[
        float | None,
        typer.Option("--min-completeness", min=0, max=1, help="Regions below this completeness are ranked separately (default: from the indicators file)."),
    ] = None,
    top: Annotated[int | None, typer.Option("--top", min=1, help="Only ranks 1..N in each list (ties at N included).")] = None,
    fmt: Annotated[RankFormat, typer.Option("--format", "-f", help="Output format.")] = RankFormat.table,
    output: OutputOpt = None,
    indicators: IndicatorsOpt = None,
    lang: LangOpt = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = None,
    ignore_unknown: IgnoreOpt = False,
) -> None:
    """Rank every region in a table by overall score, a group or an indicator.

    Ties share a rank (1, 2, 2, 4). Regions whose data completeness is below the threshold are
    ranked in a separate list, never mixed in; regions with no score are listed last.

    Example: scast rank data/regions.xlsx --min-completeness 0 --format xlsx -o ranking.xlsx
    """
    language = _language(lang)
    with user_errors(language):
        from scast_cli import analysis, engine
        from scast_cli.config import load_config
        from scast_cli.errors import UsageError
        from scast_cli.output import write_output
        from scast_cli.readers import read_regions

        if fmt is RankFormat.xlsx and output in (None, "-") and sys.stdout.isatty():
            raise UsageError.one("an xlsx ranking is binary: give a file with -o, e.g. -o ranking.xlsx", code="xlsx-needs-output")
        config = load_config(indicators)
        analysis.resolve_key(config, by, language)  # a bad --by fails before a long read
        with _progress(table) as advance:
            regions = read_regions(table, config, sheet=sheet, encoding=encoding, ignore_unknown=ignore_unknown)
            result = engine.score(regions, config, progress=advance)
        _warn(regions.warnings)
        data = analysis.rank(result, by, min_completeness, top, language)
        from scast_cli.render import rank as view

        if fmt is RankFormat.table:
            from rich.console import Console

            if output in (None, "-"):
                view.render(Console(), data, language, config.scoring.overall_by)
                return
            console = Console(record=True, width=160, file=io.StringIO(), color_system=None)
            view.render(console, data, language, config.scoring.overall_by)
            out: str | bytes = console.export_text()
        elif fmt is RankFormat.json:
            from scast_cli.render.machine import to_json

            out = to_json(data)
        elif fmt is RankFormat.csv:
            out = view.to_csv(data)
        elif fmt is RankFormat.xlsx:
            out = view.to_xlsx(data, language)
        else:
            out = view.markdown(data, language, config.scoring.overall_by)
        write_output(output, out, [table, *(p for p in (indicators,) if p)])


@contextmanager
def _progress(path: Path):
    """A progress bar on stderr while a large input is read and scored, only on a terminal."""
    large = path.is_file() and path.stat().st_size >= LARGE_INPUT
    if not (large and sys.stderr.isatty()):
        yield None
        return
    from rich.progress import Progress

    with Progress(console=_err_console(), transient=True) as bar:
        task = bar.add_task(f"{path.name}", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


@app.command()
def explain(
    args: Annotated[
        list[str],
        typer.Argument(
            metavar="[INDICATOR] FILE", help="An indicator id or label, then the region file; the file alone lists every indicator.", show_default=False
        ),
    ],
    region: RegionOpt = None,
    indicators: IndicatorsOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = None,
    ignore_unknown: IgnoreOpt = False,
) -> None:
    """Show the arithmetic behind one score, or what to fix first.

    With an indicator: its formula, each input with qualifier and source, the value, the rule
    and thresholds, score and band, weight and effective weight, the points it earns and leaves
    on the table, the gap, and the source of the threshold. Without: every indicator by the
    points it leaves on the table, largest first.

    Examples: scast explain township_cast_coverage data/regions/jiaozhou.yaml
              scast explain data/regions/jiaozhou.yaml
    """
    language = _language(lang)
    with user_errors(language):
        from scast_cli import analysis, engine
        from scast_cli.config import load_config
        from scast_cli.errors import UsageError
        from scast_cli.render import explain as view

        config = load_config(indicators)
        if len(args) > 2:
            raise UsageError.one(f"expected [INDICATOR] FILE, got {len(args)} arguments: {' '.join(args)}", code="explain-args")
        indicator, file = (args[0], args[1]) if len(args) == 2 else (None, args[0])
        if indicator is not None:
            analysis.find_indicator(config, indicator)  # a misspelt indicator fails before reading
        regions = _read(Path(file), config, region, (sheet, encoding, ignore_unknown))
        result = engine.score(regions, config)
        name = regions.names[0]
        if indicator is None:
            data = analysis.priorities(result, name, language)
            text = {Format.csv: lambda: view.list_csv(data), Format.markdown: lambda: view.markdown_list(data, config, language)}
        else:
            if fmt is Format.csv:
                raise UsageError.one("--format csv is for the list (scast explain FILE); use json for one indicator", code="csv-one-indicator")
            data = analysis.explain(result, name, indicator, language)
            text = {Format.markdown: lambda: view.markdown(data, config, language)}
        if fmt is Format.json:
            from scast_cli.render.machine import to_json

            sys.stdout.write(to_json(data))
        elif fmt in text:
            sys.stdout.write(text[fmt]())
        else:
            from rich.console import Console

            (view.render_list if indicator is None else view.render)(Console(), data, config, language)


class ChartFormat(str, Enum):
    png = "png"
    svg = "svg"
    none = "none"


@app.command()
def report(
    file: FileArg,
    region: RegionOpt = None,
    against: Annotated[
        str | None, typer.Option("--against", help="Compare with another region: a file, TABLE:REGION, or a region name in FILE's table.")
    ] = None,
    output: OutputOpt = None,
    charts: Annotated[ChartFormat, typer.Option("--charts", help="Chart files written beside the -o report (needs scast\\[charts]).")] = ChartFormat.png,
    indicators: IndicatorsOpt = None,
    lang: LangOpt = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = None,
    ignore_unknown: IgnoreOpt = False,
) -> None:
    """Write a markdown report for the leadership: summary, groups, indicators, priorities,
    data quality, an optional comparison, charts and the methodology.

    Charts are PNG (or SVG) files beside the report, so they need -o.

    Example: scast report data/regions/jiaozhou.yaml --lang zh -o 胶州市科协报告.md
    """
    language = _language(lang)
    with user_errors(language):
        from scast_cli import engine
        from scast_cli.config import load_config
        from scast_cli.output import check_target, write_output
        from scast_cli.render.report import build_report

        config = load_config(indicators)
        options, cache = (sheet, encoding, ignore_unknown), {}
        regions = _read(file, config, region, options, cache)
        result = engine.score(regions, config)
        other = None
        inputs = [file, *(p for p in (indicators,) if p)]
        if against:
            b, b_name, b_path = _side(against, config, file if file.suffix.lower() not in (".yaml", ".yml") else None, options, cache)
            other = (b, b_name)
            inputs.append(b_path)
        to_file = output not in (None, "-")
        stem = Path(output).stem if to_file and charts is not ChartFormat.none else None
        made = build_report(result, regions.names[0], language, against=other, chart_stem=stem, chart_format=charts.value if stem else "png")
        folder = Path(output).parent if to_file else Path(".")
        for target in (output, *(folder / name for name in made.charts)):
            check_target(target, inputs)  # before any file is written: all of them or none
        for name, data in made.charts.items():
            write_output(folder / name, data, inputs)
        write_output(output, made.markdown, inputs)


def _warn(warnings) -> None:
    if warnings:
        console = _err_console()
        for w in warnings:
            console.print(f"warning: {w}", markup=False, highlight=False)


def _emit(payload: dict, config, fmt: Format, lang: str, by: str) -> None:
    if fmt is Format.json:
        from scast_cli.render.machine import to_json

        sys.stdout.write(to_json(payload))
    elif fmt is Format.csv:
        from scast_cli.render.machine import to_csv

        sys.stdout.write(to_csv([payload]))
    elif fmt is Format.markdown:
        from scast_cli.render.markdown import score_markdown

        sys.stdout.write(score_markdown(payload, config, lang, by))
    else:
        from rich.console import Console

        from scast_cli.render.terminal import render_score

        render_score(Console(), payload, config, lang, by)


def main() -> None:
    app()
