"""The four themes the MES asks every pôle to attach its actions to (one shared list)."""

from django.db import migrations

from indicators.themes import themes_ensure


def create_themes(apps, schema_editor):
    themes_ensure(apps.get_model("indicators", "Theme"))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(create_themes, migrations.RunPython.noop)]
