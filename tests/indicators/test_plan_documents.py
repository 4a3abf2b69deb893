"""A plan read from its document (Word, PDF, pasted table), unpacked, reviewed, then imported
through the spreadsheet import."""

import csv
import importlib.util
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from indicators.models import Action, Indicator, Plan, Pole, Target
from indicators.plan_documents import (
    TO_DECIDE,
    indicator_labels,
    needs_decision,
    proposal_dataset,
    read_pasted,
    split_candidates,
)
from indicators.plan_import import plan_import
from tests.conftest import make_plan

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "fixtures" / "plans" / "monteregie-2024-2027.csv"
YEARS = {2024: "2024-2025", 2025: "2025-2026", 2026: "2026-2027"}


def _seed_documents():
    spec = importlib.util.spec_from_file_location("seed_documents",
                                                  ROOT / "scripts" / "seed_documents.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("cell", "count", "expected"), [
    ("2 Min 2 2 20 1", 5, [["2", "Min 2", "2", "20", "1"]]),
    ("1 Min 2 2 30", 4, [["1", "Min 2", "2", "30"]]),
    ("+10% +10%", 2, [["+10%", "+10%"]]),
    ("4 16 + 5% + 5%", 4, [["4", "16", "+ 5%", "+ 5%"]]),
    ("— 60 200 20", 4, [["—", "60", "200", "20"]]),
    ("1 100 5 m 30 p.", 4, None),  # several cuts; the units decide (see below)
    ("2", 2, []),
    ("", 3, [["", "", ""]]),
])
def test_a_packed_cell_is_cut_into_one_readable_target_per_indicator(cell, count, expected):
    found = split_candidates(cell, count)
    if expected is None:
        assert ["1", "100", "5 m", "30 p."] in found
    else:
        assert found == expected


def test_the_indicator_units_choose_between_cuts_and_a_stray_unit_is_flagged():
    rows, _years = read_pasted(
        "Objectifs\tActions\tIndicateurs\t24-25\t25-26\n"
        "1.1 Objectif\t1.1.1 Site web\tNb de visites; Temps d'engagement; Taux de conversion"
        "\t100 5 m 30 p.\t+ 10% + 10% + 10%\n"
        "\t1.1.2 Site\tNb de visites; Taux d'engagement\t2400 s 56%\t+10% +10%\n")
    site = {row.label: row for row in rows if row.action.startswith("1.1.1")}
    # the plan's « 5 m », beside a duration, is written as the grammar reads it; a bare
    # « + 10% » on a rate is ambiguous (points or percent?): that year's cell is flagged
    assert [t.text for t in site["Temps d'engagement"].targets] == ["5 min", ""]
    assert [t.text for t in site["Taux de conversion"].targets] == ["30 p.", ""]
    assert site["Taux de conversion"].targets[1].flagged
    second = [row for row in rows if row.action.startswith("1.1.2")]
    assert [t.flagged for t in second[0].targets] == [True, True]  # « +10% » on a rate too
    assert "2400 s 56%" in second[0].targets[0].problem
    assert second[1].targets[1].flagged and second[1].targets[1].text == ""


def test_counts_that_disagree_flag_the_row_for_a_person():
    rows, _years = read_pasted(
        "Objectifs\tActions\tIndicateurs\t24-25\t25-26\n"
        "3.1 Objectif\t3.1.2 Exploration\tProduction d'un état de situation; Nouveaux "
        "partenariats\t1 1\t2\n")
    assert [t.text for t in rows[1].targets] == ["1", ""]
    assert rows[1].targets[1].flagged
    assert "« 2 »" in rows[1].targets[1].problem
    assert needs_decision(rows) == rows


def test_bullets_lines_and_semicolons_each_give_one_indicator():
    assert indicator_labels("• Nb de projets;\n• Nb\nd'établissements*;\n• Nb de personnes "
                            "touchées lors des\ntransferts.") == [
        "Nb de projets", "Nb d'établissements*", "Nb de personnes touchées lors des transferts"]
    assert indicator_labels("Nb d'ententes actives; Nb d'établissements impliqués.") == [
        "Nb d'ententes actives", "Nb d'établissements impliqués"]


def test_a_pasted_table_gives_orientation_from_its_heading_carries_objectives_and_keeps_notes():
    rows, years = read_pasted(
        "ORIENTATION 2\nValoriser le numérique\n"
        "OBJECTIFS\tACTIONS\tINDICATEURS\t24-25\t25-26\t26-27\n"
        "2.1 Identifier\t2.1.1 Cartographie\tCartographie réalisée.\t1\tMise à jour\tMise à jour\n"
        "\t2.1.2 Ententes\tNb d'ententes; Nb d'établissements*\t3 2\t4 4\t5 5\n"
        "*Selon le cas, Nb d'étudiants.\n")
    assert years == [2024, 2025, 2026]
    assert {row.orientation for row in rows} == {"2 Valoriser le numérique"}
    assert {row.objective for row in rows} == {"2.1 Identifier"}
    establishments = rows[-1]
    assert establishments.label == "Nb d'établissements"
    assert "Selon le cas, Nb d'étudiants" in establishments.note
    assert [t.text for t in establishments.targets] == ["2", "4", "5"]


