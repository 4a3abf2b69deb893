"""The activity kinds listed in issue 15, as data the admin may edit afterwards."""

from django.db import migrations

KINDS = [
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


def kinds_create(apps, schema_editor):
    ActivityKind = apps.get_model("register", "ActivityKind")
    for position, (code, name, is_agreement) in enumerate(KINDS, start=1):
        ActivityKind.objects.update_or_create(
            code=code, defaults={"name": name, "is_agreement": is_agreement,
                                 "position": position})


class Migration(migrations.Migration):
    dependencies = [("register", "0001_initial")]

    operations = [migrations.RunPython(kinds_create, migrations.RunPython.noop)]
