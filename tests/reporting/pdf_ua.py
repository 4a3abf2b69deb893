"""An automatic accessibility check of a PDF: the PDF/UA tag-tree check, read back with
pikepdf. Not a full PDF/UA validator (veraPDF is not packaged for Debian): it checks what a
screen reader relies on and what WeasyPrint's ``pdf/ua-1`` variant must have written."""

from __future__ import annotations

import io

import pikepdf


def _children(node):
    kids = node.get("/K")
    if isinstance(kids, pikepdf.Array):
        return [kid for kid in kids if isinstance(kid, pikepdf.Dictionary)]
    if isinstance(kids, pikepdf.Dictionary):
        return [kids]
    return []


def _walk(node):
    if "/S" in node:
        yield node
    for kid in _children(node):
        yield from _walk(kid)


def pdf_ua_problems(content: bytes) -> list[str]:
    """What keeps the PDF from being read by assistive technology ([] when nothing)."""
    problems = []
    pdf = pikepdf.open(io.BytesIO(content))
    root = pdf.Root
    if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
        problems.append("not marked as tagged (/MarkInfo /Marked)")
    if not str(root.get("/Lang", "")):
        problems.append("no document language (/Lang)")
    if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
        problems.append("the title is not displayed (/DisplayDocTitle)")
    meta = pdf.open_metadata()
    if str(meta.get("pdfuaid:part", "")) != "1":
        problems.append("no PDF/UA identifier in the XMP metadata (pdfuaid:part = 1)")
    if not meta.get("dc:title"):
        problems.append("no dc:title in the XMP metadata")
    if "/StructTreeRoot" not in root:
        return problems + ["no structure tree (/StructTreeRoot)"]
    elements = list(_walk(root.StructTreeRoot))
    types = [str(element.S) for element in elements]
    for element in elements:
        if str(element.S) == "/Figure" and not str(element.get("/Alt", "")).strip():
            problems.append("a figure without alternative text (/Alt)")
        if str(element.S) == "/Table" and not any(
                str(e.S) == "/TH" for e in _walk(element)):
            problems.append("a table without header cells (/TH)")
    levels = [int(t[2]) for t in types if len(t) == 3 and t.startswith("/H") and t[2].isdigit()]
    if not levels or levels[0] != 1:
        problems.append("the first heading is not a level 1 heading")
    for before, after in zip(levels, levels[1:], strict=False):
        if after > before + 1:
            problems.append(f"a heading level skipped (H{before} → H{after})")
            break
    for number, page in enumerate(pdf.pages, start=1):
        for name, font in (page.Resources.get("/Font") or {}).items():
            descendants = font.get("/DescendantFonts")
            described = descendants[0] if descendants else font
            descriptor = described.get("/FontDescriptor")
            if descriptor is None or not any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.append(f"page {number}: font {name} is not embedded")
    return problems
