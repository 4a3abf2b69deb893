"""A pôle's plan read from the document it published: Word tables, PDF tables, a pasted table.

Three readers (``docx_blocks``, ``pdf_blocks``, ``pasted_blocks``) turn a document into blocks
of text and tables; ``source_rows`` reads the blocks as the plan's table (headings
« ORIENTATION 1 … » above a table give the orientation, merged or empty cells carry the
objective down, a bulleted cell gives one indicator per item, footnotes ``*`` become notes);
``propose`` unpacks each year's packed cell (``2 Min 2 2 20 1``) into one target per indicator
with the target grammar, and flags every cell a person must decide. ``proposal_dataset`` turns
the proposal into the spreadsheet import's format: the write goes through ``plan_import``, the
one import service, whatever the reader.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import tablib
from django.utils.translation import gettext as _

from indicators import targets as tl
from indicators.models import Indicator, fiscal_year_label
from indicators.plan_import import (
    COL_ACTION,
    COL_INDICATOR,
    COL_NOTE,
    COL_OBJECTIVE,
    COL_ORIENTATION,
    split_code,
    year_from_header,
)

TO_DECIDE = "À déterminer"
DOCUMENT_SUFFIXES = {".docx", ".pdf", ".tsv"}  # .txt and .csv stay spreadsheets
EMPTY_MARKS = {"-", "—", "–", "s.o."}
SIGNS = {"+", "-", "±", "–", "—", "−"}
LEADING_WORDS = SIGNS | {"min", "min.", "max", "max.", "≥", "≤", ">", "<"}
MAX_TOKENS = 24  # a packed cell longer than this is left to a person, not enumerated
HEADER_WORDS = {"cibles", "cible", "objectifs", "actions", "indicateurs"}

_YEAR_IN_CELL = re.compile(r"\b(\d{2}(?:\d{2})?\s*-\s*\d{2}(?:\d{2})?)\b")
_HEADING = re.compile(r"^(?:ORIENTATION|AXE|ENJEU)\s+(\w{1,3})\b[\s.:–—-]*(.*)$", re.I)
_BULLET = re.compile(r"^[\s•·▪◦●○■\-–\u2022\uf0b7]+")
_FOOTNOTE = re.compile(r"^\\?(\*+)\s*(\S.*)$", re.S)


# --- blocks: what every reader yields --------------------------------------------------------

@dataclass
class Block:
    """A paragraph (``text``) or a table (``rows``, ``None`` for a merged continuation)."""

    text: str = ""
    rows: list[list[str | None]] | None = None


def docx_blocks(content: bytes) -> Iterator[Block]:
    """Paragraphs and tables of a Word document, in document order.

    python-docx repeats a vertically merged cell on every row it spans, which carries an
    objective spanning four actions down by itself; a cell's paragraphs stay on their own
    lines so a bulleted list gives one indicator per item."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(content))
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield Block(text=Paragraph(child, document).text)
        elif tag == "tbl":
            table = Table(child, document)
            rows = []
            for row in table.rows:
                cells, seen = [], set()
                for cell in row.cells:
                    # a horizontally merged cell comes back once per grid column
                    key = id(cell._tc)
                    cells.append(None if key in seen else
                                 "\n".join(p.text for p in cell.paragraphs))
                    seen.add(key)
                rows.append(cells)
            yield Block(rows=rows)


