"""`segments report` end to end: a real build, the page rendered by headless Chromium.

The page is loaded from a file with the network features of Chromium switched off; its DOM
(`--dump-dom`) is checked against the marts, and a screenshot is kept in
test-artifacts/report.png. Chromium is a requirement here (`make chromium` installs it):
without it these tests fail, they never skip.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cli.report_theme import FALLBACK_COLOURS, SEGMENT_COLOURS, tint
from tests.test_end_to_end import build, mart, segments

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
BAD_ROWS = """\
X0001,C000001,not-a-date,10.00,paid,USD,1,P0001,Books,web
X0002,C000002,1998-01-01,abc,paid,USD,1,P0001,Books,web
X0003,C000003,1998-01-02,,paid,USD,1,P0001,Books,web
X0004,,1998-01-02,12.00,paid,USD,1,P0001,Books,web
X0004,C000004,1998-01-03,12.00,paid,USD,1,P0001,Books,web
"""
HOSTILE = ('VIP <b>"gold"</b> & co', "<script>document.title='x'</script>", "Rest")


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("chromium")
    if binary is None:
        pytest.fail(
            "chromium not found: the report tests need headless Chromium; install it with "
            "`make chromium` (Debian package chromium)",
            pytrace=False,
        )
    profile.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result


class Element:
    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag, self.attrs, self.text = tag, attrs, ""
        self.inside: list[Element] = []

    def first(self, css_class: str) -> Element:
        return next(e for e in self.inside if css_class in e.attrs.get("class", "").split())


class Dom(HTMLParser):
    """Every element of the dumped DOM with its attributes and text content."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {key: value or "" for key, value in attrs})
        self.elements.append(element)
        for parent in self._open:
            parent.inside.append(element)
        if tag not in ("meta", "br", "col", "rect", "line"):
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data

    def find(self, tag: str | None = None, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.elements
            if (tag is None or e.tag == tag)
            and all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def with_attr(self, name: str) -> list[Element]:
        return [e for e in self.elements if name in e.attrs]


def render(workdir: Path, name: str) -> tuple[str, Dom]:
    """Write the report, load it in Chromium; the page source and its rendered DOM."""
    page = workdir / f"{name}.html"
    result = segments("report", "--workdir", str(workdir), "--out", str(page), cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {page} (")
    dumped = chromium("--dump-dom", page.as_uri(), profile=workdir / f"profile-{name}")
    return page.read_text(encoding="utf-8"), Dom(dumped.stdout)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """400 generated customers plus five rejected rows, scored at two as-of dates."""
    workdir = tmp_path_factory.mktemp("report")
    tx = workdir / "tx.csv"
    generated = segments("generate", "--customers", "400", "--out", str(tx), cwd=workdir)
    assert generated.returncode == 0, generated.stderr
    with tx.open("a", encoding="utf-8") as handle:
        handle.write(BAD_ROWS)
    result = segments(
        "backfill",
        "--workdir",
        str(workdir),
        "--transactions",
        str(tx),
        "--from",
        "1998-06-01",
        "--to",
        "1998-07-01",
        cwd=workdir,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    return workdir


def test_report_matches_the_marts(built: Path) -> None:
    source, dom = render(built, "report")

    # Self-contained: nothing to fetch, no script.
    assert not re.search(r"https?://|\bsrc=|<script|<link|@import|url\(", source)
    assert "Content-Security-Policy" in source

    summary = mart(built, "select segment, customers from segment_summary")
    assert len(summary) == 11
    for name, customers in summary:
        rows = dom.find("tr", data_segment=name)
        assert len(rows) == 1, name
        assert name in rows[0].text
        assert rows[0].attrs["data-customers"] == str(customers)

    counts = {
        (r, fm): n
        for r, fm, n in mart(
            built,
            "select r_score, fm_score, count(*) from customer_segments group by all",
        )
    }
    cells = dom.with_attr("data-r")
    assert len(cells) == 25
    for cell in cells:
        key = (int(cell.attrs["data-r"]), int(cell.attrs["data-fm"]))
        expected = counts.get(key, 0)
        assert int(cell.attrs["data-customers"]) == expected, key
        assert cell.first("count").text == f"{expected:,}", key
        assert cell.attrs["data-segment"] in cell.text
    assert sum(counts.values()) == mart(built, "select count(*) from customer_segments")[0][0]

    rejected = dict(
        mart(built, "select rejection_reason, count(*) from rejected_transactions group by 1")
    )
    assert sum(rejected.values()) == 5
    for reason, count in rejected.items():
        (row,) = dom.find("tr", data_reason=reason)
        assert reason in row.text
        (cell,) = [e for e in row.inside if "data-count" in e.attrs]
        assert cell.text == f"{count:,}" and cell.attrs["data-count"] == str(count)
    (read,) = mart(built, "select count(*) from stg_input__raw_transactions")[0]
    (staged,) = mart(built, "select count(*) from stg_input__transactions")[0]
    assert dom.find(data_fact="rows-read")[0].text == f"{read:,}"
    assert dom.find(data_fact="rows-staged")[0].text == f"{staged:,}"
    assert dom.find(data_fact="rows-rejected")[0].text == "5"

    # Two as-of dates in history: the migration matrix, not the note.
    assert dom.find("table", **{"class": "migration"})
    assert "1998-06-01" in source and "1998-07-01" in source
    assert len(dom.find("div", **{"class": "chart"})) == 3

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    chromium(
        f"--screenshot={shot}",
        "--window-size=1280,2400",
        (built / "report.html").as_uri(),
        profile=built / "profile-screenshot",
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 50_000


def test_user_grid_names_are_escaped_and_coloured(tmp_path: Path) -> None:
    tx = tmp_path / "tx.csv"
    assert (
        segments("generate", "--customers", "200", "--out", str(tx), cwd=tmp_path).returncode == 0
    )
    grid = tmp_path / "grid.csv"
    with grid.open("w", encoding="utf-8") as handle:
        handle.write("r_score,fm_score,segment\n")
        for r in range(1, 6):
            for fm in range(1, 6):
                name = HOSTILE[0] if r >= 4 else HOSTILE[1] if fm >= 4 else HOSTILE[2]
                handle.write(f'{r},{fm},"{name.replace(chr(34), chr(34) * 2)}"\n')
    result = build(tmp_path, "--transactions", str(tx), "--grid", str(grid))
    assert result.returncode == 0, result.stderr + result.stdout

    source, dom = render(tmp_path, "grid-report")
    # The names are text, never markup: no element came from them.
    assert not dom.find("script") and not dom.find("b")
    (as_of,) = mart(tmp_path, "select max(as_of_date) from customer_segments")[0]
    assert dom.find("title")[0].text == f"Customer segments as of {as_of}"  # the page's
    for name in HOSTILE:
        (row,) = dom.find("tr", data_segment=name)
        assert name in row.text
    # Names outside the bundled palette take the fallback colours, in display order.
    order = [
        name for (name,) in mart(tmp_path, "select segment from segment_summary order by segment")
    ]
    assert not set(order) & set(SEGMENT_COLOURS)
    for index, name in enumerate(order):
        colour = FALLBACK_COLOURS[index]
        assert f'background:{colour}"' in source
        cells = [c for c in dom.with_attr("data-r") if c.attrs["data-segment"] == name]
        assert cells and all(tint(colour, 0.3) in c.attrs["style"] for c in cells), name
    # One as-of date only: a note instead of the migration matrix.
    assert not dom.find("table", **{"class": "migration"})
    assert "needs two" in dom.find("section", id="migration")[0].text


def test_report_without_a_build_is_one_line(tmp_path: Path) -> None:
    result = segments("report", "--out", str(tmp_path / "r.html"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: no build found in {tmp_path}: run segments build first"
    ]
    assert not (tmp_path / "r.html").exists()
