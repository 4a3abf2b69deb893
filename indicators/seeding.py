"""Loading the two seed plans that ship with the product (``fixtures/plans``)."""

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from indicators.models import Plan, Pole, Theme
from indicators.plan_import import ImportOutcome, load_dataset, plan_import
from indicators.themes import themes_ensure

SEED_DIR = Path(settings.BASE_DIR) / "fixtures" / "plans"


def seed_manifest() -> list[dict]:
    return json.loads((SEED_DIR / "manifest.json").read_text(encoding="utf-8"))


@transaction.atomic
def seed_plans_load() -> list[tuple[Plan, ImportOutcome]]:
    """Create (or update) both seed pôles and plans from the shipped import files."""
    themes_ensure(Theme)
    loaded = []
    for entry in seed_manifest():
        pole, _ = Pole.objects.update_or_create(code=entry["pole"]["code"],
                                                defaults=entry["pole"])
        data = entry["plan"]
        plan, _ = Plan.objects.update_or_create(
            pole=pole, first_year=data["first_year"],
            defaults={k: v for k, v in data.items() if k != "first_year"})
        path = SEED_DIR / entry["file"]
        outcome = plan_import(plan=plan, dataset=load_dataset(path.read_bytes(), path.name))
        if not outcome.ok:
            raise ValueError(f"{path.name}: " + "; ".join(outcome.errors))
        loaded.append((plan, outcome))
    return loaded