def pdf_blocks(content: bytes) -> Iterator[Block]:
    """Lines above each table, the table, then the lines below it, page by page."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for page in pdf.pages:
            tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])

            def outside(obj, boxes=tuple(t.bbox for t in tables)):
                x = (obj["x0"] + obj["x1"]) / 2
                y = (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

            lines = page.filter(outside).extract_text_lines() if tables else \
                page.extract_text_lines()
            pending = sorted(lines, key=lambda line: line["top"])
            for table in tables:
                while pending and pending[0]["top"] < table.bbox[1]:
                    yield Block(text=pending.pop(0)["text"])
                yield Block(rows=table.extract())
            for line in pending:
                yield Block(text=line["text"])


def pasted_blocks(text: str) -> Iterator[Block]:
    """A table pasted from Word, Excel or a PDF viewer: one row a line, cells split by tabs.

    A line without a tab is a paragraph (a heading or a footnote)."""
    rows: list[list[str | None]] = []
    for cells in csv.reader(io.StringIO(text.replace("\r\n", "\n")), delimiter="\t"):
        if len(cells) > 1:
            rows.append(list(cells))
            continue
        if rows:
            yield Block(rows=rows)
            rows = []
        if cells and cells[0].strip():
            yield Block(text=cells[0])
    if rows:
        yield Block(rows=rows)


def document_blocks(content: bytes, filename: str) -> list[Block]:
    """The blocks of a .docx, .pdf or pasted-text (.txt/.tsv) document."""
    suffix = Path(filename).suffix.lower()
    try:
        if suffix == ".docx":
            return list(docx_blocks(content))
        if suffix == ".pdf":
            return list(pdf_blocks(content))
    except Exception as exc:  # a corrupt or renamed file: zip, XML or PDF parser errors
        raise ValueError(_("Ce document n'est pas lisible (%(name)s).")
                         % {"name": Path(filename).name}) from exc
    if suffix in {".txt", ".tsv"}:
        return list(pasted_blocks(content.decode("utf-8-sig", errors="replace")))
    raise ValueError(_("Format de document non pris en charge : %(ext)s (docx, pdf ou texte).")
                     % {"ext": suffix or filename})


# --- source rows: the document's table, one row per action -----------------------------------

@dataclass
class SourceRow:
    """One action row of the document's table, as printed."""

    line: int
    orientation: str
    objective: str
    action: str
    indicators: list[str]
    indicator_cell: str
    cells: dict[int, str]


def _flat(text: str | None) -> str:
    return " ".join((text or "").split())


def indicator_labels(cell: str) -> list[str]:
    """A cell's indicators: one per bullet, line or ``;``-separated item.

    Lines that do not end an item (a label wrapped over two lines in a PDF) are joined."""
    items: list[str] = []
    current = ""
    for raw_line in (cell or "").split("\n"):
        line = _BULLET.sub("", raw_line).strip()
        if not line:
            continue
        bulleted = line != raw_line.strip()
        if current and bulleted:
            items.append(current)
            current = ""
        current = f"{current} {line}".strip()
        if current.endswith((";", ".", ":")):
            items.append(current)
            current = ""
    if current:
        items.append(current)
    labels = []
    for item in items:
        labels += [part.strip().rstrip(".:;").strip() for part in item.split(";")]
    return [label for label in labels if label]


def _header_map(row: list[str | None]) -> tuple[dict[str, int], dict[int, int]]:
    columns: dict[str, int] = {}
    years: dict[int, int] = {}
    for index, cell in enumerate(row):
        key = tl.normalize(_flat(cell))
        for word, name in (("orientation", COL_ORIENTATION), ("objectif", COL_OBJECTIVE),
                           ("action", COL_ACTION), ("indicateur", COL_INDICATOR)):
            if key.startswith(word) and name not in columns:
                columns[name] = index
        match = _YEAR_IN_CELL.search(_flat(cell))
        if match:
            year = year_from_header(match.group(1).replace(" ", ""))
            if year is not None:
                years[index] = year
    return columns, years


def _continues(previous: SourceRow, action_text: str) -> bool:
    """Whether a row carries on ``previous``: no action of its own, or an action without the
    code every action so far had (its words cut off by a page break)."""
    if not action_text:
        return True
    return bool(split_code(previous.action)[0]) and not split_code(action_text)[0]


