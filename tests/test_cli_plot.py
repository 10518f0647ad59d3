"""``biopipe timeline --plot PATH``: the timeline as a picture from the command line."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from biopipe.cli import main

if TYPE_CHECKING:
    from pathlib import Path

    import pytest


def _svg_text(path: Path) -> str:
    root = ET.parse(path).getroot()
    return " ".join(t for el in root.iter("{http://www.w3.org/2000/svg}text") for t in el.itertext())


def test_timeline_plot_writes_the_picture_and_still_prints_the_timeline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "js212.svg"
    assert main(["timeline", "--example", "js212", "--plot", str(target)]) == 0
    text = _svg_text(target)
    assert "JS212" in text
    assert "NMPA IND accepted" in text
    assert "IND accepted" in capsys.readouterr().out


def test_timeline_plot_draws_only_the_filtered_entries(tmp_path: Path) -> None:
    target = tmp_path / "fda.png"
    assert main(["timeline", "--example", "js212", "--agency", "fda", "--plot", str(target)]) == 0
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = tmp_path / "fda.svg"
    assert main(["timeline", "--example", "js212", "--agency", "fda", "--plot", str(svg)]) == 0
    text = _svg_text(svg)
    assert "FDA IND cleared" in text
    assert "NMPA" not in text


def test_timeline_plot_with_an_unknown_suffix_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", "--example", "js212", "--plot", str(tmp_path / "js212.gif")]) == 2
    err = capsys.readouterr().err
    assert "js212.gif" in err
    assert ".png, .svg or .pdf" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_timeline_plot_without_matplotlib_says_how_to_install_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert main(["timeline", "--example", "js212", "--plot", str(tmp_path / "js212.png")]) == 2
    assert "pip install 'biopipe-intel[plot]'" in capsys.readouterr().err


def test_timeline_plot_writes_a_pdf_with_a_today_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "js212.pdf"
    assert main(["timeline", "--example", "js212", "--plot", str(pdf), "--today", "2026-01-15"]) == 0
    assert pdf.read_bytes().startswith(b"%PDF-")
    svg = tmp_path / "js212.svg"
    assert main(["timeline", "--example", "js212", "--plot", str(svg), "--today", "2026-01-15"]) == 0
    assert "today 2026-01-15" in _svg_text(svg)
    assert main(["timeline", "--example", "js212", "--plot", str(svg), "--today", "2026-01"]) == 2
    err = capsys.readouterr().err
    assert "--today" in err
    assert "Traceback" not in err


def test_timeline_plot_draws_the_catalysts_after_today(tmp_path: Path) -> None:
    """With --today, the catalysts of the next year are ranges right of the today line; without it, none."""
    svg = tmp_path / "iza.svg"
    args = ["timeline", "--example", "izalontamab_brengitecan", "--plot", str(svg)]
    assert main([*args, "--today", "2026-01-15"]) == 0
    drawn = _svg_text(svg)
    assert "today 2026-01-15" in drawn
    assert "NMPA decision" in drawn
    assert main(args) == 0
    assert "NMPA decision" not in _svg_text(svg)
