"""A realistic demo register for Montérégie: about 60 activities over 2024-2025 and
2025-2026, with establishments that recur across projects, so distinct counts, breakdowns
and the drill-down show something on first run. Marked « Donnée de démonstration » in their
description; loaded once."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from indicators.models import Action, Plan
from register.models import Activity, ActivityKind, Organisation
from register.services import activities_record, organisation_create_local

DEMO_NOTE = "Donnée de démonstration"

ESTABLISHMENTS = [
    "Cégep Édouard-Montpetit", "Cégep de Saint-Hyacinthe", "Cégep Saint-Jean-sur-Richelieu",
    "Cégep de Sorel-Tracy", "Cégep de Granby", "Collège de Valleyfield",
    "Champlain Regional College", "Université de Sherbrooke",
    "Université du Québec à Montréal", "Centre de services scolaire Marie-Victorin",
    "Centre de services scolaire des Patriotes", "Centre de services scolaire de Saint-Hyacinthe",
    "Riverside School Board",
]
LOCAL_PARTNERS = [
    ("CPE Les Petits Bourgeons", Organisation.Kind.CPE),
    ("CPE La Cigogne", Organisation.Kind.CPE),
    ("Ville de Longueuil", Organisation.Kind.MUNICIPALITY),
    ("Carrefour jeunesse-emploi Saint-Hyacinthe", Organisation.Kind.COMMUNITY),
    ("Chambre de commerce et d'industrie de la Rive-Sud", Organisation.Kind.EMPLOYER),
]

# (action code, activity kind code, title, how many per year)
PLAN = [
    ("1.1.1", "projet-recherche-participative", "Recherche participative sur la transition "
                                                "primaire-secondaire-collégial", 3),
    ("1.1.1", "activite-transfert", "Atelier de transfert des résultats", 3),
    ("1.1.2", "projet-innovation-developpement", "Projet d'innovation pédagogique interordres", 2),
    ("1.1.2", "activite-transfert", "Webinaire de transfert", 2),
    ("1.1.3", "projet-concertation", "Chantier de concertation sur la réussite", 2),
    ("1.1.4", "rencontre-communaute-pratique", "Rencontre de la communauté de pratique", 4),
    ("1.2.1", "activite-promotion", "Kiosque des études supérieures", 3),
    ("1.2.3", "infolettre", "Infolettre du Pôle", 3),
    ("2.1.2", "entente-partenariat", "Entente de partenariat", 1),
    ("2.2.1", "activite-promotion", "Journée portes ouvertes interordres", 2),
    ("3.2.1", "projet-concertation", "Comité régional de concertation", 2),
    ("3.3.1", "activite-promotion", "Salon régional de la formation", 2),
]


def _pick(items: list, seed: int, count: int) -> list:
    return [items[(seed * 7 + offset * 3) % len(items)] for offset in range(count)]


def demo_load(plans: list[Plan]) -> int:
    """``indicators.hooks``' demo loader: Montérégie's register, before any year is approved."""
    return sum(register_demo_load(plan) for plan in plans if plan.pole.code == "monteregie")


def register_demo_load(plan: Plan) -> int:
    """Create the demo register for ``plan``'s pôle once, through the register's services
    (refused, like any write, when a year it falls in is already submitted or approved);
    return how many activities."""
    pole = plan.pole
    if Activity.objects.filter(pole=pole, description=DEMO_NOTE).exists():
        return 0
    kinds = {k.code: k for k in ActivityKind.objects.all()}
    actions = {a.code: a for a in Action.objects.filter(objective__orientation__plan=plan)}
    directory = {o.name: o for o in Organisation.objects.filter(name__in=ESTABLISHMENTS,
                                                                 pole__isnull=True)}
    establishments = [directory[name] for name in ESTABLISHMENTS if name in directory]
    partners = [organisation_create_local(pole=pole, name=name, kind=kind)
                for name, kind in LOCAL_PARTNERS]
    rows = []
    for year in (plan.first_year, plan.first_year + 1):
        for row, (action_code, kind_code, title, count) in enumerate(PLAN):
            if action_code not in actions or kind_code not in kinds:
                continue
            for n in range(count):
                seed = year * 100 + row * 10 + n
                start = datetime.date(year, 4, 1) + datetime.timedelta(days=20 + (seed % 300))
                is_agreement = kinds[kind_code].is_agreement
                end = None if is_agreement else start + datetime.timedelta(days=seed % 40)
                status = Activity.Status.ONGOING if is_agreement else Activity.Status.DONE
                if not is_agreement and end > datetime.date(year + 1, 3, 31):
                    end = datetime.date(year + 1, 3, 31)
                if year > plan.first_year and n == count - 1 and count > 1:
                    status = Activity.Status.PLANNED  # what is left to do this year
                activity = Activity(
                    pole=pole, kind=kinds[kind_code], status=status, start_date=start,
                    end_date=end, title=f"{title} {n + 1} ({year}-{year + 1})",
                    description=DEMO_NOTE,
                    participants_students=(seed % 5) * 6 if kind_code.startswith("projet")
                    else 0,
                    participants_teachers=(seed % 4) + 1 if kind_code.startswith("projet")
                    else 0,
                    participants_cpe=(seed % 3) if kind_code.startswith("projet") else 0,
                    participants_sdg=(seed % 2) if kind_code.startswith("projet") else 0,
                    people_reached=20 + seed % 60 if kind_code == "activite-transfert" else 0,
                    visitors=80 + (seed % 9) * 25 if kind_code == "activite-promotion" else 0)
                involved = _pick(establishments, seed, 1 + seed % 3) if establishments else []
                if kind_code.startswith("projet") or kind_code == "entente-partenariat":
                    involved += _pick(partners, seed, 1)
                rows.append((activity, [actions[action_code]], sorted(set(involved),
                                                                      key=lambda o: o.name)))
    coordinator = get_user_model().objects.filter(username=f"coordo-{pole.code}").first()
    return activities_record(pole=pole, rows=rows, user=coordinator)
