"""Importing an existing activity log (xlsx or csv, French headers) into a pôle's register.

All or nothing: every row is read and checked first; any problem aborts the whole import and
every problem is listed with its spreadsheet line (« Ligne 4 : … »). Organisation names go
through :func:`register.matching.match_organisation`: a name that matches several directory
entries, or none, is an error rather than a guess. ``fixtures/register/exemple-registre.csv``
documents the format by example.

The register remembers what it holds: a row whose « Référence » names an activity of the pôle
updates it (history kept, version moved only on a change) instead of adding another; a row
without reference identical to an activity already there is a duplicate, reported with its
line and skipped unless the person confirms. Importing the same file twice leaves one copy.
Numbers are read by :func:`indicators.numbers.parse_number` (the entry page's strict reader)
and text with control characters is refused, each with its line and column.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import boundary
from indicators.formatting import format_percent
from indicators.models import Pole
from indicators.numbers import CONTROL_CHARACTERS, NumberError, cell_number_text, parse_number
from indicators.plan_import import load_dataset
from register.forms import pole_actions
from register.guards import activity_feeds_unsaved
from register.matching import ACRONYM, APPROXIMATE, EXACT, Matcher, MatchResult, normalize
from register.models import Activity, ActivityKind, Organisation
from register.services import (
    YearLocked,
    activities_create,
    activity_feeds,
    activity_store,
    activity_values,
    check_unlocked,
    locked_by_plan,
    pole_plans,
    register_results_update,
)

COL_TITLE, COL_KIND, COL_STATUS = "Titre", "Type", "Statut"
COL_START, COL_END, COL_ACTIONS = "Début", "Fin", "Actions"
COL_ORGANISATIONS, COL_EVIDENCE, COL_DESCRIPTION = (
    "Établissements et partenaires", "Lien de preuve", "Description")
COL_REFERENCE = "Référence"
# header → model field, for the counts
COUNT_COLUMNS = {
    "Étudiants": "participants_students", "Enseignants": "participants_teachers",
    "Personnel de CPE": "participants_cpe", "SDG": "participants_sdg",
    "Autres participants": "participants_other", "Personnes touchées": "people_reached",
    "Visiteurs": "visitors",
}
REQUIRED = (COL_TITLE, COL_KIND, COL_START)
# Optional columns: an update leaves the field as it is when the file has no such column.
COLUMN_OF = {"status": COL_STATUS, "end_date": COL_END, "evidence_url": COL_EVIDENCE,
             "description": COL_DESCRIPTION}
STATUSES = {normalize(str(label)): value for value, label in Activity.Status.choices}
# Fields already read strictly by this module, or not the file's: not cleaned again per row.
NOT_CLEANED = ["evidence_file", "updated_by", "pole", "kind", "start_date", "end_date",
               "status", "version", *COUNT_COLUMNS.values()]
# A count above this does not fit the database's integer column.
COUNT_MAX = 2_147_483_647

CREATED, UPDATED, UNCHANGED, DUPLICATE = "created", "updated", "unchanged", "duplicate"
DECISIONS = {
    CREATED: gettext_lazy("créée"), UPDATED: gettext_lazy("mise à jour"),
    UNCHANGED: gettext_lazy("inchangée"), DUPLICATE: gettext_lazy("doublon ignoré"),
}


@dataclass
class RowReport:
    """What the import did (or, in a dry run, would do) with one line of the file."""

    line: int
    title: str
    decision: str
    detail: str = ""

    @property
    def label(self) -> str:
        return str(DECISIONS[self.decision])


@dataclass
class NameMatch:
    """How one organisation name of the file (as written there) was read: the directory entry
    retained and how (exact name, acronym, approximate with its score), or none."""

    name: str
    line: int
    organisation: str = ""
    how: str = ""
    score: float = 0
    candidates: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """« exact », « acronyme », « approximatif 92 % », « ambigu » or « inconnu »."""
        if self.how == EXACT:
            return _("exact")
        if self.how == ACRONYM:
            return _("acronyme")
        if self.how == APPROXIMATE:
            return _("approximatif %(score)s") % {
                "score": format_percent(Decimal(round(self.score)) / 100)}
        return _("ambigu") if self.candidates else _("inconnu")

    @property
    def is_sure(self) -> bool:
        return bool(self.organisation)


@dataclass
class ImportOutcome:
    errors: list[str] = field(default_factory=list)
    rows: list[RowReport] = field(default_factory=list)
    dry_run: bool = False
    names: list[NameMatch] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Plain JSON-able data (a background import stores its outcome for the page)."""
        return {"errors": [str(e) for e in self.errors], "dry_run": self.dry_run,
                "rows": [asdict(row) for row in self.rows],
                "names": [asdict(name) for name in self.names]}

    @classmethod
    def from_dict(cls, data: dict) -> ImportOutcome:
        return cls(errors=list(data["errors"]), dry_run=data["dry_run"],
                   rows=[RowReport(**row) for row in data["rows"]],
                   names=[NameMatch(**name) for name in data["names"]])

    @property
    def ok(self) -> bool:
        return not self.errors

    def _count(self, decision: str) -> int:
        return sum(1 for row in self.rows if row.decision == decision)

    @property
    def created(self) -> int:
        return self._count(CREATED)

    @property
    def updated(self) -> int:
        return self._count(UPDATED)

    @property
    def unchanged(self) -> int:
        return self._count(UNCHANGED)

    @property
    def duplicates(self) -> list[RowReport]:
        return [row for row in self.rows if row.decision == DUPLICATE]


