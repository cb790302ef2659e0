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
