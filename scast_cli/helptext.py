"""Command-line help in the user's language, fast.

Typer fixes help strings when the app is built, so the language is chosen before the command
runs: `--lang zh` / `--lang=zh` / `-l zh` anywhere on the command line, else the locale
(i18n.detect_lang). ScastGroup.main then sets every command's and option's help from the one
table of help words (i18n.HELP_COMMANDS, HELP_OPTIONS, HELP_WORDS) and prints help through a
plain formatter that measures Chinese characters as two columns. Help never imports rich's
renderer (typer's rich help costs more than typer itself), pandas or pydantic.

`--debug` is accepted after the command too (`scast score x.yaml --debug`): it is moved in front;
`--lang` is accepted before the command too (`scast --lang zh -h`, `scast --lang zh score x`).
"""

from __future__ import annotations

import sys
import unicodedata

import typer.core
from typer._click import Context, HelpFormatter
from typer._click.exceptions import Abort, ClickException, NoArgsIsHelpError

_LANG = {"lang": "en"}  # the language of this run's help; set by ScastGroup.main


def run_lang() -> str:
    """The language of this run, as the command line and locale chose it."""
    return _LANG["lang"]


def argv_lang(args: list[str]) -> str | None:
    """The --lang/-l value on the command line (before any `--`), if it is en or zh."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        for flag in ("--lang", "-l"):
            if arg == flag and i + 1 < len(args):
                value = args[i + 1]
            elif arg.startswith(flag + "=") or (flag == "-l" and arg.startswith("-l") and len(arg) > 2 and not arg.startswith("--")):
                value = arg[len(flag) :].lstrip("=")
            else:
                continue
            if value in ("en", "zh"):
                return value
    return None


def width(text: str) -> int:
    """Terminal columns of `text`: wide (CJK) characters take two (render.machine.display_width's
    rule, kept here so that help imports nothing of the renderers)."""
    return sum(2 if _wide(ch) else 1 for ch in text)


_CLOSING = set("）】」』》，。、；：！？”’,.;:!?)%")
_OPENING = set("（【「『《“‘([")


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _pieces(text: str) -> list[tuple[str, bool]]:
    """Unbreakable pieces as (piece, space before): words, and single CJK characters; closing
    punctuation stays with what comes before it, opening punctuation with what follows."""
    out: list[list] = []
    space = False
    for ch in text:
        if ch.isspace():
            space = True
            continue
        if out and not space:
            last = out[-1][0][-1]
            if ch in _CLOSING or last in _OPENING or not (_wide(ch) or _wide(last)):
                out[-1][0] += ch
                continue
        out.append([ch, space])
        space = False
    return [(p, s) for p, s in out]


def wrap(text: str, room: int) -> list[str]:
    """`text` (one paragraph) broken into lines at most `room` columns wide, between words or
    Chinese characters."""
    lines: list[str] = []
    line, used = "", 0
    for piece, space in _pieces(text):
        w = width(piece)
        gap = 1 if space and line else 0
        if line and used + gap + w > room:
            lines.append(line)
            line, used = piece, w
        else:
            line += " " * gap + piece
            used += gap + w
    return [*lines, line] if line or not lines else lines


def _paragraphs(text: str) -> list[str]:
    """Paragraphs split at blank lines; a paragraph whose lines start with spaces keeps its lines."""
    out = []
    for block in text.strip().split("\n\n"):
        lines = block.split("\n")
        out.append("\n".join(lines) if any(line.startswith("  ") for line in lines[1:]) else " ".join(line.strip() for line in lines))
    return out


class Formatter(HelpFormatter):
    """click's help layout, with Chinese measured as two columns and headings in the run's language."""

    def _word(self, key: str, english: str) -> str:
        from scast_cli.i18n import help_word

        return help_word(_LANG["lang"], key) if _LANG["lang"] != "en" else english

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        self.write(f"{self._word('usage', 'Usage: ')}{prog} {args}\n")

    def write_heading(self, heading: str) -> None:
        key = {"Arguments": "arguments", "Options": "options", "Commands": "commands"}.get(heading)
        self.write(f"{'':>{self.current_indent}}{self._word(key, heading + ':') if key else heading + ':'}\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        blocks = []
        for para in _paragraphs(text):
            if "\n" in para:
                blocks.append("\n".join(indent + line for line in para.split("\n")))
            else:
                blocks.append("\n".join(indent + line for line in wrap(para, self.width - self.current_indent)))
        self.write("\n\n".join(blocks) + "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(self._localise(a), self._localise(b)) for a, b in rows]
        first_col = min(max((width(a) for a, _ in rows), default=0), col_max) + col_spacing
        room = max(self.width - first_col - self.current_indent, 20)
        pad = " " * (first_col + self.current_indent)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width(first)))
            else:
                self.write("\n" + pad)
            lines = [line for para in _paragraphs(second) for line in wrap(para, room)]
            self.write(lines[0] + "\n" + "".join(f"{pad}{line}\n" for line in lines[1:]))

    def _localise(self, text: str) -> str:
        """click's and typer's own words in a help row: the help option, [default: …], [required], metavars."""
        if _LANG["lang"] == "en" or not text:
            return text
        from scast_cli.i18n import HELP_TYPER

        for english, words in HELP_TYPER.items():
            text = text.replace(english, words[_LANG["lang"]])
        return text


class ScastContext(Context):
    formatter_class = Formatter


def localise(command, lang: str, path: str = "") -> None:
    """Set the help of `command` and everything under it from the help table, in `lang`."""
    from scast_cli.i18n import HELP_COMMANDS, help_option

    command.context_class = ScastContext
    words = HELP_COMMANDS.get(path)
    if words is not None:
        command.help = words[lang]
        command.short_help = words[lang].split("\n\n")[0].replace("\n", " ")
    for param in command.params:
        key = max(param.opts, key=len) if isinstance(param, typer.core.TyperOption) else param.name
        text = help_option(lang, path, key)
        if text is not None:
            param.help = text
    for name, sub in getattr(command, "commands", {}).items():
        localise(sub, lang, f"{path} {name}".strip())


class ScastGroup(typer.core.TyperGroup):
    """The scast command group: help in the run's language, `-h`, and `--debug` anywhere."""

    def main(self, args=None, *rest, **kwargs):
        argv = list(sys.argv[1:] if args is None else args)
        cut = argv.index("--") if "--" in argv else len(argv)
        if "--debug" in argv[1:cut]:
            argv.remove("--debug")
            argv.insert(0, "--debug")
        from scast_cli.i18n import detect_lang

        lang = argv_lang(argv) or detect_lang()
        _LANG["lang"] = lang
        localise(self, lang)
        if lang == "en" or not kwargs.get("standalone_mode", True):
            return super().main(argv, *rest, **kwargs)
        kwargs["standalone_mode"] = False  # click's usage errors are shown here, in Chinese
        try:
            code = super().main(argv, *rest, **kwargs)
        except NoArgsIsHelpError as exc:  # `scast` alone: the help, already in Chinese
            exc.show()
            sys.exit(exc.exit_code)
        except ClickException as exc:
            show_zh(exc)
            sys.exit(exc.exit_code)
        except Abort:
            from scast_cli.i18n import CLICK_ZH_WORDS

            print(CLICK_ZH_WORDS["aborted"], file=sys.stderr)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def zh_usage_message(message: str) -> str:
    """click's English usage message in Chinese, where the table has it."""
    import re

    from scast_cli.i18n import CLICK_ZH, CLICK_ZH_WORDS

    for pattern, template in CLICK_ZH:
        match = re.fullmatch(pattern, message.strip(), flags=re.S)
        if match:
            groups = {k: v or "" for k, v in match.groupdict().items()}
            close = groups.get("b") if "{hint}" in template else None
            close = close or groups.get("c")
            hint = CLICK_ZH_WORDS["hint"].format(x=close) if close else ""
            return template.format(hint=hint, **groups)
    return message


def show_zh(exc: ClickException) -> None:
    """What click's exc.show() prints, in Chinese: the usage line, how to get help, the error."""
    from scast_cli.i18n import CLICK_ZH_WORDS

    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = CLICK_ZH_WORDS["try"].format(command=ctx.command_path, option=ctx.help_option_names[0]) + "\n"
        print(f"{ctx.get_usage()}\n{hint}", file=sys.stderr)
    print(CLICK_ZH_WORDS["error"] + zh_usage_message(exc.format_message()), file=sys.stderr)