@dataclass
class _Row:
    line: int
    activity: Activity
    actions: list
    organisations: list
    reference: str = ""
    # For a row updating a stored activity: its values and what it fed before the file's.
    stored_values: dict | None = None
    stored: Activity | None = None


class UnreadableFile(ValueError):
    """An uploaded file that is not a spreadsheet we can read; the message is French."""


def activity_dataset_load(content: bytes, filename: str):
    """The uploaded register file as a Dataset, or :class:`UnreadableFile` with a French
    message for a corrupt, truncated or mislabelled file (never a traceback)."""
    is_csv = not filename.lower().endswith((".xlsx", ".xlsm"))
    try:
        return load_dataset(content, filename, keep_blank_rows=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl and zipfile raise many types
        if is_csv and type(exc) is ValueError:  # load_dataset's own French messages
            raise UnreadableFile(str(exc)) from None
        raise UnreadableFile(_("« %(name)s » n'est pas lisible : ce n'est pas un classeur "
                               "Excel (.xlsx) ou un fichier CSV valide, ou il est "
                               "endommagé. Enregistrez-le de nouveau depuis le tableur.")
                             % {"name": filename}) from None


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _date(value, line: int, column: str, errors: list[str]) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        errors.append(_("Ligne %(line)s : la date %(column)s « %(value)s » n'est pas lisible "
                        "(attendu AAAA-MM-JJ).") % {"line": line, "column": column,
                                                     "value": text})
        return None


def _count(value, line: int, column: str, errors: list[str]) -> int:
    """A count cell read by the entry page's strict reader; an error names line and column."""
    where = {"line": line, "column": column}
    if isinstance(value, bool):
        errors.append(_("Ligne %(line)s, colonne %(column)s : « %(value)s » n'est pas un "
                        "nombre.") % {**where, "value": value})
        return 0
    text = cell_number_text(value) if isinstance(value, int | float | Decimal) else _text(value)
    if not text:
        return 0
    if text.isascii() and text.isdigit():  # the common case, without the full reader
        if int(text) > COUNT_MAX:
            errors.append(_("Ligne %(line)s, colonne %(column)s : « %(value)s » est trop "
                            "grand.") % {**where, "value": text})
            return 0
        return int(text)
    try:
        number = parse_number(text)
    except NumberError as exc:
        errors.append(_("Ligne %(line)s, colonne %(column)s : %(message)s")
                      % {**where, "message": exc.message})
        return 0
    if number < 0 or number != number.to_integral_value():
        errors.append(_("Ligne %(line)s, colonne %(column)s : « %(value)s » n'est pas un "
                        "nombre entier positif.") % {**where, "value": text})
        return 0
    if number > COUNT_MAX:
        errors.append(_("Ligne %(line)s, colonne %(column)s : « %(value)s » est trop grand.")
                      % {**where, "value": text})
        return 0
    return int(number)


def _control_characters(raw: dict, line: int) -> list[str]:
    """Every text cell of the row holding a NUL or another control character, by column."""
    return [_("Ligne %(line)s, colonne %(column)s : le texte contient un caractère de contrôle "
              "invisible qui ne peut pas être enregistré ; retirez-le.")
            % {"line": line, "column": column}
            for column, value in raw.items()
            if isinstance(value, str) and CONTROL_CHARACTERS.search(value)]


def _split(value) -> list[str]:
    return [part.strip() for part in _text(value).replace("\n", ";").split(";") if part.strip()]


def _blank(raw: dict) -> bool:
    return all(_text(value) == "" for value in raw.values())


Progress = Callable[[int, int], None]


def activity_rows_read(dataset, *, pole: Pole, progress: Progress | None = None,
                       ) -> tuple[list[_Row], list[str], list[NameMatch]]:
    """Every row as an unsaved activity with its links, every problem found, and how each
    distinct organisation name was matched. The directory, actions, kinds and the pôle's
    activities with a reference are read once (a fixed number of queries whatever the size);
    each distinct name is matched once. ``progress(done, total)`` is called now and then.

    A row's line is its line in the file, the header being line 1; blank lines are skipped
    but counted."""
    errors: list[str] = []
    headers = [_text(h) for h in (dataset.headers or [])]
    missing = [h for h in REQUIRED if h not in headers]
    if missing:
        return [], [_("Ligne 1 : colonnes manquantes : %(cols)s.") % {
            "cols": ", ".join(missing)}], []
    kinds = {}
    for kind in ActivityKind.objects.all():
        kinds[normalize(kind.name)] = kind
        kinds[normalize(kind.code)] = kind
    actions_by_code: dict[str, list] = {}
    for action in pole_actions(pole):
        actions_by_code.setdefault(action.code.strip().lower(), []).append(action)
    directory = Matcher(Organisation.objects.offered(pole))
    by_reference = {a.reference: a for a in Activity.objects.filter(pole=pole)
                    .exclude(reference="").select_related("kind")
                    .prefetch_related("actions", "organisations")}
    references: dict[str, int] = {}
    names: dict[str, NameMatch] = {}
    rows = []
    total = len(dataset)
    for index, raw in enumerate(dataset.dict, start=2):
        if progress is not None and index % 500 == 0:
            progress(index - 1, total)
        if _blank(raw):
            continue
        line_errors: list[str] = _control_characters(raw, index)
        reference = _text(raw.get(COL_REFERENCE))
        if reference in references:
            line_errors.append(_("Ligne %(line)s : la référence « %(reference)s » est déjà "
                                 "celle de la ligne %(first)s.") % {
                "line": index, "reference": reference, "first": references[reference]})
        elif reference:
            references[reference] = index
        existing = by_reference.get(reference) if reference else None
        title = _text(raw.get(COL_TITLE))
        if not title:
            line_errors.append(_("Ligne %(line)s : le titre est vide.") % {"line": index})
        kind = kinds.get(normalize(_text(raw.get(COL_KIND))))
        if kind is None:
            line_errors.append(_("Ligne %(line)s : le type « %(value)s » est inconnu.") % {
                "line": index, "value": _text(raw.get(COL_KIND))})
        status_text = normalize(_text(raw.get(COL_STATUS)))
        status = STATUSES.get(status_text) if status_text else Activity.Status.DONE
        if status is None:
            line_errors.append(_("Ligne %(line)s : le statut « %(value)s » est inconnu "
                                 "(prévue, en cours, réalisée ou annulée).") % {
                "line": index, "value": _text(raw.get(COL_STATUS))})
        start = _date(raw.get(COL_START), index, COL_START, line_errors)
        if start is None and _text(raw.get(COL_START)) == "":
            line_errors.append(_("Ligne %(line)s : la date de début est vide.") % {
                "line": index})
        end = _date(raw.get(COL_END), index, COL_END, line_errors)
        counts = {name: _count(raw.get(header), index, header, line_errors)
                  for header, name in COUNT_COLUMNS.items() if header in headers}
        actions = []
        for code in _split(_text(raw.get(COL_ACTIONS)).replace(",", ";")):
            found = actions_by_code.get(code.lower(), [])
            if len(found) != 1:
                line_errors.append(_("Ligne %(line)s : l'action « %(code)s » n'est pas une "
                                     "action du plan.") % {"line": index, "code": code})
            else:
                actions.append(found[0])
        organisations = []
        # An inactive organisation is matched only on the activity that already names it.
        inactive = [o for o in (existing.organisations.all() if existing else ())
                    if not o.is_active]
        matcher = Matcher(directory.candidates + inactive) if inactive else directory
        for name in _split(raw.get(COL_ORGANISATIONS)):
            match = matcher.match(name)
            if name not in names:
                names[name] = _name_match(name, index, match)
            if match.is_sure:
                organisations.append(match.organisation)
            elif match.is_ambiguous:
                line_errors.append(_("Ligne %(line)s : « %(name)s » peut désigner %(names)s ; "
                                     "écrivez le nom complet.") % {
                    "line": index, "name": name,
                    "names": " ; ".join(c.display_name for c in match.candidates)})
            else:
                line_errors.append(_("Ligne %(line)s : « %(name)s » n'est pas au répertoire ; "
                                     "ajoutez-le comme partenaire local d'abord.") % {
                    "line": index, "name": name})
        values = {"kind": kind, "title": title, "status": status or "", "start_date": start,
                  "end_date": end, "evidence_url": _text(raw.get(COL_EVIDENCE)),
                  "description": _text(raw.get(COL_DESCRIPTION)), "reference": reference,
                  **counts}
        stored_values = stored = None
        if existing is not None:
            activity = existing
            stored_values, stored = activity_values(existing), copy.copy(existing)
            # A column left out of the file leaves the activity's value as it is.
            for name, value in values.items():
                if not line_errors and (name in counts or name not in COLUMN_OF
                                        or COLUMN_OF[name] in headers):
                    setattr(activity, name, value)
        else:
            activity = Activity(pole=pole, **values)
        if not line_errors:
            try:
                # In memory, not a query per row: the pôle and kind were read from the
                # database, the reference's uniqueness is checked above, the dates' order by
                # Activity.clean(); counts, dates and status were read strictly above.
                activity.full_clean(exclude=NOT_CLEANED, validate_unique=False,
                                    validate_constraints=False)
            except ValidationError as exc:
                for field_name, messages in exc.message_dict.items():
                    label = (Activity._meta.get_field(field_name).verbose_name
                             if field_name != "__all__" else "")
                    for message in messages:
                        line_errors.append(_("Ligne %(line)s : %(field)s : %(message)s") % {
                            "line": index, "field": label, "message": message})
        errors += line_errors
        rows.append(_Row(index, activity, actions, organisations, reference, stored_values,
                         stored))
    if not rows and not errors:
        errors.append(_("Le fichier ne contient aucune activité."))
    return rows, errors, sorted(names.values(), key=lambda n: normalize(n.name))


def _name_match(name: str, line: int, match: MatchResult) -> NameMatch:
    return NameMatch(name=name, line=line,
                     organisation=match.organisation.display_name if match.is_sure else "",
                     how=match.how, score=match.score,
                     candidates=[] if match.is_sure else [c.display_name
                                                          for c in match.candidates])


def fingerprint(activity: Activity, action_ids, organisation_ids) -> tuple:
    """What makes two activities the same record: title (spacing and case aside), kind,
    dates, status, counts, actions and organisations."""
    counts = tuple(getattr(activity, name) for name in COUNT_COLUMNS.values())
    return (" ".join(activity.title.split()).casefold(), activity.kind_id,
            activity.start_date, activity.end_date, activity.status, counts,
            frozenset(action_ids), frozenset(organisation_ids))


def activities_import(*, pole: Pole, dataset, user, dry_run: bool = False,
                      keep_duplicates: bool = False,
                      progress: Progress | None = None) -> ImportOutcome:
    """Create or update every row's activity, or none: a bad row, or a row that would change
    a submitted or approved year, writes nothing. A row with a known « Référence » updates
    that activity; a row identical to an activity already in the register is skipped (and
    reported) unless ``keep_duplicates``. ``outcome.rows`` says what happened to each line
    (in a dry run, what would), ``outcome.names`` how each organisation name was read.

    Every decision is made in memory first, reading the database a fixed number of times and
    holding no write lock (a dry run stops there); then :func:`activities_write` writes them
    in one service transaction. ``progress(done, total)`` is told along the way (outside the
    transaction, so another connection sees it)."""
    total = len(dataset)
    rows, errors, names = activity_rows_read(
        dataset, pole=pole, progress=(lambda done, _t: progress(done * 3 // 4, total))
        if progress else None)
    outcome = ImportOutcome(errors=errors, dry_run=dry_run, names=names)
    if errors:
        return outcome
    plans = pole_plans(pole)
    known = {fingerprint(a, [x.pk for x in a.actions.all()],
                         [o.pk for o in a.organisations.all()]): a
             for a in Activity.objects.for_pole(pole)}
    planned = _decide(rows, outcome, plans=plans, locked=locked_by_plan(plans), known=known,
                      keep_duplicates=keep_duplicates)
    if outcome.errors or dry_run:
        if outcome.errors:
            outcome.rows = []
        return outcome
    if progress:
        progress(total * 3 // 4, total)
    try:
        activities_write(pole=pole, user=user, plans=plans, planned=planned)
    except _Refused as refused:
        outcome.errors, outcome.rows = refused.errors, []
    return outcome


def _decide(rows: list[_Row], outcome: ImportOutcome, *, plans, locked, known,
            keep_duplicates: bool) -> list[tuple[_Row, set | None, set]]:
    """Each row's decision into ``outcome`` (created, updated, unchanged, duplicate, or an
    error for a locked year); return the rows to write: (row, the years it fed before — None
    for a new activity —, every (plan, year) it touches)."""
    planned = []
    for row in rows:
        activity = row.activity
        updating = row.stored is not None
        detail = (_("référence « %(reference)s »") % {"reference": row.reference}
                  if row.reference else "")
        previous = None
        if updating:
            if row.stored_values == activity_values(activity, row.actions, row.organisations):
                outcome.rows.append(RowReport(row.line, activity.title, UNCHANGED, detail))
                continue
            previous = activity_feeds(row.stored, plans)
            feeds = previous | activity_feeds_unsaved(activity, plans)
        else:
            twin = known.get(fingerprint(activity, [a.pk for a in row.actions],
                                         [o.pk for o in row.organisations]))
            if twin is not None and not keep_duplicates:
                outcome.rows.append(RowReport(row.line, activity.title, DUPLICATE, _(
                    "identique à l'activité « %(title)s » du %(date)s déjà au registre")
                    % {"title": twin.title, "date": twin.start_date.isoformat()}))
                continue
            if twin is not None:
                detail = _("doublon importé quand même")
            feeds = activity_feeds_unsaved(activity, plans)
        try:
            check_unlocked(plans, feeds, locked)
        except YearLocked:
            outcome.errors.append(_locked_error(row, updating))
            continue
        outcome.rows.append(RowReport(row.line, activity.title,
                                      UPDATED if updating else CREATED, detail))
        planned.append((row, previous, feeds))
    return planned


@boundary.service
def activities_write(*, pole: Pole, user, plans, planned) -> None:
    """Write the import's decisions in one transaction: changed activities one by one through
    :func:`register.services.activity_store`, new ones in bulk with their links and history
    (:func:`register.services.activities_create`), then the pôle's computed results once per
    open year. The years' locks are read again here: a year submitted since the file was
    checked refuses the whole import (:class:`_Refused`, nothing written)."""
    locked = locked_by_plan(plans)
    refused = []
    for row, previous, feeds in planned:
        try:
            check_unlocked(plans, feeds, locked)
        except YearLocked:
            refused.append(_locked_error(row, previous is not None))
    if refused:
        raise _Refused(refused)
    reason = _("Import du registre")
    for row, previous, _feeds in planned:
        if previous is not None:
            activity_store(activity=row.activity, user=user, actions=row.actions,
                           organisations=row.organisations, plans=plans, previous=previous,
                           locked=locked, reason=reason)
    activities_create(pole=pole, user=user, reason=reason,
                      rows=[(row.activity, row.actions, row.organisations)
                            for row, previous, _feeds in planned if previous is None])
    if planned:
        register_results_update(pole=pole, user=user, plans=plans)


def _locked_error(row: _Row, updating: bool) -> str:
    return _("Ligne %(line)s : « %(title)s » tombe dans une année soumise ou approuvée ; elle "
             "ne peut pas être %(verb)s.") % {
        "line": row.line, "title": row.activity.title,
        "verb": _("modifiée") if updating else _("ajoutée")}


class _Refused(Exception):
    """A year locked between the check and the writes: the transaction rolls back."""

    def __init__(self, errors: list[str]):
        super().__init__(errors)
        self.errors = errors