def _extend(previous: SourceRow, objective: str, action: str, indicator_cell: str,
            cells: dict[int, str]) -> None:
    if objective and not split_code(objective)[0]:
        previous.objective = f"{previous.objective} {objective}"
    if action:
        previous.action = f"{previous.action} {action}"
    if indicator_cell:
        previous.indicator_cell = f"{previous.indicator_cell}\n{indicator_cell}"
        previous.indicators = indicator_labels(previous.indicator_cell)
    for year, text in cells.items():
        if text:
            previous.cells[year] = f"{previous.cells.get(year, '')} {text}".strip()


@dataclass
class SourceDocument:
    rows: list[SourceRow] = field(default_factory=list)
    footnotes: dict[str, str] = field(default_factory=dict)
    years: list[int] = field(default_factory=list)


def source_rows(blocks: Iterable[Block]) -> SourceDocument:
    """Read the blocks as a plan's table (see the module's docstring)."""
    document = SourceDocument()
    orientation = ""
    awaiting_title = False
    columns: dict[str, int] = {}
    years: dict[int, int] = {}
    objective = action = ""
    line = 0
    for block in blocks:
        if block.rows is None:
            text = _flat(block.text)
            if not text:
                continue
            footnote = _FOOTNOTE.match(text)
            heading = _HEADING.match(text)
            if footnote and not heading:
                document.footnotes.setdefault(footnote.group(1), footnote.group(2).strip())
            elif heading:
                code, title = heading.group(1), heading.group(2).strip()
                orientation = f"{code} {title}".strip()
                awaiting_title = not title
            elif awaiting_title:
                orientation = f"{orientation} {text}"
                awaiting_title = False
            continue
        awaiting_title = False
        for row in block.rows:
            found_columns, found_years = _header_map(row)
            if COL_INDICATOR in found_columns and (found_years or years):
                columns = found_columns
                years = found_years or years
                continue
            if found_years and not found_columns and all(
                    tl.normalize(_flat(row[i])) in {"", "cibles"}
                    for i in range(len(row)) if i not in found_years):
                years = found_years  # a second header row: « 24-25 | 25-26 | 26-27 »
                continue
            if COL_INDICATOR not in columns or any(
                    tl.normalize(_flat(c)) in HEADER_WORDS for c in row):
                continue  # before the header, or the top row of the next table's header

            def cell(name: str, row=row, columns=columns) -> str | None:
                index = columns.get(name)
                return row[index] if index is not None and index < len(row) else None

            if _flat(cell(COL_ORIENTATION)):
                orientation = _flat(cell(COL_ORIENTATION))
            objective_text, action_text = _flat(cell(COL_OBJECTIVE)), _flat(cell(COL_ACTION))
            indicator_cell = (cell(COL_INDICATOR) or "").strip()
            cells = {year: _flat(row[index]) if index < len(row) else ""
                     for index, year in years.items()}
            previous = document.rows[-1] if document.rows else None
            if previous and _continues(previous, action_text):
                # the rest of a row a page break cut (PDF), or a merged action cell
                _extend(previous, objective_text, action_text, indicator_cell, cells)
                objective = previous.objective
                continue
            if objective_text:
                objective = objective_text
            labels = indicator_labels(indicator_cell)
            if not labels:
                continue
            action = action_text or action
            line += 1
            document.rows.append(SourceRow(
                line=line, orientation=orientation, objective=objective, action=action,
                indicators=labels, indicator_cell=indicator_cell, cells=cells))
        for year in years.values():
            if year not in document.years:
                document.years.append(year)
    document.years.sort()
    return document


# --- unpacking packed target cells -----------------------------------------------------------

LABEL_UNITS = (
    (("nb ", "nombre"), Indicator.Unit.COUNT),
    (("taux", "pourcentage", "proportion", "%"), Indicator.Unit.PERCENT),
    (("temps", "duree", "delai"), Indicator.Unit.DURATION),
    (("montant", "budget"), Indicator.Unit.MONEY),
)


def label_unit(label: str) -> str | None:
    """The unit an indicator's label announces (« Nb de … », « Taux de … »), or None."""
    key = tl.normalize(label)
    for starts, unit in LABEL_UNITS:
        if key.startswith(starts):
            return unit
    return None


