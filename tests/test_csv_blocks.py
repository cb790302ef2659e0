"""CSV written in blocks of rows (machine.csv_blocks, rank's CSV): the same bytes as one whole
text, every cell still neutralised, and a file written from blocks still replaced only whole."""

import csv
import io

import pytest
from typer.testing import CliRunner

from scast_cli.cli import app
from scast_cli.errors import ScastError
from scast_cli.output import write_output
from scast_cli.render import machine
from scast_cli.render import rank as view
from scast_cli.render.machine import Column, Sheet, csv_blocks, csv_text
from scast_cli.safe import spreadsheet_column, spreadsheet_row
from tests.conftest import ROOT

runner = CliRunner()
TABLE = ROOT / "data" / "regions.csv"
BOM = b"\xef\xbb\xbf"

# ten rows with hostile and awkward cells: formula starts, an escape sequence, a bidi override,
# a negative number that stays a number, and cells the csv module must quote
NAMES = ["=1+1", "\x1b[31mred", "@SUM(A1)", "-3.5", "+cmd|' /C calc'!A0", "a,b", 'say "hi"', "two\nlines", "\u202eevil", "plain"]
EXPECTED_CELLS = ["'=1+1", "red", "'@SUM(A1)", "-3.5", "'+cmd|' /C calc'!A0", "a,b", 'say "hi"', "two\nlines", "evil", "plain"]  # neutralised
EXPECTED = ["'=1+1", "red", "'@SUM(A1)", "-3.5", "'+cmd|' /C calc'!A0", '"a,b"', '"say ""hi"""', '"two\nlines"', "evil", "plain"]


def ten_rows() -> list[dict]:
    return [{"name": name, "score": None if i == 3 else i * 10.5, "rank": i + 1} for i, name in enumerate(NAMES)]


class Source:
    """A columnar source of lists: csv_blocks asks for each column once."""

    def __init__(self, rows: list[dict]) -> None:
        self.rows = rows

    def column(self, key: str) -> list:
        return [row[key] for row in self.rows]


COLUMNS = [Column("name"), Column("score", kind="score"), Column("rank", kind="int")]


@pytest.mark.parametrize("columnar", [False, True])
def test_blocks_of_three_are_the_whole_text(columnar):
    rows = ten_rows()
    sheet = Sheet("", COLUMNS, [], source=Source(rows)) if columnar else Sheet("", COLUMNS, rows)
    blocks = list(csv_blocks(sheet, "en", rows=3))
    assert len(blocks) == 1 + 4  # the header, then rows 1-3, 4-6, 7-9, 10
    assert blocks[0] == "name,score,rank\n"
    assert [len(list(csv.reader(io.StringIO(b)))) for b in blocks[1:]] == [3, 3, 3, 1]
    text = "".join(blocks)
    assert text == csv_text(sheet, "en") == "".join(csv_blocks(sheet, "en", rows=100))
    lines = [f"{cell},{'' if i == 3 else i * 10.5},{i + 1}" for i, cell in enumerate(EXPECTED)]
    assert text == "name,score,rank\n" + "\n".join(lines) + "\n"


def test_an_empty_sheet_is_its_header():
    assert list(csv_blocks(Sheet("", COLUMNS, []), "en", rows=3)) == ["name,score,rank\n"]
    assert "".join(csv_blocks(Sheet("", COLUMNS, [], source=Source([])), "en", rows=3)) == "name,score,rank\n"


@pytest.fixture(scope="module")
def ranked():
    from scast_cli import analysis, engine
    from scast_cli.config import load_config
    from scast_cli.readers import read_regions

    config = load_config()
    result = engine.score_for_rank(read_regions(TABLE, config, keep_going=True), config)
    return {
        "plain": analysis.rank(result, None, 0.0, None, "en"),
        "by": analysis.rank(result, "coverage", None, None, "zh"),
        "stability": analysis.rank(result, None, 0.0, None, "en", stability_options={"draws": 20}),
    }


