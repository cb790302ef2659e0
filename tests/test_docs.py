"""The README tells the same story as the code: generated parts current, commands documented."""

import re
import subprocess
import sys

from tests.conftest import ROOT


def test_readme_generated_parts_are_current():
    result = subprocess.run([sys.executable, "scripts/readme.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr or result.stdout


def test_quickstart_is_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quickstart\n.*?```bash\n(.*?)```", readme, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert len(commands) == 2
    assert "scast score data/regions/" in commands[0] and "pytest" in commands[1]


def test_every_scast_command_in_the_readme_runs(tmp_path, monkeypatch):
    """Each `scast …` line of the README's bash blocks exits 0 from a folder holding the bundled data."""
    import shlex

    from typer.testing import CliRunner

    from scast_cli.cli import app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [line for block in re.findall(r"```bash\n(.*?)```", readme, re.S) for line in block.splitlines()]
    commands = [shlex.split(line, comments=True)[1:] for line in lines if line.startswith("scast ")]
    assert len(commands) >= 10
    (tmp_path / "data").symlink_to(ROOT / "data")
    monkeypatch.chdir(tmp_path)
    for args in commands:
        result = CliRunner().invoke(app, args, env={"NO_COLOR": "1"})
        assert result.exit_code == 0, f"scast {' '.join(args)}: {result.stderr}"
