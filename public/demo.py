"""The demo publishes Montérégie's public page (the pôle whose 2024-2025 the demo approves)."""

from __future__ import annotations

from indicators.models import Plan
from indicators.services import pole_publish

DEMO_PUBLISHED = "monteregie"


def demo_load(plans: list[Plan]) -> None:
    for plan in plans:
        if plan.pole.code == DEMO_PUBLISHED:
            pole_publish(pole=plan.pole, public=True)
