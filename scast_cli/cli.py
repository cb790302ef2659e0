"""The typer app: parse arguments, call the library, render, choose the exit code.

Heavy modules (pandas, numpy, pydantic) are imported inside command bodies so that
`scast --help` and `scast --version` start fast.
"""

import io
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from scast_cli import __version__
from scast_cli.helptext import ScastGroup
from scast_cli.i18n import t

# Help words live in i18n.HELP_COMMANDS and HELP_OPTIONS (English and Chinese); ScastGroup sets
# them in the run's language before the command runs, and prints help without rich's renderer.
app = typer.Typer(
    name="scast",
    cls=ScastGroup,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)

_state = {"debug": False, "lang": "en"}  # set per run: debug by main_options, lang by user_errors


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class SheetFormat(str, Enum):
    """The formats of the commands that also write a workbook: score, compare, rank."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    xlsx = "xlsx"


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


def _say(*lines: str) -> None:
    """Messages to stderr, one per line, as plain text: they are made safe for a terminal where
    they are worded (problem_text, terminal_text), and rich costs a run ~30 ms to import."""
    sys.stderr.write("".join(f"{line}\n" for line in lines))
    sys.stderr.flush()


@contextmanager
def user_errors(lang: str):
    """One place where problems become messages and exit codes: 1 bad input, 2 bad usage.

    Every message is one line with no escape sequence or control character (problem_text and
    safe.terminal_text): messages quote region names, keys, cells and file names from the input.
    """
    from scast_cli.errors import ScastError, UsageError

    _state["lang"] = lang
    try:
        yield
    except ScastError as exc:
        from scast_cli.render.checks import problem_text

        _say(*(problem_text(problem, lang) for problem in exc.problems))
        if len(exc.problems) > 1:
            _say(t(lang, "problem_count", n=len(exc.problems)))
        if _state["debug"]:
            raise
        raise typer.Exit(2 if isinstance(exc, UsageError) else 1) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:
        if _state["debug"]:
            raise
        from scast_cli.safe import terminal_text  # the exception may quote the input

        _say(terminal_text(t(lang, "internal", error=f"{type(exc).__name__}: {exc}"), one_line=True))
        raise typer.Exit(1) from None


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"scast {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback on errors.")] = False,
    lang: Annotated[Lang | None, typer.Option("--lang", "-l", help="Language of help and messages (default: from the locale, else en).")] = None,
) -> None:
    """Score grassroots 科协 figures against the "3+1+N" and five-standardisation indicators."""
    _state["debug"] = debug


FileArg = Annotated[Path, typer.Argument(help="A region file (YAML, CSV or XLSX), or TABLE:REGION such as data/regions.xlsx:胶州市.", show_default=False)]
RegionOpt = Annotated[str | None, typer.Option("--region", "-r", help="The region to use when the file holds several.")]
IndicatorsOpt = Annotated[Path | None, typer.Option("--indicators", "-i", help="An indicators file (default: the bundled indicators.yaml).")]
FORMAT_HELP = "Output format (default: from the -o file's extension, else table)."
FormatOpt = Annotated[Format | None, typer.Option("--format", "-f", help=FORMAT_HELP, show_default=False)]
OutputOpt = Annotated[str | None, typer.Option("--output", "-o", help="File to write (atomically); '-' or none for stdout.")]
FORMAT_BY_SUFFIX = {".md": "markdown", ".markdown": "markdown", ".json": "json", ".csv": "csv", ".xlsx": "xlsx", ".yaml": "yaml", ".yml": "yaml"}
FORMAT_BY_SUFFIX |= {".txt": "table", ".docx": "docx", ".html": "html", ".htm": "html", ".pdf": "pdf"}  # .docx, .html and .pdf: scast report's
# Files that are not text: never written with another format's content, whatever --format says.
BINARY_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".docx", ".doc", ".odt", ".rtf", ".pdf", ".html", ".htm", ".pptx", ".png", ".svg", ".jpg", ".jpeg", ".zip"}
SUFFIX_BY_FORMAT = {"table": ".txt", "markdown": ".md", "json": ".json", "csv": ".csv", "xlsx": ".xlsx", "yaml": ".yaml"}
NoBomOpt = Annotated[bool, typer.Option("--no-bom", help="CSV to a file: leave out the UTF-8 byte order mark that Excel and WPS need to read Chinese.")]
LangOpt = Annotated[Lang | None, typer.Option("--lang", "-l", help="Label language (default: from the locale, else en).")]
SheetOpt = Annotated[str | None, typer.Option("--sheet", help="XLSX: the sheet to read (default: the first).")]
EncodingOpt = Annotated[str | None, typer.Option("--encoding", help="CSV: the text encoding (default: detect UTF-8 or GB18030).")]
IgnoreOpt = Annotated[bool, typer.Option("--ignore-unknown", help="Skip columns or keys that match no field instead of failing.")]


def _language(lang: Lang | None) -> str:
    """The command's --lang, else the run's (a top-level `scast --lang zh score …`), else the locale's."""
    from scast_cli.helptext import run_lang

    return lang.value if lang is not None else run_lang()


