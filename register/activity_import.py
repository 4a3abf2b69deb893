"""Importing an existing activity log (xlsx or csv, French headers) into a pôle's register.

All or nothing: every row is read and checked first; any problem aborts the whole import and
every problem is listed with its spreadsheet line (« Ligne 4 : … »). Organisation names go
through :func:`register.matching.match_organisation`: a name that matches several directory
entries, or none, is an error rather than a guess. ``fixtures/register/exemple-registre.csv``
documents the format by example.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indicators import boundary
from indicators.models import Pole
from register.forms import pole_actions
from register.matching import match_organisation, normalize
from register.models import Activity, ActivityKind, Organisation
from register.services import (
    YearLocked,
    activity_feeds,
    check_unlocked,
    locked_by_plan,
    pole_plans,
    register_results_update,
)

COL_TITLE, COL_KIND, COL_STATUS = "Titre", "Type", "Statut"
COL_START, COL_END, COL_ACTIONS = "Début", "Fin", "Actions"
COL_ORGANISATIONS, COL_EVIDENCE, COL_DESCRIPTION = (
    "Établissements et partenaires", "Lien de preuve", "Description")
# header → model field, for the counts
COUNT_COLUMNS = {
    "Étudiants": "participants_students", "Enseignants": "participants_teachers",
    "Personnel de CPE": "participants_cpe", "SDG": "participants_sdg",
    "Autres participants": "participants_other", "Personnes touchées": "people_reached",
    "Visiteurs": "visitors",
}
REQUIRED = (COL_TITLE, COL_KIND, COL_START)
STATUSES = {normalize(str(label)): value for value, label in Activity.Status.choices}


@dataclass
class ImportOutcome:
    errors: list[str] = field(default_factory=list)
    created: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    activity: Activity
    actions: list
    organisations: list


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
    text = _text(value).replace("\u00a0", "").replace(" ", "")
    if not text:
        return 0
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        number = -1
    if number < 0 or number != int(number):
        errors.append(_("Ligne %(line)s : %(column)s « %(value)s » n'est pas un nombre entier "
                        "positif.") % {"line": line, "column": column, "value": text})
        return 0
    return int(number)


def _split(value) -> list[str]:
    return [part.strip() for part in _text(value).replace("\n", ";").split(";") if part.strip()]


def activity_rows_read(dataset, *, pole: Pole) -> tuple[list[_Row], list[str]]:
    """Every row as an unsaved activity with its links, and every problem found."""
    errors: list[str] = []
    headers = [_text(h) for h in (dataset.headers or [])]
    missing = [h for h in REQUIRED if h not in headers]
    if missing:
        return [], [_("Colonnes manquantes : %(cols)s.") % {"cols": ", ".join(missing)}]
    kinds = {}
    for kind in ActivityKind.objects.all():
        kinds[normalize(kind.name)] = kind
        kinds[normalize(kind.code)] = kind
    actions_by_code: dict[str, list] = {}
    for action in pole_actions(pole):
        actions_by_code.setdefault(action.code.strip().lower(), []).append(action)
    directory = list(Organisation.objects.for_pole(pole))
    rows = []
    for index, raw in enumerate(dataset.dict, start=2):
        line_errors: list[str] = []
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
        for name in _split(raw.get(COL_ORGANISATIONS)):
            match = match_organisation(name, directory)
            if match.is_sure:
                organisations.append(match.organisation)
            elif match.is_ambiguous:
                line_errors.append(_("Ligne %(line)s : « %(name)s » peut désigner %(names)s ; "
                                     "écrivez le nom complet.") % {
                    "line": index, "name": name,
                    "names": " ; ".join(c.name for c in match.candidates)})
            else:
                line_errors.append(_("Ligne %(line)s : « %(name)s » n'est pas au répertoire ; "
                                     "ajoutez-le comme partenaire local d'abord.") % {
                    "line": index, "name": name})
        activity = Activity(pole=pole, kind=kind, title=title, status=status or "",
                            start_date=start, end_date=end,
                            evidence_url=_text(raw.get(COL_EVIDENCE)),
                            description=_text(raw.get(COL_DESCRIPTION)), **counts)
        if not line_errors:
            try:
                activity.full_clean(exclude=["evidence_file", "updated_by"])
            except ValidationError as exc:
                for field_name, messages in exc.message_dict.items():
                    label = (Activity._meta.get_field(field_name).verbose_name
                             if field_name != "__all__" else "")
                    for message in messages:
                        line_errors.append(_("Ligne %(line)s : %(field)s : %(message)s") % {
                            "line": index, "field": label, "message": message})
        errors += line_errors
        rows.append(_Row(activity, actions, organisations))
    if not rows and not errors:
        errors.append(_("Le fichier ne contient aucune activité."))
    return rows, errors


@boundary.service
def activities_import(*, pole: Pole, dataset, user, dry_run: bool = False) -> ImportOutcome:
    """Create every row's activity, or none: a bad row, or a row falling in a submitted or
    approved year, writes nothing."""
    rows, errors = activity_rows_read(dataset, pole=pole)
    outcome = ImportOutcome(errors=errors, dry_run=dry_run)
    if errors:
        return outcome
    plans = pole_plans(pole)
    locked = locked_by_plan(plans)
    try:
        with transaction.atomic():
            for row in rows:
                row.activity.updated_by = user
                row.activity.save()
                row.activity.actions.set(row.actions)
                row.activity.organisations.set(row.organisations)
                try:
                    check_unlocked(plans, activity_feeds(row.activity, plans), locked)
                except YearLocked:
                    raise _Abort(_("« %(title)s » tombe dans une année soumise ou approuvée.")
                                 % {"title": row.activity.title}) from None
            outcome.created = len(rows)
            if dry_run:
                raise _Abort("")
            register_results_update(pole=pole, user=user, plans=plans)
    except _Abort as abort:
        if str(abort):
            outcome.errors.append(str(abort))
            outcome.created = 0
    return outcome


class _Abort(Exception):
    """Rolls the import's transaction back (a locked year, or a dry run)."""