def test_a_flagged_row_is_written_only_as_to_be_decided_with_its_cell_in_the_note(db):
    plan = make_plan(first_year=2024, last_year=2025)
    rows, years = read_pasted(
        "Objectifs\tActions\tIndicateurs\t24-25\t25-26\n"
        "1.1 Objectif\t1.1.1 Action\tNb de projets; Nb de visites\t1 1\t2\n")
    with pytest.raises(ValueError):
        proposal_dataset(rows, years)
    outcome = plan_import(plan=plan, dataset=proposal_dataset(rows, years, accept_flagged=True))
    assert outcome.ok, outcome.errors
    target = Target.objects.get(indicator__label="Nb de visites", year=2025)
    assert target.text == TO_DECIDE
    assert "« 2 »" in target.note


def test_a_document_that_needs_decisions_writes_nothing_without_accept_flagged(db, tmp_path):
    path = tmp_path / "plan.tsv"
    path.write_text("Objectifs\tActions\tIndicateurs\t24-25\t25-26\n"
                    "1.1 Objectif\t1.1.1 Action\tNb de projets; Nb de visites\t1 1\t2\n")
    with pytest.raises(CommandError, match="--accept-flagged"):
        call_command("import_plan", str(path), "--pole", "neuf", "--pole-name", "Neuf",
                     "--years", "2024-2026")
    assert not Pole.objects.filter(code="neuf").exists()
    call_command("import_plan", str(path), "--pole", "neuf", "--pole-name", "Neuf",
                 "--years", "2024-2026", "--dry-run")
    assert not Pole.objects.filter(code="neuf").exists()


# --- the proof: Montérégie's plan rebuilt as a document imports as the shipped plan ------------

@pytest.fixture(scope="module")
def monteregie_documents(tmp_path_factory):
    seed_documents = _seed_documents()
    outdir = tmp_path_factory.mktemp("documents")
    docx_path = seed_documents.build_docx(outdir / "monteregie.docx",
                                          seed_documents.fixture_actions())
    # LibreOffice prints the PDF (scripts/test installs it when missing)
    return {"docx": docx_path, "pdf": seed_documents.build_pdf(docx_path, outdir)}


def _fixture_targets() -> dict[tuple[str, str], dict[int, str]]:
    with FIXTURE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    # a list item's closing « . » is the document's punctuation, not the label's
    return {(r["Action"].split()[0], r["Indicateur"].rstrip(".")): {
        y: r[h] for y, h in YEARS.items()} for r in rows}


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_monteregie_document_imports_as_the_shipped_plan(db, monteregie_documents, kind,
                                                         capsys):
    path = monteregie_documents[kind]
    call_command("import_plan", str(path), "--pole", "test", "--pole-name", "Test",
                 "--years", "2024-2027", "--accept-flagged")
    output = capsys.readouterr().out
    plan = Plan.objects.get(pole__code="test")
    assert Action.objects.filter(objective__orientation__plan=plan).count() == 23
    indicators = Indicator.objects.filter(action__objective__orientation__plan=plan)
    # 78 as printed: the shipped file makes 79, splitting 1.2.2's second indicator in two
    assert indicators.count() == 78
    expected = _fixture_targets()
    same, flagged, different = 0, [], []
    stored = defaultdict(dict)
    for target in Target.objects.filter(indicator__in=indicators).select_related(
            "indicator__action"):
        stored[target.indicator.action.code, target.indicator.label][target.year] = target
    for key, years in expected.items():
        if key not in stored and key[0] == "1.2.2":
            continue  # the shipped file's two readings of 1.2.2's second indicator
        for year, text in years.items():
            target = stored[key].get(year)
            if target is not None and target.text == TO_DECIDE:
                flagged.append((key, year))
            elif (target.text if target else "") == text:
                same += bool(text)
            else:
                different.append((key, year, text, target and target.text))
    assert different == []
    # 3.1.2 in 2025-2026 and 2026-2027 (one value for two indicators), 1.2.2's « 2400 s »,
    # and 1.2.2's « +10% +10% » in 2025-2026 and 2026-2027: on a rate, a bare « +10 % » is
    # ambiguous (10 points, or 10 % of the rate?) since the target language refuses to guess
    # (issue 23), so a person decides.
    assert len(flagged) == 7
    # Of the shipped file's 230 target texts, 227 sit on indicators the document prints (the
    # file's « 56% » and two « +10% » sit on the indicators it made of 1.2.2's second one):
    # 222 read identically without help, the rest flagged.
    assert same == 222
    to_decide = Target.objects.filter(indicator__in=indicators, text=TO_DECIDE)
    assert to_decide.count() == 10  # 5 cells, every target of a flagged cell
    assert "10 cibles à décider" in output
    assert all("Cellule" in t.note for t in to_decide)
