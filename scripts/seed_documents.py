"""Rebuild Montérégie's published plan as a Word document and a PDF, for the document import.

    python scripts/seed_documents.py OUTPUT_DIR [--pdf]

The table is built from ``fixtures/plans/monteregie-2024-2027.csv`` the way the plan prints it
(seed ``000`` in ``/work/shared/seeds/``): one table per orientation under its heading
« ORIENTATION n », objectives merged over their actions, the indicators as a bulleted list,
and each year's targets PACKED in one cell (``2 Min 2 2 20 1``), footnote ``*`` below. Where
the fixture had to interpret the plan, the document carries the plan's own text instead:

* 1.2.2 has two indicators in the plan (the fixture makes three of them) and the cells
  ``2400 s 56%``, ``+10% +10%``, ``+10% +10%``;
* 3.1.2 has one value in 2025-2026 and 2026-2027 for two indicators (``2``, ``3``).

A year without a target for one indicator is written ``—`` in the packed cell. The PDF is
printed by LibreOffice (``soffice --headless --convert-to pdf``).
"""

from __future__ import annotations

import argparse
import csv
import subprocess
from itertools import groupby
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "plans" / "monteregie-2024-2027.csv"
YEARS = ("2024-2025", "2025-2026", "2026-2027")
FOOTNOTE = ("*Selon le cas, pour la reddition de compte, les données suivantes pourraient être "
            "compilées : Nb d'étudiants / Nb d'enseignants / Nb de CPE / SDG.")
AS_PRINTED = {
    "1.2.2": (["Nb de visites et % d'augmentation du trafic",
               "Taux d'engagement et % d'augmentation du temp d'engagement (conversion)"],
              ["2400 s 56%", "+10% +10%", "+10% +10%"]),
    "3.1.2": (None, ["1 1", "2", "3"]),
}
WIDTHS = (Cm(5.5), Cm(5.5), Cm(7.5), Cm(2.4), Cm(2.4), Cm(2.4))


def fixture_actions(path: Path = FIXTURE) -> list[dict]:
    """The fixture's actions in order: orientation, objective, action, indicators, cells."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    actions = []
    for action, group in groupby(rows, key=lambda r: r["Action"]):
        group = list(group)
        code = action.split()[0]
        labels = [r["Indicateur"] + ("*" if r["Note"].startswith("Astérisque") else "")
                  for r in group]
        cells = [" ".join(r[year] or "—" for r in group) for year in YEARS]
        printed_labels, printed_cells = AS_PRINTED.get(code, (None, None))
        actions.append({"orientation": group[0]["Orientation"],
                        "objective": group[0]["Objectif"], "action": action,
                        "labels": printed_labels or labels, "cells": printed_cells or cells})
    return actions


def _bullets(cell, labels: list[str]) -> None:
    cell.paragraphs[0].text = ""
    for index, label in enumerate(labels):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.style = "List Bullet"
        paragraph.text = label + ("." if index == len(labels) - 1 else ";")


def build_docx(target: Path, actions: list[dict]) -> Path:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Cm(1.5)
    document.styles["Normal"].font.size = Pt(9)
    document.add_heading("PLAN D'ACTION TRIENNAL 2024-2027", level=1)
    for orientation, group in groupby(actions, key=lambda a: a["orientation"]):
        group = list(group)
        code, title = orientation.split(" ", 1)
        document.add_heading(f"ORIENTATION {code}", level=2)
        document.add_paragraph(title)
        table = document.add_table(rows=2, cols=6)
        table.style = "Table Grid"
        top = table.rows[0].cells
        top[3].merge(top[5]).text = "CIBLES"
        for cell, text in zip(table.rows[1].cells, ("OBJECTIFS", "ACTIONS", "INDICATEURS",
                                                    "24-25", "25-26", "26-27"), strict=True):
            cell.text = text
        for objective, by_objective in groupby(group, key=lambda a: a["objective"]):
            first_row = None
            for action in by_objective:
                cells = table.add_row().cells
                if first_row is None:
                    first_row = len(table.rows) - 1
                    cells[0].text = objective
                cells[1].text = action["action"]
                _bullets(cells[2], action["labels"])
                for cell, text in zip(cells[3:], action["cells"], strict=True):
                    cell.text = text
            last_row = len(table.rows) - 1
            if last_row > first_row:
                table.cell(first_row, 0).merge(table.cell(last_row, 0))
        for row in table.rows:
            for cell, width in zip(row.cells, WIDTHS, strict=True):
                cell.width = width
        if any("*" in label for a in group for label in a["labels"]):
            document.add_paragraph(FOOTNOTE)
    document.save(target)
    return target


def build_pdf(docx_path: Path, outdir: Path) -> Path:
    # a profile of its own, so that a LibreOffice already running elsewhere does not block it
    profile = (outdir / ".libreoffice").resolve().as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(outdir), str(docx_path)],
                   check=True, capture_output=True, timeout=300)
    return outdir / (docx_path.stem + ".pdf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--pdf", action="store_true", help="also print it as a PDF")
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    docx_path = build_docx(args.outdir / "monteregie-2024-2027.docx", fixture_actions())
    print(docx_path)
    if args.pdf:
        print(build_pdf(docx_path, args.outdir))


if __name__ == "__main__":
    main()
