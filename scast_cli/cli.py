"""The typer app: parse arguments, call the library, render, choose the exit code.

Heavy modules (pandas, numpy, pydantic) are imported inside command bodies so that
`scast --help` and `scast --version` start fast.
"""

from __future__ import annotations

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
