"""Loading the shipped directory of organisations (``fixtures/organisations.json``)."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings

from indicators import boundary
from register.models import Organisation

DIRECTORY_FILE = Path(settings.BASE_DIR) / "fixtures" / "organisations.json"


def directory_data(path: Path = DIRECTORY_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@boundary.service
def directory_load(path: Path = DIRECTORY_FILE) -> tuple[int, int]:
    """Create or update the shared directory (idempotent); return (created, updated).

    Entries are matched on their name; local partners of pôles are never touched.
    """
    entries = directory_data(path)["organisations"]
    existing = {o.name: o for o in Organisation.objects.filter(pole__isnull=True)}
    created = updated = 0
    for entry in entries:
        fields = {k: entry.get(k, "") for k in ("abbreviation", "kind", "region",
                                                 "official_code")}
        organisation = existing.get(entry["name"])
        if organisation is None:
            existing[entry["name"]] = Organisation.objects.create(name=entry["name"], **fields)
            created += 1
        elif any(getattr(organisation, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(organisation, k, v)
            organisation.save()
            updated += 1
    for entry in entries:
        parent = existing.get(entry.get("parent") or "")
        organisation = existing[entry["name"]]
        if parent is not None and organisation.parent_id != parent.pk:
            organisation.parent = parent
            organisation.save(update_fields=["parent"])
    return created, updated
