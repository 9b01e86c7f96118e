from django.db import migrations


def load(apps, schema_editor):
    from osezia.diagnostics.services import DATA_DIR, load_questionnaire_file

    load_questionnaire_file(DATA_DIR / "questionnaire_v1.json", apps=apps)


class Migration(migrations.Migration):
    dependencies = [("diagnostics", "0001_initial"), ("referentiels", "0002_load_referentiels")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
