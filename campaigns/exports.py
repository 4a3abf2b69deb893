"""The follow-up board as CSV: its columns declared once, its rows the page's rows in the
page's order."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign
from campaigns.selectors import BoardRow
from indicators.formatting import person_name
from indicators.spreadsheets import Export
from reporting.writers import write_csv


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[BoardRow], object]


BOARD_COLUMNS = (
    Column(gettext_lazy("Pôle"), lambda row: row.pole.name),
    Column(gettext_lazy("État"), lambda row: row.state_text),
    Column(gettext_lazy("Résultats saisis"), lambda row: row.entered),
    Column(gettext_lazy("Indicateurs"), lambda row: row.total),
    Column(gettext_lazy("Échéance"), lambda row: row.due),
    Column(gettext_lazy("Jours restants (négatif : en retard)"), lambda row: row.days),
    Column(gettext_lazy("Dernière activité"), lambda row: row.last_activity),
    Column(gettext_lazy("Personnes à joindre"),
           lambda row: ", ".join(f"{person_name(u)} <{u.email}>" for u in row.contacts)),
    Column(gettext_lazy("Prolongation"),
           lambda row: row.extension.reason if row.extension else ""),
)


def board_rows_export(rows: list[BoardRow]) -> Iterator[list]:
    yield [str(column.header) for column in BOARD_COLUMNS]
    for row in rows:
        yield [column.value(row) for column in BOARD_COLUMNS]


def board_csv(campaign: Campaign, rows: list[BoardRow]) -> Export:
    return Export(_("suivi-reddition-%(year)s.csv") % {"year": campaign.year_label},
                  "text/csv; charset=utf-8", write_csv(board_rows_export(rows)))