# « 5 m » in a plan's cell: the grammar refuses a lone « m » (metres or minutes?); beside an
# indicator whose label announces a duration (« Temps d'engagement »), it is minutes.
_LONE_M = re.compile(r"(\d)\s*m\.?$")


def minutes_spelled(text: str) -> str:
    """``5 m`` → ``5 min`` (for a duration indicator only: see :func:`unpack_row`)."""
    return _LONE_M.sub(r"\1 min", text.strip())


def _reading(text: str) -> tl.TargetReading | None:
    """The reading of ``text``, a lone « m » read as minutes (``_fits`` then keeps such a
    target for a duration indicator only)."""
    for candidate in dict.fromkeys((text, minutes_spelled(text))):
        try:
            return tl.parse_target(candidate)
        except tl.TargetSyntaxError:
            continue
    return None


def is_empty_mark(text: str) -> bool:
    return text.strip() in EMPTY_MARKS


def split_candidates(cell: str, count: int) -> list[list[str]]:
    """Every way to cut ``cell`` into ``count`` readable targets (``—`` for none), in order.

    A target may span several tokens (``Min 2``, ``+ 5 %``, ``80 % et plus``)."""
    tokens = cell.split()
    if not tokens:
        return [[""] * count]
    if count == 1:
        text = " ".join(tokens)
        return [[text]] if is_empty_mark(text) or _reading(text) else []
    if len(tokens) < count or len(tokens) > MAX_TOKENS:
        return []
    readable: dict[tuple[int, int], bool] = {}

    def ok(start: int, end: int) -> bool:
        if (start, end) not in readable:
            text = " ".join(tokens[start:end])
            # a sign or « Min » belongs to the number after it: « + 5% + », « 1 Min » are not
            last = tokens[end - 1]
            # … unless a lowercase « min » follows a number: « 5 min » may be a duration (the
            # indicators' units decide, in _fits), where « 2 Min 2 » is « 2 » then « Min 2 »
            dangling_sign = end - start > 1 and last.lower() in LEADING_WORDS and not (
                last in DURATION_WORDS and NUMBER.match(tokens[end - 2]))
            readable[start, end] = is_empty_mark(text) or (
                not dangling_sign and _reading(text) is not None)
        return readable[start, end]

    found = []
    for cuts in itertools.combinations(range(1, len(tokens)), count - 1):
        bounds = (0, *cuts, len(tokens))
        if all(ok(a, b) for a, b in zip(bounds, bounds[1:], strict=False)):
            found.append([" ".join(tokens[a:b]) for a, b in zip(bounds, bounds[1:],
                                                                   strict=False)])
    return found


DURATION_WORDS = {"s", "sec", "m", "min", "mn", "h", "heure", "heures", "minutes"}
NUMBER = re.compile(r"^[+\-]?\d+(?:[.,]\d+)?$")


def _duration_marks(text: str) -> tuple[bool, bool]:
    """(a duration word follows a number, the text starts with a dangling unit word)."""
    tokens = [t.strip(".").lower() for t in text.split()]
    follows = any(t in DURATION_WORDS and i and NUMBER.match(tokens[i - 1])
                  for i, t in enumerate(tokens))
    dangling = bool(tokens) and tokens[0] in DURATION_WORDS - {"min"}
    return follows, dangling


