"""Which seed indicators are computed from the register, and by which rule.

Only labels whose wording says plainly what to count are mapped; the rest stay typed (rates,
deliverables, web and social-media figures, « nouveaux » partners that need a notion of
novelty the register does not hold, and Pôle Québec's cumulative « formalisées » agreements,
which an in-force count would count again every year).
"""

from __future__ import annotations

from django.db import transaction

from indicators.models import Indicator
from register.matching import normalize
from register.models import ActivityKind, IndicatorRule

Kind = IndicatorRule.Kind

# The kinds listed in issue 15 (also created by migration 0002, which keeps its own copy).
ACTIVITY_KINDS = [
    ("projet-recherche-participative", "Projet de recherche participative", False),
    ("projet-innovation-developpement", "Projet d'innovation et de développement", False),
    ("projet-concertation", "Projet de concertation", False),
    ("activite-transfert", "Activité de transfert", False),
    ("activite-promotion", "Activité de promotion", False),
    ("rencontre-communaute-pratique", "Rencontre de communauté de pratique", False),
    ("entente-partenariat", "Entente de partenariat", True),
    ("infolettre", "Infolettre", False),
    ("publication", "Publication", False),
    ("campagne", "Campagne", False),
    ("autre", "Autre activité", False),
]


def activity_kinds_ensure() -> None:
    """Create the shipped activity kinds that are missing (after a database flush); never
    changes a kind an administrator edited."""
    existing = set(ActivityKind.objects.values_list("code", flat=True))
    for position, (code, name, is_agreement) in enumerate(ACTIVITY_KINDS, start=1):
        if code not in existing:
            ActivityKind.objects.create(code=code, name=name, is_agreement=is_agreement,
                                        position=position)
PROJECTS = ("projet-recherche-participative", "projet-innovation-developpement",
            "projet-concertation")
TRANSFER = ("activite-transfert",)
NOT_AGREEMENTS = "*activities"  # every kind that is not an agreement

# normalized label → (rule, activity kind codes: () for every kind)
SEED_RULES: dict[str, tuple[str, tuple[str, ...] | str]] = {
    "nb de projets": (Kind.ACTIVITIES, PROJECTS),
    "nb d etablissements": (Kind.ESTABLISHMENTS, ()),
    "nb d etablissements impliques": (Kind.ESTABLISHMENTS, ()),
    "nb d activites de transfert type": (Kind.ACTIVITIES, TRANSFER),
    "nb activites de transfert type": (Kind.ACTIVITIES, TRANSFER),
    "nb d activites de transfert": (Kind.ACTIVITIES, TRANSFER),
    "nb de personnes touchees lors des transferts": (Kind.PEOPLE_REACHED, TRANSFER),
    "nb de rencontres": (Kind.ACTIVITIES, ("rencontre-communaute-pratique",)),
    "nb d activites": (Kind.ACTIVITIES, NOT_AGREEMENTS),
    "nb d activites organisees": (Kind.ACTIVITIES, NOT_AGREEMENTS),
    "nb de visiteurs": (Kind.VISITORS, ()),
    "nb de participants": (Kind.PARTICIPANTS, ()),
    "nb de partenaires": (Kind.PARTNERS, ()),
    "nb de partenaires impliques": (Kind.PARTNERS, ()),
    "nb de partenaires participants": (Kind.PARTNERS, ()),
    "nb d ententes actives": (Kind.AGREEMENTS, ()),
    "nb de partenariats en vigueur": (Kind.AGREEMENTS, ()),
    "nb d infolettres": (Kind.ACTIVITIES, ("infolettre",)),
}


def seed_rule_for(label: str) -> tuple[str, tuple[str, ...] | str] | None:
    return SEED_RULES.get(normalize(label))


@transaction.atomic
def seed_rules_map(indicators=None) -> list[IndicatorRule]:
    """Give every fitting indicator (of ``indicators``, default all) a register rule, once.

    An indicator that already has a rule keeps it (an administrator may have changed it).
    """
    activity_kinds_ensure()
    kinds = {k.code: k for k in ActivityKind.objects.all()}
    indicators = indicators if indicators is not None else Indicator.objects.all()
    taken = set(IndicatorRule.objects.values_list("indicator_id", flat=True))
    created = []
    for indicator in indicators.filter(unit=Indicator.Unit.COUNT):
        found = seed_rule_for(indicator.label)
        if found is None or indicator.pk in taken:
            continue
        rule_kind, codes = found
        rule = IndicatorRule.objects.create(
            indicator=indicator, kind=rule_kind,
            note=f"Associé automatiquement au libellé « {indicator.label} ».")
        if codes == NOT_AGREEMENTS:
            rule.activity_kinds.set([k for k in kinds.values() if not k.is_agreement])
        elif codes:
            rule.activity_kinds.set([kinds[code] for code in codes if code in kinds])
        created.append(rule)
    return created
