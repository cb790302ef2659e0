"""Writing files safely: to a temporary file in the same folder, then renamed into place.

An interrupted run leaves either the old file or the new one, never half of one; scast refuses
to write over any file it is reading; '-' means standard output.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from scast_cli.errors import UsageError


def write_output(target: str | Path | None, data: str | bytes, inputs: Iterable[str | Path] = ()) -> None:
    """Write `data` to `target` atomically, or to stdout when target is None or '-'."""
    if target is None or str(target) == "-":
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            sys.stdout.write(data)
        return
    path = Path(target)
    for source in inputs:
        if Path(source).exists() and path.exists() and path.resolve() == Path(source).resolve():
            raise UsageError.one(f"refusing to write over the input file {source}; choose another -o", code="overwrite-input")
    if path.is_dir():
        raise UsageError.one(f"{path} is a folder; give a file name to -o", code="output-is-dir")
    if not path.parent.exists():
        raise UsageError.one(f"folder {path.parent} does not exist", code="no-output-dir")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