@pytest.mark.parametrize("case", ["plain", "by", "stability"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_rank_csv_in_blocks_is_what_csv_writer_writes(ranked, case, lang, monkeypatch):
    data = ranked[case]
    with monkeypatch.context() as m:  # the reference: the whole ranking in one block, by csv.writer
        m.setattr(machine, "_arrow_writes_as_csv", lambda: False)
        whole = "".join(view.csv_blocks(data, lang, rows=10**9))
    assert whole.count("\n") == len(data["regions"]) + 1
    for size in (1, 2, 3, 5, 100):
        blocks = list(view.csv_blocks(data, lang, rows=size))
        assert "".join(blocks) == whole
        assert len(blocks) == 1 + -(-len(data["regions"]) // size)


def test_rank_csv_columns_stay_numpy(ranked):
    """Numbers reach the CSV writer as numpy arrays (no Python float per cell), codes as words."""
    import numpy as np

    data = ranked["plain"]
    flat = view.sheet(data, "zh", for_people=True, columnar=True).source
    score = flat.column("score")
    assert score.dtype == np.float64 and score[:4].tolist() == [100.0, 96.875, 94.857143, 94.362745] and np.isnan(score[4])
    assert flat.column("assessed").dtype == np.int64 and flat.column("assessed").tolist() == [1, 7, 10, 11, 0]
    assert flat.column("rank").tolist() == [1, 2, 3, 4, None]  # the unscored has no rank
    assert flat.column("section").tolist() == ["排名"] * 4 + ["总分无法评分"]
    assert flat.column("level").tolist() == ["县级", "地市级", "县级", "地市级", "县级"]
    rows = data["regions"]
    for key in view.columns(data):  # the arrays hold what the rows hold
        assert machine._python_cells(rows.array(key)) == rows.column(key) == [row.get(key) for row in view.flat_rows(data)]


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args], env={"NO_COLOR": "1", "COLUMNS": "140"})


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_rank_csv_from_the_command_in_blocks_of_two(tmp_path, monkeypatch, lang):
    whole = [invoke("rank", TABLE, "--lang", lang, "-o", tmp_path / "whole.csv"), invoke("rank", TABLE, "--lang", lang, "-f", "csv")]
    monkeypatch.setattr(machine, "CSV_BLOCK", 2)
    blocks = [invoke("rank", TABLE, "--lang", lang, "-o", tmp_path / "blocks.csv"), invoke("rank", TABLE, "--lang", lang, "-f", "csv")]
    nobom = invoke("rank", TABLE, "--lang", lang, "--no-bom", "-o", tmp_path / "nobom.csv")
    assert all(r.exit_code == 0 for r in [*whole, *blocks, nobom])
    written = (tmp_path / "blocks.csv").read_bytes()
    assert written == (tmp_path / "whole.csv").read_bytes() and written.startswith(BOM) and written.count(BOM) == 1
    assert (tmp_path / "nobom.csv").read_bytes() == written[len(BOM) :]
    assert blocks[1].stdout == whole[1].stdout and not blocks[1].stdout.startswith("\ufeff")
    assert written[len(BOM) :].decode("utf-8") == blocks[1].stdout


def test_a_file_from_pieces_is_replaced_only_whole(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")

    def pieces():
        yield "new,"
        yield b"rows\n"
        raise RuntimeError("a block failed")

    with pytest.raises(RuntimeError):
        write_output(target, pieces())
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]  # no temporary file left
    write_output(target, iter(["\ufeff名次,", b"x\n", "1,2\n"]))
    assert target.read_bytes() == BOM + "名次,x\n1,2\n".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_standard_output_gets_nothing_when_a_piece_fails(capsysbinary):
    """A cut-off CSV on standard output would look whole: it gets the pieces only once all are made."""

    def pieces():
        yield "名次,地区\n"
        raise RuntimeError("a block failed")

    with pytest.raises(RuntimeError):
        write_output("-", pieces())
    assert capsysbinary.readouterr().out == b""
    write_output("-", iter(["名次,", b"x\n"]))
    assert capsysbinary.readouterr().out == "名次,x\n".encode()


def test_pieces_never_overwrite_an_input(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("kept\n", encoding="utf-8")
    with pytest.raises(ScastError):
        write_output(source, iter(["x\n"]), [source])
    assert source.read_text(encoding="utf-8") == "kept\n"


# ---------------------------------------------------------------- the same lines from pyarrow


def test_arrow_lines_are_csv_writer_lines():
    import numpy as np

    rng = np.random.default_rng(13)
    n = 2_000
    scores = np.round(rng.uniform(-150, 150, n), 6).tolist()  # multiples of 1e-6: digits from integers
    scores[:12] = [0.0, -0.0, 1e-4, 9.9e-05, 1e-05, 100.0, 1e9, 1e16, float("nan"), float("inf"), 0.1 + 0.2, 1 / 3]
    shares = [None if i % 7 == 0 else v for i, v in enumerate(rng.uniform(0, 1, n).tolist())]  # any float: repr
    texts = [["plain", "a,b", 'say "hi"', "two\nlines", "cr\rlf", "", "中文，字", " lead", *NAMES][i % 18] for i in range(n)]
    columns = [texts, scores, shares, [None if i % 5 == 0 else i * 7919 - 10**6 for i in range(n)], [None] * n]
    made = machine._arrow_lines(columns)
    assert made is not None  # pyarrow wrote it, not the fallback
    assert made == machine._writer_lines(columns) == machine._csv_lines(spreadsheet_row(list(row)) for row in zip(*columns, strict=True))
    assert "\n'=1+1," in made and "\x1b" not in made  # the text cells neutralised, each distinct one once
    assert machine._arrow_writes_as_csv()
    assert machine._arrow_lines([[1, 2.5], ["a", "b"]]) is None  # ints and floats in one column: csv.writer's
    assert machine._arrow_lines([[True, False], ["a", "b"]]) is None  # bools are not ints here
    assert machine._arrow_lines([np.array([True, False]), ["a", "b"]]) is None


def test_arrow_lines_of_numpy_columns():
    """Numbers as numpy arrays (NaN: an empty cell) give the text their cells give as Python values."""
    import numpy as np

    rng = np.random.default_rng(7)
    n = 3_000
    columns = [
        np.round(rng.uniform(-150, 150, n), 6),
        np.where(rng.uniform(size=n) < 0.2, np.nan, np.round(rng.uniform(0, 1, n), 6)),
        np.arange(n, dtype="int64") - 1_500,
        np.array([None if i % 4 == 0 else ["a,b", "=1+1", "区"][i % 3] for i in range(n)], dtype=object),
        np.array([None if i % 3 == 0 else i for i in range(n)], dtype=object),  # whole numbers with gaps
        np.full(n, np.nan),
        [None if i % 9 == 0 else f"{NAMES[i % 10]}{i}" for i in range(n)],  # all distinct: made cell by cell
        np.array([np.nan if i % 5 == 0 else None if i % 7 == 0 else f"x{i % 4}" for i in range(n)], dtype=object),  # NaN: no value
    ]
    made = machine._arrow_lines(columns)
    assert made is not None and made == machine._writer_lines(columns)
    assert "\n".join(made.split("\n")[:2]) == "37.52864,0.333728,-1500,,,,,\n119.16414,0.14582,-1499,'=1+1,1,,red1,x1"
    assert ",'=1+110," in made and ',"two\nlines7",' in made
    line = machine._arrow_lines([np.array([np.nan, 2.5, -0.0]), np.array([1, 2, 3]), np.array(["=x", None, "a"], dtype=object)])
    assert line == ",1,'=x\n2.5,2,\n-0.0,3,a\n"
    nan = float("nan")  # a NaN cell of a list is a value, as csv.writer writes it; of a numpy array, no value
    assert machine._arrow_lines([[nan, 1.5], np.array([nan, 1.5]), np.array([nan, "a"], dtype=object)]) == "nan,,\n1.5,1.5,a\n"


def test_spreadsheet_column_of_pyarrow_text_is_that_of_a_list():
    import pyarrow as pa

    cells = [None, *NAMES, "", "中文", "\t=x", "\r@y", "ok\x07", "\x9b31m", "\u2066x"]
    made = spreadsheet_column(pa.array(cells, type=pa.string()))
    assert isinstance(made, pa.Array) and made.to_pylist() == spreadsheet_column(cells) == [None, *EXPECTED_CELLS, "", "中文", "'\t=x", "'@y", "ok", "", "x"]
    plain = pa.array(["a", None, "b"], type=pa.string())
    assert spreadsheet_column(plain) is plain  # nothing to change: the same array


@pytest.mark.parametrize("scale", [1e-4, 1.0, 100.0, 1e6, 1e9])
def test_decimals_are_repr(scale):
    """Multiples of 1e-6 written from integers are repr's text, near every edge of the bulk path."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    rng = np.random.default_rng(int(scale * 1e4) % 2**32)
    places = 10.0 ** rng.integers(0, 7, 20_000)  # 0 to 6 decimals
    x = np.rint(rng.uniform(-scale, scale, 20_000) * places) / places
    x[:8] = [scale, -scale, scale * (1 - 1e-6), np.nextafter(scale, 0), 999999999.999999, 0.0001, -0.0001, 0.000099]
    text = machine._decimals(x, np.zeros(len(x), dtype=bool), pa, pc)
    assert text.to_pylist() == [repr(v) for v in x.tolist()]


def test_rank_blocks_are_written_by_pyarrow(ranked, monkeypatch):
    made = []
    real = machine._arrow_lines
    monkeypatch.setattr(machine, "_arrow_lines", lambda columns: made.append(real(columns)) or made[-1])
    text = "".join(view.csv_blocks(ranked["stability"], "zh", rows=2))
    assert len(made) == 3 and None not in made  # five regions in blocks of two, each made by pyarrow
    monkeypatch.setattr(machine, "_arrow_writes_as_csv", lambda: False)
    assert "".join(view.csv_blocks(ranked["stability"], "zh", rows=2)) == text
