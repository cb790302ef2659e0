"""Writing files safely: to a temporary file in the same folder, then renamed into place.

An interrupted run leaves either the old file or the new one, never half of one; scast refuses
to write over any file it is reading; '-' means standard output.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from scast_cli.errors import UsageError


def check_target(target: str | Path | None, inputs: Iterable[str | Path] = ()) -> None:
    """Raise UsageError if `target` cannot take the output: an input file, a folder, no such folder.

    Commands that write several files call this for each before writing any of them.
    """
    if target is None or str(target) == "-":
        return
    path = Path(target)
    for source in inputs:
        if Path(source).exists() and path.exists() and path.resolve() == Path(source).resolve():
            raise UsageError.one(f"refusing to write over the input file {source}; choose another -o", code="overwrite-input")
    if path.is_dir():
        raise UsageError.one(f"{path} is a folder; give a file name to -o", code="output-is-dir")
    if not path.parent.exists():
        raise UsageError.one(f"folder {path.parent} does not exist", code="no-output-dir")


def write_output(target: str | Path | None, data: str | bytes, inputs: Iterable[str | Path] = ()) -> None:
    """Write `data` to `target` atomically, or to stdout when target is None or '-'.

    The new file gets the mode a plain open() would give it (the old file's, else 0666 less the
    umask), not the 0600 of a temporary file.
    """
    if target is None or str(target) == "-":
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            sys.stdout.write(data)
        return
    check_target(target, inputs)
    path = Path(target)
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
