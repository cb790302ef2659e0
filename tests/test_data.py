"""The bundled data: traceable figures, generated tables in step, identical scores from every format."""

import subprocess
import sys

import pytest
import yaml

from scast_cli import engine
from scast_cli.config import load_config
from scast_cli.readers import read_regions
from tests.conftest import REGIONS, ROOT

CSV, XLSX = ROOT / "data" / "regions.csv", ROOT / "data" / "regions.xlsx"


def test_five_bundled_regions():
    assert [p.stem for p in REGIONS] == ["binzhou", "jiaozhou", "luozhuang", "wuzhou", "xinyi"]


@pytest.mark.parametrize("path", REGIONS, ids=lambda p: p.stem)
def test_every_figure_has_a_source(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources = data.get("sources") or {}
    for key, raw in data["figures"].items():
        source = raw.get("source") if isinstance(raw, dict) else sources.get(key)
        assert source and len(source) > 10, f"{path.name}: {key} has no source"


def test_tables_are_generated_from_the_yaml():
    result = subprocess.run([sys.executable, "scripts/build_tables.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", REGIONS, ids=lambda p: p.stem)
def test_yaml_csv_and_xlsx_give_identical_json(path):
    config = load_config()
    yaml_regions = read_regions(path, config)
    name = yaml_regions.names[0]
    expected = engine.as_dict(engine.score(yaml_regions, config), name, "zh")
    for table in (CSV, XLSX):
        regions = read_regions(table, config).select(name)
        assert engine.as_dict(engine.score(regions, config), name, "zh") == expected, table.name


def test_scoring_all_bundled_regions_in_one_pass_matches_one_at_a_time():
    config = load_config()
    batch = engine.score(read_regions(XLSX, config), config)
    for name in batch.regions.names:
        alone = engine.score(read_regions(XLSX, config).select(name), config)
        assert batch.overall.at[name, "score"] == pytest.approx(alone.overall.at[name, "score"], nan_ok=True)
