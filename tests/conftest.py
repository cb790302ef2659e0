import os
import tempfile
from pathlib import Path

import pytest

# scast keeps a cache of the bundled indicators in the user's cache folder; the tests (and every
# scast process they start) use a folder of their own instead of writing to the real one.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="scast-test-cache-")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini.yaml"
REGIONS = sorted((ROOT / "data" / "regions").glob("*.yaml"))


@pytest.fixture
def mini():
    from scast_cli.config import load_config

    return load_config(MINI)


@pytest.fixture
def write(tmp_path):
    """Write text to a file in tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write


# ---------------------------------------------------------------- scast in a process of its own, quickly
# Cases that could hang or exhaust memory run `python -m scast_cli` in a child process under a time
# and an address-space limit. Starting Python and importing scast, pandas and numpy takes about a
# second, paid once here: a resident process imports them and forks a fresh child for each run,
# which sets its limit, working folder, environment and arguments and runs scast_cli/__main__.py
# as `python -m scast_cli` would.
_FORKER = r"""
import json, os, resource, runpy, sys, time, traceback
import numpy, pandas, openpyxl, yaml, pydantic  # what a run imports anyway
import scast_cli.cli, scast_cli.config, scast_cli.engine, scast_cli.readers, scast_cli.tables
for line in sys.stdin:
    job = json.loads(line)
    sys.stdout.flush(); sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            for fd, name in ((1, job["stdout"]), (2, job["stderr"])):
                os.dup2(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), fd)
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            os.chdir(job["cwd"])
            os.environ.clear()
            os.environ.update(job["env"])
            resource.setrlimit(resource.RLIMIT_AS, (job["memory"], job["memory"]))
            sys.argv = ["-m", *job["args"]]
            try:
                runpy.run_module("scast_cli", run_name="__main__", alter_sys=True)
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
                if not isinstance(exc.code, int | None):
                    print(exc.code, file=sys.stderr)
            except BaseException:
                traceback.print_exc()
        finally:
            try:
                sys.stdout.flush(); sys.stderr.flush()
            finally:
                os._exit(code)
    deadline, status = time.monotonic() + job["timeout"], None
    while status is None:
        done, raw = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(raw)
        elif time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            break
        else:
            time.sleep(0.005)
    print(json.dumps({"code": status}), flush=True)
"""
_forker: list = []


def run_isolated(args: list[str], cwd: Path, env: dict[str, str], timeout: float, memory: int):
    """`python -m scast_cli ARGS` in a child process with an address-space limit of `memory` bytes,
    stopped after `timeout` seconds (subprocess.TimeoutExpired): a CompletedProcess."""
    import json
    import subprocess
    import sys
    import tempfile

    if not _forker or _forker[0].poll() is not None:
        _forker[:] = [subprocess.Popen([sys.executable, "-c", _FORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)]
    forker = _forker[0]
    with tempfile.TemporaryDirectory() as folder:
        out, err = Path(folder) / "stdout", Path(folder) / "stderr"
        job = {"args": [str(a) for a in args], "cwd": str(cwd), "env": dict(env), "timeout": timeout, "memory": memory, "stdout": str(out), "stderr": str(err)}
        forker.stdin.write(json.dumps(job) + "\n")
        forker.stdin.flush()
        code = json.loads(forker.stdout.readline())["code"]
        if code is None:
            raise subprocess.TimeoutExpired([sys.executable, "-m", "scast_cli", *job["args"]], timeout)
        read = lambda p: p.read_text(encoding="utf-8", errors="replace") if p.exists() else ""  # noqa: E731
        stderr = read(err) + (f"[run_isolated: the child was killed by signal {-code}]\n" if code < 0 else "")
        return subprocess.CompletedProcess(job["args"], code, read(out), stderr)


def pytest_sessionfinish(session, exitstatus):
    for forker in _forker:
        forker.stdin.close()
        forker.wait(timeout=10)


@pytest.fixture(scope="session")
def scored():
    """The bundled region files scored once: short name -> (result, region name)."""
    from scast_cli.config import load_config
    from scast_cli.engine import score
    from scast_cli.readers import read_regions

    config = load_config()
    out = {}
    for path in REGIONS:
        result = score(read_regions(path, config), config)
        out[path.stem] = (result, result.regions.names[0])
    return out


@pytest.fixture
def cjk(monkeypatch):
    """Charts drawn as if a CJK font were installed (DejaVu draws boxes; the structure and the SVG's
    text are what the tests check)."""
    pytest.importorskip("matplotlib")
    from scast_cli.render import charts

    monkeypatch.setattr(charts, "cjk_font_status", lambda: ("DejaVu Sans", False))
