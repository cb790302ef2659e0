"""scast: score grassroots 科协 figures against the "3+1+N" and five-standardisation indicators.

The library is usable without the CLI:

    from scast_cli import load_config, read_regions, score, as_dict
    config = load_config()                      # the bundled indicators.yaml
    result = score(read_regions("data/regions/jiaozhou.yaml", config), config)
    as_dict(result, "胶州市")["overall"]
"""

import os

__version__ = "0.1.0"

# openpyxl parses XLSX with lxml when lxml is installed (python-docx, for Word reports, brings
# it), and then reads a workbook that declares entities instead of refusing it. Through
# defusedxml (a dependency) such a workbook is refused as an attack. Set before openpyxl is
# imported; a user's own OPENPYXL_LXML wins.
os.environ.setdefault("OPENPYXL_LXML", "False")

__all__ = ["__version__", "as_dict", "load_config", "read_regions", "score"]


def __getattr__(name: str):
    # Lazy: `scast --help` must not pay for pandas, numpy or pydantic.
    if name == "load_config":
        from scast_cli.config import load_config

        return load_config
    if name == "read_regions":
        from scast_cli.readers import read_regions

        return read_regions
    if name in ("score", "as_dict"):
        from scast_cli import engine

        return getattr(engine, name)
    raise AttributeError(name)