@app.command()
def score(
    file: FileArg,
    region: RegionOpt = None,
    indicators: IndicatorsOpt = None,
    fmt: Annotated[SheetFormat | None, typer.Option("--format", "-f", help=FORMAT_HELP, show_default=False)] = None,
    output: OutputOpt = None,
    lang: LangOpt = None,
    by: Annotated[By, typer.Option("--by", help="Group the indicator tables by this kind.")] = By.dimension,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = None,
    ignore_unknown: IgnoreOpt = False,
    no_bom: NoBomOpt = False,
) -> None:
    """Score one region against the indicators.

    Example: scast score data/regions/jiaozhou.yaml --format json
    """
    language = _language(lang)
    with user_errors(language):
        from scast_cli import engine
        from scast_cli.config import load_config
        from scast_cli.render import machine

        chosen = _pick_format(fmt, output, SheetFormat)
        _binary_needs_file(chosen, output, "score.xlsx")
        config = load_config(indicators)
        regions = _read(file, config, region, (sheet, encoding, ignore_unknown))
        payload = engine.as_dict(engine.score(regions, config), regions.names[0], language)
        views = {
            "json": lambda: machine.to_json(payload),
            "csv": lambda: machine.to_csv([payload], config, language),
            "xlsx": lambda: machine.xlsx_bytes(machine.score_sheets([payload], config, language), language),
            "markdown": lambda: _score_markdown(payload, config, language, by.value),
        }
        show = lambda console: _render_score(console, payload, config, language, by.value)  # noqa: E731
        _deliver(chosen, output, views, show, _inputs(file, indicators), bom=not no_bom)


def _score_markdown(*args) -> str:
    """Imported only on the markdown path: rich and the markdown view cost a JSON run ~40 ms."""
    from scast_cli.render.markdown import score_markdown

    return score_markdown(*args)


def _render_score(*args) -> None:
    from scast_cli.render.terminal import render_score

    render_score(*args)


class CheckFormat(str, Enum):
    table = "table"
    json = "json"


class ValidateFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


@app.command()
def validate(
    file: FileArg,
    region: RegionOpt = None,
    indicators: IndicatorsOpt = None,
    fmt: Annotated[ValidateFormat | None, typer.Option("--format", "-f", show_default=False)] = None,
    output: OutputOpt = None,
    lang: LangOpt = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = None,
    ignore_unknown: IgnoreOpt = False,
) -> None:
    """scast validate: every problem of a region file (or of one region of a table), without scoring."""
    language = _language(lang)
    with user_errors(language):
        from scast_cli.config import load_config
        from scast_cli.errors import UsageError
        from scast_cli.readers import load_regions, problem_region, split_table_region
        from scast_cli.render.checks import check_json, check_markdown, check_text

        chosen = _pick_format(fmt, output, ValidateFormat)
        path, named = split_table_region(str(file))
        if named is not None and region is not None and region != named:
            raise UsageError.one(f"two regions given: '{named}' after the ':' and --region '{region}'; give one", code="two-regions")
        region = named if named is not None else region
        config = load_config(indicators)
        _labels(config)
        regions, problems = load_regions(path, config, sheet=sheet, encoding=encoding, ignore_unknown=ignore_unknown)
        names = regions.names if regions is not None else []
        if region is not None:  # this region's problems and the file's own (its header, its format)
            known = {*names, region}  # a row's problem by the region it names (readers.problem_region); the file's own kept
            problems = [p for p in problems if problem_region(p, known) == region or (problem_region(p, known) is None and not _row_problem(p))]
            if regions is not None and not any(p.where for p in problems):
                regions.select(region)  # a region with no problem must be in the file, as in score
            names = [region]
        shown = str(file)
        views = {"json": lambda: check_json(shown, names, problems), "markdown": lambda: check_markdown(shown, names, problems, language)}
        text = check_text(shown, names, problems, language)
        _deliver(chosen, output, views, lambda console: console.print(text, end="", soft_wrap=True, markup=False, highlight=False), _inputs(file, indicators))
        if any(p.severity == "error" for p in problems):
            raise typer.Exit(1)


