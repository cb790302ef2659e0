"""Writing files safely: to a temporary file in the same folder, then renamed into place.

An interrupted run leaves either the old file or the new one, never half of one; scast refuses
to write over any file it is reading; '-' means standard output, and a device or pipe
(/dev/null, /dev/stdout) is written to, never replaced.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from scast_cli.errors import ScastError, UsageError


def is_stream(target: str | Path | None) -> bool:
    """True for stdout ('-' or none) and for an existing file that is not a regular file
    (/dev/null, /dev/stdout, a named pipe): those are written straight through, never replaced."""
    if target is None or str(target) == "-":
        return True
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def check_target(target: str | Path | None, inputs: Iterable[str | Path] = ()) -> None:
    """Raise UsageError if `target` cannot take the output: an input file, a folder, no such
    folder, a folder scast may not write in.

    Commands that write several files call this for each before writing any of them.
    """
    if is_stream(target):
        return
    path = Path(target)
    for source in inputs:
        if Path(source).exists() and path.exists() and path.resolve() == Path(source).resolve():
            raise UsageError.one(f"refusing to write over the input file {source}; choose another -o", code="overwrite-input")
    if path.is_dir():
        raise UsageError.one(f"{path} is a folder; give a file name to -o", code="output-is-dir")
    folder = Path(os.path.realpath(path)).parent
    if not folder.exists():
        raise UsageError.one(f"folder {path.parent} does not exist; create it first or choose another -o", code="no-output-dir")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError.one(f"cannot write {path}: no permission to write in the folder {path.parent}", code="output-denied")


def write_output(target: str | Path | None, data: str | bytes | Iterable[str | bytes], inputs: Iterable[str | Path] = ()) -> None:
    """Write `data` to `target` atomically, or to stdout when target is None or '-'.

    A symlink is followed and its target replaced; a device or pipe is written straight to. The
    new file gets the mode a plain open() would give it (the old file's, else 0666 less the
    umask), not the 0600 of a temporary file.

    `data` may be an iterable of pieces (a large CSV made a block of rows at a time): a file is
    written from them one by one into its temporary file, so the whole text is never held.
    Standard output and devices, which cannot be staged, get the pieces joined once all are
    made: an error part way never leaves a cut-off CSV that looks whole.
    """
    write_all([(target, data)], inputs)


def write_all(items: Iterable[tuple[str | Path | None, str | bytes | Iterable[str | bytes]]], inputs: Iterable[str | Path] = ()) -> None:
    """Write several files as one: a report and its charts, say.

    Every target is checked first (none may be an input, a folder, or in a folder scast cannot
    write in); then every file is written in full to a temporary file beside its target; only
    when all of them are written are they renamed into place, one rename each. A failure before
    the renames (a full disk, a permission, an error making a piece) removes the temporary files
    and writes nothing. Standard output and devices, which cannot be staged, are written last.
    """
    items = list(items)
    inputs = list(inputs)
    for target, _ in items:
        check_target(target, inputs)
    items = [(target, _whole(data) if is_stream(target) else _encoded(data)) for target, data in items]
    staged: list[tuple[str, Path]] = []
    target = None
    try:
        for target, raw in items:
            if not is_stream(target):
                staged.append(_stage(target, raw))
        for tmp, target in staged:
            os.replace(tmp, target)
        staged = []
        for target, raw in items:
            if target is None or str(target) == "-":
                sys.stdout.flush()
                sys.stdout.buffer.write(raw)
                sys.stdout.flush()
            elif is_stream(target):
                with open(target, "wb") as handle:
                    handle.write(raw)
    except OSError as exc:
        raise ScastError.one(f"cannot write {target}: {exc.strerror or exc}", code="write-failed") from None
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)


def _whole(data: str | bytes | Iterable[str | bytes]) -> bytes:
    """All the bytes to write, pieces joined."""
    raw = _encoded(data)
    return raw if isinstance(raw, bytes) else b"".join(raw)


def _encoded(data: str | bytes | Iterable[str | bytes]) -> bytes | Iterator[bytes]:
    """The bytes to write (UTF-8 for text): as they are, or piece by piece as the pieces come."""
    if isinstance(data, str | bytes):
        return data.encode("utf-8") if isinstance(data, str) else data
    return (piece.encode("utf-8") if isinstance(piece, str) else piece for piece in data)


def _stage(target: str | Path, raw: bytes | Iterable[bytes]) -> tuple[str, Path]:
    """Write `raw` (bytes, or pieces of bytes one after another) in full to a temporary file beside
    `target` (symlinks followed), flushed to disk and with the mode the file will have; return
    (temporary file, final path). Any failure, in writing or in making a piece, removes it."""
    path = Path(os.path.realpath(target))
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in [raw] if isinstance(raw, bytes) else raw:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp, path


def _umask() -> int:
    """The process umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