def _fits(split: list[str], units: list[str | None]) -> bool:
    """Whether each target suits its indicator's announced unit.

    A duration word (``s``, ``m``, ``min`` after a number) goes to a duration only: the
    grammar reads ``2400 s`` as the count 2 400, but next to a count indicator that ``s`` is a
    doubt; and a unit never comes before its number (« s 56% »)."""
    for index, (text, unit) in enumerate(zip(split, units, strict=True)):
        after = split[index + 1].split() if index + 1 < len(split) else []
        if (unit == Indicator.Unit.DURATION and text.split() and NUMBER.match(text.split()[-1])
                and after and after[0].strip(".").lower() in DURATION_WORDS):
            # « 5 min 30 p. » beside a duration: the « min » is the duration's unit, not the
            # next target's « Min » (at least).
            return False
        follows, dangling = _duration_marks(text)
        if dangling:
            return False
        if not text or is_empty_mark(text) or unit is None:
            continue
        reading = _reading(text)
        if reading is None or tl.reading_unit_error(reading, unit):
            return False
        if unit != Indicator.Unit.DURATION and follows:
            return False
    return True


def _shape(split: list[str]) -> tuple:
    """What each position holds (kind and unit), to compare a split with other years'."""
    shape = []
    for text in split:
        reading = None if is_empty_mark(text) or not text else _reading(text)
        shape.append((reading.kind, reading.unit) if reading else None)
    return tuple(shape)


@dataclass
class ProposedTarget:
    """One indicator's target for one year, as proposed, with the cell it was read from."""

    year: int
    text: str
    source: str
    reading: str = ""
    problem: str = ""

    @property
    def flagged(self) -> bool:
        return bool(self.problem)

    @property
    def year_label(self) -> str:
        return fiscal_year_label(self.year)


@dataclass
class ProposedRow:
    """One indicator of the proposed plan, with its action's row in the document."""

    line: int
    orientation: str
    objective: str
    action: str
    label: str
    source_label: str
    indicator_cell: str
    note: str
    targets: list[ProposedTarget]
    dropped: bool = False

    @property
    def flagged(self) -> bool:
        return any(t.flagged for t in self.targets)


def describe(text: str) -> str:
    """How the target grammar reads ``text``, for a person to check."""
    if not text or is_empty_mark(text):
        return _("aucune cible")
    try:
        return tl.render_shown(tl.parse_target(text))
    except tl.TargetSyntaxError as exc:
        return exc.reason


def unpack_row(row: SourceRow) -> list[list[ProposedTarget]]:
    """The targets of each indicator of ``row``, year by year, flagged where in doubt."""
    count = len(row.indicators)
    units = [label_unit(label) for label in row.indicators]
    candidates = {year: [s for s in split_candidates(cell, count) if _fits(s, units)]
                  for year, cell in row.cells.items()}
    settled_shapes = {_shape(c[0]) for c in candidates.values() if len(c) == 1}
    per_indicator: list[list[ProposedTarget]] = [[] for _ in range(count)]
    for year, cell in row.cells.items():
        found = candidates[year]
        if len(found) > 1 and settled_shapes:
            alike = [s for s in found if _shape(s) in settled_shapes]
            found = alike or found
        problem = ""
        if not found:
            problem = _("la cellule « %(cell)s » ne se découpe pas en %(count)s cibles "
                        "lisibles, une par indicateur") % {"cell": cell, "count": count}
        elif len(found) > 1:
            problem = _("plusieurs découpages possibles : %(splits)s") % {
                "splits": " ; ".join(" | ".join(s) for s in found[:4])}
        for index in range(count):
            if problem:
                text = ""
            else:
                text = found[0][index]
                text = "" if is_empty_mark(text) else text
                if units[index] == Indicator.Unit.DURATION:
                    text = minutes_spelled(text)  # written as the grammar reads it
            per_indicator[index].append(ProposedTarget(
                year=year, text=text, source=cell, problem=problem,
                reading="" if problem else describe(text)))
    return per_indicator


def _default_orientation(row: SourceRow) -> str:
    """A table without a heading above it: the orientation is named after the objective's
    first code number (« 1.2 » → « 1 Orientation 1 »), for the person to rename."""
    code = (split_code(row.objective)[0] or split_code(row.action)[0] or "1").split(".")[0]
    return f"{code} " + _("Orientation %(code)s") % {"code": code}