def _row_problem(problem) -> bool:
    """A problem of one row of a table ('row 7 …') rather than of the file (its header, its sheet, its format)."""
    return bool(problem.where) and problem.where.startswith("row ")


class ListFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


@app.command()
def fields(
    indicators: IndicatorsOpt = None,
    fmt: Annotated[ListFormat | None, typer.Option("--format", "-f", help=FORMAT_HELP, show_default=False)] = None,
    output: OutputOpt = None,
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
        views = {"json": lambda: fieldlist.as_json(config), "markdown": lambda: fieldlist.as_markdown(config, language)}
        _deliver(_pick_format(fmt, output, ListFormat), output, views, lambda console: fieldlist.render(console, config, language), _inputs(None, indicators))


class FormFormat(str, Enum):
    yaml = "yaml"
    csv = "csv"
    xlsx = "xlsx"


@app.command()
def template(
    fmt: Annotated[
        FormFormat | None, typer.Option("--format", "-f", help="Form format (default: from the -o file's extension, else xlsx).", show_default=False)
    ] = None,
    lang: LangOpt = None,
    output: Annotated[str | None, typer.Option("--output", "-o", help="File to write; '-' for stdout (not for xlsx).")] = None,
    indicators: IndicatorsOpt = None,
    no_bom: Annotated[bool, typer.Option("--no-bom", help="CSV form: leave out the UTF-8 byte order mark that Excel and WPS need to read Chinese.")] = False,
) -> None:
    """Write a blank form with every field, to fill in and score.

    Example: scast template --format xlsx --lang zh -o 科协数据.xlsx
    """
    language = _language(lang)
    with user_errors(language):
        from scast_cli import forms
        from scast_cli.config import load_config

        chosen = _pick_format(fmt, output, FormFormat, default="xlsx")
        _binary_needs_file(chosen, output, "form.xlsx")
        config = load_config(indicators)
        views = {
            "xlsx": lambda: forms.xlsx_form(config, language),
            "csv": lambda: forms.csv_form(config, language, bom=not no_bom),
            "yaml": lambda: forms.yaml_form(config, language),
        }
        _deliver(chosen, output, views, None, _inputs(None, indicators), bom=not no_bom)


InputOptions = tuple[str | None, str | None, bool]


def _labels(config) -> None:
    """Chinese messages name fields by their labels in `config` from now on."""
    from scast_cli.render.checks import use_labels

    use_labels(config)


def _read(path, config, region: str | None, options: InputOptions, cache: dict | None = None):
    """Read a region file once (cached by path), select one region and print its warnings once.

    `path` may also be TABLE:REGION (data/regions.xlsx:胶州市), the same as TABLE --region REGION.
    """
    from scast_cli.errors import UsageError
    from scast_cli.readers import choose, read_regions, split_table_region

    _labels(config)
    path, named = split_table_region(str(path))
    if named is not None:
        if region is not None and region != named:
            raise UsageError.one(f"two regions given: '{named}' after the ':' and --region '{region}'; give one", code="two-regions")
        region = named
    cache = {} if cache is None else cache
    sheet, encoding, ignore_unknown = options
    if str(path) not in cache:
        cache[str(path)] = read_regions(path, config, sheet=sheet, encoding=encoding, ignore_unknown=ignore_unknown, keep_going=True)
    selected = choose(cache[str(path)], region)  # errors in other rows: one warning naming them; in this row: an error
    warned = cache.setdefault("warned", set())
    _warn([w for w in selected.warnings if str(w) not in warned])
    warned.update(str(w) for w in selected.warnings)
    return selected


def _side(spec: str, config, other_file, options: InputOptions, cache: dict):
    """One side of a comparison, scored: (result, region name, path). A bare region name is
    looked up in the other side's table."""
    from scast_cli import engine
    from scast_cli.readers import parse_side

    path, name = parse_side(spec, other_file)
    regions = _read(path, config, name, options, cache)
    return engine.score(regions, config), regions.names[0], path


SideArg = Annotated[str, typer.Argument(help="A region file, TABLE:REGION (data/regions.xlsx:胶州市), or a region name in --in TABLE.", show_default=False)]


@app.command()
def compare(
    left: SideArg,
    right: SideArg,
    table: Annotated[Path | None, typer.Option("--in", help="A table holding both regions; LEFT and RIGHT are then region names.")] = None,
    indicators: IndicatorsOpt = None,
    fmt: Annotated[SheetFormat | None, typer.Option("--format", "-f", help=FORMAT_HELP, show_default=False)] = None,
    output: OutputOpt = None,
    lang: LangOpt = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = None,
    ignore_unknown: IgnoreOpt = False,
    no_bom: NoBomOpt = False,
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
        from scast_cli.render import compare as view
        from scast_cli.render.machine import to_json

        chosen = _pick_format(fmt, output, SheetFormat)
        _binary_needs_file(chosen, output, "compare.xlsx")
        config = load_config(indicators)
        options, cache = (sheet, encoding, ignore_unknown), {}
        if table is not None:
            left, right = f"{table}:{left}", f"{table}:{right}"
        a, a_name, a_path = _side(left, config, None, options, cache)
        b, b_name, b_path = _side(right, config, a_path, options, cache)
        data = analysis.compare(a, a_name, b, b_name, language)
        views = {
            "json": lambda: to_json(data),
            "csv": lambda: view.to_csv(data, language),
            "xlsx": lambda: view.to_xlsx(data, language),
            "markdown": lambda: view.markdown(data, language),
        }
        _deliver(chosen, output, views, lambda console: view.render(console, data, language), _inputs(a_path, indicators, b_path), bom=not no_bom)


class RankFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    xlsx = "xlsx"


LARGE_INPUT = 256 * 1024  # bytes: above this a progress bar is worth showing


@app.command()
def rank(
    table: Annotated[Path, typer.Argument(help="A table (CSV or XLSX) or YAML file with one region per row or entry.", show_default=False)],
    by: Annotated[str | None, typer.Option("--by", help="Rank by a group ('coverage', 'framework:3') or an indicator id instead of the overall score.")] = None,
    min_completeness: Annotated[
        str | None,
        typer.Option(
            "--min-completeness",
            callback=lambda v: _share(v, "--min-completeness"),
            help="Regions below this completeness (0.6 or 60%) are ranked separately (default: from the indicators file).",
        ),
    ] = None,
    top: Annotated[int | None, typer.Option("--top", min=1, help="Only ranks 1..N in each list (ties at N included).")] = None,
    stability: Annotated[
        bool,
        typer.Option("--stability", help="Also show each region's median rank and 5th-95th percentile rank over 1,000 draws of weights ±25% (seeded)."),
    ] = False,
    fmt: Annotated[RankFormat | None, typer.Option("--format", "-f", help=FORMAT_HELP, show_default=False)] = None,
    output: OutputOpt = None,
    indicators: IndicatorsOpt = None,
    lang: LangOpt = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = None,
    ignore_unknown: IgnoreOpt = False,
    no_bom: NoBomOpt = False,
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
        from scast_cli.readers import read_regions
        from scast_cli.render import rank as view
        from scast_cli.render.machine import to_json

        chosen = _pick_format(fmt, output, RankFormat)
        _binary_needs_file(chosen, output, "ranking.xlsx")
        config = load_config(indicators)
        _labels(config)
        analysis.resolve_key(config, by, language)  # a bad --by fails before a long read
        from scast_cli.render import progress as bar

        delivered = False
        with bar.stages(_err_console(), table, language, bar.wanted(table, sys.stderr, LARGE_INPUT)) as report:
            regions = read_regions(table, config, sheet=sheet, encoding=encoding, ignore_unknown=ignore_unknown, progress=report, keep_going=True)
            # ranking keeps only scores, groups and the overall: scored in chunks, without the per-indicator tables
            result = engine.score_for_rank(regions, config, progress=report and (lambda done, total: report("score", done, total)))
            data = analysis.rank(result, by, min_completeness, top, language, stability_options={} if stability else None)
            views = {
                "json": lambda: to_json(data),
                "csv": lambda: view.csv_blocks(data, language),
                "xlsx": lambda: view.to_xlsx(data, language),
                "markdown": lambda: view.markdown(data, language, config.scoring.overall_by),
            }
            show = lambda console: view.render(console, data, language, config.scoring.overall_by)  # noqa: E731
            if report and not (output is None and sys.stdout.isatty()):  # a table drawn on the terminal waits for the bar to go
                report("write", 0, 1)
                _deliver(chosen, output, views, show, _inputs(table, indicators), bom=not no_bom)
                delivered = True
        _warn(regions.warnings)
        if not delivered:
            _deliver(chosen, output, views, show, _inputs(table, indicators), bom=not no_bom)


def _share(text: str | None, option: str) -> float | None:
    """'0.6' or '60%' -> 0.6; anything else is a usage error that says what is expected."""
    if text is None:
        return None
    from scast_cli.helptext import run_lang

    lang = run_lang()
    try:
        value = float(text.strip().rstrip("%")) / (100 if text.strip().endswith("%") else 1)
    except ValueError:
        raise typer.BadParameter(t(lang, "share_not_number", text=text), param_hint=option) from None
    if not 0 <= value <= 1:
        if 1 < value <= 100:
            raise typer.BadParameter(t(lang, "share_percent", text=text, value=f"{value:g}", share=f"{value / 100:g}"), param_hint=option)
        raise typer.BadParameter(t(lang, "share_range", text=text), param_hint=option)
    return value


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
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    lang: LangOpt = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = None,
    ignore_unknown: IgnoreOpt = False,
    no_bom: NoBomOpt = False,
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
        from scast_cli.render.machine import to_json

        config = load_config(indicators)
        chosen = _pick_format(fmt, output, Format)
        if len(args) > 2:
            raise UsageError.one(f"expected [INDICATOR] FILE, got {len(args)} arguments: {' '.join(args)}", code="explain-args")
        indicator, file = (args[0], args[1]) if len(args) == 2 else (None, args[0])
        if indicator is not None and Path(indicator).is_file() and not Path(file).is_file():
            raise UsageError.one(f"the indicator comes first: scast explain {file} {indicator}", code="explain-args")
        if indicator is not None:
            analysis.find_indicator(config, indicator)  # a misspelt indicator fails before reading
        regions = _read(file, config, region, (sheet, encoding, ignore_unknown))
        result = engine.score(regions, config)
        name = regions.names[0]
        if indicator is None:
            data = analysis.priorities(result, name, language)
            views = {"csv": lambda: view.list_csv(data, config, language), "markdown": lambda: view.markdown_list(data, config, language)}
            show = lambda console: view.render_list(console, data, config, language)  # noqa: E731
        else:
            if chosen == "csv":
                raise UsageError.one("--format csv is for the list (scast explain FILE); use json for one indicator", code="csv-one-indicator")
            data = analysis.explain(result, name, indicator, language)
            views = {"markdown": lambda: view.markdown(data, config, language)}
            show = lambda console: view.render(console, data, config, language)  # noqa: E731
        views["json"] = lambda: to_json(data)
        _deliver(chosen, output, views, show, _inputs(file, indicators), bom=not no_bom)


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
    charts: Annotated[
        ChartFormat | None,
        typer.Option(
            "--charts",
            help="Charts: PNG or SVG files beside a .md report, embedded in .docx/.html/.pdf (needs scast\\[charts]). \\[default: png]",
            show_default=False,
        ),
    ] = None,
    reference_doc: Annotated[
        Path | None, typer.Option("--reference-doc", help="A .docx whose styles and page setup the Word report takes.", show_default=False)
    ] = None,
    indicators: IndicatorsOpt = None,
    lang: LangOpt = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = None,
    ignore_unknown: IgnoreOpt = False,
) -> None:
    """Write a report for the leadership: summary, groups, indicators, priorities, data quality,
    an optional comparison, charts, and appendices with the figures, the methodology and the references.

    The format follows -o: .md (charts as files beside it), .docx (Word, A4), .html (one
    printable page), .pdf (through LibreOffice). Without -o: markdown on standard output.

    Example: scast report data/regions/jiaozhou.yaml --lang zh -o 胶州市科协报告.docx
    """
    language = _language(lang)
    with user_errors(language):
        from scast_cli.errors import ScastError, UsageError
        from scast_cli.i18n import report_word
        from scast_cli.output import check_target, is_stream, write_all, write_output
        from scast_cli.render.report import FORMATS, render_report

        to_file = not is_stream(output)
        check_target(output, _inputs(file, indicators))  # writing over an input is the first thing to refuse
        suffix = Path(output).suffix.lower() if to_file else ".md"
        fmt = FORMATS.get(suffix)
        if fmt is None:  # refused before anything is read or written
            raise _said(UsageError, report_word(language, "unknown_format", suffix=suffix or Path(output).name), code="output-type")
        converter = None
        if fmt == "pdf":
            from scast_cli.render.docx import pdf_converter

            converter = pdf_converter()
            if converter is None:
                raise _said(UsageError, report_word(language, "pdf_missing"), code="output-type")
        if reference_doc is not None:
            if reference_doc.suffix.lower() != ".docx" or not reference_doc.is_file():
                raise _said(UsageError, report_word(language, "reference_doc_type", file=reference_doc), code="file-type")
        from scast_cli import engine
        from scast_cli.config import load_config

        config = load_config(indicators)
        options, cache = (sheet, encoding, ignore_unknown), {}
        regions = _read(file, config, region, options, cache)
        result = engine.score(regions, config)
        other = None
        inputs = _inputs(file, indicators)
        if against:
            b, b_name, b_path = _side(against, config, inputs[0], options, cache)
            other = (b, b_name)
            inputs.append(b_path)
        chart_format = (charts or ChartFormat.png).value
        if not to_file and charts not in (None, ChartFormat.none):
            _err_console().print(report_word(language, "notice_charts_need_file"), markup=False, highlight=False)
        stem = Path(output).stem if to_file and chart_format != "none" else None
        folder = Path(output).parent if to_file else Path(".")
        check_target(output, inputs)
        try:
            made = render_report(
                result,
                regions.names[0],
                language,
                fmt=fmt,
                against=other,
                chart_stem=stem,
                chart_format=chart_format,
                reference=reference_doc,
                converter=converter,
            )
        except RuntimeError as exc:  # LibreOffice made no PDF
            raise _said(ScastError, report_word(language, "pdf_failed", why=str(exc)), code="write-failed") from None
        except Exception as exc:  # a --reference-doc python-docx cannot open
            if reference_doc is None or type(exc).__module__.split(".")[0] not in ("docx", "zipfile", "lxml"):
                raise
            raise _said(ScastError, report_word(language, "reference_doc_bad", file=reference_doc, why=exc), code="unreadable") from None
        for code in made.notices:
            key = {"no-matplotlib": "notice_no_matplotlib", "no-cjk-font": "notice_no_cjk_font", "font-cache": "notice_font_cache"}[code]
            _err_console().print(report_word(language, key, font=made.font), markup=False, highlight=False)
        for target in (output, *(folder / name for name in made.charts)):
            check_target(target, inputs)  # before any file is written: all of them or none
        if to_file:  # the report and its charts land together or not at all
            write_all([*((folder / name, data) for name, data in made.charts.items()), (output, made.data)], inputs)
        else:
            write_output(output, made.data, inputs)


def _said(error: type, message: str, **where):
    """error.one(message) for a message already in the run's language: under --lang zh the Chinese
    is kept in params, so it is shown as it is rather than behind the catalogue's title."""
    return error.one(message, params={"zh": message} if _state["lang"] == "zh" else None, **where)


def _warn(warnings) -> None:
    if warnings:
        from scast_cli.render.checks import problem_text

        _say(*(problem_text(w, _state["lang"]) for w in warnings))


def _pick_format(fmt: Enum | None, output: str | None, choices: type[Enum], default: str = "table") -> str:
    """--format when given, else what the -o file's extension names (report.md -> markdown), else the default.

    An -o extension the command cannot write (score -o s.docx, template -o form.json) is refused
    here, before anything is read or written; so is a binary file given another format's content
    (-f csv -o x.xlsx). With --format, a text extension it does not name is allowed (-f csv -o r.md).
    """
    from scast_cli.errors import UsageError
    from scast_cli.output import is_stream

    allowed = [c.value for c in choices]
    suffix = Path(output).suffix.lower() if output is not None and str(output) != "-" and not is_stream(output) else ""
    guess = FORMAT_BY_SUFFIX.get(suffix)
    if fmt is not None:
        binary = suffix in BINARY_SUFFIXES or SUFFIX_BY_FORMAT.get(fmt.value, ".?") in BINARY_SUFFIXES
        clash = suffix and guess != fmt.value and binary
        if not clash:
            return fmt.value
    elif not suffix:
        return default
    elif guess in allowed:
        return guess
    writes = ", ".join(f"{SUFFIX_BY_FORMAT[c]} ({c})" for c in allowed if c in SUFFIX_BY_FORMAT)
    hint = "; a Word, HTML or PDF document is written by scast report" if guess in ("docx", "html", "pdf") and guess not in allowed else ""
    if fmt is not None:
        name = f"{Path(output).stem}{SUFFIX_BY_FORMAT.get(fmt.value, '')}"
        message = f"-o {output}: a {suffix} file cannot hold --format {fmt.value}; name the file {name}"
        params = {"form": "clash", "file": output, "suffix": suffix, "format": fmt.value, "name": name}
    else:
        message = f"-o {output}: this command cannot write {suffix} files; it writes {writes}{hint}"
        suffixes = "、".join(SUFFIX_BY_FORMAT[c] for c in allowed if c in SUFFIX_BY_FORMAT)
        params = {"form": "report" if hint else "suffix", "file": output, "suffix": suffix, "writes": suffixes}
    raise UsageError.one(message, code="output-type", params=params)


def _binary_needs_file(fmt: str, output: str | None, example: str) -> None:
    from scast_cli.errors import UsageError

    if fmt == "xlsx" and output in (None, "-") and sys.stdout.isatty():
        raise UsageError.one(f"xlsx is binary: give a file with -o, e.g. -o {example}", code="xlsx-needs-output")


def _inputs(file, indicators, *more) -> list[Path]:
    """The files a command reads, which -o must never overwrite: the region file (the table of a
    TABLE:REGION) first, every file of the indicators file's `extends:` chain (the bundled file
    when none is given), then any other side."""
    from scast_cli.config import extends_chain
    from scast_cli.readers import split_table_region

    regions = [split_table_region(str(p))[0] for p in (file, *more) if p is not None]
    return regions[:1] + extends_chain(indicators) + regions[1:]


def _deliver(fmt: str, output: str | None, views: dict, show, inputs: list[Path], bom: bool = True) -> None:
    """Send the chosen view to stdout or -o: the table straight to the terminal, or as plain
    text 160 columns wide when bound for a file; any other view as the text or bytes it makes.
    CSV written to a file starts with a UTF-8 byte order mark unless `bom` is False (--no-bom);
    CSV on standard output never does."""
    from scast_cli.output import is_stream, write_output

    if fmt == "table":
        from rich.console import Console

        if output in (None, "-"):
            show(Console())
            return
        console = Console(record=True, width=160, file=io.StringIO(), color_system=None)
        show(console)
        data = console.export_text()
    else:
        data = views[fmt]()
        if fmt == "csv" and not isinstance(data, bytes) and not is_stream(output):
            from scast_cli.render.machine import blocks_with_bom, with_bom

            if isinstance(data, str):
                data = with_bom(data) if bom else data.removeprefix("\ufeff")
            else:  # CSV in blocks of rows (rank): written to the file a block at a time
                data = blocks_with_bom(data, bom)
    write_output(output, data, inputs)


# ---------------------------------------------------------------- scast indicators check | list | show

indicators_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)
app.add_typer(indicators_app, name="indicators")


class IndicatorListFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    csv = "csv"


def _load_indicators(indicators: Path | None):
    """load_config, printing the warnings that lie in the user's own files (the bundled file's
    are for `scast indicators check`)."""
    from scast_cli.config import default_path, load_config

    warnings: list = []
    config = load_config(indicators, warnings=warnings)
    bundled = default_path().resolve()
    _warn([w for w in warnings if w.file is None or Path(w.file).resolve() != bundled])
    return config


@indicators_app.command("check")
def indicators_check(
    file: Annotated[Path | None, typer.Argument(help="An indicators file (default: the bundled indicators.yaml).", show_default=False)] = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.table,
    lang: LangOpt = None,
) -> None:
    """Check an indicators file and the files it extends; list every problem at its YAML line.

    Finds duplicate ids, unknown fields and functions in formulas, non-finite, zero or negative
    weights and targets, band floors out of order, goalposts the wrong way round, a share
    threshold written as a percent, zeros under geometric aggregation, missing labels and
    sources, unused fields, empty groups, nothing left to score and a loop in `extends:`.
    Errors exit 1 (every other command refuses the file on the same errors); warnings exit 0.

    Example: scast indicators check my-indicators.yaml --format json
    """
    language = _language(lang)
    with user_errors(language):
        from scast_cli.config import default_path, load_config
        from scast_cli.errors import ScastError, UsageError
        from scast_cli.render import indicators as view

        path = file if file is not None else default_path()
        errors: list = []
        warnings: list = []
        count = None
        try:
            count = len(load_config(path, warnings=warnings).indicators)
        except UsageError:
            raise
        except ScastError as exc:
            errors = list(exc.problems)
        problems = errors + warnings
        text = view.check_json(str(path), problems, count) if fmt is CheckFormat.json else view.check_text(str(path), problems, language, count)
        sys.stdout.write(text)
        if any(p.severity == "error" for p in problems):
            raise typer.Exit(1)


@indicators_app.command("list")
def indicators_list(
    indicators: IndicatorsOpt = None,
    fmt: Annotated[IndicatorListFormat | None, typer.Option("--format", "-f", help=FORMAT_HELP, show_default=False)] = None,
    output: OutputOpt = None,
    lang: LangOpt = None,
    no_bom: NoBomOpt = False,
) -> None:
    """List every indicator: id, label, "3+1+N" part, dimension, standardisation, rule, weight, basis.

    Example: scast indicators list --lang zh --format markdown
    """
    language = _language(lang)
    with user_errors(language):
        from scast_cli.render import indicators as view

        config = _load_indicators(indicators)
        views = {
            "json": lambda: view.list_json(config, language),
            "markdown": lambda: view.list_markdown(config, language),
            "csv": lambda: view.list_csv(config, language),
        }
        chosen = _pick_format(fmt, output, IndicatorListFormat)
        _deliver(chosen, output, views, lambda console: view.render_list(console, config, language), _inputs(None, indicators), bom=not no_bom)


class ShowFormat(str, Enum):
    """One indicator: no CSV (that is for the list, scast indicators list)."""

    table = "table"
    json = "json"
    markdown = "markdown"


@indicators_app.command("show")
def indicators_show(
    indicator: Annotated[str, typer.Argument(metavar="ID", help="An indicator id, or its Chinese or English label.", show_default=False)],
    indicators: IndicatorsOpt = None,
    fmt: Annotated[ShowFormat | None, typer.Option("--format", "-f", help=FORMAT_HELP, show_default=False)] = None,
    output: OutputOpt = None,
    lang: LangOpt = None,
) -> None:
    """Show everything about one indicator: labels, description, why, formula, the fields it
    reads, rule and thresholds, weight, groups, basis, source, calibration and fallbacks.

    Example: scast indicators show township_cast_coverage
    """
    language = _language(lang)
    with user_errors(language):
        from scast_cli.render import indicators as view

        config = _load_indicators(indicators)
        chosen = _pick_format(fmt, output, ShowFormat)
        data = view.show_data(config, view.find(config, indicator), language)
        views = {"json": lambda: view.show_json(data), "markdown": lambda: view.show_markdown(data, language)}
        _deliver(chosen, output, views, lambda console: view.render_show(console, data, language), _inputs(None, indicators))


def main() -> None:
    app()
