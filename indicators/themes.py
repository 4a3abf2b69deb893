"""The four themes the MES asks every pôle to attach its actions to (one shared list)."""

MES_THEMES = [
    (1, "Accessibilité",
     "Favoriser l'accessibilité des personnes à l'enseignement supérieur, notamment des groupes "
     "sous-représentés (Premières Nations et Inuits, étudiants de première génération, personnes "
     "en situation de handicap, issues de régions rurales, les femmes dans certains domaines "
     "d'études, dont le génie et l'informatique, et les hommes de manière généralisée, etc.)"),
    (2, "Fluidité des parcours",
     "Améliorer la fluidité des parcours de formation et assurer des transitions harmonieuses et "
     "de qualité visant à renforcer la persévérance des étudiants en enseignement supérieur"),
    (3, "Adéquation formation-emploi",
     "Répondre à des besoins nationaux et régionaux d'adéquation formation-emploi, notamment dans "
     "un contexte de qualification ou de requalification, permettant ainsi aux personnes d'avoir "
     "accès à des formations tout au long de la vie"),
    (4, "Promotion et recrutement",
     "Déployer des stratégies de promotion et de recrutement en enseignement supérieur, en "
     "favorisant le rapprochement des cégeps et des universités avec l'enseignement secondaire"),
]


def themes_ensure(theme_model) -> None:
    """Create or refresh the four themes (``theme_model`` may be a migration's historical one)."""
    for number, short_label, description in MES_THEMES:
        theme_model.objects.update_or_create(
            number=number, defaults={"short_label": short_label, "description": description})