def propose(document: SourceDocument) -> list[ProposedRow]:
    """The proposed plan: one row per indicator, targets unpacked, doubts flagged."""
    proposed = []
    for row in document.rows:
        for label, targets in zip(row.indicators, unpack_row(row), strict=True):
            marks = re.search(r"(\*+)$", label)
            note = ""
            if marks and marks.group(1) in document.footnotes:
                note = _("Astérisque du plan : « %(text)s »") % {
                    "text": document.footnotes[marks.group(1)].rstrip(". ")}
            proposed.append(ProposedRow(
                line=row.line, orientation=row.orientation or _default_orientation(row),
                objective=row.objective,
                action=row.action, label=label.rstrip("*").strip(), source_label=label,
                indicator_cell=row.indicator_cell, note=note, targets=targets))
    return proposed


def read_document(content: bytes, filename: str) -> tuple[list[ProposedRow], list[int]]:
    """A document's proposed plan and its years (ValueError when no plan table is found)."""
    document = source_rows(document_blocks(content, filename))
    if not document.rows:
        raise ValueError(_("Aucun tableau de plan trouvé : il faut un tableau dont l'en-tête "
                           "nomme les indicateurs et les années (« Indicateurs », « 24-25 »)."))
    return propose(document), document.years


def read_pasted(text: str) -> tuple[list[ProposedRow], list[int]]:
    return read_document(text.encode("utf-8"), "collé.txt")


# --- the proposal in the import's format ----------------------------------------------------

def needs_decision(rows: Iterable[ProposedRow]) -> list[ProposedRow]:
    return [row for row in rows if row.flagged and not row.dropped]


def proposal_dataset(rows: Iterable[ProposedRow], years: list[int], *,
                     accept_flagged: bool = False) -> tablib.Dataset:
    """The proposal as the spreadsheet import reads it (dropped rows left out).

    With ``accept_flagged`` an undecided target is written « À déterminer », its source cell
    in the note, to be settled on the target revision page; without it, a flagged row is an
    error (the caller asks a person first)."""
    headers = [COL_ORIENTATION, COL_OBJECTIVE, COL_ACTION, COL_INDICATOR]
    headers += [fiscal_year_label(y) for y in years] + [COL_NOTE]
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        if row.dropped:
            continue
        if row.flagged and not accept_flagged:
            raise ValueError(_("Ligne %(line)s (%(label)s) : une cible reste à décider.")
                             % {"line": row.line, "label": row.label})
        by_year = {t.year: t for t in row.targets}
        notes = [row.note] if row.note else []
        cells = []
        for year in years:
            target = by_year.get(year)
            if target is None:
                cells.append("")
            elif target.flagged:
                cells.append(TO_DECIDE)
                notes.append(_("Cellule %(year)s du document : « %(cell)s »") % {
                    "year": fiscal_year_label(year), "cell": target.source})
            else:
                cells.append(target.text)
        dataset.append([row.orientation, row.objective, row.action, row.label, *cells,
                        " ".join(notes)])
    return dataset


def review_lines(rows: list[ProposedRow]) -> Iterator[str]:
    """The review as text, for ``manage.py import_plan --dry-run``."""
    action = None
    for row in rows:
        if row.action != action:
            action = row.action
            yield f"[{row.line}] {row.action}"
        mark = "!" if row.flagged else " "
        yield f" {mark} {row.label}"
        for target in row.targets:
            if target.flagged:
                yield "     " + _("%(year)s : À DÉCIDER, %(problem)s") % {
                    "year": target.year_label, "problem": target.problem}
            else:
                yield (f"     {target.year_label} : « {target.text or '—'} » ← "
                       f"« {target.source} » ({target.reading})")


def rows_to_json(rows: list[ProposedRow]) -> list[dict]:
    return [asdict(row) for row in rows]


def rows_from_json(data: list[dict]) -> list[ProposedRow]:
    rows = []
    for item in data:
        item = dict(item)
        item["targets"] = [ProposedTarget(**t) for t in item["targets"]]
        rows.append(ProposedRow(**item))
    return rows
